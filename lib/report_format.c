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

void refctl__report_money(struct refctl_buf *b, double v, const char *currency)
{
	long long cents = llround(v * 100.0);
	if (cents < 0) {
		refctl_buf_putc(b, '-');
		cents = -cents;
	}
	grouped(b, (unsigned long long)(cents / 100));
	if (cents % 100)
		refctl_buf_printf(b, ".%02lld", cents % 100);
	if (currency && *currency)
		refctl_buf_printf(b, " %s", currency);
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

void refctl__report_value(struct refctl_buf *b, enum refctl_report_kind kind, double v, const char *currency)
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
		refctl__report_money(b, v, currency);
		break;
	case REFCTL_REPORT_RATIO:
		refctl_buf_printf(b, "%.1fx", round(v * 10.0) / 10.0);
		break;
	}
}

void refctl__report_change(struct refctl_buf *b, enum refctl_report_kind kind, double cur, double prev,
			   const char *currency)
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
		refctl__report_money(b, d, currency);
		break;
	case REFCTL_REPORT_RATIO:
		one_decimal(b, d, 1);
		refctl_buf_puts(b, "x");
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
	refctl_buf_printf(&h->title, ": %s for ", r->title ? r->title : "report");
	refctl__report_period_label(&h->title, r->cur.period);
	if (r->filter)
		refctl_buf_printf(&h->title, " (%s)", r->filter);
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

void refctl__report_more(struct refctl_buf *b, size_t more)
{
	refctl_buf_puts(b, "and ");
	refctl__report_count(b, (long)more);
	refctl_buf_puts(b, " more (CSV and JSON list every row)");
}

/* "Name, Company" of an advocate, or its id when it has no name. */
static const char *who(struct refctl_buf *b, const char *id, const char *name, const char *company)
{
	refctl_buf_clear(b);
	if (!name || !*name)
		refctl_buf_puts(b, id);
	else if (company && *company)
		refctl_buf_printf(b, "%s, %s", name, company);
	else
		refctl_buf_puts(b, name);
	return b->ptr;
}

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
	t->all_rows = 1;
	for (size_t k = 0; k < r->nheads; k++) {
		size_t i = r->heads[k];
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		double cur = refctl_report_headline_value(&r->cur, i);
		double prev = refctl_report_headline_value(&r->prev, i);
		const char *row[4];
		refctl_buf_clear(&a);
		refctl_buf_clear(&b);
		refctl_buf_clear(&c);
		refctl__report_value(&a, h->kind, cur, r->currency);
		refctl__report_value(&b, h->kind, prev, r->currency);
		refctl__report_change(&c, h->kind, cur, prev, r->currency);
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
	static const char *const headers[] = { "#", "advocate", "requests", "id" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf n = REFCTL_BUF_INIT, w = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 4, headers, 0x5);
	t->text_hide = 0x8;
	refctl_buf_printf(&t->title, "Top %d advocates by requests opened", r->top_n);
	for (size_t i = 0; i < f->ntop; i++) {
		char rank[24];
		const char *row[4];
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		refctl_buf_clear(&n);
		refctl__report_count(&n, f->top[i].requests);
		row[0] = rank;
		row[1] = who(&w, f->top[i].id, f->top[i].name, f->top[i].company);
		row[2] = n.ptr;
		row[3] = f->top[i].id;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&n);
	refctl_buf_release(&w);
}

void refctl__report_overused_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "engagements", "limit", "id" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf w = REFCTL_BUF_INIT;
	char from[11], to[11];

	refctl__report_table_init(t, 4, headers, 0x6);
	t->text_hide = 0x8;
	refctl_buf_printf(&t->title, "Overused: engagements from %s to %s at or above the quarter limit",
			  refctl_date_format(from, f->quarter_start), refctl_date_format(to, f->period.to));
	for (long i = 0; i < f->noverused; i++) {
		const struct refctl_report_overused *o = &f->overused[i];
		char e[24], l[24];
		const char *row[4];
		snprintf(e, sizeof(e), "%ld", o->engagements);
		snprintf(l, sizeof(l), "%ld", o->limit);
		row[0] = who(&w, o->id, o->name, o->company);
		row[1] = e;
		row[2] = l;
		row[3] = o->id;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&w);
}

void refctl__report_consent_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "consent until", "id" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf w = REFCTL_BUF_INIT;
	char to[11], by[11];

	refctl__report_table_init(t, 3, headers, 0);
	t->text_hide = 0x4;
	refctl_buf_printf(&t->title, "Consent expiring after %s, by %s (soonest first)",
			  refctl_date_format(to, f->period.to), refctl_date_format(by, f->consent_by));
	for (long i = 0; i < f->nconsent; i++) {
		const struct refctl_report_consent *c = &f->consent[i];
		char date[11];
		const char *row[3];
		row[0] = who(&w, c->id, c->name, c->company);
		row[1] = refctl_date_format(date, c->until);
		row[2] = c->id;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&w);
}

