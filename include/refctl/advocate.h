#ifndef REFCTL_ADVOCATE_H
#define REFCTL_ADVOCATE_H

/* Operations on advocates that write: add, set/unset, replace, fmt; and check. */

#include "refctl/common.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* How to write; zero is the default for every member. */
struct refctl_write_opts {
	unsigned txn_flags;       /* REFCTL_TXN_NO_COMMIT */
	const char *message;      /* -m TEXT: the commit body */
	refctl_warn_fn warn_cb;   /* told of warnings (a stale lock taken over); NULL drops them */
	void *warn_payload;       /* for warn_cb */
};
#define REFCTL_WRITE_OPTS_INIT { .txn_flags = 0 }

/*
 * Add new advocates from trees (ownership passes to the function). A tree
 * without an id gets one derived from name and company, with -2, -3 ...
 * on collision, and a required field left out its default (status:
 * nominated); an explicit id that exists, or an email used by another
 * advocate, is refused. All are written in one commit, or none.
 * *ids_out (may be NULL) receives the ids, in order; free with
 * refctl_store_list_free().
 */
int refctl_advocates_add(struct refctl_store *s, struct refctl_node **roots, const char *const *origins,
			 size_t n, struct refctl_write_opts *opts, char ***ids_out);

/*
 * The id add gives an advocate without one: refctl_id_derive() of name and
 * company, then with -2, -3 ... while taken(id, payload) says it is taken.
 */
void refctl_advocate_new_id(struct refctl_buf *out, const char *name, const char *company,
			    int (*taken)(const char *id, void *payload), void *payload);

/* Apply FIELD=VALUE assignments (or, with unset, FIELD names) to one advocate
 * and commit. *changed is 0 when nothing changed (and nothing is written). */
int refctl_advocate_edit(struct refctl_store *s, const char *id, const char *const *args, size_t n,
			 int unset, struct refctl_write_opts *opts, int *changed);

/* The same for several advocates in one commit; *changed counts those
 * whose file changed. Assignments may also be FIELD+=V[,V] (add to a list)
 * and FIELD-=V (remove from it). */
int refctl_advocates_edit(struct refctl_store *s, const char *const *ids, size_t nids, const char *const *args,
			  size_t n, int unset, struct refctl_write_opts *opts, size_t *changed);

/* Replace an advocate's file with new text (from `refctl edit`), validated. */
int refctl_advocate_replace(struct refctl_store *s, const char *id, const char *data, size_t len,
			    struct refctl_write_opts *opts, int *changed);

/*
 * Canonical form. For each of ids (all advocates when n is 0), check or
 * rewrite (all in one commit). The names of the files not in canonical
 * form go to *out (free with refctl_store_list_free): those rewritten or,
 * with check_only, those a rewrite would change. Every file that cannot be
 * formatted (it does not load, has a comment, has uncommitted changes) is
 * handed to bad (may be NULL) with the error, and does not stop the others;
 * with check_only it is listed in *out as well. A negative return (the
 * lock, the commit) means nothing was written.
 */
int refctl_advocates_fmt(struct refctl_store *s, const char *const *ids, size_t n, int check_only,
			 struct refctl_write_opts *opts, refctl_store_bad_fn bad, void *payload,
			 char ***out, size_t *nout);

/* What refctl_check_foreach() found. */
struct refctl_check_result {
	size_t files, errors, warnings;
};

struct refctl_check_opts {
	/* first check the parse cache against the files (refctl_check_cache):
	 * each disagreement is an error of its file, and the cache is removed */
	int verify_cache;
};
#define REFCTL_CHECK_OPTS_INIT { 0 }

/* One problem; a non-zero return stops the check and is returned. */
typedef int (*refctl_diag_fn)(const struct refctl_diag *d, void *payload);

/*
 * Validate every file and the rules across files (unique values, file
 * names differing only in case, referred_by naming an advocate), handing
 * each problem to fn in the order refctl_diags_sort() would put them all
 * (file name, line, column), a file's as soon as it is read. Nothing of a
 * record is kept after its file: memory is the file names and the unique
 * values, however many problems there are.
 */
int refctl_check_foreach(struct refctl_check_result *out, struct refctl_store *s,
			 const struct refctl_check_opts *opts, refctl_diag_fn fn, void *payload);
/* The same, each problem added to diags (in that order). */
int refctl_check(struct refctl_store *s, struct refctl_diags *diags, size_t *nfiles);
/* `check --cache`: an error in diags for each file whose entry in the parse
 * cache would be trusted (its stat data holds) but differs from a parse of
 * the file. The number of such files. */
size_t refctl_check_cache(struct refctl_store *s, struct refctl_diags *diags);

/* A field's value as text, lists joined with ","; "" when absent. */
void refctl_record_field_text(struct refctl_buf *out, const struct refctl_record *rec, const char *field);
/* 1 if field names a column refctl_record_field_text() knows: the schema's
 * COLUMN fields and the computed requests, open_requests and balance. */
int refctl_record_field_known(const char *field);
/* The columns, comma-separated: list's default ones, or all of them. */
void refctl_record_columns(struct refctl_buf *out, int all);

/*
 * The id an advocate is named by on the command line: its id, the path of
 * its file (advocates/x.yaml, as tab completion gives), a prefix of one id
 * only, or the name of one advocate only, in any case. An ambiguous prefix
 * or name is REFCTL_EINVALID listing the candidates; none is
 * REFCTL_ENOTFOUND, with the most similar ids.
 */
int refctl_advocate_resolve(struct refctl_buf *out, struct refctl_store *s, const char *arg);

/*
 * The options a customer in one program should hear about: the programs
 * the advocate is not in yet (refctl.yaml's vocabulary.programs, else every
 * program some advocate of the store is in, in the first spelling met) and
 * the activities it does not offer yet, each in order. Strings are owned.
 */
struct refctl_advocate_options {
	char **programs;   /* not yet in */
	size_t nprograms;
	const char **activities; /* not yet offered, refctl_activities order (static strings) */
	size_t nactivities;
};
int refctl_advocate_options(struct refctl_advocate_options *out, struct refctl_store *s, const struct refctl_advocate *a);
void refctl_advocate_options_release(struct refctl_advocate_options *o);

#endif
