#ifndef REFCTL_MATCH_H
#define REFCTL_MATCH_H

/*
 * Matching: rank the advocates who fit a prospect. Availability is
 * refctl_availability() (avail.h), the same rules `request new` applies;
 * relevance is the weighted share of the prospect's criteria an advocate
 * meets, with the weights and aliases of refctl.yaml. Advocates below the
 * minimum relevance (by default: any above zero) are left out. The order
 * is total and deterministic: relevance (higher first), contact overdue
 * (not first: the program has not spoken to them for longer than
 * report.at_risk_contact_days), engagements in the last 90 days (fewer
 * first), smoothed win rate (higher first), id.
 */

#include <stddef.h>
#include <stdint.h>
#include "refctl/avail.h"
#include "refctl/config.h"
#include "refctl/period.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* ---- the prospect ---- */

/*
 * What the prospect looks like. Strings are owned. Build it with
 * refctl_prospect_add(), refctl_prospect_set_activity() and
 * refctl_prospect_parse(), which check every value as it comes in; the
 * matcher takes what they built as valid.
 */
struct refctl_prospect {
	struct refctl_vocab values[REFCTL_CRIT_COUNT]; /* as given; one at most for single-valued criteria */
	char *activity;                                /* NULL: any */
};
#define REFCTL_PROSPECT_INIT { .activity = NULL }

/* 1 for the criteria that take several values and earn partial credit
 * (use_case, product). */
int refctl_criterion_is_list(enum refctl_criterion c);

/*
 * Read a prospect profile: a YAML map with the keys industry, region,
 * country, language, segment, activity (strings) and products, use_cases
 * (lists of strings, or one string). Values found replace those in p.
 * REFCTL_EINVALID (naming file, line and column) for anything else; p may
 * then hold part of the profile.
 */
int refctl_prospect_parse(struct refctl_prospect *p, const char *file, const char *data, size_t len);
/*
 * Give a criterion's value: list criteria gain one, the others are
 * replaced. REFCTL_EINVALID, with p unchanged, for an empty value, one of
 * several lines, or a segment other than smb, mid-market and enterprise.
 */
int refctl_prospect_add(struct refctl_prospect *p, enum refctl_criterion c, const char *value);
/* Forget a criterion's values. */
void refctl_prospect_clear(struct refctl_prospect *p, enum refctl_criterion c);
/* The activity asked for (NULL: any). REFCTL_EINVALID, with p unchanged,
 * for one that is not an activity (refctl_activity_check). */
int refctl_prospect_set_activity(struct refctl_prospect *p, const char *activity);
void refctl_prospect_release(struct refctl_prospect *p);

/* ---- matching ---- */

/* How many available advocates a match keeps unless told. */
#define REFCTL_MATCH_DEFAULT_LIMIT 10
/* A limit that keeps every available advocate. */
#define REFCTL_MATCH_NO_LIMIT SIZE_MAX
/* A minimum relevance that keeps advocates of 0% relevance too. */
#define REFCTL_MATCH_ANY_RELEVANCE (-1)

/* Zero is the default for every member but today, whose default is
 * REFCTL_DATE_NONE (day 0 is a real date). */
struct refctl_match_opts {
	const struct refctl_prospect *prospect; /* NULL: no criteria, no activity */
	refctl_date today;                      /* REFCTL_DATE_NONE: refctl_date_today() */
	const char *const *exclude_companies;   /* compared case-insensitively */
	size_t nexclude;
	size_t limit;  /* keep the best N available; 0: REFCTL_MATCH_DEFAULT_LIMIT;
			* REFCTL_MATCH_NO_LIMIT: all */
	int all;       /* keep the excluded advocates too */
	int include_at_risk; /* the at-risk rule does not exclude (avail.h) */
	int min_relevance;   /* keep relevance >= this percentage (1 to 100); 0: any
			      * above zero; REFCTL_MATCH_ANY_RELEVANCE: all */
};
#define REFCTL_MATCH_OPTS_INIT { .today = REFCTL_DATE_NONE }

/*
 * The win rate that ranks advocates of equal relevance and load:
 * (won + 1) / (won + lost + 2) over all the advocate's completed requests
 * with an outcome (Laplace's rule of succession: 50% with no history, so
 * one lucky win does not outrank a long good record). It is not the
 * report's win rate (report.h), won / (won + lost) of the program's
 * requests closed in a period, undefined when there are none: one ranks
 * an advocate, the other measures the program.
 */
double refctl_match_win_rate(unsigned won, unsigned lost);
/* The same as a whole percentage, rounded half up, exactly. */
unsigned refctl_match_win_percent(unsigned won, unsigned lost);
/* Negative if the first win rate is the higher, exactly (no rounding). */
int refctl_match_win_cmp(unsigned won_a, unsigned lost_a, unsigned won_b, unsigned lost_b);

/* One value the prospect asked for, after duplicates are dropped. */
struct refctl_match_value {
	enum refctl_criterion crit;
	char *text;  /* as the prospect gave it */
	char *canon; /* normalised, through the alias table */
};

/* How one advocate does on one criterion. */
struct refctl_match_score {
	double weight;  /* the criterion's weight; 0 if the prospect did not give it */
	double earned;  /* weight * nmet / nvalues */
	size_t nvalues; /* values the prospect gave (0: not a criterion here) */
	size_t nmet;    /* of which the advocate has */
};

