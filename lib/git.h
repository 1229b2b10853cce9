#ifndef REFCTL_LIB_GIT_H
#define REFCTL_LIB_GIT_H

/* The only interface to libgit2; nothing outside lib/git.c includes git2.h. */
#include <stddef.h>
#include "refctl/store.h"

struct refctl__git;

/* Open the repository whose work tree holds root; REFCTL_ENOTFOUND if none. */
int refctl__git_open(struct refctl__git **out, const char *root);
void refctl__git_free(struct refctl__git *g);
/* The repository's git directory (for the lock file). */
const char *refctl__git_dir(const struct refctl__git *g);
/* `git init` dir if it is inside no work tree; *created says if it did. */
int refctl__git_init_if_needed(const char *dir, int *created);
/* Check an author is configured (without a repository: global config). */
int refctl__git_check_author(struct refctl__git *g);
/* The user name commits are made with (git config user.name, else
 * GIT_AUTHOR_NAME) into out; out stays empty if there is none. */
int refctl__git_user_name(struct refctl__git *g, struct refctl_buf *out);
/* REFCTL_EDIRTY if a merge, rebase, cherry-pick ... is in progress. */
int refctl__git_check_state(struct refctl__git *g);
/* REFCTL_ELOCKED if git's own lock files for a commit (index.lock, HEAD.lock,
 * the lock of HEAD's branch) exist: another git process is at work, or
 * one was killed while committing. */
int refctl__git_check_locks(struct refctl__git *g);
/* REFCTL_EDIRTY if relpath (relative to the root) has uncommitted changes. */
int refctl__git_check_clean(struct refctl__git *g, const char *relpath);
/* Commit exactly these files with these contents (already written to the
 * work tree) on HEAD, and update their index entries. */
int refctl__git_commit(struct refctl__git *g, const char *const *relpaths,
		       const char *const *data, const size_t *lens, size_t n, const char *message);
int refctl__git_log(struct refctl__git *g, const char *relpath,
		    struct refctl_log_entry **out, size_t *n);
int refctl__git_changes(struct refctl__git *g, int64_t from, int64_t to,
			refctl_change_fn fn, void *payload);

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
