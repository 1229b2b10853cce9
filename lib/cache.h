#ifndef REFCTL_LIB_CACHE_H
#define REFCTL_LIB_CACHE_H

/*
 * The parse cache: for each advocate file, its typed view and warnings as
 * validation gave them, and the tree its YAML loaded as
 * (refctl_node_encode()'s form), kept in the git directory and validated
 * as git validates its index, so a read parses only the files that
 * changed. See docs/architecture.md, "The parse cache".
 *
 * A walk opens the cache, asks it for each file it reads (a hit is the
 * record with the diagnostics a parse gives), tells it what it parsed on
 * a miss, and closes it,
 * which writes a new cache (temporary file and rename, under the cache's
 * own lock, skipped when the lock is busy) if anything changed. Nothing
 * here ever fails a read: a cache that cannot be read, or written, is no
 * cache.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct refctl_record;
struct refctl_record_encoded;
struct refctl_diags;
struct refctl_buf;
struct refctl__cache;

/* The cache of root's advocates in gitdir (NULL when REFCTL_NO_CACHE is
 * set to anything but "" or "0"). A missing, damaged, foreign-version or
 * foreign-endian file is an empty cache. */
struct refctl__cache *refctl__cache_open(const char *gitdir, const char *root);
/* 1 if the cache file was there and whole (for tests and fsck). */
int refctl__cache_loaded(const struct refctl__cache *c);

/*
 * Is the cached entry of advocates/name (the file at path, which is
 * root/advocates/name) still the file?
 * Stat data first (mtime and ctime with nanoseconds, size, inode, device);
 * then, where the file's mtime is not older than the cache's own time (the
 * "racy" case), its contents' hash. 1 if it is, with *entry set; 0 if not,
 * with *st the file's lstat (taken before any read, for refctl__cache_add;
 * st->st_mode 0 if there is none).
 */
int refctl__cache_find(struct refctl__cache *c, const char *name, const char *path, struct stat *st,
		       const void **entry);
/* The walk will ask for names[0..n) in this order (names lives until the
 * cache is closed): their stat data may be taken ahead, on another core.
 * For a walk that may have a second thread (REFCTL_JOBS). */
void refctl__cache_expect(struct refctl__cache *c, const char *const *names, size_t n);
/* The record of an entry found, as refctl_record_parse() gives it (the
 * same diagnostics, the same last error); 1 if the entry does not decode
 * (the file is then to be parsed, and the cache is rewritten). A valid
 * file's record has its typed view alone, and reads its tree, from the
 * cache or else from path, if refctl_record_tree() asks before the
 * cache is closed. */
int refctl__cache_record(struct refctl__cache *c, const void *entry, const char *file, const char *path,
			 struct refctl_record **out, struct refctl_diags *diags);
/* The value of a UNIQUE field the entry's record has, or NULL. */
const char *refctl__cache_unique(const void *entry, const char *field, struct refctl_buf *tmp);

/* What a miss parsed: data (read after st was taken) and what
 * refctl_record_parse_encode() gave, rec NULL if the file is invalid. */
void refctl__cache_add(struct refctl__cache *c, const char *name, const struct stat *st, const char *data,
		       size_t len, const struct refctl_record_encoded *enc, const struct refctl_record *rec);

/* End the walk; complete when every advocate file was asked for (so those
 * not asked for are gone). Writes the cache if it changed. */
void refctl__cache_close(struct refctl__cache *c, int complete);

/*
 * Check every entry whose stat data still holds against a parse of its
 * file: fn gets each file whose entry disagrees, with what is wrong.
 * Returns the number of disagreements. The cache is then closed without
 * being written.
 */
size_t refctl__cache_verify(struct refctl__cache *c, const char *advocates_dir,
			    void (*fn)(const char *file, const char *what, void *payload), void *payload);

/* Remove the cache file (one that disagrees with the files), writing no new one. */
void refctl__cache_remove(struct refctl__cache *c);

#endif
