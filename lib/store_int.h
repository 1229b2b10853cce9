#ifndef REFCTL_LIB_STORE_INT_H
#define REFCTL_LIB_STORE_INT_H

/* The store's private interface, for fsck.c (and the store's tests). */
#include "refctl/store.h"
#include "git.h"

/* Transaction flags for fsck: take refctl.lock and read the journal the
 * last holder left, without acting on it. INSPECT takes it shared and
 * changes nothing; REPAIR takes it and marks it as its own. */
#define REFCTL__TXN_INSPECT (1u << 8)
#define REFCTL__TXN_REPAIR (1u << 9)

/* What the journal in refctl.lock says (see store.c). */
enum {
	REFCTL__JOURNAL_EMPTY = 0,
	REFCTL__JOURNAL_STALE,       /* its holder died */
	REFCTL__JOURNAL_INTERRUPTED, /* released with paths still in doubt */
};
struct refctl__journal {
	int state;
	char pid[32];
	char **paths;
	size_t npaths;
	char ref[256], commit[41];
};

int refctl__store_git(struct refctl_store *s, struct refctl__git **out);
void refctl__store_warn(struct refctl_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* refctl's temporary files left in advocates/ and the root: removed (with
 * remove set) or listed, one root-relative name a line, into out. */
unsigned refctl__store_temporaries(struct refctl_store *s, int remove, struct refctl_buf *out);
/* "advocates/x.yaml differs from HEAD and the index" and the like. */
void refctl__describe_state(struct refctl_buf *out, const char *relpath,
			    const struct refctl__git_path_state *st);
const struct refctl__journal *refctl__txn_journal(const struct refctl_txn *t);
/* Mark a path as no longer (resolved) or still in doubt. */
void refctl__txn_resolved(struct refctl_txn *t, const char *relpath, int resolved);

/* The parse cache for a walk over the advocates (lib/cache.h), or NULL
 * (--no-cache, REFCTL_NO_CACHE, no repository). */
struct refctl__cache;
struct refctl_diags;
struct refctl__cache *refctl__store_cache_open(struct refctl_store *s);
/*
 * A walk over advocate files that parses those the parse cache cannot
 * answer for on worker threads (REFCTL_JOBS of them, counting the caller's)
 * and hands every file back in order on the calling thread, which alone
 * touches the cache: refctl_store_foreach() and refctl_check() use it.
 *
 *	refctl__walk_begin(&w, s, names, n, parse, payload);
 *	while ((f = refctl__walk_next(w)) != NULL)
 *		error = refctl__walk_load(w, f, &rec, diags); ...
 *		refctl__walk_free(w, f, rec);
 *	refctl__walk_end(w, complete);
 *
 * parse runs for each file to be parsed, on any thread: it reads f->path
 * and parses it (encoding the tree into f->enc when f->encode), leaving
 * the record in f->rec, the file's bytes in f->data with f->parsed set
 * when the cache is to be told of them, its diagnostics in f->diags, and
 * on failure the code in f->error and the thread's last error in
 * f->error_saved (refctl__error_save()). It must use nothing shared but
 * what is read-only (the schema); the default, NULL, is
 * refctl__walk_parse_default().
 */
struct refctl__walk;
struct refctl__walk_file {
	const char *name; /* in advocates/ */
	const char *path; /* root/advocates/name */
	const char *rel;  /* advocates/name, as messages say it */
	int encode;       /* the cache wants the loaded tree in f->enc */
	/* what parse leaves */
	struct refctl_buf data;
	struct refctl_record_encoded enc;
	struct refctl_diags diags;
	struct refctl_record *rec;
	int error, parsed;
	void *error_saved;
};
typedef void (*refctl__walk_parse_fn)(struct refctl__walk_file *f, void *payload);
/* Read the file and refctl_record_parse_encode() it without diagnostics. */
void refctl__walk_parse_default(struct refctl__walk_file *f, void *payload);

/* A walk over names (advocates/ file names, in the order to hand back). */
int refctl__walk_begin(struct refctl__walk **out, struct refctl_store *s, const char *const *names, size_t n,
		       refctl__walk_parse_fn parse, void *payload);
/* The same with the cache c (refctl__store_cache_open(s), or NULL), which
 * the walk then closes. */
int refctl__walk_begin_cache(struct refctl__walk **out, struct refctl_store *s, struct refctl__cache *c,
			     const char *const *names, size_t n, refctl__walk_parse_fn parse, void *payload);
/* The next file, or NULL after the last; valid until the next call. */
struct refctl__walk_file *refctl__walk_next(struct refctl__walk *w);
/*
 * The file's record into *out (the caller's to free), as
 * refctl_record_parse() gives it: from the cache, or as parse left it,
 * the cache told of what was parsed, its diagnostics added to diags (if
 * not NULL) and its last error made this thread's.
 */
int refctl__walk_load(struct refctl__walk *w, struct refctl__walk_file *f, struct refctl_record **out,
		      struct refctl_diags *diags);
/* Free rec, which refctl__walk_load() gave for f, on the thread that
 * made it (soon: the next time it parses a file). */
void refctl__walk_free(struct refctl__walk *w, struct refctl__walk_file *f, struct refctl_record *rec);
/* End the walk (stopping the workers) and close the cache, complete when
 * every file was handed back. */
void refctl__walk_end(struct refctl__walk *w, int complete);

#endif
