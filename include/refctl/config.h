#ifndef REFCTL_CONFIG_H
#define REFCTL_CONFIG_H

#include <stddef.h>
#include "refctl/record.h"

/* The match criteria, in the order their weights are listed. */
enum refctl_criterion {
	REFCTL_CRIT_USE_CASE,
	REFCTL_CRIT_PRODUCT,
	REFCTL_CRIT_INDUSTRY,
	REFCTL_CRIT_REGION,
	REFCTL_CRIT_LANGUAGE,
	REFCTL_CRIT_COUNTRY,
	REFCTL_CRIT_SEGMENT,
	REFCTL_CRIT_COUNT
};
extern const char *const refctl_criterion_names[REFCTL_CRIT_COUNT];

struct refctl_alias {
	char *from, *to; /* normalised vocabulary values */
};

struct refctl_vocab {
	char **v;
	size_t n;
};

/* The program's limits when refctl.yaml does not say (limits.per_quarter,
 * limits.rest_days): engagements an advocate may have opened per calendar
 * quarter, and days of rest after each. */
#define REFCTL_DEFAULT_PER_QUARTER 4
#define REFCTL_DEFAULT_REST_DAYS 14

/* The report's at-risk thresholds when refctl.yaml does not say
 * (report.at_risk_nps, report.at_risk_contact_days). */
#define REFCTL_DEFAULT_AT_RISK_NPS 6
#define REFCTL_DEFAULT_AT_RISK_CONTACT_DAYS 180

/* The largest weight of a match criterion. */
#define REFCTL_WEIGHT_MAX 1000

/* An audience of the report: a constituency with its own view. */
struct refctl_audience {
	char *name;                 /* the key: "executives" */
	char *title;                /* "executive summary"; NULL: "report" */
	char *program;              /* the name it knows the program by; NULL: program */
	int sections[16];           /* enum refctl_report_section (report.h), in order */
	size_t nsections;           /* 0: every section */
	char **headlines;           /* "section.metric" names, in order (the report checks them) */
	unsigned *headline_line, *headline_col;
	size_t nheadlines;          /* 0: every headline */
};

/* The report's section names, in their default order (report.h's enum). */
extern const char *const refctl_config_section_names[];

/* Program settings from refctl.yaml; every field has a default. */
struct refctl_config {
	char *program;             /* name shown in reports */
	char currency[4];          /* ISO 4217 code of every money figure, default USD */
	int per_quarter;           /* default REFCTL_DEFAULT_PER_QUARTER */
	int rest_days;             /* default REFCTL_DEFAULT_REST_DAYS */
	double weights[REFCTL_CRIT_COUNT];
	struct refctl_alias *aliases;
	size_t naliases;
	long points[16];           /* reward points per activity, refctl_activities order */
	long referral_qualified;   /* points when a referral is qualified, default 0 */
	long referral_won;         /* points when a referral is won, default 25 */
	/* rewards.ineligible: advocates of these industries or countries get
	 * no points (normalised; empty: none) */
	struct refctl_vocab ineligible_industries, ineligible_countries;
	int consent_warning_days;  /* default 60 */
	int at_risk_nps;           /* nps at or below this is at risk, default 6 */
	int at_risk_contact_days;  /* default 180 */
	int max_rows;              /* report.max_rows: rows of a report table before "and N more", default 20 */
	/* allowed values; empty means any */
	struct refctl_vocab industries, regions, products, use_cases, programs;
	struct refctl_audience *audiences;
	size_t naudiences;
	char *file;                /* "refctl.yaml", for messages about it */
};

/* Defaults, as written by `refctl init`. */
void refctl_config_defaults(struct refctl_config *cfg);
/* Parse refctl.yaml text; file names it in errors. */
int refctl_config_parse(struct refctl_config **out, const char *file, const char *data, size_t len);
void refctl_config_free(struct refctl_config *cfg);
/* The refctl.yaml that `refctl init` writes. */
const char *refctl_config_template(void);

/* The audience named name, or NULL. */
const struct refctl_audience *refctl_config_audience(const struct refctl_config *cfg, const char *name);

/* 1 if s is an ISO 4217 currency code ("EUR"). */
int refctl_currency_valid(const char *s);

/*
 * 1 if the advocate may be given reward points, else 0 with the reason
 * appended to why: "reward_eligible is false: NOTE", "industry government
 * gets no rewards (rewards.ineligible.industries)", or the same for the
 * country. reward_eligible: true on the file overrides the program's lists.
 */
int refctl_config_reward_eligible(struct refctl_buf *why, const struct refctl_config *cfg,
				  const struct refctl_advocate *a);

/* Reward points for an activity (0 if unknown). */
long refctl_config_points(const struct refctl_config *cfg, const char *activity);
/* Resolve a vocabulary value through the alias table; writes the normalised value. */
void refctl_config_canon(struct refctl_buf *out, const struct refctl_config *cfg, const char *value);
/* Warn (into diags) about values outside the allowed vocabularies. */
void refctl_config_check_vocab(const struct refctl_config *cfg, const struct refctl_record *rec,
			       struct refctl_diags *diags);

#endif
