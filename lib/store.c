/* The store: root discovery, advocate files, the lock and atomic writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "refctl/store.h"
#include "cache.h"
#include "git.h"
#include "history.h"
#include "store_int.h"
#include "util.h"

struct refctl_store {
	char *root;
	struct refctl_config *config;
	struct refctl__git *git; /* opened on first need */
	char warning[512];       /* of the last transaction begun */
	refctl_warn_fn warn;     /* warnings as they happen, or NULL */
	void *warn_payload;
	int warned_shallow;
	int no_cache;            /* read every file, leave the parse cache alone */
};

static void git_warned(const char *msg, void *payload);

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
	if (!s->git && (error = refctl__git_open(&s->git, s->root)) == 0)
		refctl__git_set_warn(s->git, git_warned, s);
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

int refctl_store_names(struct refctl_store_names *out, struct refctl_store *s)
{
	struct refctl_buf block = REFCTL_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = open_advocates(s, &d)) < 0 || !d)
		return error;
	while ((de = readdir(d)) != NULL)
		if (refctl__advocate_file_stem(de->d_name)) {
			refctl_buf_put(&block, de->d_name, strlen(de->d_name) + 1);
			out->n++;
		}
	closedir(d);
	out->block = refctl_buf_detach(&block);
	out->v = refctl__calloc(out->n + 1, sizeof(*out->v));
	for (size_t i = 0, at = 0; i < out->n; i++) {
		out->v[i] = out->block + at;
		at += strlen(out->v[i]) + 1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
	return 0;
}

