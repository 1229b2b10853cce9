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

static void md_escape(struct refctl_buf *b, const char *s)
{
	struct refctl_buf shown = REFCTL_BUF_INIT;

	refctl_text_escape(&shown, s, REFCTL_ESCAPE_SPACES);
	for (s = shown.ptr; *s; s++) {
		if (strchr("\\`*_[]<>|~&#", *s))
			refctl_buf_putc(b, '\\');
		refctl_buf_putc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
	}
	refctl_buf_release(&shown);
}

/* Render rows under headers (cells clipped to limits in text; bit c of
 * right: column c right-aligned), then release them. */
static void tab_render(struct writer *w, const char *const *headers, const size_t *limits,
		       unsigned right, struct refctl__report_rows *t)
{
	struct refctl_buf cell = REFCTL_BUF_INIT, tmp = REFCTL_BUF_INIT, shown = REFCTL_BUF_INIT;

	if (!t->nrows) {
		refctl_buf_puts(w->out, w->md ? "(none)\n" : INDENT "(none)\n");
		refctl__report_rows_release(t);
		return;
	}
	if (w->md) {
		for (size_t c = 0; c < t->ncols; c++) {
			refctl_buf_puts(w->out, "| ");
			md_escape(w->out, headers[c]);
			refctl_buf_putc(w->out, ' ');
		}
		refctl_buf_puts(w->out, "|\n");
		for (size_t c = 0; c < t->ncols; c++)
			refctl_buf_puts(w->out, right & (1u << c) ? "| ---: " : "| --- ");
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
		struct refctl_table *rt = refctl_table_new(t->ncols, headers);
		const char **row = refctl__calloc(t->ncols, sizeof(*row));
		char **clipped = refctl__calloc(t->ncols, sizeof(*clipped));
		for (size_t c = 0; c < t->ncols; c++)
			if (right & (1u << c))
				refctl_table_align_right(rt, c);
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				refctl_buf_clear(&cell);
				/* escaped before clipping, to clip what is shown */
				refctl_buf_clear(&shown);
				refctl_text_escape(&shown, t->cells[r * t->ncols + c], REFCTL_ESCAPE_SPACES);
				if (limits && limits[c])
					refctl__report_clip(&cell, shown.ptr, limits[c]);
				else
					refctl_buf_puts(&cell, shown.ptr);
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
	refctl_buf_release(&shown);
	refctl__report_rows_release(t);
}

static void heading(struct writer *w, const char *title)
{
	struct refctl_buf shown = REFCTL_BUF_INIT;

	refctl_text_escape(&shown, title, 0);
	if (w->md) {
		refctl_buf_printf(w->out, "\n## %s\n\n", shown.ptr);
	} else {
		size_t n = refctl_text_width(shown.ptr);
		refctl_buf_printf(w->out, "\n%s\n", shown.ptr);
		for (size_t i = 0; i < n; i++)
			refctl_buf_putc(w->out, '-');
		refctl_buf_putc(w->out, '\n');
	}
	refctl_buf_release(&shown);
}

static void para(struct writer *w, const char *text)
{
	if (w->md) {
		md_escape(w->out, text);
		refctl_buf_puts(w->out, "\n\n");
	} else {
		refctl_buf_puts(w->out, INDENT);
		refctl_text_escape(w->out, text, 0);
		refctl_buf_putc(w->out, '\n');
	}
}

static void counts_table(struct writer *w, const char *title, const char *what,
			 const struct refctl_report_counts *c)
{
	static const size_t limits[] = { 60, 0 };
	const char *headers[] = { what, "requests" };
	struct refctl__report_rows rows = REFCTL__REPORT_ROWS_INIT(2);

	heading(w, title);
	refctl__report_counts_rows(&rows, c);
	tab_render(w, headers, limits, 2, &rows);
}

static void headlines(struct writer *w, const struct refctl_report *r)
{
	static const char *const headers[] = { "metric", "this period", "previous", "change" };
	struct refctl__report_rows rows = REFCTL__REPORT_ROWS_INIT(4);

	heading(w, "Headlines");
	refctl__report_headline_rows(&rows, r);
	tab_render(w, headers, NULL, 0xe, &rows);
}

/* In text, name and company share a column to leave room for the id. */
static void top_table(struct writer *w, const struct refctl_report *r)
{
	static const char *const headers[] = { "#", "advocate", "name", "company", "requests" };
	static const char *const text_headers[] = { "#", "advocate", "name, company", "requests" };
	static const size_t limits[] = { 0, 46, 34, 0 };
	struct refctl__report_rows rows = REFCTL__REPORT_ROWS_INIT(5), joined = REFCTL__REPORT_ROWS_INIT(4);
	struct refctl_buf s = REFCTL_BUF_INIT;

	refctl__report_top_title(&s, r);
	heading(w, s.ptr);
	refctl__report_top_rows(&rows, &r->cur);
	if (w->md) {
		tab_render(w, headers, NULL, 0x11, &rows);
	} else {
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *const *row = refctl__report_row(&rows, i);
			const char *cells[4];
			refctl_buf_clear(&s);
			refctl_buf_printf(&s, "%s, %s", row[2], row[3]);
			cells[0] = row[0];
			cells[1] = row[1];
			cells[2] = s.ptr;
			cells[3] = row[4];
			refctl__report_rows_add(&joined, cells);
		}
		refctl__report_rows_release(&rows);
		tab_render(w, text_headers, limits, 0x9, &joined);
	}
	refctl_buf_release(&s);
}

