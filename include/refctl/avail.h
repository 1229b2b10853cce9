#ifndef REFCTL_AVAIL_H
#define REFCTL_AVAIL_H

/*
 * Availability: the hard rules that decide whether an advocate may be
 * asked now. Shared by `match` (which excludes) and `request new` (which
 * refuses), so both say the same thing for the same advocate.
 */

#include <stddef.h>
#include "refctl/config.h"
#include "refctl/period.h"
#include "refctl/record.h"

enum refctl_avail_reason {
	REFCTL_AVAIL_STATUS = 1 << 0,   /* status is not active */
	REFCTL_AVAIL_CONSENT = 1 << 1,  /* consent.until is before today */
	REFCTL_AVAIL_WILLING = 1 << 2,  /* the activity is not in activities */
	REFCTL_AVAIL_QUARTER = 1 << 3,  /* engagements this quarter at the limit */
	REFCTL_AVAIL_REST = 1 << 4,     /* too soon after the latest engagement */
	REFCTL_AVAIL_COMPANY = 1 << 5,  /* company excluded by the caller */
};
#define REFCTL_AVAIL_NREASONS 6

struct refctl_avail_opts {
	refctl_date today;
	const char *activity;                   /* NULL: any */
	const char *const *exclude_companies;   /* compared case-insensitively */
	size_t nexclude;
};
#define REFCTL_AVAIL_OPTS_INIT { REFCTL_DATE_NONE, NULL, NULL, 0 }

struct refctl_availability {
	unsigned reasons;          /* 0 when available */
	int quarter_used;          /* engagements opened this calendar quarter */
	int quarter_limit;         /* the advocate's, else the program's */
	int rest_days;             /* the advocate's, else the program's */
	refctl_date last_engaged;  /* latest engagement's opened date, or NONE */
	refctl_date rest_until;    /* first day the advocate may be asked again */
	char text[256];            /* "paused; consent expired 2026-09-30", "" if available */
};

/* Evaluate every rule (all reasons are collected, not just the first). */
void refctl_availability(struct refctl_availability *out, const struct refctl_advocate *a,
			 const struct refctl_config *cfg, const struct refctl_avail_opts *opts);
/* The short name of one reason bit ("paused" style names are in text). */
const char *refctl_avail_reason_name(unsigned bit);

#endif
