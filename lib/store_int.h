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
/* advocates/name (at path, rel in messages) from c or parsed, the file's
 * bytes into data when read, as refctl_record_parse() gives it. */
int refctl__store_cache_load(struct refctl__cache *c, const char *name, const char *path, const char *rel,
			     struct refctl_record **out, struct refctl_buf *data, struct refctl_diags *diags);

#endif
