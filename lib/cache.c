/* The parse cache: each advocate file's loaded tree, validated like git's index. */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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
#include "refctl/yaml.h"
#include "cache.h"
#include "util.h"

/*
 * The file, .git/refctl-cache: a header, the root it is of, the entries'
 * bodies, then their index. An entry's index record (struct ehdr, then
 * its name and unique values, padded to 8 bytes) holds what a walk asks
 * first (stat data, the contents' hash, the unique values), so a write's
 * uniqueness check reads the index alone; its body holds, for a valid
 * file, the typed view (refctl_schema_view_encode()'s block, packed) and
 * the file's warnings; for a file that loads but is not valid, the tree,
 * which a hit validates again for its diagnostics. A reader that asks
 * for a valid file's tree reads the file (refctl_record_tree()).
 * The index is hashed whole when the cache is opened, each body's parts
 * when they are used, so a torn or damaged file is no cache (an entry
 * whose body is wrong is parsed again, and the cache rebuilt). Entries
 * are in no particular order (a reader makes a table of their names), so
 * a walk writes them as it goes. Integers are native: the header's endian
 * mark tells a cache written by another byte order, which is then no
 * cache.
 */
#define CACHE_MAGIC "RFCTLCA\n"
#define CACHE_VERSION 2u
#define CACHE_ENDIAN 0x01020304u

struct fhdr {
	char magic[8];
	uint32_t endian, version, ehdr_size, root_len;
	uint64_t schema;    /* the schema's fingerprint: a field added is a new cache */
	uint64_t nentries, body_len, index_len, index_hash;
	int64_t started;    /* when the walk that wrote it began (seconds) */
};

struct ehdr {
	uint32_t len; /* the index record, padded */
	uint32_t name_len, uniq_len;
	uint32_t image_len, packed_len; /* the view's block, and packed (pack()); 0: not valid, no view */
	uint32_t diags_len, tree_len;    /* a valid file's warnings; an invalid one's tree */
	uint32_t comment_line, bom, crlf_line;
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
	uint64_t size, ino, dev, hash;
	uint64_t body_off;             /* from the first body */
	uint64_t view_hash, tree_hash; /* of image and diagnostics; of the tree */
	/* then the name and the unique values ("field\0value\0"...) */
};

#define PAD8(n) (((n) + 7) & ~(uint64_t)7)

/* A body's length in the file. */
static uint64_t body_size(const struct ehdr *e)
{
	return PAD8((uint64_t)e->packed_len + e->diags_len) + PAD8(e->tree_len);
}

/*
 * Packing the view's block, which is mostly zero bytes (NULL pointers,
 * absent values, small offsets), in the manner of Cap'n Proto: each word
 * of 8 bytes is a tag byte, one bit for each byte that is not zero, and
 * those bytes; a zero tag is followed by the number (up to 255) of zero
 * words after it, a tag of 0xff by the number of words after it that have
 * no zero byte, given whole.
 */
static int word_full(const unsigned char *w)
{
	for (int i = 0; i < 8; i++)
		if (!w[i])
			return 0;
	return 1;
}

static void pack(struct refctl_buf *out, const unsigned char *p, size_t len)
{
	for (size_t w = 0; w < len / 8;) {
		const unsigned char *x = p + w * 8;
		unsigned char tag = 0, run = 0;
		for (int i = 0; i < 8; i++)
			tag |= (unsigned char)(!!x[i] << i);
		refctl_buf_putc(out, (char)tag);
		for (int i = 0; i < 8; i++)
			if (x[i])
				refctl_buf_putc(out, (char)x[i]);
		w++;
		if (tag == 0) {
			while (run < 255 && w < len / 8 && !memcmp(p + w * 8, "\0\0\0\0\0\0\0\0", 8))
				run++, w++;
			refctl_buf_putc(out, (char)run);
		} else if (tag == 0xff) {
			size_t from = w;
			while (run < 255 && w < len / 8 && word_full(p + w * 8))
				run++, w++;
			refctl_buf_putc(out, (char)run);
			refctl_buf_put(out, p + from * 8, (size_t)run * 8);
		}
	}
}

/*
 * Unpack into out, exactly len bytes; -1 if the bytes do not say so.
 * Only the bytes a tag names are visited (most words have one or two),
 * and where the processor has BMI2, pdep spreads a word's bytes in one
 * instruction: the loop is written once, for both ways of spreading.
 */
