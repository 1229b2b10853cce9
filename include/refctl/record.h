#ifndef REFCTL_RECORD_H
#define REFCTL_RECORD_H

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/period.h"
#include "refctl/schema.h"
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

struct refctl_record {
	char *file;            /* as named in messages, e.g. advocates/x.yaml */
	struct refctl_node *root;
	unsigned comment_line; /* first comment line in the source, 0 if none */
	unsigned bom;          /* the source started with a UTF-8 byte-order mark */
	unsigned crlf_line;    /* first line of the source ending in CR LF, 0 if none */
	struct refctl_advocate a;
	/* A record from the parse cache has its typed view only: its strings
	 * and lists are in image, and its tree (root NULL) is read when
	 * refctl_record_tree() asks for it, through load_tree (lazy is
	 * load_tree's, freed with the record). */
	void *image;
	int (*load_tree)(struct refctl_record *rec);
	void *lazy;
};

/*
 * The record's tree: for a record from the parse cache, read on the first
 * call (during the walk that gave the record). NULL, with the last error
 * set, if it cannot be had (the file went away meanwhile).
 */
struct refctl_node *refctl_record_tree(const struct refctl_record *rec);
/*
 * A record of its typed view alone (refctl_schema_view_encode()'s block
 * img, len bytes, from malloc(), which the record takes and frees), with
 * the file's diagnostics (diags block as refctl_diags_encode() wrote it)
 * added to diags if not NULL. -1 (img freed) if img or the diagnostics
 * do not decode.
 */
int refctl_record_from_image(struct refctl_record **out, const char *file, void *img, size_t len,
			     const void *dblock, size_t dlen, struct refctl_diags *diags);
/* A file's diagnostics as bytes, and back (adding them to d as file's);
 * decode returns -1 if the bytes are not such a block. */
void refctl_diags_encode(struct refctl_buf *out, const struct refctl_diags *d);
int refctl_diags_decode(struct refctl_diags *d, const char *file, const void *data, size_t len);

/*
 * Parse and validate one advocate file. Without diags, the first error
 * becomes the last error and REFCTL_EINVALID is returned. With diags,
 * every problem is added there; *out is still NULL if any is an error.
 */
int refctl_record_parse(struct refctl_record **out, const char *file,
			const char *data, size_t len, struct refctl_diags *diags);
/*
 * For the parse cache: what refctl_record_parse() gives, and what the
 * source said besides (its first comment line, byte-order mark, first
 * CRLF line). For a valid file, the typed view and its warnings
 * (refctl_record_from_image() of them, with these, is the record parsed,
 * diagnostics and all); for a file that loads but is not valid, the tree
 * in refctl_node_encode()'s form (refctl_record_from_node() of it gives
 * the same diagnostics). All stay empty when the file does not load as a
 * YAML document.
 */
struct refctl_record_source {
	unsigned comment_line, bom, crlf_line;
};
struct refctl_record_encoded {
	struct refctl_buf tree;
	struct refctl_record_source src;
	struct refctl_buf image, diags; /* refctl_schema_view_encode(), refctl_diags_encode() */
};
#define REFCTL_RECORD_ENCODED_INIT { REFCTL_BUF_INIT, { 0, 0, 0 }, REFCTL_BUF_INIT, REFCTL_BUF_INIT }
void refctl_record_encoded_release(struct refctl_record_encoded *enc);
int refctl_record_parse_encode(struct refctl_record **out, struct refctl_record_encoded *enc, const char *file,
			       const char *data, size_t len, struct refctl_diags *diags);
/* Same from a tree (ownership of root passes to the record, even on error). */
int refctl_record_from_node(struct refctl_record **out, const char *file,
			    struct refctl_node *root, struct refctl_diags *diags);
/* Rebuild the typed view after the tree changed; REFCTL_EINVALID if invalid. */
int refctl_record_validate(struct refctl_record *rec, struct refctl_diags *diags);
void refctl_record_free(struct refctl_record *rec);

