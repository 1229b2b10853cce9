/* The history cache: summaries of commits by commit id (see history.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "refctl/buf.h"
#include "util.h"

#define MAGIC "refctl-history-cache\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
/* Bumped whenever what a summary records changes (2: content lists are
 * activity, as requests are), so that older summaries are not reused. */
#define VERSION 2u
#define BYTE_ORDER_MARK 0x01020304u
#define MAX_FILE ((size_t)256 << 20)

struct entry {
	unsigned char id[20];
	const char *data; /* spilled[] when the bytes are in the spill file */
	size_t len;
	int is_new; /* data is ours (put since opening) */
	off_t off;  /* where in the spill file */
};

/* The data of an entry whose bytes wait in the spill file. */
static const char spilled[1];

struct table {
	struct entry *v;
	size_t cap, n;
};

/* A summary being put bigger than this goes to the spill file as it
 * comes: a commit that changed the whole roster has a summary of its
 * size, which is not kept in memory until the save. */
#define SPILL_AT ((size_t)256 << 10)

struct refctl__hcache {
	char *path, *identity;
	struct refctl_buf file; /* the file as read: old entries point into it */
	struct table t;
	size_t nnew;
	/* the summary being put (begin, append, end) */
	unsigned char pend_id[20];
	int pending, pend_spilled;
	struct refctl_buf pend;
	off_t pend_off;
	size_t pend_len;
	int spill;    /* an unlinked file beside the cache, or -1 */
	off_t spill_end;
};

int refctl__no_cache(void)
{
	const char *v = getenv("REFCTL_NO_CACHE");
	return v && *v && strcmp(v, "0");
}

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int hex_id(unsigned char out[20], const char *hex)
{
	for (int i = 0; i < 20; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char ch = hex[2 * i + k];
			v <<= 4;
			if (ch >= '0' && ch <= '9')
				v |= (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				v |= (unsigned)(ch - 'a' + 10);
			else if (ch >= 'A' && ch <= 'F')
				v |= (unsigned)(ch - 'A' + 10);
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

static size_t slot(const struct table *t, const unsigned char id[20])
{
	size_t h;
	memcpy(&h, id, sizeof(h));
	h &= t->cap - 1;
	while (t->v[h].data && memcmp(t->v[h].id, id, 20))
		h = (h + 1) & (t->cap - 1);
	return h;
}

static struct entry *table_find(const struct table *t, const unsigned char id[20])
{
	struct entry *e;
	if (!t->cap)
		return NULL;
	e = &t->v[slot(t, id)];
	return e->data ? e : NULL;
}

/* Add (id, data, len) unless id is there; 1 if added. */
static int table_add(struct table *t, const unsigned char id[20], const char *data, size_t len, int is_new)
{
	struct entry *e;

	if (2 * (t->n + 1) > t->cap) {
		struct table bigger = { NULL, t->cap ? t->cap * 2 : 256, 0 };
		bigger.v = refctl__calloc(bigger.cap, sizeof(*bigger.v));
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].data) {
				bigger.v[slot(&bigger, t->v[i].id)] = t->v[i];
				bigger.n++;
			}
		free(t->v);
		*t = bigger;
	}
	e = &t->v[slot(t, id)];
	if (e->data)
		return 0;
	memcpy(e->id, id, 20);
	e->data = data;
	e->len = len;
	e->is_new = is_new;
	t->n++;
	return 1;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].data && t->v[i].is_new && t->v[i].data != spilled)
			free((char *)t->v[i].data);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static uint32_t get32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* The entries of the file in f into t, pointing into f; -1 (t left with
 * what it had) unless every byte of f is as a cache of identity writes it. */
static int parse(struct table *t, const struct refctl_buf *f, const char *identity)
{
	struct table add = { NULL, 0, 0 };
	size_t ilen = strlen(identity), pos;
	uint64_t want;

	if (f->size < MAGIC_LEN + 12 + ilen + 8 || memcmp(f->ptr, MAGIC, MAGIC_LEN) ||
	    get32(f->ptr + MAGIC_LEN) != VERSION || get32(f->ptr + MAGIC_LEN + 4) != BYTE_ORDER_MARK ||
	    get32(f->ptr + MAGIC_LEN + 8) != ilen || memcmp(f->ptr + MAGIC_LEN + 12, identity, ilen))
		return -1;
	memcpy(&want, f->ptr + f->size - 8, 8);
	if (fnv1a(f->ptr, f->size - 8) != want)
		return -1;
	pos = MAGIC_LEN + 12 + ilen;
	while (pos < f->size - 8) {
		uint32_t len;
		if (f->size - 8 - pos < 24)
			goto bad;
		len = get32(f->ptr + pos + 20);
		if (len == 0 || f->size - 8 - pos - 24 < len)
			goto bad;
		table_add(&add, (const unsigned char *)f->ptr + pos, f->ptr + pos + 24, len, 0);
		pos += 24 + (size_t)len;
	}
	for (size_t i = 0; i < add.cap; i++)
		if (add.v[i].data)
			table_add(t, add.v[i].id, add.v[i].data, add.v[i].len, 0);
	free(add.v);
	return 0;
bad:
	free(add.v);
	return -1;
}

