/*
 * Reference requests: ids, the transition table, new requests and their
 * transitions (in memory and on the store), and reading them back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/request.h"
#include "refctl/reward.h"
#include "util.h"

/* ---- ids and values ---- */

int refctl_request_id_parse(struct refctl_buf *advocate, unsigned long *seq, const char *id)
{
	const char *slash = strchr(id, '/');
	char adv[64];
	size_t len;

	if (!slash || slash == id || (len = (size_t)(slash - id)) >= sizeof(adv))
		goto bad;
	memcpy(adv, id, len);
	adv[len] = '\0';
	if (!refctl_id_valid(adv) || !refctl_item_id_kind(seq, id, adv))
		goto bad;
	if (advocate) {
		refctl_buf_clear(advocate);
		refctl_buf_puts(advocate, adv);
	}
	return 0;
bad:
	return refctl__error(REFCTL_EUSAGE,
			     "'%s' is not a request id (expected ADVOCATE/YYMMDD-XXXXXXXX or ADVOCATE/N, such as acme-jane/261115-7kq2m9xd or acme-jane/3)",
			     id);
}

int refctl_request_next_id(struct refctl_buf *out, const struct refctl_advocate *a, refctl_date opened)
{
	int error;

	/* Drawn under the lock, and drawn again in the (2^-40) case that this
	 * file already has it: never a repeat within one history. */
	for (int tries = 0; tries < 64; tries++) {
		if ((error = refctl_item_id_new(out, a->id, opened)) < 0)
			return error;
		if (!refctl_advocate_request(a, out->ptr, NULL))
			return 0;
	}
	return refctl__error(REFCTL_EIO, "cannot draw a request id that %s does not have yet", a->id);
}

int refctl_request_value_check(const char *value)
{
	int64_t cents;

	if (refctl_money_parse(value, &cents) < 0)
		return refctl__error(REFCTL_EINVALID,
				     "deal value must be an amount from 0 to 10000000000000 with at most two decimals, such as 250000 or 1250.50, not '%s'",
				     value);
	return 0;
}

/* ---- the transition table ---- */

#define ST(s) (1u << REFCTL_REQ_##s)

static const struct verb {
	const char *name;       /* approve */
	const char *done;       /* approved */
	unsigned from;          /* statuses it applies to */
	const char *from_text;
	const char *article;    /* of from_text */
} verbs[] = {
	[REFCTL_REQUEST_APPROVE] = { "approve", "approved", ST(REQUESTED), "requested", "a" },
	[REFCTL_REQUEST_SCHEDULE] = { "schedule", "scheduled", ST(APPROVED), "approved", "an" },
	[REFCTL_REQUEST_DECLINE] = { "decline", "declined", ST(REQUESTED) | ST(APPROVED),
				     "requested or approved", "a" },
	[REFCTL_REQUEST_CANCEL] = { "cancel", "cancelled", ST(REQUESTED) | ST(APPROVED) | ST(SCHEDULED),
				    "requested, approved or scheduled", "a" },
	[REFCTL_REQUEST_COMPLETE] = { "complete", "completed", ST(APPROVED) | ST(SCHEDULED),
				      "approved or scheduled", "an" },
	[REFCTL_REQUEST_OUTCOME] = { "outcome", "given an outcome", ST(COMPLETED), "completed", "a" },
};

static const struct verb *verb_of(enum refctl_request_verb v)
{
	return v >= REFCTL_REQUEST_APPROVE && v <= REFCTL_REQUEST_OUTCOME ? &verbs[v] : NULL;
}

const char *refctl_request_verb_name(enum refctl_request_verb v)
{
	const struct verb *vb = verb_of(v);
	return vb ? vb->name : "";
}

int refctl_request_verb_allowed(enum refctl_request_verb v, int from)
{
	const struct verb *vb = verb_of(v);
	return vb && from >= REFCTL_REQ_REQUESTED && from <= REFCTL_REQ_CANCELLED &&
	       (vb->from & (1u << from)) != 0;
}

const char *refctl_request_verb_from(enum refctl_request_verb v)
{
	const struct verb *vb = verb_of(v);
	return vb ? vb->from_text : "";
}

/* ---- results ---- */

void refctl_request_result_init(struct refctl_request_result *r)
{
	memset(r, 0, sizeof(*r));
	refctl_buf_init(&r->approved_by);
	refctl_buf_init(&r->no_points);
	refctl_buf_init(&r->value);
	refctl_buf_init(&r->subject);
	refctl_buf_init(&r->body);
}

void refctl_request_result_release(struct refctl_request_result *r)
{
	if (!r)
		return;
	refctl_buf_release(&r->approved_by);
	refctl_buf_release(&r->no_points);
	refctl_buf_release(&r->value);
	refctl_buf_release(&r->subject);
	refctl_buf_release(&r->body);
}

