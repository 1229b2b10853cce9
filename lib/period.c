#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "refctl/buf.h"
#include "refctl/period.h"
#include "util.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
refctl_date refctl_date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void refctl_date_to_ymd(int *y, int *m, int *d, refctl_date z)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int refctl_date_parse_n(refctl_date *out, const char *s, size_t len)
{
	int y, m, d;

	*out = REFCTL_DATE_NONE;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return REFCTL_EINVALID;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return REFCTL_EINVALID;
	*out = refctl_date_from_ymd(y, m, d);
	return 0;
}

int refctl_date_parse(refctl_date *out, const char *s)
{
	return refctl_date_parse_n(out, s, strlen(s));
}

char *refctl_date_format(char *buf, refctl_date d)
{
	int y, m, day;
	if (d == REFCTL_DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	refctl_date_to_ymd(&y, &m, &day, d);
	y = ((y % 10000) + 10000) % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = '\0';
	return buf;
}

/* Beyond this many seconds from 1970 a date no longer fits refctl_date;
 * git accepts any 64-bit time, so a hostile commit may carry one. */
#define TIME_LIMIT ((int64_t)(INT32_MAX / 2) * 86400)

/* The moment on the wall clock of its zone: the date and the seconds into it. */
static refctl_date time_local(int64_t time, int offset, int *seconds)
{
	int64_t t, days, rest;

	if (time > TIME_LIMIT)
		time = TIME_LIMIT;
	else if (time < -TIME_LIMIT)
		time = -TIME_LIMIT;
	t = time + (int64_t)offset * 60;
	days = t / 86400;
	rest = t % 86400;
	if (rest < 0) { /* C rounds toward zero; a day starts at midnight */
		rest += 86400;
		days--;
	}
	if (seconds)
		*seconds = (int)rest;
	return (refctl_date)days;
}

refctl_date refctl_time_date(int64_t time, int offset)
{
	return time_local(time, offset, NULL);
}

char *refctl_time_format(char *buf, int64_t time, int offset)
{
	char date[11];
	int secs;
	refctl_date d = time_local(time, offset, &secs);
	long off = offset < 0 ? -(long)offset : (long)offset;

	snprintf(buf, REFCTL_TIME_MAX, "%sT%02d:%02d:%02d%c%02ld:%02ld", refctl_date_format(date, d),
		 secs / 3600, secs / 60 % 60, secs % 60, offset < 0 ? '-' : '+', off / 60, off % 60);
	return buf;
}

int refctl_date_today(refctl_date *out)
{
	const char *env = getenv("REFCTL_TODAY");
	time_t now;
	struct tm tm;

	if (env && *env) {
		if (refctl_date_parse(out, env) < 0)
			return refctl__error(REFCTL_EINVALID,
					     "REFCTL_TODAY must be a date YYYY-MM-DD, not '%s'", env);
		return 0;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	*out = refctl_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

refctl_date refctl_date_quarter_start(refctl_date d)
{
	int y, m, day;
	refctl_date_to_ymd(&y, &m, &day, d);
	return refctl_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
}

refctl_date refctl_date_quarter_end(refctl_date d)
{
	return refctl_date_add_months(refctl_date_quarter_start(d), 3) - 1;
}

refctl_date refctl_date_month_start(refctl_date d)
{
	int y, m, day;
	refctl_date_to_ymd(&y, &m, &day, d);
	return refctl_date_from_ymd(y, m, 1);
}

refctl_date refctl_date_month_end(refctl_date d)
{
	return refctl_date_add_months(refctl_date_month_start(d), 1) - 1;
}

refctl_date refctl_date_add_months(refctl_date d, int n)
{
	int y, m, day, idx;
	refctl_date_to_ymd(&y, &m, &day, d);
	idx = y * 12 + (m - 1) + n;
	y = idx / 12;
	m = idx % 12 + 1;
	if (day > days_in_month(y, m))
		day = days_in_month(y, m);
	return refctl_date_from_ymd(y, m, day);
}

int refctl_period_month(struct refctl_period *out, const char *s)
{
	int y, m;
	if (strlen(s) != 7 || s[4] != '-' || (y = digits(s, 4)) < 1000 ||
	    (m = digits(s + 5, 2)) < 1 || m > 12)
		return refctl__error(REFCTL_EINVALID, "invalid month '%s' (expected YYYY-MM)", s);
	out->from = refctl_date_from_ymd(y, m, 1);
	out->to = refctl_date_month_end(out->from);
	return 0;
}

int refctl_period_quarter(struct refctl_period *out, const char *s)
{
	int y, q;
	if (strlen(s) != 7 || s[4] != '-' || (s[5] != 'Q' && s[5] != 'q') ||
	    (y = digits(s, 4)) < 1000 || (q = digits(s + 6, 1)) < 1 || q > 4)
		return refctl__error(REFCTL_EINVALID, "invalid quarter '%s' (expected YYYY-Qn)", s);
	out->from = refctl_date_from_ymd(y, (q - 1) * 3 + 1, 1);
	out->to = refctl_date_add_months(out->from, 3) - 1;
	return 0;
}

int refctl_period_year(struct refctl_period *out, const char *s)
{
	int y;
	if (strlen(s) != 4 || (y = digits(s, 4)) < 1000)
		return refctl__error(REFCTL_EINVALID, "invalid year '%s' (expected YYYY)", s);
	out->from = refctl_date_from_ymd(y, 1, 1);
	out->to = refctl_date_from_ymd(y, 12, 31);
	return 0;
}

struct refctl_period refctl_period_previous(struct refctl_period p)
{
	struct refctl_period prev;
	int y, m, d, y2, m2, d2, months;

	refctl_date_to_ymd(&y, &m, &d, p.from);
	refctl_date_to_ymd(&y2, &m2, &d2, p.to + 1);
	months = (y2 * 12 + m2) - (y * 12 + m);
	if (d == 1 && d2 == 1 && months > 0) {
		prev.from = refctl_date_add_months(p.from, -months);
		prev.to = p.from - 1;
	} else {
		prev.to = p.from - 1;
		prev.from = prev.to - (p.to - p.from);
	}
	return prev;
}

/* ---- dates and periods as people write them ---- */

/* "30" of "30d": a whole number from 0 to max, the rest of s after it in *rest. */
static int count_of(const char *s, int max, const char **rest)
{
	long v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > max)
			return -1;
	*rest = p;
	return (int)v;
}

int refctl_date_parse_human(refctl_date *out, const char *s, refctl_date today)
{
	const char *unit;
	int n;

	if (!strcmp(s, "today")) {
		*out = today;
		return 0;
	}
	if (!strcmp(s, "yesterday")) {
		*out = today - 1;
		return 0;
	}
	if (!strcmp(s, "tomorrow")) {
		*out = today + 1;
		return 0;
	}
	if ((n = count_of(s, 36600, &unit)) >= 0 && unit[0] && !unit[1] && unit != s) {
		switch (unit[0]) {
		case 'd':
			*out = today - n;
			return 0;
		case 'w':
			if (n > 5200)
				break;
			*out = today - 7 * n;
			return 0;
		case 'm':
			/* past a year, months are easy to misread: 13m is refused */
			if (n > 12)
				break;
			*out = refctl_date_add_months(today, -n);
			return 0;
		case 'y':
			if (n > 100)
				break;
			*out = refctl_date_add_months(today, -12 * n);
			return 0;
		}
	}
	if (refctl_date_parse(out, s) == 0)
		return 0;
	return refctl__error(REFCTL_EINVALID,
			     "invalid date '%s' (expected YYYY-MM-DD, today, yesterday, or Nd, Nw, Nm (N up to 12) or Ny ago)",
			     s);
}

/* "last" and "this" period of a kind, relative to today. */
static int relative_period(struct refctl_period *out, const char *s, refctl_date today, char kind)
{
	int last = !strcmp(s, "last");

	if (!last && strcmp(s, "this"))
		return 0;
	switch (kind) {
	case 'm':
		out->from = refctl_date_month_start(today);
		out->to = refctl_date_month_end(today);
		break;
	case 'q':
		out->from = refctl_date_quarter_start(today);
		out->to = refctl_date_quarter_end(today);
		break;
	default: {
		int y, m, d;
		refctl_date_to_ymd(&y, &m, &d, today);
		out->from = refctl_date_from_ymd(y, 1, 1);
		out->to = refctl_date_from_ymd(y, 12, 31);
		break;
	}
	}
	if (last)
		*out = refctl_period_previous(*out);
	return 1;
}

int refctl_period_month_human(struct refctl_period *out, const char *s, refctl_date today)
{
	if (relative_period(out, s, today, 'm'))
		return 0;
	if (refctl_period_month(out, s) == 0)
		return 0;
	return refctl__error(REFCTL_EINVALID, "invalid month '%s' (expected YYYY-MM, last or this)", s);
}

int refctl_period_quarter_human(struct refctl_period *out, const char *s, refctl_date today)
{
	if (relative_period(out, s, today, 'q'))
		return 0;
	if (refctl_period_quarter(out, s) == 0)
		return 0;
	return refctl__error(REFCTL_EINVALID, "invalid quarter '%s' (expected YYYY-Qn, last or this)", s);
}

int refctl_period_year_human(struct refctl_period *out, const char *s, refctl_date today)
{
	if (relative_period(out, s, today, 'y'))
		return 0;
	if (refctl_period_year(out, s) == 0)
		return 0;
	return refctl__error(REFCTL_EINVALID, "invalid year '%s' (expected YYYY, last or this)", s);
}

int refctl_period_expand(struct refctl_buf *out, const char *pattern, const struct refctl_period *p)
{
	int y, m, d;

	refctl_buf_clear(out);
	refctl_date_to_ymd(&y, &m, &d, p->from);
	for (const char *c = pattern; *c; c++) {
		if (*c != '%') {
			refctl_buf_putc(out, *c);
			continue;
		}
		switch (*++c) {
		case 'Y':
			refctl_buf_printf(out, "%04d", y);
			break;
		case 'm':
			refctl_buf_printf(out, "%02d", m);
			break;
		case 'd':
			refctl_buf_printf(out, "%02d", d);
			break;
		case 'q':
			refctl_buf_printf(out, "%d", (m + 2) / 3);
			break;
		case '%':
			refctl_buf_putc(out, '%');
			break;
		default:
			refctl_buf_clear(out);
			return refctl__error(REFCTL_EINVALID,
					     "unknown '%%%.1s' in '%s' (known: %%Y, %%m, %%d, %%q of the period's first day, %%%% for %%)",
					     c, pattern);
		}
	}
	return 0;
}