void refctl_store_names_release(struct refctl_store_names *names)
{
	free(names->block);
	free(names->v);
	memset(names, 0, sizeof(*names));
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

void refctl_store_set_cache(struct refctl_store *s, int enabled)
{
	s->no_cache = !enabled;
}

struct refctl__cache *refctl__store_cache_open(struct refctl_store *s)
{
	struct refctl__git *g;
	void *saved;

	if (s->no_cache)
		return NULL;
	saved = refctl__error_save();
	if (git_of(s, &g) < 0) {
		refctl__error_restore(saved); /* no repository: no cache */
		return NULL;
	}
	refctl__error_restore(saved);
	return refctl__cache_open(refctl__git_worktree_dir(g), s->root); /* one per work tree */
}

/*
 * ---- the walk: files handed back in order, parsed on worker threads ----
 *
 * The calling thread lists the names, asks the parse cache about each (a
 * stat), and hands every file back in order; the files the cache cannot
 * answer for (misses) are read and parsed meanwhile by worker threads,
 * each with its own buffers and, in libyaml and the loader, its own
 * parser and arena. Only the calling thread ever touches the cache, the
 * caller's callbacks and the caller's diagnostics, so what a walk does is
 * what one thread does, in the same order: a file's last error and
 * diagnostics are carried back from the worker and put in place when the
 * file is handed back.
 *
 * The files between the one handed back and the last one asked about are
 * a window of slots (a ring). A miss is queued for the workers; whoever
 * reaches it first parses it: a worker, or the calling thread when it
 * gets there before any worker did, or while it waits for the file to
 * hand back next. REFCTL_JOBS=1 is a window of one
 * slot and no thread: ask, parse, hand back, file by file.
 */

#define JOBS_DEFAULT_MAX 8 /* one per online CPU, up to this many */
#define JOBS_MAX 64        /* what REFCTL_JOBS may ask for */
#define WALK_WINDOW 64     /* files asked about ahead of the one handed back */
#define WALK_MIN_MISSES 16 /* misses before threads are started: a small read parses inline */
#define SLOT_KEEP 65536    /* buffers larger than this are freed, not kept for the next file */

int refctl_store_jobs(unsigned *out)
{
	const char *env = getenv("REFCTL_JOBS");
	long cpus, v;
	char *end;

	*out = 1;
	if (env && *env) {
		errno = 0;
		v = strtol(env, &end, 10);
		if (end == env || *end || errno || v < 0)
			return refctl__error(REFCTL_EUSAGE,
					     "REFCTL_JOBS must be a number of threads (0 for one per CPU), not '%s'", env);
		if (v > 0) {
			*out = v > JOBS_MAX ? JOBS_MAX : (unsigned)v;
			return 0;
		}
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	*out = cpus < 1 ? 1 : cpus > JOBS_DEFAULT_MAX ? JOBS_DEFAULT_MAX : (unsigned)cpus;
	return 0;
}

enum { SLOT_HIT, SLOT_QUEUED, SLOT_CLAIMED, SLOT_DONE };

struct walk_slot {
	struct refctl__walk_file f; /* first: the file a walk hands back is its slot */
	struct refctl_buf name, path, rel;
	struct stat st;             /* taken by the cache before the file is read */
	const void *entry;          /* the cache's, for a hit */
	int state;                  /* under the walk's mutex */
	unsigned by;                /* parsed by worker by, or 0: the calling thread */
};

/* A worker, and the records it made that are done with: each thread
 * frees what it allocated, as a free into another thread's malloc arena
 * takes that arena's lock, which the other thread's parse keeps taking. */
struct walk_thread {
	struct refctl__walk *w;
	unsigned index; /* from 1 */
	pthread_t id;
	struct refctl_record **garbage;
	size_t ngarbage, agarbage;
};

struct refctl__walk {
	struct refctl_store *s;
	struct refctl__cache *c;
	refctl__walk_parse_fn parse;
	void *payload;
	/* the names: a sorted list, or advocates/ as readdir gives it */
	const char *const *names;
	size_t nnames, next_name;
	DIR *dir;
	int eof;
	/* the window: absolute positions, slot i at slots[i % window] */
	struct walk_slot *slots, *out;
	size_t window, head, tail, claim; /* head, tail and claim under mu once threads run */
	size_t misses;
	unsigned jobs, nthreads;
	struct walk_thread *threads;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int stop, waiting;
};

void refctl__walk_parse_default(struct refctl__walk_file *f, void *payload)
{
	(void)payload;
	if ((f->error = refctl__read_file(&f->data, f->path, REFCTL_MAX_FILE)) == 0) {
		f->error = refctl_record_parse_encode(&f->rec, f->encode ? &f->enc : NULL, f->rel, f->data.ptr,
						      f->data.size, NULL);
		f->parsed = 1;
	}
	if (f->error < 0)
		f->error_saved = refctl__error_save();
}

static void buf_reuse(struct refctl_buf *b)
{
	if (b->asize > SLOT_KEEP)
		refctl_buf_release(b);
	else
		refctl_buf_clear(b);
}

/* Empty a slot for the next file, keeping its buffers when small. */
static void slot_reset(struct walk_slot *sl)
{
	struct refctl__walk_file *f = &sl->f;
	buf_reuse(&f->data);
	buf_reuse(&f->enc.tree);
	buf_reuse(&f->enc.image);
	buf_reuse(&f->enc.diags);
	memset(&f->enc.src, 0, sizeof(f->enc.src));
	refctl_diags_release(&f->diags);
	refctl_record_free(f->rec);
	f->rec = NULL;
	free(f->error_saved);
	f->error_saved = NULL;
	f->error = f->parsed = 0;
	sl->entry = NULL;
	sl->by = 0; /* a hit is the calling thread's */
}

/* Under mu: the next queued miss for a worker, claimed, or NULL. */
static struct walk_slot *claim_next(struct refctl__walk *w)
{
	if (w->claim < w->head)
		w->claim = w->head;
	while (w->claim < w->tail) {
		struct walk_slot *sl = &w->slots[w->claim++ % w->window];
		if (sl->state == SLOT_QUEUED) {
			sl->state = SLOT_CLAIMED;
			return sl;
		}
	}
	return NULL;
}

static void *walk_worker(void *arg)
{
	struct walk_thread *t = arg;
	struct refctl__walk *w = t->w;
	struct walk_slot *sl;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct refctl_record **garbage;
		size_t ngarbage;
		while (!w->stop && !(sl = claim_next(w)))
			pthread_cond_wait(&w->work, &w->mu);
		if (w->stop)
			break;
		sl->by = t->index;
		garbage = t->garbage;
		ngarbage = t->ngarbage;
		t->garbage = NULL;
		t->ngarbage = t->agarbage = 0;
		pthread_mutex_unlock(&w->mu);
		for (size_t i = 0; i < ngarbage; i++)
			refctl_record_free(garbage[i]);
		free(garbage);
		w->parse(&sl->f, w->payload);
		pthread_mutex_lock(&w->mu);
		sl->state = SLOT_DONE;
		if (w->waiting)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Under mu: the workers, once a walk has enough misses to pay for them
 * (none if a thread cannot be made: the calling thread parses them all). */
static void start_workers(struct refctl__walk *w)
{
	w->threads = refctl__calloc(w->jobs, sizeof(*w->threads));
	for (struct walk_thread *t = w->threads; w->nthreads + 1 < w->jobs; t++) {
		t->w = w;
		t->index = w->nthreads + 1;
		if (pthread_create(&t->id, NULL, walk_worker, t) != 0)
			break;
		w->nthreads++;
	}
}

static const char *walk_next_name(struct refctl__walk *w)
{
	struct dirent *de;

	if (!w->dir)
		return w->next_name < w->nnames ? w->names[w->next_name++] : NULL;
	while ((de = readdir(w->dir)) != NULL)
		if (refctl__advocate_file_stem(de->d_name))
			return de->d_name;
	return NULL;
}

/* Ask the cache about the files up to a full window, queueing the misses;
 * only once the window is half empty, so the workers are woken in bulk. */
static void walk_fill(struct refctl__walk *w)
{
	size_t tail = w->tail, queued = 0;

	if (w->eof || tail - w->head > w->window / 2)
		return;
	while (tail - w->head < w->window) {
		struct walk_slot *sl = &w->slots[tail % w->window];
		const char *name = walk_next_name(w);
		if (!name) {
			w->eof = 1;
			break;
		}
		/* no printf: this runs for every file */
		refctl_buf_clear(&sl->name);
		refctl_buf_puts(&sl->name, name);
		refctl_buf_clear(&sl->path);
		refctl_buf_puts(&sl->path, w->s->root);
		refctl_buf_puts(&sl->path, "/advocates/");
		refctl_buf_puts(&sl->path, name);
		refctl_buf_clear(&sl->rel);
		refctl_buf_puts(&sl->rel, "advocates/");
		refctl_buf_puts(&sl->rel, name);
		sl->f.name = sl->name.ptr;
		sl->f.path = sl->path.ptr;
		sl->f.rel = sl->rel.ptr;
		sl->f.encode = w->c != NULL;
		if (w->c && refctl__cache_find(w->c, name, sl->path.ptr, &sl->st, &sl->entry)) {
			sl->state = SLOT_HIT;
		} else {
			sl->state = SLOT_QUEUED;
			queued++;
		}
		tail++;
	}
	pthread_mutex_lock(&w->mu);
	w->tail = tail;
	w->misses += queued;
	if (!w->threads && w->jobs > 1 && w->misses >= WALK_MIN_MISSES)
		start_workers(w);
	if (queued && w->nthreads)
		pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
}

static struct refctl__walk *walk_new(struct refctl_store *s, refctl__walk_parse_fn parse, void *payload)
{
	struct refctl__walk *w = refctl__calloc(1, sizeof(*w));
	unsigned jobs;
	void *saved;

	w->s = s;
	w->parse = parse ? parse : refctl__walk_parse_default;
	w->payload = payload;
	saved = refctl__error_save();
	if (refctl_store_jobs(&jobs) < 0)
		jobs = 1; /* the command said so before it began */
	refctl__error_restore(saved);
	w->jobs = jobs;
	w->window = jobs > 1 ? WALK_WINDOW : 1;
	w->slots = refctl__calloc(w->window, sizeof(*w->slots));
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	return w;
}

int refctl__walk_begin_cache(struct refctl__walk **out, struct refctl_store *s, struct refctl__cache *c,
			     const char *const *names, size_t n, refctl__walk_parse_fn parse, void *payload)
{
	struct refctl__walk *w = walk_new(s, parse, payload);

	w->names = names;
	w->nnames = n;
	w->c = c;
	if (w->jobs > 1)
		refctl__cache_expect(c, names, n);
	*out = w;
	return 0;
}

int refctl__walk_begin(struct refctl__walk **out, struct refctl_store *s, const char *const *names, size_t n,
		       refctl__walk_parse_fn parse, void *payload)
{
	return refctl__walk_begin_cache(out, s, refctl__store_cache_open(s), names, n, parse, payload);
}

/* The same over advocates/ in directory order (no walk if there is none). */
static int walk_begin_unordered(struct refctl__walk **out, struct refctl_store *s)
{
	DIR *d;
	int error;

	*out = NULL;
	if ((error = open_advocates(s, &d)) < 0 || !d)
		return error;
	*out = walk_new(s, NULL, NULL);
	(*out)->dir = d;
	(*out)->c = refctl__store_cache_open(s);
	return 0;
}

struct refctl__walk_file *refctl__walk_next(struct refctl__walk *w)
{
	struct walk_slot *sl;

	if (w->out) {
		slot_reset(w->out);
		w->out = NULL;
		pthread_mutex_lock(&w->mu);
		w->head++;
		pthread_mutex_unlock(&w->mu);
	}
	walk_fill(w);
	if (w->head == w->tail)
		return NULL;
	sl = &w->slots[w->head % w->window];
	pthread_mutex_lock(&w->mu);
	if (sl->state == SLOT_QUEUED) {
		/* no worker got to it: parse it here */
		sl->state = SLOT_CLAIMED;
		sl->by = 0;
		pthread_mutex_unlock(&w->mu);
		w->parse(&sl->f, w->payload);
		pthread_mutex_lock(&w->mu);
		sl->state = SLOT_DONE;
	}
	while (sl->state == SLOT_CLAIMED) {
		/* a worker has it: parse another meanwhile, or wait */
		struct walk_slot *other = claim_next(w);
		if (other) {
			other->by = 0;
			pthread_mutex_unlock(&w->mu);
			w->parse(&other->f, w->payload);
			pthread_mutex_lock(&w->mu);
			other->state = SLOT_DONE;
			continue;
		}
		w->waiting = 1;
		pthread_cond_wait(&w->done, &w->mu);
		w->waiting = 0;
	}
	pthread_mutex_unlock(&w->mu);
	w->out = sl;
	return &sl->f;
}

int refctl__walk_load(struct refctl__walk *w, struct refctl__walk_file *f, struct refctl_record **out,
		      struct refctl_diags *diags)
{
	struct walk_slot *sl = (struct walk_slot *)f;
	int error;

	*out = NULL;
	if (sl->entry) {
		if ((error = refctl__cache_record(w->c, sl->entry, f->rel, f->path, out, diags)) <= 0)
			return error;
		sl->entry = NULL;
		sl->by = 0;
		w->parse(f, w->payload); /* the entry does not decode: the file, then */
	}
	if (f->parsed && w->c)
		refctl__cache_add(w->c, f->name, &sl->st, f->data.ptr, f->data.size, &f->enc, f->rec);
	for (size_t i = 0; diags && i < f->diags.n; i++) {
		const struct refctl_diag *d = &f->diags.v[i];
		refctl_diags_add(diags, d->severity, d->file, d->line, d->col, d->field, "%s", d->message);
	}
	if (f->error_saved) {
		refctl__error_restore(f->error_saved); /* the worker's last error, as if it were this thread's */
		f->error_saved = NULL;
	}
	*out = f->rec;
	f->rec = NULL;
	return f->error;
}

void refctl__walk_end(struct refctl__walk *w, int complete)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	for (unsigned i = 0; i < w->nthreads; i++) {
		struct walk_thread *t = &w->threads[i];
		pthread_join(t->id, NULL);
		for (size_t k = 0; k < t->ngarbage; k++)
			refctl_record_free(t->garbage[k]);
		free(t->garbage);
	}
	refctl__cache_close(w->c, complete);
	for (size_t i = 0; i < w->window; i++) {
		slot_reset(&w->slots[i]);
		refctl_buf_release(&w->slots[i].f.data);
		refctl_record_encoded_release(&w->slots[i].f.enc);
		refctl_buf_release(&w->slots[i].name);
		refctl_buf_release(&w->slots[i].path);
		refctl_buf_release(&w->slots[i].rel);
	}
	if (w->dir)
		closedir(w->dir);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	free(w->threads);
	free(w->slots);
	free(w);
}

void refctl__walk_free(struct refctl__walk *w, struct refctl__walk_file *f, struct refctl_record *rec)
{
	const struct walk_slot *sl = (const struct walk_slot *)f;
	struct walk_thread *t;

	if (!rec)
		return;
	if (!sl->by) {
		refctl_record_free(rec);
		return;
	}
	t = &w->threads[sl->by - 1];
	pthread_mutex_lock(&w->mu);
	REFCTL__ARRAY_GROW(t->garbage, t->ngarbage + 1, t->agarbage);
	t->garbage[t->ngarbage++] = rec;
	pthread_mutex_unlock(&w->mu);
}

/* Hand the file to fn, or to bad if it does not load. */
static int visit_file(struct refctl__walk *w, struct refctl__walk_file *f, refctl_store_fn fn,
		      refctl_store_bad_fn bad, void *payload)
{
	struct refctl_record *rec = NULL;
	int error;

	if ((error = refctl__walk_load(w, f, &rec, NULL)) < 0) {
		/* read errors name the absolute path: say advocates/NAME */
		const char *file = refctl_error_last_file();
		if (error == REFCTL_EINVALID && (!file || !strcmp(file, f->path)))
			refctl__error_at(error, f->rel, refctl_error_last_line(), refctl_error_last_col(), "%s",
					 refctl_error_last_message());
		if (bad)
			bad(f->rel, refctl_error_last(), payload);
		return 0;
	}
	error = fn(rec, payload);
	refctl__walk_free(w, f, rec);
	return error;
}

int refctl_store_foreach(struct refctl_store *s, refctl_store_fn fn, refctl_store_bad_fn bad,
			 void *payload)
{
	struct refctl__walk *w;
	struct refctl__walk_file *f;
	char **names;
	size_t n;
	int error;

	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	refctl__walk_begin(&w, s, (const char *const *)names, n, NULL, NULL);
	while (!error && (f = refctl__walk_next(w)) != NULL)
		error = visit_file(w, f, fn, bad, payload);
	refctl__walk_end(w, !error);
	refctl_store_list_free(names, n);
	return error;
}

int refctl_store_foreach_unordered(struct refctl_store *s, refctl_store_fn fn,
				   refctl_store_bad_fn bad, void *payload)
{
	struct refctl__walk *w;
	struct refctl__walk_file *f;
	int error;

	if ((error = walk_begin_unordered(&w, s)) < 0 || !w)
		return error;
	while (!error && (f = refctl__walk_next(w)) != NULL)
		error = visit_file(w, f, fn, bad, payload);
	refctl__walk_end(w, !error);
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
	char base[41]; /* its blob in HEAD when staged, "" if none */
};

struct refctl_txn {
	struct refctl_store *s;
	unsigned flags;
	int lock_fd, held, wrote_journal;
	char *lock_path;
	char warning[512];
	struct staged *v;
	size_t n, alloc;
	struct refctl__journal prev;  /* what the last holder left in the journal */
	struct refctl__journal doubt; /* paths in doubt: left half done, still disagreeing */
};

/* ---- warnings ---- */

void refctl_store_set_warn(struct refctl_store *s, refctl_warn_fn fn, void *payload)
{
	s->warn = fn;
	s->warn_payload = payload;
}

/* Hand a warning to the callback as it happens, else keep it with the
 * transaction's for refctl_store_warning(). */
void refctl__store_warn(struct refctl_store *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->warn) {
		s->warn(msg, s->warn_payload);
		return;
	}
	len = strlen(s->warning);
	snprintf(s->warning + len, sizeof(s->warning) - len, "%s%s", len ? "; " : "", msg);
}

static void git_warned(const char *msg, void *payload)
{
	refctl__store_warn(payload, "%s", msg);
}

int refctl__store_git(struct refctl_store *s, struct refctl__git **out)
{
	return git_of(s, out);
}

/* ---- the repository lock and its journal ---- */

/*
 * .git/refctl.lock serialises refctl's writers: flock(), which the kernel
 * releases when its holder dies. The holder keeps in it a journal of what
 * it is doing, so that whoever comes next knows what a writer that died
 * left half done:
 *
 *     <pid>                        the holder
 *     path <relpath>               a file it may be changing
 *     ref <refname> <commit>       the ref it may be moving, and to what
 *
 * A holder that ends normally empties it, or, if some paths are still in
 * doubt (a dead writer's, or its own that it could not restore), leaves
 *
 *     interrupted
 *     path <relpath>
 *
 * for the next command to explain. So a journal starting with a pid found
 * by a new holder was left by a process that died while writing.
 */
static void journal_clear(struct refctl__journal *j)
{
	for (size_t i = 0; i < j->npaths; i++)
		free(j->paths[i]);
	free(j->paths);
	memset(j, 0, sizeof(*j));
}

static int journal_has(const struct refctl__journal *j, const char *relpath)
{
	for (size_t i = 0; i < j->npaths; i++)
		if (!strcmp(j->paths[i], relpath))
			return 1;
	return 0;
}

static void journal_add(struct refctl__journal *j, const char *relpath)
{
	if (journal_has(j, relpath))
		return;
	j->paths = refctl__realloc(j->paths, (j->npaths + 1) * sizeof(*j->paths));
	j->paths[j->npaths++] = refctl__strdup(relpath);
}

static void journal_parse(struct refctl__journal *j, const char *text)
{
	int first = 1;

	journal_clear(j);
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		char buf[1024];
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), line);
		if (first) {
			if (!strcmp(buf, "interrupted"))
				j->state = REFCTL__JOURNAL_INTERRUPTED;
			else if (buf[0]) {
				j->state = REFCTL__JOURNAL_STALE;
				snprintf(j->pid, sizeof(j->pid), "%.20s", buf);
			}
		} else if (!strncmp(buf, "path ", 5) && buf[5]) {
			journal_add(j, buf + 5);
		} else if (!strncmp(buf, "ref ", 4)) {
			char *sp = strchr(buf + 4, ' ');
			if (sp) {
				*sp = '\0';
				snprintf(j->ref, sizeof(j->ref), "%.200s", buf + 4);
				snprintf(j->commit, sizeof(j->commit), "%.40s", sp + 1);
			}
		}
		first = 0;
		line += len;
		if (*line)
			line++;
	}
}

