/* The store: root discovery, advocate files, the lock and atomic writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "refctl/store.h"
#include "git.h"
#include "util.h"

struct refctl_store {
	char *root;
	struct refctl_config *config;
	struct refctl__git *git; /* opened on first need */
	char warning[512];       /* of the last transaction begun */
};

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int refctl_store_discover(char **root_out)
{
	const char *env = getenv("REFCTL_DIR");
	char cwd[PATH_MAX], probe[PATH_MAX + 16];

	*root_out = NULL;
	if (env && *env) {
		char *real = realpath(env, NULL);
		snprintf(probe, sizeof(probe), "%s/refctl.yaml", real ? real : env);
		if (!real || !is_file(probe)) {
			free(real);
			return refctl__error(REFCTL_ENOTFOUND,
					     "REFCTL_DIR '%s' is not a refctl repository (no refctl.yaml there)", env);
		}
		*root_out = real;
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return refctl__error(REFCTL_EIO, "cannot get the working directory: %s", strerror(errno));
	for (;;) {
		char *slash;
		snprintf(probe, sizeof(probe), "%s/refctl.yaml", strcmp(cwd, "/") ? cwd : "");
		if (is_file(probe)) {
			*root_out = refctl__strdup(cwd);
			return 0;
		}
		if (!strcmp(cwd, "/"))
			break;
		slash = strrchr(cwd, '/');
		if (slash == cwd)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return refctl__error(REFCTL_ENOTFOUND,
			     "not a refctl repository: no refctl.yaml in this directory or any parent (run 'refctl init' or use -C DIR)");
}

int refctl_store_open(struct refctl_store **out, const char *root)
{
	struct refctl_store *s;
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT;
	int error;

	*out = NULL;
	s = refctl__calloc(1, sizeof(*s));
	s->root = refctl__strdup(root);
	refctl_buf_printf(&path, "%s/refctl.yaml", root);
	if ((error = refctl__read_file(&data, path.ptr, REFCTL_MAX_FILE)) < 0)
		goto done;
	if ((error = refctl_config_parse(&s->config, "refctl.yaml", data.ptr, data.size)) < 0)
		goto done;
done:
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	if (error < 0)
		refctl_store_free(s);
	else
		*out = s;
	return error;
}

void refctl_store_free(struct refctl_store *s)
{
	if (!s)
		return;
	refctl__git_free(s->git);
	refctl_config_free(s->config);
	free(s->root);
	free(s);
}

const char *refctl_store_root(const struct refctl_store *s)
{
	return s->root;
}

const struct refctl_config *refctl_store_config(const struct refctl_store *s)
{
	return s->config;
}

static int git_of(struct refctl_store *s, struct refctl__git **out)
{
	int error = 0;
	if (!s->git)
		error = refctl__git_open(&s->git, s->root);
	*out = s->git;
	return error;
}

int refctl_store_user_name(struct refctl_store *s, struct refctl_buf *out)
{
	struct refctl__git *g;
	int error;

	refctl_buf_clear(out);
	if ((error = git_of(s, &g)) < 0)
		return error;
	return refctl__git_user_name(g, out);
}

/* Order by id: compare the stems, so "a" sorts before "a-2". */
static int name_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t nx = strlen(x) - 5, ny = strlen(y) - 5, n = nx < ny ? nx : ny;
	int c = memcmp(x, y, n);
	if (c)
		return c;
	return nx < ny ? -1 : nx > ny;
}

int refctl_store_list(struct refctl_store *s, char ***names, size_t *n)
{
	struct refctl_buf dir = REFCTL_BUF_INIT;
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	refctl_buf_printf(&dir, "%s/advocates", s->root);
	d = opendir(dir.ptr);
	refctl_buf_release(&dir);
	if (!d) {
		if (errno == ENOENT)
			return 0; /* a fresh clone: git keeps no empty folder */
		return refctl__error(REFCTL_EIO, "cannot read advocates/: %s", strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		REFCTL__ARRAY_GROW(*names, *n + 1, alloc);
		(*names)[(*n)++] = refctl__strdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return 0;
}

void refctl_store_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void refctl_store_path(struct refctl_buf *out, const char *id)
{
	refctl_buf_clear(out);
	refctl_buf_printf(out, "advocates/%s.yaml", id);
}

int refctl_store_exists(struct refctl_store *s, const char *id)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	int r;
	refctl_buf_printf(&p, "%s/advocates/%s.yaml", s->root, id);
	r = access(p.ptr, F_OK) == 0;
	refctl_buf_release(&p);
	return r;
}

int refctl_store_read(struct refctl_store *s, const char *id, struct refctl_buf *out)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	int error;

	if (!refctl_id_valid(id))
		return refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (not a valid id)", id);
	refctl_buf_printf(&p, "%s/advocates/%s.yaml", s->root, id);
	error = refctl__read_file(out, p.ptr, REFCTL_MAX_FILE);
	if (error == REFCTL_ENOTFOUND)
		refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (no advocates/%s.yaml)", id, id);
	else if (error == REFCTL_EINVALID)
		refctl__error_at(error, (refctl_buf_clear(&p), refctl_store_path(&p, id), p.ptr),
				 refctl_error_last_line(), refctl_error_last_col(), "%s",
				 refctl_error_last_message());
	refctl_buf_release(&p);
	return error;
}

int refctl_store_load(struct refctl_store *s, const char *id, struct refctl_record **out)
{
	struct refctl_buf data = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = refctl_store_read(s, id, &data)) < 0)
		goto done;
	refctl_store_path(&rel, id);
	error = refctl_record_parse(out, rel.ptr, data.ptr, data.size, NULL);
