#ifndef REFCTL_REPORT_H
#define REFCTL_REPORT_H

/*
 * The program report: every figure of one period and of the period of the
 * same length before it, computed in one pass over the advocates (and one
 * walk of the history of advocates/), as plain data: the renderers
 * (refctl/report_render.h) read it, nothing here knows them. The
 * definitions are in README.md (report, Definitions).
 *
 * Rates and medians are doubles that are NAN when they are undefined (an
 * empty denominator, no completed request): the renderers print null.
 * Nothing here ever holds an advocate's email or phone.
 */

#include <stddef.h>
#include <stdint.h>
#include "refctl/config.h"
#include "refctl/period.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* A breakdown entry: a key (a normalised vocabulary value, a requester or
 * an activity) and its count. Lists are sorted by count, then key. */
struct refctl_report_count {
	char *key;
	long n;
};

struct refctl_report_counts {
	struct refctl_report_count *v;
	size_t n;
};

/* "(none)": the key of requests whose advocate has no region, industry ... */
#define REFCTL_REPORT_NONE "(none)"

struct refctl_report_top {
	char *id, *name, *company;
	long requests;
};

struct refctl_report_overused {
	char *id;
	long engagements, limit;
};

enum {
	REFCTL_RISK_NPS = 1 << 0,
	REFCTL_RISK_HEALTH = 1 << 1,   /* health red */
	REFCTL_RISK_CONTACT = 1 << 2,  /* last contact too long before the end */
};

struct refctl_report_risk {
	char *id;
	unsigned reasons;
	int nps;
	refctl_date last_contact;
};

struct refctl_report_consent {
	char *id;
	refctl_date until;
};

/* One row of coverage: demand for an industry or product against supply. */
struct refctl_report_cover {
	char *key;
	long requests, advocates, declined;
	double per_advocate; /* requests / advocates; NAN when no active advocate */
};

enum refctl_change_kind {
	REFCTL_CHANGE_ADDED,
	REFCTL_CHANGE_RETIRED,  /* status changed to retired */
	REFCTL_CHANGE_EDITED,
	REFCTL_CHANGE_REMOVED,  /* file deleted */
	REFCTL_CHANGE_NKINDS
};

/* One advocate's changes of one kind in the period. */
struct refctl_report_roster {
	char *id;
	long commits;
	char **by; /* committer names, sorted, distinct */
	size_t nby;
};

/* The figures of one period. Lists are filled for the report's own period;
 * for the previous one only the counts are kept. */
struct refctl_report_figures {
	struct refctl_period period;
	long opened, completed, declined, cancelled, open_at_end;
	double fulfilment_rate, median_days;
	long won, lost;
	double win_rate, revenue;
	long referrals, referrals_won;
	double referrals_value;
	long total, active, new_advocates, used;
	double utilisation;
	long noverused, nat_risk, nconsent;
	long awarded, redeemed;
	long changes[REFCTL_CHANGE_NKINDS]; /* distinct advocates per kind */

	struct refctl_report_counts by_activity, by_region, by_industry, by_requester;
	struct refctl_report_top *top;
	size_t ntop;
	struct refctl_report_overused *overused;
	struct refctl_report_risk *at_risk;
	struct refctl_report_consent *consent;
	struct refctl_report_cover *industries, *products;
	size_t nindustries, nproducts;
	struct refctl_report_roster *roster[REFCTL_CHANGE_NKINDS];
	size_t nroster[REFCTL_CHANGE_NKINDS];
	refctl_date quarter_start; /* of the quarter holding period.to */
	refctl_date consent_by;    /* period.to + consent_warning_days */
};

struct refctl_report_priv;

struct refctl_report {
	char *program;
	size_t left_out;        /* advocate files that did not parse */
	int64_t stamp;          /* generation time to print, or 0 for none */
	int raw_csv;            /* CSV cells as stored, no formula guard */
	int top_n;
	int at_risk_nps, at_risk_contact_days, consent_warning_days;
	refctl_date months_from; /* first of the 12 months of by_month */
	long by_month[12];      /* requests opened per month, the last ending at cur.period.to */
	struct refctl_report_figures cur, prev;
	struct refctl_report_priv *priv; /* accumulation state, NULL once finished */
};

typedef void (*refctl_report_bad_fn)(const char *file, const char *error, void *payload);

struct refctl_report_opts {
	struct refctl_period period;
	int top;                 /* how many top advocates, default 5 */
	int64_t stamp;           /* print this generation time (seconds), 0: none */
	refctl_report_bad_fn bad; /* told about every file left out */
	void *payload;
	int raw_csv;             /* CSV: cells as stored, formula-like ones not neutralised */
};
#define REFCTL_REPORT_OPTS_INIT { { REFCTL_DATE_NONE, REFCTL_DATE_NONE }, 5, 0, NULL, NULL, 0 }

/* Compute the report of a store: every advocate, then the history. */
int refctl_report_compute(struct refctl_report **out, struct refctl_store *s,
			  const struct refctl_report_opts *opts);

/* The same in steps, without a store (for tests and other front ends):
 * new, then add each advocate and each change, then finish. cfg (not NULL)
 * is borrowed until refctl_report_finish(). */
struct refctl_report *refctl_report_new(const struct refctl_config *cfg,
					const struct refctl_report_opts *opts);
void refctl_report_add(struct refctl_report *r, const struct refctl_advocate *a);
void refctl_report_add_left_out(struct refctl_report *r);
int refctl_report_add_change(struct refctl_report *r, const struct refctl_change *c);
void refctl_report_finish(struct refctl_report *r);
void refctl_report_free(struct refctl_report *r);

/* The window of history the report reads, in seconds since the epoch:
 * [previous period's first day 00:00 UTC, period's last day + 1 00:00 UTC). */
void refctl_report_history_window(const struct refctl_report *r, int64_t *from, int64_t *to);

/* ---- the metric functions, exposed for their unit tests ---- */

/* num / den, or NAN when den is 0. */
double refctl_report_rate(long num, long den);
/* The median of v (sorted in place); the mean of the middle two when n is
 * even; NAN when n is 0. */
double refctl_report_median(int *v, size_t n);

/* Revenue without double counting: each opportunity counts once, at the
 * largest value among its requests; a request without one counts alone.
 * Values are kept in cents so sums are exact. */
struct refctl_deals;
struct refctl_deals *refctl_deals_new(void);
/* A won deal worth cents (summed once per opportunity: its largest value). */
void refctl_deals_add(struct refctl_deals *d, const char *opportunity, int64_t cents);
double refctl_deals_total(const struct refctl_deals *d);
void refctl_deals_free(struct refctl_deals *d);

/* The headline figures, in the order the trend shows them. */
enum refctl_report_kind {
	REFCTL_REPORT_COUNT,
	REFCTL_REPORT_RATE,
	REFCTL_REPORT_DAYS,
	REFCTL_REPORT_MONEY,
	REFCTL_REPORT_POINTS,
};

struct refctl_report_headline {
	const char *section, *metric, *label;
	enum refctl_report_kind kind;
};

extern const struct refctl_report_headline refctl_report_headlines[];
extern const size_t refctl_report_nheadlines;
/* The value of headline i in f (NAN when undefined). */
double refctl_report_headline_value(const struct refctl_report_figures *f, size_t i);

extern const char *const refctl_change_kind_names[REFCTL_CHANGE_NKINDS];

#endif
