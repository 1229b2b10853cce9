#ifndef REFCTL_STORE_H
#define REFCTL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "refctl/common.h"
#include "refctl/config.h"
#include "refctl/record.h"

/*
 * The store: a refctl root (the folder holding refctl.yaml), its
 * advocates/ folder, and the git repository around it.
 */
struct refctl_store;

/* Create refctl.yaml and advocates/ in dir, `git init` if dir is in no work
 * tree, and commit refctl.yaml and a .gitattributes with
 * REFCTL_STORE_ATTRIBUTES. REFCTL_EEXISTS if already a root. */
int refctl_store_init(const char *dir, int no_commit);

/* The line of the root's .gitattributes that sends advocate files to
 * `refctl merge-file` (which `refctl init` writes and commits). */
#define REFCTL_STORE_ATTRIBUTES "advocates/*.yaml merge=refctl"

struct refctl_setup_opts {
	const char *program; /* the refctl that git runs as the merge driver; NULL: "refctl" */
	unsigned txn_flags;  /* REFCTL_TXN_NO_COMMIT: write .gitattributes, do not commit it */
};
#define REFCTL_SETUP_OPTS_INIT { NULL, 0 }

struct refctl_setup_result {
	int config_changed;     /* the driver was not yet in .git/config as it is now */
	int attributes_changed; /* .gitattributes did not have the line (now written, and committed) */
	char driver[1024];      /* the driver's command as set */
};

/*
 * Register the merge driver in the repository around s: its command in
 * the repository's own .git/config (git reads drivers from configuration
 * only, so each clone needs this once) and REFCTL_STORE_ATTRIBUTES in the
 * root's .gitattributes, committed, if it is not there. Doing it again
 * changes nothing.
 */
int refctl_store_setup(struct refctl_setup_result *res, struct refctl_store *s,
		       const struct refctl_setup_opts *o);

/* The root: REFCTL_DIR if set, else the nearest ancestor of the working
 * directory holding refctl.yaml. REFCTL_ENOTFOUND outside any root. */
int refctl_store_discover(char **root_out);

int refctl_store_open(struct refctl_store **out, const char *root);
void refctl_store_free(struct refctl_store *s);

/*
 * Warnings the store has while it works (waiting for a lock of git's, a
 * commit on a detached HEAD, a write left half done, a shallow history)
 * go to fn as they happen; without one they are kept for
 * refctl_store_warning().
 */
void refctl_store_set_warn(struct refctl_store *s, refctl_warn_fn fn, void *payload);
/* For commands that do not write: warn about what a writer that died
 * left half done (each path, and the one command that repairs it). */
void refctl_store_check_interrupted(struct refctl_store *s);
const char *refctl_store_root(const struct refctl_store *s);
/* Use the parse cache in the git directory (the default), or read and
 * parse every file (--no-cache; REFCTL_NO_CACHE=1 does the same). */
void refctl_store_set_cache(struct refctl_store *s, int enabled);
const struct refctl_config *refctl_store_config(const struct refctl_store *s);

/* The git user name (user.name, else GIT_AUTHOR_NAME) into out, "" if none. */
int refctl_store_user_name(struct refctl_store *s, struct refctl_buf *out);

/* Names of the files in advocates/ ending in .yaml, in id order. */
int refctl_store_list(struct refctl_store *s, char ***names, size_t *n);
/* The id order of advocate file names (with or without a folder before
 * them, the same for both): the stems compared, so "a.yaml" sorts before
 * "a-2.yaml", as the ids "a" and "a-2" do. */
int refctl_store_file_cmp(const char *a, const char *b);
void refctl_store_list_free(char **names, size_t n);
/* The same names in one block, for a walk that keeps them all: v[i]
 * points into block. */
struct refctl_store_names {
	char *block;
	const char **v;
	size_t n;
};
int refctl_store_names(struct refctl_store_names *out, struct refctl_store *s);
void refctl_store_names_release(struct refctl_store_names *names);

/* "advocates/<id>.yaml" into out. */
void refctl_store_path(struct refctl_buf *out, const char *id);
int refctl_store_exists(struct refctl_store *s, const char *id);
/* Read the raw bytes of an advocate file (at most 1 MiB). */
int refctl_store_read(struct refctl_store *s, const char *id, struct refctl_buf *out);
/* Read, parse and validate one advocate. REFCTL_ENOTFOUND if there is none. */
int refctl_store_load(struct refctl_store *s, const char *id, struct refctl_record **out);

/*
 * Call fn for every advocate that loads, in id order, freeing each record
 * after the call; bad (may be NULL) gets every file that does not, with
 * the error. fn returning non-zero stops the walk and is returned.
 */
typedef int (*refctl_store_fn)(const struct refctl_record *rec, void *payload);
typedef void (*refctl_store_bad_fn)(const char *file, const char *error, void *payload);
int refctl_store_foreach(struct refctl_store *s, refctl_store_fn fn, refctl_store_bad_fn bad,
			 void *payload);
/* The same in directory order, without listing advocates/ first: memory
 * stays flat however many advocates there are. For callers whose result
 * does not depend on the order (match ranks by a total order). */
int refctl_store_foreach_unordered(struct refctl_store *s, refctl_store_fn fn,
				   refctl_store_bad_fn bad, void *payload);
