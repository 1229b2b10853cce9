/* Reward points: manual awards and redemptions, and the entry `complete` adds. */
#include <stdio.h>
#include <string.h>

#include "refctl/reward.h"
#include "util.h"

/* An id no reward of a has: drawn again in the (2^-40) case that it has. */
static int new_reward_id(struct refctl_buf *out, const struct refctl_advocate *a, refctl_date date)
{
	int error;

	for (int tries = 0; tries < 64; tries++) {
		size_t i = 0;
		if ((error = refctl_item_id_new(out, a->id, date)) < 0)
			return error;
		while (i < a->nrewards && !(a->rewards[i].id && !strcmp(a->rewards[i].id, out->ptr)))
			i++;
		if (i == a->nrewards)
			return 0;
	}
	return refctl__error(REFCTL_EIO, "cannot draw a reward id that %s does not have yet", a->id);
}

int refctl_reward_apply(long *balance, struct refctl_record *rec, long points, const char *reason,
			const char *request, refctl_date date)
{
	/* A request's reward takes the request's id: the same completion made
	 * on two branches is then one reward once they are merged. */
	return refctl_reward_apply_item(balance, rec, points, reason, "request", request, request, date);
}

int refctl_reward_apply_item(long *balance, struct refctl_record *rec, long points, const char *reason,
			     const char *field, const char *request, const char *given_id, refctl_date date)
{
	struct refctl_buf id = REFCTL_BUF_INIT;
	struct refctl_node *seq, *entry;
	char buf[32];
	long before;
	int error, created = 0;

	if (balance)
		*balance = 0;
	if (points == 0)
		return refctl__error(REFCTL_EINVALID, "points must not be 0");
	if (points > REFCTL_REWARD_MAX_POINTS || points < -REFCTL_REWARD_MAX_POINTS)
		return refctl__error(REFCTL_EINVALID, "points must be from -%ld to %ld, not %ld",
				     REFCTL_REWARD_MAX_POINTS, REFCTL_REWARD_MAX_POINTS, points);
	if (!reason || !*reason)
		return refctl__error(reason ? REFCTL_EINVALID : REFCTL_EUSAGE, "a reward needs a reason");
	if (date == REFCTL_DATE_NONE)
		return refctl__error(REFCTL_EINVALID, "a reward needs a date");
	before = refctl_advocate_balance(&rec->a);
	if (points < 0 && before + points < 0)
		return refctl__error(REFCTL_EREFUSED,
				     "cannot redeem %ld points: %s has a balance of %ld point%s", -points,
				     rec->a.id, before, before == 1 ? "" : "s");

	if (given_id)
		refctl_buf_puts(&id, given_id);
	else if ((error = new_reward_id(&id, &rec->a, date)) < 0)
		return error;
	seq = refctl_node_get(rec->root, "rewards");
	if (!seq || seq->kind != REFCTL_NODE_SEQ) {
		/* "rewards:" with no value counts as an empty list */
		refctl_node_set(rec->root, "rewards", refctl_node_seq());
		seq = refctl_node_get(rec->root, "rewards");
		created = 1;
	}
	entry = refctl_node_map();
	refctl_node_set(entry, "id", refctl_node_scalar(id.ptr, 1));
	refctl_buf_release(&id);
	refctl_node_set(entry, "date", refctl_node_scalar(refctl_date_format(buf, date), 0));
	snprintf(buf, sizeof(buf), "%ld", points);
	refctl_node_set(entry, "points", refctl_node_scalar(buf, 0));
	refctl_node_set(entry, "reason", refctl_node_scalar(reason, 1));
	if (request)
		refctl_node_set(entry, field, refctl_node_scalar(request, 1));
	refctl_node_append(seq, entry);
	if ((error = refctl_record_validate(rec, NULL)) < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", refctl_error_last_message());
		refctl_node_free(seq->items[--seq->n]);
		if (created)
			refctl_node_remove(rec->root, "rewards");
		refctl_record_validate(rec, NULL);
		return refctl__error(error, "%s", msg);
	}
	if (balance)
		*balance = refctl_advocate_balance(&rec->a);
	return 0;
}

int refctl_reward_add(long *balance, struct refctl_store *s, const char *advocate, long points,
		      const char *reason, refctl_date date, const struct refctl_write_opts *opts)
{
	struct refctl_record *rec = NULL;
	struct refctl_buf subject = REFCTL_BUF_INIT, why = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	int error;

	if (balance)
		*balance = 0;
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, advocate, &rec)) < 0)
		goto done;
	if (points > 0 && !refctl_config_reward_eligible(&why, refctl_store_config(s), &rec->a)) {
		error = refctl__error(REFCTL_EREFUSED, "%s may not be rewarded: %s; no points recorded", advocate,
				      why.ptr);
		goto done;
	}
	if ((error = refctl_reward_apply(balance, rec, points, reason, NULL, date)) < 0)
		goto done;
	if (points > 0)
		refctl_buf_printf(&subject, "refctl: reward %s %ld point%s: ", advocate, points,
				  points == 1 ? "" : "s");
	else
		refctl_buf_printf(&subject, "refctl: redeem %ld point%s from %s: ", -points,
				  points == -1 ? "" : "s", advocate);
	refctl__buf_first_line(&subject, reason);
	if ((error = refctl_txn_put_record(t, rec)) < 0 ||
	    (error = refctl_txn_commit(t, subject.ptr, opts ? opts->message : NULL)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	refctl_buf_release(&subject);
	refctl_buf_release(&why);
	return error;
}
