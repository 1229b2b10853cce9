/*
 * Referrals: ids, the transitions, new referrals and their transitions (in
 * memory and on the store). The reward points come from refctl.yaml.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/referral.h"
#include "refctl/reward.h"
#include "util.h"

/* ---- ids ---- */

int refctl_referral_id_parse(struct refctl_buf *advocate, const char *id)
{
	const char *slash = strchr(id, '/');
	char adv[64];
	size_t len;

	if (!slash || slash == id || (len = (size_t)(slash - id)) >= sizeof(adv) || !slash[1] ||
	    strchr(slash + 1, '/'))
		goto bad;
	memcpy(adv, id, len);
	adv[len] = '\0';
	if (!refctl_id_valid(adv))
		goto bad;
	if (advocate) {
		refctl_buf_clear(advocate);
		refctl_buf_puts(advocate, adv);
	}
	return 0;
bad:
	return refctl__error(REFCTL_EUSAGE,
			     "'%s' is not a referral id (expected ADVOCATE/YYMMDD-XXXXXXXX, such as acme-jane/261115-7kq2m9xd)",
			     id);
}

/* A new id for a referral of a opened on day (record.h's item ids, as
 * requests have: no two clones draw the same), one the file does not have. */
static int referral_next_id(struct refctl_buf *out, const struct refctl_advocate *a, refctl_date day)
{
	int error;

	for (int tries = 0; tries < 64; tries++) {
		size_t i = 0;
		if ((error = refctl_item_id_new(out, a->id, day)) < 0)
			return error;
		while (i < a->nreferrals && !(a->referrals[i].id && !strcmp(a->referrals[i].id, out->ptr)))
			i++;
		if (i == a->nreferrals)
			return 0;
	}
	return refctl__error(REFCTL_EIO, "cannot draw a referral id that %s does not have yet", a->id);
}

/* ---- results ---- */

void refctl_referral_result_init(struct refctl_referral_result *r)
{
	memset(r, 0, sizeof(*r));
	refctl_buf_init(&r->value);
	refctl_buf_init(&r->no_points);
	refctl_buf_init(&r->subject);
	refctl_buf_init(&r->body);
}

void refctl_referral_result_release(struct refctl_referral_result *r)
{
	if (!r)
		return;
	refctl_buf_release(&r->value);
	refctl_buf_release(&r->no_points);
	refctl_buf_release(&r->subject);
	refctl_buf_release(&r->body);
}

static void result_reset(struct refctl_referral_result *r)
{
	refctl_referral_result_release(r);
	refctl_referral_result_init(r);
}

/* ---- checks ---- */

static const struct verb {
	const char *name, *done, *before, *after; /* "mark " ID " as won" */
} verbs[] = {
	[REFCTL_REFERRAL_QUALIFY] = { "qualify", "qualified", "qualify ", "" },
	[REFCTL_REFERRAL_WON] = { "won", "won", "mark ", " as won" },
	[REFCTL_REFERRAL_LOST] = { "lost", "lost", "mark ", " as lost" },
	[REFCTL_REFERRAL_CANCEL] = { "cancel", "cancelled", "cancel ", "" },
};

static const struct verb *verb_of(enum refctl_referral_verb v)
{
	return v >= REFCTL_REFERRAL_QUALIFY && v <= REFCTL_REFERRAL_CANCEL ? &verbs[v] : NULL;
}

const char *refctl_referral_verb_name(enum refctl_referral_verb v)
{
	const struct verb *vb = verb_of(v);
	return vb ? vb->name : "";
}

static int check_text(const char *what, const char *value, int required)
{
	if (required && (!value || !*value))
		return refctl__error(value ? REFCTL_EINVALID : REFCTL_EUSAGE, "a referral needs a %s", what);
	if (value && strchr(value, '\n'))
		return refctl__error(REFCTL_EINVALID, "%s must be a single line", what);
	return 0;
}

static int check_value(const char *value)
{
	int64_t cents;

	if (value && refctl_money_parse(value, &cents) < 0)
		return refctl__error(REFCTL_EINVALID,
				     "value must be an amount from 0 to 10000000000000 with at most two decimals, such as 250000 or 1250.50, not '%s'",
				     value);
	return 0;
}

