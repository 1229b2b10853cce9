/* The parse cache: each advocate file's loaded tree, validated like git's index. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "refctl/record.h"
#include "refctl/schema.h"
#include "cache.h"
#include "util.h"

/*
 * The file, .git/refctl-cache: a header, the root it is of, then the
 * entries, each padded to 8 bytes, in no particular order (a reader makes
 * a table of their names), so a walk writes them as it goes. Integers are native:
 * the header's endian mark tells a cache written by another byte order,
 * which is then no cache. The body's hash covers every entry byte, so a
 * torn or damaged file is no cache either.
 */
#define CACHE_MAGIC "RFCTLCA\n"
#define CACHE_VERSION 1u
#define CACHE_ENDIAN 0x01020304u

struct fhdr {
	char magic[8];
	uint32_t endian, version, ehdr_size, root_len;
	uint64_t schema;    /* the schema's fingerprint: a field added is a new cache */
	uint64_t nentries, body_len, body_hash;
	int64_t started;    /* when the walk that wrote it began (seconds) */
};

struct ehdr {
	uint32_t len; /* the whole entry, padded */
	uint32_t name_len, tree_len, uniq_len;
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
	uint64_t size, ino, dev, hash;
	uint32_t comment_line, bom, crlf_line, pad;
	/* then the name, the tree, the unique values ("field\0value\0"...) */
};

struct body_hash {
	uint64_t lane[4];
	unsigned char pending[32];
	size_t npending;
};

struct slot {
	const char *name;
	size_t name_len, hash;
	const unsigned char *entry;
};

struct refctl__cache {
	char *path, *root;
	int dirfd;                        /* advocates/, for a stat of one path component */
	int64_t started;                  /* this walk's start */
	/* the cache as read */
	unsigned char *map;
	size_t map_len;
	int loaded;
	int64_t old_started;
	struct slot *slots;
	size_t n;
	uint32_t *table;                  /* 1 + a slot's index by the hash of its name; 0 free */
	size_t mask;
	unsigned char *visited;           /* 1 asked for and found, 2 found stale */
	size_t nhits;
	int changed, damaged;             /* damaged: an entry did not decode */
	size_t nchanges;                  /* entries new, stale, gone or no longer racy */
	struct refctl_buf pending;        /* new entries not yet written */
	/* the cache being written */
	int writing, nowrite, lockfd;
	FILE *out;
	char *tmp;
	struct body_hash hash;
	uint64_t body_len, nout;
	struct refctl_buf entry;
};

/* ---- hashing: words of 8 bytes, so the body hashes as it is written ---- */

#define HASH_SEED 0x6a09e667f3bcc909ULL
#define HASH_MUL 0x9e3779b97f4a7c15ULL

static uint64_t hash_words(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * HASH_MUL;
		h ^= h >> 29;
	}
	return h;
}

/* The body's hash: four such lanes over blocks of 32 bytes (then
 * hash_words over the rest and the lanes), about three times as fast. A
 * block is hashed only when whole, so the body hashes the same however
 * it is cut as it is written. */
static void body_hash_init(struct body_hash *b)
{
	for (int i = 0; i < 4; i++)
		b->lane[i] = HASH_SEED + (uint64_t)i;
	b->npending = 0;
}

static void body_blocks(struct body_hash *b, const unsigned char *p, size_t n)
{
	uint64_t l0 = b->lane[0], l1 = b->lane[1], l2 = b->lane[2], l3 = b->lane[3];
	for (size_t i = 0; i + 32 <= n; i += 32) {
		uint64_t w[4];
		memcpy(w, p + i, 32);
		l0 = (l0 ^ w[0]) * HASH_MUL;
		l1 = (l1 ^ w[1]) * HASH_MUL;
		l2 = (l2 ^ w[2]) * HASH_MUL;
		l3 = (l3 ^ w[3]) * HASH_MUL;
		l0 ^= l0 >> 29;
		l1 ^= l1 >> 29;
		l2 ^= l2 >> 29;
		l3 ^= l3 >> 29;
	}
	b->lane[0] = l0, b->lane[1] = l1, b->lane[2] = l2, b->lane[3] = l3;
}