static int read_fd(int fd, struct refctl_buf *out)
{
	char chunk[4096];
	off_t off = 0;
	ssize_t n;

	refctl_buf_clear(out);
	while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0 && out->size < (1u << 20)) {
		refctl_buf_put(out, chunk, (size_t)n);
		off += n;
	}
	return n < 0 ? -1 : 0;
}

/* Replace the journal's contents: write, cut to length, sync. */
static int journal_put(struct refctl_txn *t, const struct refctl_buf *text)
{
	if (pwrite(t->lock_fd, text->ptr, text->size, 0) != (ssize_t)text->size ||
	    ftruncate(t->lock_fd, (off_t)text->size) < 0 || fsync(t->lock_fd) < 0)
		return refctl__error(REFCTL_EIO, "cannot write lock file '%s': %s", t->lock_path,
				     strerror(errno));
	return 0;
}

/* What this holder may be doing: the paths in doubt, its own, the ref. */
static int journal_write(struct refctl_txn *t, const char *ref, const char *commit)
{
	struct refctl_buf text = REFCTL_BUF_INIT;
	int error;

	refctl_buf_printf(&text, "%ld\n", (long)getpid());
	for (size_t i = 0; i < t->doubt.npaths; i++)
		refctl_buf_printf(&text, "path %s\n", t->doubt.paths[i]);
	for (size_t i = 0; i < t->n; i++)
		if (!journal_has(&t->doubt, t->v[i].relpath))
			refctl_buf_printf(&text, "path %s\n", t->v[i].relpath);
	if (ref)
		refctl_buf_printf(&text, "ref %s %s\n", ref, commit);
	error = journal_put(t, &text);
	refctl_buf_release(&text);
	return error;
}

