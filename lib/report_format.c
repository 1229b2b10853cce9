/* Number, date and text formatting shared by the report's renderers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "refctl/output.h"
#include "report_int.h"

static void grouped(struct refctl_buf *b, unsigned long long v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", v);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			refctl_buf_putc(b, ',');
		refctl_buf_putc(b, digits[i]);
	}
}

void refctl__report_count(struct refctl_buf *b, long v)
{
	if (v < 0) {
		refctl_buf_putc(b, '-');
		grouped(b, (unsigned long long)(-(v + 1)) + 1);
	} else {
		grouped(b, (unsigned long long)v);
	}
}

void refctl__report_money(struct refctl_buf *b, double v)
{
	long long cents = llround(v * 100.0);
	if (cents < 0) {
		refctl_buf_putc(b, '-');
		cents = -cents;
	}
	grouped(b, (unsigned long long)(cents / 100));
	if (cents % 100)
		refctl_buf_printf(b, ".%02lld", cents % 100);
}

void refctl__report_plain(struct refctl_buf *b, double v)
{
	char tmp[64];
	size_t n;

	if (isnan(v))
		return;
	if (v == floor(v) && fabs(v) < 1e15) {
		refctl_buf_printf(b, "%.0f", v);
		return;
	}
	n = (size_t)snprintf(tmp, sizeof(tmp), "%.6f", v);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	refctl_buf_puts(b, strcmp(tmp, "-0") ? tmp : "0");
}

static void one_decimal(struct refctl_buf *b, double v, int sign)
{
	double r = round(v * 10.0) / 10.0;
	if (r == 0)
		refctl_buf_puts(b, "0");
	else if (r == floor(r))
		refctl_buf_printf(b, sign ? "%+.0f" : "%.0f", r);
	else
		refctl_buf_printf(b, sign ? "%+.1f" : "%.1f", r);
}

void refctl__report_value(struct refctl_buf *b, enum refctl_report_kind kind, double v)
{
	if (isnan(v)) {
		refctl_buf_puts(b, "n/a");
		return;
	}
	switch (kind) {
	case REFCTL_REPORT_COUNT:
	case REFCTL_REPORT_POINTS:
		refctl__report_count(b, (long)v);
		break;
	case REFCTL_REPORT_RATE:
		refctl_buf_printf(b, "%.1f%%", round(v * 1000.0) / 10.0);
		break;
	case REFCTL_REPORT_DAYS:
		one_decimal(b, v, 0);
		break;
	case REFCTL_REPORT_MONEY:
		refctl__report_money(b, v);
		break;
	}
}

void refctl__report_change(struct refctl_buf *b, enum refctl_report_kind kind, double cur, double prev)
{
	double d = cur - prev;

	if (isnan(cur) || isnan(prev)) {
		refctl_buf_puts(b, "n/a");
		return;
	}
	switch (kind) {
	case REFCTL_REPORT_COUNT:
	case REFCTL_REPORT_POINTS:
		if ((long)d > 0)
			refctl_buf_putc(b, '+');
		refctl__report_count(b, (long)d);
		break;
	case REFCTL_REPORT_RATE:
		one_decimal(b, d * 100.0, 1);
		refctl_buf_puts(b, " pts");
		break;
	case REFCTL_REPORT_DAYS:
		one_decimal(b, d, 1);
		break;
	case REFCTL_REPORT_MONEY:
		if (llround(d * 100.0) > 0)
			refctl_buf_putc(b, '+');
		refctl__report_money(b, d);
		break;
	}
}

void refctl__report_period_span(struct refctl_buf *b, struct refctl_period p)
{
	char from[11], to[11];
	refctl_buf_printf(b, "%s to %s", refctl_date_format(from, p.from), refctl_date_format(to, p.to));
}

void refctl__report_period_label(struct refctl_buf *b, struct refctl_period p)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December",
	};
	int y, m, d;

	refctl_date_to_ymd(p.from, &y, &m, &d);
	if (d == 1 && p.to == refctl_date_month_end(p.from))
		refctl_buf_printf(b, "%s %d", months[m - 1], y);
	else if (p.from == refctl_date_quarter_start(p.from) && p.to == refctl_date_quarter_end(p.from))
		refctl_buf_printf(b, "%d-Q%d", y, (m - 1) / 3 + 1);
	else if (m == 1 && d == 1 && p.to == refctl_date_from_ymd(y, 12, 31))
		refctl_buf_printf(b, "%d", y);
	else
		refctl__report_period_span(b, p);
}

void refctl__report_risk_text(struct refctl_buf *b, const struct refctl_report_risk *k)
{
	char d[11];
	const char *sep = "";

	if (k->reasons & REFCTL_RISK_NPS) {
		refctl_buf_printf(b, "nps %d", k->nps);
		sep = ", ";
	}
	if (k->reasons & REFCTL_RISK_HEALTH) {
		refctl_buf_printf(b, "%shealth red", sep);
		sep = ", ";
	}
	if (k->reasons & REFCTL_RISK_CONTACT)
		refctl_buf_printf(b, "%slast contact %s", sep, refctl_date_format(d, k->last_contact));
}

void refctl__report_stamp(struct refctl_buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	refctl_buf_printf(b, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
			  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void refctl__report_clip(struct refctl_buf *b, const char *s, size_t width)
{
	size_t cols = 0;
	const char *p = s;

	if (refctl_text_width(s) <= width || width < 4) {
		refctl_buf_puts(b, s);
		return;
	}
	while (*p && cols < width - 3) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		cols++;
	}
	refctl_buf_put(b, s, (size_t)(p - s));
	refctl_buf_puts(b, "...");
}

void refctl__report_left_out(struct refctl_buf *b, size_t n)
{
	if (n == 1)
		refctl_buf_puts(b, "1 advocate file is left out of this report: it does not parse "
				   "(run 'refctl check').");
	else if (n > 1)
		refctl_buf_printf(b, "%zu advocate files are left out of this report: they do not parse "
				     "(run 'refctl check').", n);
}
