/*
 * Everything refctl does with git, through libgit2: opening, init, the
 * author, state checks, committing exactly the files refctl changed under
 * git's lock protocol, and reading history. libgit2's types and return
 * codes stop here.
 */
#include <git2.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "refctl/buf.h"
#include "git.h"
#include "util.h"

struct refctl__git {
	git_repository *repo;
	char *prefix;  /* root relative to the work tree, "" or "sub/dir/" */
	char *gitdir;  /* the common git directory, without a final '/' */
	refctl__git_warn_fn warn;
	void *warn_payload;
	int warned_detached;
};

static int lg2_initialised;

static void lg2_init(void)
{
	if (lg2_initialised++)
		return;
	git_libgit2_init();
	/* honour git's switch for hermetic runs (tests, CI) */
	if (getenv("GIT_CONFIG_NOSYSTEM"))
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "/dev/null/none");
	/* Objects, refs and the index reach the disk before anything that
	 * refers to them is written (invariant 2 of the store). */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	/* Objects are hashed when written (and by git fsck), not again on
	 * every read, as git does: a history walk reads a folder tree of the
	 * whole roster per commit, and hashing it was most of its time. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Small pack windows, few of them: a history walk reads blobs from all
	 * over a pack, and every mapped page it touched counts as memory. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)2 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)8 << 20);
	/* and a bounded object cache: a walk keeps what it needs itself, and
	 * 20,000 commits and their folder trees would otherwise stay cached
	 * (libgit2's default is 256 MB); 16 MB holds the advocates/ tree of
	 * 100,000 advocates that a write keeps (below) */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20);
	/* Keep parsed trees, whatever their size: a write checks each file it
	 * changes against HEAD's advocates/ tree, which with 10,000 advocates
	 * is a 600 KB object that libgit2 (caching trees up to 4 KB) would
	 * otherwise read and parse again for every file of an import. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)64 << 20);
}

static void gwarn(struct refctl__git *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gwarn(struct refctl__git *g, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!g->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	g->warn(msg, g->warn_payload);
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return refctl__error(REFCTL_EGIT, "git: %s: %s", what, e && e->message ? e->message : "failed");
}

/*
 * Whether git's ownership check refused the repository of ROOT: GIT_EOWNER,
 * or (libgit2 1.5 reports "config value 'safe.directory' was not found" when
 * none is set) a repository that exists but is not the current user's. If
 * so, the error says it and names safe.directory; else 0.
 */
static int not_owned(int open_error, const char *root)
{
	git_buf dir = GIT_BUF_INIT;
	struct stat st;
	size_t n;
	int error = 0;

	if (git_repository_discover(&dir, root, 0, NULL) < 0) {
		git_buf_dispose(&dir);
		return 0;
	}
	if ((n = strlen(dir.ptr)) > 6 && !strcmp(dir.ptr + n - 6, "/.git/"))
		dir.ptr[n - 6] = '\0'; /* the work tree is what safe.directory names */
	if (open_error == GIT_EOWNER || (stat(dir.ptr, &st) == 0 && st.st_uid != geteuid()))
		error = refctl__error(REFCTL_EGIT,
				      "git refuses the repository at '%s': it is not owned by the current user "
				      "(dubious ownership); to trust it: git config --global --add safe.directory %s",
				      dir.ptr, dir.ptr);
	git_buf_dispose(&dir);
	return error;
}

int refctl__git_open(struct refctl__git **out, const char *root)
{
	struct refctl__git *g;
	const char *wd;
	char *realwd = NULL;
	size_t n;
	int error;

	*out = NULL;
	lg2_init();
	g = refctl__calloc(1, sizeof(*g));
	if ((error = git_repository_open_ext(&g->repo, root, 0, NULL)) < 0) {
		error = not_owned(error, root); /* before the free: it shuts libgit2 down */
		refctl__git_free(g);
		if (error < 0)
			return error;
		return refctl__error(REFCTL_ENOTFOUND,
				     "'%s' is not inside a git repository (run 'refctl init' there)", root);
	}
	if (!(wd = git_repository_workdir(g->repo))) {
		refctl__git_free(g);
		return refctl__error(REFCTL_EGIT, "the git repository of '%s' is bare", root);
	}
	realwd = realpath(wd, NULL);
	wd = realwd ? realwd : wd;
	n = strlen(wd);
	while (n > 1 && wd[n - 1] == '/')
		n--;
	if (strncmp(root, wd, n) || (root[n] && root[n] != '/')) {
		free(realwd);
		refctl__git_free(g);
		return refctl__error(REFCTL_EGIT, "'%s' is outside the work tree of its repository", root);
	}
	g->prefix = root[n] ? refctl__malloc(strlen(root + n + 1) + 2) : refctl__strdup("");
	if (root[n])
		sprintf(g->prefix, "%s/", root + n + 1);
	g->gitdir = refctl__strdup(git_repository_commondir(g->repo));
	n = strlen(g->gitdir);
	if (n > 1 && g->gitdir[n - 1] == '/')
		g->gitdir[n - 1] = '\0';
	free(realwd);
	*out = g;
	return 0;
}

void refctl__git_free(struct refctl__git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->prefix);
	free(g->gitdir);
	free(g);
	if (lg2_initialised && !--lg2_initialised)
		git_libgit2_shutdown();
}

const char *refctl__git_dir(const struct refctl__git *g)
{
	return g->gitdir;
}

const char *refctl__git_worktree_dir(const struct refctl__git *g)
{
	return git_repository_path(g->repo);
}

const char *refctl__git_prefix(const struct refctl__git *g)
{
	return g->prefix;
}

void refctl__git_set_warn(struct refctl__git *g, refctl__git_warn_fn fn, void *payload)
{
	g->warn = fn;
	g->warn_payload = payload;
}

int refctl__git_init_if_needed(const char *dir, int *created)
{
	git_repository *repo = NULL;
	int error = 0;

	*created = 0;
	lg2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) == 0) {
		if (git_repository_is_bare(repo))
			error = refctl__error(REFCTL_EGIT, "'%s' is inside a bare git repository", dir);
	} else if (git_repository_init(&repo, dir, 0) < 0) {
		error = git_fail("init");
	} else {
		*created = 1;
	}
	git_repository_free(repo);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

/* "@1700000000 +0100", "2026-11-01T10:00:00" or "2026-11-01 10:00:00 +0000" */
static int parse_git_date(const char *s, git_time_t *t, int *offset)
{
	struct tm tm;
	const char *p;
	int sign, hh, mm;

	*offset = 0;
	if (*s == '@') {
		char *end;
		*t = strtoll(s + 1, &end, 10);
		p = end;
	} else {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%Y-%m-%d", &tm);
		if (!p)
			return -1;
		if (*p == 'T' || *p == ' ') {
			const char *q = strptime(p + 1, "%H:%M:%S", &tm);
			if (q)
				p = q;
		}
		*t = timegm(&tm);
		if (*p == 'Z')
			p++;
	}
	while (*p == ' ')
		p++;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d%2d", &hh, &mm) == 2) {
		sign = *p == '-' ? -1 : 1;
		*offset = sign * (hh * 60 + mm);
		if (*s != '@')
			*t -= (git_time_t)*offset * 60;
	}
	return 0;
}

static int make_signature(git_signature **out, git_repository *repo, const char *date_env)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	const char *n = NULL, *e = NULL, *d = getenv(date_env);
	git_time_t t = time(NULL);
	int offset = 0, error = 0;

	*out = NULL;
	if ((repo ? git_repository_config_snapshot(&cfg, repo) : git_config_open_default(&cfg)) == 0) {
		if (git_config_get_string_buf(&name, cfg, "user.name") == 0 && name.size)
			n = name.ptr;
		if (git_config_get_string_buf(&email, cfg, "user.email") == 0 && email.size)
			e = email.ptr;
	}
	if (!n || !e) {
		n = getenv("GIT_AUTHOR_NAME");
		e = getenv("GIT_AUTHOR_EMAIL");
	}
	if (!n || !*n || !e || !*e) {
		error = refctl__error(REFCTL_EGIT,
				      "no author for the commit: set git config user.name and user.email "
				      "(or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL), or use --no-commit");
		goto done;
	}
	if (d && *d && parse_git_date(d, &t, &offset) < 0) {
		error = refctl__error(REFCTL_EINVALID, "%s '%s' is not a date", date_env, d);
		goto done;
	}
	if (git_signature_new(out, n, e, t, offset) < 0)
		error = git_fail("signature");
