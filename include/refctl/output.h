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
/* table: aligned, header in bold when color; tsv: header line, tab, \t \n \\ escaped;
 * csv: RFC 4180. */
void refctl_table_render(struct refctl_buf *out, const struct refctl_table *t,
			 enum refctl_format fmt, int color);
void refctl_table_free(struct refctl_table *t);

/* Display width of UTF-8 text (one column per code point). */
size_t refctl_text_width(const char *s);

/* The record as JSON, typed by the schema (numbers, booleans, strings). */
json_t *refctl_record_to_json(struct refctl_record *rec);
/* Any tree as JSON: quoted scalars are strings, plain ones typed as YAML reads them. */
json_t *refctl_node_to_json(const struct refctl_node *n);
/* Append j as indented JSON and a newline. */
void refctl_json_dump(struct refctl_buf *out, const json_t *j);

#endif
