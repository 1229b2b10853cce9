/*
 * The report as plain text (a terminal or an email body: aligned columns,
 * nothing wider than 100 characters) and as Markdown (headings and pipe
 * tables for a git host). Both walk the same sections.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/output.h"
#include "report_int.h"
#include "util.h"

#define TEXT_WIDTH 100
#define INDENT "  "

struct writer {
	struct refctl_buf *out;
	int md;
};

/* A table whose cells are clipped to per-column limits in text. */
struct tab {
	size_t ncols;
	const char *const *headers;
	const size_t *limits; /* text only; 0: no limit */
	unsigned right;       /* bit c: column c is right-aligned */
	char **cells;
	size_t nrows, alloc;
};

static void tab_add(struct tab *t, const char *const *cells)
{
	REFCTL__ARRAY_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = refctl__strdup(cells[c] ? cells[c] : "");
	t->nrows++;
}

static void tab_release(struct tab *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->alloc = 0;
}

static void md_escape(struct refctl_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|~&#", *s))
			refctl_buf_putc(b, '\\');
		refctl_buf_putc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
	}
}

static void tab_render(struct writer *w, struct tab *t)
{
	struct refctl_buf cell = REFCTL_BUF_INIT, tmp = REFCTL_BUF_INIT;

	if (!t->nrows) {
		refctl_buf_puts(w->out, w->md ? "(none)\n" : INDENT "(none)\n");
		tab_release(t);
		return;
	}
	if (w->md) {
		for (size_t c = 0; c < t->ncols; c++) {
			refctl_buf_puts(w->out, "| ");
			md_escape(w->out, t->headers[c]);
			refctl_buf_putc(w->out, ' ');
		}
		refctl_buf_puts(w->out, "|\n");
		for (size_t c = 0; c < t->ncols; c++)
			refctl_buf_puts(w->out, t->right & (1u << c) ? "| ---: " : "| --- ");
		refctl_buf_puts(w->out, "|\n");
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				refctl_buf_puts(w->out, "| ");
				md_escape(w->out, t->cells[r * t->ncols + c]);
				refctl_buf_putc(w->out, ' ');
			}
			refctl_buf_puts(w->out, "|\n");
		}
	} else {
		struct refctl_table *rt = refctl_table_new(t->ncols, t->headers);
		const char **row = refctl__calloc(t->ncols, sizeof(*row));
		char **clipped = refctl__calloc(t->ncols, sizeof(*clipped));
		for (size_t c = 0; c < t->ncols; c++)
			if (t->right & (1u << c))
				refctl_table_align_right(rt, c);
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				refctl_buf_clear(&cell);
				if (t->limits && t->limits[c])
					refctl__report_clip(&cell, t->cells[r * t->ncols + c], t->limits[c]);
				else
					refctl_buf_puts(&cell, t->cells[r * t->ncols + c]);
				clipped[c] = refctl_buf_detach(&cell);
				row[c] = clipped[c];
			}
			refctl_table_add(rt, row);
			for (size_t c = 0; c < t->ncols; c++)
				free(clipped[c]);
		}
		refctl_table_render(&tmp, rt, REFCTL_FORMAT_TABLE, 0);
		for (const char *p = tmp.ptr; *p;) {
			const char *eol = strchr(p, '\n');
			size_t n = eol ? (size_t)(eol - p) : strlen(p);
			refctl_buf_puts(w->out, INDENT);
			refctl_buf_put(w->out, p, n);
			refctl_buf_putc(w->out, '\n');
			p += n + (eol ? 1 : 0);
		}
		refctl_table_free(rt);
		free(row);
		free(clipped);
	}
	refctl_buf_release(&cell);
	refctl_buf_release(&tmp);
	tab_release(t);
}

static void heading(struct writer *w, const char *title)
{
	if (w->md) {
		refctl_buf_printf(w->out, "\n## %s\n\n", title);
	} else {
		size_t n = strlen(title);
		refctl_buf_printf(w->out, "\n%s\n", title);
		for (size_t i = 0; i < n; i++)
			refctl_buf_putc(w->out, '-');
		refctl_buf_putc(w->out, '\n');
	}
}

static void para(struct writer *w, const char *text)
{
	if (w->md) {
		md_escape(w->out, text);
		refctl_buf_puts(w->out, "\n\n");
	} else {
		refctl_buf_printf(w->out, "%s%s\n", INDENT, text);
	}
}

static void counts_table(struct writer *w, const char *title, const char *what,
			 const struct refctl_report_counts *c)
{
	static const size_t limits[] = { 60, 0 };
	const char *headers[] = { what, "requests" };
	struct tab t = { 2, headers, limits, 2, NULL, 0, 0 };
	struct refctl_buf n = REFCTL_BUF_INIT;

	heading(w, title);
	for (size_t i = 0; i < c->n; i++) {
		const char *row[2];
		refctl_buf_clear(&n);
		refctl__report_count(&n, c->v[i].n);
		row[0] = c->v[i].key;
		row[1] = n.ptr;
		tab_add(&t, row);
	}
	tab_render(w, &t);
	refctl_buf_release(&n);
}

