/*
 * The report as one self-contained HTML file: no script, no external font
 * or image; inline CSS (print-friendly) and inline SVG charts. The markup
 * is also well-formed XML, so an XML parser can check it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/output.h"
#include "report_int.h"
#include "util.h"

static const char css[] =
	":root{color-scheme:light}\n"
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
	"color:#1f2933;background:#fff;margin:2rem auto;max-width:62rem;padding:0 1.5rem;line-height:1.4}\n"
	"h1{font-size:1.6rem;margin:0 0 .2rem}\n"
	"h2{font-size:1.15rem;border-bottom:2px solid #d9e2ec;padding-bottom:.2rem;margin:2rem 0 .6rem}\n"
	"h3{font-size:1rem;margin:1rem 0 .3rem}\n"
	"p.meta{color:#52606d;margin:0}\n"
	"p.warning{background:#fff3c4;border-left:4px solid #f0b429;padding:.5rem .75rem}\n"
	"table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem;font-size:.92rem}\n"
	"th,td{padding:.28rem .6rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}\n"
	"th{background:#f5f7fa;font-weight:600}\n"
	"th.n,td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.none,td.more{color:#7b8794;font-style:italic}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.8rem;margin:.8rem 0 1.2rem}\n"
	".card{border:1px solid #d9e2ec;border-radius:6px;padding:.55rem .8rem;break-inside:avoid}\n"
	".card .label{color:#52606d;font-size:.85rem}\n"
	".card .value{font-size:1.45rem;font-weight:700;font-variant-numeric:tabular-nums}\n"
	".card .change{color:#52606d;font-size:.8rem}\n"
	".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 2rem}\n"
	"figure{margin:0 0 1.5rem;break-inside:avoid;page-break-inside:avoid}\n"
	"figcaption{font-weight:600;margin-bottom:.3rem}\n"
	"svg{max-width:100%;height:auto;display:block}\n"
	"svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;font-size:12px;"
	"fill:#334e68}\n"
	"svg .axis{stroke:#9aa5b1;stroke-width:1}\n"
	"svg .grid{stroke:#e4e7eb;stroke-width:1}\n"
	"svg .bar{fill:#2f6fb3}\n"
	"svg .bar.past{fill:#9fb3c8}\n"
	"svg .bar.gap{fill:#c8553d}\n"
	"svg text.value{font-weight:600;fill:#1f2933}\n"
	"svg text.small{font-size:11px;fill:#627d98}\n"
	"svg text.inside{fill:#fff}\n"
	"@media print{body{margin:0;max-width:none;font-size:9.5pt}h2,h3{break-after:avoid}"
	"h2{margin-top:1.2rem}th,td{padding:.12rem .4rem}tr,figure{break-inside:avoid}"
	"thead{display:table-header-group}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
	"@page{margin:1.5cm}\n";

static void esc(struct refctl_buf *b, const char *s)
{
	static const char *const entity[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	struct refctl_buf shown = REFCTL_BUF_INIT;

	/* an entity would still act: show escapes, as the other formats do */
	refctl_text_escape(&shown, s, REFCTL_ESCAPE_KEEP_NEWLINE | REFCTL_ESCAPE_KEEP_TAB);
	for (s = shown.ptr; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (entity[c])
			refctl_buf_puts(b, entity[c]);
		else if (c < 0x20 && c != '\n' && c != '\t')
			refctl_buf_putc(b, ' '); /* control characters are not allowed in XML 1.0 */
		else
			refctl_buf_putc(b, *s);
	}
	refctl_buf_release(&shown);
}

/* ---- tables ---- */

struct htab {
	struct refctl_buf *out;
	size_t ncols;
	unsigned right;
	size_t rows;
	size_t more; /* rows left out: "and N more" */
};

static void htab_begin(struct htab *t, struct refctl_buf *out, const char *const *headers, size_t n,
		       unsigned right)
{
	t->out = out;
	t->ncols = n;
	t->right = right;
	t->rows = 0;
	t->more = 0;
	refctl_buf_puts(out, "<table><thead><tr>");
	for (size_t c = 0; c < n; c++) {
		refctl_buf_puts(out, right & (1u << c) ? "<th class=\"n\">" : "<th>");
		esc(out, headers[c]);
		refctl_buf_puts(out, "</th>");
	}
	refctl_buf_puts(out, "</tr></thead><tbody>\n");
}

