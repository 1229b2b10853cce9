#ifndef REFCTL_AVAIL_H
#define REFCTL_AVAIL_H

/*
 * Availability: the hard rules that decide whether an advocate may be
 * asked now. Shared by `match` (which excludes) and `request new` (which
 * refuses), so both say the same thing for the same advocate. Besides the
 * rules it says how long the program has not spoken to the advocate,
 * which `match` ranks by but does not exclude for.
 */

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/config.h"
#include "refctl/period.h"
#include "refctl/record.h"

/* The rules, in the order they are checked and shown. Each code is a
 * distinct bit, so a set of them is a mask. */
enum refctl_avail_reason {
	REFCTL_AVAIL_STATUS = 1 << 0,   /* status is not active */
	REFCTL_AVAIL_CONSENT = 1 << 1,  /* consent.until is before today */
	REFCTL_AVAIL_WILLING = 1 << 2,  /* the activity is not in activities */
	REFCTL_AVAIL_QUARTER = 1 << 3,  /* engagements this quarter at the limit */
	REFCTL_AVAIL_REST = 1 << 4,     /* too soon after the latest engagement */
	REFCTL_AVAIL_COMPANY = 1 << 5,  /* company excluded by the caller */
	REFCTL_AVAIL_AT_RISK = 1 << 6,  /* health red, or nps at or below report.at_risk_nps */
	REFCTL_AVAIL_SCOPE = 1 << 7,    /* a public activity that consent.scope does not cover */
};
#define REFCTL_AVAIL_NREASONS 8

/* One rule an advocate fails: its code and the particular the words need. */
struct refctl_avail_exclusion {
	enum refctl_avail_reason code;
	/* STATUS: the status ("paused"); CONSENT: the last day of consent;
	 * WILLING: the activity; QUARTER: "used/limit"; REST: the first day
	 * the advocate may be asked again; COMPANY: ""; AT_RISK: what puts
	 * the relationship at risk ("nps 4, health red"); SCOPE: the scope
	 * the consent lacks ("video") */
	char detail[64];
};

/* Zero is the default for every member but today, which is required. */
struct refctl_avail_opts {
	refctl_date today;
	const char *activity;                   /* NULL: any */
	const char *const *exclude_companies;   /* compared case-insensitively */
	size_t nexclude;
	int include_at_risk;                    /* the at-risk rule does not exclude */
};
#define REFCTL_AVAIL_OPTS_INIT { .today = REFCTL_DATE_NONE }

struct refctl_availability {
	unsigned reasons;          /* the codes of the exclusions, or'ed; 0 when available */
	struct refctl_avail_exclusion exclusions[REFCTL_AVAIL_NREASONS]; /* in rule order */
	size_t nexclusions;
	int quarter_used;          /* engagements opened this calendar quarter */
	int quarter_limit;         /* the advocate's, else the program's */
	int rest_days;             /* the advocate's, else the program's */
	refctl_date last_engaged;  /* latest engagement's opened date, or NONE */
	refctl_date rest_until;    /* first day the advocate may be asked again */
	/* Not rules, but what a caller weighs the relationship by: */
	char at_risk[64];          /* why the relationship is at risk ("nps 4, health red"), "" if not;
				    * set even when include_at_risk lifts the rule */
	int contact_overdue;       /* last_contact more than report.at_risk_contact_days before today */
	int contact_days;          /* days since last_contact; -1 without one */
	int contact_limit;         /* report.at_risk_contact_days */
};

/*
 * Consent's scope. A public activity (case-study, video, speaking, press,
 * social) needs the scope of its own name in consent.scope; the others
 * need none (NULL). refctl_avail_consent_covers() is 1 if the advocate's
 * consent.scope lists scope.
 */
const char *refctl_avail_scope_needed(const char *activity);
int refctl_avail_consent_covers(const struct refctl_advocate *a, const char *scope);

/* Evaluate every rule (all exclusions are collected, not just the first). */
void refctl_availability(struct refctl_availability *out, const struct refctl_advocate *a,
			 const struct refctl_config *cfg, const struct refctl_avail_opts *opts);
/* The short name of a rule ("quarter limit"), "" for anything else. */
const char *refctl_avail_reason_name(enum refctl_avail_reason code);
/* One exclusion in words, appended to out: "consent expired 2026-09-30". */
void refctl_avail_exclusion_text(struct refctl_buf *out, const struct refctl_avail_exclusion *x);
/* Exclusions in words, joined by "; ", appended to out:
 * "paused; quarter limit 4/4". */
void refctl_avail_exclusions_text(struct refctl_buf *out, const struct refctl_avail_exclusion *v,
				  size_t n);

#endif
