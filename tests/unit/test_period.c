/* Unit tests for lib/period.c: dates, calendar units and periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "refctl/buf.h"
#include "refctl/common.h"
#include "refctl/period.h"

struct fx {
	char *saved_today; /* REFCTL_TODAY as the test found it */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *t = getenv("REFCTL_TODAY");
	f->saved_today = t ? strdup(t) : NULL;
	refctl_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->saved_today)
		setenv("REFCTL_TODAY", f->saved_today, 1);
	else
		unsetenv("REFCTL_TODAY");
	free(f->saved_today);
	free(f);
	return 0;
}

static refctl_date D(const char *s)
{
	refctl_date d;
	if (refctl_date_parse(&d, s) < 0)
		fail_msg("bad date in test: %s", s);
	return d;
}

static void assert_date(refctl_date d, const char *expected)
{
	char buf[11];
	assert_string_equal(refctl_date_format(buf, d), expected);
}

static void test_parse_known_values(void **state)
{
	refctl_date d;

	(void)state;
	assert_int_equal(refctl_date_parse(&d, "1970-01-01"), 0);
	assert_int_equal(d, 0);
	assert_int_equal(refctl_date_parse(&d, "1970-01-02"), 0);
	assert_int_equal(d, 1);
	assert_int_equal(refctl_date_parse(&d, "1969-12-31"), 0);
	assert_int_equal(d, -1);
	/* 30 years with 7 leap days (1972 ... 1996) */
	assert_int_equal(refctl_date_parse(&d, "2000-01-01"), 0);
	assert_int_equal(d, 30 * 365 + 7);
	/* 56 years with 14 leap days (1972 ... 2024) */
	assert_int_equal(refctl_date_parse(&d, "2026-01-01"), 0);
	assert_int_equal(d, 56 * 365 + 14);
	assert_int_equal(refctl_date_from_ymd(2026, 1, 1), 20454);
	/* the length counts, not the NUL */
	assert_int_equal(refctl_date_parse_n(&d, "2026-01-01T10:00", 10), 0);
	assert_int_equal(d, 20454);
}

static void test_parse_leap_years(void **state)
{
	refctl_date d;

	(void)state;
	assert_int_equal(refctl_date_parse(&d, "2024-02-29"), 0);
	assert_int_equal(refctl_date_parse(&d, "2000-02-29"), 0); /* divisible by 400 */
	assert_int_equal(refctl_date_parse(&d, "2023-02-29"), REFCTL_EINVALID);
	assert_int_equal(d, REFCTL_DATE_NONE);
	assert_int_equal(refctl_date_parse(&d, "1900-02-29"), REFCTL_EINVALID); /* by 100, not 400 */
	assert_int_equal(refctl_date_parse(&d, "2100-02-29"), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse(&d, "2026-02-30"), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse(&d, "2024-02-30"), REFCTL_EINVALID);
	/* the day after Feb 29 is Mar 1 */
	assert_int_equal(D("2024-03-01") - D("2024-02-29"), 1);
	assert_int_equal(D("2023-03-01") - D("2023-02-28"), 1);
	assert_int_equal(D("2025-01-01") - D("2024-01-01"), 366);
	assert_int_equal(D("2026-01-01") - D("2025-01-01"), 365);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-1-01", "2026-01-1", "2026/01/01", "26-01-01", "2026-01-01 ",
		" 2026-01-01", "0999-12-31", "2026-00-01", "2026-13-01", "2026-01-00", "2026-01-32",
		"2026-04-31", "+026-01-01", "2026-0a-01", "2026-01-0x", "20260101xx", "2026-01-01T00:00",
	};
	refctl_date d = 5;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = 5;
		if (refctl_date_parse(&d, bad[i]) != REFCTL_EINVALID)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(d, REFCTL_DATE_NONE);
	}
	assert_int_equal(refctl_date_parse_n(&d, "2026-01-01", 9), REFCTL_EINVALID);
}