done:
	refctl_buf_release(&data);
	refctl_buf_release(&rel);
	return error;
}

/* Load advocates/<name> and hand it to fn, or to bad if it does not load. */
static int visit_file(struct refctl_store *s, const char *name, refctl_store_fn fn,
		      refctl_store_bad_fn bad, void *payload, struct refctl_buf *path,
		      struct refctl_buf *data, struct refctl_buf *rel)
{
	struct refctl_record *rec = NULL;
	int error;

	/* no printf: this runs for every file */
	refctl_buf_clear(path);
	refctl_buf_puts(path, s->root);
	refctl_buf_puts(path, "/advocates/");
	refctl_buf_puts(path, name);
	refctl_buf_clear(rel);
	refctl_buf_puts(rel, "advocates/");
	refctl_buf_puts(rel, name);
	if ((error = refctl__read_file(data, path->ptr, REFCTL_MAX_FILE)) < 0 ||
	    (error = refctl_record_parse(&rec, rel->ptr, data->ptr, data->size, NULL)) < 0) {
		if (error == REFCTL_EINVALID && !refctl_error_last_file())
			refctl__error_at(error, rel->ptr, refctl_error_last_line(),
					 refctl_error_last_col(), "%s", refctl_error_last_message());
		if (bad)
			bad(rel->ptr, refctl_error_last(), payload);
		return 0;
	}
	error = fn(rec, payload);
	refctl_record_free(rec);
	return error;
}

int refctl_store_foreach(struct refctl_store *s, refctl_store_fn fn, refctl_store_bad_fn bad,
			 void *payload)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	char **names;
	size_t n;
	int error;

	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	for (size_t i = 0; i < n && !error; i++)
		error = visit_file(s, names[i], fn, bad, payload, &path, &data, &rel);
	refctl_store_list_free(names, n);
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	refctl_buf_release(&rel);
	return error;
}

