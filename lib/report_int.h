#ifndef REFCTL_LIB_REPORT_INT_H
#define REFCTL_LIB_REPORT_INT_H

/* Helpers shared by the report's renderers (lib/report_*.c). */
#include "refctl/report.h"
#include "refctl/report_render.h"

/* 1234567 -> "1,234,567" */
void refctl__report_count(struct refctl_buf *b, long v);
/* Money with thousands separators, cents only when there are any, and the
 * currency code when given: "250,000 USD", "1,234.50 USD". */
void refctl__report_money(struct refctl_buf *b, double v, const char *currency);
/* A plain number for CSV: integers as such, else at most 6 decimals, trailing zeros cut. */
void refctl__report_plain(struct refctl_buf *b, double v);
/* A headline value as people read it ("83.3%", "4.5", "250,000"); "n/a" for NAN. */
void refctl__report_value(struct refctl_buf *b, enum refctl_report_kind kind, double v, const char *currency);
/* The change from prev to cur: "+5", "-16.7 pts", "0"; "n/a" if either is NAN. */
void refctl__report_change(struct refctl_buf *b, enum refctl_report_kind kind, double cur, double prev,
			   const char *currency);
/* "October 2026", "2026-Q4", "2026" or "2026-10-03 to 2026-10-17". */
void refctl__report_period_label(struct refctl_buf *b, struct refctl_period p);
/* "2026-10-01 to 2026-10-31" */
void refctl__report_period_span(struct refctl_buf *b, struct refctl_period p);
/* Why an advocate is at risk: "nps 5, health red, last contact 2026-03-01". */
void refctl__report_risk_text(struct refctl_buf *b, const struct refctl_report_risk *k);
/* "2026-11-15 06:00:00 UTC" */
void refctl__report_stamp(struct refctl_buf *b, int64_t t);
/* s cut to at most width columns, "..." marking the cut. */
void refctl__report_clip(struct refctl_buf *b, const char *s, size_t width);
/* The note about files left out, or "" when none was. */
void refctl__report_left_out(struct refctl_buf *b, size_t n);

/* "and 12 more (CSV and JSON list every row)", for a table capped at max rows. */
void refctl__report_more(struct refctl_buf *b, size_t more);

/* The head of the report, the same in text, Markdown and HTML. */
struct refctl__report_header {
	struct refctl_buf title;     /* "Acme: report for October 2026" */
	size_t program;              /* the bytes of title that are the program's name */
	struct refctl_buf period;    /* "Period 2026-10-01 to 2026-10-31, compared with 2026-09-01 to 2026-09-30." */
	struct refctl_buf generated; /* "Generated 2026-11-15 06:00:00 UTC.", or "" without a stamp */
	struct refctl_buf left_out;  /* the note about files left out, or "" */
};
void refctl__report_header(struct refctl__report_header *h, const struct refctl_report *r);
void refctl__report_header_release(struct refctl__report_header *h);

/*
 * One table of the report: its title, its column headers, which columns
 * hold numbers (bit c: column c, right-aligned) and its rows as text
 * cells. The text, Markdown and HTML renderings lay out the same tables:
 * these build them once. Each builder initialises t, title included;
 * refctl__report_table_release() frees it.
 */
#define REFCTL__REPORT_MAXCOLS 8
struct refctl__report_table {
	struct refctl_buf title;
	const char *headers[REFCTL__REPORT_MAXCOLS]; /* borrowed */
	unsigned right;
	unsigned text_hide;  /* bit c: column c is left out in text (an id beside the name) */
	int all_rows;        /* shown whole: not capped at the report's max_rows */
	size_t ncols, nrows, alloc;
	char **cells; /* row-major, owned */
};

void refctl__report_table_init(struct refctl__report_table *t, size_t ncols, const char *const *headers,
			       unsigned right);
void refctl__report_table_add(struct refctl__report_table *t, const char *const *cells);
const char *const *refctl__report_table_row(const struct refctl__report_table *t, size_t i);
void refctl__report_table_release(struct refctl__report_table *t);

/* "Key figures": the report's key headline figures (an audience's), likewise */
void refctl__report_key_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "Programs side by side": program, advocates, requests, fulfilment, revenue influenced, at risk */
void refctl__report_programs_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "Headlines": metric, this period, previous, change (the report's heads) */
void refctl__report_headline_table(struct refctl__report_table *t, const struct refctl_report *r);
/* title: what, requests */
void refctl__report_counts_table(struct refctl__report_table *t, const char *title, const char *what,
				 const struct refctl_report_counts *c);
/* "Top 5 advocates ...": rank, advocate (name, company), requests, id */
void refctl__report_top_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "Overused: ...": advocate (name, company), engagements, limit, id */
void refctl__report_overused_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "Consent expiring ...": advocate (name, company), consent until, id; soonest first */
void refctl__report_consent_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "At risk: ...": advocate (name, company), why, id */
void refctl__report_at_risk_table(struct refctl__report_table *t, const struct refctl_report *r);
/* title: what, requests, advocates, declined, per advocate */
void refctl__report_cover_table(struct refctl__report_table *t, const char *title, const char *what,
				const struct refctl_report_cover *v, size_t n);
/* "Roster changes ...": change, advocate (name, company; the id of a removed file), commits, by, id */
void refctl__report_roster_table(struct refctl__report_table *t, const struct refctl_report *r);

/* "Top 5 advocates by value created": rank, advocate (name, company),
 * value created, referrals, own spend, ratio */
void refctl__report_value_table(struct refctl__report_table *t, const struct refctl_report *r);
/* "Value created 340,000.50: revenue influenced ... and referrals won ...,
 * each opportunity once. 2 advocates with an account value spend ... a
 * year; the value they created is 3.4x that." */
void refctl__report_value_summary(struct refctl_buf *b, const struct refctl_report *r,
				  const struct refctl_report_figures *f);

/* The content library: "12 content items; 3 published in the period, 2
 * expiring by 2027-01-14, 4 uses in the period; 1 translation missing." and
 * its tables: published (id, kind, lang, title, created), expiring (...,
 * expires), translations missing (product, language, advocates), use by
 * kind (kind, uses). */
void refctl__report_content_summary(struct refctl_buf *b, const struct refctl_report *r);
void refctl__report_content_published_table(struct refctl__report_table *t, const struct refctl_report *r);
void refctl__report_content_expiring_table(struct refctl__report_table *t, const struct refctl_report *r);
void refctl__report_content_gaps_table(struct refctl__report_table *t, const struct refctl_report *r);
void refctl__report_content_use_table(struct refctl__report_table *t, const struct refctl_report *r);

/* "Total 45, active 36, new in the period 1, used 7 (utilisation 19.4%)." */
void refctl__report_advocates_summary(struct refctl_buf *b, const struct refctl_report_figures *f);

#endif