done:
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return error;
}

int refctl__git_check_author(struct refctl__git *g)
{
	git_signature *sig;
	int error;

	lg2_init();
	error = make_signature(&sig, g ? g->repo : NULL, "GIT_AUTHOR_DATE");
	git_signature_free(sig);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

int refctl__git_user_name(struct refctl__git *g, struct refctl_buf *out)
{
	git_config *cfg = NULL;
	git_buf name = { 0 };
	const char *env = getenv("GIT_AUTHOR_NAME");

	refctl_buf_clear(out);
	/* the same order as the commit author: configuration, then environment */
	if (git_repository_config_snapshot(&cfg, g->repo) == 0 &&
	    git_config_get_string_buf(&name, cfg, "user.name") == 0 && name.size)
		refctl_buf_puts(out, name.ptr);
	else if (env && *env)
		refctl_buf_puts(out, env);
	git_buf_dispose(&name);
	git_config_free(cfg);
	return 0;
}

int refctl__git_check_state(struct refctl__git *g)
{
	static const char *const names[] = {
		[GIT_REPOSITORY_STATE_MERGE] = "a merge",
		[GIT_REPOSITORY_STATE_REVERT] = "a revert",
		[GIT_REPOSITORY_STATE_REVERT_SEQUENCE] = "a revert",
		[GIT_REPOSITORY_STATE_CHERRYPICK] = "a cherry-pick",
		[GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE] = "a cherry-pick",
		[GIT_REPOSITORY_STATE_BISECT] = "a bisect",
		[GIT_REPOSITORY_STATE_REBASE] = "a rebase",
		[GIT_REPOSITORY_STATE_REBASE_INTERACTIVE] = "a rebase",
		[GIT_REPOSITORY_STATE_REBASE_MERGE] = "a rebase",
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX] = "git am",
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE] = "git am or a rebase",
	};
	int st = git_repository_state(g->repo);

	if (st == GIT_REPOSITORY_STATE_NONE)
		return 0;
	return refctl__error(REFCTL_EDIRTY,
			     "%s is in progress in this repository; finish or abort it before refctl commits",
			     st > 0 && (size_t)st < sizeof(names) / sizeof(names[0]) && names[st] ? names[st]
												 : "an operation");
}

/* ---- where a path stands in HEAD, the index and the work tree ---- */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hex_of(char out[41], const git_oid *id)
{
	git_oid_tostr(out, 41, id);
}

/* HEAD's commit and tree; both NULL on an unborn branch. */
static int read_head_tree(git_repository *repo, git_commit **commit, git_tree **tree)
{
	git_reference *head = NULL;
	int rc;

	*commit = NULL;
	*tree = NULL;
	rc = git_repository_head(&head, repo);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return git_fail("reading HEAD");
	rc = git_commit_lookup(commit, repo, git_reference_target(head)) < 0 ||
	     git_commit_tree(tree, *commit) < 0;
	git_reference_free(head);
	if (rc) {
		git_commit_free(*commit);
		*commit = NULL;
		return git_fail("reading HEAD");
	}
	return 0;
}

/* The index as it is on disk now. */
static int read_index(git_index **out, git_repository *repo)
{
	*out = NULL;
	if (git_repository_index(out, repo) < 0 || git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		*out = NULL;
		return git_fail("reading the index");
	}
	return 0;
}

/* path is relative to the work tree. */
static int state_of(struct refctl__git *g, git_tree *tree, git_index *index, const char *path,
		    struct refctl__git_path_state *st)
{
	struct refctl_buf full = REFCTL_BUF_INIT;
	git_tree_entry *te = NULL;
	const git_index_entry *ie;
	struct stat sb;
	git_oid work;
	int error = 0, rc;

	memset(st, 0, sizeof(*st));
	if (tree) {
		rc = git_tree_entry_bypath(&te, tree, path);
		if (rc == 0)
			hex_of(st->head, git_tree_entry_id(te));
		else if (rc != GIT_ENOTFOUND)
			return git_fail("reading HEAD");
	}
	if ((ie = git_index_get_bypath(index, path, 0)))
		hex_of(st->index, &ie->id);
	st->conflict = git_index_get_bypath(index, path, 1) || git_index_get_bypath(index, path, 2) ||
		       git_index_get_bypath(index, path, 3);
	refctl_buf_printf(&full, "%s%s", git_repository_workdir(g->repo), path);
	if (lstat(full.ptr, &sb) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			error = refctl__error(REFCTL_EIO, "cannot stat '%s': %s", full.ptr, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		st->not_file = 1;
	} else if (git_repository_hashfile(&work, g->repo, path, GIT_OBJECT_BLOB, NULL) < 0) {
		error = git_fail(path);
	} else {
		hex_of(st->work, &work);
	}
	git_tree_entry_free(te);
	refctl_buf_release(&full);
	return error;
}

/* Does commit's first parent have path as the blob hex? */
static int in_parent(git_commit *commit, const char *path, const char *hex)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	char id[41];
	int found = 0;

	if (git_commit_parent(&parent, commit, 0) == 0 && git_commit_tree(&tree, parent) == 0 &&
	    git_tree_entry_bypath(&te, tree, path) == 0) {
		hex_of(id, git_tree_entry_id(te));
		found = !strcmp(id, hex);
	}
	git_error_clear();
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(parent);
	return found;
}

int refctl__git_state_agrees(const struct refctl__git_path_state *st)
{
	return !st->conflict && !st->not_file && !strcmp(st->head, st->index) && !strcmp(st->index, st->work);
}

int refctl__git_path_state(struct refctl__git *g, const char *relpath,
			   struct refctl__git_path_state *st)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	git_index *index = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int error;

	refctl_buf_printf(&path, "%s%s", g->prefix, relpath);
	if ((error = read_index(&index, g->repo)) < 0 ||
	    (error = read_head_tree(g->repo, &commit, &tree)) < 0)
		goto done;
	error = state_of(g, tree, index, path.ptr, st);
	if (!error && st->index[0] && strcmp(st->index, st->head) && !strcmp(st->work, st->head) &&
	    !st->conflict && commit && git_commit_parentcount(commit) > 0)
		st->stale_index = in_parent(commit, path.ptr, st->index);
done:
	git_tree_free(tree);
	git_commit_free(commit);
	git_index_free(index);
	refctl_buf_release(&path);
	return error;
}

/*
 * Is the file as HEAD has it, in the index and in the work tree? Compared
 * directly (HEAD's blob, the index entry, the file's hash) rather than
 * with git_status_file(), which scans the whole folder: with 10,000
 * advocates that scan was a quarter of a write's time.
 */
int refctl__git_check_clean(struct refctl__git *g, const char *relpath, char base[41])
{
	struct refctl__git_path_state st;
	int error;

	base[0] = '\0';
	if ((error = refctl__git_path_state(g, relpath, &st)) < 0)
		return error;
	if (st.stale_index)
		return refctl__error(REFCTL_EDIRTY, "%s: %s; run 'refctl fsck --repair'", relpath,
				     REFCTL__GIT_STALE_INDEX);
	if (!refctl__git_state_agrees(&st))
		return refctl__error(REFCTL_EDIRTY,
				     "%s has uncommitted changes; commit or discard them first (or use --no-commit)",
				     relpath);
	memcpy(base, st.head, 41);
	return 0;
}

/* ---- git's lock files ---- */

/*
 * refctl's mark in a lock file of git's that it holds: git never reads a
 * lock file's contents, and a real index starts with "DIRC", so a lock
 * holding this was made by refctl. Only a holder of refctl.lock makes
 * one, so a holder of refctl.lock that finds one knows it is stale.
 */
#define LOCK_MARK "refctl "

static int lock_is_ours(const char *lockpath, char *pid, size_t pidsize)
{
	char buf[64];
	ssize_t n;
	int fd = open(lockpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= (ssize_t)strlen(LOCK_MARK) || memcmp(buf, LOCK_MARK, strlen(LOCK_MARK)))
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(pid, pidsize, "%.20s", buf + strlen(LOCK_MARK));
	return 1;
}

static int lock_held_error(const char *lockpath)
{
	return refctl__error(REFCTL_ELOCKED,
			     "git's lock file '%s' exists: another git process is running, or one was killed "
			     "while committing; if no git process is running, remove the file and try again",
			     lockpath);
}

static void lock_pause(void)
{
	usleep(5000 + (unsigned)(rand() % 10000));
}