static void body_hash_add(struct body_hash *b, const unsigned char *p, size_t n)
{
	if (b->npending) {
		size_t k = 32 - b->npending < n ? 32 - b->npending : n;
		memcpy(b->pending + b->npending, p, k);
		b->npending += k;
		p += k;
		n -= k;
		if (b->npending < 32)
			return;
		body_blocks(b, b->pending, 32);
		b->npending = 0;
	}
	body_blocks(b, p, n & ~(size_t)31);
	memcpy(b->pending, p + (n & ~(size_t)31), n & 31);
	b->npending = n & 31;
}

static uint64_t body_hash_end(struct body_hash *b)
{
	uint64_t h = hash_words(HASH_SEED, b->pending, b->npending & ~(size_t)7);
	return hash_words(h, (const unsigned char *)b->lane, sizeof(b->lane));
}

/* A file's contents: each step a bijection of the state, so any one word
 * changed changes the hash. */
static uint64_t hash_bytes(const char *data, size_t len)
{
	unsigned char tail[8] = { 0 };
	uint64_t h = hash_words(HASH_SEED, (const unsigned char *)data, len & ~(size_t)7);
	memcpy(tail, data + (len & ~(size_t)7), len & 7);
	h = hash_words(h, tail, 8);
	return hash_words(h, (const unsigned char *)&(uint64_t){ len }, 8);
}

static int add_field(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		     void *payload)
{
	uint64_t *h = payload;
	unsigned char num[32];
	(void)parent;
	*h = hash_bytes(path, strlen(path)) ^ (*h * HASH_MUL);
	memset(num, 0, sizeof(num));
	memcpy(num, &(uint64_t){ f->type }, 8);
	memcpy(num + 8, &(uint64_t){ f->flags }, 8);
	memcpy(num + 16, &(uint64_t){ f->storage }, 8);
	memcpy(num + 24, &(uint64_t){ f->off }, 8);
	*h = hash_words(*h, num, sizeof(num));
	return 0;
}

/* The rows of the schema, so a cache written before a field was added
 * (or changed) is not read. */
static uint64_t schema_fingerprint(void)
{
	uint64_t h = HASH_SEED;
	refctl_schema_foreach_all(add_field, &h);
	return h;
}

/* ---- reading ---- */

static int slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);
	return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

/* FNV-1a, for the table of names. */
static size_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return (size_t)h;
}

static int64_t now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/*
 * The mapped cache's pages are given back to the page cache as a walk goes
 * (they fault in again when touched): otherwise a walk over 300,000
 * advocates would hold the whole file in its resident memory.
 */
#define RELEASE_CHUNK ((size_t)16 << 20)
#define RELEASE_EVERY 256 /* hits: a fault maps up to 64 KB around it */

static void release_pages(struct refctl__cache *c)
{
	if (c->map)
		madvise(c->map, c->map_len, MADV_DONTNEED);
}