static void htab_row(struct htab *t, const char *const *cells)
{
	refctl_buf_puts(t->out, "<tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		refctl_buf_puts(t->out, t->right & (1u << c) ? "<td class=\"n\">" : "<td>");
		esc(t->out, cells[c] ? cells[c] : "");
		refctl_buf_puts(t->out, "</td>");
	}
	refctl_buf_puts(t->out, "</tr>\n");
	t->rows++;
}

static void htab_end(struct htab *t)
{
	if (!t->rows)
		refctl_buf_printf(t->out, "<tr><td class=\"none\" colspan=\"%zu\">none</td></tr>\n", t->ncols);
	if (t->more) {
		struct refctl_buf more = REFCTL_BUF_INIT;
		refctl__report_more(&more, t->more);
		refctl_buf_printf(t->out, "<tr><td class=\"more\" colspan=\"%zu\">", t->ncols);
		esc(t->out, more.ptr);
		refctl_buf_puts(t->out, "</td></tr>\n");
		refctl_buf_release(&more);
	}
	refctl_buf_puts(t->out, "</tbody></table>\n");
}

/* A whole table: headers, then at most the report's max_rows rows; released. */
static void htab_rows(struct refctl_buf *out, const struct refctl_report *r, struct refctl__report_table *rows)
{
	struct htab t;
	size_t n = rows->nrows;

	if (!rows->all_rows && r->max_rows > 0 && n > (size_t)r->max_rows)
		n = (size_t)r->max_rows;
	htab_begin(&t, out, rows->headers, rows->ncols, rows->right);
	for (size_t i = 0; i < n; i++)
		htab_row(&t, refctl__report_table_row(rows, i));
	t.more = rows->nrows - n;
	htab_end(&t);
	refctl__report_table_release(rows);
}

static void h2(struct refctl_buf *out, const char *id, const char *title)
{
	refctl_buf_printf(out, "<h2 id=\"%s\">", id);
	esc(out, title);
	refctl_buf_puts(out, "</h2>\n");
}

static void h3(struct refctl_buf *out, const char *title)
{
	refctl_buf_puts(out, "<h3>");
	esc(out, title);
	refctl_buf_puts(out, "</h3>\n");
}

/* A table under its title, a heading of level 3. */
static void table(struct refctl_buf *out, const struct refctl_report *r, struct refctl__report_table *t)
{
	h3(out, t->title.ptr);
	htab_rows(out, r, t);
}

/* A table of its own section (level 2, with an id). */
static void section_table(struct refctl_buf *out, const struct refctl_report *r, const char *id,
			  struct refctl__report_table *t)
{
	h2(out, id, t->title.ptr);
	htab_rows(out, r, t);
}

static void counts_table(struct refctl_buf *out, const struct refctl_report *r, const char *title,
			 const char *what, const struct refctl_report_counts *c)
{
	struct refctl__report_table t;

	refctl_buf_puts(out, "<div>\n");
	refctl__report_counts_table(&t, title, what, c);
	table(out, r, &t);
	refctl_buf_puts(out, "</div>\n");
}

/* ---- charts ---- */