void refctl__describe_state(struct refctl_buf *out, const char *relpath,
			    const struct refctl__git_path_state *st)
{
	int work_head = !strcmp(st->work, st->head), index_head = !strcmp(st->index, st->head);

	if (st->conflict)
		refctl_buf_printf(out, "%s has unresolved conflicts in the index", relpath);
	else if (st->not_file)
		refctl_buf_printf(out, "%s is not a regular file in the work tree", relpath);
	else if (!st->head[0] && !st->index[0])
		refctl_buf_printf(out, "%s is in the work tree only (not in HEAD or the index)", relpath);
	else if (!st->work[0] && !work_head)
		refctl_buf_printf(out, "%s is missing from the work tree%s", relpath,
				  index_head ? "" : " and differs in the index");
	else if (index_head)
		refctl_buf_printf(out, "%s differs from HEAD and the index", relpath);
	else if (st->stale_index)
		refctl_buf_printf(out, "%s: %s", relpath, REFCTL__GIT_STALE_INDEX);
	else if (work_head)
		refctl_buf_printf(out, "%s: the index differs from HEAD and the work tree", relpath);
	else if (!strcmp(st->work, st->index))
		refctl_buf_printf(out, "%s differs from HEAD (the index has the same change)", relpath);
	else
		refctl_buf_printf(out, "%s differs from HEAD, and the index from both", relpath);
}

