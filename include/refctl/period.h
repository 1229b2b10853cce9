#ifndef REFCTL_PERIOD_H
#define REFCTL_PERIOD_H

#include <stdint.h>

/* A calendar date as days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t refctl_date;
#define REFCTL_DATE_NONE INT32_MIN

/* Parse strict "YYYY-MM-DD"; 0 or REFCTL_EINVALID. */
int refctl_date_parse(refctl_date *out, const char *s);
int refctl_date_parse_n(refctl_date *out, const char *s, size_t len);
refctl_date refctl_date_from_ymd(int y, int m, int d);
void refctl_date_to_ymd(int *y, int *m, int *day, refctl_date d);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *refctl_date_format(char *buf, refctl_date d);

/* Today in UTC, or REFCTL_TODAY when set; REFCTL_EINVALID if that is malformed. */
int refctl_date_today(refctl_date *out);

/* First and last day of the calendar quarter / month containing d. */
refctl_date refctl_date_quarter_start(refctl_date d);
refctl_date refctl_date_quarter_end(refctl_date d);
refctl_date refctl_date_month_start(refctl_date d);
refctl_date refctl_date_month_end(refctl_date d);
/* d plus n months, day clamped to the month's length. */
refctl_date refctl_date_add_months(refctl_date d, int n);

/*
 * Moments as git records them: seconds since the epoch (UTC), and the
 * offset in minutes east of UTC of the time zone they were recorded in
 * (negative west of Greenwich). Both functions see the moment on the
 * wall clock of that zone, with floor division, so a moment before 1970
 * or just before midnight falls on the right day.
 */
/* The calendar date of the moment in its own time zone. */
refctl_date refctl_time_date(int64_t time, int offset);
/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (ISO 8601, in its own time zone) into buf,
 * at least REFCTL_TIME_MAX bytes; returns buf. */
#define REFCTL_TIME_MAX 40
char *refctl_time_format(char *buf, int64_t time, int offset);

/* An inclusive span of dates. */
struct refctl_period {
	refctl_date from, to;
};

/* "YYYY-MM", "YYYY-Qn", "YYYY": REFCTL_EINVALID when malformed. */
int refctl_period_month(struct refctl_period *out, const char *s);
int refctl_period_quarter(struct refctl_period *out, const char *s);
int refctl_period_year(struct refctl_period *out, const char *s);
/* The period of the same length just before p. Months, quarters and years
 * map to the previous calendar unit; other spans to the same number of days. */
struct refctl_period refctl_period_previous(struct refctl_period p);

/*
 * Dates and periods as people write them, relative to today (the caller's
 * today, usually refctl_date_today()):
 *   a date: YYYY-MM-DD, today, yesterday, tomorrow, or Nd, Nw, Nm, Ny ago
 *     (30d, 2w, 3m, 1y; months up to 12, so 13m is refused as easy to misread);
 *   a month: YYYY-MM, last or this; a quarter: YYYY-Qn, last or this;
 *   a year: YYYY, last or this.
 * Impossible dates (2026-02-30) are REFCTL_EINVALID with a message naming
 * every accepted form.
 */
int refctl_date_parse_human(refctl_date *out, const char *s, refctl_date today);
int refctl_period_month_human(struct refctl_period *out, const char *s, refctl_date today);
int refctl_period_quarter_human(struct refctl_period *out, const char *s, refctl_date today);
int refctl_period_year_human(struct refctl_period *out, const char *s, refctl_date today);

/*
 * A file name pattern of a period, as report -o takes it: %Y (year), %m
 * (month, 01-12), %d (day, 01-31) and %q (quarter, 1-4) of the period's
 * first day, %% a literal %. Any other % sequence is REFCTL_EINVALID, so a
 * typo never names a file.
 */
struct refctl_buf;
int refctl_period_expand(struct refctl_buf *out, const char *pattern, const struct refctl_period *p);

#endif