static void advocates(struct writer *w, const struct refctl_report *r)
{
	static const char *const overused_headers[] = { "advocate", "engagements", "limit" };
	static const size_t overused_limits[] = { 60, 0, 0 };
	static const char *const risk_headers[] = { "advocate", "why" };
	static const size_t risk_limits[] = { 46, 50 };
	static const char *const consent_headers[] = { "advocate", "consent until" };
	static const size_t consent_limits[] = { 60, 0 };
	const struct refctl_report_figures *f = &r->cur;
	struct refctl__report_rows overused = REFCTL__REPORT_ROWS_INIT(3);
	struct refctl__report_rows risk = REFCTL__REPORT_ROWS_INIT(2);
	struct refctl__report_rows consent = REFCTL__REPORT_ROWS_INIT(2);
	struct refctl_buf s = REFCTL_BUF_INIT;

	heading(w, "Advocates");
	refctl__report_advocates_summary(&s, f);
	para(w, s.ptr);
	top_table(w, r);

	refctl_buf_clear(&s);
	refctl__report_overused_title(&s, f);
	heading(w, s.ptr);
	refctl__report_overused_rows(&overused, f);
	tab_render(w, overused_headers, overused_limits, 0x6, &overused);

	refctl_buf_clear(&s);
	refctl__report_at_risk_title(&s, r);
	heading(w, s.ptr);
	refctl__report_at_risk_rows(&risk, f);
	tab_render(w, risk_headers, risk_limits, 0, &risk);

	refctl_buf_clear(&s);
	refctl__report_consent_title(&s, f);
	heading(w, s.ptr);
	refctl__report_consent_rows(&consent, f);
	tab_render(w, consent_headers, consent_limits, 0, &consent);
	refctl_buf_release(&s);
}

static void coverage(struct writer *w, const char *title, const char *what,
		     const struct refctl_report_cover *v, size_t n)
{
	const char *headers[] = { what, "requests", "advocates", "declined", "per advocate" };
	static const size_t limits[] = { 40, 0, 0, 0, 0 };
	struct refctl__report_rows rows = REFCTL__REPORT_ROWS_INIT(5);

	heading(w, title);
	refctl__report_cover_rows(&rows, v, n);
	tab_render(w, headers, limits, 0x1e, &rows);
}

static void roster(struct writer *w, const struct refctl_report *r)
{
	static const char *const headers[] = { "change", "advocate", "commits", "by" };
	static const size_t limits[] = { 0, 46, 0, 30 };
	struct refctl__report_rows rows = REFCTL__REPORT_ROWS_INIT(4);

	heading(w, "Roster changes (from the git history of advocates/)");
	refctl__report_roster_rows(&rows, &r->cur);
	tab_render(w, headers, limits, 0x4, &rows);
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
		struct refctl_buf label = REFCTL_BUF_INIT, program = REFCTL_BUF_INIT;
		refctl_buf_puts(&label, ": report for ");
		refctl__report_period_label(&label, r->cur.period);
		refctl_buf_clear(&s);
		refctl_text_escape(&program, r->program, 0);
		refctl__report_clip(&s, program.ptr, TEXT_WIDTH - label.size);
		refctl_buf_release(&program);
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