/* Read the cache file; 0 (an empty cache) for anything not whole. */
static int cache_read(struct refctl__cache *c)
{
	struct fhdr h;
	struct body_hash bh;
	struct stat st;
	const unsigned char *p, *end;
	size_t off;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(h)) {
		close(fd);
		return 0;
	}
	c->map_len = (size_t)st.st_size;
	c->map = mmap(NULL, c->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		return 0;
	}
	memcpy(&h, c->map, sizeof(h));
	off = sizeof(h) + ((h.root_len + 7u) & ~7u);
	if (memcmp(h.magic, CACHE_MAGIC, 8) || h.endian != CACHE_ENDIAN || h.version != CACHE_VERSION ||
	    h.ehdr_size != sizeof(struct ehdr) || h.schema != schema_fingerprint() || h.root_len != strlen(c->root) ||
	    off > c->map_len || memcmp(c->map + sizeof(h), c->root, h.root_len) || h.body_len != c->map_len - off ||
	    h.body_len % 8)
		goto bad;
	body_hash_init(&bh);
	for (size_t at = 0; at < h.body_len; at += RELEASE_CHUNK) {
		size_t k = h.body_len - at < RELEASE_CHUNK ? h.body_len - at : RELEASE_CHUNK;
		body_hash_add(&bh, c->map + off + at, k);
		release_pages(c);
	}
	if (body_hash_end(&bh) != h.body_hash)
		goto bad;
	p = c->map + off;
	end = c->map + c->map_len;
	if (h.nentries > (uint64_t)(end - p) / sizeof(struct ehdr) || h.nentries >= UINT32_MAX)
		goto bad;
	for (c->mask = 15; c->mask < 2 * h.nentries; c->mask = c->mask * 2 + 1)
		;
	c->table = refctl__calloc(c->mask + 1, sizeof(*c->table));
	c->slots = refctl__calloc(h.nentries + 1, sizeof(*c->slots));
	for (uint64_t i = 0, released = 0; i < h.nentries; i++) {
		struct ehdr e;
		size_t k;
		if ((size_t)(end - p) < sizeof(e))
			goto bad;
		memcpy(&e, p, sizeof(e));
		if (e.len % 8 || e.len > (size_t)(end - p) || !e.name_len ||
		    (uint64_t)sizeof(e) + e.name_len + e.tree_len + e.uniq_len > e.len)
			goto bad;
		c->slots[c->n].name = (const char *)p + sizeof(e);
		c->slots[c->n].name_len = e.name_len;
		c->slots[c->n].entry = p;
		c->slots[c->n].hash = name_hash(c->slots[c->n].name, e.name_len);
		for (k = c->slots[c->n].hash & c->mask; c->table[k]; k = (k + 1) & c->mask)
			if (c->slots[c->table[k] - 1].hash == c->slots[c->n].hash &&
			    !slot_cmp(&c->slots[c->table[k] - 1], &c->slots[c->n]))
				goto bad; /* a name twice */
		c->table[k] = (uint32_t)++c->n;
		p += e.len;
		if ((size_t)(p - c->map) - released > RELEASE_CHUNK) {
			release_pages(c);
			released = (size_t)(p - c->map);
		}
	}
	if (p != end)
		goto bad;
	release_pages(c);
	c->visited = refctl__calloc(c->n + 1, 1);
	c->old_started = h.started;
	c->loaded = 1;
	return 0;
bad:
	free(c->slots);
	c->slots = NULL;
	free(c->table);
	c->table = NULL;
	c->n = 0;
	munmap(c->map, c->map_len);
	c->map = NULL;
	c->changed = 1; /* replace it */
	return 0;
}

struct refctl__cache *refctl__cache_open(const char *gitdir, const char *root)
{
	const char *env = getenv("REFCTL_NO_CACHE");
	struct refctl__cache *c;
	struct refctl_buf path = REFCTL_BUF_INIT;

	if ((env && *env && strcmp(env, "0")) || !gitdir)
		return NULL;
	c = refctl__calloc(1, sizeof(*c));
	c->started = now_seconds();
	c->lockfd = -1;
	refctl_buf_printf(&path, "%s%srefctl-cache", gitdir,
			  *gitdir && gitdir[strlen(gitdir) - 1] == '/' ? "" : "/");
	c->path = refctl_buf_detach(&path);
	c->root = refctl__strdup(root);
	refctl_buf_printf(&path, "%s/advocates", root);
	c->dirfd = open(path.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	refctl_buf_release(&path);
	cache_read(c);
	return c;
}

int refctl__cache_loaded(const struct refctl__cache *c)
{
	return c && c->loaded;
}

static struct slot *slot_of(struct refctl__cache *c, const char *name)
{
	struct slot key = { name, strlen(name), 0, NULL };

