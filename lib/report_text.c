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
	size_t max_rows; /* rows of a table before "and N more" */
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

/* Lay out a table (cells clipped to limits in text, its text_hide columns
 * left out there), at most max_rows rows unless it is all_rows, then
 * release it. */
static void tab_render(struct writer *w, const size_t *limits, struct refctl__report_table *t)
{
	struct refctl_buf cell = REFCTL_BUF_INIT, tmp = REFCTL_BUF_INIT, shown = REFCTL_BUF_INIT;
	size_t nrows = t->nrows;

	if (!t->nrows) {
		refctl_buf_puts(w->out, w->md ? "(none)\n" : INDENT "(none)\n");
		refctl__report_table_release(t);
		return;
	}
	if (!t->all_rows && w->max_rows && nrows > w->max_rows)
		nrows = w->max_rows;
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
		for (size_t r = 0; r < nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				refctl_buf_puts(w->out, "| ");
				md_escape(w->out, t->cells[r * t->ncols + c]);
				refctl_buf_putc(w->out, ' ');
			}
			refctl_buf_puts(w->out, "|\n");
		}
		if (nrows < t->nrows) {
			refctl_buf_clear(&tmp);
			refctl__report_more(&tmp, t->nrows - nrows);
			refctl_buf_puts(w->out, "\n*");
			md_escape(w->out, tmp.ptr);
			refctl_buf_puts(w->out, "*\n");
		}
	} else {
		const char *headers[REFCTL__REPORT_MAXCOLS] = { NULL };
		size_t cols[REFCTL__REPORT_MAXCOLS] = { 0 }, n = 0;
		struct refctl_table *rt;
		const char **row;
		char **clipped;
		for (size_t c = 0; c < t->ncols; c++)
			if (!(t->text_hide & (1u << c))) {
				cols[n] = c;
				headers[n++] = t->headers[c];
			}
		rt = refctl_table_new(n, headers);
		row = refctl__calloc(n, sizeof(*row));
		clipped = refctl__calloc(n, sizeof(*clipped));
		for (size_t k = 0; k < n; k++)
			if (t->right & (1u << cols[k]))
				refctl_table_align_right(rt, k);
		for (size_t r = 0; r < nrows; r++) {
			for (size_t k = 0; k < n; k++) {
				size_t c = cols[k];
				refctl_buf_clear(&cell);
				/* escaped before clipping, to clip what is shown */
				refctl_buf_clear(&shown);
				refctl_text_escape(&shown, t->cells[r * t->ncols + c], REFCTL_ESCAPE_SPACES);
				if (limits && limits[c])
					refctl__report_clip(&cell, shown.ptr, limits[c]);
				else
					refctl_buf_puts(&cell, shown.ptr);
				clipped[k] = refctl_buf_detach(&cell);
				row[k] = clipped[k];
			}
			refctl_table_add(rt, row);
			for (size_t k = 0; k < n; k++)
				free(clipped[k]);
		}
		refctl_table_render(&tmp, rt, REFCTL_FORMAT_TABLE, 0);
		for (const char *p = tmp.ptr; *p;) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			refctl_buf_puts(w->out, INDENT);
			refctl_buf_put(w->out, p, len);
			refctl_buf_putc(w->out, '\n');
			p += len + (eol ? 1 : 0);
		}
		if (nrows < t->nrows) {
			refctl_buf_puts(w->out, INDENT);
			refctl__report_more(w->out, t->nrows - nrows);
			refctl_buf_putc(w->out, '\n');
		}
		refctl_table_free(rt);
		free(row);
		free(clipped);
	}
	refctl_buf_release(&cell);
	refctl_buf_release(&tmp);
	refctl_buf_release(&shown);
	refctl__report_table_release(t);
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
		/* wrapped at spaces to the text width */
		struct refctl_buf shown = REFCTL_BUF_INIT;
		const char *p;
		refctl_text_escape(&shown, text, 0);
		p = shown.ptr;
		while (*p) {
			const char *end = p, *brk = NULL;
			size_t cols = 0;
			while (*end && cols < TEXT_WIDTH - sizeof(INDENT) + 1) {
				if (*end == ' ')
					brk = end;
				end++;
				while ((*end & 0xc0) == 0x80)
					end++;
				cols++;
			}
			if (*end && brk)
				end = brk;
			refctl_buf_puts(w->out, INDENT);
			refctl_buf_put(w->out, p, (size_t)(end - p));
			refctl_buf_putc(w->out, '\n');
			p = *end == ' ' ? end + 1 : end;
		}
		refctl_buf_release(&shown);
	}
}

/* A table under its title. */
static void table(struct writer *w, const size_t *limits, struct refctl__report_table *t)
{
	heading(w, t->title.ptr);
	tab_render(w, limits, t);
}

static void counts_table(struct writer *w, const char *title, const char *what,
			 const struct refctl_report_counts *c)
{
	static const size_t limits[] = { 60, 0 };
	struct refctl__report_table t;

	refctl__report_counts_table(&t, title, what, c);
	table(w, limits, &t);
}

static void top_table(struct writer *w, const struct refctl_report *r)
{
	static const size_t limits[] = { 0, 60, 0, 0 };
	struct refctl__report_table t;

	refctl__report_top_table(&t, r);
	table(w, limits, &t);
}

static void advocates(struct writer *w, const struct refctl_report *r)
{
	static const size_t overused_limits[] = { 60, 0, 0, 0 };
	static const size_t risk_limits[] = { 46, 50, 0 };
	static const size_t consent_limits[] = { 60, 0, 0 };
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	heading(w, "Advocates");
	refctl__report_advocates_summary(&s, &r->cur);
	para(w, s.ptr);
	top_table(w, r);
	refctl__report_overused_table(&t, r);
	table(w, overused_limits, &t);
	refctl__report_at_risk_table(&t, r);
	table(w, risk_limits, &t);
	refctl__report_consent_table(&t, r);
	table(w, consent_limits, &t);
	refctl_buf_release(&s);
}