/* Of the paths a journal names, those that still disagree, each said. */
static int paths_in_doubt(struct refctl_store *s, const struct refctl__journal *j,
			  struct refctl__journal *doubt, int say)
{
	struct refctl__git *g;
	int error;

	if ((error = git_of(s, &g)) < 0)
		return error;
	for (size_t i = 0; i < j->npaths; i++) {
		struct refctl__git_path_state st;
		if ((error = refctl__git_path_state(g, j->paths[i], &st)) < 0)
			return error;
		if (!refctl__git_state_agrees(&st)) {
			journal_add(doubt, j->paths[i]);
			if (say) {
				struct refctl_buf msg = REFCTL_BUF_INIT;
				refctl__describe_state(&msg, j->paths[i], &st);
				refctl__store_warn(s, "%s after an interrupted write; run 'refctl fsck --repair'",
						   msg.ptr);
				refctl_buf_release(&msg);
			}
		}
	}
	return 0;
}

/* A temporary file of write_atomic(): ".NAME.yaml.tmpXXXXXX". */
static int is_temporary(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && n > 16 && !memcmp(name + n - 15, ".yaml.tmp", 9);
}

/*
 * After a writer died holding the lock, its temporary files may be left in
 * advocates/ and the root. Only a lock holder writes them: with the lock
 * held, remove them (remove set) or list them, one per line, into out.
 */