/* The marked lock file is made whole beside the lock and linked into
 * place: link() fails if the lock exists, as O_EXCL does, and a lock that
 * exists is never empty, so a killed refctl's lock is always known as its. */
static void mark_path(struct refctl_buf *out, const char *lockpath)
{
	refctl_buf_clear(out);
	refctl_buf_printf(out, "%.*srefctl-mark", (int)(strrchr(lockpath, '/') + 1 - lockpath), lockpath);
}

static int write_mark(const char *path)
{
	char buf[64];
	int fd, len = snprintf(buf, sizeof(buf), LOCK_MARK "%ld\n", (long)getpid());

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
		return -1;
	if (write(fd, buf, (size_t)len) != len) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/*
 * Take git's lock on a file as git's lockfile.c does: create NAME.lock,
 * failing if it exists. While another process holds it, wait up to
 * timeout seconds, saying so once. Must be called with refctl.lock held.
 */
static int gitlock_take(struct refctl__git *g, const char *lockpath, double timeout)
{
	struct refctl_buf mark = REFCTL_BUF_INIT;
	double start = now_seconds();
	char pid[32];
	int warned = 0, error = 0, fd;

	mark_path(&mark, lockpath);
	if (write_mark(mark.ptr) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", mark.ptr, strerror(errno));
		goto done;
	}
	for (;;) {
		if (link(mark.ptr, lockpath) == 0)
			break;
		if (errno != EEXIST) {
			/* no hard links here: create it, then mark it */
			if ((fd = open(lockpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
				close(fd);
				if (write_mark(lockpath) == 0)
					break;
				error = refctl__error(REFCTL_EIO, "cannot write git's lock file '%s': %s", lockpath,
						      strerror(errno));
				unlink(lockpath);
				goto done;
			}
			if (errno != EEXIST) {
				error = refctl__error(REFCTL_EIO, "cannot create git's lock file '%s': %s", lockpath,
						      strerror(errno));
				goto done;
			}
		}
		if (lock_is_ours(lockpath, pid, sizeof(pid)) && unlink(lockpath) == 0) {
			gwarn(g, "removed git's lock file '%s' left by refctl process %s, which ended without removing it",
			      lockpath, pid);
			continue;
		}
		if (now_seconds() - start >= timeout) {
			error = lock_held_error(lockpath);
			goto done;
		}
		if (!warned++)
			gwarn(g, "git's lock file '%s' exists: waiting up to %g s for the git process holding it",
			      lockpath, timeout);
		lock_pause();
	}
done:
	unlink(mark.ptr);
	refctl_buf_release(&mark);
	return error;
}

/* Wait until a lock file of git's is gone (a ref being updated by git). */
static int gitlock_wait(struct refctl__git *g, const char *lockpath, double timeout)
{
	double start = now_seconds();
	int warned = 0;

	while (access(lockpath, F_OK) == 0) {
		if (now_seconds() - start >= timeout)
			return lock_held_error(lockpath);
		if (!warned++)
			gwarn(g, "git's lock file '%s' exists: waiting up to %g s for the git process holding it",
			      lockpath, timeout);
		lock_pause();
	}
	return 0;
}

/* ---- a commit under git's lock protocol ---- */

struct staged_path {
	char *path;    /* relative to the work tree */
	char *relpath; /* relative to the root, for messages */
	char base[41]; /* its blob in HEAD when the change was computed, "" if none */
	git_oid blob;
};

struct refctl__git_write {
	struct refctl__git *g;
	double timeout;
	char *index_path, *lock, *tmp, *tmp_lock, *old;
	int locked;        /* we hold index.lock */
	int installed;     /* the new index is in place, the old one kept at old */
	int had_old;       /* there was an index to keep */
	git_index *index;  /* the index as read under the lock, then the new one */
	/* HEAD as read under the lock */
	int detached, unborn;
	char *refname;     /* HEAD's branch, or "HEAD" when detached */
	char *ref_lock;
	git_oid head_id;
	git_commit *head;
	git_tree *head_tree;
	/* the change */
	struct staged_path *v;
	size_t n, alloc;
	char *message;
	git_signature *author, *committer;
	git_oid commit_id;
	char commit_hex[41];
	int moved;         /* the ref points at commit_id */
};

static void free_head(struct refctl__git_write *w)
{
	git_tree_free(w->head_tree);
	git_commit_free(w->head);
	free(w->refname);
	free(w->ref_lock);
	w->head_tree = NULL;
	w->head = NULL;
	w->refname = w->ref_lock = NULL;
}

/* Read HEAD: the ref a commit moves, and the commit it is at. */
static int read_head(struct refctl__git_write *w)
{
	git_repository *repo = w->g->repo;
	git_reference *head = NULL;
	int error = 0, rc;

	free_head(w);
	w->detached = w->unborn = 0;
	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return git_fail("reading HEAD");
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *name = git_reference_symbolic_target(head);
		w->refname = refctl__strdup(name);
		w->ref_lock = refctl__malloc(strlen(w->g->gitdir) + strlen(name) + 8);
		sprintf(w->ref_lock, "%s/%s.lock", w->g->gitdir, name);
		rc = git_reference_name_to_id(&w->head_id, repo, name);
		if (rc == GIT_ENOTFOUND) {
			w->unborn = 1;
		} else if (rc < 0) {
			error = git_fail("reading HEAD");
			goto done;
		}
	} else {
		const char *dir = git_repository_path(repo);
		w->detached = 1;
		w->refname = refctl__strdup("HEAD");
		w->ref_lock = refctl__malloc(strlen(dir) + 16);
		sprintf(w->ref_lock, "%s%sHEAD.lock", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
		git_oid_cpy(&w->head_id, git_reference_target(head));
	}
	if (!w->unborn && (git_commit_lookup(&w->head, repo, &w->head_id) < 0 ||
			   git_commit_tree(&w->head_tree, w->head) < 0))
		error = git_fail("reading HEAD");
done:
	git_reference_free(head);
	return error;
}

/* Keep the file at src as dst, where src may then be replaced without
 * touching it: a hard link if the file system has them, else a copy.
 * *had is 0 if there was no src (and nothing is kept). */
static int keep_file(const char *src, const char *dst, int *had)
{
	struct refctl_buf data = REFCTL_BUF_INIT;
	int error = 0;

	*had = 1;
	if (unlink(dst) < 0 && errno != ENOENT)
		return refctl__error(REFCTL_EIO, "cannot remove '%s': %s", dst, strerror(errno));
	if (link(src, dst) == 0)
		return 0;
	if (errno == ENOENT) {
		*had = 0;
		return 0;
	}
	if ((error = refctl__read_file(&data, src, (size_t)1 << 31)) == 0)
		error = refctl__write_atomic(dst, data.ptr, data.size);
	else if (error == REFCTL_ENOTFOUND) {
		*had = 0;
		error = 0;
	}
	refctl_buf_release(&data);
	return error;
}

/* Copy the index as it is under the lock to w->tmp, where libgit2 may
 * rewrite it without touching the index itself; no index yet: start from
 * an empty one. */
static int snapshot_index(struct refctl__git_write *w)
{
	int error, had;

	unlink(w->tmp_lock); /* a killed writer's, and we hold refctl.lock */
	if ((error = keep_file(w->index_path, w->tmp, &had)) < 0)
		return error;
	if (git_index_open(&w->index, w->tmp) < 0)
		return git_fail("reading the index");
	return 0;
}

int refctl__git_write_begin(struct refctl__git_write **out, struct refctl__git *g, double timeout)
{
	struct refctl__git_write *w;
	const char *dir = git_repository_path(g->repo); /* per work tree: the index, HEAD */
	int error;

	*out = NULL;
	w = refctl__calloc(1, sizeof(*w));
	w->g = g;
	w->timeout = timeout;
	w->index_path = refctl__malloc(strlen(dir) + 8);
	sprintf(w->index_path, "%s%sindex", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
	w->lock = refctl__malloc(strlen(w->index_path) + 8);
	sprintf(w->lock, "%s.lock", w->index_path);
	w->tmp = refctl__malloc(strlen(w->index_path) + 16);
	sprintf(w->tmp, "%s.refctl", w->index_path);
	w->tmp_lock = refctl__malloc(strlen(w->tmp) + 8);
	sprintf(w->tmp_lock, "%s.lock", w->tmp);
	w->old = refctl__malloc(strlen(w->tmp) + 8);
	sprintf(w->old, "%s.old", w->tmp);
	if ((error = gitlock_take(g, w->lock, timeout)) < 0)
		goto done;
	w->locked = 1;
	/* Under the lock: no git command can start a merge, commit, or stage
	 * anything now; HEAD and the index are read as they are. */
	if ((error = refctl__git_check_state(g)) < 0 || (error = snapshot_index(w)) < 0 ||
	    (error = read_head(w)) < 0 || (error = gitlock_wait(g, w->ref_lock, timeout)) < 0)
		goto done;
	if (w->detached && !g->warned_detached++)
		gwarn(g, "committing on a detached HEAD");
done:
	if (error < 0)
		refctl__git_write_free(w);
	else
		*out = w;
	return error;
}

static const char *state_differs(const struct refctl__git_path_state *st, const char *base)
{
	if (strcmp(st->head, base))
		return "in HEAD";
	if (st->conflict || strcmp(st->index, base))
		return "in the index";
	if (st->not_file || strcmp(st->work, base))
		return "in the work tree";
	return NULL;
}

int refctl__git_write_check(struct refctl__git_write *w, const char *relpath, const char *base)
{
	struct refctl__git_path_state st;
	struct staged_path *p;
	const char *where;
	int error;

	REFCTL__ARRAY_GROW(w->v, w->n + 1, w->alloc);
	p = &w->v[w->n++];
	memset(p, 0, sizeof(*p));
	p->relpath = refctl__strdup(relpath);
	p->path = refctl__malloc(strlen(w->g->prefix) + strlen(relpath) + 1);
	sprintf(p->path, "%s%s", w->g->prefix, relpath);
	snprintf(p->base, sizeof(p->base), "%s", base);
	if ((error = state_of(w->g, w->head_tree, w->index, p->path, &st)) < 0)
		return error;
	if ((where = state_differs(&st, base)))
		return refctl__error(REFCTL_EDIRTY,
				     "%s changed %s while refctl was writing it; nothing was written, try again",
				     relpath, where);
	return 0;
}

/* The commit of the staged blobs on HEAD as read. */
static int build_commit(struct refctl__git_write *w)
{
	git_repository *repo = w->g->repo;
	git_tree_update *ups = refctl__calloc(w->n, sizeof(*ups));
	git_treebuilder *tb = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_oid tree_id, empty;
	const git_commit *parent = w->head;
	int error = 0;

	if (w->head_tree) {
		if (git_tree_dup(&base, w->head_tree) < 0) {
			error = git_fail("reading HEAD");
			goto done;
		}
	} else if (git_treebuilder_new(&tb, repo, NULL) < 0 || git_treebuilder_write(&empty, tb) < 0 ||
		   git_tree_lookup(&base, repo, &empty) < 0) {
		error = git_fail("writing the empty tree");
		goto done;
	}
	for (size_t i = 0; i < w->n; i++) {
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = w->v[i].path;
		git_oid_cpy(&ups[i].id, &w->v[i].blob);
	}
	if (git_tree_create_updated(&tree_id, repo, base, w->n, ups) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		error = git_fail("writing the tree");
		goto done;
	}
	if (git_commit_create(&w->commit_id, repo, NULL, w->author, w->committer, NULL, w->message, tree,
			      parent ? 1 : 0, parent ? &parent : NULL) < 0) {
		error = git_fail("writing the commit");
		goto done;
	}
	hex_of(w->commit_hex, &w->commit_id);
done:
	git_tree_free(tree);
	git_tree_free(base);
	git_treebuilder_free(tb);
	free(ups);
	return error;
}

/*
 * git gc's prune removes the empty folders of objects/, and libgit2 makes
 * an object's folder and then renames the object into it: a prune between
 * the two fails the rename with ENOENT. git's own object writes retry
 * then, and so do ours (objects are named by their contents: writing one
 * again is harmless).
 */
static int folder_vanished(void)
{
	const char *m = refctl_error_last();
	return m && strstr(m, "failed to rename") && strstr(m, strerror(ENOENT));
}

static int write_objects_once(struct refctl__git_write *w, const char *const *data, const size_t *lens)
{
	for (size_t i = 0; i < w->n; i++)
		if (git_blob_create_from_buffer(&w->v[i].blob, w->g->repo, data[i], lens[i]) < 0)
			return git_fail("writing a blob");
	return build_commit(w);
}

int refctl__git_write_objects(struct refctl__git_write *w, const char *const *relpaths,
			      const char *const *data, const size_t *lens, size_t n, const char *message)
{
	int error;

	if (n != w->n)
		return refctl__error(REFCTL_ERROR, "internal error: %zu paths checked, %zu written", w->n, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(relpaths[i], w->v[i].relpath))
			return refctl__error(REFCTL_ERROR, "internal error: '%s' was not checked", relpaths[i]);
	free(w->message);
	w->message = refctl__strdup(message);
	if ((error = make_signature(&w->author, w->g->repo, "GIT_AUTHOR_DATE")) < 0 ||
	    (error = make_signature(&w->committer, w->g->repo, "GIT_COMMITTER_DATE")) < 0)
		return error;
	for (int tries = 0;; tries++)
		if ((error = write_objects_once(w, data, lens)) == 0 || tries == 5 || !folder_vanished())
			return error;
}

/* What git add records: the blob and the file's stat data, so that git
 * sees the file clean without hashing it again. */
static void entry_from_stat(git_index_entry *e, const struct stat *st)
{
	e->ctime.seconds = (int32_t)st->st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st->st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st->st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
	e->dev = (uint32_t)st->st_dev;
	e->ino = (uint32_t)st->st_ino;
	e->uid = (uint32_t)st->st_uid;
	e->gid = (uint32_t)st->st_gid;
	e->file_size = (uint32_t)st->st_size;
}

int refctl__git_write_index(struct refctl__git_write *w)
{
	const char *wd = git_repository_workdir(w->g->repo);
	struct refctl_buf full = REFCTL_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < w->n && !error; i++) {
		git_index_entry e;
		struct stat st;

		refctl_buf_clear(&full);
		refctl_buf_printf(&full, "%s%s", wd, w->v[i].path);
		if (lstat(full.ptr, &st) < 0) {
			error = refctl__error(REFCTL_EIO, "cannot stat '%s': %s", full.ptr, strerror(errno));
			break;
		}
		memset(&e, 0, sizeof(e));
		entry_from_stat(&e, &st);
		e.mode = GIT_FILEMODE_BLOB;
		git_oid_cpy(&e.id, &w->v[i].blob);
		e.path = w->v[i].path;
		if (git_index_add(w->index, &e) < 0)
			error = git_fail("updating the index");
	}
	if (!error && git_index_write(w->index) < 0)
		error = git_fail("writing the index");
	refctl_buf_release(&full);
	return error;
}

static int ref_points_at(git_repository *repo, const char *name, const git_oid *id)
{
	git_oid now;
	return git_reference_name_to_id(&now, repo, name) == 0 && git_oid_equal(&now, id);
}

int refctl__git_write_ref(struct refctl__git_write *w)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	git_reference *ref = NULL;
	int rc;

	/* the reflog line git commit writes */
	refctl_buf_printf(&msg, "commit%s: ", w->unborn ? " (initial)" : "");
	refctl__buf_first_line(&msg, w->message);
	if (w->unborn)
		rc = git_reference_create_matching(&ref, w->g->repo, w->refname, &w->commit_id, 0, NULL, msg.ptr);
	else
		rc = git_reference_create_matching(&ref, w->g->repo, w->refname, &w->commit_id, 1, &w->head_id,
						   msg.ptr);
	git_reference_free(ref);
	refctl_buf_release(&msg);
	/* A failure after the rename (syncing the folder) still moved it. */
	if (rc == 0 || ref_points_at(w->g->repo, w->refname, &w->commit_id)) {
		w->moved = 1;
		return 0;
	}
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
		return REFCTL__GIT_EMOVED;
	if (rc == GIT_ELOCKED)
		return lock_held_error(w->ref_lock);
	return git_fail(w->detached ? "updating HEAD" : "updating the branch");
}

int refctl__git_write_rebase(struct refctl__git_write *w)
{
	int error;

	if ((error = read_head(w)) < 0)
		return error;
	if (w->detached && !w->g->warned_detached++)
		gwarn(w->g, "committing on a detached HEAD");
	for (size_t i = 0; i < w->n; i++) {
		struct refctl__git_path_state st;
		/* only HEAD matters here: the index and the file are ours */
		if ((error = state_of(w->g, w->head_tree, w->index, w->v[i].path, &st)) < 0)
			return error;
		if (strcmp(st.head, w->v[i].base))
			return refctl__error(REFCTL_EDIRTY,
					     "%s changed in HEAD while refctl was writing it; nothing was written, try again",
					     w->v[i].relpath);
	}
	return build_commit(w);
}

const char *refctl__git_write_refname(const struct refctl__git_write *w)
{
	return w->refname;
}

const char *refctl__git_write_commit_id(const struct refctl__git_write *w)
{
	return w->commit_hex;
}

const char *refctl__git_write_ref_lock(const struct refctl__git_write *w)
{
	return w->ref_lock;
}

/*
 * Put the new index in place, before the ref moves: git commit reads HEAD
 * and then the index before it takes index.lock, so an index older than
 * HEAD would give it a tree that puts refctl's files back. The old index
 * is kept until the ref has moved, for refctl__git_write_uninstall_index.
 */
int refctl__git_write_install_index(struct refctl__git_write *w)
{
	int error;

	if ((error = keep_file(w->index_path, w->old, &w->had_old)) < 0)
		return error;
	if (rename(w->tmp, w->index_path) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot update git's index '%s': %s", w->index_path,
				      strerror(errno));
		unlink(w->old);
		return error;
	}
	w->installed = 1;
	return 0;
}

int refctl__git_write_uninstall_index(struct refctl__git_write *w)
{
	int rc;

	if (!w->installed || w->moved)
		return 0;
	rc = w->had_old ? rename(w->old, w->index_path) : unlink(w->index_path);
	if (rc < 0 && !(errno == ENOENT && !w->had_old))
		return refctl__error(REFCTL_EIO, "cannot put git's index '%s' back as it was: %s",
				     w->index_path, strerror(errno));
	w->installed = 0;
	return 0;
}

static int release_index_lock(struct refctl__git_write *w)
{
	int error = 0;

	if (!w->locked)
		return 0;
	unlink(w->tmp_lock);
	unlink(w->tmp);
	if (unlink(w->lock) < 0 && errno != ENOENT)
		error = refctl__error(REFCTL_EIO, "cannot remove git's lock file '%s': %s", w->lock,
				      strerror(errno));
	w->locked = 0;
	return error;
}

void refctl__git_write_finish(struct refctl__git_write *w)
{
	/* The commit is in HEAD and the index in place: nothing is an error. */
	unlink(w->old);
	if (release_index_lock(w) < 0)
		gwarn(w->g, "%s: run 'refctl fsck --repair'", refctl_error_last());
}

void refctl__git_write_free(struct refctl__git_write *w)
{
	if (!w)
		return;
	refctl__git_write_uninstall_index(w); /* a caller that did not undo */
	if (w->old)
		unlink(w->old);
	release_index_lock(w);
	free_head(w);
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].path);
		free(w->v[i].relpath);
	}
	free(w->v);
	git_index_free(w->index);
	git_signature_free(w->author);
	git_signature_free(w->committer);
	free(w->message);
	free(w->index_path);
	free(w->lock);
	free(w->tmp);
	free(w->tmp_lock);
	free(w->old);
	free(w);
}

