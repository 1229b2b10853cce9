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

/* The largest weight of a match criterion. */
#define REFCTL_WEIGHT_MAX 1000

/* Program settings from refctl.yaml; every field has a default. */
struct refctl_config {
	char *program;             /* name shown in reports */
	int per_quarter;           /* default REFCTL_DEFAULT_PER_QUARTER */
	int rest_days;             /* default REFCTL_DEFAULT_REST_DAYS */
	double weights[REFCTL_CRIT_COUNT];
	struct refctl_alias *aliases;
	size_t naliases;
	long points[16];           /* reward points per activity, refctl_activities order */
	int consent_warning_days;  /* default 60 */
	int at_risk_nps;           /* nps at or below this is at risk, default 6 */
	int at_risk_contact_days;  /* default 180 */
	/* allowed values; empty means any */
	struct refctl_vocab industries, regions, products, use_cases;
};

/* Defaults, as written by `refctl init`. */
void refctl_config_defaults(struct refctl_config *cfg);
/* Parse refctl.yaml text; file names it in errors. */
int refctl_config_parse(struct refctl_config **out, const char *file, const char *data, size_t len);
void refctl_config_free(struct refctl_config *cfg);
/* The refctl.yaml that `refctl init` writes. */
const char *refctl_config_template(void);

/* Reward points for an activity (0 if unknown). */
long refctl_config_points(const struct refctl_config *cfg, const char *activity);
/* Resolve a vocabulary value through the alias table; writes the normalised value. */
void refctl_config_canon(struct refctl_buf *out, const struct refctl_config *cfg, const char *value);
/* Warn (into diags) about values outside the allowed vocabularies. */
void refctl_config_check_vocab(const struct refctl_config *cfg, const struct refctl_record *rec,
			       struct refctl_diags *diags);

#endif
