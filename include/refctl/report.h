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
#include "refctl/value.h"

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

/* An advocate by value created in the period (value.h). */
struct refctl_report_value {
	char *id, *name, *company;
	double influenced, referrals, created; /* money */
	double account_value;                 /* NAN when the advocate has none */
	double ratio;                         /* created / account_value; NAN without one */
};

struct refctl_report_overused {
	char *id, *name, *company;
	long engagements, limit;
};

enum {
	REFCTL_RISK_NPS = 1 << 0,
	REFCTL_RISK_HEALTH = 1 << 1,   /* health red */
	REFCTL_RISK_CONTACT = 1 << 2,  /* last contact too long before the end */
};

struct refctl_report_risk {
	char *id, *name, *company;
	unsigned reasons;
	int nps;
	refctl_date last_contact;
};

struct refctl_report_consent {
	char *id, *name, *company;
	refctl_date until;
};

/* One program of the comparison: an advocate in two programs counts in both. */
struct refctl_report_program {
	char *name;             /* the normalised program name, or "(none)" */
	long advocates, active, opened, completed, declined, at_risk;
	double fulfilment;      /* completed / (completed + declined); NAN when 0 */
	double revenue;         /* won deals closed in P, each opportunity once within the program */
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
	REFCTL_CHANGE_EDITED,   /* a field of the record changed, not only its lists of activity */
	REFCTL_CHANGE_REMOVED,  /* file deleted */
	REFCTL_CHANGE_REQUESTS, /* only requests, referrals or rewards changed: not a roster edit */
	REFCTL_CHANGE_NKINDS
};

/* One advocate's changes of one kind in the period. */
struct refctl_report_roster {
	char *id;
	char *name; /* "Name, Company" from the file as the commit left it (before, if removed), or NULL */
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
	double value_created;      /* won requests and referrals, each opportunity once */
	double value_account;      /* the sum of account_value over the advocates that have one */
	double value_ratio;        /* value created by those advocates / value_account; NAN when 0 */
	long nvalued;              /* advocates with an account_value above 0 */
	long total, active, new_advocates, used;
	double utilisation;
	long noverused, nat_risk, nconsent;
	long awarded, redeemed;
	long changes[REFCTL_CHANGE_NKINDS]; /* distinct advocates per kind */

	struct refctl_report_counts by_activity, by_region, by_industry, by_requester;
	struct refctl_report_top *top;
	size_t ntop;
	struct refctl_report_value *top_value; /* by value created, highest first; created > 0 only */
	size_t ntop_value;
	struct refctl_report_overused *overused;
	struct refctl_report_risk *at_risk;
	struct refctl_report_consent *consent;
	struct refctl_report_cover *industries, *products;
	size_t nindustries, nproducts;
	struct refctl_report_program *programs; /* most advocates first, then by name */
	size_t nprograms;
	struct refctl_report_roster *roster[REFCTL_CHANGE_NKINDS];
	size_t nroster[REFCTL_CHANGE_NKINDS];
	refctl_date quarter_start; /* of the quarter holding period.to */
	refctl_date consent_by;    /* period.to + consent_warning_days */
};

/* One content item the report names. */
struct refctl_report_content_item {
	char *id, *kind, *lang, *title;
	refctl_date date; /* published: created; expiring: expires */
};

/* A coverage gap of the content library: a product with content, and a
 * language that active advocates using it speak but no item about it is in. */
struct refctl_report_gap {
	char *product, *lang; /* normalised */
	long advocates;       /* active advocates with the product who speak the language */
};

/* The content library in the period (README, Definitions). Items of the
 * advocates the report selects; empty when they have none. */
struct refctl_report_content {
	long items;                   /* content items */
	long published;               /* created in the period */
	long expiring;                /* expiring after period.to, up to expiring_by */
	long used;                    /* uses dated in the period */
	refctl_date expiring_by;      /* period.to + report.consent_warning_days */
	struct refctl_report_content_item *published_items; /* newest first, then id */
	struct refctl_report_content_item *expiring_items;  /* soonest first, then id */
	struct refctl_report_counts used_by_kind;
	struct refctl_report_gap *gaps; /* most advocates first, then product, language */
	size_t ngaps;
};