static void headlines(struct writer *w, const struct refctl_report *r)
{
	static const char *const headers[] = { "metric", "this period", "previous", "change" };
	struct tab t = { 4, headers, NULL, 0xe, NULL, 0, 0 };
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT, c = REFCTL_BUF_INIT;

	heading(w, "Headlines");
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
		tab_add(&t, row);
	}
	tab_render(w, &t);
	refctl_buf_release(&a);
	refctl_buf_release(&b);
	refctl_buf_release(&c);
}

static void advocates(struct writer *w, const struct refctl_report *r)
{
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf s = REFCTL_BUF_INIT, n = REFCTL_BUF_INIT, d = REFCTL_BUF_INIT;
	char date[11], date2[11];

	heading(w, "Advocates");
	refctl_buf_puts(&s, "Total ");
	refctl__report_count(&s, f->total);
	refctl_buf_puts(&s, ", active ");
	refctl__report_count(&s, f->active);
	refctl_buf_puts(&s, ", new in the period ");
	refctl__report_count(&s, f->new_advocates);
	refctl_buf_puts(&s, ", used ");
	refctl__report_count(&s, f->used);
	refctl_buf_puts(&s, " (utilisation ");
	refctl__report_value(&s, REFCTL_REPORT_RATE, f->utilisation);
	refctl_buf_puts(&s, ").");
	para(w, s.ptr);

	{
		/* in text, name and company share a column to leave room for the id */
		static const char *const headers[] = { "#", "advocate", "name", "company", "requests" };
		static const char *const text_headers[] = { "#", "advocate", "name, company", "requests" };
		static const size_t limits[] = { 0, 46, 34, 0 };
		struct tab t = { 5, headers, NULL, 0x11, NULL, 0, 0 };
		if (!w->md) {
			t.ncols = 4;
			t.headers = text_headers;
			t.limits = limits;
			t.right = 0x9;
		}
		refctl_buf_clear(&s);
		refctl_buf_printf(&s, "Top %d advocates by requests opened", r->top_n);
		heading(w, s.ptr);
		for (size_t i = 0; i < f->ntop; i++) {
			char rank[24];
			const char *row[5];
			snprintf(rank, sizeof(rank), "%zu", i + 1);
			refctl_buf_clear(&n);
			refctl__report_count(&n, f->top[i].requests);
			refctl_buf_clear(&d);
			refctl_buf_printf(&d, "%s, %s", f->top[i].name, f->top[i].company);
			row[0] = rank;
			row[1] = f->top[i].id;
			if (w->md) {
				row[2] = f->top[i].name;
				row[3] = f->top[i].company;
				row[4] = n.ptr;
			} else {
				row[2] = d.ptr;
				row[3] = n.ptr;
			}
			tab_add(&t, row);
		}
		tab_render(w, &t);
	}
	{
		static const char *const headers[] = { "advocate", "engagements", "limit" };
		static const size_t limits[] = { 60, 0, 0 };
		struct tab t = { 3, headers, limits, 0x6, NULL, 0, 0 };
		refctl_buf_clear(&s);
		refctl_buf_printf(&s, "Overused: engagements from %s to %s at or above the quarter limit",
				  refctl_date_format(date, f->quarter_start),
				  refctl_date_format(date2, f->period.to));
		heading(w, s.ptr);
		for (long i = 0; i < f->noverused; i++) {
			char e[24], l[24];
			const char *row[3];
			snprintf(e, sizeof(e), "%ld", f->overused[i].engagements);
			snprintf(l, sizeof(l), "%ld", f->overused[i].limit);
			row[0] = f->overused[i].id;
			row[1] = e;
			row[2] = l;
			tab_add(&t, row);
		}
		tab_render(w, &t);
	}
	{
		static const char *const headers[] = { "advocate", "why" };
		static const size_t limits[] = { 46, 50 };
		struct tab t = { 2, headers, limits, 0, NULL, 0, 0 };
		refctl_buf_clear(&s);
		refctl_buf_printf(&s, "At risk: nps %d or less, health red, or no contact for over %d days",
				  r->at_risk_nps, r->at_risk_contact_days);
		heading(w, s.ptr);
		for (long i = 0; i < f->nat_risk; i++) {
			const char *row[2];
			refctl_buf_clear(&d);
			refctl__report_risk_text(&d, &f->at_risk[i]);
			row[0] = f->at_risk[i].id;
			row[1] = d.ptr;
			tab_add(&t, row);
		}
		tab_render(w, &t);
	}
	{
		static const char *const headers[] = { "advocate", "consent until" };
		static const size_t limits[] = { 60, 0 };
		struct tab t = { 2, headers, limits, 0, NULL, 0, 0 };
		refctl_buf_clear(&s);
		refctl_buf_printf(&s, "Consent expiring after %s, by %s", refctl_date_format(date, f->period.to),
				  refctl_date_format(date2, f->consent_by));
		heading(w, s.ptr);
		for (long i = 0; i < f->nconsent; i++) {
			const char *row[2];
			row[0] = f->consent[i].id;
			row[1] = refctl_date_format(date, f->consent[i].until);
			tab_add(&t, row);
		}
		tab_render(w, &t);
	}
	refctl_buf_release(&s);
	refctl_buf_release(&n);
	refctl_buf_release(&d);
}

