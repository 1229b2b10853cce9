#ifndef REFCTL_REWARD_H
#define REFCTL_REWARD_H

/*
 * Reward points: entries of an advocate's `rewards` list. Positive points
 * are awards, negative ones redemptions; the balance (record.h,
 * refctl_advocate_balance) never goes below zero, so a redemption larger
 * than the balance is refused.
 */

#include "refctl/advocate.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* The largest award or redemption one entry may hold (the schema's limit). */
#define REFCTL_REWARD_MAX_POINTS 1000000L

/*
 * Append {id, date, points, reason, request} to rec's rewards (in memory)
 * and validate; *balance (may be NULL) gets the balance afterwards.
 * request may be NULL; the entry's id is request's, else a new one
 * (record.h's item ids). REFCTL_EINVALID if points is 0 or beyond
 * REFCTL_REWARD_MAX_POINTS, or reason is empty (REFCTL_EUSAGE if it is
 * NULL: not given); REFCTL_EREFUSED if a redemption is larger than the
 * balance. On error rec is unchanged.
 */
int refctl_reward_apply(long *balance, struct refctl_record *rec, long points, const char *reason,
			const char *request, refctl_date date);
/* The same for the item of another list: {id, ..., field: item} with field
 * "request" or "referral", and the id given (NULL: a new one). */
int refctl_reward_apply_item(long *balance, struct refctl_record *rec, long points, const char *reason,
			     const char *field, const char *item, const char *id, refctl_date date);

/* The same on the store, dated date: one commit of the advocate's file. */
int refctl_reward_add(long *balance, struct refctl_store *s, const char *advocate, long points,
		      const char *reason, refctl_date date, const struct refctl_write_opts *opts);

#endif
