/*
 * Advocate value: the won deals an advocate influenced and the referrals
 * they won, each opportunity counted once, in exact cents.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/value.h"
#include "util.h"

/* ---- deals: opportunity -> its largest value ---- */

struct deal {
	char *opportunity;
	int64_t cents;
};

struct refctl_deals {
	struct deal *v; /* open addressing; NULL opportunity: an empty slot */
	size_t n, cap;
	int64_t alone;  /* cents of deals without an opportunity */
	size_t nalone;
	int overflow;   /* a sum went past INT64_MAX: the total is clamped */
};

struct refctl_deals *refctl_deals_new(void)
{
	return refctl__calloc(1, sizeof(struct refctl_deals));
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct deal *slot(struct deal *v, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (v[i].opportunity && strcmp(v[i].opportunity, key))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* a + b, clamped at INT64_MAX (amounts are never negative) */
static int64_t add_cents(int64_t a, int64_t b, int *overflow)
{
	int64_t sum;
	if (__builtin_add_overflow(a, b, &sum)) {
		*overflow = 1;
		return INT64_MAX;
	}
	return sum;
}

void refctl_deals_add(struct refctl_deals *d, const char *opportunity, int64_t cents)
{
	struct deal *e;

	if (!d)
		return;
	if (cents < 0)
		cents = 0;
	if (!opportunity || !*opportunity) {
		d->alone = add_cents(d->alone, cents, &d->overflow);
		d->nalone++;
		return;
	}
	if ((d->n + 1) * 4 > d->cap * 3) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct deal *nv = refctl__calloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < d->cap; i++)
			if (d->v[i].opportunity)
				*slot(nv, ncap, d->v[i].opportunity) = d->v[i];
		free(d->v);
		d->v = nv;
		d->cap = ncap;
	}
	e = slot(d->v, d->cap, opportunity);
	if (!e->opportunity) {
		e->opportunity = refctl__strdup(opportunity);
		e->cents = cents;
		d->n++;
	} else if (cents > e->cents) {
		e->cents = cents;
	}
}

int64_t refctl_deals_cents(const struct refctl_deals *d)
{
	int64_t sum = d->alone;
	int overflow = d->overflow;

	for (size_t i = 0; i < d->cap; i++)
		if (d->v[i].opportunity)
			sum = add_cents(sum, d->v[i].cents, &overflow);
	return sum;
}

double refctl_deals_total(const struct refctl_deals *d)
{
	return (double)refctl_deals_cents(d) / 100.0;
}

size_t refctl_deals_count(const struct refctl_deals *d)
{
	return d->n + d->nalone;
}

void refctl_deals_clear(struct refctl_deals *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->cap; i++)
		free(d->v[i].opportunity);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

void refctl_deals_free(struct refctl_deals *d)
{
	refctl_deals_clear(d);
	free(d);
}

/* ---- an advocate's value ---- */

int refctl_request_is_referral(const struct refctl_request *q)
{
	return q->activity && !strcmp(q->activity, "referral");
}

static int in_period(refctl_date d, const struct refctl_period *p)
{
	return d != REFCTL_DATE_NONE && d >= p->from && d <= p->to;
}

size_t refctl_value_feed(struct refctl_deals *influenced, struct refctl_deals *referrals,
			 struct refctl_deals *created, const struct refctl_advocate *a,
			 const struct refctl_period *p)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nrequests; i++) {
		const struct refctl_request *q = &a->requests[i];
		int64_t cents = q->deal_value != REFCTL_MONEY_NONE ? q->deal_value : 0;
		if (q->status != REFCTL_REQ_COMPLETED || q->outcome != REFCTL_OUTCOME_WON || !in_period(q->closed, p))
			continue;
		refctl_deals_add(refctl_request_is_referral(q) ? referrals : influenced, q->opportunity, cents);
		refctl_deals_add(created, q->opportunity, cents);
		n++;
	}
	for (size_t i = 0; i < a->nreferrals; i++) {
		const struct refctl_referral *x = &a->referrals[i];
		int64_t cents = x->value != REFCTL_MONEY_NONE ? x->value : 0;
		if (x->status != REFCTL_REF_WON || !in_period(x->closed, p))
			continue;
		refctl_deals_add(referrals, x->opportunity, cents);
		refctl_deals_add(created, x->opportunity, cents);
		n++;
	}
	return n;
}

double refctl_value_ratio(int64_t num, int64_t den)
{
	return den > 0 && den != REFCTL_MONEY_NONE ? (double)num / (double)den : NAN;
}

void refctl_advocate_value(struct refctl_advocate_value *out, const struct refctl_advocate *a,
			   const struct refctl_period *p)
{
	struct refctl_deals influenced = { 0 }, referrals = { 0 }, created = { 0 };

	memset(out, 0, sizeof(*out));
	refctl_value_feed(&influenced, &referrals, &created, a, p);
	out->influenced = refctl_deals_cents(&influenced);
	out->referrals = refctl_deals_cents(&referrals);
	out->created = refctl_deals_cents(&created);
	out->ndeals = refctl_deals_count(&created);
	out->account_value = a->account_value;
	out->ratio = refctl_value_ratio(out->created, a->account_value);
	refctl_deals_clear(&influenced);
	refctl_deals_clear(&referrals);
	refctl_deals_clear(&created);
}