/* ---- repairs ---- */

int refctl__git_leftovers(struct refctl__git *g, const char *journal_ref, const char *journal_commit,
			  int remove, struct refctl_buf *out)
{
	const char *dir = git_repository_path(g->repo);
	struct refctl_buf p = REFCTL_BUF_INIT;
	const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
	char pid[32];
	int found = 0;

	refctl_buf_printf(&p, "%s%sindex.lock", dir, sep);
	if (lock_is_ours(p.ptr, pid, sizeof(pid))) {
		found++;
		refctl_buf_printf(out, "git's lock file '%s' was left by refctl process %s%s\n", p.ptr, pid,
				  remove && unlink(p.ptr) == 0 ? ": removed" : "");
	}
	for (int k = 0; k < 4; k++) {
		static const char *const names[] = { "index.refctl", "index.refctl.lock", "index.refctl.old",
						     "refctl-mark" };
		refctl_buf_clear(&p);
		refctl_buf_printf(&p, "%s%s%s", dir, sep, names[k]);
		if (access(p.ptr, F_OK) == 0) {
			found++;
			refctl_buf_printf(out, "refctl's temporary file '%s' was left behind%s\n", p.ptr,
					  remove && unlink(p.ptr) == 0 ? ": removed" : "");
		}
	}
	if (journal_ref && *journal_ref && strstr(journal_ref, "..") == NULL) {
		struct refctl_buf data = REFCTL_BUF_INIT;
		refctl_buf_clear(&p);
		if (!strcmp(journal_ref, "HEAD"))
			refctl_buf_printf(&p, "%s%sHEAD.lock", dir, sep);
		else
			refctl_buf_printf(&p, "%s/%s.lock", g->gitdir, journal_ref);
		/* ours if it holds nothing yet, or the commit we were writing */
		if (refctl__read_file(&data, p.ptr, 128) == 0 &&
		    (data.size == 0 || (journal_commit && strlen(journal_commit) == 40 &&
					!strncmp(data.ptr, journal_commit, 40)))) {
			found++;
			refctl_buf_printf(out, "git's lock file '%s' was left by a refctl process killed while moving %s%s\n",
					  p.ptr, journal_ref, remove && unlink(p.ptr) == 0 ? ": removed" : "");
		}
		refctl_buf_release(&data);
	}
	refctl_error_clear();
	refctl_buf_release(&p);
	return found;
}