/* The smallest 1, 2 or 5 times a power of ten at or above v (at least 1). */
static double nice_max(double v)
{
	double p = 1;
	if (v <= 1)
		return 1;
	while (p * 10 < v)
		p *= 10;
	if (v <= p)
		return p;
	if (v <= 2 * p)
		return 2 * p;
	if (v <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static void svg_open(struct refctl_buf *out, int w, int h, const char *label)
{
	refctl_buf_printf(out,
			  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
			  w, h, w, h);
	esc(out, label);
	refctl_buf_puts(out, "\">\n");
}

static void chart_months(struct refctl_buf *out, const struct refctl_report *r)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const int W = 720, H = 250, left = 44, right = 10, top = 22, bottom = 44;
	const double plot_w = W - left - right, plot_h = H - top - bottom, slot = plot_w / 12;
	long max = 0;
	double ymax;

	for (int i = 0; i < 12; i++)
		if (r->by_month[i] > max)
			max = r->by_month[i];
	ymax = nice_max((double)max);
	refctl_buf_puts(out, "<figure>\n<figcaption>Requests opened per month</figcaption>\n");
	svg_open(out, W, H, "Requests opened per month, the 12 months up to the end of the period");
	for (int g = 0; g <= 4; g++) {
		double v = ymax * g / 4, y = top + plot_h - plot_h * g / 4;
		refctl_buf_printf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
				  g ? "grid" : "axis", left, y, W - right, y);
		if (v == floor(v))
			refctl_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"small\">%.0f</text>\n",
					  left - 6, y + 4, v);
	}
	for (int i = 0; i < 12; i++) {
		refctl_date first = refctl_date_add_months(r->months_from, i);
		refctl_date last = refctl_date_month_end(first);
		int y, m, d, current = last >= r->cur.period.from && first <= r->cur.period.to;
		double h = plot_h * (double)r->by_month[i] / ymax;
		double x = left + slot * i + slot * 0.18, bw = slot * 0.64, cx = left + slot * i + slot / 2;

		refctl_date_to_ymd(&y, &m, &d, first);
		refctl_buf_printf(out, "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
				       "<title>%04d-%02d: %ld</title></rect>\n",
				  current ? "" : " past", x, top + plot_h - h, bw, h, y, m, r->by_month[i]);
		refctl_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"value\">%ld</text>\n",
				  cx, top + plot_h - h - 5, r->by_month[i]);
		refctl_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", cx,
				  top + (int)plot_h + 16, mon[m - 1]);
		if (i == 0 || m == 1)
			refctl_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"small\">%d</text>\n",
					  cx, top + (int)plot_h + 31, y);
	}
	refctl_buf_puts(out, "</svg>\n</figure>\n");
}

/*
 * The width a text takes at the charts' 12px sans-serif, in pixels, by
 * generous per-character estimates (wide capitals, narrow punctuation;
 * anything outside ASCII as wide), so that no label is laid out past the
 * SVG's edge. tests/cli/t-report-html.sh measures the real boxes in a
 * browser.
 */
static double text_px(const char *s, int bold)
{
	double w = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xc0) == 0x80)
			continue; /* a continuation byte: counted with its lead */
		if (c >= 0x80 || strchr("MWmw@%", c))
			w += 11;
		else if (c >= 'A' && c <= 'Z')
			w += 8.5;
		else if (strchr("il.,:;!|'()[] ", c))
			w += 4;
		else
			w += 7;
	}
	return bold ? w * 1.08 : w;
}

/* s cut (with "...") to at most px pixels by text_px. */
static void clip_px(struct refctl_buf *b, const char *s, double px)
{
	const char *p = s;
	double w = 0, dots = text_px("...", 0);

	if (text_px(s, 0) <= px) {
		refctl_buf_puts(b, s);
		return;
	}
	while (*p) {
		char one[8];
		size_t n = 1;
		while ((p[n] & 0xc0) == 0x80 && n < sizeof(one) - 1)
			n++;
		memcpy(one, p, n);
		one[n] = '\0';
		if (w + text_px(one, 0) + dots > px)
			break;
		w += text_px(one, 0);
		p += n;
	}
	refctl_buf_put(b, s, (size_t)(p - s));
	refctl_buf_puts(b, "...");
}

/* Horizontal bars: labels, values (NAN: a gap drawn full length) and notes. */
struct hbar {
	const char *label;
	double value;
	const char *note;
};

