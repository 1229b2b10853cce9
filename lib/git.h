#ifndef REFCTL_LIB_GIT_H
#define REFCTL_LIB_GIT_H

/*
 * The only interface to libgit2; nothing outside lib/git.c includes git2.h.
 * This module sits below the store: it knows paths, bytes and commits, not
 * records, so it has its own small types and includes no header above it.
 */
#include <stddef.h>
#include <stdint.h>

struct refctl_buf;
struct refctl__git;

/* Where warnings go (a lock waited for, a detached HEAD, a shallow clone). */
typedef void (*refctl__git_warn_fn)(const char *msg, void *payload);

/* Returned by refctl__git_write_ref() when HEAD moved since it was read. */
#define REFCTL__GIT_EMOVED (-100)

/* Open the repository whose work tree holds root; REFCTL_ENOTFOUND if none. */
int refctl__git_open(struct refctl__git **out, const char *root);
void refctl__git_free(struct refctl__git *g);
void refctl__git_set_warn(struct refctl__git *g, refctl__git_warn_fn fn, void *payload);
/* The repository's common git directory (for refctl.lock and the shallow file). */
const char *refctl__git_dir(const struct refctl__git *g);
/* The work tree's own git directory (.git, or .git/worktrees/NAME of a
 * linked work tree): what is of one work tree, such as the parse cache. */
const char *refctl__git_worktree_dir(const struct refctl__git *g);
/* The root relative to the work tree: "" or "sub/dir/". */
const char *refctl__git_prefix(const struct refctl__git *g);
/* `git init` dir if it is inside no work tree; *created says if it did. */
int refctl__git_init_if_needed(const char *dir, int *created);
/* Check an author is configured (without a repository: global config). */
int refctl__git_check_author(struct refctl__git *g);
/* The user name commits are made with (git config user.name, else
 * GIT_AUTHOR_NAME) into out; out stays empty if there is none. */
int refctl__git_user_name(struct refctl__git *g, struct refctl_buf *out);
/* REFCTL_EDIRTY if a merge, rebase, cherry-pick ... is in progress. */
int refctl__git_check_state(struct refctl__git *g);
/* REFCTL_EDIRTY if relpath (relative to the root) has uncommitted changes;
 * else base gets its blob id in HEAD in hex ("" if HEAD has no such file). */
int refctl__git_check_clean(struct refctl__git *g, const char *relpath, char base[41]);

/*
 * A commit made under git's lock protocol (see docs/architecture.md,
 * "The store's invariants"). The steps, in this order:
 *
 *   begin    take git's index.lock (O_EXCL, waiting up to timeout), read
 *            HEAD and the index under it
 *   check    each path is in HEAD, the index and the work tree as it was
 *            when the change was computed (its base)
 *   objects  blobs, a tree from HEAD's with exactly those paths, the commit
 *   index    (after the caller wrote the files) the new index, in a
 *            temporary file beside the index
 *   ref      move HEAD's branch (or a detached HEAD) from the commit read
 *            to the new one, or REFCTL__GIT_EMOVED; then rebase re-reads
 *            HEAD and rebuilds the commit on it
 *   finish   install the index and release index.lock: after the ref has
 *            moved, failures here are warnings
 *
 * refctl__git_write_free() before finish removes everything it made but
 * the (unreferenced) objects.
 */
struct refctl__git_write;
int refctl__git_write_begin(struct refctl__git_write **out, struct refctl__git *g, double timeout);
int refctl__git_write_check(struct refctl__git_write *w, const char *relpath, const char *base);
int refctl__git_write_objects(struct refctl__git_write *w, const char *const *relpaths,
			      const char *const *data, const size_t *lens, size_t n, const char *message);
int refctl__git_write_index(struct refctl__git_write *w);
/* The new index in place of the index, the old one kept; undone (before
 * the ref moves) by uninstall. */
int refctl__git_write_install_index(struct refctl__git_write *w);
int refctl__git_write_uninstall_index(struct refctl__git_write *w);
int refctl__git_write_ref(struct refctl__git_write *w);
int refctl__git_write_rebase(struct refctl__git_write *w);
/* The ref being moved ("HEAD" when detached) and the new commit, hex. */
const char *refctl__git_write_refname(const struct refctl__git_write *w);
const char *refctl__git_write_commit_id(const struct refctl__git_write *w);
/* The lock files of the ref update (for messages and for the journal). */
const char *refctl__git_write_ref_lock(const struct refctl__git_write *w);
void refctl__git_write_finish(struct refctl__git_write *w);
void refctl__git_write_free(struct refctl__git_write *w);

/*
 * Leftovers of a writer that died (called with refctl.lock held, so no
 * refctl is writing): git's index.lock holding refctl's marker, refctl's
 * temporary index, and a ref lock holding the commit the journal names.
 * With remove set, they are removed. Each one found is described in out,
 * one per line.
 */
int refctl__git_leftovers(struct refctl__git *g, const char *journal_ref, const char *journal_commit,
			  int remove, struct refctl_buf *out);

