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

/* The working directory as the shell names it: $PWD when it is absolute
 * and names the same folder as ".", else the physical path. */
static int logical_cwd(struct refctl_buf *out)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	char cwd[PATH_MAX];

	refctl_buf_clear(out);
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		refctl_buf_puts(out, pwd);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return refctl__error(REFCTL_EIO, "cannot get the working directory: %s", strerror(errno));
	refctl_buf_puts(out, cwd);
	return 0;
}

/* path made absolute against the logical working directory, with "." and
 * ".." taken by name, as `cd` does: "/a/b", or "/" */
static int logical_path(struct refctl_buf *out, const char *path)
{
	struct refctl_buf in = REFCTL_BUF_INIT;
	int error = 0;

	refctl_buf_clear(out);
	if (path[0] != '/') {
		if ((error = logical_cwd(&in)) < 0)
			goto done;
		refctl_buf_putc(&in, '/');
	}
	refctl_buf_puts(&in, path);
	for (const char *p = in.ptr; *p;) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out->ptr, '/');
			refctl_buf_truncate(out, slash ? (size_t)(slash - out->ptr) : 0);
		} else if (n && !(n == 1 && p[0] == '.')) {
			refctl_buf_putc(out, '/');
			refctl_buf_put(out, p, n);
		}
		p += n;
	}
	if (!out->size)
		refctl_buf_putc(out, '/');
done:
	refctl_buf_release(&in);
	return error;
}

/*
 * Refuse a path that goes through a symbolic link inside its git work
 * tree (the deepest folder of the path holding a .git): such a link, once
 * committed, would have refctl read and write outside the repository. The
 * work tree itself may be reached through links.
 */
static int check_no_link_in_work_tree(const char *path)
{
	struct refctl_buf p = REFCTL_BUF_INIT, probe = REFCTL_BUF_INIT;
	struct stat st;
	size_t top = 0, n;
	int error = 0;

	if ((error = logical_path(&p, path)) < 0)
		goto done;
	/* the prefixes of p, longest first: "/a/b", "/a", "/" */
	for (n = p.size;;) {
		char *slash, saved;
		refctl_buf_clear(&probe);
		refctl_buf_put(&probe, p.ptr, n);
		refctl_buf_puts(&probe, n == 1 ? ".git" : "/.git");
		if (lstat(probe.ptr, &st) == 0) {
			top = n;
			break;
		}
		if (n == 1)
			break;
		saved = p.ptr[n];
		p.ptr[n] = '\0';
		slash = strrchr(p.ptr, '/');
		p.ptr[n] = saved;
		n = slash == p.ptr ? 1 : (size_t)(slash - p.ptr);
	}
	for (size_t j = top + 1; top && j <= p.size; j++) {
		char *real;
		if (j < p.size && p.ptr[j] != '/')
			continue;
		p.ptr[j] = '\0';
		if (lstat(p.ptr, &st) == 0 && S_ISLNK(st.st_mode)) {
			real = realpath(p.ptr, NULL);
			error = refctl__error(REFCTL_EIO,
					      "'%s' is a symbolic link inside the git work tree '%.*s'; "
					      "refctl does not follow links (use '%s' if that is the repository meant)",
					      p.ptr, (int)top, p.ptr, real ? real : "the folder it points to");
			free(real);
			goto done;
		}
		if (j < p.size)
			p.ptr[j] = '/';
	}
done:
	refctl_buf_release(&p);
	refctl_buf_release(&probe);
	return error;
}

/* advocates/ must be a folder of the root itself, never a link to one. */
static int check_advocates_dir(const char *root)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	struct stat st;
	int error = 0;

	refctl_buf_printf(&path, "%s/advocates", root);
	if (lstat(path.ptr, &st) < 0) {
		if (errno != ENOENT) /* a fresh clone: git keeps no empty folder */
			error = refctl__error(REFCTL_EIO, "cannot read advocates/: %s", strerror(errno));
	} else if (S_ISLNK(st.st_mode)) {
		error = refctl__error(REFCTL_EIO,
				      "advocates: is a symbolic link; refctl does not follow links "
				      "(advocates/ must be a folder of the repository)");
	} else if (!S_ISDIR(st.st_mode)) {
		error = refctl__error(REFCTL_EIO, "advocates: not a folder (%s)", refctl__file_kind(st.st_mode));
	}
	refctl_buf_release(&path);
	return error;
}

/*
 * A write replaces root/relpath: refuse unless every folder on the way is
 * a real folder and the file, if there is one, a regular file. Never
 * write through a link, into a FIFO or over a folder.
 */
static int check_write_path(const struct refctl_store *s, const char *relpath)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	struct stat st;
	int error = 0;

	refctl_buf_printf(&path, "%s/", s->root);
	for (const char *p = relpath; !error;) {
		size_t n = strcspn(p, "/");
		refctl_buf_put(&path, p, n);
		if (lstat(path.ptr, &st) < 0) {
			if (errno != ENOENT)
				error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", relpath,
						      strerror(errno));
			break;
		}
		if (!p[n]) {
			if (!S_ISREG(st.st_mode))
				error = refctl__not_regular(relpath, st.st_mode);
			break;
		}
		if (!S_ISDIR(st.st_mode))
			error = refctl__error(REFCTL_EIO, "cannot write '%s': '%.*s' is %s, not a folder; "
					      "refctl does not follow links", relpath,
					      (int)(p + n - relpath), relpath, refctl__file_kind(st.st_mode));
		refctl_buf_putc(&path, '/');
		p += n + 1;
	}
	refctl_buf_release(&path);
	return error;
}