static void chart_hbars(struct refctl_buf *out, const char *caption, const char *aria,
			const struct hbar *v, size_t n, const char *empty)
{
	const int W = 720, row = 26, left = 200, right = 12, top = 8, pad = 6;
	double plot_w, max = 0, reserve = 0;
	int H = top * 2 + (int)(n ? n : 1) * row;
	struct refctl_buf label = REFCTL_BUF_INIT;

	/* room after the bars for the widest note drawn there */
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i].value)) {
			if (v[i].value > max)
				max = v[i].value;
			if (text_px(v[i].note, 1) + pad > reserve)
				reserve = text_px(v[i].note, 1) + pad;
		}
	plot_w = W - left - right - reserve;
	if (plot_w < 120)
		plot_w = 120;
	refctl_buf_puts(out, "<figure>\n<figcaption>");
	esc(out, caption);
	refctl_buf_puts(out, "</figcaption>\n");
	svg_open(out, W, H, aria);
	if (!n) {
		refctl_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"small\">", 0, top + 17);
		esc(out, empty);
		refctl_buf_puts(out, "</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		double y = top + (double)i * row, w;
		int gap = isnan(v[i].value);
		w = gap ? plot_w : max > 0 ? plot_w * v[i].value / max : 0;
		if (!gap && v[i].value > 0 && w < 2)
			w = 2;
		refctl_buf_clear(&label);
		clip_px(&label, v[i].label, left - 8 - 4);
		refctl_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + 17);
		esc(out, label.ptr);
		refctl_buf_puts(out, "</text>\n");
		refctl_buf_printf(out, "<rect class=\"bar%s\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"><title>",
				  gap ? " gap" : "", left, y + 4, w, row - 8);
		esc(out, v[i].label);
		refctl_buf_puts(out, ": ");
		esc(out, v[i].note);
		refctl_buf_puts(out, "</title></rect>\n");
		/* the note after the bar, or inside its end when it would not
		 * fit (a gap's bar is the full width) */
		if (left + w + pad + text_px(v[i].note, 1) <= W - right / 2.0)
			refctl_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">", left + w + pad, y + 17);
		else
			refctl_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"value inside\">",
					  left + w - pad, y + 17);
		esc(out, v[i].note);
		refctl_buf_puts(out, "</text>\n");
	}
	refctl_buf_puts(out, "</svg>\n</figure>\n");
	refctl_buf_release(&label);
}

static void chart_activity(struct refctl_buf *out, const struct refctl_report *r)
{
	const struct refctl_report_counts *c = &r->cur.by_activity;
	struct hbar *v = refctl__calloc(c->n ? c->n : 1, sizeof(*v));
	char **notes = refctl__calloc(c->n ? c->n : 1, sizeof(*notes));

	for (size_t i = 0; i < c->n; i++) {
		struct refctl_buf b = REFCTL_BUF_INIT;
		refctl__report_count(&b, c->v[i].n);
		notes[i] = refctl_buf_detach(&b);
		v[i].label = c->v[i].key;
		v[i].value = (double)c->v[i].n;
		v[i].note = notes[i];
	}
	chart_hbars(out, "Requests opened by activity", "Requests opened in the period by activity", v,
		    c->n, "No request was opened in this period.");
	for (size_t i = 0; i < c->n; i++)
		free(notes[i]);
	free(notes);
	free(v);
}

struct gap {
	const char *kind;
	const struct refctl_report_cover *c;
};

static int gap_cmp(const void *pa, const void *pb)
{
	const struct gap *a = pa, *b = pb;
	int na = isnan(a->c->per_advocate), nb = isnan(b->c->per_advocate), k;

	if (na != nb)
		return na ? -1 : 1;
	if (!na && a->c->per_advocate != b->c->per_advocate)
		return a->c->per_advocate > b->c->per_advocate ? -1 : 1;
	if (a->c->requests != b->c->requests)
		return a->c->requests > b->c->requests ? -1 : 1;
	if ((k = strcmp(a->kind, b->kind)))
		return k;
	return strcmp(a->c->key, b->c->key);
}