struct refctl_match_entry {
	char *id, *name, *company;
	double relevance;         /* earned / possible, in [0, 1]; 1 when nothing is possible */
	double earned;            /* points earned, out of the result's possible */
	struct refctl_match_score crit[REFCTL_CRIT_COUNT];
	unsigned char *met;       /* per result value: 1 if the advocate has it */
	unsigned load_90d;        /* engagements opened in the 90 days ending today */
	unsigned won, lost;       /* completed requests with that outcome */
	double win_rate;          /* refctl_match_win_rate(won, lost) */
	unsigned reasons;         /* the codes of the exclusions, or'ed; 0 when available */
	struct refctl_avail_exclusion *exclusions; /* why excluded, in rule order; NULL when available */
	size_t nexclusions;
	long long rank_key;       /* relevance rounded to 1e-9, for exact ties */
	int contact_overdue;      /* no contact for longer than the limit: ranked after equals */
	int contact_days;         /* days since last_contact; -1 without one */
	int contact_limit;        /* report.at_risk_contact_days */
	char at_risk[64];         /* why the relationship is at risk, "" if not (shown when included) */
};

/* An advocate file that did not load, with the error (the thread's last
 * error when it failed, "advocates/x.yaml:3:1: ..."). */
struct refctl_match_unreadable {
	char *file, *error;
};

struct refctl_match_result {
	struct refctl_match_value *values; /* the prospect's values, criterion order */
	size_t nvalues;
	double possible;                   /* total weight of the criteria given */
	struct refctl_match_entry *available; /* best first, at most limit */
	size_t navailable;
	struct refctl_match_entry *excluded;  /* with all: best first */
	size_t nexcluded;
	size_t nconsidered;                /* advocates evaluated */
	size_t nfit;                       /* available advocates, before the limit */
	size_t nbelow;                     /* available but below the minimum relevance, left out */
	int min_relevance;                 /* the options' */
	size_t excluded_by[REFCTL_AVAIL_NREASONS]; /* advocates each rule (bit i) excluded */
	struct refctl_match_unreadable *unreadable; /* files that did not load, in id order */
	size_t nunreadable;
};

/* A streaming matcher: add advocates one by one, memory bounded by limit
 * (and by the excluded ones, with all). */
struct refctl_matcher;
int refctl_matcher_new(struct refctl_matcher **out, const struct refctl_config *cfg,
		       const struct refctl_match_opts *opts);
/* Evaluate one advocate; its strings are copied if it is kept. */
void refctl_matcher_add(struct refctl_matcher *m, const struct refctl_advocate *a);
/*
 * The same relevance for a candidate that is not an advocate (a content
 * item): have[c] holds its values for criterion c (REFCTL_CRIT_COUNT
 * lists). Fills crit (REFCTL_CRIT_COUNT scores) and met (one flag per
 * value of refctl_matcher_values(); may be NULL) and returns the relevance
 * in [0, 1], exactly as an advocate with those values would get it.
 */
double refctl_matcher_relevance(struct refctl_matcher *m, struct refctl_match_score *crit, unsigned char *met,
				const struct refctl_strlist *have);
/* The prospect's values and the possible weight, as the result will have them
 * (borrowed from the matcher). */
const struct refctl_match_result *refctl_matcher_values(const struct refctl_matcher *m);
/* Note a file that did not load (strings copied); the result lists them in id order. */
void refctl_matcher_add_unreadable(struct refctl_matcher *m, const char *file, const char *error);
/* The ranked result; the matcher is freed. */
void refctl_matcher_finish(struct refctl_match_result **out, struct refctl_matcher *m);
void refctl_matcher_free(struct refctl_matcher *m);

/* Match every advocate of the store, read in directory order (the ranking
 * does not depend on it); the files that do not load are in the result. */
int refctl_match(struct refctl_match_result **out, struct refctl_store *s,
		 const struct refctl_match_opts *opts);
void refctl_match_result_free(struct refctl_match_result *r);

/* The ranking: negative if a ranks before b. */
int refctl_match_entry_cmp(const struct refctl_match_entry *a, const struct refctl_match_entry *b);
/* The rule that excluded the most advocates (the first in rule order on a
 * tie), with how many into *count (may be NULL); 0 if none was excluded. */
unsigned refctl_match_top_rule(size_t *count, const struct refctl_match_result *r);

/* ---- the words of --explain, shared by match and content find ---- */

struct refctl_buf;
/* Points with at most two decimals: "4", "1.5". */
void refctl_match_points(struct refctl_buf *out, double x);
/* The relevance as a whole percentage, rounded half up. */
long long refctl_match_percent(double relevance);
/* "criteria: product 3, industry 3 = 6 points\n", or, when the prospect gave
 * none, " none (every NOUN is 100% relevant)\n" after "criteria:". */
void refctl_match_explain_criteria(struct refctl_buf *out, const struct refctl_match_value *values,
				   size_t nvalues, double possible, const double *weights, const char *noun);
/* "analytics, billing; not crm": the values of criterion c that met says
 * were met, then those it says were not. */
void refctl_match_explain_values(struct refctl_buf *out, const struct refctl_match_value *values,
				 size_t nvalues, const unsigned char *met, enum refctl_criterion c);

#endif