/* Put the tree in canonical order, with each scalar typed by the schema. */
void refctl_record_canonicalize(struct refctl_record *rec);
/* The same for a bare tree, valid or not (a merge's result). */
void refctl_record_tree_canonicalize(struct refctl_node *root);
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
/* Remove a field from a bare tree (and its map, when that empties it). */
int refctl_record_tree_unset(struct refctl_node *root, const char *path);
/* Give the required fields left out of a new record their defaults
 * (status: nominated). */
void refctl_record_tree_defaults(struct refctl_node *root);
/*
 * Change a record's tree with fn, then validate: on any error (from fn or
 * the validation) the record is exactly as before and the error is
 * returned. The one way to edit a parsed record.
 */
typedef int (*refctl_record_change_fn)(struct refctl_node *root, void *payload);
int refctl_record_change(struct refctl_record *rec, refctl_record_change_fn fn, void *payload);
/*
 * The same for a caller that changed rec->root itself after saving a
 * clone of it: validate; on error put a copy of saved back (rec as
 * before) and return the error, its message prefixed with the file's name
 * if name_file. refctl_record_restore puts saved back unconditionally.
 */
int refctl_record_validate_or_restore(struct refctl_record *rec, const struct refctl_node *saved, int name_file);
void refctl_record_restore(struct refctl_record *rec, const struct refctl_node *saved);
/* For a date field, a value as people type it on the command line
 * (today, yesterday, 30d ...) as YYYY-MM-DD into out (returns 1); any other
 * value is copied as given (returns 0), for validation to judge. Data from
 * files and imports is never read this way. */
int refctl_record_human_date(struct refctl_buf *out, const char *path, const char *value, refctl_date today);
/* Add the comma-separated values to a list field (those not in it yet,
 * after the others), or remove them (each must be there). */
int refctl_record_list_edit(struct refctl_record *rec, const char *path, const char *values, int remove);
/* The fields set/unset accept, comma-separated, for help and errors. */
void refctl_record_settable_fields(struct refctl_buf *out);
/* 1 if field is a list field (comma-separated in set, repeatable in add). */
int refctl_record_field_is_list(const char *path);

/* The request with this id, or NULL; its index in *index if not NULL. */
const struct refctl_request *refctl_advocate_request(const struct refctl_advocate *a,
						     const char *id, size_t *index);
/* Reward balance: the sum of points, never below zero at any step. */
long refctl_advocate_balance(const struct refctl_advocate *a);

/* ---- ids and vocabularies ---- */

/*
 * Item ids (requests, rewards, content): "ADVOCATE/YYMMDD-XXXXXXXX", the
 * item's date (two-digit year) and 40 random bits from getrandom(2) as 8
 * characters of Crockford's base32 in lowercase (0-9 a-z less i l o u).
 * No counter is shared, so two clones never need to agree on the next
 * one; ids of one advocate sort by date. Requests written by older
 * versions have "ADVOCATE/N" ids, which stay valid.
 */
#define REFCTL_ITEM_TOKEN_LEN 15 /* YYMMDD-XXXXXXXX */
/* A new id for an item of advocate dated day into out. REFCTL_EIO if the
 * system has no randomness to give. */
int refctl_item_id_new(struct refctl_buf *out, const char *advocate, refctl_date day);
/* What id is for advocate: 1 for ADVOCATE/YYMMDD-XXXXXXXX, 2 for
 * ADVOCATE/N (N into *seq, which may be NULL; 0 otherwise), 0 for neither. */
int refctl_item_id_kind(unsigned long *seq, const char *id, const char *advocate);
/*
 * Give every item of a keyed list of root that has no id one (dated by its
 * order field, else today), except items equal to an item without id of
 * before (may be NULL): entries of older files keep having none, new ones
 * get one. Returns the number of ids given, or REFCTL_EIO.
 */
int refctl_record_assign_ids(struct refctl_node *root, const struct refctl_node *before, refctl_date today);

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
/* 0 if s names an activity as vocabulary (case, ' ', '_' and '-' alike);
 * else REFCTL_EINVALID: "unknown activity 'S' (expected one of ...)". */
int refctl_activity_check(const char *s);

#endif