int refctl__git_tracked(struct refctl__git *g, const char *dir,
			int (*fn)(const char *relpath, void *payload), void *payload)
{
	struct refctl_buf full = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	git_index *index = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	size_t plen = strlen(g->prefix);
	int error;

	refctl_buf_printf(&full, "%s%s", g->prefix, dir);
	if ((error = read_index(&index, g->repo)) < 0 ||
	    (error = read_head_tree(g->repo, &commit, &tree)) < 0)
		goto done;
	if (tree) {
		if (!full.size) {
			git_tree_dup(&sub, tree);
		} else {
			struct refctl_buf d = REFCTL_BUF_INIT;
			refctl_buf_put(&d, full.ptr, full.size - (full.ptr[full.size - 1] == '/'));
			if (git_tree_entry_bypath(&te, tree, d.ptr) == 0 &&
			    git_tree_entry_type(te) == GIT_OBJECT_TREE)
				git_tree_lookup(&sub, g->repo, git_tree_entry_id(te));
			refctl_buf_release(&d);
		}
		for (size_t i = 0; sub && i < git_tree_entrycount(sub) && !error; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(sub, i);
			if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
				continue;
			refctl_buf_clear(&rel);
			refctl_buf_printf(&rel, "%s%s", dir, git_tree_entry_name(e));
			error = fn(rel.ptr, payload);
		}
	}
	for (size_t i = 0; i < git_index_entrycount(index) && !error; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		if (git_index_entry_stage(e) != 0 || strncmp(e->path, full.ptr, full.size) ||
		    strchr(e->path + full.size, '/'))
			continue;
		error = fn(e->path + plen, payload);
	}
done:
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(commit);
	git_index_free(index);
	refctl_buf_release(&full);
	refctl_buf_release(&rel);
	return error;
}

int refctl__git_save_blob(struct refctl__git *g, const char *data, size_t len, char id[41])
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, g->repo, data, len) < 0)
		return git_fail("writing a blob");
	hex_of(id, &oid);
	return 0;
}

int refctl__git_head_blob(struct refctl__git *g, const char *relpath, struct refctl_buf *out)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	int error, rc;

	refctl_buf_clear(out);
	refctl_buf_printf(&path, "%s%s", g->prefix, relpath);
	if ((error = read_head_tree(g->repo, &commit, &tree)) < 0)
		goto done;
	rc = tree ? git_tree_entry_bypath(&te, tree, path.ptr) : GIT_ENOTFOUND;
	if (rc == GIT_ENOTFOUND) {
		error = REFCTL_ENOTFOUND;
		goto done;
	}
	if (rc < 0 || git_blob_lookup(&blob, g->repo, git_tree_entry_id(te)) < 0) {
		error = git_fail(relpath);
		goto done;
	}
	refctl_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(commit);
	refctl_buf_release(&path);
	return error;
}