int refctl_referral_new_check(const struct refctl_referral_new_opts *o)
{
	int error;

	if ((error = check_text("prospect", o->prospect, 1)) < 0 ||
	    (error = check_text("contact", o->contact, 0)) < 0 ||
	    (error = check_text("opportunity", o->opportunity, 0)) < 0 ||
	    (error = check_value(o->value)) < 0)
		return error;
	return 0;
}

int refctl_referral_change_check(const struct refctl_referral_change *ch)
{
	int error;

	if (!verb_of(ch->verb))
		return refctl__error(REFCTL_EUSAGE, "no transition given");
	if (!ch->id)
		return refctl__error(REFCTL_EUSAGE, "no referral given");
	if ((error = refctl_referral_id_parse(NULL, ch->id)) < 0 || (error = check_value(ch->value)) < 0)
		return error;
	if (ch->reason && !*ch->reason)
		return refctl__error(REFCTL_EINVALID, "the reason must not be empty");
	return 0;
}

/* ---- building the tree ---- */

static void set_str(struct refctl_node *map, const char *key, const char *value)
{
	refctl_node_set(map, key, refctl_node_scalar(value, 1));
}

static void set_plain(struct refctl_node *map, const char *key, const char *value)
{
	refctl_node_set(map, key, refctl_node_scalar(value, 0));
}

static void set_date(struct refctl_node *map, const char *key, refctl_date d)
{
	char buf[11];
	set_plain(map, key, refctl_date_format(buf, d));
}

static int resolve_today(refctl_date *out, refctl_date given)
{
	*out = given;
	return given == REFCTL_DATE_NONE ? refctl_date_today(out) : 0;
}

/* ---- new ---- */

int refctl_referral_apply_new(struct refctl_referral_result *res, struct refctl_record *rec,
			      const struct refctl_config *cfg, const struct refctl_referral_new_opts *o)
{
	struct refctl_buf id = REFCTL_BUF_INIT;
	struct refctl_node *saved = NULL, *seq, *map;
	refctl_date today, opened;
	int error;

	(void)cfg;
	result_reset(res);
	if ((error = refctl_referral_new_check(o)) < 0 || (error = resolve_today(&today, o->today)) < 0)
		goto done;
	opened = o->opened != REFCTL_DATE_NONE ? o->opened : today;
	if (opened > today) {
		char a[11], t[11];
		error = refctl__error(REFCTL_EINVALID, "a referral cannot be opened on %s: that is after today (%s)",
				      refctl_date_format(a, opened), refctl_date_format(t, today));
		goto done;
	}
	if ((error = referral_next_id(&id, &rec->a, opened)) < 0)
		goto done;
	map = refctl_node_map();
	set_str(map, "id", id.ptr);
	set_date(map, "opened", opened);
	set_str(map, "prospect", o->prospect);
	if (o->contact && *o->contact)
		set_str(map, "contact", o->contact);
	if (o->opportunity && *o->opportunity)
		set_str(map, "opportunity", o->opportunity);
	set_str(map, "status", "open");
	if (o->value)
		set_plain(map, "value", o->value);
	if (o->notes && *o->notes)
		set_str(map, "notes", o->notes);

	saved = refctl_node_clone(rec->root);
	seq = refctl_node_get(rec->root, "referrals");
	if (!seq || seq->kind != REFCTL_NODE_SEQ) {
		refctl_node_set(rec->root, "referrals", refctl_node_seq());
		seq = refctl_node_get(rec->root, "referrals");
	}
	refctl_node_append(seq, map);
	if ((error = refctl_record_validate_or_restore(rec, saved, 1)) < 0)
		goto done;
	snprintf(res->id, sizeof(res->id), "%s", id.ptr);
	res->status = REFCTL_REF_OPEN;
	res->balance = refctl_advocate_balance(&rec->a);
	if (o->value)
		refctl_buf_puts(&res->value, o->value);
	refctl_buf_printf(&res->subject, "refctl: referral %s of ", id.ptr);
	refctl__buf_first_line(&res->subject, o->prospect);
done:
	refctl_node_free(saved);
	refctl_buf_release(&id);
	return error;
}

/* ---- transitions ---- */

/* The referral named by id, or by a prefix of exactly one referral's id,
 * as requests are named; REFCTL_ENOTFOUND, or REFCTL_EINVALID if several. */