struct refctl__hcache *refctl__hcache_open(const char *path, const char *identity)
{
	struct refctl__hcache *c = refctl__calloc(1, sizeof(*c));

	refctl_buf_init(&c->file);
	refctl_buf_init(&c->pend);
	c->spill = -1;
	if (!path)
		return c;
	c->path = refctl__strdup(path);
	c->identity = refctl__strdup(identity ? identity : "");
	if (refctl__read_file(&c->file, path, MAX_FILE) < 0 || parse(&c->t, &c->file, c->identity) < 0) {
		/* missing, or not ours to trust: empty, and replaced at the next save */
		table_free(&c->t);
		refctl_buf_release(&c->file);
	}
	return c;
}

int refctl__hcache_get(struct refctl__hcache *c, const char *commit, const char **data, size_t *len)
{
	unsigned char id[20];
	struct entry *e;

	*data = NULL;
	*len = 0;
	if (!c || !c->path || hex_id(id, commit) < 0 || !(e = table_find(&c->t, id)))
		return 0;
	if (e->data == spilled) {
		char *back = refctl__malloc(e->len);
		if (pread(c->spill, back, e->len, e->off) != (ssize_t)e->len) {
			free(back);
			return 0;
		}
		e->data = back;
	}
	*data = e->data;
	*len = e->len;
	return 1;
}

void refctl__hcache_put(struct refctl__hcache *c, const char *commit, char *data, size_t len)
{
	unsigned char id[20];

	if (!c || !c->path || !len || len > UINT32_MAX || hex_id(id, commit) < 0) {
		free(data);
		return;
	}
	if (table_add(&c->t, id, data, len, 1))
		c->nnew++;
	else
		free(data);
}

void refctl__hcache_begin(struct refctl__hcache *c, const char *commit)
{
	if (!c)
		return;
	refctl_buf_clear(&c->pend);
	c->pending = c->path && hex_id(c->pend_id, commit) == 0 && !table_find(&c->t, c->pend_id);
	c->pend_spilled = 0;
	c->pend_len = 0;
}

/* The folder of the cache's file, made if missing; -1 if it cannot be. */
static int make_dir(const char *path)
{
	struct refctl_buf dir = REFCTL_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int rc = 0;

	if (slash) {
		refctl_buf_put(&dir, path, (size_t)(slash - path));
		if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST)
			rc = -1;
	}
	refctl_buf_release(&dir);
	return rc;
}

/* The pending bytes to the end of the spill file (opened on first use);
 * -1 if that cannot be: the summary is then not kept. */
static int spill_out(struct refctl__hcache *c)
{
	const char *p = c->pend.ptr;
	size_t n = c->pend.size;

	if (c->spill < 0) {
		struct refctl_buf tmp = REFCTL_BUF_INIT;
		refctl_buf_printf(&tmp, "%s.spillXXXXXX", c->path);
		c->spill = make_dir(c->path) < 0 ? -1 : mkstemp(tmp.ptr);
		if (c->spill >= 0)
			unlink(tmp.ptr); /* nothing to leave behind, whatever happens */
		refctl_buf_release(&tmp);
		c->spill_end = 0;
		if (c->spill < 0)
			return -1;
	}
	if (!c->pend_spilled) {
		c->pend_spilled = 1;
		c->pend_off = c->spill_end;
	}
	while (n) {
		ssize_t w = pwrite(c->spill, p, n, c->spill_end);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		c->spill_end += w;
	}
	refctl_buf_clear(&c->pend);
	return 0;
}

void refctl__hcache_append(struct refctl__hcache *c, const void *data, size_t len)
{
	if (!c || !c->pending)
		return;
	if (c->pend_len + len > UINT32_MAX) {
		c->pending = 0;
		return;
	}
	refctl_buf_put(&c->pend, data, len);
	c->pend_len += len;
	if (c->pend.size >= SPILL_AT && spill_out(c) < 0)
		c->pending = 0;
}