/*
 * The threads these walks (and refctl_check()) read and parse files on,
 * the caller's counted: REFCTL_JOBS if it is set and not 0, else one per
 * online CPU, at most 8. REFCTL_EUSAGE if REFCTL_JOBS is not a number of
 * 0 or more (*out is then 1). Output, diagnostics and the parse cache are
 * the same for any number.
 */
int refctl_store_jobs(unsigned *out);

/*
 * A write: take the repository lock, stage new file contents, then make
 * one commit of exactly those files under git's lock protocol, writing
 * them atomically (docs/architecture.md, "The store's invariants"). When
 * refctl_txn_commit() returns 0 the change is in HEAD and the file; when
 * it fails, HEAD, the index and the files are as they were.
 */
struct refctl_txn;

enum {
	REFCTL_TXN_NO_COMMIT = 1 << 0, /* write the files, leave committing to the user */
};

/* Checks the author and the repository state, then waits for the lock
 * (up to 10 s, or REFCTL_LOCK_TIMEOUT seconds); git's index.lock is
 * waited for as long at commit. */
int refctl_txn_begin(struct refctl_txn **out, struct refctl_store *s, unsigned flags);
/* A warning to show (a stale lock taken over), or NULL. */
const char *refctl_txn_warning(const struct refctl_txn *t);
/* The same for the last refctl_txn_begin() on s, even if it then failed
 * (a stale lock taken over, then a git lock file found), or NULL. */
const char *refctl_store_warning(const struct refctl_store *s);
/* Stage a record in canonical form; refuses if its file has a comment that
 * rewriting would lose, or uncommitted changes of its own. */
int refctl_txn_put_record(struct refctl_txn *t, struct refctl_record *rec);
/* Stage raw contents for a path relative to the root. */
int refctl_txn_put(struct refctl_txn *t, const char *relpath, const char *data, size_t len);
/* Write what was staged and commit it with subject and optional body. */
int refctl_txn_commit(struct refctl_txn *t, const char *subject, const char *body);
/* Release the lock; if not committed, nothing was written. */
void refctl_txn_free(struct refctl_txn *t);

/* One commit in the history of a file. */
struct refctl_log_entry {
	char id[41];
	int64_t time;      /* author time, seconds since the epoch */
	int offset;        /* author's time-zone offset in minutes */
	char *author, *email, *summary;
};

/* How far history goes in this clone. */
struct refctl_history {
	int shallow;       /* a shallow clone: older history is not here */
	int64_t since;     /* then the commit time of its oldest commit */
	char since_id[41]; /* and that commit */
};

/* Where the log stops; all zero: the whole history. */
struct refctl_log_opts {
	size_t max_count;  /* at most this many commits; 0 for all */
	int has_since;     /* then only commits with a commit time from since */
	int64_t since;     /* seconds since the epoch */
};
#define REFCTL_LOG_OPTS_INIT { 0, 0, 0 }

/* Commits that changed relpath (relative to the root), newest commit time
 * first (git log -- PATH's order), as o (may be NULL) bounds them; hist
 * (may be NULL) says how far history went. A shallow clone whose boundary
 * the walk reached is also a warning; a commit that cannot be read is an
 * error. With since, the walk stops at the first commit dated a day
 * before it (the margin for wrong clocks, as the report's). */
int refctl_store_log(struct refctl_store *s, const char *relpath, const struct refctl_log_opts *o,
		     struct refctl_log_entry **out, size_t *n, struct refctl_history *hist);
void refctl_log_entries_free(struct refctl_log_entry *v, size_t n);

/* A change to an advocate file in one commit, for the report. */
struct refctl_change {
	const char *id;      /* advocate id (file stem) */
	const char *commit;  /* hex id */
	int64_t time;        /* commit time */
	const char *author;  /* committer's name */
	const char *old_data; size_t old_len; /* NULL if the file was added */
	const char *new_data; size_t new_len; /* NULL if the file was deleted */
};
typedef int (*refctl_change_fn)(const struct refctl_change *c, void *payload);
/* Every change to advocates/ *.yaml in non-merge commits reachable from HEAD
 * whose commit time is in [from, to) (seconds since the epoch), oldest
 * first. History is walked newest commit time first down to a day before
 * from (the margin for wrong clocks): a commit reachable only through one
 * dated earlier than that is not seen. */
int refctl_store_changes(struct refctl_store *s, int64_t from, int64_t to,
			 refctl_change_fn fn, void *payload);
/* The same, a commit at a time: begin (may be NULL) before the changes of
 * each commit that changed advocates/ (id and data NULL), which skips
 * them by returning > 0; change for each; end (may be NULL) after those
 * of a commit begin did not skip. */
struct refctl_changes_cb {
	refctl_change_fn begin, change, end;
	void *payload;
};
int refctl_store_changes_cb(struct refctl_store *s, int64_t from, int64_t to,
			    const struct refctl_changes_cb *cb);
/* The file of the history summaries, under the git directory
 * (.git/refctl/history-cache), into path, and what its contents depend
 * on besides commits (the root's place in the work tree) into identity;
 * REFCTL_ENOTFOUND (no message) when the store's caches are off. */
int refctl_store_history_cache(struct refctl_buf *path, struct refctl_buf *identity,
			       struct refctl_store *s);

#endif