int refctl_store_foreach_unordered(struct refctl_store *s, refctl_store_fn fn,
				   refctl_store_bad_fn bad, void *payload)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	struct dirent *de;
	int error = 0;
	DIR *d;

	refctl_buf_printf(&path, "%s/advocates", s->root);
	d = opendir(path.ptr);
	if (!d) {
		refctl_buf_release(&path);
		if (errno == ENOENT)
			return 0; /* a fresh clone: git keeps no empty folder */
		return refctl__error(REFCTL_EIO, "cannot read advocates/: %s", strerror(errno));
	}
	while (!error && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		error = visit_file(s, de->d_name, fn, bad, payload, &path, &data, &rel);
	}
	closedir(d);
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	refctl_buf_release(&rel);
	return error;
}

/* ---- init and setup ---- */

/* The root's .gitattributes with REFCTL_STORE_ATTRIBUTES added into out,
 * if it lacks it: 1 if it does, 0 if it has the line. */
static int attributes_with_driver(struct refctl_buf *out, const char *root)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	const size_t n = strlen(REFCTL_STORE_ATTRIBUTES);
	int error = 0, found = 0;

	refctl_buf_clear(out);
	refctl_buf_printf(&path, "%s/.gitattributes", root);
	if (access(path.ptr, F_OK) == 0 && (error = refctl__read_file(out, path.ptr, REFCTL_MAX_FILE)) < 0)
		goto done;
	for (const char *p = out->ptr; *p && !found;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p), k = len;
		while (k && strchr(" \t\r", p[k - 1]))
			k--;
		found = k == n && !memcmp(p, REFCTL_STORE_ATTRIBUTES, n);
		p += len + (eol ? 1 : 0);
	}
	if (!found) {
		if (out->size && out->ptr[out->size - 1] != '\n')
			refctl_buf_putc(out, '\n');
		refctl_buf_printf(out, "%s\n", REFCTL_STORE_ATTRIBUTES);
	}
	error = !found;
done:
	refctl_buf_release(&path);
	return error;
}

/* Stage .gitattributes with the driver's line, if it lacks it. */
static int put_attributes(struct refctl_txn *t, const char *root)
{
	struct refctl_buf data = REFCTL_BUF_INIT;
	int error;

	if ((error = attributes_with_driver(&data, root)) > 0)
		error = refctl_txn_put(t, ".gitattributes", data.ptr, data.size);
	refctl_buf_release(&data);
	return error < 0 ? error : 0;
}

/* s quoted for sh, as git's sq_quote does. */
static void sh_quote(struct refctl_buf *out, const char *s)
{
	refctl_buf_putc(out, '\'');
	for (; *s; s++)
		if (*s == '\'')
			refctl_buf_puts(out, "'\\''");
		else
			refctl_buf_putc(out, *s);
	refctl_buf_putc(out, '\'');
}

int refctl_store_setup(struct refctl_store *s, const struct refctl_setup_opts *o,
		       struct refctl_setup_result *res)
{
	struct refctl_buf cmd = REFCTL_BUF_INIT, attrs = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	struct refctl__git *g;
	int error;

