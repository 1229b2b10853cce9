#ifndef REFCTL_VALUE_H
#define REFCTL_VALUE_H

/*
 * The value an advocate creates beyond their own purchases: the won deals
 * they influenced (their requests completed with outcome won) and their
 * won referrals, each opportunity counted once, beside the customer's own
 * yearly spend (account_value). Money is kept in integer cents, so sums
 * are exact; the definitions are in README.md (value, Definitions).
 */

#include <stddef.h>
#include <stdint.h>
#include "refctl/period.h"
#include "refctl/schema.h"

/*
 * Deals without double counting: each opportunity counts once, at the
 * largest value it was given; a deal without an opportunity counts alone.
 * Sums are in cents, clamped at INT64_MAX rather than overflowing.
 */
struct refctl_deals;
struct refctl_deals *refctl_deals_new(void);
/* A won deal worth cents (summed once per opportunity: its largest value). */
void refctl_deals_add(struct refctl_deals *d, const char *opportunity, int64_t cents);
/* The sum in cents, and in whole units (as the report prints money). */
int64_t refctl_deals_cents(const struct refctl_deals *d);
double refctl_deals_total(const struct refctl_deals *d);
/* How many deals: opportunities, plus the deals without one. */
size_t refctl_deals_count(const struct refctl_deals *d);
void refctl_deals_clear(struct refctl_deals *d);
void refctl_deals_free(struct refctl_deals *d);

/* 1 for a request that counts as a referral (activity referral). */
int refctl_request_is_referral(const struct refctl_request *q);

/*
 * Feed the won deals of a's requests and referrals closed in p into the
 * deals (any may be NULL): influenced gets the won requests (not
 * referrals), referrals the won referrals (records, and requests with
 * activity referral), created both. Returns how many deals were fed.
 */
size_t refctl_value_feed(struct refctl_deals *influenced, struct refctl_deals *referrals,
			 struct refctl_deals *created, const struct refctl_advocate *a,
			 const struct refctl_period *p);

/* One advocate's value in a period, in cents. */
struct refctl_advocate_value {
	int64_t influenced;    /* won requests' deal values, each opportunity once */
	int64_t referrals;     /* won referrals' values, each opportunity once */
	int64_t created;       /* both, each opportunity once across them */
	size_t ndeals;         /* won deals behind created */
	int64_t account_value; /* the customer's own yearly spend; REFCTL_MONEY_NONE when absent */
	double ratio;          /* created / account_value; NAN without an account_value above 0 */
};

/* a's value in p. */
void refctl_advocate_value(struct refctl_advocate_value *out, const struct refctl_advocate *a,
			   const struct refctl_period *p);

/* num / den as a ratio of amounts, NAN when den is not above 0. */
double refctl_value_ratio(int64_t num, int64_t den);

#endif