static void chart_gaps(struct refctl_buf *out, const struct refctl_report *r)
{
	const struct refctl_report_figures *f = &r->cur;
	size_t n = f->nindustries + f->nproducts, shown;
	struct gap *g = refctl__calloc(n ? n : 1, sizeof(*g));
	struct hbar *v;
	char **labels, **notes;

	for (size_t i = 0; i < f->nindustries; i++) {
		g[i].kind = "industry";
		g[i].c = &f->industries[i];
	}
	for (size_t i = 0; i < f->nproducts; i++) {
		g[f->nindustries + i].kind = "product";
		g[f->nindustries + i].c = &f->products[i];
	}
	if (n > 1)
		qsort(g, n, sizeof(*g), gap_cmp);
	shown = n < 10 ? n : 10;
	v = refctl__calloc(shown ? shown : 1, sizeof(*v));
	labels = refctl__calloc(shown ? shown : 1, sizeof(*labels));
	notes = refctl__calloc(shown ? shown : 1, sizeof(*notes));
	for (size_t i = 0; i < shown; i++) {
		struct refctl_buf b = REFCTL_BUF_INIT;
		refctl_buf_printf(&b, "%s: %s", g[i].kind, g[i].c->key);
		labels[i] = refctl_buf_detach(&b);
		if (isnan(g[i].c->per_advocate))
			refctl_buf_printf(&b, "no active advocate (%ld request%s)", g[i].c->requests,
					  g[i].c->requests == 1 ? "" : "s");
		else
			refctl_buf_printf(&b, "%.2f per advocate (%ld/%ld)", g[i].c->per_advocate,
					  g[i].c->requests, g[i].c->advocates);
		notes[i] = refctl_buf_detach(&b);
		v[i].label = labels[i];
		v[i].value = g[i].c->per_advocate;
		v[i].note = notes[i];
	}
	chart_hbars(out, "Coverage gaps: requests per active advocate (red: no active advocate)",
		    "Industries and products with the most requests per active advocate", v, shown,
		    "No request was opened in this period.");
	for (size_t i = 0; i < shown; i++) {
		free(labels[i]);
		free(notes[i]);
	}
	free(labels);
	free(notes);
	free(v);
	free(g);
}

/* ---- sections ---- */

/* The key headline figures as cards: value, and the change from the previous period. */
static void key_figures(struct refctl_buf *out, const struct refctl_report *r)
{
	struct refctl_buf v = REFCTL_BUF_INIT, c = REFCTL_BUF_INIT;

	h2(out, "key-figures", "Key figures");
	refctl_buf_puts(out, "<div class=\"cards\">\n");
	for (size_t k = 0; k < r->nkey; k++) {
		size_t i = r->key[k];
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		double cur = refctl_report_headline_value(&r->cur, i), prev = refctl_report_headline_value(&r->prev, i);
		refctl_buf_clear(&v);
		refctl_buf_clear(&c);
		refctl__report_value(&v, h->kind, cur, r->currency);
		refctl__report_change(&c, h->kind, cur, prev, r->currency);
		refctl_buf_puts(out, "<div class=\"card\"><div class=\"label\">");
		esc(out, h->label);
		refctl_buf_puts(out, "</div><div class=\"value\">");
		esc(out, v.ptr);
		refctl_buf_puts(out, "</div><div class=\"change\">");
		esc(out, c.ptr);
		refctl_buf_puts(out, " on the previous period</div></div>\n");
	}
	refctl_buf_puts(out, "</div>\n");
	refctl_buf_release(&v);
	refctl_buf_release(&c);
}

static void advocates(struct refctl_buf *out, const struct refctl_report *r)
{
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	h2(out, "advocates", "Advocates");
	refctl__report_advocates_summary(&s, &r->cur);
	refctl_buf_puts(out, "<p>");
	esc(out, s.ptr);
	refctl_buf_puts(out, "</p>\n");
	refctl__report_top_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "<div class=\"grid\">\n<div>\n");
	refctl__report_overused_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "</div>\n<div>\n");
	refctl__report_consent_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "</div>\n</div>\n");
	refctl__report_at_risk_table(&t, r);
	table(out, r, &t);
	refctl_buf_release(&s);
}

static void content(struct refctl_buf *out, const struct refctl_report *r)
{
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	h2(out, "content", "Content");
	refctl__report_content_summary(&s, r);
	refctl_buf_puts(out, "<p>");
	esc(out, s.ptr);
	refctl_buf_puts(out, "</p>\n");
	refctl__report_content_published_table(&t, r);
	table(out, r, &t);
	refctl__report_content_expiring_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "<div class=\"grid\">\n<div>\n");
	refctl__report_content_gaps_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "</div>\n<div>\n");
	refctl__report_content_use_table(&t, r);
	table(out, r, &t);
	refctl_buf_puts(out, "</div>\n</div>\n");
	refctl_buf_release(&s);
}