static void coverage(struct writer *w, const char *title, const char *what,
		     const struct refctl_report_cover *v, size_t n)
{
	const char *headers[] = { what, "requests", "advocates", "declined", "per advocate" };
	static const size_t limits[] = { 40, 0, 0, 0, 0 };
	struct tab t = { 5, headers, limits, 0x1e, NULL, 0, 0 };

	heading(w, title);
	for (size_t i = 0; i < n; i++) {
		char q[24], a[24], d[24];
		struct refctl_buf per = REFCTL_BUF_INIT;
		const char *row[5];
		snprintf(q, sizeof(q), "%ld", v[i].requests);
		snprintf(a, sizeof(a), "%ld", v[i].advocates);
		snprintf(d, sizeof(d), "%ld", v[i].declined);
		if (isnan(v[i].per_advocate))
			refctl_buf_puts(&per, "no advocate");
		else
			refctl_buf_printf(&per, "%.2f", v[i].per_advocate);
		row[0] = v[i].key;
		row[1] = q;
		row[2] = a;
		row[3] = d;
		row[4] = per.ptr;
		tab_add(&t, row);
		refctl_buf_release(&per);
	}
	tab_render(w, &t);
}

static void roster(struct writer *w, const struct refctl_report *r)
{
	static const char *const headers[] = { "change", "advocate", "commits", "by" };
	static const size_t limits[] = { 0, 46, 0, 30 };
	struct tab t = { 4, headers, limits, 0x4, NULL, 0, 0 };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl_buf by = REFCTL_BUF_INIT;

	heading(w, "Roster changes (from the git history of advocates/)");
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
			tab_add(&t, row);
		}
	tab_render(w, &t);
	refctl_buf_release(&by);
}

static void render(struct writer *w, const struct refctl_report *r)
{
	struct refctl_buf s = REFCTL_BUF_INIT;

	refctl_buf_puts(&s, r->program);
	refctl_buf_puts(&s, ": report for ");
	refctl__report_period_label(&s, r->cur.period);
	if (w->md) {
		refctl_buf_puts(w->out, "# ");
		md_escape(w->out, s.ptr);
		refctl_buf_puts(w->out, "\n\n");
	} else {
		/* the program's name gives way to the period in the width */
		struct refctl_buf label = REFCTL_BUF_INIT;
		refctl_buf_puts(&label, ": report for ");
		refctl__report_period_label(&label, r->cur.period);
		refctl_buf_clear(&s);
		refctl__report_clip(&s, r->program, TEXT_WIDTH - label.size);
		refctl_buf_printf(w->out, "%s%s\n", s.ptr, label.ptr);
		refctl_buf_release(&label);
	}
	refctl_buf_clear(&s);
	refctl_buf_puts(&s, "Period ");
	refctl__report_period_span(&s, r->cur.period);
	refctl_buf_puts(&s, ", compared with ");
	refctl__report_period_span(&s, r->prev.period);
	refctl_buf_puts(&s, ".");
	if (w->md) {
		md_escape(w->out, s.ptr);
		refctl_buf_puts(w->out, "\n");
	} else {
		refctl_buf_printf(w->out, "%s\n", s.ptr);
	}
	if (r->stamp) {
		refctl_buf_clear(&s);
		refctl_buf_puts(&s, "Generated ");
		refctl__report_stamp(&s, r->stamp);
		refctl_buf_puts(&s, ".");
		refctl_buf_printf(w->out, "%s%s\n", w->md ? "\n" : "", s.ptr);
	}
	if (r->left_out) {
		refctl_buf_clear(&s);
		refctl_buf_puts(&s, "Warning: ");
		refctl__report_left_out(&s, r->left_out);
		if (w->md) {
			refctl_buf_puts(w->out, "\n**");
			md_escape(w->out, s.ptr);
			refctl_buf_puts(w->out, "**\n");
		} else {
			refctl_buf_printf(w->out, "%s\n", s.ptr);
		}
	}
	headlines(w, r);
	counts_table(w, "Requests opened by activity", "activity", &r->cur.by_activity);
	counts_table(w, "Requests opened by region of the advocate", "region", &r->cur.by_region);
	counts_table(w, "Requests opened by industry of the advocate", "industry", &r->cur.by_industry);
	counts_table(w, "Requests opened by requester", "requester", &r->cur.by_requester);
	advocates(w, r);
	coverage(w, "Coverage by industry (most requests per active advocate first)", "industry",
		 r->cur.industries, r->cur.nindustries);
	coverage(w, "Coverage by product (most requests per active advocate first)", "product",
		 r->cur.products, r->cur.nproducts);
	roster(w, r);
	refctl_buf_release(&s);
}

void refctl_report_text(struct refctl_buf *out, const struct refctl_report *r)
{
	struct writer w = { out, 0 };
	render(&w, r);
}

void refctl_report_markdown(struct refctl_buf *out, const struct refctl_report *r)
{
	struct writer w = { out, 1 };
	render(&w, r);
}