static void result_reset(struct refctl_request_result *r)
{
	refctl_request_result_release(r);
	refctl_request_result_init(r);
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

/* Required: present and not empty. All: one line, as the schema wants. */
static int check_text(const char *what, const char *value, int required)
{
	if (required && (!value || !*value))
		return refctl__error(value ? REFCTL_EINVALID : REFCTL_EUSAGE, "a request needs a%s %s",
				     strchr("aeiou", what[0]) ? "n" : "", what);
	if (value && strchr(value, '\n'))
		return refctl__error(REFCTL_EINVALID, "%s must be a single line", what);
	return 0;
}


/* The request's scalar field as written, or NULL. */
static const char *field_of(const struct refctl_node *map, const char *key)
{
	const struct refctl_node *v = refctl_node_get(map, key);
	return v && v->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(v) ? v->str : NULL;
}

/* Today as the caller gave it, else the clock's (or REFCTL_TODAY). */
static int resolve_today(refctl_date *out, refctl_date given)
{
	*out = given;
	return given == REFCTL_DATE_NONE ? refctl_date_today(out) : 0;
}

/* ---- new ---- */

int refctl_request_new_check(const struct refctl_request_new_opts *o)
{
	int error;

	if ((error = check_text("prospect", o->prospect, 1)) < 0 ||
	    (error = check_text("requester", o->requester, 1)) < 0 ||
	    (error = check_text("activity", o->activity, 1)) < 0 ||
	    (error = check_text("opportunity", o->opportunity, 0)) < 0 ||
	    (error = check_text("industry", o->industry, 0)) < 0 ||
	    (error = check_text("region", o->region, 0)) < 0 ||
	    (error = check_text("product", o->product, 0)) < 0 ||
	    (error = refctl_activity_check(o->activity)) < 0 ||
	    (o->value && (error = refctl_request_value_check(o->value)) < 0))
		return error;
	if (o->force && !(o->reason && *o->reason))
		return refctl__error(o->reason ? REFCTL_EINVALID : REFCTL_EUSAGE, "forcing a request needs a reason");
	return 0;
}

/* refctl_request_apply_new() once its input is checked. */
static int apply_new(struct refctl_request_result *res, struct refctl_record *rec,
		     const struct refctl_config *cfg, const struct refctl_request_new_opts *o)
{
	struct refctl_avail_opts aopts = REFCTL_AVAIL_OPTS_INIT;
	struct refctl_availability av;
	struct refctl_buf activity = REFCTL_BUF_INIT, id = REFCTL_BUF_INIT, why = REFCTL_BUF_INIT;
	struct refctl_node *saved = NULL, *seq, *map;
	refctl_date today, opened;
	unsigned blocking;
	int error;

	result_reset(res);
	if ((error = resolve_today(&today, o->today)) < 0)
		goto done;
	opened = o->opened != REFCTL_DATE_NONE ? o->opened : today;
	refctl_vocab_norm(&activity, o->activity);

	/* The same rules as match, as of today; a request opened later is
	 * judged as of its opened date (its quarter, the rest before it). */
	aopts.today = opened > today ? opened : today;
	aopts.activity = activity.ptr;
	refctl_availability(&av, &rec->a, cfg, &aopts);
	memcpy(res->exclusions, av.exclusions, av.nexclusions * sizeof(av.exclusions[0]));
	res->nexclusions = av.nexclusions;
	refctl_avail_exclusions_text(&why, av.exclusions, av.nexclusions);
	blocking = o->force ? 0 : o->include_at_risk ? av.reasons & ~(unsigned)REFCTL_AVAIL_AT_RISK : av.reasons;
	if (blocking) {
		error = refctl__error(REFCTL_EREFUSED, "%s is not available for %s: %s (%s-m REASON records the request anyway)",
				      rec->a.id, activity.ptr, why.ptr,
				      blocking == REFCTL_AVAIL_AT_RISK ? "--include-at-risk or --force with " : "--force with ");
		goto done;
	}
	if (av.reasons && !(o->reason && *o->reason)) {
		/* force's reason is checked before the lock; the at-risk rule's
		 * only once the file says the advocate is at risk */
		error = refctl__error(REFCTL_EUSAGE, "including an at-risk advocate needs a reason (-m REASON)");
		goto done;
	}

	if ((error = refctl_request_next_id(&id, &rec->a, opened)) < 0)
		goto done;
	map = refctl_node_map();
	set_str(map, "id", id.ptr);
	set_date(map, "opened", opened);
	set_str(map, "requester", o->requester);
	set_str(map, "prospect", o->prospect);
	if (o->opportunity && *o->opportunity)
		set_str(map, "opportunity", o->opportunity);
	if (o->industry && *o->industry)
		set_str(map, "industry", o->industry);
	if (o->region && *o->region)
		set_str(map, "region", o->region);
	if (o->product && *o->product)
		set_str(map, "product", o->product);
	set_str(map, "activity", activity.ptr);
	set_str(map, "status", "requested");
	if (o->value)
		set_plain(map, "deal_value", o->value);
	if (av.reasons) {
		set_plain(map, "forced", "true");
		if (o->reason && *o->reason)
			set_str(map, "reason", o->reason);
	}

	saved = refctl_node_clone(rec->root);
	seq = refctl_node_get(rec->root, "requests");
	if (!seq || seq->kind != REFCTL_NODE_SEQ) {
		/* "requests:" with no value counts as an empty list */
		refctl_node_set(rec->root, "requests", refctl_node_seq());
		seq = refctl_node_get(rec->root, "requests");
	}
	refctl_node_append(seq, map);
	if ((error = refctl_record_validate_or_restore(rec, saved, 1)) < 0)
		goto done;

	snprintf(res->id, sizeof(res->id), "%s", id.ptr);
	res->status = REFCTL_REQ_REQUESTED;
	res->changed = 1;
	res->forced = av.reasons != 0;
	res->balance = refctl_advocate_balance(&rec->a);
	if (o->value)
		refctl_buf_puts(&res->value, o->value);
	refctl_buf_printf(&res->subject, "refctl: request %s for ", id.ptr);
	refctl__buf_first_line(&res->subject, o->prospect);
	refctl_buf_printf(&res->subject, " (%s)%s", activity.ptr, av.reasons ? ", forced" : "");
	if (av.reasons)
		refctl_buf_printf(&res->body, "Forced past the availability rules: %s\n", why.ptr);
done:
	refctl_node_free(saved);
	refctl_buf_release(&activity);
	refctl_buf_release(&id);
	refctl_buf_release(&why);
	return error;
}

int refctl_request_apply_new(struct refctl_request_result *res, struct refctl_record *rec,
			     const struct refctl_config *cfg, const struct refctl_request_new_opts *o)
{
	int error;

	result_reset(res);
	if ((error = refctl_request_new_check(o)) < 0)
		return error;
	return apply_new(res, rec, cfg, o);
}

/* ---- transitions ---- */

/* What a transition needs of the request before the tree changes under it. */
struct before {
	int status, outcome, forced;
	refctl_date opened;
	struct refctl_buf activity, prospect, reason, notes, value;
};

static int refuse(const struct refctl_request_change *ch, int status)
{
	const struct verb *vb = verb_of(ch->verb);
	if (ch->verb == REFCTL_REQUEST_OUTCOME)
		return refctl__error(REFCTL_EREFUSED,
				     "cannot record the outcome of %s: it is %s, not completed (complete it first)",
				     ch->id, refctl_req_status_name(status));
	return refctl__error(REFCTL_EREFUSED, "cannot %s %s: it is %s (only %s %s request can be %s)", vb->name,
			     ch->id, refctl_req_status_name(status), vb->article, vb->from_text, vb->done);
}

static int check_date_after_opened(const struct refctl_request_change *ch, const char *what,
				   refctl_date d, refctl_date opened)
{
	char a[11], b[11];
	if (d >= opened)
		return 0;
	return refctl__error(REFCTL_EINVALID, "cannot %s %s on %s: it was opened on %s", what, ch->id,
			     refctl_date_format(a, d), refctl_date_format(b, opened));
}

/* A name that can be a request id or a prefix of one: an advocate id (or,
 * without a '/', the start of one), then after a '/' the characters of an
 * id's number or token. */
static int name_check(const char *name)
{
	const char *slash = strchr(name, '/'), *p = name;
	char adv[64];
	size_t len = slash ? (size_t)(slash - name) : strlen(name);
	int ok = len > 0 && len < sizeof(adv) && *name != '-';

	if (ok && slash) {
		memcpy(adv, name, len);
		adv[len] = '\0';
		ok = refctl_id_valid(adv);
		p = slash + 1;
	}
	for (; ok && *p; p++)
		ok = (*p >= '0' && *p <= '9') || *p == '-' || (!slash && *p >= 'a' && *p <= 'z') ||
		     (slash && strchr("abcdefghjkmnpqrstvwxyz", *p));
	return ok ? 0 : refctl_request_id_parse(NULL, NULL, name);
}

int refctl_request_change_check(const struct refctl_request_change *ch)
{
	struct refctl_buf outcomes = REFCTL_BUF_INIT;
	int error = 0;

	if (!verb_of(ch->verb))
		return refctl__error(REFCTL_EUSAGE, "no transition given");
	if (!ch->id)
		return refctl__error(REFCTL_EUSAGE, "no request given");
	if ((error = name_check(ch->id)) < 0)
		return error;
	switch (ch->verb) {
	case REFCTL_REQUEST_APPROVE:
		break;
	case REFCTL_REQUEST_SCHEDULE:
		if (ch->date == REFCTL_DATE_NONE)
			return refctl__error(REFCTL_EUSAGE, "scheduling %s needs a date", ch->id);
		break;
	case REFCTL_REQUEST_DECLINE:
	case REFCTL_REQUEST_CANCEL:
		if (!ch->reason || !*ch->reason)
			return refctl__error(ch->reason ? REFCTL_EINVALID : REFCTL_EUSAGE, "%s %s needs a reason",
					     ch->verb == REFCTL_REQUEST_DECLINE ? "declining" : "cancelling", ch->id);
		break;
	case REFCTL_REQUEST_COMPLETE:
	case REFCTL_REQUEST_OUTCOME: {
		/* complete may leave the outcome to later, or say it is open */
		unsigned allowed = (1u << REFCTL_OUTCOME_WON) | (1u << REFCTL_OUTCOME_LOST);
		if (ch->verb == REFCTL_REQUEST_COMPLETE)
			allowed |= (1u << REFCTL_OUTCOME_NONE) | (1u << REFCTL_OUTCOME_OPEN);
		refctl_outcome_names(&outcomes, allowed & ~(1u << REFCTL_OUTCOME_NONE));
		if (!ch->outcome && !(allowed & 1u))
			error = refctl__error(REFCTL_EUSAGE, "recording the outcome of %s needs %s", ch->id,
					      outcomes.ptr);
		else if (ch->outcome < 0 || ch->outcome > REFCTL_OUTCOME_OPEN || !(allowed & (1u << ch->outcome)))
			error = refctl__error(REFCTL_EINVALID, "the outcome of %s must be %s, not '%s'", ch->id,
					      outcomes.ptr, refctl_outcome_name(ch->outcome));
		else if (ch->value)
			error = refctl_request_value_check(ch->value);
		break;
	}
	}
	refctl_buf_release(&outcomes);
	return error;
}

/* refctl_request_apply_change() once its input is checked. */
static int apply_change(struct refctl_request_result *res, struct refctl_record *rec,
			const struct refctl_config *cfg, const struct refctl_request_change *ch,
			const char *fallback_approver)
{
	struct before b = { 0, 0, 0, REFCTL_DATE_NONE, REFCTL_BUF_INIT, REFCTL_BUF_INIT, REFCTL_BUF_INIT,
			    REFCTL_BUF_INIT, REFCTL_BUF_INIT };
	struct refctl_buf text = REFCTL_BUF_INIT;
	struct refctl_node *saved = NULL, *map;
	const struct refctl_request *r;
	const struct verb *vb = verb_of(ch->verb);
	const char *approver = NULL;
	char day[11];
	refctl_date when = REFCTL_DATE_NONE;
	refctl_date today;
	size_t idx = 0;
	long points = 0;
	int error = 0;

	result_reset(res);
	if ((error = resolve_today(&today, ch->today)) < 0)
		goto done;
	if (!(r = refctl_advocate_request(&rec->a, ch->id, &idx))) {
		error = refctl__error(REFCTL_ENOTFOUND, "no request '%s' in %s", ch->id, rec->file);
		goto done;
	}
	b.status = r->status;
	b.outcome = r->outcome;
	b.forced = r->forced;
	b.opened = r->opened;
	refctl_buf_puts(&b.activity, r->activity ? r->activity : "");
	refctl_buf_puts(&b.prospect, r->prospect ? r->prospect : "");
	refctl_buf_puts(&b.reason, r->reason ? r->reason : "");
	refctl_buf_puts(&b.notes, r->notes ? r->notes : "");
	snprintf(res->id, sizeof(res->id), "%s", ch->id);
	if (!refctl_request_verb_allowed(ch->verb, b.status)) {
		error = refuse(ch, b.status);
		goto done;
	}

	/* What the input means for this request, before anything changes. */
	switch (ch->verb) {
	case REFCTL_REQUEST_APPROVE:
		approver = ch->by && *ch->by ? ch->by
			 : rec->a.account_owner && *rec->a.account_owner ? rec->a.account_owner
			 : fallback_approver && *fallback_approver ? fallback_approver : NULL;
		if (!approver) {
			error = refctl__error(REFCTL_EINVALID,
					      "who approves %s? %s names no account_owner and git has no user.name: use --by NAME",
					      ch->id, rec->file);
			goto done;
		}
		if ((error = check_text("approver", approver, 1)) < 0)
			goto done;
		break;
	case REFCTL_REQUEST_SCHEDULE:
		when = ch->date;
		if ((error = check_date_after_opened(ch, "schedule", when, b.opened)) < 0)
			goto done;
		break;
	case REFCTL_REQUEST_DECLINE:
	case REFCTL_REQUEST_CANCEL:
		/* a request planned for a later day closes on that day */
		when = today > b.opened ? today : b.opened;
		break;
	case REFCTL_REQUEST_COMPLETE:
		when = ch->date != REFCTL_DATE_NONE ? ch->date : today;
		if ((error = check_date_after_opened(ch, "complete", when, b.opened)) < 0)
			goto done;
		if (when > today) {
			/* only scheduling names a day to come */
			char a[11], t[11];
			error = refctl__error(REFCTL_EINVALID, "cannot complete %s on %s: that is after today (%s)",
					      ch->id, refctl_date_format(a, when), refctl_date_format(t, today));
			goto done;
		}
		points = refctl_config_points(cfg, b.activity.ptr);
		break;
	case REFCTL_REQUEST_OUTCOME:
		break;
	}

	saved = refctl_node_clone(rec->root);
	map = refctl_node_get(rec->root, "requests")->items[idx];
	if (field_of(map, "deal_value"))
		refctl_buf_puts(&b.value, field_of(map, "deal_value"));
	switch (ch->verb) {
	case REFCTL_REQUEST_APPROVE:
		set_str(map, "status", "approved");
		set_str(map, "approved_by", approver);
		refctl_buf_puts(&res->approved_by, approver);
		refctl_buf_printf(&res->subject, "refctl: approve %s by %s", ch->id, approver);
		break;
	case REFCTL_REQUEST_SCHEDULE:
		set_str(map, "status", "scheduled");
		set_date(map, "scheduled", when);
		refctl_buf_printf(&res->subject, "refctl: schedule %s for %s", ch->id,
				  refctl_date_format(day, when));
		break;
	case REFCTL_REQUEST_DECLINE:
	case REFCTL_REQUEST_CANCEL:
		set_str(map, "status", vb->done);
		set_date(map, "closed", when);
		if (b.reason.size && strcmp(b.reason.ptr, ch->reason)) {
			/* the earlier reason (why it was forced) moves to the notes */
			refctl_buf_clear(&text);
			if (b.notes.size)
				refctl_buf_printf(&text, "%s\n", b.notes.ptr);
			refctl_buf_printf(&text, "%s: %s", b.forced ? "forced" : "earlier reason", b.reason.ptr);
			set_str(map, "notes", text.ptr);
		}
		set_str(map, "reason", ch->reason);
		refctl_buf_printf(&res->subject, "refctl: %s %s: ", vb->name, ch->id);
		refctl__buf_first_line(&res->subject, ch->reason);
		break;
	case REFCTL_REQUEST_COMPLETE:
		set_str(map, "status", "completed");
		set_date(map, "closed", when);
		if (ch->outcome)
			set_str(map, "outcome", refctl_outcome_name(ch->outcome));
		if (ch->value)
			set_plain(map, "deal_value", ch->value);
		refctl_buf_printf(&res->subject, "refctl: complete %s", ch->id);
		if (ch->outcome)
			refctl_buf_printf(&res->subject, ": %s", refctl_outcome_name(ch->outcome));
		if (ch->outcome && (ch->value || b.value.size))
			refctl_buf_printf(&res->subject, " %s", ch->value ? ch->value : b.value.ptr);
		else if (ch->value)
			refctl_buf_printf(&res->subject, ": value %s", ch->value);
		break;
	case REFCTL_REQUEST_OUTCOME:
		if (ch->outcome == b.outcome && (!ch->value || !strcmp(ch->value, b.value.ptr))) {
			res->changed = 0; /* nothing to write */
			goto unchanged;
		}
		set_str(map, "outcome", refctl_outcome_name(ch->outcome));
		if (ch->value)
			set_plain(map, "deal_value", ch->value);
		refctl_buf_printf(&res->subject, "refctl: outcome %s: %s", ch->id, refctl_outcome_name(ch->outcome));
		if (ch->value || b.value.size)
			refctl_buf_printf(&res->subject, " %s", ch->value ? ch->value : b.value.ptr);
		break;
	}
	if ((error = refctl_record_validate_or_restore(rec, saved, 1)) < 0)
		goto done;
	if (points > 0 && !refctl_config_reward_eligible(&res->no_points, cfg, &rec->a)) {
		points = 0; /* the advocate may not accept rewards: none recorded */
		refctl_buf_printf(&res->body, "No points recorded: %s.\n", res->no_points.ptr);
	}
	if (points > 0) {
		refctl_buf_clear(&text);
		refctl_buf_printf(&text, "%s for ", b.activity.ptr);
		refctl__buf_first_line(&text, b.prospect.ptr);
		if ((error = refctl_reward_apply(NULL, rec, points, text.ptr, ch->id, when)) < 0) {
			char msg[1024];
			snprintf(msg, sizeof(msg), "%s", refctl_error_last());
			refctl_record_restore(rec, saved);
			refctl__error(error, "%s", msg);
			goto done;
		}
		res->points = points;
		refctl_buf_printf(&res->body, "Awarded %ld point%s for the %s.\n", points, points == 1 ? "" : "s",
				  b.activity.ptr);
	}
	res->changed = 1;
unchanged:
	r = refctl_advocate_request(&rec->a, ch->id, NULL);
	res->status = r->status;
	res->outcome = r->outcome;
	map = refctl_node_get(rec->root, "requests")->items[idx];
	if (field_of(map, "deal_value"))
		refctl_buf_puts(&res->value, field_of(map, "deal_value"));
	if (r->approved_by && !res->approved_by.size)
		refctl_buf_puts(&res->approved_by, r->approved_by);
	res->balance = refctl_advocate_balance(&rec->a);
done:
	refctl_node_free(saved);
	refctl_buf_release(&b.activity);
	refctl_buf_release(&b.prospect);
	refctl_buf_release(&b.reason);
	refctl_buf_release(&b.notes);
	refctl_buf_release(&b.value);
	refctl_buf_release(&text);
	return error;
}

int refctl_request_apply_change(struct refctl_request_result *res, struct refctl_record *rec,
				const struct refctl_config *cfg, const struct refctl_request_change *ch,
				const char *fallback_approver)
{
	int error;

	result_reset(res);
	if ((error = refctl_request_change_check(ch)) < 0)
		return error;
	return apply_change(res, rec, cfg, ch, fallback_approver);
}

/* ---- on the store ---- */

int refctl_request_new(struct refctl_request_result *res, struct refctl_store *s,
		       const struct refctl_request_new_opts *o, const struct refctl_write_opts *opts)
{
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	int error;

	result_reset(res);
	if (!o->advocate || !*o->advocate)
		return refctl__error(REFCTL_EUSAGE, "a request needs an advocate");
	if ((error = refctl_request_new_check(o)) < 0)
		return error;
	/* The lock next: the next id and the limits are read under it. */
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, o->advocate, &rec)) < 0 ||
	    (error = apply_new(res, rec, refctl_store_config(s), o)) < 0 ||
	    (error = refctl__txn_commit_record(t, rec, res->subject.ptr, res->body.ptr, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	return error;
}

int refctl_request_change(struct refctl_request_result *res, struct refctl_store *s,
			  const struct refctl_request_change *ch, const struct refctl_write_opts *opts)
{
	struct refctl_buf advocate = REFCTL_BUF_INIT, user = REFCTL_BUF_INIT, full = REFCTL_BUF_INIT;
	struct refctl_request_change named;
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	int error;

	result_reset(res);
	if ((error = refctl_request_change_check(ch)) < 0 ||
	    (error = refctl_request_resolve(&advocate, &full, s, ch->id)) < 0)
		goto done;
	named = *ch;
	named.id = full.ptr;
	ch = &named;
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, advocate.ptr, &rec)) < 0)
		goto done;
	if (ch->verb == REFCTL_REQUEST_APPROVE && !(ch->by && *ch->by) &&
	    !(rec->a.account_owner && *rec->a.account_owner) &&
	    (error = refctl_store_user_name(s, &user)) < 0)
		goto done;
	if ((error = apply_change(res, rec, refctl_store_config(s), ch, user.ptr)) < 0)
		goto done;
	if (res->changed && (error = refctl__txn_commit_record(t, rec, res->subject.ptr, res->body.ptr, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	refctl_buf_release(&advocate);
	refctl_buf_release(&user);
	refctl_buf_release(&full);
	return error;
}

/* ---- reading ---- */

const char *refctl_request_item_field(const struct refctl_request_item *it, const char *field)
{
	const char *v = it->node ? field_of(it->node, field) : NULL;
	return v ? v : "";
}

/* Copy request index of rec, whose tree is already in canonical order. */
static void item_copy(struct refctl_request_item *out, const struct refctl_record *rec, size_t index)
{
	const struct refctl_node *seq = refctl_node_get(refctl_record_tree(rec), "requests");
	const struct refctl_request *r = &rec->a.requests[index];

	out->advocate = refctl__strdup(rec->a.id);
	out->node = seq && index < seq->n ? refctl_node_clone(seq->items[index]) : NULL;
	out->seq = r->seq;
	out->opened = r->opened;
	out->status = r->status;
}

int refctl_request_item_from(struct refctl_request_item *out, struct refctl_record *rec, size_t index)
{
	memset(out, 0, sizeof(*out));
	if (index >= rec->a.nrequests)
		return refctl__error(REFCTL_ENOTFOUND, "%s has no request number %zu", rec->file, index + 1);
	refctl_record_canonicalize(rec);
	item_copy(out, rec, index);
	return 0;
}

void refctl_request_item_release(struct refctl_request_item *it)
{
	if (!it)
		return;
	free(it->advocate);
	refctl_node_free(it->node);
	memset(it, 0, sizeof(*it));
}

void refctl_request_items_release(struct refctl_request_items *items)
{
	for (size_t i = 0; i < items->n; i++)
		refctl_request_item_release(&items->v[i]);
	free(items->v);
	memset(items, 0, sizeof(*items));
}

/* ---- naming a request ---- */

struct candidates {
	char **v;
	size_t n, alloc;
	const char *exact; /* the candidate equal to the name, if any */
};

static void candidates_add(struct candidates *c, const struct refctl_advocate *a, const char *name, size_t len)
{
	for (size_t i = 0; i < a->nrequests; i++) {
		const char *id = a->requests[i].id;
		if (!id || strncmp(id, name, len))
			continue;
		REFCTL__ARRAY_GROW(c->v, c->n + 1, c->alloc);
		c->v[c->n++] = refctl__strdup(id);
		if (!id[len])
			c->exact = c->v[c->n - 1];
	}
}

static int candidates_from(struct refctl_store *s, const char *advocate, const char *name, struct candidates *c)
{
	struct refctl_record *rec = NULL;
	int error;

	if ((error = refctl_store_load(s, advocate, &rec)) < 0)
		return error;
	candidates_add(c, &rec->a, name, strlen(name));
	refctl_record_free(rec);
	return 0;
}

int refctl_request_resolve(struct refctl_buf *advocate, struct refctl_buf *id, struct refctl_store *s,
			   const char *name)
{
	struct candidates c = { NULL, 0, 0, NULL };
	const char *slash = strchr(name, '/');
	char **names = NULL;
	size_t nnames = 0;
	int error = 0;

	refctl_buf_clear(advocate);
	refctl_buf_clear(id);
	if (!*name)
		return refctl__error(REFCTL_EUSAGE, "no request given");
	if (slash) {
		/* ADVOCATE/PREFIX: only that advocate's requests can match */
		refctl_buf_put(advocate, name, (size_t)(slash - name));
		if (!refctl_id_valid(advocate->ptr)) {
			error = refctl_request_id_parse(NULL, NULL, name);
			goto done;
		}
		if ((error = candidates_from(s, advocate->ptr, name, &c)) < 0)
			goto done;
	} else {
		/* a prefix of advocate ids: every request of those advocates */
		if ((error = refctl_store_list(s, &names, &nnames)) < 0)
			goto done;
		for (size_t i = 0; i < nnames && error == 0; i++) {
			size_t len = strlen(names[i]);
			if (len <= 5 || strncmp(names[i], name, strlen(name)))
				continue;
			names[i][len - 5] = '\0'; /* the stem of NAME.yaml */
			if (refctl_id_valid(names[i]))
				error = candidates_from(s, names[i], name, &c);
		}
		if (error < 0)
			goto done;
	}
	if (c.exact || c.n == 1) {
		const char *full = c.exact ? c.exact : c.v[0];
		refctl_buf_clear(advocate);
		refctl_buf_put(advocate, full, (size_t)(strchr(full, '/') - full));
		refctl_buf_puts(id, full);
	} else if (c.n == 0) {
		struct refctl_buf file = REFCTL_BUF_INIT;
		if (slash) {
			refctl_store_path(&file, advocate->ptr);
			error = refctl__error(REFCTL_ENOTFOUND, "no request '%s' in %s", name, file.ptr);
		} else {
			error = refctl__error(REFCTL_ENOTFOUND, "no request id starts with '%s'", name);
		}
		refctl_buf_release(&file);
	} else {
		struct refctl_buf list = REFCTL_BUF_INIT;
		for (size_t i = 0; i < c.n && i < 10; i++)
			refctl_buf_printf(&list, "%s%s", i ? ", " : "", c.v[i]);
		if (c.n > 10)
			refctl_buf_printf(&list, " and %zu more", c.n - 10);
		error = refctl__error(REFCTL_EUSAGE, "request '%s' is ambiguous: it could be %s", name, list.ptr);
		refctl_buf_release(&list);
	}
done:
	if (error < 0) {
		refctl_buf_clear(advocate);
		refctl_buf_clear(id);
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	refctl_store_list_free(names, nnames);
	return error;
}

int refctl_request_get(struct refctl_request_item *out, struct refctl_store *s, const char *id)
{
	struct refctl_buf advocate = REFCTL_BUF_INIT, full = REFCTL_BUF_INIT;
	struct refctl_record *rec = NULL;
	size_t idx;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = refctl_request_resolve(&advocate, &full, s, id)) < 0 ||
	    (error = refctl_store_load(s, advocate.ptr, &rec)) < 0)
		goto done;
	if (!refctl_advocate_request(&rec->a, full.ptr, &idx)) {
		error = refctl__error(REFCTL_ENOTFOUND, "no request '%s' in %s", full.ptr, rec->file);
		goto done;
	}
	error = refctl_request_item_from(out, rec, idx);
done:
	refctl_record_free(rec);
	refctl_buf_release(&advocate);
	refctl_buf_release(&full);
	return error;
}

/* 1 if have is one of the n wanted values (any case; as vocabulary if vocab). */
static int any_of(const char *const *want, size_t n, const char *have, int vocab)
{
	if (!have)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (vocab ? refctl_vocab_eq(want[i], have) : !refctl__strcasecmp(want[i], have))
			return 1;
	return 0;
}

int refctl_request_filter_match(const struct refctl_request_filter *f, const char *advocate,
				const struct refctl_request *r)
{
	if (f->statuses && !(r->status > 0 && (f->statuses & (1u << r->status))))
		return 0;
	if (f->advocate && (!advocate || strcmp(f->advocate, advocate)))
		return 0;
	if (f->outcomes && !(r->outcome > 0 && (f->outcomes & (1u << r->outcome))))
		return 0;
	if (f->nrequesters && !any_of(f->requesters, f->nrequesters, r->requester, 0))
		return 0;
	if (f->nactivities && !any_of(f->activities, f->nactivities, r->activity, 1))
		return 0;
	if (f->nprospects && !any_of(f->prospects, f->nprospects, r->prospect, 0))
		return 0;
	if (f->since != REFCTL_DATE_NONE && (r->opened == REFCTL_DATE_NONE || r->opened < f->since))
		return 0;
	if (f->until != REFCTL_DATE_NONE && (r->opened == REFCTL_DATE_NONE || r->opened > f->until))
		return 0;
	return 1;
}

struct list_ctx {
	const struct refctl_request_filter *f;
	struct refctl_request_items *out;
	refctl_store_bad_fn bad;
	void *payload;
};

static void collect(struct list_ctx *lc, struct refctl_record *rec)
{
	int canonical = 0;

	for (size_t i = 0; i < rec->a.nrequests; i++) {
		if (!refctl_request_filter_match(lc->f, rec->a.id, &rec->a.requests[i]))
			continue;
		if (!canonical) {
			refctl_record_canonicalize(rec);
			canonical = 1;
		}
		REFCTL__ARRAY_GROW(lc->out->v, lc->out->n + 1, lc->out->alloc);
		item_copy(&lc->out->v[lc->out->n++], rec, i);
	}
}

static int list_visit(const struct refctl_record *rec, void *payload)
{
	/* The walk frees the record after this call: putting its fields in
	 * canonical order before copying them changes nothing it keeps. */
	collect(payload, (struct refctl_record *)rec);
	return 0;
}

static void list_bad(const char *file, const char *error, void *payload)
{
	struct list_ctx *lc = payload;
	if (lc->bad)
		lc->bad(file, error, lc->payload);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct refctl_request_item *a = pa, *b = pb;
	int c;

	if (a->opened != b->opened)
		return a->opened < b->opened ? -1 : 1;
	if ((c = strcmp(a->advocate, b->advocate)))
		return c;
	if (a->seq && b->seq)
		return a->seq < b->seq ? -1 : a->seq > b->seq;
	/* ids of one advocate and day: older N ones first, then by token */
	if (!a->seq != !b->seq)
		return a->seq ? -1 : 1;
	return strcmp(refctl_request_item_field(a, "id"), refctl_request_item_field(b, "id"));
}

int refctl_request_list(struct refctl_request_items *out, struct refctl_store *s,
			const struct refctl_request_filter *f, refctl_store_bad_fn bad, void *payload)
{
	struct list_ctx lc = { f, out, bad, payload };
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (f->advocate) {
		struct refctl_record *rec = NULL;
		if ((error = refctl_store_load(s, f->advocate, &rec)) < 0)
			return error;
		collect(&lc, rec);
		refctl_record_free(rec);
	} else if ((error = refctl_store_foreach(s, list_visit, list_bad, &lc)) < 0) {
		refctl_request_items_release(out);
		return error;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), item_cmp);
	return 0;
}