	memset(res, 0, sizeof(*res));
	if ((error = git_of(s, &g)) < 0)
		goto done;
	/* git's placeholders: %O base, %A ours (the result), %B theirs, %P the
	 * path, %L the markers' size; %X, %S and %Y the labels since git 2.44
	 * (left as they are before, and then ignored) */
	sh_quote(&cmd, o && o->program ? o->program : "refctl");
	refctl_buf_puts(&cmd, " merge-file --marker-size=%L -L %X -L %S -L %Y %O %A %B %P");
	snprintf(res->driver, sizeof(res->driver), "%s", cmd.ptr);
	if ((error = refctl__git_config_set(g, "merge.refctl.name", "refctl: advocate files, field by field")) < 0)
		goto done;
	res->config_changed = error;
	if ((error = refctl__git_config_set(g, "merge.refctl.driver", cmd.ptr)) < 0)
		goto done;
	res->config_changed |= error;
	/* a commit only when the line is missing: a clone has it already */
	if ((error = attributes_with_driver(&attrs, s->root)) <= 0)
		goto done;
	res->attributes_changed = 1;
	if ((error = refctl_txn_begin(&t, s, o ? o->txn_flags : 0)) < 0 ||
	    (error = put_attributes(t, s->root)) < 0 ||
	    (error = refctl_txn_commit(t, "refctl: merge advocate files with refctl merge-file", NULL)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_buf_release(&cmd);
	refctl_buf_release(&attrs);
	return error < 0 ? error : 0;
}

int refctl_store_init(const char *dir, int no_commit)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	struct refctl_store *s = NULL;
	struct refctl_txn *t = NULL;
	char *root = NULL;
	int error, created = 0;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return refctl__error(REFCTL_EIO, "cannot create '%s': %s", dir, strerror(errno));
	if (!(root = realpath(dir, NULL)))
		return refctl__error(REFCTL_EIO, "cannot resolve '%s': %s", dir, strerror(errno));
	refctl_buf_printf(&p, "%s/refctl.yaml", root);
	if (access(p.ptr, F_OK) == 0) {
		error = refctl__error(REFCTL_EEXISTS, "'%s' is already a refctl repository (refctl.yaml exists)", dir);
		goto done;
	}
	if (!no_commit && (error = refctl__git_check_author(NULL)) < 0)
		goto done;
	if ((error = refctl__git_init_if_needed(root, &created)) < 0)
		goto done;
	refctl_buf_clear(&p);
	refctl_buf_printf(&p, "%s/advocates", root);
	if (mkdir(p.ptr, 0777) < 0 && errno != EEXIST) {
		error = refctl__error(REFCTL_EIO, "cannot create '%s': %s", p.ptr, strerror(errno));
		goto done;
	}
	/* Open a store over the (not yet written) settings to get a transaction. */
	s = refctl__calloc(1, sizeof(*s));
	s->root = refctl__strdup(root);
	s->config = refctl__calloc(1, sizeof(*s->config));
	refctl_config_defaults(s->config);
	if ((error = refctl_txn_begin(&t, s, no_commit ? REFCTL_TXN_NO_COMMIT : 0)) < 0 ||
	    (error = refctl_txn_put(t, "refctl.yaml", refctl_config_template(),
				    strlen(refctl_config_template()))) < 0 ||
	    (error = put_attributes(t, root)) < 0 ||
	    (error = refctl_txn_commit(t, "refctl: init", NULL)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_store_free(s);
	refctl_buf_release(&p);
	free(root);
	return error;
}

/* ---- transactions ---- */

struct staged {
	char *relpath;
	char *data;
	size_t len;
};

struct refctl_txn {
	struct refctl_store *s;
	unsigned flags;
	int lock_fd;
	char *lock_path;
	char warning[512];
	struct staged *v;
	size_t n, alloc;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The lock: a file in the git directory held with flock(), which the
 * kernel releases when its holder dies. The holder writes its pid into it
 * and truncates it on release, so a non-empty lock file found by a new
 * holder was left by a process that died while writing: say so.
 */
static int lock_take(struct refctl_txn *t, const char *dir)
{
	const char *env = getenv("REFCTL_LOCK_TIMEOUT");
	double timeout = env && *env ? atof(env) : 10.0, start = now_seconds();
	char buf[64];
	ssize_t n;

	t->lock_path = refctl__malloc(strlen(dir) + 16);
	sprintf(t->lock_path, "%s/refctl.lock", dir);
	if ((t->lock_fd = open(t->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0)
		return refctl__error(REFCTL_EIO, "cannot open lock file '%s': %s", t->lock_path,
				     strerror(errno));
	while (flock(t->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return refctl__error(REFCTL_EIO, "cannot lock '%s': %s", t->lock_path, strerror(errno));
		if (now_seconds() - start >= timeout) {
			close(t->lock_fd);
			t->lock_fd = -1;
			return refctl__error(REFCTL_ELOCKED,
					     "another refctl is writing: could not take the lock '%s' within %g s",
					     t->lock_path, timeout);
		}
		usleep(5000 + (unsigned)(rand() % 10000));
	}
	n = pread(t->lock_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(t->warning, sizeof(t->warning),
			 "took over a stale lock '%s' left by process %s, which ended without releasing it",
			 t->lock_path, buf);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(t->lock_fd, 0) < 0 || pwrite(t->lock_fd, buf, (size_t)n, 0) != n)
		return refctl__error(REFCTL_EIO, "cannot write lock file '%s': %s", t->lock_path,
				     strerror(errno));
	return 0;
}

static void lock_release(struct refctl_txn *t)
{
	if (t->lock_fd >= 0) {
		if (ftruncate(t->lock_fd, 0) < 0) {
			/* nothing more to do: the next holder will warn */
		}
		flock(t->lock_fd, LOCK_UN);
		close(t->lock_fd);
		t->lock_fd = -1;
	}
}

/* A temporary file of write_atomic(): ".NAME.yaml.tmpXXXXXX". */
static int is_temporary(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && n > 16 && !memcmp(name + n - 15, ".yaml.tmp", 9);
}

/*
 * After a writer died holding the lock, its temporary files may be left in
 * advocates/ and the root. Only a lock holder writes them, and we hold the
 * lock: remove them, and say so.
 */
static void remove_temporaries(struct refctl_store *s, struct refctl_txn *t)
{
	static const char *const dirs[] = { "advocates", "" };
	struct refctl_buf path = REFCTL_BUF_INIT;
	unsigned removed = 0;

	for (size_t k = 0; k < 2; k++) {
		struct dirent *de;
		DIR *d;
		refctl_buf_clear(&path);
		refctl_buf_printf(&path, "%s/%s", s->root, dirs[k]);
		if (!(d = opendir(path.ptr)))
			continue;
		while ((de = readdir(d)) != NULL) {
			struct refctl_buf f = REFCTL_BUF_INIT;
			if (!is_temporary(de->d_name))
				continue;
			refctl_buf_printf(&f, "%s/%s", path.ptr, de->d_name);
			removed += unlink(f.ptr) == 0;
			refctl_buf_release(&f);
		}
		closedir(d);
	}
	if (removed) {
		size_t len = strlen(t->warning);
		snprintf(t->warning + len, sizeof(t->warning) - len, "; removed %u temporary file%s it left",
			 removed, removed == 1 ? "" : "s");
	}
	refctl_buf_release(&path);
}

int refctl_txn_begin(struct refctl_txn **out, struct refctl_store *s, unsigned flags)
{
	struct refctl_txn *t;
	struct refctl__git *g;
	int error;

	*out = NULL;
	s->warning[0] = '\0';
	if ((error = git_of(s, &g)) < 0)
		return error;
	if (!(flags & REFCTL_TXN_NO_COMMIT) &&
	    ((error = refctl__git_check_author(g)) < 0 || (error = refctl__git_check_state(g)) < 0))
		return error;
	t = refctl__calloc(1, sizeof(*t));
	t->s = s;
	t->flags = flags;
	t->lock_fd = -1;
	if ((error = lock_take(t, refctl__git_dir(g))) < 0) {
		refctl_txn_free(t);
		return error;
	}
	if (t->warning[0])
		remove_temporaries(s, t);
	snprintf(s->warning, sizeof(s->warning), "%s", t->warning);
	/* Someone may have started a merge while we waited; and a commit
	 * needs git's own locks, which a killed writer may have left. */
	if (!(flags & REFCTL_TXN_NO_COMMIT) &&
	    ((error = refctl__git_check_state(g)) < 0 || (error = refctl__git_check_locks(g)) < 0)) {
		refctl_txn_free(t);
		return error;
	}
	*out = t;
	return 0;
}

const char *refctl_store_warning(const struct refctl_store *s)
{
	return s && s->warning[0] ? s->warning : NULL;
}

const char *refctl_txn_warning(const struct refctl_txn *t)
{
	return t && t->warning[0] ? t->warning : NULL;
}

int refctl_txn_put(struct refctl_txn *t, const char *relpath, const char *data, size_t len)
{
	int error;

	if (!(t->flags & REFCTL_TXN_NO_COMMIT) &&
	    (error = refctl__git_check_clean(t->s->git, relpath)) < 0)
		return error;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].relpath, relpath))
			return refctl__error(REFCTL_EEXISTS, "'%s' is written twice in one change", relpath);
	REFCTL__ARRAY_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n].relpath = refctl__strdup(relpath);
	t->v[t->n].data = refctl__strndup(data, len);
	t->v[t->n].len = len;
	t->n++;
	return 0;
}

int refctl_txn_put_record(struct refctl_txn *t, struct refctl_record *rec)
{
	struct refctl_buf out = REFCTL_BUF_INIT;
	int error;

	if (rec->comment_line)
		return refctl__error_at(REFCTL_EINVALID, rec->file, rec->comment_line, 0,
					"comment would be lost; move it into notes:");
	if ((error = refctl_record_format(&out, rec)) < 0)
		goto done;
	error = refctl_txn_put(t, rec->file, out.ptr, out.size);
done:
	refctl_buf_release(&out);
	return error;
}

static int write_atomic(const char *root, const char *relpath, const char *data, size_t len)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	int error;

	refctl_buf_printf(&path, "%s/%s", root, relpath);
	error = refctl__write_atomic(path.ptr, data, len);
	refctl_buf_release(&path);
	return error;
}

int refctl_txn_commit(struct refctl_txn *t, const char *subject, const char *body)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	const char **paths = NULL, **datas = NULL;
	size_t *lens = NULL;
	int error = 0;

	if (!t->n)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if ((error = write_atomic(t->s->root, t->v[i].relpath, t->v[i].data, t->v[i].len)) < 0)
			return error;
	if (t->flags & REFCTL_TXN_NO_COMMIT)
		return 0;
	refctl_buf_puts(&msg, subject);
	refctl_buf_putc(&msg, '\n');
	if (body && *body) {
		refctl_buf_printf(&msg, "\n%s", body);
		if (body[strlen(body) - 1] != '\n')
			refctl_buf_putc(&msg, '\n');
	}
	paths = refctl__calloc(t->n, sizeof(*paths));
	datas = refctl__calloc(t->n, sizeof(*datas));
	lens = refctl__calloc(t->n, sizeof(*lens));
	for (size_t i = 0; i < t->n; i++) {
		paths[i] = t->v[i].relpath;
		datas[i] = t->v[i].data;
		lens[i] = t->v[i].len;
	}
	error = refctl__git_commit(t->s->git, paths, datas, lens, t->n, msg.ptr);
	free(paths);
	free(datas);
	free(lens);
	refctl_buf_release(&msg);
	return error;
}

void refctl_txn_free(struct refctl_txn *t)
{
	if (!t)
		return;
	lock_release(t);
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].relpath);
		free(t->v[i].data);
	}
	free(t->v);
	free(t->lock_path);
	free(t);
}

/* ---- history ---- */

int refctl_store_log(struct refctl_store *s, const char *relpath,
		     struct refctl_log_entry **out, size_t *n)
{
	struct refctl__git *g;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = git_of(s, &g)) < 0)
		return error;
	return refctl__git_log(g, relpath, out, n);
}

void refctl_log_entries_free(struct refctl_log_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].author);
		free(v[i].email);
		free(v[i].summary);
	}
	free(v);
}

int refctl_store_changes(struct refctl_store *s, int64_t from, int64_t to,
			 refctl_change_fn fn, void *payload)
{
	struct refctl__git *g;
	int error;

	if ((error = git_of(s, &g)) < 0)
		return error;
	return refctl__git_changes(g, from, to, fn, payload);
}
