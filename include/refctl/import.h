#ifndef REFCTL_IMPORT_H
#define REFCTL_IMPORT_H

/*
 * refctl import: advocates from a CRM export or an NPS survey, as one
 * upsert. Each row is read by the rules (include/refctl/rules.h), or by
 * its header's field names without them. A row whose key (crm_id, email,
 * id: the rules' key fields, first first) finds an advocate changes only
 * the owned fields that differ; a row that finds none adds an advocate,
 * its id derived as `add` derives it. Fields the rules do not own are never
 * touched. Every row is checked before anything is written; invalid rows
 * stop the import unless skip_invalid. The whole import is one commit of
 * exactly the files it changed, or none when nothing changed.
 *
 * NPS rules (kind: nps) give known advocates their nps and last_contact
 * when the answer is not older than their last contact (the newest answer
 * of the file wins), mark active advocates answering 0 to 6 as detractors,
 * and with nominate add promoters (9 or 10) nobody knows as nominated,
 * nominated_from: nps.
 *
 * A cell a spreadsheet would run as a formula is refused; one that
 * `refctl export` neutralised ("'=...") is read back as it was, unless
 * raw_csv says the file holds cells as stored.
 */

#include "refctl/advocate.h"
#include "refctl/period.h"
#include "refctl/rules.h"
#include "refctl/store.h"

struct refctl_import_opts {
	struct refctl_rules *rules;     /* NULL: the header names the fields */
	int dry_run;                    /* decide everything, write nothing */
	int skip_invalid;               /* import the valid rows, list the others */
	int nominate;                   /* nps: add promoters who are not advocates */
	int raw_csv;                    /* cells as stored: no neutralised formula to read back */
	struct refctl_write_opts write; /* --no-commit, -m, where warnings go */
};
#define REFCTL_IMPORT_OPTS_INIT { .rules = NULL, .write = REFCTL_WRITE_OPTS_INIT }

enum refctl_import_action {
	REFCTL_IMPORT_ADD,       /* a new advocate */
	REFCTL_IMPORT_UPDATE,    /* an advocate whose owned fields differ */
	REFCTL_IMPORT_UNCHANGED, /* an advocate whose owned fields are as the row says */
	REFCTL_IMPORT_INVALID,   /* a row that cannot be imported: see errors */
	REFCTL_IMPORT_OLDER,     /* nps: an answer older than the advocate's last contact or another row's */
	REFCTL_IMPORT_UNKNOWN,   /* nps: an answer from nobody in the roster */
};

struct refctl_import_change {
	char *field;               /* its path: email, consent.until */
	char *old_value, *new_value; /* as text (lists joined by the separator); NULL when absent */
};

struct refctl_import_row {
	unsigned row;                         /* as a spreadsheet numbers it */
	enum refctl_import_action action;
	char *id;                             /* the advocate added or found, else NULL */
	struct refctl_import_change *changes; /* ADD, in a dry run: every field it gets; UPDATE: what differs */
	size_t nchanges;
	char *errors;                         /* INVALID: "FILE:ROW:COL: message" lines */
	char *key;                            /* the key it was looked up by: "email ann@example.com" */
	/* nps rows */
	int nps;                              /* the score, -1 if none */
	refctl_date date;                     /* the answer's date */
	refctl_date last_contact;             /* OLDER: the advocate's, when that made it older */
	unsigned newer_row;                   /* OLDER: the row with the newer answer, or 0 */
	int detractor;                        /* an active advocate answering 0 to 6 */
};

struct refctl_import_result {
	enum refctl_rules_kind kind;
	struct refctl_import_row *rows;       /* every row of data, in order */
	size_t nrows;
	size_t added, updated, unchanged, invalid, older, unknown;
	int committed;                        /* a commit was made (or, with --no-commit, files written) */
};

/*
 * Import data (len bytes; name, such as "salesforce.csv" or "<stdin>", is
 * used in messages and in the commit's subject). Returns 0, or
 * REFCTL_EINVALID when the file or the rules cannot be read (*out is NULL
 * and the last error says why) or when invalid rows stopped the import
 * (*out lists them; nothing was written). Other errors are the store's.
 */
int refctl_import(struct refctl_import_result **out, struct refctl_store *s, const char *name, const char *data,
		  size_t len, struct refctl_import_opts *opts);
void refctl_import_result_free(struct refctl_import_result *r);

/* 1 if a spreadsheet would run cell as a formula and it is no phone
 * number: it starts (after spaces) with = or @, or with + or - and holds
 * more than digits, spaces and ( ) . / - (so +49 30 1234567 is data). */
int refctl_import_is_formula(const char *cell);

#endif