	if (!c->n)
		return NULL;
	key.hash = name_hash(key.name, key.name_len);
	for (size_t k = key.hash & c->mask; c->table[k]; k = (k + 1) & c->mask)
		if (c->slots[c->table[k] - 1].hash == key.hash && !slot_cmp(&c->slots[c->table[k] - 1], &key))
			return &c->slots[c->table[k] - 1];
	return NULL;
}

static int stat_agrees(const struct ehdr *e, const struct stat *st)
{
	return S_ISREG(st->st_mode) && e->size == (uint64_t)st->st_size && e->mtime_sec == (int64_t)st->st_mtim.tv_sec &&
	       e->mtime_nsec == (uint32_t)st->st_mtim.tv_nsec && e->ctime_sec == (int64_t)st->st_ctim.tv_sec &&
	       e->ctime_nsec == (uint32_t)st->st_ctim.tv_nsec && e->ino == (uint64_t)st->st_ino &&
	       e->dev == (uint64_t)st->st_dev;
}

/* git's racy rule: a file changed in the second its stat data was taken
 * may change again with the same stat data (a file system keeping whole
 * seconds), so its contents decide. A second of margin for clocks. */
static int is_racy(const struct ehdr *e, int64_t started)
{
	int64_t t = e->mtime_sec > e->ctime_sec ? e->mtime_sec : e->ctime_sec;
	return t >= started - 1;
}

static void copy_entry(struct refctl__cache *c, const unsigned char *entry);

int refctl__cache_find(struct refctl__cache *c, const char *name, const char *path, struct stat *st,
		       const void **entry)
{
	struct slot *sl;
	struct ehdr e;

	*entry = NULL;
	if ((c && c->dirfd >= 0 ? fstatat(c->dirfd, name, st, AT_SYMLINK_NOFOLLOW) : lstat(path, st)) < 0)
		memset(st, 0, sizeof(*st));
	if (!c || !(sl = slot_of(c, name)))
		return 0;
	memcpy(&e, sl->entry, sizeof(e));
	if (!stat_agrees(&e, st))
		goto stale;
	if (is_racy(&e, c->old_started)) {
		struct refctl_buf data = REFCTL_BUF_INIT;
		void *saved = refctl__error_save();
		int same = refctl__read_file(&data, path, REFCTL_MAX_FILE) == 0 && data.size == e.size &&
			   hash_bytes(data.ptr, data.size) == e.hash;
		refctl_buf_release(&data);
		refctl__error_restore(saved);
		if (!same)
			goto stale;
		if (!is_racy(&e, c->started))
			c->changed = 1, c->nchanges++; /* no longer racy once written again */
	}
	c->visited[sl - c->slots] = 1;
	if (++c->nhits % RELEASE_EVERY == 0)
		release_pages(c);
	if (c->writing)
		copy_entry(c, sl->entry);
	*entry = sl->entry;
	return 1;
stale:
	c->visited[sl - c->slots] = 2;
	c->changed = 1;
	c->nchanges++;
	return 0;
}

int refctl__cache_record(struct refctl__cache *c, const void *entry, const char *file, struct refctl_record **out,
			 struct refctl_diags *diags)
{
	const unsigned char *p = entry;
	struct refctl_node *root;
	struct ehdr e;
	int error;

