#ifndef REFCTL_OUTPUT_H
#define REFCTL_OUTPUT_H

#include <jansson.h>
#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/record.h"

enum refctl_format {
	REFCTL_FORMAT_TABLE,
	REFCTL_FORMAT_TSV,
	REFCTL_FORMAT_CSV,
	REFCTL_FORMAT_JSON,
	REFCTL_FORMAT_YAML,
	REFCTL_FORMAT_IDS,
	REFCTL_FORMAT_TEXT,
	REFCTL_FORMAT_MARKDOWN,
	REFCTL_FORMAT_HTML,
};
#define REFCTL_FMT(f) (1u << (f))

/* Parse a --format value among the allowed ones (a mask of REFCTL_FMT()). */
int refctl_format_parse(enum refctl_format *out, const char *s, unsigned allowed);
const char *refctl_format_name(enum refctl_format f);

/* A table of strings rendered as aligned columns, TSV or CSV. */
struct refctl_table;
struct refctl_table *refctl_table_new(size_t ncols, const char *const *headers);
void refctl_table_align_right(struct refctl_table *t, size_t col);
void refctl_table_add(struct refctl_table *t, const char *const *cells);
size_t refctl_table_rows(const struct refctl_table *t);

/* How refctl_table_render_opts() renders; zero is the default. */
struct refctl_render_opts {
	int color;   /* table: the header in bold (ANSI) */
	int raw_csv; /* csv: every cell as stored, formula-like cells not neutralised */
};
#define REFCTL_RENDER_OPTS_INIT { 0, 0 }

/*
 * table: aligned columns, the header in bold when color; newline, CR and
 * tab become spaces and every other control character is shown escaped
 * (see refctl_text_escape()).
 * tsv: a header line, cells separated by tabs, \t \n \r \\ escaped.
 * csv: RFC 4180, CRLF line ends; a cell a spreadsheet would run as a
 * formula (see refctl_csv_is_formula()) gets a ' in front unless raw_csv.
 */
void refctl_table_render_opts(struct refctl_buf *out, const struct refctl_table *t,
			      enum refctl_format fmt, const struct refctl_render_opts *opts);
/* The same with the default options and color. */
void refctl_table_render(struct refctl_buf *out, const struct refctl_table *t,
			 enum refctl_format fmt, int color);
void refctl_table_free(struct refctl_table *t);

/* Display width of UTF-8 text (one column per code point). */
size_t refctl_text_width(const char *s);

/* Flags of refctl_text_escape(). */
enum {
	REFCTL_ESCAPE_KEEP_NEWLINE = 1u << 0, /* leave newlines as they are (text of many lines) */
	REFCTL_ESCAPE_KEEP_TAB = 1u << 1,     /* leave tabs as they are */
	REFCTL_ESCAPE_SPACES = 1u << 2,       /* newline, CR and tab become spaces (a table cell) */
};

/*
 * Append s to out with every character that could drive a terminal or
 * change how the text reads shown as an escape, so that text from a file
 * can never clear a screen, set a window title, ring a bell, fake a line
 * or reorder what is shown around it:
 *   newline, CR, tab            \n \r \t (unless kept, or made spaces)
 *   other C0 (U+0000..U+001F), DEL (U+007F)          \x01 .. \x1f, \x7f
 *   C1 (U+0080..U+009F, in UTF-8)                    \u0080 .. \u009f
 *   bidirectional embeddings and overrides U+202A..U+202E, isolates
 *   U+2066..U+2069                                   \u202a .. \u2069
 *   a byte that is not part of valid UTF-8           \xNN
 * Everything else, backslashes included, is copied as it is: the escapes
 * are for reading, the machine formats carry the exact bytes. Escaping
 * escaped text changes nothing.
 */
void refctl_text_escape(struct refctl_buf *out, const char *s, unsigned flags);
/* Whether refctl_text_escape() would copy s unchanged. */
int refctl_text_is_safe(const char *s, unsigned flags);

/*
 * Whether a spreadsheet would take s for a formula (OWASP's CSV injection
 * rule): it starts with =, +, -, @, tab or CR, and is not a plain number
 * (an optional sign, digits, and optionally a point and digits: -5, +3,
 * -12.50 stay numbers).
 */
int refctl_csv_is_formula(const char *s);

/* The record as JSON, typed by the schema (numbers, booleans, strings); NULL
 * if its tree cannot be read (refctl_record_tree()). */
json_t *refctl_record_to_json(struct refctl_record *rec);
/* Any tree as JSON: quoted scalars are strings, plain ones typed as YAML reads them. */
json_t *refctl_node_to_json(const struct refctl_node *n);
/* Append j as indented JSON and a newline. */
void refctl_json_dump(struct refctl_buf *out, const json_t *j);

#endif