void refctl__report_at_risk_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "advocate", "why", "id" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf why = REFCTL_BUF_INIT, w = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 3, headers, 0);
	t->text_hide = 0x4;
	refctl_buf_printf(&t->title, "At risk: nps %d or less, health red, or no contact for over %d days",
			  r->at_risk_nps, r->at_risk_contact_days);
	for (long i = 0; i < f->nat_risk; i++) {
		const struct refctl_report_risk *k = &f->at_risk[i];
		const char *row[3];
		refctl_buf_clear(&why);
		refctl__report_risk_text(&why, k);
		row[0] = who(&w, k->id, k->name, k->company);
		row[1] = why.ptr;
		row[2] = k->id;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&why);
	refctl_buf_release(&w);
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
	static const char *const headers[] = { "change", "advocate", "commits", "by", "id" };
	static const char *const kinds[REFCTL_CHANGE_NKINDS] = {
		[REFCTL_CHANGE_ADDED] = "file added", [REFCTL_CHANGE_RETIRED] = "retired",
		[REFCTL_CHANGE_EDITED] = "record edited", [REFCTL_CHANGE_REMOVED] = "file removed",
		[REFCTL_CHANGE_REQUESTS] = "requests only",
	};
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf by = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 5, headers, 0x4);
	t->text_hide = 0x10;
	refctl_buf_puts(&t->title, "Roster changes (git history of advocates/; request-only changes apart)");
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++)
		for (size_t i = 0; i < f->nroster[k]; i++) {
			const struct refctl_report_roster *ro = &f->roster[k][i];
			char commits[24];
			const char *row[5];
			refctl_buf_clear(&by);
			for (size_t j = 0; j < ro->nby; j++)
				refctl_buf_printf(&by, "%s%s", j ? ", " : "", ro->by[j]);
			snprintf(commits, sizeof(commits), "%ld", ro->commits);
			row[0] = kinds[k];
			row[1] = ro->name ? ro->name : ro->id;
			row[2] = commits;
			row[3] = by.ptr;
			row[4] = ro->id;
			refctl__report_table_add(t, row);
		}
	refctl_buf_release(&by);
}

void refctl__report_value_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "#", "advocate", "value created", "referrals", "own spend", "ratio",
					       "id" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf w = REFCTL_BUF_INIT, v[4];

	for (int k = 0; k < 4; k++)
		refctl_buf_init(&v[k]);
	refctl__report_table_init(t, 7, headers, 0x3d);
	t->text_hide = 0x40;
	refctl_buf_printf(&t->title, "Top %d advocates by value created", r->top_n);
	for (size_t i = 0; i < f->ntop_value; i++) {
		const struct refctl_report_value *x = &f->top_value[i];
		char rank[24];
		const char *row[7];
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		for (int k = 0; k < 4; k++)
			refctl_buf_clear(&v[k]);
		refctl__report_money(&v[0], x->created, r->currency);
		refctl__report_money(&v[1], x->referrals, r->currency);
		refctl__report_value(&v[2], REFCTL_REPORT_MONEY, x->account_value, r->currency);
		refctl__report_value(&v[3], REFCTL_REPORT_RATIO, x->ratio, NULL);
		row[0] = rank;
		row[1] = who(&w, x->id, x->name, x->company);
		row[2] = v[0].ptr;
		row[3] = v[1].ptr;
		row[4] = v[2].ptr;
		row[5] = v[3].ptr;
		row[6] = x->id;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&w);
	for (int k = 0; k < 4; k++)
		refctl_buf_release(&v[k]);
}

void refctl__report_key_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "figure", "this period", "previous", "change" };
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT, c = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 4, headers, 0xe);
	refctl_buf_puts(&t->title, "Key figures");
	t->all_rows = 1;
	for (size_t k = 0; k < r->nkey; k++) {
		size_t i = r->key[k];
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		double cur = refctl_report_headline_value(&r->cur, i), prev = refctl_report_headline_value(&r->prev, i);
		const char *row[4];
		refctl_buf_clear(&a);
		refctl_buf_clear(&b);
		refctl_buf_clear(&c);
		refctl__report_value(&a, h->kind, cur, r->currency);
		refctl__report_value(&b, h->kind, prev, r->currency);
		refctl__report_change(&c, h->kind, cur, prev, r->currency);
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

void refctl__report_programs_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "program", "advocates", "requests", "fulfilment", "revenue influenced",
					       "at risk" };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf v[5];

	for (int k = 0; k < 5; k++)
		refctl_buf_init(&v[k]);
	refctl__report_table_init(t, 6, headers, 0x3e);
	refctl_buf_puts(&t->title, "Programs side by side (an advocate in two programs counts in both)");
	for (size_t i = 0; i < f->nprograms; i++) {
		const struct refctl_report_program *g = &f->programs[i];
		const char *row[6];
		for (int k = 0; k < 5; k++)
			refctl_buf_clear(&v[k]);
		refctl__report_count(&v[0], g->advocates);
		refctl__report_count(&v[1], g->opened);
		refctl__report_value(&v[2], REFCTL_REPORT_RATE, g->fulfilment, NULL);
		refctl__report_money(&v[3], g->revenue, r->currency);
		refctl__report_count(&v[4], g->at_risk);
		row[0] = g->name;
		for (int k = 0; k < 5; k++)
			row[k + 1] = v[k].ptr;
		refctl__report_table_add(t, row);
	}
	for (int k = 0; k < 5; k++)
		refctl_buf_release(&v[k]);
}