/* Where a path stands in HEAD, the index and the work tree. */
struct refctl__git_path_state {
	char head[41], index[41], work[41]; /* blob ids in hex, "" if absent */
	int conflict;                       /* the index holds conflict stages */
	int not_file;                       /* the work tree has something else there */
	int stale_index;                    /* the work tree is HEAD's, the index HEAD^'s: an index
					     * read before HEAD's commit and written back after */
};
/* What a stale_index state is, for messages. */
#define REFCTL__GIT_STALE_INDEX \
	"the index has it as it was before HEAD's commit, written back by a git command " \
	"that had read the index before that commit"
int refctl__git_path_state(struct refctl__git *g, const char *relpath,
			   struct refctl__git_path_state *st);
/* HEAD, the index and the work tree hold the same (or all lack it). */
int refctl__git_state_agrees(const struct refctl__git_path_state *st);
/* Paths of the root's tree in HEAD and the index, under dir (relative to
 * the root, "" for the root itself), not recursing: fn gets each. */
int refctl__git_tracked(struct refctl__git *g, const char *dir,
			int (*fn)(const char *relpath, void *payload), void *payload);
/* Store a file's bytes as a blob (to keep what a repair overwrites). */
int refctl__git_save_blob(struct refctl__git *g, const char *data, size_t len, char id[41]);
/* The contents of relpath in HEAD into out; REFCTL_ENOTFOUND if absent. */
int refctl__git_head_blob(struct refctl__git *g, const char *relpath, struct refctl_buf *out);
/* Under index.lock: set the index entries of these paths to HEAD's (the
 * work-tree files must already be HEAD's), removing those HEAD lacks. */
int refctl__git_reset_index(struct refctl__git *g, const char *const *relpaths, size_t n,
			    double timeout);

/* ---- history ---- */

/* How far the history reachable from HEAD goes in this clone. */
struct refctl__git_history {
	int shallow;          /* a shallow clone whose boundary the walk reached:
			       * older commits are not here (a walk that stopped
			       * before it, at -n or a date, is not short) */
	int64_t since;        /* then the commit time of its oldest boundary commit */
	char since_id[41];
};

struct refctl__git_commit {
	const char *id;      /* hex */
	int64_t time;        /* author time */
	int offset;          /* author's offset in minutes */
	const char *author, *email, *summary;
};
typedef int (*refctl__git_commit_fn)(const struct refctl__git_commit *c, void *payload);

/*
 * How far before the start of a window of time the walks look, for
 * clocks that were wrong: history is walked newest commit date first and
 * stops at the first commit dated more than this before the window's
 * start. A commit dated inside the window but reachable only through
 * commits dated older than that is not seen (git log --since stops at the
 * first commit older than its date, with no margin at all).
 */
#define REFCTL__GIT_SKEW_MARGIN ((int64_t)24 * 3600)

struct refctl__git_log_opts {
	size_t max_count;    /* stop after this many commits; 0 for all */
	int64_t since;       /* only commits with commit time from then on */
	int has_since;
};
/* Commits that changed relpath, newest commit time first as git log --
 * PATH lists them: each commit whose blob at relpath differs from every
 * parent's (looked up by path, never a tree diff). */
int refctl__git_log(struct refctl__git *g, const char *relpath, const struct refctl__git_log_opts *o,
		    refctl__git_commit_fn fn, void *payload, struct refctl__git_history *hist);

struct refctl__git_change {
	const char *id;      /* advocate id (file stem); NULL for begin and end */
	const char *commit;  /* hex */
	int64_t time;        /* commit time */
	const char *author;  /* committer's name */
	const char *old_data; size_t old_len; /* NULL if the file was added */
	const char *new_data; size_t new_len; /* NULL if the file was deleted */
};
typedef int (*refctl__git_change_fn)(const struct refctl__git_change *c, void *payload);
struct refctl__git_changes_cb {
	/* Before the changes of a commit whose advocates/ differs from its
	 * parent's (may be NULL): > 0 skips them, < 0 is an error. */
	refctl__git_change_fn begin;
	refctl__git_change_fn change;
	/* After the changes of a commit begin did not skip (may be NULL). */
	refctl__git_change_fn end;
	void *payload;
};
/* Changes to advocates/ *.yaml in non-merge commits with commit time in
 * [from, to), oldest first. The walk stops at from less
 * REFCTL__GIT_SKEW_MARGIN; a commit whose advocates/ tree is its
 * parent's costs no diff, and the others diff just that tree. */
int refctl__git_changes(struct refctl__git *g, int64_t from, int64_t to,
			const struct refctl__git_changes_cb *cb, struct refctl__git_history *hist);

/* A three-way merge of lines (libgit2's git_merge_file), for the merge
 * driver's inputs that are not advocate files: data and len are base,
 * ours and theirs, labels their names in the markers. The result into
 * out, *conflicted set if it has markers. REFCTL_EINVALID if a side is
 * binary: nothing is merged. */
int refctl__git_merge_lines(struct refctl_buf *out, int *conflicted, const char *const data[3],
			    const size_t len[3], const char *const labels[3], unsigned marker_size);
/* Set name to value in the repository's own configuration (.git/config),
 * as `git config name value` does; 1 if that changed it, 0 if it had it. */
int refctl__git_config_set(struct refctl__git *g, const char *name, const char *value);

#endif