int refctl__git_reset_index(struct refctl__git *g, const char *const *relpaths, size_t n,
			    double timeout)
{
	const char *wd = git_repository_workdir(g->repo);
	struct refctl_buf path = REFCTL_BUF_INIT, full = REFCTL_BUF_INIT;
	struct refctl__git_write *w = NULL;
	int error;

	if ((error = refctl__git_write_begin(&w, g, timeout)) < 0)
		goto done;
	for (size_t i = 0; i < n && !error; i++) {
		git_tree_entry *te = NULL;
		int rc;

		refctl_buf_clear(&path);
		refctl_buf_printf(&path, "%s%s", g->prefix, relpaths[i]);
		git_index_conflict_remove(w->index, path.ptr);
		rc = w->head_tree ? git_tree_entry_bypath(&te, w->head_tree, path.ptr) : GIT_ENOTFOUND;
		if (rc == GIT_ENOTFOUND) {
			if (git_index_remove_bypath(w->index, path.ptr) < 0)
				error = git_fail("updating the index");
		} else if (rc < 0) {
			error = git_fail("reading HEAD");
		} else {
			git_index_entry e;
			struct stat st;
			refctl_buf_clear(&full);
			refctl_buf_printf(&full, "%s%s", wd, path.ptr);
			memset(&e, 0, sizeof(e));
			if (lstat(full.ptr, &st) == 0 && S_ISREG(st.st_mode))
				entry_from_stat(&e, &st);
			e.mode = git_tree_entry_filemode(te);
			git_oid_cpy(&e.id, git_tree_entry_id(te));
			e.path = path.ptr;
			if (git_index_add(w->index, &e) < 0)
				error = git_fail("updating the index");
		}
		git_tree_entry_free(te);
	}
	if (!error && git_index_write(w->index) < 0)
		error = git_fail("writing the index");
	if (!error && (error = refctl__git_write_install_index(w)) == 0) {
		w->installed = 0; /* final: there is no ref to move */
		unlink(w->old);
		error = release_index_lock(w);
	}
done:
	refctl__git_write_free(w);
	refctl_buf_release(&path);
	refctl_buf_release(&full);
	return error;
}

/* ---- history ---- */

/*
 * A walk of the commits reachable from HEAD, newest commit time first, as
 * libgit2's GIT_SORT_TIME: a queue ordered by commit time, parents added
 * when their child is taken. Unlike libgit2's revwalk (before 1.7) it
 * knows shallow clones: a commit named in the shallow file is a boundary,
 * walked as if it had no parents. Any other commit that cannot be read is
 * an error, never the end of history.
 */
struct oidset {
	git_oid *v;
	unsigned char *used;
	size_t cap, n;
};

static size_t oid_slot(const struct oidset *s, const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	h &= s->cap - 1;
	while (s->used[h] && !git_oid_equal(&s->v[h], id))
		h = (h + 1) & (s->cap - 1);
	return h;
}

static int oidset_has(const struct oidset *s, const git_oid *id)
{
	return s->cap && s->used[oid_slot(s, id)];
}

/* 1 if added, 0 if it was there */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t h;

	if (2 * (s->n + 1) > s->cap) {
		struct oidset bigger = { NULL, NULL, s->cap ? s->cap * 2 : 64, 0 };
		bigger.v = refctl__calloc(bigger.cap, sizeof(*bigger.v));
		bigger.used = refctl__calloc(bigger.cap, 1);
		for (size_t i = 0; i < s->cap; i++)
			if (s->used[i])
				oidset_add(&bigger, &s->v[i]);
		free(s->v);
		free(s->used);
		*s = bigger;
	}
	h = oid_slot(s, id);
	if (s->used[h])
		return 0;
	s->used[h] = 1;
	git_oid_cpy(&s->v[h], id);
	s->n++;
	return 1;
}

static void oidset_free(struct oidset *s)
{
	free(s->v);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

struct queued {
	git_commit *c;
	int64_t time;
	size_t seq;
};

struct walk {
	struct refctl__git *g;
	struct queued *heap;
	size_t n, alloc, seq;
	struct oidset seen, shallow;
	struct refctl__git_history *hist;
};

static int queued_before(const struct queued *a, const struct queued *b)
{
	return a->time > b->time || (a->time == b->time && a->seq < b->seq);
}

static void heap_push(struct walk *w, git_commit *c)
{
	size_t i;

	REFCTL__ARRAY_GROW(w->heap, w->n + 1, w->alloc);
	i = w->n++;
	w->heap[i].c = c;
	w->heap[i].time = git_commit_time(c);
	w->heap[i].seq = w->seq++;
	while (i > 0 && queued_before(&w->heap[i], &w->heap[(i - 1) / 2])) {
		struct queued t = w->heap[i];
		w->heap[i] = w->heap[(i - 1) / 2];
		w->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static git_commit *heap_pop(struct walk *w)
{
	git_commit *top;
	size_t i = 0;

	if (!w->n)
		return NULL;
	top = w->heap[0].c;
	w->heap[0] = w->heap[--w->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < w->n && queued_before(&w->heap[l], &w->heap[m]))
			m = l;
		if (r < w->n && queued_before(&w->heap[r], &w->heap[m]))
			m = r;
		if (m == i)
			break;
		struct queued t = w->heap[i];
		w->heap[i] = w->heap[m];
		w->heap[m] = t;
		i = m;
	}
	return top;
}

static int push_id(struct walk *w, const git_oid *id, const git_oid *child)
{
	git_commit *c = NULL;
	char hex[41], chex[41];

	if (!oidset_add(&w->seen, id))
		return 0;
	if (git_commit_lookup(&c, w->g->repo, id) < 0) {
		const git_error *e = git_error_last();
		hex_of(hex, id);
		if (!child)
			return git_fail("history");
		hex_of(chex, child);
		return refctl__error(REFCTL_EGIT,
				     "git: history: cannot read commit %s, parent of %.12s: %s", hex, chex,
				     e && e->message ? e->message : "failed");
	}
	heap_push(w, c);
	return 0;
}

/* The shallow file: one boundary commit per line. */
static int read_shallow(struct walk *w)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT;
	int error = 0;

	if (!git_repository_is_shallow(w->g->repo))
		return 0;
	refctl_buf_printf(&path, "%s/shallow", w->g->gitdir);
	if ((error = refctl__read_file(&data, path.ptr, (size_t)1 << 26)) < 0)
		goto done;
	for (char *line = data.ptr; *line;) {
		char *end = line + strcspn(line, "\n");
		git_oid id;
		if (end - line >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) == 0)
			oidset_add(&w->shallow, &id);
		line = *end ? end + 1 : end;
	}
done:
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	return error;
}

static int walk_start(struct walk *w, struct refctl__git *g, struct refctl__git_history *hist)
{
	git_oid head;
	int rc, error;

	memset(w, 0, sizeof(*w));
	memset(hist, 0, sizeof(*hist));
	w->g = g;
	w->hist = hist;
	if ((error = read_shallow(w)) < 0)
		return error;
	rc = git_reference_name_to_id(&head, g->repo, "HEAD");
	if (rc == GIT_ENOTFOUND)
		return 0; /* no commits yet: an empty history */
	if (rc < 0)
		return git_fail("reading HEAD");
	return push_id(w, &head, NULL);
}

/* A boundary of a shallow clone has no parents here. */
static unsigned walk_parents(const struct walk *w, const git_commit *c)
{
	return oidset_has(&w->shallow, git_commit_id(c)) ? 0 : git_commit_parentcount(c);
}

/* The next commit (the caller frees it) into *out, its parents not yet
 * queued; NULL at the end. */
static void walk_pop(struct walk *w, git_commit **out)
{
	git_commit *c;

	*out = NULL;
	if (!(c = heap_pop(w)))
		return;
	if (walk_parents(w, c) == 0 && oidset_has(&w->shallow, git_commit_id(c)) &&
	    (!w->hist->since_id[0] || git_commit_time(c) < w->hist->since)) {
		w->hist->shallow = 1;
		w->hist->since = git_commit_time(c);
		hex_of(w->hist->since_id, git_commit_id(c));
	}
	*out = c;
}

/* Queue c's parents: all of them, or only parent number only. */
static int walk_parents_push(struct walk *w, git_commit *c, int only)
{
	unsigned np = walk_parents(w, c);
	int error;

	for (unsigned i = 0; i < np; i++)
		if ((only < 0 || (unsigned)only == i) &&
		    (error = push_id(w, git_commit_parent_id(c, i), git_commit_id(c))) < 0)
			return error;
	return 0;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		git_commit_free(w->heap[i].c);
	free(w->heap);
	oidset_free(&w->seen);
	oidset_free(&w->shallow);
}