#define SPREAD_BYTES(dst, src, tag) do { \
		memset(dst, 0, 8); \
		for (unsigned t_ = (tag); t_; t_ &= t_ - 1) \
			(dst)[__builtin_ctz(t_)] = *(src)++; \
	} while (0)

#define UNPACK(name, attrs, SPREAD) \
attrs static int name(unsigned char *out, size_t len, const unsigned char *p, size_t plen) \
{ \
	const unsigned char *end = p + plen; \
	size_t at = 0; \
	while (at < len) { \
		unsigned tag; \
		if (p >= end || len - at < 8) \
			return -1; \
		tag = *p++; \
		if ((size_t)(end - p) >= 8) { \
			SPREAD(out + at, p, tag); \
		} else { \
			size_t need = 0; \
			for (unsigned t = tag; t; t &= t - 1) \
				need++; \
			if ((size_t)(end - p) < need) \
				return -1; \
			SPREAD_BYTES(out + at, p, tag); \
		} \
		at += 8; \
		if (tag == 0 || tag == 0xff) { \
			size_t n; \
			if (p >= end) \
				return -1; \
			n = (size_t)*p++ * 8; \
			if (n > len - at || (tag == 0xff && n > (size_t)(end - p))) \
				return -1; \
			/* runs are short: word by word beats rep movs */ \
			for (size_t k = 0; k < n; k += 8) \
				if (tag == 0) \
					memset(out + at + k, 0, 8); \
				else \
					memcpy(out + at + k, p + k, 8); \
			p += tag ? n : 0; \
			at += n; \
		} \
	} \
	return p == end ? 0 : -1; \
}

UNPACK(unpack_bytes, , SPREAD_BYTES)

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/* 8 bytes at src (there are), spread over the bytes of dst tag names */
#define SPREAD_PDEP(dst, src, tag) do { \
		uint64_t m_ = _pdep_u64((tag), 0x0101010101010101ULL) * 0xff, w_; \
		memcpy(&w_, (src), 8); \
		w_ = _pdep_u64(w_, m_); \
		memcpy((dst), &w_, 8); \
		(src) += __builtin_popcount(tag); \
	} while (0)
UNPACK(unpack_pdep, __attribute__((target("bmi2,popcnt"))), SPREAD_PDEP)
#endif

static int unpack(unsigned char *out, size_t len, const unsigned char *p, size_t plen)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	static int bmi2 = -1;
	if (bmi2 < 0)
		bmi2 = __builtin_cpu_supports("bmi2");
	if (bmi2)
		return unpack_pdep(out, len, p, plen);
#endif
	return unpack_bytes(out, len, p, plen);
}

struct body_hash {
	uint64_t lane[4];
	unsigned char pending[32];
	size_t npending;
};

struct slot {
	const char *name;
	size_t name_len, hash;
	const unsigned char *entry; /* its index record */
};

struct refctl__cache {
	char *path, *root;
	int dirfd;                        /* advocates/, for a stat of one path component */
	int64_t started;                  /* this walk's start */
	/* the cache as read */
	unsigned char *map;
	size_t map_len;
	const unsigned char *bodies;
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
	struct refctl_buf pending;        /* new entries not yet written: index record, then body */
	/* the cache being written: bodies to out, index records to iout */
	int writing, nowrite, lockfd;
	FILE *out, *iout;
	char *tmp, *itmp;
	struct body_hash ihash;
	uint64_t body_len, index_len, nout;
	struct refctl_buf entry, body;
	struct ahead *ahead;              /* the stat data of the names to come */
};

/*
 * Stat ahead: a walk that knows the names it will ask for, in order,
 * says so (refctl__cache_expect), and a thread takes their stat data
 * while the walk decodes and uses what it found, so the two cores share
 * the walk; git's preload-index does the same for its index. A ring of
 * AHEAD_RING entries, the thread at most that far ahead (it yields while
 * the ring is full); each entry is stamped with the name's place once
 * taken. The walk never waits: a name whose stat data is not there yet
 * (or asked for out of turn) it takes itself, and the thread, finding
 * itself behind, jumps AHEAD_JUMP names past the walk, so the two share
 * the work when the walk is the faster.
 */