void refctl__report_value_summary(struct refctl_buf *b, const struct refctl_report *r,
				  const struct refctl_report_figures *f)
{
	refctl_buf_puts(b, "Value created ");
	refctl__report_money(b, f->value_created, r->currency);
	refctl_buf_puts(b, " (revenue influenced ");
	refctl__report_money(b, f->revenue, r->currency);
	refctl_buf_puts(b, ", referrals won ");
	refctl__report_money(b, f->referrals_value, r->currency);
	refctl_buf_puts(b, "; each opportunity counted once). ");
	if (!f->nvalued) {
		refctl_buf_puts(b, "No advocate has an account value, so there is no ratio to their own spend.");
		return;
	}
	refctl_buf_puts(b, "Advocates with an account value: ");
	refctl__report_count(b, f->nvalued);
	refctl_buf_puts(b, ", spending ");
	refctl__report_money(b, f->value_account, r->currency);
	refctl_buf_puts(b, " a year; the value they created is ");
	refctl__report_value(b, REFCTL_REPORT_RATIO, f->value_ratio, NULL);
	refctl_buf_puts(b, " their spend.");
}

void refctl__report_advocates_summary(struct refctl_buf *b, const struct refctl_report_figures *f)
{
	refctl_buf_puts(b, "Total ");
	refctl__report_count(b, f->total);
	refctl_buf_puts(b, ", active ");
	refctl__report_count(b, f->active);
	refctl_buf_puts(b, ", new ");
	refctl__report_count(b, f->new_advocates);
	refctl_buf_puts(b, " (their since date is in the period), used ");
	refctl__report_count(b, f->used);
	refctl_buf_puts(b, " (utilisation ");
	refctl__report_value(b, REFCTL_REPORT_RATE, f->utilisation, NULL);
	refctl_buf_puts(b, ").");
}

/* ---- the content library ---- */

void refctl__report_content_summary(struct refctl_buf *b, const struct refctl_report *r)
{
	const struct refctl_report_content *c = &r->content;
	char by[11];

	refctl__report_count(b, c->items);
	refctl_buf_printf(b, " content item%s; ", c->items == 1 ? "" : "s");
	refctl__report_count(b, c->published);
	refctl_buf_puts(b, " published in the period, ");
	refctl__report_count(b, c->expiring);
	refctl_buf_printf(b, " expiring by %s, ", refctl_date_format(by, c->expiring_by));
	refctl__report_count(b, c->used);
	refctl_buf_printf(b, " use%s in the period; ", c->used == 1 ? "" : "s");
	refctl__report_count(b, (long)c->ngaps);
	refctl_buf_printf(b, " translation%s missing.", c->ngaps == 1 ? "" : "s");
}

static void content_items_table(struct refctl__report_table *t, const char *date_header,
				const struct refctl_report_content_item *v, long n)
{
	const char *headers[] = { "id", "kind", "lang", "title", date_header };

	refctl__report_table_init(t, 5, headers, 0);
	for (long i = 0; i < n; i++) {
		char d[11];
		const char *row[5] = { v[i].id, v[i].kind, v[i].lang, v[i].title, refctl_date_format(d, v[i].date) };
		refctl__report_table_add(t, row);
	}
}

void refctl__report_content_published_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	content_items_table(t, "created", r->content.published_items, r->content.published);
	refctl_buf_puts(&t->title, "Content published in the period (newest first)");
}

void refctl__report_content_expiring_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	char to[11], by[11];

	content_items_table(t, "expires", r->content.expiring_items, r->content.expiring);
	refctl_buf_printf(&t->title, "Content expiring after %s, by %s (soonest first)",
			  refctl_date_format(to, r->cur.period.to), refctl_date_format(by, r->content.expiring_by));
}

void refctl__report_content_gaps_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "product", "language", "advocates" };
	struct refctl_buf n = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 3, headers, 0x4);
	refctl_buf_puts(&t->title, "Translations missing (languages a product's active advocates speak)");
	for (size_t i = 0; i < r->content.ngaps; i++) {
		const char *row[3];
		refctl_buf_clear(&n);
		refctl__report_count(&n, r->content.gaps[i].advocates);
		row[0] = r->content.gaps[i].product;
		row[1] = r->content.gaps[i].lang;
		row[2] = n.ptr;
		refctl__report_table_add(t, row);
	}
	refctl_buf_release(&n);
}

void refctl__report_content_use_table(struct refctl__report_table *t, const struct refctl_report *r)
{
	static const char *const headers[] = { "kind", "uses" };
	const struct refctl_report_counts *c = &r->content.used_by_kind;
	struct refctl_buf n = REFCTL_BUF_INIT;

	refctl__report_table_init(t, 2, headers, 0x2);
	refctl_buf_puts(&t->title, "Content used in the period, by kind");
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