/* The entry at path (of type type) in commit c: its id into out and its
 * tree's id into the memo; 1 if there, 0 if not. */
static int entry_at(git_oid *out, git_commit *c, const char *path, git_object_t type)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found = 0, rc;

	memset(out, 0, sizeof(*out));
	if (git_commit_tree(&tree, c) < 0)
		return git_fail("history");
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == 0) {
		if (git_tree_entry_type(e) == type) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
	} else if (rc != GIT_ENOTFOUND) {
		found = git_fail("history");
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found;
}

/*
 * The blob of one name in the trees of a folder, remembered for the two
 * trees looked at last: walking a line of history newest first, a
 * commit's parent is the next commit, so each folder tree is read once.
 */
struct name_memo {
	git_oid tree[2], blob[2];
	int found[2], used[2];
	unsigned next;
};

/*
 * The blob named name in the tree tree, from the tree's own bytes ("MODE
 * NAME\0" and 20 bytes of id an entry, as git stores it), not a parsed
 * git_tree: a folder of the whole roster is read once per commit by log,
 * and only one name of it is wanted. 1 if there (a blob), 0 if not.
 */
static int raw_tree_find(git_oid *out, struct refctl__git *g, const git_oid *tree, const char *name)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	const char *p, *end;
	size_t nlen = strlen(name);
	int found = 0;

	if (git_repository_odb(&odb, g->repo) < 0 || git_odb_read(&obj, odb, tree) < 0 ||
	    git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		found = git_fail("history");
		goto done;
	}
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;
		if (!sp || !(nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1))) || end - nul - 1 < GIT_OID_RAWSZ) {
			found = refctl__error(REFCTL_EGIT, "git: history: a tree that cannot be read");
			goto done;
		}
		if ((size_t)(nul - sp - 1) == nlen && !memcmp(sp + 1, name, nlen)) {
			/* a blob's mode is 100644, 100755 or 120000; a folder's 40000 */
			found = sp - p == 6 && p[0] == '1';
			if (found)
				git_oid_fromraw(out, (const unsigned char *)nul + 1);
			break;
		}
		p = nul + 1 + GIT_OID_RAWSZ;
	}
done:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return found;
}

/* The blob of file name in the folder dir of commit c (as entry_at). */
static int blob_in(git_oid *out, git_oid *dirtree, int *hasdir, struct refctl__git *g, git_commit *c,
		   const char *dir, const char *name, struct name_memo *m)
{
	int found;

	memset(out, 0, sizeof(*out));
	if ((*hasdir = entry_at(dirtree, c, dir, GIT_OBJECT_TREE)) <= 0)
		return *hasdir;
	for (unsigned i = 0; i < 2; i++)
		if (m->used[i] && git_oid_equal(&m->tree[i], dirtree)) {
			git_oid_cpy(out, &m->blob[i]);
			return m->found[i];
		}
	if ((found = raw_tree_find(out, g, dirtree, name)) < 0)
		return found;
	m->used[m->next] = 1;
	m->found[m->next] = found;
	git_oid_cpy(&m->tree[m->next], dirtree);
	git_oid_cpy(&m->blob[m->next], out);
	m->next ^= 1;
	return found;
}

struct log_path {
	const char *path;      /* prefix + relpath */
	struct refctl_buf dir; /* its folder, "" for the root */
	const char *name;      /* its file name */
	struct name_memo memo;
};

/* The blob at lp's path in c into out; 1 if there. */
static int path_blob(git_oid *out, git_oid *dirtree, int *hasdir, struct refctl__git *g, git_commit *c,
		     struct log_path *lp)
{
	if (!lp->dir.size) {
		*hasdir = 1;
		memset(dirtree, 0, sizeof(*dirtree));
		return entry_at(out, c, lp->path, GIT_OBJECT_BLOB);
	}
	return blob_in(out, dirtree, hasdir, g, c, lp->dir.ptr, lp->name, &lp->memo);
}

/*
 * 1 if the path differs in c from every one of its np parents, 0 if not,
 * as git log -- PATH decides with its default history simplification: a
 * merge whose path is as one parent had it (TREESAME) is not shown and
 * only that parent is followed (*follow its number; -1 for all). The
 * folder's tree is compared first: the same tree, the same file.
 */
static int log_differs(struct refctl__git *g, git_commit *c, unsigned np, struct log_path *lp, int *follow)
{
	git_oid mine, mydir;
	int present, mine_dir;

	*follow = -1;
	if ((present = path_blob(&mine, &mydir, &mine_dir, g, c, lp)) < 0)
		return present;
	if (np == 0)
		return present;
	for (unsigned i = 0; i < np; i++) {
		git_commit *p = NULL;
		git_oid theirs, theirdir;
		int there, their_dir, same;
		if (git_commit_parent(&p, c, i) < 0)
			return git_fail("history");
		if (lp->dir.size && (their_dir = entry_at(&theirdir, p, lp->dir.ptr, GIT_OBJECT_TREE)) >= 0 &&
		    their_dir == mine_dir && (!mine_dir || git_oid_equal(&theirdir, &mydir))) {
			same = 1; /* the same folder */
		} else {
			there = path_blob(&theirs, &theirdir, &their_dir, g, p, lp);
			if (there < 0) {
				git_commit_free(p);
				return there;
			}
			same = there == present && (!present || git_oid_equal(&mine, &theirs));
		}
		git_commit_free(p);
		if (same) {
			if (np > 1)
				*follow = (int)i;
			return 0;
		}
	}
	return 1;
}

static int log_give(git_commit *c, refctl__git_commit_fn fn, void *payload)
{
	const git_signature *sig = git_commit_author(c);
	struct refctl__git_commit info;
	char hex[41];

	hex_of(hex, git_commit_id(c));
	info.id = hex;
	info.time = sig->when.time;
	info.offset = sig->when.offset;
	info.author = sig->name ? sig->name : "";
	info.email = sig->email ? sig->email : "";
	info.summary = git_commit_summary(c) ? git_commit_summary(c) : "";
	return fn(&info, payload);
}

/*
 * git log's order: newest commit time first, commits of the same second in
 * the order they were queued (git's prio_queue is stable too), a shallow
 * boundary walked as a root. A failed step is an error, never the end.
 */
int refctl__git_log(struct refctl__git *g, const char *relpath, const struct refctl__git_log_opts *o,
		    refctl__git_commit_fn fn, void *payload, struct refctl__git_history *hist)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	struct log_path lp;
	struct walk w;
	git_commit *c = NULL;
	size_t given = 0;
	const char *slash;
	int error;

	memset(&lp, 0, sizeof(lp));
	refctl_buf_init(&lp.dir);
	refctl_buf_printf(&path, "%s%s", g->prefix, relpath);
	lp.path = path.ptr;
	slash = strrchr(path.ptr, '/');
	if (slash)
		refctl_buf_put(&lp.dir, path.ptr, (size_t)(slash - path.ptr));
	lp.name = slash ? slash + 1 : path.ptr;
	if ((error = walk_start(&w, g, hist)) < 0)
		goto done;
	for (walk_pop(&w, &c); c; walk_pop(&w, &c)) {
		int64_t when = git_commit_time(c);
		int d, follow;
		if (o && o->has_since && when < o->since - REFCTL__GIT_SKEW_MARGIN)
			break;
		if ((d = log_differs(g, c, walk_parents(&w, c), &lp, &follow)) < 0) {
			error = d;
			break;
		}
		if (d && (!o || !o->has_since || when >= o->since)) {
			if ((error = log_give(c, fn, payload)) != 0)
				break;
			if (o && o->max_count && ++given >= o->max_count)
				break;
		}
		if ((error = walk_parents_push(&w, c, follow)) < 0)
			break;
		git_commit_free(c);
		c = NULL;
	}
done:
	git_commit_free(c);
	walk_free(&w);
	refctl_buf_release(&path);
	refctl_buf_release(&lp.dir);
	return error;
}

static int blob_data(git_repository *repo, const git_oid *id, git_blob **out)
{
	*out = NULL;
	if (git_oid_is_zero(id))
		return 0;
	return git_blob_lookup(out, repo, id);
}

