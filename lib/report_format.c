/* Number, date and text formatting shared by the report's renderers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "refctl/output.h"
#include "report_int.h"
#include "util.h"

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

	refctl_date_to_ymd(&y, &m, &d, p.from);
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

void refctl__report_header(struct refctl__report_header *h, const struct refctl_report *r)
{
	refctl_buf_init(&h->title);
	refctl_buf_init(&h->period);
	refctl_buf_init(&h->generated);
	refctl_buf_init(&h->left_out);
	refctl_buf_puts(&h->title, r->program);
	h->program = h->title.size;
	refctl_buf_puts(&h->title, ": report for ");
	refctl__report_period_label(&h->title, r->cur.period);
	refctl_buf_puts(&h->period, "Period ");
	refctl__report_period_span(&h->period, r->cur.period);
	refctl_buf_puts(&h->period, ", compared with ");
	refctl__report_period_span(&h->period, r->prev.period);
	refctl_buf_puts(&h->period, ".");
	if (r->stamp) {
		refctl_buf_puts(&h->generated, "Generated ");
		refctl__report_stamp(&h->generated, r->stamp);
		refctl_buf_puts(&h->generated, ".");
	}
	refctl__report_left_out(&h->left_out, r->left_out);
}

void refctl__report_header_release(struct refctl__report_header *h)
{
	refctl_buf_release(&h->title);
	refctl_buf_release(&h->period);
	refctl_buf_release(&h->generated);
	refctl_buf_release(&h->left_out);
}

/* ---- the report's tables ---- */

void refctl__report_table_init(struct refctl__report_table *t, size_t ncols, const char *const *headers,
			       unsigned right)
{
	memset(t, 0, sizeof(*t));
	refctl_buf_init(&t->title);
	t->ncols = ncols;
	for (size_t c = 0; c < ncols && c < REFCTL__REPORT_MAXCOLS; c++)
		t->headers[c] = headers[c];
	t->right = right;
}

void refctl__report_table_add(struct refctl__report_table *t, const char *const *cells)
{
	REFCTL__ARRAY_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = refctl__strdup(cells[c] ? cells[c] : "");
	t->nrows++;
}

const char *const *refctl__report_table_row(const struct refctl__report_table *t, size_t i)
{
	return (const char *const *)t->cells + i * t->ncols;
}

void refctl__report_table_release(struct refctl__report_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->alloc = 0;
	refctl_buf_release(&t->title);
}

void refctl__report_headline_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "metric", "this period", "previous", "change" };
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT, c = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 4, headers, 0xe);
	refctl_buf_puts(&t->title, "Headlines");
	for (size_t i = 0; i < refctl_report_nheadlines; i++) {
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		double cur = refctl_report_headline_value(&r->cur, i);
		double prev = refctl_report_headline_value(&r->prev, i);
		const char *row[4];
		refctl_buf_clear(&a);
		refctl_buf_clear(&b);
		refctl_buf_clear(&c);
		refctl__report_value(&a, h->kind, cur);
		refctl__report_value(&b, h->kind, prev);
		refctl__report_change(&c, h->kind, cur, prev);
		row[0] = h->label;
		row[1] = a.ptr;
		row[2] = b.ptr;
		row[3] = c.ptr;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&a);
	refctl_buf_release(&b);
	refctl_buf_release(&c);
}

void refctl__report_counts_table(struct refctl__report_table *t, const char *title, const char *what,
				 const struct refctl_report_counts *c)
{
	const char *headers[] = { what, "requests" };
	struct refctl_buf n = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 2, headers, 0x2);
	refctl_buf_puts(&t->title, title);
	for (size_t i = 0; i < c->n; i++) {
		const char *row[2];
		refctl_buf_clear(&n);
		refctl__report_count(&n, c->v[i].n);
		row[0] = c->v[i].key;
		row[1] = n.ptr;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&n);
}

void refctl__report_top_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "#", "advocate", "name", "company", "requests" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf n = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 5, headers, 0x11);
	refctl_buf_printf(&t->title, "Top %d advocates by requests opened", r->top_n);
	for (size_t i = 0; i < f->ntop; i++) {
		char rank[24];
		const char *row[5];
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		refctl_buf_clear(&n);
		refctl__report_count(&n, f->top[i].requests);
		row[0] = rank;
		row[1] = f->top[i].id;
		row[2] = f->top[i].name;
		row[3] = f->top[i].company;
		row[4] = n.ptr;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&n);
}