struct refctl_report_content_acc;
struct refctl_report_priv;
struct refctl_report_strings;

/* The most key figures a report opens with. */
#define REFCTL_REPORT_MAXKEY 32

/* The report's sections, as an audience lists them in refctl.yaml. */
enum refctl_report_section {
	REFCTL_SECTION_KEY_FIGURES,  /* the headline figures an audience watches (HTML: cards) */
	REFCTL_SECTION_CHARTS,       /* HTML only */
	REFCTL_SECTION_HEADLINES,    /* the headline table beside the previous period */
	REFCTL_SECTION_REQUESTS,
	REFCTL_SECTION_ADVOCATES,
	REFCTL_SECTION_VALUE,
	REFCTL_SECTION_PROGRAMS,
	REFCTL_SECTION_COVERAGE,
	REFCTL_SECTION_ROSTER,
	REFCTL_SECTION_CONTENT,      /* shown when the advocates have content */
	REFCTL_SECTION_COUNT
};
extern const char *const refctl_report_section_names[REFCTL_SECTION_COUNT];

struct refctl_report {
	char *program;          /* the name the audience knows the program by */
	char *audience;         /* --for's audience, or NULL for the full report */
	char *title;            /* "report", or the audience's title */
	char *filter;           /* "program emea-references" / "region emea", or NULL */
	char currency[4];       /* ISO 4217, of every money figure */
	size_t left_out;        /* advocate files that did not parse */
	int64_t stamp;          /* generation time to print, or 0 for none */
	int raw_csv;            /* CSV cells as stored, no formula guard */
	int top_n;
	int max_rows;           /* rows a table shows in text, Markdown and HTML before "and N more" */
	size_t key[REFCTL_REPORT_MAXKEY]; /* the key figures, indexes of refctl_report_headlines */
	size_t nkey;
	size_t heads[REFCTL_REPORT_MAXKEY]; /* the rows of the headline table, likewise */
	size_t nheads;
	unsigned char sections[REFCTL_SECTION_COUNT]; /* in order */
	size_t nsections;
	int at_risk_nps, at_risk_contact_days, consent_warning_days;
	refctl_date months_from; /* first of the 12 months of by_month */
	long by_month[12];      /* requests opened per month, the last ending at cur.period.to */
	struct refctl_report_figures cur, prev;
	struct refctl_report_content content; /* of the period */
	struct refctl_report_priv *priv; /* accumulation state, NULL once finished */
	struct refctl_report_content_acc *content_acc; /* likewise, for the content */
	struct refctl_report_strings *strings; /* owns the change lists' strings */
};

typedef void (*refctl_report_bad_fn)(const char *file, const char *error, void *payload);

struct refctl_report_opts {
	struct refctl_period period;
	int top;                 /* how many top advocates, default 5 */
	int64_t stamp;           /* print this generation time (seconds), 0: none */
	refctl_report_bad_fn bad; /* told about every file left out */
	void *payload;
	int raw_csv;             /* CSV: cells as stored, formula-like ones not neutralised */
	const char *audience;    /* one of refctl.yaml's audiences; NULL: the full report */
	const char *program;     /* only the advocates in this program (and their requests) */
	const char *region;      /* only the advocates of this region */
};
#define REFCTL_REPORT_OPTS_INIT { { REFCTL_DATE_NONE, REFCTL_DATE_NONE }, 5, 0, NULL, NULL, 0, NULL, NULL, NULL }

/* Compute the report of a store: every advocate, then the history. */
int refctl_report_compute(struct refctl_report **out, struct refctl_store *s,
			  const struct refctl_report_opts *opts);

/* The same in steps, without a store (for tests and other front ends):
 * new, then add each advocate and each change, then finish. cfg (not NULL)
 * is borrowed until refctl_report_finish(). */