static void value(struct writer *w, const struct refctl_report *r)
{
	static const size_t limits[] = { 0, 40, 0, 0, 0, 0, 0 };
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	heading(w, "Value");
	refctl__report_value_summary(&s, r, &r->cur);
	para(w, s.ptr);
	refctl__report_value_table(&t, r);
	table(w, limits, &t);
	refctl_buf_release(&s);
}

static void coverage(struct writer *w, const char *title, const char *what,
		     const struct refctl_report_cover *v, size_t n)
{
	static const size_t limits[] = { 40, 0, 0, 0, 0 };
	struct refctl__report_table t;

	refctl__report_cover_table(&t, title, what, v, n);
	table(w, limits, &t);
}

static void content(struct writer *w, const struct refctl_report *r)
{
	static const size_t limits[] = { 0, 0, 0, 50, 0 };
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	heading(w, "Content");
	refctl__report_content_summary(&s, r);
	para(w, s.ptr);
	refctl__report_content_published_table(&t, r);
	table(w, limits, &t);
	refctl__report_content_expiring_table(&t, r);
	table(w, limits, &t);
	refctl__report_content_gaps_table(&t, r);
	table(w, NULL, &t);
	refctl__report_content_use_table(&t, r);
	table(w, NULL, &t);
	refctl_buf_release(&s);
}

static void header(struct writer *w, const struct refctl_report *r)
{
	struct refctl__report_header h;
	struct refctl_buf s = REFCTL_BUF_INIT;

	refctl__report_header(&h, r);
	if (w->md) {
		refctl_buf_puts(w->out, "# ");
		md_escape(w->out, h.title.ptr);
		refctl_buf_puts(w->out, "\n\n");
		md_escape(w->out, h.period.ptr);
		refctl_buf_puts(w->out, "\n");
		if (h.generated.size)
			refctl_buf_printf(w->out, "\n%s\n", h.generated.ptr);
		if (h.left_out.size) {
			refctl_buf_puts(w->out, "\n**Warning: ");
			md_escape(w->out, h.left_out.ptr);
			refctl_buf_puts(w->out, "**\n");
		}
	} else {
		/* the program's name gives way to the period in the width */
		struct refctl_buf program = REFCTL_BUF_INIT;
		refctl_text_escape(&program, r->program, 0);
		refctl__report_clip(&s, program.ptr, TEXT_WIDTH - (h.title.size - h.program));
		refctl_buf_release(&program);
		refctl_buf_printf(w->out, "%s%s\n%s\n", s.ptr, h.title.ptr + h.program, h.period.ptr);
		if (h.generated.size)
			refctl_buf_printf(w->out, "%s\n", h.generated.ptr);
		if (h.left_out.size)
			refctl_buf_printf(w->out, "Warning: %s\n", h.left_out.ptr);
	}
	refctl__report_header_release(&h);
	refctl_buf_release(&s);
}

static void render(struct writer *w, const struct refctl_report *r)
{
	static const size_t roster_limits[] = { 0, 46, 0, 30, 0 };
	static const size_t program_limits[] = { 30, 0, 0, 0, 0, 0 };
	struct refctl__report_table t;

	header(w, r);
	for (size_t i = 0; i < r->nsections; i++)
		switch ((enum refctl_report_section)r->sections[i]) {
		case REFCTL_SECTION_KEY_FIGURES:
			/* the headline table says it all when it is there */
			if (refctl_report_has_section(r, REFCTL_SECTION_HEADLINES))
				break;
			refctl__report_key_table(&t, r);
			table(w, NULL, &t);
			break;
		case REFCTL_SECTION_HEADLINES:
			refctl__report_headline_table(&t, r);
			table(w, NULL, &t);
			break;
		case REFCTL_SECTION_CHARTS: /* HTML's */
		case REFCTL_SECTION_COUNT:
			break;
		case REFCTL_SECTION_REQUESTS:
			counts_table(w, "Requests opened by activity", "activity", &r->cur.by_activity);
			counts_table(w, "Requests opened by region of the advocate", "region", &r->cur.by_region);
			counts_table(w, "Requests opened by industry of the advocate", "industry", &r->cur.by_industry);
			counts_table(w, "Requests opened by requester", "requester", &r->cur.by_requester);
			break;
		case REFCTL_SECTION_ADVOCATES:
			advocates(w, r);
			break;
		case REFCTL_SECTION_VALUE:
			value(w, r);
			break;
		case REFCTL_SECTION_PROGRAMS:
			refctl__report_programs_table(&t, r);
			table(w, program_limits, &t);
			break;
		case REFCTL_SECTION_COVERAGE:
			coverage(w, "Coverage by industry (most requests per active advocate first)", "industry",
				 r->cur.industries, r->cur.nindustries);
			coverage(w, "Coverage by product (most requests per active advocate first)", "product",
				 r->cur.products, r->cur.nproducts);
			break;
		case REFCTL_SECTION_ROSTER:
			refctl__report_roster_table(&t, r);
			table(w, roster_limits, &t);
			break;
		case REFCTL_SECTION_CONTENT:
			if (r->content.items)
				content(w, r);
			break;
		}
}

void refctl_report_text(struct refctl_buf *out, const struct refctl_report *r)
{
	struct writer w = { out, 0, (size_t)r->max_rows };
	render(&w, r);
}

void refctl_report_markdown(struct refctl_buf *out, const struct refctl_report *r)
{
	struct writer w = { out, 1, (size_t)r->max_rows };
	render(&w, r);
}