void refctl__report_overused_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "engagements", "limit" };
	const struct refctl_report_figures *f = &r->cur;
	char from[11], to[11];

	refctl__report_table_init(t, 3, headers, 0x6);
	refctl_buf_printf(&t->title, "Overused: engagements from %s to %s at or above the quarter limit",
			  refctl_date_format(from, f->quarter_start), refctl_date_format(to, f->period.to));
	for (long i = 0; i < f->noverused; i++) {
		char e[24], l[24];
		const char *row[3];
		snprintf(e, sizeof(e), "%ld", f->overused[i].engagements);
		snprintf(l, sizeof(l), "%ld", f->overused[i].limit);
		row[0] = f->overused[i].id;
		row[1] = e;
		row[2] = l;
		refctl__report_table_add(t, row);
	}
}

void refctl__report_consent_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "consent until" };
	const struct refctl_report_figures *f = &r->cur;
	char to[11], by[11];

	refctl__report_table_init(t, 2, headers, 0);
	refctl_buf_printf(&t->title, "Consent expiring after %s, by %s", refctl_date_format(to, f->period.to),
			  refctl_date_format(by, f->consent_by));
	for (long i = 0; i < f->nconsent; i++) {
		char date[11];
		const char *row[2];
		row[0] = f->consent[i].id;
		row[1] = refctl_date_format(date, f->consent[i].until);
		refctl__report_table_add(t, row);
	}
}

void refctl__report_at_risk_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "why" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf why = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 2, headers, 0);
	refctl_buf_printf(&t->title, "At risk: nps %d or less, health red, or no contact for over %d days",
			  r->at_risk_nps, r->at_risk_contact_days);
	for (long i = 0; i < f->nat_risk; i++) {
		const char *row[2];
		refctl_buf_clear(&why);
		refctl__report_risk_text(&why, &f->at_risk[i]);
		row[0] = f->at_risk[i].id;
		row[1] = why.ptr;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&why);
}

void refctl__report_cover_table(struct refctl__report_table *t, const char *title, const char *what,
				const struct refctl_report_cover *v, size_t n)
{
	const char *headers[] = { what, "requests", "advocates", "declined", "per advocate" };

	refctl__report_table_init(t, 5, headers, 0x1e);
	refctl_buf_puts(&t->title, title);
	for (size_t i = 0; i < n; i++) {
		char q[24], a[24], d[24], per[32];
		const char *row[5];
		snprintf(q, sizeof(q), "%ld", v[i].requests);
		snprintf(a, sizeof(a), "%ld", v[i].advocates);
		snprintf(d, sizeof(d), "%ld", v[i].declined);
		if (isnan(v[i].per_advocate))
			snprintf(per, sizeof(per), "no advocate");
		else
			snprintf(per, sizeof(per), "%.2f", v[i].per_advocate);
		row[0] = v[i].key;
		row[1] = q;
		row[2] = a;
		row[3] = d;
		row[4] = per;
		refctl__report_table_add(t, row);
	}
}

void refctl__report_roster_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "change", "advocate", "commits", "by" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf by = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 4, headers, 0x4);
	refctl_buf_puts(&t->title, "Roster changes (from the git history of advocates/)");
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++)
		for (size_t i = 0; i < f->nroster[k]; i++) {
			const struct refctl_report_roster *ro = &f->roster[k][i];
			char commits[24];
			const char *row[4];
			refctl_buf_clear(&by);
			for (size_t j = 0; j < ro->nby; j++)
				refctl_buf_printf(&by, "%s%s", j ? ", " : "", ro->by[j]);
			snprintf(commits, sizeof(commits), "%ld", ro->commits);
			row[0] = refctl_change_kind_names[k];
			row[1] = ro->id;
			row[2] = commits;
			row[3] = by.ptr;
			refctl__report_table_add(t, row);
		}
	refctl_buf_release(&by);
}

void refctl__report_advocates_summary(struct refctl_buf *b, const struct refctl_report_figures *f)
{
	refctl_buf_puts(b, "Total ");
	refctl__report_count(b, f->total);
	refctl_buf_puts(b, ", active ");
	refctl__report_count(b, f->active);
	refctl_buf_puts(b, ", new in the period ");
	refctl__report_count(b, f->new_advocates);
	refctl_buf_puts(b, ", used ");
	refctl__report_count(b, f->used);
	refctl_buf_puts(b, " (utilisation ");
	refctl__report_value(b, REFCTL_REPORT_RATE, f->utilisation);
	refctl_buf_puts(b, ").");
}