static void value(struct refctl_buf *out, const struct refctl_report *r)
{
	struct refctl__report_table t;
	struct refctl_buf s = REFCTL_BUF_INIT;

	h2(out, "value", "Value");
	refctl__report_value_summary(&s, r, &r->cur);
	refctl_buf_puts(out, "<p>");
	esc(out, s.ptr);
	refctl_buf_puts(out, "</p>\n");
	refctl__report_value_table(&t, r);
	table(out, r, &t);
	refctl_buf_release(&s);
}

static void coverage(struct refctl_buf *out, const struct refctl_report *r, const char *title, const char *what,
		     const struct refctl_report_cover *v, size_t n)
{
	struct refctl__report_table t;

	refctl__report_cover_table(&t, title, what, v, n);
	table(out, r, &t);
}

void refctl_report_html(struct refctl_buf *out, const struct refctl_report *r)
{
	struct refctl__report_header h;
	struct refctl__report_table t;

	refctl__report_header(&h, r);
	refctl_buf_puts(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
			     "<meta charset=\"utf-8\"/>\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
	esc(out, h.title.ptr);
	refctl_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	esc(out, h.title.ptr);
	refctl_buf_puts(out, "</h1>\n<p class=\"meta\">");
	esc(out, h.period.ptr);
	if (h.generated.size) {
		refctl_buf_putc(out, ' ');
		esc(out, h.generated.ptr);
	}
	refctl_buf_puts(out, "</p>\n");
	if (h.left_out.size) {
		refctl_buf_puts(out, "<p class=\"warning\">");
		esc(out, h.left_out.ptr);
		refctl_buf_puts(out, "</p>\n");
	}
	refctl__report_header_release(&h);
	refctl_buf_puts(out, "</header>\n<main>\n");
	/* by default what a reader sees first: the key figures and the charts, then the tables */
	for (size_t i = 0; i < r->nsections; i++)
		switch ((enum refctl_report_section)r->sections[i]) {
		case REFCTL_SECTION_KEY_FIGURES:
			key_figures(out, r);
			break;
		case REFCTL_SECTION_CHARTS:
			h2(out, "charts", "Charts");
			chart_months(out, r);
			chart_activity(out, r);
			chart_gaps(out, r);
			break;
		case REFCTL_SECTION_HEADLINES:
			refctl__report_headline_table(&t, r);
			section_table(out, r, "headlines", &t);
			break;
		case REFCTL_SECTION_REQUESTS:
			h2(out, "requests", "Requests opened");
			refctl_buf_puts(out, "<div class=\"grid\">\n");
			counts_table(out, r, "By activity", "activity", &r->cur.by_activity);
			counts_table(out, r, "By requester", "requester", &r->cur.by_requester);
			counts_table(out, r, "By region of the advocate", "region", &r->cur.by_region);
			counts_table(out, r, "By industry of the advocate", "industry", &r->cur.by_industry);
			refctl_buf_puts(out, "</div>\n");
			break;
		case REFCTL_SECTION_ADVOCATES:
			advocates(out, r);
			break;
		case REFCTL_SECTION_VALUE:
			value(out, r);
			break;
		case REFCTL_SECTION_PROGRAMS:
			refctl__report_programs_table(&t, r);
			section_table(out, r, "programs", &t);
			break;
		case REFCTL_SECTION_COVERAGE:
			h2(out, "coverage", "Coverage (most requests per active advocate first)");
			coverage(out, r, "By industry", "industry", r->cur.industries, r->cur.nindustries);
			coverage(out, r, "By product", "product", r->cur.products, r->cur.nproducts);
			break;
		case REFCTL_SECTION_ROSTER:
			refctl__report_roster_table(&t, r);
			section_table(out, r, "roster", &t);
			break;
		case REFCTL_SECTION_CONTENT:
			if (r->content.items)
				content(out, r);
			break;
		case REFCTL_SECTION_COUNT:
			break;
		}
	refctl_buf_puts(out, "</main>\n</body>\n</html>\n");
}