/* One changed entry of the folder: an advocate file, given to cb. */
static int give_change(struct refctl__git *g, const struct refctl__git_changes_cb *cb,
		       struct refctl__git_change *base, const git_tree_entry *old, const git_tree_entry *new)
{
	const git_tree_entry *e = new ? new : old;
	const char *name = git_tree_entry_name(e);
	size_t len = strlen(name);
	git_blob *ob = NULL, *nb = NULL;
	struct refctl__git_change ch = *base;
	char id[128];
	int error;

	if (len <= 5 || len - 5 >= sizeof(id) || strcmp(name + len - 5, ".yaml"))
		return 0;
	memcpy(id, name, len - 5);
	id[len - 5] = '\0';
	if ((old && blob_data(g->repo, git_tree_entry_id(old), &ob) < 0) ||
	    (new && blob_data(g->repo, git_tree_entry_id(new), &nb) < 0)) {
		git_blob_free(ob);
		return git_fail("history");
	}
	ch.id = id;
	if (ob) {
		ch.old_data = git_blob_rawcontent(ob);
		ch.old_len = (size_t)git_blob_rawsize(ob);
	}
	if (nb) {
		ch.new_data = git_blob_rawcontent(nb);
		ch.new_len = (size_t)git_blob_rawsize(nb);
	}
	error = cb->change(&ch, cb->payload);
	git_blob_free(ob);
	git_blob_free(nb);
	return error;
}

static int is_blob(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
}

/* The changes of one commit to advocates/ *.yaml, in path order: nothing
 * when its advocates/ tree is its parent's, else a walk of the two folder
 * trees side by side (both sorted by git's tree order), as git's tree diff.
 * *memo holds the folder tree of the commit before, this commit's after. */
static int commit_changes(struct refctl__git *g, git_commit *c, const char *dir,
			  const struct refctl__git_changes_cb *cb, git_tree **memo)
{
	git_commit *p = NULL;
	git_tree *ct = NULL, *pt = NULL;
	git_oid cid, pid;
	int hc, hp = 0, error = 0;
	size_t i = 0, j = 0, nc, np;
	struct refctl__git_change base;
	char hex[41];

	if ((hc = entry_at(&cid, c, dir, GIT_OBJECT_TREE)) < 0)
		return hc;
	if (git_commit_parentcount(c) == 1) {
		if (git_commit_parent(&p, c, 0) < 0)
			return git_fail("history");
		hp = entry_at(&pid, p, dir, GIT_OBJECT_TREE);
		git_commit_free(p);
		if (hp < 0)
			return hp;
	}
	if (hc == hp && (!hc || git_oid_equal(&cid, &pid)))
		return 0; /* advocates/ as its parent had it */
	hex_of(hex, git_commit_id(c));
	memset(&base, 0, sizeof(base));
	base.commit = hex;
	base.time = git_commit_time(c);
	base.author = git_commit_committer(c)->name;
	if (cb->begin && (error = cb->begin(&base, cb->payload)) != 0)
		return error < 0 ? error : 0;
	if (hp) {
		if (*memo && git_oid_equal(git_tree_id(*memo), &pid))
			pt = *memo;
		else if (git_tree_lookup(&pt, g->repo, &pid) < 0) {
			error = git_fail("history");
			goto done;
		}
	}
	if (hc && git_tree_lookup(&ct, g->repo, &cid) < 0) {
		error = git_fail("history");
		goto done;
	}
	nc = ct ? git_tree_entrycount(ct) : 0;
	np = pt ? git_tree_entrycount(pt) : 0;
	while (!error && (i < np || j < nc)) {
		const git_tree_entry *a = i < np ? git_tree_entry_byindex(pt, i) : NULL;
		const git_tree_entry *b = j < nc ? git_tree_entry_byindex(ct, j) : NULL;
		int cmp = !a ? 1 : !b ? -1 : git_tree_entry_cmp(a, b);
		if (cmp < 0) {
			if (is_blob(a))
				error = give_change(g, cb, &base, a, NULL);
			i++;
		} else if (cmp > 0) {
			if (is_blob(b))
				error = give_change(g, cb, &base, NULL, b);
			j++;
		} else {
			if (is_blob(a) && is_blob(b) &&
			    (!git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) ||
			     git_tree_entry_filemode(a) != git_tree_entry_filemode(b)))
				error = give_change(g, cb, &base, a, b);
			else if (is_blob(a) != is_blob(b))
				error = give_change(g, cb, &base, is_blob(a) ? a : NULL, is_blob(b) ? b : NULL);
			i++;
			j++;
		}
	}
	if (!error && cb->end)
		error = cb->end(&base, cb->payload);
done:
	if (pt && pt != *memo)
		git_tree_free(pt);
	if (ct) {
		git_tree_free(*memo);
		*memo = ct;
	}
	return error;
}

int refctl__git_changes(struct refctl__git *g, int64_t from, int64_t to,
			const struct refctl__git_changes_cb *cb, struct refctl__git_history *hist)
{
	struct refctl_buf dir = REFCTL_BUF_INIT;
	git_oid *ids = NULL;
	size_t n = 0, alloc = 0;
	struct walk w;
	git_commit *c = NULL;
	git_tree *memo = NULL;
	int error;

	refctl_buf_printf(&dir, "%sadvocates", g->prefix);
	if ((error = walk_start(&w, g, hist)) < 0)
		goto done;
	/* newest first from the walk, to the window's start less the margin;
	 * the changes are wanted oldest first */
	for (walk_pop(&w, &c); c; walk_pop(&w, &c)) {
		int64_t when = git_commit_time(c);
		/* what is older than that is never read */
		if (when < from - REFCTL__GIT_SKEW_MARGIN ||
		    (error = walk_parents_push(&w, c, -1)) < 0)
			break;
		/* a merge repeats its parents' changes; a shallow boundary's
		 * changes cannot be known (its parent is not here) */
		if (git_commit_parentcount(c) <= 1 && walk_parents(&w, c) == git_commit_parentcount(c) &&
		    when >= from && when < to) {
			REFCTL__ARRAY_GROW(ids, n + 1, alloc);
			git_oid_cpy(&ids[n++], git_commit_id(c));
		}
		git_commit_free(c);
		c = NULL;
	}
	git_commit_free(c);
	c = NULL;
	for (size_t i = n; !error && i-- > 0;) {
		if (git_commit_lookup(&c, g->repo, &ids[i]) < 0) {
			error = git_fail("history");
			break;
		}
		error = commit_changes(g, c, dir.ptr, cb, &memo);
		git_commit_free(c);
		c = NULL;
	}
done:
	git_tree_free(memo);
	free(ids);
	walk_free(&w);
	refctl_buf_release(&dir);
	return error;
}

/* ---- merging lines, and the repository's configuration ---- */

int refctl__git_merge_lines(struct refctl_buf *out, int *conflicted, const char *const data[3],
			    const size_t len[3], const char *const labels[3], unsigned marker_size)
{
	git_merge_file_input in[3];
	git_merge_file_options o;
	git_merge_file_result r;
	int error = 0;

	*conflicted = 0;
	lg2_init();
	for (int i = 0; i < 3; i++) {
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = data[i];
		in[i].size = len[i];
	}
	git_merge_file_options_init(&o, GIT_MERGE_FILE_OPTIONS_VERSION);
	o.ancestor_label = labels[0];
	o.our_label = labels[1];
	o.their_label = labels[2];
	o.marker_size = (unsigned short)marker_size;
	memset(&r, 0, sizeof(r));
	if (git_merge_file(&r, &in[0], &in[1], &in[2], &o) < 0) {
		error = git_fail("merge-file");
	} else if (!r.ptr) {
		/* libgit2 does not merge binary files and gives nothing back */
		error = refctl__error(REFCTL_EINVALID, "a side is binary");
	} else {
		refctl_buf_put(out, r.ptr, r.len);
		*conflicted = !r.automergeable;
	}
	git_merge_file_result_free(&r);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

int refctl__git_config_set(struct refctl__git *g, const char *name, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	git_buf cur = GIT_BUF_INIT;
	int error, changed = 1;

	if (git_repository_config(&cfg, g->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		error = git_fail("config");
		goto done;
	}
	if (git_config_get_string_buf(&cur, local, name) == 0 && !strcmp(cur.ptr, value))
		changed = 0;
	else if (git_config_set_string(local, name, value) < 0) {
		error = git_fail("config");
		goto done;
	}
	error = changed;
done:
	git_buf_dispose(&cur);
	git_config_free(local);
	git_config_free(cfg);
	return error;
}