void refctl__hcache_end(struct refctl__hcache *c)
{
	if (!c || !c->pending || !c->pend_len) {
		if (c)
			c->pending = 0;
		return;
	}
	c->pending = 0;
	if (!c->pend_spilled) {
		size_t len = c->pend.size;
		char *data = refctl_buf_detach(&c->pend);
		if (table_add(&c->t, c->pend_id, data, len, 1))
			c->nnew++;
		else
			free(data);
		return;
	}
	if (c->pend.size && spill_out(c) < 0)
		return;
	if (table_add(&c->t, c->pend_id, spilled, c->pend_len, 1)) {
		table_find(&c->t, c->pend_id)->off = c->pend_off;
		c->nnew++;
	}
}

/* The file is written as it goes (never whole in memory), hashing it. */
struct writer {
	FILE *f;
	uint64_t h;
};

static void wput(struct writer *w, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		w->h ^= b[i];
		w->h *= 1099511628211ULL;
	}
	fwrite(p, 1, n, w->f);
}

static void wput32(struct writer *w, uint32_t v)
{
	wput(w, &v, 4);
}

/* An entry; a spilled one copied from the spill file (spill) a block at a
 * time. -1 if its bytes cannot be read back. */
static int wentry(struct writer *w, const struct entry *e, int spill)
{
	char block[65536];

	wput(w, e->id, 20);
	wput32(w, (uint32_t)e->len);
	if (e->data != spilled) {
		wput(w, e->data, e->len);
		return 0;
	}
	for (size_t done = 0; done < e->len;) {
		size_t n = e->len - done < sizeof(block) ? e->len - done : sizeof(block);
		if (pread(spill, block, n, e->off + (off_t)done) != (ssize_t)n)
			return -1;
		wput(w, block, n);
		done += n;
	}
	return 0;
}

int refctl__hcache_save(struct refctl__hcache *c)
{
	struct refctl_buf lock = REFCTL_BUF_INIT, now = REFCTL_BUF_INIT, tmp = REFCTL_BUF_INIT;
	struct table there = { NULL, 0, 0 };
	struct writer w = { NULL, 1469598103934665603ULL };
	size_t size;
	int fd = -1, tfd, written = 0, bad = 0;

	if (!c || !c->path || !c->nnew)
		return 0;
	if (make_dir(c->path) < 0)
		goto done;
	refctl_buf_printf(&lock, "%s.lock", c->path);
	if ((fd = open(lock.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666)) < 0)
		goto done;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		goto done; /* another reader is saving: it will have what it found */
	/* what another reader saved since we read it */
	if (refctl__read_file(&now, c->path, MAX_FILE) < 0 || parse(&there, &now, c->identity) < 0) {
		free(there.v);
		memset(&there, 0, sizeof(there));
	}
	refctl_buf_printf(&tmp, "%s.tmpXXXXXX", c->path);
	if ((tfd = mkstemp(tmp.ptr)) < 0)
		goto done;
	if (!(w.f = fdopen(tfd, "wb"))) {
		close(tfd);
		goto unlink;
	}
	wput(&w, MAGIC, MAGIC_LEN);
	wput32(&w, VERSION);
	wput32(&w, BYTE_ORDER_MARK);
	wput32(&w, (uint32_t)strlen(c->identity));
	wput(&w, c->identity, strlen(c->identity));
	size = MAGIC_LEN + 12 + strlen(c->identity) + 8;
	for (size_t i = 0; i < there.cap; i++)
		if (there.v[i].data) {
			wentry(&w, &there.v[i], -1);
			size += 24 + there.v[i].len;
		}
	for (size_t i = 0; i < c->t.cap; i++) {
		const struct entry *e = &c->t.v[i];
		/* past the limit only what is new: the file starts again */
		if (e->data && !table_find(&there, e->id) && (e->is_new || size + 24 + e->len < MAX_FILE / 2)) {
			if (wentry(&w, e, c->spill) < 0)
				bad = 1;
			size += 24 + e->len;
		}
	}
	fwrite(&w.h, 1, 8, w.f);
	if (!bad && fflush(w.f) == 0 && !ferror(w.f) && fchmod(fileno(w.f), 0644) == 0 && fsync(fileno(w.f)) == 0 &&
	    size <= MAX_FILE) {
		if (fclose(w.f) == 0 && rename(tmp.ptr, c->path) == 0)
			written = 1;
	} else {
		fclose(w.f);
	}
unlink:
	if (!written)
		unlink(tmp.ptr);
done:
	if (fd >= 0)
		close(fd); /* releases the lock */
	free(there.v);
	refctl_buf_release(&lock);
	refctl_buf_release(&now);
	refctl_buf_release(&tmp);
	return written;
}

void refctl__hcache_free(struct refctl__hcache *c)
{
	if (!c)
		return;
	table_free(&c->t);
	refctl_buf_release(&c->file);
	refctl_buf_release(&c->pend);
	if (c->spill >= 0)
		close(c->spill);
	free(c->path);
	free(c->identity);
	free(c);
}
