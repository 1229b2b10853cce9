#ifndef REFCTL_EXPORT_H
#define REFCTL_EXPORT_H

/*
 * refctl export: every field of the advocates, for a spreadsheet or a CRM,
 * in the form `refctl import` reads back: without rules, one column per
 * field of the schema that fits a cell (list's columns: refctl's own names,
 * map members as consent.until), lists joined by ";"; with rules, the
 * rules' columns, each filled so that the rules give the value back (value
 * maps read backwards, templates split). Importing an export with the same
 * rules changes nothing; a value that would not come back the same is an
 * error rather than a silent loss.
 *
 * CSV and TSV (RFC 4180 quoting, with a tab between cells) neutralise a
 * cell a spreadsheet would run as a formula with a leading ', as OWASP
 * advises, unless raw_csv; import takes exactly that ' off again. JSON
 * without rules gives whole records, requests and rewards included.
 */

#include "refctl/buf.h"
#include "refctl/filter.h"
#include "refctl/output.h"
#include "refctl/rules.h"
#include "refctl/store.h"

struct refctl_export_opts {
	enum refctl_format format;          /* REFCTL_FORMAT_CSV, _TSV or _JSON */
	struct refctl_rules *rules;         /* NULL: refctl's own fields */
	const struct refctl_filter *filter; /* NULL: every advocate */
	int raw_csv;                        /* cells as stored, formulas not neutralised */
};
#define REFCTL_EXPORT_OPTS_INIT { REFCTL_FORMAT_CSV, NULL, NULL, 0 }

/* The export into out; *count (may be NULL) gets the number of advocates. */
int refctl_export(struct refctl_buf *out, struct refctl_store *s, const struct refctl_export_opts *opts,
		  size_t *count);

#endif
