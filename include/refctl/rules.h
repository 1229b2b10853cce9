#ifndef REFCTL_RULES_H
#define REFCTL_RULES_H

/*
 * Import rules: which column of a CRM export or a survey feeds which field
 * of an advocate, in the manner of hledger's CSV rules. A YAML file kept in
 * the program (import/salesforce.yaml); the README's "Import rules" gives
 * every key with complete examples. Without a rules file the header names
 * the fields themselves, as `refctl export` writes them.
 *
 * A rule's value for a row: its column's cell, or its template filled in
 * ("{First Name} {Last Name}": the non-empty cells joined by the text
 * between them); a list field's value split on the separator into items;
 * each value or item trimmed, looked up in the rule's value map (case
 * aside), then in the field's built-in names (Germany: DE, German: de),
 * an enum's value matched case, spaces and '_' aside, a date read as
 * YYYY-MM-DD, a date and time, or the rules' date_format. Every field
 * knowledge comes from the schema's rows.
 */

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/csv.h"
#include "refctl/schema.h"
#include "refctl/yaml.h"

enum refctl_rules_kind {
	REFCTL_RULES_CONTACTS, /* advocates: add and update */
	REFCTL_RULES_NPS,      /* survey answers: nps and last_contact of known advocates */
};

struct refctl_value_map {
	char *from, *to; /* "Financial Services": financial-services; to "" drops the value */
};

/* One field the rules feed. */
struct refctl_rule {
	const struct refctl_field *field; /* its schema row */
	char path[64];                    /* "email", "consent.until" */
	char *source;                     /* as written: a column's name, or a template */
	int owned;                        /* an import may change it on an advocate it finds */
	unsigned line, col;               /* where the rules name it (0 without a rules file) */
	/* the template: lits[0] {cols[0]} lits[1] ... {cols[ncols-1]} lits[ncols] */
	size_t ncols;
	char **cols, **lits;
	int *idx;                         /* each column's index in the bound header */
	struct refctl_value_map *map;
	size_t nmap;
};

#define REFCTL_RULES_MAX_KEYS 4

struct refctl_rules {
	char *file;                   /* the rules file, or the CSV's name without one */
	enum refctl_rules_kind kind;
	char delimiter;               /* 0: detected */
	char *encoding;               /* NULL: UTF-8 */
	char *date_format;            /* strptime(3) format of dates that are not YYYY-MM-DD, or NULL */
	char *separator;              /* between a list field's items in a cell: ";" */
	int keep_empty;               /* an empty cell leaves an owned field as it is (empty: keep) */
	int from_header;              /* no rules file: the header names the fields */
	struct refctl_rule *v;
	size_t n;
	size_t keys[REFCTL_RULES_MAX_KEYS]; /* rules (indexes into v) that identify an advocate, first first */
	size_t nkeys;
	struct refctl_node *defaults; /* a map of values for new advocates, or NULL */
	char **columns;               /* every column the rules read, in order of first use */
	size_t ncolumns;
};

/* Parse a rules file. REFCTL_EINVALID with "FILE:LINE:COL: ..." when wrong. */
int refctl_rules_parse(struct refctl_rules **out, const char *file, const char *data, size_t len);
/*
 * The rules of a file without a rules file: each header cell names the
 * field it feeds; the key is id when that column is there, else crm_id,
 * else email. file names the CSV in messages.
 */
int refctl_rules_from_header(struct refctl_rules **out, const char *file, const struct refctl_csv_row *header);
void refctl_rules_free(struct refctl_rules *r);

/* Find each column the rules read in header (name as in messages): an
 * error names a column that is missing, or there twice. */
int refctl_rules_bind(struct refctl_rules *r, const char *name, const struct refctl_csv_row *header);

/* The rule that feeds field path, or NULL. */
const struct refctl_rule *refctl_rules_find(const struct refctl_rules *r, const char *path);

/*
 * The value rule gives a row's cells (as bound): into out, a scalar's text
 * or a list's items each followed by '\n'; "" when the row gives none. *col
 * gets the 1-based column to name in a message about it.
 */
void refctl_rules_value(struct refctl_buf *out, unsigned *col, const struct refctl_rules *r,
			const struct refctl_rule *rule, const char *const *cells);

/*
 * The inverse, for export (with the rules bound to a header of their own
 * columns): set the cells of rule's columns (malloc'd; a cell already set
 * is left alone) so that
 * refctl_rules_value gives back value (a scalar, or items each followed by
 * '\n'). REFCTL_EINVALID when an item holds the separator.
 */
int refctl_rules_cells(char **cells, const struct refctl_rules *r, const struct refctl_rule *rule,
		       const char *value);

#endif
