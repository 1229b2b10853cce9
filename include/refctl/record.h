#ifndef REFCTL_RECORD_H
#define REFCTL_RECORD_H

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/period.h"
#include "refctl/yaml.h"

/* ---- diagnostics: every problem of a file, for `refctl check` ---- */

enum refctl_severity {
	REFCTL_DIAG_ERROR,
	REFCTL_DIAG_WARNING,
};

struct refctl_diag {
	char *file;
	unsigned line, col;
	enum refctl_severity severity;
	char *field;   /* dotted path of the field, or NULL */
	char *message;
	size_t order;  /* insertion order, for a stable sort */
};

struct refctl_diags {
	struct refctl_diag *v;
	size_t n, alloc;
	size_t nerrors, nwarnings;
};

#define REFCTL_DIAGS_INIT { NULL, 0, 0, 0, 0 }

void refctl_diags_add(struct refctl_diags *d, enum refctl_severity sev, const char *file,
		      unsigned line, unsigned col, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Add the thread's last error as a diagnostic. */
void refctl_diags_add_last_error(struct refctl_diags *d);
/* Sort by file, line, column (stable for equal positions). */
void refctl_diags_sort(struct refctl_diags *d);
void refctl_diags_release(struct refctl_diags *d);

/* ---- the advocate record ---- */

enum refctl_status {
	REFCTL_STATUS_NONE = 0,
	REFCTL_STATUS_NOMINATED,
	REFCTL_STATUS_ACTIVE,
	REFCTL_STATUS_PAUSED,
	REFCTL_STATUS_RETIRED,
};

enum refctl_req_status {
	REFCTL_REQ_NONE = 0,
	REFCTL_REQ_REQUESTED,
	REFCTL_REQ_APPROVED,
	REFCTL_REQ_SCHEDULED,
	REFCTL_REQ_COMPLETED,
	REFCTL_REQ_DECLINED,
	REFCTL_REQ_CANCELLED,
};

enum refctl_outcome {
	REFCTL_OUTCOME_NONE = 0,
	REFCTL_OUTCOME_WON,
	REFCTL_OUTCOME_LOST,
	REFCTL_OUTCOME_OPEN,
};

/* Strings borrowed from the record's tree. */
struct refctl_strlist {
	const char **v;
	size_t n;
};

struct refctl_request {
	const char *id;
	unsigned long seq; /* N of ADVOCATE/N */
	refctl_date opened, scheduled, closed;
	const char *requester, *prospect, *opportunity, *industry, *region, *product;
	const char *activity, *approved_by, *reason, *notes;
	int status;  /* enum refctl_req_status */
	int outcome; /* enum refctl_outcome */
	int has_value;
	double deal_value;
	int forced;
	unsigned line, col;
};

struct refctl_reward {
	refctl_date date;
	long points;
	const char *reason, *request;
	unsigned line;
};

struct refctl_content {
	const char *kind, *lang, *title, *url, *text;
	const char *approved; /* a date or true/false, as written */
	refctl_date expires;
	unsigned line;
};

struct refctl_advocate {
	const char *id, *name, *company, *title, *email, *phone, *account_owner;
	const char *industry, *region, *country, *segment, *health, *notes;
	int status; /* enum refctl_status */
	int nps;    /* -1 when absent */
	refctl_date since, last_contact, consent_until;
	struct refctl_strlist languages, products, use_cases, activities, programs, tags;
	struct refctl_strlist consent_scope;
	int per_quarter, rest_days; /* -1 when absent */
	struct refctl_request *requests;
	size_t nrequests;
	struct refctl_reward *rewards;
	size_t nrewards;
	struct refctl_content *content;
	size_t ncontent;
};

struct refctl_record {
	char *file;            /* as named in messages, e.g. advocates/x.yaml */
	struct refctl_node *root;
	unsigned comment_line; /* first comment line in the source, 0 if none */
	unsigned bom;          /* the source started with a UTF-8 byte-order mark */
	unsigned crlf_line;    /* first line of the source ending in CR LF, 0 if none */
	struct refctl_advocate a;
};

/*
 * Parse and validate one advocate file. Without diags, the first error
 * becomes the last error and REFCTL_EINVALID is returned. With diags,
 * every problem is added there; *out is still NULL if any is an error.
 */
int refctl_record_parse(struct refctl_record **out, const char *file,
			const char *data, size_t len, struct refctl_diags *diags);
/* Same from a tree (ownership of root passes to the record, even on error). */
int refctl_record_from_node(struct refctl_record **out, const char *file,
			    struct refctl_node *root, struct refctl_diags *diags);
/* Rebuild the typed view after the tree changed; REFCTL_EINVALID if invalid. */
int refctl_record_validate(struct refctl_record *rec, struct refctl_diags *diags);
void refctl_record_free(struct refctl_record *rec);

/* Put the tree in canonical order, with each scalar typed by the schema. */
void refctl_record_canonicalize(struct refctl_record *rec);
/* Canonicalize and emit. */
int refctl_record_format(struct refctl_buf *out, struct refctl_record *rec);

/*
 * Scriptable edits. path is a field or a dotted path into a map
 * ("limits.per_quarter"); list fields take comma-separated values.
 * The record is validated afterwards; on error the record is unchanged.
 */
int refctl_record_set(struct refctl_record *rec, const char *path, const char *value);
int refctl_record_unset(struct refctl_record *rec, const char *path);
/* Set a field in a bare tree, typed by the schema, without validating
 * (for building a new record). With append, a list field gains one item. */
int refctl_record_tree_set(struct refctl_node *root, const char *path, const char *value, int append);
/* The list of fields accepted by set/unset and add, for help and errors. */
const char *const *refctl_record_settable_fields(void);
/* 1 if field is a list field (comma-separated in set, repeatable in add). */
int refctl_record_field_is_list(const char *path);

/* The request with this id, or NULL; its index in *index if not NULL. */
const struct refctl_request *refctl_advocate_request(const struct refctl_advocate *a,
						     const char *id, size_t *index);
/* Reward balance: the sum of points, never below zero at any step. */
long refctl_advocate_balance(const struct refctl_advocate *a);

const char *refctl_status_name(int status);
const char *refctl_req_status_name(int status);
int refctl_req_status_parse(const char *s);
const char *refctl_outcome_name(int outcome);
/* 1 for requested, approved, scheduled. */
int refctl_req_is_open(int status);
/* An engagement: a request that was not declined or cancelled. */
int refctl_req_is_engagement(int status);

/* The activities an advocate may offer, NULL-terminated. */
extern const char *const refctl_activities[];
int refctl_activity_valid(const char *s);
/* The segments, NULL-terminated. */
extern const char *const refctl_segments[];

/* ---- ids and vocabularies ---- */

/* 1 if s is a valid id: ^[a-z0-9][a-z0-9-]{0,62}$ */
int refctl_id_valid(const char *s);
/*
 * Derive an id from name and company: transliterate accents, lowercase,
 * runs of other characters become one '-', at most 63 characters.
 */
void refctl_id_derive(struct refctl_buf *out, const char *name, const char *company);

/* Normalise a vocabulary value: ASCII lowercase, ' ' and '_' become '-'. */
void refctl_vocab_norm(struct refctl_buf *out, const char *s);
/* Compare two values as vocabulary (case, ' ', '_' and '-' alike). */
int refctl_vocab_eq(const char *a, const char *b);

#endif