unsigned refctl__store_temporaries(struct refctl_store *s, int remove, struct refctl_buf *out)
{
	static const char *const dirs[] = { "advocates/", "" };
	struct refctl_buf path = REFCTL_BUF_INIT;
	unsigned found = 0;

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
			refctl_buf_printf(&f, "%s%s", path.ptr, de->d_name);
			if (!remove || unlink(f.ptr) == 0) {
				found++;
				if (out)
					refctl_buf_printf(out, "%s%s\n", dirs[k], de->d_name);
			}
			refctl_buf_release(&f);
		}
		closedir(d);
	}
	refctl_buf_release(&path);
	return found;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int lock_take(struct refctl_txn *t, const char *dir)
{
	double timeout = refctl__lock_timeout(), start = now_seconds();
	struct refctl_buf text = REFCTL_BUF_INIT;
	int shared = t->flags & REFCTL__TXN_INSPECT;

	t->lock_path = refctl__malloc(strlen(dir) + 16);
	sprintf(t->lock_path, "%s/refctl.lock", dir);
	if ((t->lock_fd = open(t->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0)
		return refctl__error(REFCTL_EIO, "cannot open lock file '%s': %s", t->lock_path,
				     strerror(errno));
	while (flock(t->lock_fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
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
	t->held = 1;
	if (read_fd(t->lock_fd, &text) < 0) {
		refctl_buf_release(&text);
		return refctl__error(REFCTL_EIO, "cannot read lock file '%s': %s", t->lock_path,
				     strerror(errno));
	}
	journal_parse(&t->prev, text.ptr);
	refctl_buf_release(&text);
	return 0;
}

static void lock_release(struct refctl_txn *t)
{
	if (t->lock_fd < 0)
		return;
	if (t->held && !(t->flags & REFCTL__TXN_INSPECT) && t->wrote_journal) {
		struct refctl_buf text = REFCTL_BUF_INIT;
		if (t->doubt.npaths) {
			refctl_buf_puts(&text, "interrupted\n");
			for (size_t i = 0; i < t->doubt.npaths; i++)
				refctl_buf_printf(&text, "path %s\n", t->doubt.paths[i]);
		}
		/* nothing more to do if this fails: the next holder will warn */
		journal_put(t, &text);
		refctl_buf_release(&text);
	}
	flock(t->lock_fd, LOCK_UN);
	close(t->lock_fd);
	t->lock_fd = -1;
	t->held = 0;
}

/* A new holder after one that died: say so, clean up after it, and keep
 * the paths it left in doubt. */
static int take_over(struct refctl_txn *t)
{
	struct refctl_store *s = t->s;
	struct refctl_buf found = REFCTL_BUF_INIT;
	struct refctl__git *g;
	unsigned removed;
	int error;

	if (t->prev.state == REFCTL__JOURNAL_STALE) {
		snprintf(t->warning, sizeof(t->warning),
			 "took over a stale lock '%s' left by process %s, which ended without releasing it",
			 t->lock_path, t->prev.pid);
		if ((removed = refctl__store_temporaries(s, 1, NULL))) {
			size_t len = strlen(t->warning);
			snprintf(t->warning + len, sizeof(t->warning) - len,
				 "; removed %u temporary file%s it left", removed, removed == 1 ? "" : "s");
		}
		/* said first, before any wait for git's locks */
		refctl__store_warn(s, "%s", t->warning);
		if ((error = git_of(s, &g)) < 0)
			goto done;
		if (refctl__git_leftovers(g, t->prev.ref, t->prev.commit, 1, &found)) {
			for (char *line = strtok(found.ptr, "\n"); line; line = strtok(NULL, "\n"))
				refctl__store_warn(s, "%s", line);
		}
	}
	error = paths_in_doubt(s, &t->prev, &t->doubt, 1);
done:
	refctl_buf_release(&found);
	return error;
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
	if (!(flags & (REFCTL_TXN_NO_COMMIT | REFCTL__TXN_INSPECT | REFCTL__TXN_REPAIR)) &&
	    ((error = refctl__git_check_author(g)) < 0 || (error = refctl__git_check_state(g)) < 0))
		return error;
	t = refctl__calloc(1, sizeof(*t));
	t->s = s;
	t->flags = flags;
	t->lock_fd = -1;
	if ((error = lock_take(t, refctl__git_dir(g))) < 0)
		goto done;
	if (flags & (REFCTL__TXN_INSPECT | REFCTL__TXN_REPAIR)) {
		/* fsck looks at what the last holder left itself; a repair
		 * keeps the paths in doubt until it has put them right */
		if (flags & REFCTL__TXN_REPAIR) {
			for (size_t i = 0; i < t->prev.npaths; i++)
				journal_add(&t->doubt, t->prev.paths[i]);
			if ((error = journal_write(t, NULL, NULL)) == 0)
				t->wrote_journal = 1;
		}
		goto done;
	}
	if (t->prev.state && (error = take_over(t)) < 0)
		goto done;
	/* From here on, if we die, the next holder knows what was in doubt. */
	if ((error = journal_write(t, NULL, NULL)) < 0)
		goto done;
	t->wrote_journal = 1;
	/* Someone may have started a merge while we waited. */
	if (!(flags & REFCTL_TXN_NO_COMMIT) && (error = refctl__git_check_state(g)) < 0)
		goto done;
done:
	if (error < 0)
		refctl_txn_free(t);
	else
		*out = t;
	return error;
}

const struct refctl__journal *refctl__txn_journal(const struct refctl_txn *t)
{
	return &t->prev;
}

void refctl__txn_resolved(struct refctl_txn *t, const char *relpath, int resolved)
{
	if (resolved) {
		for (size_t i = 0; i < t->doubt.npaths; i++)
			if (!strcmp(t->doubt.paths[i], relpath)) {
				free(t->doubt.paths[i]);
				t->doubt.paths[i] = t->doubt.paths[--t->doubt.npaths];
				break;
			}
	} else {
		journal_add(&t->doubt, relpath);
	}
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
	char base[41] = "";
	int error;

	if ((error = check_write_path(t->s, relpath)) < 0 ||
	    (error = refctl_yaml_check_write(relpath, data, len)) < 0)
		return error;
	if (!(t->flags & REFCTL_TXN_NO_COMMIT)) {
		if (journal_has(&t->doubt, relpath))
			return refctl__error(REFCTL_EDIRTY,
					     "%s was left half written by an interrupted write; run 'refctl fsck --repair'",
					     relpath);
		if ((error = refctl__git_check_clean(t->s->git, relpath, base)) < 0)
			return error;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].relpath, relpath))
			return refctl__error(REFCTL_EEXISTS, "'%s' is written twice in one change", relpath);
	REFCTL__ARRAY_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n].relpath = refctl__strdup(relpath);
	t->v[t->n].data = refctl__strndup(data, len);
	t->v[t->n].len = len;
	memcpy(t->v[t->n].base, base, sizeof(base));
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

/* What a file held before the write, to put back if the write fails. */
struct kept {
	struct refctl_buf data;
	int existed, touched;
};

static void full_path(struct refctl_buf *out, const struct refctl_store *s, const char *relpath)
{
	refctl_buf_clear(out);
	refctl_buf_printf(out, "%s/%s", s->root, relpath);
}

/* Put the index and the files back as they were, newest first; what
 * cannot be put back stays in doubt, for the next command to explain. */
static void restore_files(struct refctl_txn *t, struct refctl__git_write *w, struct kept *kept)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	char *error = refctl__strdup(refctl_error_last());

	if (refctl__git_write_uninstall_index(w) < 0) {
		for (size_t i = 0; i < t->n; i++)
			refctl__txn_resolved(t, t->v[i].relpath, 0);
		refctl__store_warn(t->s, "%s; run 'refctl fsck --repair'", refctl_error_last());
	}

	for (size_t i = t->n; i-- > 0;) {
		int rc = 0;
		if (!kept[i].touched)
			continue;
		full_path(&path, t->s, t->v[i].relpath);
		if (kept[i].existed)
			rc = refctl__write_atomic(path.ptr, kept[i].data.ptr, kept[i].data.size);
		else if (unlink(path.ptr) < 0 && errno != ENOENT)
			rc = refctl__error(REFCTL_EIO, "cannot remove '%s': %s", path.ptr, strerror(errno));
		if (rc < 0) {
			refctl__txn_resolved(t, t->v[i].relpath, 0);
			refctl__store_warn(t->s, "%s could not be put back as it was (%s); run 'refctl fsck --repair'",
					   t->v[i].relpath, refctl_error_last());
		}
	}
	/* the error to report is the one that stopped the write */
	refctl__error(REFCTL_ERROR, "%s", error);
	free(error);
	refctl_buf_release(&path);
}

/*
 * The write protocol (docs/architecture.md, "The store's invariants"):
 * index.lock, then objects, then the files, then the new index in place of
 * the old (kept), then the ref from the commit read under the lock. Until
 * the ref moves, any failure puts the index and the files back and changes
 * nothing; once it has moved, the change is made.
 */
static int commit_locked(struct refctl_txn *t, const char *msg)
{
	struct refctl__git *g = t->s->git;
	struct refctl__git_write *w = NULL;
	struct refctl_buf path = REFCTL_BUF_INIT;
	struct kept *kept = refctl__calloc(t->n, sizeof(*kept));
	const char **paths = refctl__calloc(t->n, sizeof(*paths)), **datas = refctl__calloc(t->n, sizeof(*datas));
	size_t *lens = refctl__calloc(t->n, sizeof(*lens));
	double timeout = refctl__lock_timeout(), start = now_seconds();
	int error, waited = 0, tries = 0;

	for (size_t i = 0; i < t->n; i++) {
		paths[i] = t->v[i].relpath;
		datas[i] = t->v[i].data;
		lens[i] = t->v[i].len;
		kept[i].data = (struct refctl_buf)REFCTL_BUF_INIT;
	}
	/* 1. git's index.lock; HEAD and the index as they are under it */
	if ((error = refctl__git_write_begin(&w, g, timeout)) < 0)
		goto done;
	/* 2. each file as it was when the change was made from it */
	for (size_t i = 0; i < t->n; i++)
		if ((error = refctl__git_write_check(w, t->v[i].relpath, t->v[i].base)) < 0)
			goto done;
	/* 3. blobs, tree, commit: inert until a ref names them */
	if ((error = refctl__git_write_objects(w, paths, datas, lens, t->n, msg)) < 0)
		goto done;
	/* 4. the journal names the files before any is touched; then the
	 * files, keeping what they held */
	if ((error = journal_write(t, NULL, NULL)) < 0)
		goto done;
	for (size_t i = 0; i < t->n; i++) {
		full_path(&path, t->s, t->v[i].relpath);
		error = refctl__read_file(&kept[i].data, path.ptr, (size_t)1 << 30);
		if (error == REFCTL_ENOTFOUND)
			error = 0;
		else if (error == 0)
			kept[i].existed = 1;
		else
			goto undo;
		kept[i].touched = 1;
		if ((error = refctl__write_atomic(path.ptr, t->v[i].data, t->v[i].len)) < 0)
			goto undo;
	}
	/* 5. the new index, beside the index, then in its place: never older
	 * than HEAD, for a git commit reads HEAD and then the index before it
	 * takes index.lock */
	if ((error = refctl__git_write_index(w)) < 0 || (error = refctl__git_write_install_index(w)) < 0)
		goto undo;
	/* 6. the ref, only from the commit it was read at */
	for (;;) {
		if ((error = journal_write(t, refctl__git_write_refname(w), refctl__git_write_commit_id(w))) < 0)
			goto undo;
		error = refctl__git_write_ref(w);
		if (error == REFCTL__GIT_EMOVED && ++tries < 100) {
			/* moved by something that does not take index.lock: commit again on it */
			if ((error = refctl__git_write_rebase(w)) < 0)
				goto undo;
			continue;
		}
		if (error == REFCTL_ELOCKED && now_seconds() - start < timeout) {
			if (!waited++)
				refctl__store_warn(t->s, "git's lock file '%s' exists: waiting up to %g s for the git process holding it",
						   refctl__git_write_ref_lock(w), timeout);
			usleep(5000 + (unsigned)(rand() % 10000));
			continue;
		}
		if (error == REFCTL__GIT_EMOVED)
			error = refctl__error(REFCTL_EGIT, "git: %s keeps moving; nothing was written, try again",
					      refctl__git_write_refname(w));
		break;
	}
	if (error < 0)
		goto undo;
	/* 7. committed: release index.lock; failures are warnings */
	refctl__git_write_finish(w);
	goto done;
undo:
	restore_files(t, w, kept);
done:
	refctl__git_write_free(w);
	for (size_t i = 0; i < t->n; i++)
		refctl_buf_release(&kept[i].data);
	free(kept);
	free(paths);
	free(datas);
	free(lens);
	refctl_buf_release(&path);
	return error;
}

int refctl_txn_commit(struct refctl_txn *t, const char *subject, const char *body)
{
	struct refctl_buf msg = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT;
	int error = 0;

	if (!t->n)
		return 0;
	if (t->flags & REFCTL_TXN_NO_COMMIT) {
		for (size_t i = 0; i < t->n && !error; i++) {
			full_path(&path, t->s, t->v[i].relpath);
			error = refctl__write_atomic(path.ptr, t->v[i].data, t->v[i].len);
		}
		refctl_buf_release(&path);
		return error;
	}
	refctl_buf_puts(&msg, subject);
	refctl_buf_putc(&msg, '\n');
	if (body && *body) {
		refctl_buf_printf(&msg, "\n%s", body);
		if (body[strlen(body) - 1] != '\n')
			refctl_buf_putc(&msg, '\n');
	}
	error = commit_locked(t, msg.ptr);
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
	journal_clear(&t->prev);
	journal_clear(&t->doubt);
	free(t);
}

/*
 * For commands that do not write: if the last writer died or left paths in
 * doubt, say what is half done. The journal is read under a shared lock,
 * so a writer at work is never mistaken for a dead one.
 */
void refctl_store_check_interrupted(struct refctl_store *s)
{
	struct refctl_buf path = REFCTL_BUF_INIT, text = REFCTL_BUF_INIT, found = REFCTL_BUF_INIT;
	struct refctl__journal j, doubt;
	struct refctl__git *g;
	struct stat st;
	int fd;

	memset(&j, 0, sizeof(j));
	memset(&doubt, 0, sizeof(doubt));
	if (git_of(s, &g) < 0) {
		refctl_error_clear();
		return;
	}
	refctl_buf_printf(&path, "%s/refctl.lock", refctl__git_dir(g));
	if ((fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0)
		goto done;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    flock(fd, LOCK_SH | LOCK_NB) < 0 || read_fd(fd, &text) < 0)
		goto done;
	journal_parse(&j, text.ptr);
	if (j.state == REFCTL__JOURNAL_STALE &&
	    refctl__git_leftovers(g, j.ref, j.commit, 0, &found)) {
		for (char *line = strtok(found.ptr, "\n"); line; line = strtok(NULL, "\n"))
			refctl__store_warn(s, "%s; run 'refctl fsck --repair'", line);
	}
	if (paths_in_doubt(s, &j, &doubt, 1) < 0)
		refctl_error_clear();
done:
	if (fd >= 0)
		close(fd);
	journal_clear(&j);
	journal_clear(&doubt);
	refctl_buf_release(&path);
	refctl_buf_release(&text);
	refctl_buf_release(&found);
}

/* ---- history ---- */

static void say_shallow(struct refctl_store *s, const struct refctl__git_history *h, const char *what)
{
	char date[32] = "?";
	time_t t = (time_t)h->since;
	struct tm tm;

	if (!h->shallow || s->warned_shallow++)
		return;
	if (h->since_id[0] && gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	if (h->since_id[0])
		refctl__store_warn(s, "this is a shallow clone: its history starts at %s (commit %.7s), so %s "
				   "out anything older; 'git fetch --unshallow' fetches the rest",
				   date, h->since_id, what);
	else
		refctl__store_warn(s, "this is a shallow clone, so %s out older history; "
				   "'git fetch --unshallow' fetches the rest", what);
}

struct log_ctx {
	struct refctl_log_entry *v;
	size_t n, alloc;
};

static int log_one(const struct refctl__git_commit *c, void *payload)
{
	struct log_ctx *x = payload;
	struct refctl_log_entry *e;

	REFCTL__ARRAY_GROW(x->v, x->n + 1, x->alloc);
	e = &x->v[x->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->id, sizeof(e->id), "%s", c->id);
	e->time = c->time;
	e->offset = c->offset;
	e->author = refctl__strdup(c->author);
	e->email = refctl__strdup(c->email);
	e->summary = refctl__strdup(c->summary);
	return 0;
}

int refctl_store_log(struct refctl_store *s, const char *relpath, const struct refctl_log_opts *o,
		     struct refctl_log_entry **out, size_t *n, struct refctl_history *hist)
{
	struct refctl__git_log_opts go = { 0, 0, 0, NULL };
	struct refctl__git_history h;
	struct log_ctx x = { NULL, 0, 0 };
	struct refctl_buf path = REFCTL_BUF_INIT, identity = REFCTL_BUF_INIT;
	struct refctl__git *g;
	int error;

	*out = NULL;
	*n = 0;
	if (hist)
		memset(hist, 0, sizeof(hist[0]));
	if ((error = git_of(s, &g)) < 0)
		return error;
	if (o) {
		go.max_count = o->max_count;
		go.since = o->since;
		go.has_since = o->has_since;
	}
	/* the log cache: which files of the folder each commit changed */
	if (!s->no_cache && !refctl__no_cache()) {
		refctl_buf_printf(&path, "%s/refctl/log-cache", refctl__git_dir(g));
		refctl_buf_printf(&identity, "root=%s log-names=1", refctl__git_prefix(g));
		go.cache = refctl__hcache_open(path.ptr, identity.ptr);
	}
	error = refctl__git_log(g, relpath, &go, log_one, &x, &h);
	if (error == 0)
		refctl__hcache_save(go.cache);
	refctl__hcache_free(go.cache);
	refctl_buf_release(&path);
	refctl_buf_release(&identity);
	if (error < 0) {
		refctl_log_entries_free(x.v, x.n);
		return error;
	}
	say_shallow(s, &h, "the log leaves");
	if (hist) {
		hist->shallow = h.shallow;
		hist->since = h.since;
		memcpy(hist->since_id, h.since_id, sizeof(hist->since_id));
	}
	*out = x.v;
	*n = x.n;
	return 0;
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

struct changes_ctx {
	const struct refctl_changes_cb *cb;
};

static void change_of(struct refctl_change *ch, const struct refctl__git_change *c)
{
	ch->id = c->id;
	ch->commit = c->commit;
	ch->time = c->time;
	ch->author = c->author;
	ch->old_data = c->old_data;
	ch->old_len = c->old_len;
	ch->new_data = c->new_data;
	ch->new_len = c->new_len;
}

static int change_begin(const struct refctl__git_change *c, void *payload)
{
	struct changes_ctx *x = payload;
	struct refctl_change ch;

	change_of(&ch, c);
	return x->cb->begin ? x->cb->begin(&ch, x->cb->payload) : 0;
}

static int change_one(const struct refctl__git_change *c, void *payload)
{
	struct changes_ctx *x = payload;
	struct refctl_change ch;

	change_of(&ch, c);
	return x->cb->change(&ch, x->cb->payload);
}

static int change_end(const struct refctl__git_change *c, void *payload)
{
	struct changes_ctx *x = payload;
	struct refctl_change ch;

	change_of(&ch, c);
	return x->cb->end ? x->cb->end(&ch, x->cb->payload) : 0;
}

int refctl_store_changes_cb(struct refctl_store *s, int64_t from, int64_t to,
			    const struct refctl_changes_cb *cb)
{
	struct changes_ctx x = { cb };
	struct refctl__git_changes_cb gcb = { change_begin, change_one, change_end, &x };
	struct refctl__git_history h;
	struct refctl__git *g;
	int error;

	if ((error = git_of(s, &g)) < 0)
		return error;
	if ((error = refctl__git_changes(g, from, to, &gcb, &h)) < 0)
		return error;
	say_shallow(s, &h, "the roster changes leave");
	return 0;
}

int refctl_store_changes(struct refctl_store *s, int64_t from, int64_t to,
			 refctl_change_fn fn, void *payload)
{
	struct refctl_changes_cb cb = { NULL, fn, NULL, payload };
	return refctl_store_changes_cb(s, from, to, &cb);
}

int refctl_store_history_cache(struct refctl_buf *path, struct refctl_buf *identity,
			       struct refctl_store *s)
{
	struct refctl__git *g;
	int error;

	if (s->no_cache)
		return REFCTL_ENOTFOUND; /* --no-cache: no cache of any kind */
	if ((error = git_of(s, &g)) < 0)
		return error;
	refctl_buf_printf(path, "%s/refctl/history-cache", refctl__git_dir(g));
	refctl_buf_printf(identity, "root=%s", refctl__git_prefix(g));
	return 0;
}