	*out = NULL;
	memcpy(&e, p, sizeof(e));
	if (refctl_node_decode(&root, p + sizeof(e) + e.name_len, e.tree_len) < 0) {
		/* cannot be, the body's hash being right: parse the file */
		c->changed = 1;
		c->damaged = 1;
		return 1;
	}
	error = refctl_record_from_node(out, file, root, diags);
	if (*out) {
		(*out)->comment_line = e.comment_line;
		(*out)->bom = e.bom;
		(*out)->crlf_line = e.crlf_line;
	}
	return error;
}

const char *refctl__cache_unique(const void *entry, const char *field, struct refctl_buf *tmp)
{
	struct ehdr e;
	const char *p, *end;

	memcpy(&e, entry, sizeof(e));
	p = (const char *)entry + sizeof(e) + e.name_len + e.tree_len;
	end = p + e.uniq_len;
	while (p < end) {
		size_t fl = strnlen(p, (size_t)(end - p));
		const char *v = p + fl + 1;
		size_t vl;
		if (v >= end)
			break;
		vl = strnlen(v, (size_t)(end - v));
		if (!strcmp(p, field)) {
			refctl_buf_clear(tmp);
			refctl_buf_put(tmp, v, vl);
			return tmp->ptr;
		}
		p = v + vl + 1;
	}
	return NULL;
}

/* ---- writing ---- */

static void out_put(struct refctl__cache *c, const void *data, size_t len)
{
	if (c->out && fwrite(data, 1, len, c->out) != len)
		c->nowrite = 1;
}

static void copy_entry(struct refctl__cache *c, const unsigned char *entry)
{
	struct ehdr e;
	memcpy(&e, entry, sizeof(e));
	out_put(c, entry, e.len);
	body_hash_add(&c->hash, entry, e.len);
	c->body_len += e.len;
	c->nout++;
}

static void stop_writing(struct refctl__cache *c)
{
	if (c->out)
		fclose(c->out);
	c->out = NULL;
	if (c->tmp)
		unlink(c->tmp);
	free(c->tmp);
	c->tmp = NULL;
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
	c->writing = 0;
	c->nowrite = 1;
}

/* Remove the temporary files of writers that died (killed while writing):
 * called holding the lock, which every writer holds until its temporary
 * file is renamed or removed, so none of them is being written. */
static void remove_leftovers(const struct refctl__cache *c)
{
	const char *slash = strrchr(c->path, '/'), *base = slash ? slash + 1 : c->path;
	struct refctl_buf dir = REFCTL_BUF_INIT, prefix = REFCTL_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int dfd;

	refctl_buf_put(&dir, c->path, slash ? (size_t)(slash - c->path) : 0);
	refctl_buf_printf(&prefix, "%s.tmp-", base);
	if ((dfd = open(dir.size ? dir.ptr : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 && (d = fdopendir(dfd))) {
		while ((de = readdir(d)) != NULL)
			if (!strncmp(de->d_name, prefix.ptr, prefix.size))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	} else if (dfd >= 0) {
		close(dfd);
	}
	refctl_buf_release(&dir);
	refctl_buf_release(&prefix);
}

/* Take the cache's lock (never waiting: another reader is writing it)
 * and start the new file with what was found so far. */
static int start_writing(struct refctl__cache *c)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	struct fhdr h;
	int fd;

	if (c->writing)
		return 1;
	if (c->nowrite)
		return 0;
	c->nowrite = 1;
	refctl_buf_printf(&p, "%s.lock", c->path);
	c->lockfd = open(p.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	refctl_buf_release(&p);
	if (c->lockfd < 0 || flock(c->lockfd, LOCK_EX | LOCK_NB) < 0) {
		stop_writing(c);
		return 0;
	}
	remove_leftovers(c);
	refctl_buf_printf(&p, "%s.tmp-%ld", c->path, (long)getpid());
	c->tmp = refctl_buf_detach(&p);
	fd = open(c->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0 || !(c->out = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		stop_writing(c);
		return 0;
	}
	c->nowrite = 0;
	c->writing = 1;
	memset(&h, 0, sizeof(h));
	out_put(c, &h, sizeof(h));
	out_put(c, c->root, strlen(c->root));
	out_put(c, "\0\0\0\0\0\0\0", ((strlen(c->root) + 7u) & ~(size_t)7) - strlen(c->root));
	body_hash_init(&c->hash);
	for (size_t i = 0; i < c->n; i++)
		if (c->visited[i] == 1)
			copy_entry(c, c->slots[i].entry);
	for (size_t at = 0; at < c->pending.size;) {
		struct ehdr e;
		memcpy(&e, c->pending.ptr + at, sizeof(e));
		copy_entry(c, (const unsigned char *)c->pending.ptr + at);
		at += e.len;
	}
	refctl_buf_release(&c->pending);
	return 1;
}

/*
 * A few files changed are parsed again at each read rather than rewrite
 * the whole cache for them (at 100,000 advocates, 1% changed costs a
 * tenth of what rewriting 260 MB does); once a twentieth of the entries
 * would change, or the cache was not there or is small, it is written.
 */
#define SMALL_CACHE ((size_t)1 << 20) /* always rewritten: a few milliseconds */

static int worth_writing(const struct refctl__cache *c)
{
	return !c->loaded || c->map_len <= SMALL_CACHE || c->nchanges * 20 >= c->n;
}

/* Files a merge left markers in are for check to describe, never cached. */
static int has_markers(const char *data, size_t len)
{
	return (len >= 7 && !memcmp(data, "=======", 7)) || memmem(data, len, "\n=======", 8) ||
	       memmem(data, len, "<<<<<<<", 7) || memmem(data, len, ">>>>>>>", 7) || memmem(data, len, "|||||||", 7);
}

void refctl__cache_add(struct refctl__cache *c, const char *name, const struct stat *st, const char *data,
		       size_t len, const struct refctl_record_encoded *enc, const struct refctl_record *rec)
{
	struct refctl_buf uniq = REFCTL_BUF_INIT;
	struct ehdr e;
	size_t pad;

	if (!c || !enc->tree.size || !S_ISREG(st->st_mode) || (uint64_t)st->st_size != len ||
	    has_markers(data, len))
		return;
	c->changed = 1;
	c->nchanges++;
	if (c->nowrite)
		return;
	for (const struct refctl_field *f = refctl_schema_advocate(); rec && f->name; f++) {
		const char *v;
		if (!(f->flags & REFCTL_FIELD_UNIQUE) || f->storage != REFCTL_STORE_STR ||
		    !(v = *(const char *const *)((const char *)&rec->a + f->off)))
			continue;
		refctl_buf_put(&uniq, f->name, strlen(f->name) + 1);
		refctl_buf_put(&uniq, v, strlen(v) + 1);
	}
	memset(&e, 0, sizeof(e));
	e.name_len = (uint32_t)strlen(name);
	e.tree_len = (uint32_t)enc->tree.size;
	e.uniq_len = (uint32_t)uniq.size;
	e.len = (uint32_t)((sizeof(e) + e.name_len + e.tree_len + e.uniq_len + 7) & ~(size_t)7);
	pad = e.len - (sizeof(e) + e.name_len + e.tree_len + e.uniq_len);
	e.mtime_sec = (int64_t)st->st_mtim.tv_sec;
	e.mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	e.ctime_sec = (int64_t)st->st_ctim.tv_sec;
	e.ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
	e.size = (uint64_t)st->st_size;
	e.ino = (uint64_t)st->st_ino;
	e.dev = (uint64_t)st->st_dev;
	e.hash = hash_bytes(data, len);
	e.comment_line = enc->src.comment_line;
	e.bom = enc->src.bom;
	e.crlf_line = enc->src.crlf_line;
	refctl_buf_clear(&c->entry);
	refctl_buf_put(&c->entry, (const char *)&e, sizeof(e));
	refctl_buf_puts(&c->entry, name);
	refctl_buf_put(&c->entry, enc->tree.ptr, enc->tree.size);
	refctl_buf_put(&c->entry, uniq.ptr, uniq.size);
	refctl_buf_put(&c->entry, "\0\0\0\0\0\0\0", pad);
	if (c->writing || (worth_writing(c) && start_writing(c)))
		copy_entry(c, (const unsigned char *)c->entry.ptr);
	else if (!c->nowrite)
		refctl_buf_put(&c->pending, c->entry.ptr, c->entry.size);
	refctl_buf_release(&uniq);
}

void refctl__cache_close(struct refctl__cache *c, int complete)
{
	struct fhdr h;

	if (!c)
		return;
	for (size_t i = 0; complete && i < c->n; i++)
		if (!c->visited[i])
			c->changed = 1, c->nchanges++; /* files gone */
	if (c->damaged) {
		/* written wrong: never again, rebuilt by the next read */
		stop_writing(c);
		unlink(c->path);
	}
	if (c->changed && (c->writing || worth_writing(c)) && start_writing(c)) {
		for (size_t i = 0; !complete && i < c->n; i++)
			if (!c->visited[i])
				copy_entry(c, c->slots[i].entry);
		memset(&h, 0, sizeof(h));
		memcpy(h.magic, CACHE_MAGIC, 8);
		h.endian = CACHE_ENDIAN;
		h.version = CACHE_VERSION;
		h.ehdr_size = sizeof(struct ehdr);
		h.root_len = (uint32_t)strlen(c->root);
		h.schema = schema_fingerprint();
		h.nentries = c->nout;
		h.body_len = c->body_len;
		h.body_hash = body_hash_end(&c->hash);
		h.started = c->started;
		if (!c->nowrite && (fflush(c->out) != 0 || fseek(c->out, 0, SEEK_SET) != 0))
			c->nowrite = 1;
		out_put(c, &h, sizeof(h));
		if (!c->nowrite && fclose(c->out) == 0) {
			c->out = NULL;
			if (rename(c->tmp, c->path) == 0) {
				free(c->tmp);
				c->tmp = NULL;
			}
		}
		stop_writing(c);
	}
	if (c->map)
		munmap(c->map, c->map_len);
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c->slots);
	free(c->table);
	free(c->visited);
	free(c->path);
	free(c->root);
	refctl_buf_release(&c->entry);
	refctl_buf_release(&c->pending);
	free(c);
}

void refctl__cache_remove(struct refctl__cache *c)
{
	if (!c)
		return;
	stop_writing(c);
	unlink(c->path);
}

size_t refctl__cache_verify(struct refctl__cache *c, const char *advocates_dir,
			    void (*fn)(const char *file, const char *what, void *payload), void *payload)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	void *saved = refctl__error_save();
	size_t bad = 0;

	for (size_t i = 0; c && i < c->n; i++) {
		struct refctl_record_encoded enc = { REFCTL_BUF_INIT, { 0, 0, 0 } };
		struct refctl_record *rec = NULL;
		struct refctl_buf uniq = REFCTL_BUF_INIT;
		const unsigned char *p = c->slots[i].entry;
		struct stat st;
		struct ehdr e;
		const char *what = NULL;

		memcpy(&e, p, sizeof(e));
		refctl_buf_clear(&path);
		refctl_buf_printf(&path, "%s/%.*s", advocates_dir, (int)e.name_len, (const char *)p + sizeof(e));
		refctl_buf_clear(&rel);
		refctl_buf_printf(&rel, "advocates/%.*s", (int)e.name_len, (const char *)p + sizeof(e));
		if (lstat(path.ptr, &st) < 0 || !stat_agrees(&e, &st))
			continue; /* not trusted: a read parses the file */
		if (refctl__read_file(&data, path.ptr, REFCTL_MAX_FILE) < 0) {
			what = "cannot be read";
		} else {
			refctl_record_parse_encode(&rec, &enc, rel.ptr, data.ptr, data.size, NULL);
			for (const struct refctl_field *f = refctl_schema_advocate(); rec && f->name; f++) {
				const char *v;
				if (!(f->flags & REFCTL_FIELD_UNIQUE) || f->storage != REFCTL_STORE_STR ||
				    !(v = *(const char *const *)((const char *)&rec->a + f->off)))
					continue;
				refctl_buf_put(&uniq, f->name, strlen(f->name) + 1);
				refctl_buf_put(&uniq, v, strlen(v) + 1);
			}
			if (is_racy(&e, c->old_started) && hash_bytes(data.ptr, data.size) != e.hash)
				what = NULL; /* not trusted: a read checks the contents, and parses again */
			else if (enc.tree.size != e.tree_len ||
			    memcmp(enc.tree.ptr, p + sizeof(e) + e.name_len, e.tree_len))
				what = "the cached tree differs from the file's";
			else if (enc.src.comment_line != e.comment_line || enc.src.bom != e.bom ||
				 enc.src.crlf_line != e.crlf_line)
				what = "the cached comment, byte-order mark or line endings differ from the file's";
			else if (uniq.size != e.uniq_len || memcmp(uniq.ptr, p + sizeof(e) + e.name_len + e.tree_len, e.uniq_len))
				what = "the cached unique values differ from the file's";
		}
		if (what) {
			bad++;
			if (fn)
				fn(rel.ptr, what, payload);
		}
		refctl_record_free(rec);
		refctl_buf_release(&enc.tree);
		refctl_buf_release(&uniq);
	}
	refctl__error_restore(saved);
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	refctl_buf_release(&rel);
	return bad;
}