static void test_format(void **state)
{
	char buf[11];

	(void)state;
	assert_date(0, "1970-01-01");
	assert_date(-1, "1969-12-31");
	assert_date(20454, "2026-01-01");
	assert_date(D("2024-02-29"), "2024-02-29");
	assert_date(D("9999-12-31"), "9999-12-31");
	assert_date(D("1000-01-01"), "1000-01-01");
	assert_string_equal(refctl_date_format(buf, REFCTL_DATE_NONE), "");
	/* every day of 2023 and 2024 formats back to what was parsed */
	for (refctl_date d = D("2023-01-01"); d <= D("2024-12-31"); d++) {
		refctl_date back;
		int y, m, day;
		refctl_date_format(buf, d);
		assert_int_equal(refctl_date_parse(&back, buf), 0);
		assert_int_equal(back, d);
		refctl_date_to_ymd(&y, &m, &day, d);
		assert_int_equal(refctl_date_from_ymd(y, m, day), d);
	}
}

static void test_today(void **state)
{
	refctl_date d;
	time_t now;

	(void)state;
	setenv("REFCTL_TODAY", "2026-11-15", 1);
	assert_int_equal(refctl_date_today(&d), 0);
	assert_date(d, "2026-11-15");

	setenv("REFCTL_TODAY", "15.11.2026", 1);
	assert_int_equal(refctl_date_today(&d), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "REFCTL_TODAY must be a date YYYY-MM-DD, not '15.11.2026'");

	/* unset or empty: today in UTC */
	setenv("REFCTL_TODAY", "", 1);
	now = time(NULL);
	assert_int_equal(refctl_date_today(&d), 0);
	assert_true(d == (refctl_date)(now / 86400) || d == (refctl_date)(now / 86400 + 1));
	unsetenv("REFCTL_TODAY");
	assert_int_equal(refctl_date_today(&d), 0);
	assert_true(d == (refctl_date)(now / 86400) || d == (refctl_date)(now / 86400 + 1));
}