static int find(const struct refctl_referral **out, size_t *index, const struct refctl_advocate *a,
		const char *id, const char *file)
{
	struct refctl_buf list = REFCTL_BUF_INIT;
	size_t len = strlen(id), found = 0;
	int error;

	*out = NULL;
	for (size_t i = 0; i < a->nreferrals; i++) {
		const char *rid = a->referrals[i].id;
		if (!rid || strncmp(rid, id, len))
			continue;
		if (!rid[len]) { /* the whole id */
			*out = &a->referrals[i];
			*index = i;
			refctl_buf_release(&list);
			return 0;
		}
		if (found++ < 10)
			refctl_buf_printf(&list, "%s%s", found > 1 ? ", " : "", rid);
		*out = &a->referrals[i];
		*index = i;
	}
	if (found == 1) {
		refctl_buf_release(&list);
		return 0;
	}
	*out = NULL;
	if (found > 10)
		refctl_buf_printf(&list, " ... (%zu more)", found - 10);
	if (found > 1)
		error = refctl__error(REFCTL_EINVALID, "referral '%s' is ambiguous: it could be %s", id, list.ptr);
	else
		error = refctl__error(REFCTL_ENOTFOUND, "no referral '%s' in %s", id, file);
	refctl_buf_release(&list);
	return error;
}

/* The map of the referral at index of the typed view (the list may hold
 * items that are not maps, which the typed view skips). */
static struct refctl_node *item_map(struct refctl_record *rec, size_t index)
{
	struct refctl_node *seq = refctl_node_get(rec->root, "referrals");
	const struct refctl_referral *r = &rec->a.referrals[index];

	for (size_t k = 0; seq && k < seq->n; k++)
		if (seq->items[k]->kind == REFCTL_NODE_MAP && seq->items[k]->line == r->line &&
		    seq->items[k]->col == r->col)
			return seq->items[k];
	return NULL;
}

