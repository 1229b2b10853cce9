#ifndef REFCTL_LIB_HISTORY_H
#define REFCTL_LIB_HISTORY_H

/*
 * The history cache: what a caller summarised of a commit (the report:
 * which advocates it added, changed, removed, and how), kept by commit id
 * in one file under the git directory. A commit never changes, so neither
 * does its summary: entries are only ever added, and a commit rewritten
 * (amend, rebase) is another id, another entry.
 *
 * The file: "refctl-history-cache\n", a version and a byte-order mark (4
 * bytes each, native order), the identity (4-byte length, bytes: what the
 * summaries depend on besides the commit, such as the root's place in the
 * work tree), then entries (20-byte commit id, 4-byte length, bytes), then
 * a 64-bit FNV-1a hash of everything before it. A file that is missing,
 * short, of another version, byte order or identity, or whose hash does not
 * match is read as empty, with no error, and replaced at the next save.
 *
 * Saving takes the cache's own lock (history-cache.lock beside it, flock,
 * never waited for: a busy lock skips the save), reads the file again, adds
 * what it lacks and replaces it atomically (temporary file, rename).
 * Nothing here ever fails its caller: a cache that cannot be read or
 * written is a cache with nothing in it.
 */
#include <stddef.h>

struct refctl__hcache;

/* The cache in the file at path, for identity; NULL path: a cache that
 * never has anything and never saves (REFCTL_NO_CACHE=1). */
struct refctl__hcache *refctl__hcache_open(const char *path, const char *identity);
/* 1 and the summary of the commit (40 hex digits) if cached, else 0. */
int refctl__hcache_get(struct refctl__hcache *c, const char *commit, const char **data, size_t *len);
/* Remember a summary for the commit, to be saved; the cache takes data
 * (malloc'd, freed here when not kept). */
void refctl__hcache_put(struct refctl__hcache *c, const char *commit, char *data, size_t len);
/* The same in pieces, for a summary that may be big (a commit that
 * changed the whole roster): begin, append its bytes as they come, end to
 * keep it. Bytes beyond a few hundred KB wait in an unlinked file beside
 * the cache, not in memory. A begin drops a summary not ended; nothing is
 * kept of a commit cached already, or of an empty summary. */
void refctl__hcache_begin(struct refctl__hcache *c, const char *commit);
void refctl__hcache_append(struct refctl__hcache *c, const void *data, size_t len);
void refctl__hcache_end(struct refctl__hcache *c);
/* Write what was put since opening, if anything; 1 if written, 0 if not
 * (nothing new, the lock busy, or a failure: never an error). */
int refctl__hcache_save(struct refctl__hcache *c);
void refctl__hcache_free(struct refctl__hcache *c);

/* 1 when REFCTL_NO_CACHE is set to anything but "" or "0". */
int refctl__no_cache(void);

#endif