int refctl_store_discover(char **root_out)
{
	const char *env = getenv("REFCTL_DIR");
	char cwd[PATH_MAX], probe[PATH_MAX + 16];
	int error;

	*root_out = NULL;
	if (env && *env) {
		char *real = realpath(env, NULL);
		snprintf(probe, sizeof(probe), "%s/refctl.yaml", real ? real : env);
		if (!real || !is_file(probe)) {
			free(real);
			return refctl__error(REFCTL_ENOTFOUND,
					     "REFCTL_DIR '%s' is not a refctl repository (no refctl.yaml there)", env);
		}
		if ((error = check_no_link_in_work_tree(env)) < 0) {
			free(real);
			return error;
		}
		*root_out = real;
		return 0;
	}
	if ((error = check_no_link_in_work_tree(".")) < 0)
		return error;
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
	if ((error = refctl__read_file(&data, path.ptr, REFCTL_MAX_FILE)) < 0) {
		if (error == REFCTL_EINVALID)
			refctl__error_at(error, "refctl.yaml", refctl_error_last_line(),
					 refctl_error_last_col(), "%s", refctl_error_last_message());
		goto done;
	}
	if ((error = check_advocates_dir(root)) < 0)
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

/* The length of a file name without its ".yaml". */
static size_t stem_len(const char *name)
{
	size_t n = refctl__advocate_file_stem(name);
	return n ? n : strlen(name);
}

int refctl_store_file_cmp(const char *x, const char *y)
{
	size_t nx = stem_len(x), ny = stem_len(y), n = nx < ny ? nx : ny;
	int c = memcmp(x, y, n);
	if (c)
		return c;
	return nx < ny ? -1 : nx > ny;
}

static int name_cmp(const void *a, const void *b)
{
	return refctl_store_file_cmp(*(char *const *)a, *(char *const *)b);
}

/* Open advocates/ for listing, never through a link; *out NULL if there
 * is none (a fresh clone: git keeps no empty folder). */
static int open_advocates(struct refctl_store *s, DIR **out)
{
	struct refctl_buf dir = REFCTL_BUF_INIT;
	int fd, error = 0;

	*out = NULL;
	refctl_buf_printf(&dir, "%s/advocates", s->root);
	fd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		int err = errno;
		/* a link or a file in its place: say what it is */
		if ((error = check_advocates_dir(s->root)) == 0)
			error = refctl__error(REFCTL_EIO, "cannot read advocates/: %s", strerror(err));
	} else if (fd >= 0 && !(*out = fdopendir(fd))) {
		error = refctl__error(REFCTL_EIO, "cannot read advocates/: %s", strerror(errno));
		close(fd);
	}
	refctl_buf_release(&dir);
	return error;
}

int refctl_store_list(struct refctl_store *s, char ***names, size_t *n)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;
	int error;

	*names = NULL;
	*n = 0;
	if ((error = open_advocates(s, &d)) < 0 || !d)
		return error;
	while ((de = readdir(d)) != NULL) {
		if (!refctl__advocate_file_stem(de->d_name))
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
	refctl__advocate_path(out, NULL, id);
}

int refctl_store_exists(struct refctl_store *s, const char *id)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	int r;
	struct stat st;
	refctl__advocate_path(&p, s->root, id);
	r = lstat(p.ptr, &st) == 0; /* a link, even a dangling one, takes the name */
	refctl_buf_release(&p);
	return r;
}

int refctl_store_read(struct refctl_store *s, const char *id, struct refctl_buf *out)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	int error;

	if (!refctl_id_valid(id))
		return refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (not a valid id)", id);
	refctl__advocate_path(&p, s->root, id);
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
		/* read errors name the absolute path: say advocates/NAME */
		const char *file = refctl_error_last_file();
		if (error == REFCTL_EINVALID && (!file || !strcmp(file, path->ptr)))
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
	int error;
	DIR *d;

	if ((error = open_advocates(s, &d)) < 0 || !d)
		return error;
	while (!error && (de = readdir(d)) != NULL) {
		if (!refctl__advocate_file_stem(de->d_name))
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

int refctl_store_setup(struct refctl_setup_result *res, struct refctl_store *s,
		       const struct refctl_setup_opts *o)
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

	if ((error = check_no_link_in_work_tree(dir)) < 0)
		return error;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return refctl__error(REFCTL_EIO, "cannot create '%s': %s", dir, strerror(errno));
	if (!(root = realpath(dir, NULL)))
		return refctl__error(REFCTL_EIO, "cannot resolve '%s': %s", dir, strerror(errno));
	refctl_buf_printf(&p, "%s/refctl.yaml", root);
	if (access(p.ptr, F_OK) == 0) {
		error = refctl__error(REFCTL_EEXISTS, "'%s' is already a refctl repository (refctl.yaml exists)", dir);
		goto done;
	}
	if ((error = check_advocates_dir(root)) < 0 ||
	    (!no_commit && (error = refctl__git_check_author(NULL)) < 0))
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

	if ((error = check_write_path(t->s, relpath)) < 0 ||
	    (error = refctl_yaml_check_write(relpath, data, len)) < 0)
		return error;
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
	if ((error = refctl_yaml_check_rewrite(rec->file, rec->bom, rec->crlf_line)) < 0)
		return error;
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