#define AHEAD_RING 1024
#define AHEAD_MIN 256 /* fewer names: not worth a thread */
#define AHEAD_JUMP 64

struct ahead {
	pthread_t thread;
	int dirfd;
	const char *const *names;
	size_t n;
	atomic_size_t next;               /* the walk's place in names */
	atomic_int stop;
	struct stat st[AHEAD_RING];
	int ok[AHEAD_RING];
	atomic_size_t stamp[AHEAD_RING];  /* 1 + the place of the name whose data it holds */
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
	unsigned char sizes[16];
	refctl_schema_foreach_all(add_field, &h); /* which hashes each row's offset in its view */
	memcpy(sizes, &(uint64_t){ sizeof(struct refctl_advocate) }, 8);
	memcpy(sizes + 8, &(uint64_t){ sizeof(void *) }, 8);
	return hash_words(h, sizes, sizeof(sizes));
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
	    off > c->map_len || memcmp(c->map + sizeof(h), c->root, h.root_len) || h.body_len > c->map_len - off ||
	    h.index_len != c->map_len - off - h.body_len || h.body_len % 8 || h.index_len % 8)
		goto bad;
	c->bodies = c->map + off;
	p = c->bodies + h.body_len;
	end = c->map + c->map_len;
	body_hash_init(&bh);
	for (size_t at = 0; at < h.index_len; at += RELEASE_CHUNK) {
		size_t k = h.index_len - at < RELEASE_CHUNK ? h.index_len - at : RELEASE_CHUNK;
		body_hash_add(&bh, p + at, k);
		release_pages(c);
	}
	if (body_hash_end(&bh) != h.index_hash)
		goto bad;
	if (h.nentries > (uint64_t)(end - p) / sizeof(struct ehdr) || h.nentries >= UINT32_MAX)
		goto bad;
	for (c->mask = 15; c->mask < 2 * h.nentries; c->mask = c->mask * 2 + 1)
		;
	c->table = refctl__calloc(c->mask + 1, sizeof(*c->table));
	c->slots = refctl__calloc(h.nentries + 1, sizeof(*c->slots));
	for (uint64_t i = 0, released = 0; i < h.nentries; i++) {
		struct ehdr e;
		size_t k;
		if ((size_t)(p - c->map) - released > RELEASE_CHUNK) {
			release_pages(c);
			released = (size_t)(p - c->map);
		}
		if ((size_t)(end - p) < sizeof(e))
			goto bad;
		memcpy(&e, p, sizeof(e));
		if (e.len % 8 || e.len > (size_t)(end - p) || !e.name_len ||
		    (uint64_t)sizeof(e) + e.name_len + e.uniq_len > e.len || e.body_off % 8 || e.image_len % 8 || (!e.image_len && e.packed_len) ||
		    e.body_off > h.body_len || body_size(&e) > h.body_len - e.body_off)
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
	c->bodies = NULL;
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

static void *ahead_run(void *arg)
{
	struct ahead *a = arg;
	size_t next;

	for (size_t i = 0; i < a->n && !atomic_load_explicit(&a->stop, memory_order_relaxed); i++) {
		if (i < (next = atomic_load_explicit(&a->next, memory_order_acquire)))
			i = next + AHEAD_JUMP; /* the walk passed: get ahead of it again */
		while (i >= atomic_load_explicit(&a->next, memory_order_acquire) + AHEAD_RING - 1) {
			/* the ring is full: wait for the walk */
			if (atomic_load_explicit(&a->stop, memory_order_relaxed))
				return NULL;
			sched_yield();
		}
		if (i >= a->n)
			break;
		a->ok[i % AHEAD_RING] = fstatat(a->dirfd, a->names[i], &a->st[i % AHEAD_RING], AT_SYMLINK_NOFOLLOW) == 0;
		atomic_store_explicit(&a->stamp[i % AHEAD_RING], i + 1, memory_order_release);
	}
	return NULL;
}

static void ahead_stop(struct refctl__cache *c)
{
	if (!c->ahead)
		return;
	atomic_store(&c->ahead->stop, 1);
	pthread_join(c->ahead->thread, NULL);
	free(c->ahead);
	c->ahead = NULL;
}

void refctl__cache_expect(struct refctl__cache *c, const char *const *names, size_t n)
{
	struct ahead *a;

	if (!c || c->ahead || c->dirfd < 0 || !c->n || n < AHEAD_MIN)
		return;
	a = refctl__calloc(1, sizeof(*a));
	a->dirfd = c->dirfd;
	a->names = names;
	a->n = n;
	atomic_init(&a->next, 0);
	for (size_t k = 0; k < AHEAD_RING; k++)
		atomic_init(&a->stamp[k], 0);
	atomic_init(&a->stop, 0);
	if (pthread_create(&a->thread, NULL, ahead_run, a) != 0) {
		free(a);
		return;
	}
	c->ahead = a;
}

/* The stat data of name, if it is the walk's next (or one of the few
 * after it: a walk may pass over names it has no use for) and the thread
 * has it; else the walk takes it itself. */
static int ahead_take(struct refctl__cache *c, const char *name, struct stat *st)
{
	struct ahead *a = c->ahead;
	size_t i;
	int have;

	if (!a)
		return -1;
	i = atomic_load_explicit(&a->next, memory_order_relaxed);
	for (size_t k = 0;; k++) {
		if (k == 8 || i + k >= a->n)
			return -1;
		if (!strcmp(a->names[i + k], name)) {
			i += k;
			break;
		}
	}
	have = atomic_load_explicit(&a->stamp[i % AHEAD_RING], memory_order_acquire) == i + 1;
	if (have) {
		if (a->ok[i % AHEAD_RING])
			*st = a->st[i % AHEAD_RING];
		else
			memset(st, 0, sizeof(*st));
	}
	atomic_store_explicit(&a->next, i + 1, memory_order_release); /* the entry is free again */
	return have ? 0 : -1;
}

int refctl__cache_find(struct refctl__cache *c, const char *name, const char *path, struct stat *st,
		       const void **entry)
{
	struct slot *sl;
	struct ehdr e;

	*entry = NULL;
	if (c && ahead_take(c, name, st) == 0)
		; /* taken ahead */
	else if ((c && c->dirfd >= 0 ? fstatat(c->dirfd, name, st, AT_SYMLINK_NOFOLLOW) : lstat(path, st)) < 0)
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

/* A valid file's record, from its view alone, reads its tree from the
 * file when asked (lazy is the file's path). */
static int load_tree(struct refctl_record *rec)
{
	struct refctl_yaml_docs docs;
	struct refctl_buf data = REFCTL_BUF_INIT;
	int error;

	if ((error = refctl__read_file(&data, rec->lazy, REFCTL_MAX_FILE)) == 0 &&
	    (error = refctl_yaml_load(&docs, rec->file, data.ptr, data.size, 0)) == 0) {
		if (docs.n) {
			rec->root = docs.v[0];
			docs.v[0] = NULL;
		} else {
			error = refctl__error_at(REFCTL_EINVALID, rec->file, 1, 1, "file is empty");
		}
		refctl_yaml_docs_release(&docs);
	}
	refctl_buf_release(&data);
	return error;
}

int refctl__cache_record(struct refctl__cache *c, const void *entry, const char *file, const char *path,
			 struct refctl_record **out, struct refctl_diags *diags)
{
	const unsigned char *p = entry, *body;
	struct refctl_node *root;
	struct ehdr e;
	int error;

	*out = NULL;
	memcpy(&e, p, sizeof(e));
	body = c->bodies + e.body_off;
	if (e.image_len) {
		unsigned char *img;
		if (hash_bytes((const char *)body, (size_t)e.packed_len + e.diags_len) != e.view_hash)
			goto damaged;
		img = refctl__malloc(e.image_len); /* malloc's alignment is the view's */
		if (unpack(img, e.image_len, body, e.packed_len) < 0 ||
		    refctl_record_from_image(out, file, img, e.image_len, body + e.packed_len, e.diags_len, diags) < 0)
			goto damaged; /* img is freed */
		(*out)->lazy = refctl__strdup(path);
		(*out)->load_tree = load_tree;
		error = 0;
	} else {
		const unsigned char *tree = body + PAD8(e.diags_len);
		if (hash_bytes((const char *)tree, e.tree_len) != e.tree_hash ||
		    refctl_node_decode(&root, tree, e.tree_len) < 0)
			goto damaged;
		error = refctl_record_from_node(out, file, root, diags);
	}
	if (*out) {
		(*out)->comment_line = e.comment_line;
		(*out)->bom = e.bom;
		(*out)->crlf_line = e.crlf_line;
	}
	return error;
damaged:
	/* cannot be, the index's hash being right: parse the file */
	c->changed = 1;
	c->damaged = 1;
	return 1;
}

const char *refctl__cache_unique(const void *entry, const char *field, struct refctl_buf *tmp)
{
	struct ehdr e;
	const char *p, *end;

	memcpy(&e, entry, sizeof(e));
	p = (const char *)entry + sizeof(e) + e.name_len;
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

static const char zeros[8];

static void out_put(struct refctl__cache *c, FILE *f, const void *data, size_t len)
{
	if (f && fwrite(data, 1, len, f) != len)
		c->nowrite = 1;
}

/* An entry: its index record e (the record's name and unique values at
 * rest, a copy of e's header given apart) and its body. */
static void put_entry(struct refctl__cache *c, struct ehdr *e, const unsigned char *rest, const unsigned char *body)
{
	uint64_t n = body_size(e);

	e->body_off = c->body_len;
	out_put(c, c->out, body, n);
	c->body_len += n;
	out_put(c, c->iout, e, sizeof(*e));
	out_put(c, c->iout, rest, e->len - sizeof(*e));
	body_hash_add(&c->ihash, (const unsigned char *)e, sizeof(*e));
	body_hash_add(&c->ihash, rest, e->len - sizeof(*e));
	c->index_len += e->len;
	c->nout++;
}

static void copy_entry(struct refctl__cache *c, const unsigned char *entry)
{
	struct ehdr e;
	memcpy(&e, entry, sizeof(e));
	put_entry(c, &e, entry + sizeof(e), c->bodies + e.body_off);
}

static void stop_writing(struct refctl__cache *c)
{
	if (c->out)
		fclose(c->out);
	if (c->iout)
		fclose(c->iout);
	c->out = c->iout = NULL;
	if (c->tmp)
		unlink(c->tmp);
	if (c->itmp)
		unlink(c->itmp);
	free(c->tmp);
	free(c->itmp);
	c->tmp = c->itmp = NULL;
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
	c->writing = 0;
	c->nowrite = 1;
}

/* Remove the temporary files of writers that died (killed while writing):
 * called holding the lock, which every writer holds until its temporary
 * files are renamed or removed, so none of them is being written. */
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

static FILE *open_tmp(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}

/*
 * Write the entries found so far and the new ones waiting, in the order
 * of their names: walks go in that order, so they then read the file
 * from start to end.
 */
static void write_so_far(struct refctl__cache *c)
{
	struct slot *v = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->visited[i] == 1) {
			REFCTL__ARRAY_GROW(v, n + 1, alloc);
			v[n++] = c->slots[i];
			v[n - 1].hash = 0; /* from the old file */
		}
	for (size_t at = 0; at < c->pending.size;) {
		struct ehdr e;
		memcpy(&e, c->pending.ptr + at, sizeof(e));
		REFCTL__ARRAY_GROW(v, n + 1, alloc);
		v[n].name = c->pending.ptr + at + sizeof(e);
		v[n].name_len = e.name_len;
		v[n].entry = (const unsigned char *)c->pending.ptr + at;
		v[n++].hash = 1; /* waiting: its body follows its index record */
		at += e.len + body_size(&e);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), slot_cmp);
	for (size_t i = 0; i < n; i++) {
		struct ehdr e;
		memcpy(&e, v[i].entry, sizeof(e));
		put_entry(c, &e, v[i].entry + sizeof(e), v[i].hash ? v[i].entry + e.len : c->bodies + e.body_off);
	}
	free(v);
	refctl_buf_release(&c->pending);
}

/* Take the cache's lock (never waiting: another reader is writing it)
 * and start the new file with what was found so far. */
static int start_writing(struct refctl__cache *c)
{
	struct refctl_buf p = REFCTL_BUF_INIT;
	struct fhdr h;

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
	refctl_buf_printf(&p, "%s.tmp-%ld-index", c->path, (long)getpid());
	c->itmp = refctl_buf_detach(&p);
	if (!(c->out = open_tmp(c->tmp)) || !(c->iout = open_tmp(c->itmp))) {
		stop_writing(c);
		return 0;
	}
	c->nowrite = 0;
	c->writing = 1;
	memset(&h, 0, sizeof(h));
	out_put(c, c->out, &h, sizeof(h));
	out_put(c, c->out, c->root, strlen(c->root));
	out_put(c, c->out, zeros, ((strlen(c->root) + 7u) & ~(size_t)7) - strlen(c->root));
	body_hash_init(&c->ihash);
	write_so_far(c);
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

/* The unique values of rec ("field\0value\0"...). */
static void unique_values(struct refctl_buf *out, const struct refctl_record *rec)
{
	for (const struct refctl_field *f = refctl_schema_advocate(); rec && f->name; f++) {
		const char *v;
		if (!(f->flags & REFCTL_FIELD_UNIQUE) || f->storage != REFCTL_STORE_STR ||
		    !(v = *(const char *const *)((const char *)&rec->a + f->off)))
			continue;
		refctl_buf_put(out, f->name, strlen(f->name) + 1);
		refctl_buf_put(out, v, strlen(v) + 1);
	}
}

/* The body of an entry: for a valid file, the view's block packed and
 * the diagnostics; for another, the tree; padded to 8 bytes. */
static void make_body(struct refctl_buf *out, struct ehdr *e, const struct refctl_record_encoded *enc,
		      const struct refctl_record *rec)
{
	refctl_buf_clear(out);
	e->image_len = e->packed_len = e->diags_len = e->tree_len = 0;
	e->view_hash = e->tree_hash = 0;
	if (rec && enc->image.size) {
		pack(out, (const unsigned char *)enc->image.ptr, enc->image.size);
		e->image_len = (uint32_t)enc->image.size;
		e->packed_len = (uint32_t)out->size;
		refctl_buf_put(out, enc->diags.ptr, enc->diags.size);
		e->diags_len = (uint32_t)enc->diags.size;
		e->view_hash = hash_bytes(out->ptr, out->size);
		refctl_buf_put(out, zeros, PAD8(out->size) - out->size);
	} else {
		refctl_buf_put(out, enc->tree.ptr, enc->tree.size);
		refctl_buf_put(out, zeros, PAD8(enc->tree.size) - enc->tree.size);
		e->tree_len = (uint32_t)enc->tree.size;
		e->tree_hash = hash_bytes(enc->tree.ptr, enc->tree.size);
	}
}

void refctl__cache_add(struct refctl__cache *c, const char *name, const struct stat *st, const char *data,
		       size_t len, const struct refctl_record_encoded *enc, const struct refctl_record *rec)
{
	struct refctl_buf uniq = REFCTL_BUF_INIT;
	struct ehdr e;

	if (!c || (!enc->tree.size && !enc->image.size) || !S_ISREG(st->st_mode) || (uint64_t)st->st_size != len ||
	    has_markers(data, len) || enc->tree.size >= UINT32_MAX || enc->image.size >= UINT32_MAX / 2 ||
	    enc->diags.size >= UINT32_MAX / 2)
		return;
	c->changed = 1;
	c->nchanges++;
	if (c->nowrite)
		return;
	unique_values(&uniq, rec);
	memset(&e, 0, sizeof(e));
	e.name_len = (uint32_t)strlen(name);
	e.uniq_len = (uint32_t)uniq.size;
	e.len = (uint32_t)PAD8(sizeof(e) + e.name_len + e.uniq_len);
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
	make_body(&c->body, &e, enc, rec);
	refctl_buf_clear(&c->entry);
	refctl_buf_puts(&c->entry, name);
	refctl_buf_put(&c->entry, uniq.ptr, uniq.size);
	refctl_buf_put(&c->entry, zeros, e.len - sizeof(e) - c->entry.size);
	if (c->writing || (worth_writing(c) && start_writing(c))) {
		put_entry(c, &e, (const unsigned char *)c->entry.ptr, (const unsigned char *)c->body.ptr);
	} else if (!c->nowrite) {
		refctl_buf_put(&c->pending, &e, sizeof(e));
		refctl_buf_put(&c->pending, c->entry.ptr, c->entry.size);
		refctl_buf_put(&c->pending, c->body.ptr, c->body.size);
	}
	refctl_buf_release(&uniq);
}

/* Append the index written apart to the file. */
static void append_index(struct refctl__cache *c)
{
	char buf[1 << 16];
	size_t k;

	if (c->nowrite || fflush(c->iout) != 0 || fseek(c->iout, 0, SEEK_SET) != 0) {
		c->nowrite = 1;
		return;
	}
	while ((k = fread(buf, 1, sizeof(buf), c->iout)) > 0)
		out_put(c, c->out, buf, k);
	if (ferror(c->iout))
		c->nowrite = 1;
}

void refctl__cache_close(struct refctl__cache *c, int complete)
{
	struct fhdr h;

	if (!c)
		return;
	ahead_stop(c);
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
		append_index(c);
		memset(&h, 0, sizeof(h));
		memcpy(h.magic, CACHE_MAGIC, 8);
		h.endian = CACHE_ENDIAN;
		h.version = CACHE_VERSION;
		h.ehdr_size = sizeof(struct ehdr);
		h.root_len = (uint32_t)strlen(c->root);
		h.schema = schema_fingerprint();
		h.nentries = c->nout;
		h.body_len = c->body_len;
		h.index_len = c->index_len;
		h.index_hash = body_hash_end(&c->ihash);
		h.started = c->started;
		if (!c->nowrite && (fflush(c->out) != 0 || fseek(c->out, 0, SEEK_SET) != 0))
			c->nowrite = 1;
		out_put(c, c->out, &h, sizeof(h));
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
	refctl_buf_release(&c->body);
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

/* What is wrong with the entry e (index record at p) beside what a parse
 * of the file gives, or NULL. */
static const char *entry_disagrees(const struct refctl__cache *c, const struct ehdr *e, const unsigned char *p,
				   const struct refctl_record_encoded *enc, const struct refctl_record *rec)
{
	struct refctl_buf body = REFCTL_BUF_INIT, uniq = REFCTL_BUF_INIT;
	struct ehdr fresh = *e;
	const char *what = NULL;

	unique_values(&uniq, rec);
	make_body(&body, &fresh, enc, rec);
	if (fresh.tree_len != e->tree_len || fresh.tree_hash != e->tree_hash)
		what = "the cached tree differs from the file's";
	else if (fresh.image_len != e->image_len || fresh.packed_len != e->packed_len ||
		 memcmp(body.ptr, c->bodies + e->body_off, e->packed_len))
		what = "the cached typed view differs from the file's";
	else if (fresh.diags_len != e->diags_len ||
		 memcmp(body.ptr + e->packed_len, c->bodies + e->body_off + e->packed_len, e->diags_len))
		what = "the cached diagnostics differ from the file's";
	else if (body.size != body_size(e) || memcmp(body.ptr, c->bodies + e->body_off, body.size) ||
		 fresh.view_hash != e->view_hash)
		what = "the cached entry differs from the file's";
	else if (enc->src.comment_line != e->comment_line || enc->src.bom != e->bom || enc->src.crlf_line != e->crlf_line)
		what = "the cached comment, byte-order mark or line endings differ from the file's";
	else if (uniq.size != e->uniq_len || memcmp(uniq.ptr, p + sizeof(*e) + e->name_len, e->uniq_len))
		what = "the cached unique values differ from the file's";
	refctl_buf_release(&body);
	refctl_buf_release(&uniq);
	return what;
}

size_t refctl__cache_verify(struct refctl__cache *c, const char *advocates_dir,
			    void (*fn)(const char *file, const char *what, void *payload), void *payload)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	void *saved = refctl__error_save();
	size_t bad = 0;

	if (c)
		c->nowrite = 1; /* a verification only looks: closing it writes nothing */
	for (size_t i = 0; c && i < c->n; i++) {
		struct refctl_record_encoded enc = REFCTL_RECORD_ENCODED_INIT;
		struct refctl_record *rec = NULL;
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
			if (is_racy(&e, c->old_started) && hash_bytes(data.ptr, data.size) != e.hash)
				what = NULL; /* not trusted: a read checks the contents, and parses again */
			else
				what = entry_disagrees(c, &e, p, &enc, rec);
		}
		if (what) {
			bad++;
			if (fn)
				fn(rel.ptr, what, payload);
		}
		refctl_record_free(rec);
		refctl_record_encoded_release(&enc);
	}
	refctl__error_restore(saved);
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	refctl_buf_release(&rel);
	return bad;
}