struct refctl_report *refctl_report_new(const struct refctl_config *cfg,
					const struct refctl_report_opts *opts);
/* Apply opts->audience of cfg to r: REFCTL_EUSAGE naming the audiences for
 * an unknown one, REFCTL_EINVALID (naming refctl.yaml's line) for a
 * headline that is not a figure of the report. */
int refctl_report_set_audience(struct refctl_report *r, const struct refctl_config *cfg, const char *audience);
/* 1 if the report shows section s. */
int refctl_report_has_section(const struct refctl_report *r, enum refctl_report_section s);
void refctl_report_add(struct refctl_report *r, const struct refctl_advocate *a);
void refctl_report_add_left_out(struct refctl_report *r);
int refctl_report_add_change(struct refctl_report *r, const struct refctl_change *c);
void refctl_report_finish(struct refctl_report *r);
void refctl_report_free(struct refctl_report *r);

/* The window of history the report reads, in seconds since the epoch:
 * [previous period's first day 00:00 UTC, period's last day + 1 00:00 UTC). */
void refctl_report_history_window(const struct refctl_report *r, int64_t *from, int64_t *to);

/* ---- advocate value over the store (refctl value) ---- */

struct refctl_value_entry {
	char *id, *name, *company;
	struct refctl_advocate_value v; /* value.h */
};

struct refctl_value_list {
	struct refctl_period period;
	struct refctl_value_entry *v; /* value created, highest first, then id */
	size_t n;
	/* the program: each opportunity once across all advocates */
	int64_t influenced, referrals, created; /* cents */
	int64_t account_value;   /* the sum over the advocates with one above 0 */
	size_t nvalued;          /* those advocates */
	double ratio;            /* what they created / their account_value; NAN when 0 */
	size_t left_out;         /* files that did not parse */
};

/* Zero is the default but for the period, which is required. */
struct refctl_value_opts {
	struct refctl_period period;
	const char *advocate;     /* only this one (listed even with no value); NULL: every one */
	int all;                  /* list advocates who created no value too */
	refctl_report_bad_fn bad; /* told about every file left out */
	void *payload;
};
#define REFCTL_VALUE_OPTS_INIT { .period = { REFCTL_DATE_NONE, REFCTL_DATE_NONE } }

/* The value every advocate (or one) created in the period. */
int refctl_value_compute(struct refctl_value_list **out, struct refctl_store *s, const struct refctl_value_opts *o);
void refctl_value_list_free(struct refctl_value_list *l);

/* ---- the metric functions, exposed for their unit tests ---- */

/* num / den, or NAN when den is 0. */
double refctl_report_rate(long num, long den);
/* The median of v (sorted in place); the mean of the middle two when n is
 * even; NAN when n is 0. */
double refctl_report_median(int *v, size_t n);

/* Revenue without double counting: refctl_deals (value.h), each
 * opportunity counted once at the largest value among its requests. */

/* The headline figures, in the order the trend shows them. */
enum refctl_report_kind {
	REFCTL_REPORT_COUNT,
	REFCTL_REPORT_RATE,
	REFCTL_REPORT_DAYS,
	REFCTL_REPORT_MONEY,
	REFCTL_REPORT_POINTS,
	REFCTL_REPORT_RATIO, /* a multiple: "14.0x" */
};

struct refctl_report_headline {
	const char *section, *metric, *label;
	enum refctl_report_kind kind;
};

extern const struct refctl_report_headline refctl_report_headlines[];
extern const size_t refctl_report_nheadlines;
/* The index of the headline "section.metric" ("outcomes.win_rate"), or -1. */
long refctl_report_headline_find(const char *name);
/* The value of headline i in f (NAN when undefined). */
double refctl_report_headline_value(const struct refctl_report_figures *f, size_t i);

extern const char *const refctl_change_kind_names[REFCTL_CHANGE_NKINDS];

#endif