int refctl_referral_apply_change(struct refctl_referral_result *res, struct refctl_record *rec,
				 const struct refctl_config *cfg, const struct refctl_referral_change *ch)
{
	struct refctl_buf prospect = REFCTL_BUF_INIT, text = REFCTL_BUF_INIT;
	struct refctl_node *saved = NULL, *map;
	const struct refctl_referral *r;
	const char *id = ch->id;
	const struct verb *vb = verb_of(ch->verb);
	refctl_date today, when, since;
	char a[11], b[11];
	size_t idx = 0;
	long points = 0;
	int error, status;

	result_reset(res);
	if ((error = refctl_referral_change_check(ch)) < 0 || (error = resolve_today(&today, ch->today)) < 0)
		goto done;
	if ((error = find(&r, &idx, &rec->a, ch->id, rec->file)) < 0)
		goto done;
	if (!(map = item_map(rec, idx))) {
		error = refctl__error(REFCTL_ENOTFOUND, "no referral '%s' in %s", ch->id, rec->file);
		goto done;
	}
	snprintf(res->id, sizeof(res->id), "%s", r->id);
	id = res->id; /* the whole id; the typed view is rebuilt below */
	status = r->status;
	if (!refctl_ref_is_open(status) || (ch->verb == REFCTL_REFERRAL_QUALIFY && status != REFCTL_REF_OPEN)) {
		error = refctl__error(REFCTL_EREFUSED, "cannot %s%s%s: it is %s (only %s referral can be %s)", vb->before,
				      id, vb->after, refctl_ref_status_name(status),
				      ch->verb == REFCTL_REFERRAL_QUALIFY ? "an open" : "an open or qualified", vb->done);
		goto done;
	}
	when = ch->date != REFCTL_DATE_NONE ? ch->date : today;
	since = r->qualified != REFCTL_DATE_NONE && ch->verb != REFCTL_REFERRAL_CANCEL ? r->qualified : r->opened;
	if (when > today) {
		error = refctl__error(REFCTL_EINVALID, "cannot %s%s%s on %s: that is after today (%s)", vb->before,
				      id, vb->after, refctl_date_format(a, when), refctl_date_format(b, today));
		goto done;
	}
	if (since != REFCTL_DATE_NONE && when < since) {
		error = refctl__error(REFCTL_EINVALID, "cannot %s%s%s on %s: it was %s on %s", vb->before, id,
				      vb->after, refctl_date_format(a, when), since == r->opened ? "opened" : "qualified",
				      refctl_date_format(b, since));
		goto done;
	}
	refctl_buf_puts(&prospect, r->prospect ? r->prospect : "");

	saved = refctl_node_clone(rec->root);
	set_plain(map, "status", vb->done);
	if (ch->verb == REFCTL_REFERRAL_QUALIFY) {
		set_date(map, "qualified", when);
		points = cfg ? cfg->referral_qualified : 0;
	} else {
		set_date(map, "closed", when);
		if (ch->verb == REFCTL_REFERRAL_WON)
			points = cfg ? cfg->referral_won : 0;
	}
	if (ch->value)
		set_plain(map, "value", ch->value);
	if (ch->reason)
		set_str(map, "reason", ch->reason);
	if ((error = refctl_record_validate_or_restore(rec, saved, 1)) < 0)
		goto done;
	if (points > 0 && !refctl_config_reward_eligible(&res->no_points, cfg, &rec->a)) {
		points = 0; /* the advocate may not accept rewards: none recorded */
		refctl_buf_printf(&res->body, "No points recorded: %s.\n", res->no_points.ptr);
	}
	if (points > 0) {
		refctl_buf_printf(&text, "referral of ");
		refctl__buf_first_line(&text, prospect.ptr);
		refctl_buf_printf(&text, " %s", vb->done);
		/* won's reward takes the referral's id (won on two branches, one
		 * reward once merged); qualify's, which may come before it, a new one */
		if ((error = refctl_reward_apply_item(NULL, rec, points, text.ptr, "referral", id,
						      ch->verb == REFCTL_REFERRAL_WON ? id : NULL, when)) < 0) {
			char msg[1024];
			snprintf(msg, sizeof(msg), "%s", refctl_error_last());
			refctl_record_restore(rec, saved);
			refctl__error(error, "%s", msg);
			goto done;
		}
		res->points = points;
		refctl_buf_printf(&res->body, "Awarded %ld point%s for the referral.\n", points, points == 1 ? "" : "s");
	}
	if ((error = find(&r, &idx, &rec->a, id, rec->file)) < 0)
		goto done;
	res->status = r->status;
	if (r->value != REFCTL_MONEY_NONE)
		refctl_money_format(&res->value, r->value);
	res->balance = refctl_advocate_balance(&rec->a);
	refctl_buf_printf(&res->subject, "refctl: referral %s %s", id, vb->done);
	if (res->value.size && ch->verb == REFCTL_REFERRAL_WON)
		refctl_buf_printf(&res->subject, " %s", res->value.ptr);
done:
	refctl_node_free(saved);
	refctl_buf_release(&prospect);
	refctl_buf_release(&text);
	return error;
}

/* ---- on the store ---- */

int refctl_referral_new(struct refctl_referral_result *res, struct refctl_store *s,
			const struct refctl_referral_new_opts *o, const struct refctl_write_opts *opts)
{
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	int error;

	result_reset(res);
	if (!o->advocate || !*o->advocate)
		return refctl__error(REFCTL_EUSAGE, "a referral needs an advocate");
	if ((error = refctl_referral_new_check(o)) < 0)
		return error;
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, o->advocate, &rec)) < 0 ||
	    (error = refctl_referral_apply_new(res, rec, refctl_store_config(s), o)) < 0 ||
	    (error = refctl__txn_commit_record(t, rec, res->subject.ptr, res->body.ptr, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	return error;
}

int refctl_referral_change(struct refctl_referral_result *res, struct refctl_store *s,
			   const struct refctl_referral_change *ch, const struct refctl_write_opts *opts)
{
	struct refctl_buf advocate = REFCTL_BUF_INIT;
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	int error;

	result_reset(res);
	if ((error = refctl_referral_change_check(ch)) < 0 || (error = refctl_referral_id_parse(&advocate, ch->id)) < 0)
		goto done;
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, advocate.ptr, &rec)) < 0 ||
	    (error = refctl_referral_apply_change(res, rec, refctl_store_config(s), ch)) < 0 ||
	    (error = refctl__txn_commit_record(t, rec, res->subject.ptr, res->body.ptr, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	refctl_buf_release(&advocate);
	return error;
}