static void test_quarter_and_month(void **state)
{
	static const struct {
		const char *day, *qs, *qe, *ms, *me;
	} cases[] = {
		{ "2026-02-15", "2026-01-01", "2026-03-31", "2026-02-01", "2026-02-28" },
		{ "2024-02-10", "2024-01-01", "2024-03-31", "2024-02-01", "2024-02-29" },
		{ "2026-01-01", "2026-01-01", "2026-03-31", "2026-01-01", "2026-01-31" },
		{ "2026-03-31", "2026-01-01", "2026-03-31", "2026-03-01", "2026-03-31" },
		{ "2026-04-01", "2026-04-01", "2026-06-30", "2026-04-01", "2026-04-30" },
		{ "2024-05-20", "2024-04-01", "2024-06-30", "2024-05-01", "2024-05-31" },
		{ "2026-07-01", "2026-07-01", "2026-09-30", "2026-07-01", "2026-07-31" },
		{ "2026-09-30", "2026-07-01", "2026-09-30", "2026-09-01", "2026-09-30" },
		{ "2026-11-15", "2026-10-01", "2026-12-31", "2026-11-01", "2026-11-30" },
		{ "2026-12-31", "2026-10-01", "2026-12-31", "2026-12-01", "2026-12-31" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		refctl_date d = D(cases[i].day);
		assert_date(refctl_date_quarter_start(d), cases[i].qs);
		assert_date(refctl_date_quarter_end(d), cases[i].qe);
		assert_date(refctl_date_month_start(d), cases[i].ms);
		assert_date(refctl_date_month_end(d), cases[i].me);
	}
}

static void test_add_months(void **state)
{
	static const struct {
		const char *from;
		int n;
		const char *to;
	} cases[] = {
		{ "2026-01-31", 1, "2026-02-28" },  /* clamped to February's length */
		{ "2024-01-31", 1, "2024-02-29" },  /* a leap February */
		{ "2026-03-31", -1, "2026-02-28" },
		{ "2026-08-31", 1, "2026-09-30" },
		{ "2026-12-15", 1, "2027-01-15" },  /* into the next year */
		{ "2026-01-15", -1, "2025-12-15" }, /* into the previous year */
		{ "2026-05-31", 12, "2027-05-31" },
		{ "2024-02-29", 12, "2025-02-28" },
		{ "2024-02-29", 48, "2028-02-29" },
		{ "2026-01-31", -13, "2024-12-31" },
		{ "2026-10-31", -24, "2024-10-31" },
		{ "2026-06-15", 0, "2026-06-15" },
		{ "2026-02-28", 1, "2026-03-28" },   /* no memory of a longer month */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_date(refctl_date_add_months(D(cases[i].from), cases[i].n), cases[i].to);
}

static void assert_period(struct refctl_period p, const char *from, const char *to)
{
	assert_date(p.from, from);
	assert_date(p.to, to);
}

static void test_period_parsers(void **state)
{
	struct refctl_period p;

	(void)state;
	assert_int_equal(refctl_period_month(&p, "2026-02"), 0);
	assert_period(p, "2026-02-01", "2026-02-28");
	assert_int_equal(refctl_period_month(&p, "2024-02"), 0);
	assert_period(p, "2024-02-01", "2024-02-29");
	assert_int_equal(refctl_period_month(&p, "2026-12"), 0);
	assert_period(p, "2026-12-01", "2026-12-31");

	assert_int_equal(refctl_period_quarter(&p, "2026-Q1"), 0);
	assert_period(p, "2026-01-01", "2026-03-31");
	assert_int_equal(refctl_period_quarter(&p, "2026-Q2"), 0);
	assert_period(p, "2026-04-01", "2026-06-30");
	assert_int_equal(refctl_period_quarter(&p, "2026-q4"), 0);
	assert_period(p, "2026-10-01", "2026-12-31");

	assert_int_equal(refctl_period_year(&p, "2024"), 0);
	assert_period(p, "2024-01-01", "2024-12-31");
	assert_int_equal(p.to - p.from + 1, 366);
}

static void test_period_parsers_reject(void **state)
{
	static const char *const months[] = { "2026-13", "2026-00", "2026-2", "202602", "2026-02-01",
					      "2026/02", "0999-01", "", "2026-Q1" };
	static const char *const quarters[] = { "2026-Q5", "2026-Q0", "2026Q1", "2026-1", "2026-Q12",
						"2026-X1", "Q1-2026", "" };
	static const char *const years[] = { "26", "20261", "abcd", "0999", "", "2026-" };
	struct refctl_period p;

	(void)state;
	for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++)
		if (refctl_period_month(&p, months[i]) != REFCTL_EINVALID)
			fail_msg("month '%s' was accepted", months[i]);
	for (size_t i = 0; i < sizeof(quarters) / sizeof(quarters[0]); i++)
		if (refctl_period_quarter(&p, quarters[i]) != REFCTL_EINVALID)
			fail_msg("quarter '%s' was accepted", quarters[i]);
	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++)
		if (refctl_period_year(&p, years[i]) != REFCTL_EINVALID)
			fail_msg("year '%s' was accepted", years[i]);

	assert_int_equal(refctl_period_month(&p, "2026-13"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "invalid month '2026-13' (expected YYYY-MM)");
	assert_int_equal(refctl_period_quarter(&p, "2026-Q5"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "invalid quarter '2026-Q5' (expected YYYY-Qn)");
	assert_int_equal(refctl_period_year(&p, "26"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "invalid year '26' (expected YYYY)");
}

static struct refctl_period span(const char *from, const char *to)
{
	struct refctl_period p = { D(from), D(to) };
	return p;
}

static void test_period_previous(void **state)
{
	struct refctl_period p;

	(void)state;
	/* a month: the previous calendar month, whatever its length */
	refctl_period_month(&p, "2026-03");
	assert_period(refctl_period_previous(p), "2026-02-01", "2026-02-28");
	refctl_period_month(&p, "2026-02");
	assert_period(refctl_period_previous(p), "2026-01-01", "2026-01-31");
	refctl_period_month(&p, "2024-03");
	assert_period(refctl_period_previous(p), "2024-02-01", "2024-02-29");
	refctl_period_month(&p, "2026-01");
	assert_period(refctl_period_previous(p), "2025-12-01", "2025-12-31");

	/* a quarter: the previous quarter */
	refctl_period_quarter(&p, "2026-Q1");
	assert_period(refctl_period_previous(p), "2025-10-01", "2025-12-31");
	refctl_period_quarter(&p, "2026-Q2");
	assert_period(refctl_period_previous(p), "2026-01-01", "2026-03-31");
	refctl_period_quarter(&p, "2026-Q4");
	assert_period(refctl_period_previous(p), "2026-07-01", "2026-09-30");

	/* a year: the previous year */
	refctl_period_year(&p, "2025");
	assert_period(refctl_period_previous(p), "2024-01-01", "2024-12-31");

	/* two whole months: the two before */
	assert_period(refctl_period_previous(span("2026-01-01", "2026-02-28")), "2025-11-01", "2025-12-31");

	/* other spans: the same number of days just before.
	 * Mar 10-19 is 10 days; the 10 days before end on Mar 9: Feb 28 - Mar 9 */
	assert_period(refctl_period_previous(span("2026-03-10", "2026-03-19")), "2026-02-28", "2026-03-09");
	/* Mar 1-15 starts a month but does not end one: 15 days, Feb 14-28 */
	assert_period(refctl_period_previous(span("2026-03-01", "2026-03-15")), "2026-02-14", "2026-02-28");
	/* one day */
	assert_period(refctl_period_previous(span("2026-03-01", "2026-03-01")), "2026-02-28", "2026-02-28");
	/* Jan 15 - Feb 14 is 31 days: Dec 15 - Jan 14 */
	assert_period(refctl_period_previous(span("2026-01-15", "2026-02-14")), "2025-12-15", "2026-01-14");
	/* Feb 2 - Mar 1 of a leap year is 29 days: Jan 4 - Feb 1 */
	assert_period(refctl_period_previous(span("2024-02-02", "2024-03-01")), "2024-01-04", "2024-02-01");
}

static void assert_time(int64_t t, int offset, const char *iso, const char *date)
{
	char buf[REFCTL_TIME_MAX];
	assert_string_equal(refctl_time_format(buf, t, offset), iso);
	assert_date(refctl_time_date(t, offset), date);
}

/* The moment as git records it, seen on the wall clock of its own zone. */
static void test_time(void **state)
{
	(void)state;
	assert_time(0, 0, "1970-01-01T00:00:00+00:00", "1970-01-01");
	/* 2026-11-15 00:30 UTC is still the 14th an hour west of Greenwich */
	assert_time(1794702600, 0, "2026-11-15T00:30:00+00:00", "2026-11-15");
	assert_time(1794702600, -60, "2026-11-14T23:30:00-01:00", "2026-11-14");
	assert_time(1794702600, 330, "2026-11-15T06:00:00+05:30", "2026-11-15");
	/* 23:30 UTC is already the 16th an hour east of it */
	assert_time(1794785400, 0, "2026-11-15T23:30:00+00:00", "2026-11-15");
	assert_time(1794785400, 60, "2026-11-16T00:30:00+01:00", "2026-11-16");
	assert_time(1794785400, -600, "2026-11-15T13:30:00-10:00", "2026-11-15");
	/* midnight exactly, and a minute before it in a zone a minute west */
	assert_time(1794700800, 0, "2026-11-15T00:00:00+00:00", "2026-11-15");
	assert_time(1794700800, -1, "2026-11-14T23:59:00-00:01", "2026-11-14");
	/* a negative offset under an hour keeps its sign */
	assert_time(1794700800, -30, "2026-11-14T23:30:00-00:30", "2026-11-14");
	/* before 1970: floor, not truncation toward zero */
	assert_time(-1, 0, "1969-12-31T23:59:59+00:00", "1969-12-31");
	assert_time(-86400, 0, "1969-12-31T00:00:00+00:00", "1969-12-31");
	assert_time(-86401, 0, "1969-12-30T23:59:59+00:00", "1969-12-30");
	assert_time(0, -570, "1969-12-31T14:30:00-09:30", "1969-12-31");
	assert_time(-3600, 60, "1970-01-01T00:00:00+01:00", "1970-01-01");
	/* a hostile commit's time far out of range does not overflow */
	{
		char buf[REFCTL_TIME_MAX];
		refctl_time_format(buf, INT64_MAX, 0);
		refctl_time_format(buf, INT64_MIN, -1440);
		(void)refctl_time_date(INT64_MAX, 1440);
		(void)refctl_time_date(INT64_MIN, -1440);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void test_human_dates(void **state)
{
	refctl_date d, today = D("2026-03-31");
	(void)state;
#define HD(in, want) do { \
		assert_int_equal(refctl_date_parse_human(&d, in, today), 0); \
		assert_int_equal(d, D(want)); \
	} while (0)
	HD("today", "2026-03-31");
	HD("yesterday", "2026-03-30");
	HD("tomorrow", "2026-04-01");
	HD("0d", "2026-03-31");
	HD("30d", "2026-03-01");
	HD("2w", "2026-03-17");
	HD("1m", "2026-02-28"); /* clamped to February's last day */
	HD("12m", "2025-03-31");
	HD("1y", "2025-03-31");
	HD("2026-01-05", "2026-01-05");
#undef HD
	assert_int_equal(refctl_date_parse_human(&d, "13m", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "2026-02-30", today), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "invalid date '2026-02-30' (expected YYYY-MM-DD, today, yesterday, or Nd, Nw, Nm (N up to 12) or Ny ago)");
	assert_int_equal(refctl_date_parse_human(&d, "d", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "5", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "5dd", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "-5d", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "99999999999d", today), REFCTL_EINVALID);
	assert_int_equal(refctl_date_parse_human(&d, "Today", today), REFCTL_EINVALID);
}

static void test_human_periods(void **state)
{
	struct refctl_period p;
	refctl_date today = D("2026-01-15");
	(void)state;
	assert_int_equal(refctl_period_month_human(&p, "last", today), 0);
	assert_int_equal(p.from, D("2025-12-01"));
	assert_int_equal(p.to, D("2025-12-31"));
	assert_int_equal(refctl_period_month_human(&p, "this", today), 0);
	assert_int_equal(p.from, D("2026-01-01"));
	assert_int_equal(p.to, D("2026-01-31"));
	assert_int_equal(refctl_period_month_human(&p, "2026-02", today), 0);
	assert_int_equal(p.to, D("2026-02-28"));
	assert_int_equal(refctl_period_quarter_human(&p, "last", today), 0);
	assert_int_equal(p.from, D("2025-10-01"));
	assert_int_equal(p.to, D("2025-12-31"));
	assert_int_equal(refctl_period_quarter_human(&p, "this", today), 0);
	assert_int_equal(p.to, D("2026-03-31"));
	assert_int_equal(refctl_period_year_human(&p, "last", today), 0);
	assert_int_equal(p.from, D("2025-01-01"));
	assert_int_equal(p.to, D("2025-12-31"));
	assert_int_equal(refctl_period_year_human(&p, "this", today), 0);
	assert_int_equal(p.from, D("2026-01-01"));
	assert_int_equal(refctl_period_month_human(&p, "2026-13", today), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "invalid month '2026-13' (expected YYYY-MM, last or this)");
	assert_int_equal(refctl_period_quarter_human(&p, "next", today), REFCTL_EINVALID);
	assert_int_equal(refctl_period_year_human(&p, "26", today), REFCTL_EINVALID);
}

static void test_period_expand(void **state)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	struct refctl_period p = { D("2026-10-03"), D("2026-12-31") };
	(void)state;
	assert_int_equal(refctl_period_expand(&b, "/srv/%Y-%m.html", &p), 0);
	assert_string_equal(b.ptr, "/srv/2026-10.html");
	assert_int_equal(refctl_period_expand(&b, "%Y-Q%q %d 100%%", &p), 0);
	assert_string_equal(b.ptr, "2026-Q4 03 100%");
	assert_int_equal(refctl_period_expand(&b, "plain.txt", &p), 0);
	assert_string_equal(b.ptr, "plain.txt");
	p.from = refctl_date_from_ymd(999, 1, 1);
	assert_int_equal(refctl_period_expand(&b, "%Y-%m-%q", &p), 0);
	assert_string_equal(b.ptr, "0999-01-1");
	assert_int_equal(refctl_period_expand(&b, "%Y-%b", &p), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "unknown '%b' in '%Y-%b' (known: %Y, %m, %d, %q of the period's first day, %% for %)");
	assert_int_equal(refctl_period_expand(&b, "x%", &p), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "unknown '%' in 'x%' (known: %Y, %m, %d, %q of the period's first day, %% for %)");
	refctl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_known_values),
		T(test_parse_leap_years),
		T(test_parse_rejects),
		T(test_format),
		T(test_today),
		T(test_quarter_and_month),
		T(test_add_months),
		T(test_period_parsers),
		T(test_period_parsers_reject),
		T(test_period_previous),
		T(test_time),
		T(test_human_dates),
		T(test_human_periods),
		T(test_period_expand),
	};
	return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
