#ifndef REFCTL_LIB_UTIL_H
#define REFCTL_LIB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include "refctl/common.h"

/*
 * Allocation that cannot fail: on exhaustion the process aborts with a
 * message, as git's xmalloc() does. Everything in lib/ uses these.
 */
void *refctl__malloc(size_t n);
void *refctl__calloc(size_t n, size_t size);
void *refctl__realloc(void *p, size_t n);
char *refctl__strdup(const char *s);
char *refctl__strndup(const char *s, size_t n);

/* Grow an array so it can hold at least n elements. */
#define REFCTL__ARRAY_GROW(ptr, n, alloc) do { \
	if ((n) > (alloc)) { \
		size_t refctl__na = (alloc) ? (alloc) * 2 : 8; \
		while (refctl__na < (n)) refctl__na *= 2; \
		(ptr) = refctl__realloc((ptr), refctl__na * sizeof(*(ptr))); \
		(alloc) = refctl__na; \
	} \
} while (0)

/* Set the thread's last error; returns code so "return refctl__error(...)" reads well. */
int refctl__error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int refctl__error_at(int code, const char *file, unsigned line, unsigned col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int refctl__verror_at(int code, const char *file, unsigned line, unsigned col,
		      const char *fmt, va_list ap);

/* Case-insensitive ASCII compare. */
int refctl__strcasecmp(const char *a, const char *b);

/* Read a whole regular file, at most max bytes (REFCTL_EINVALID beyond). */
struct refctl_buf;
int refctl__read_file(struct refctl_buf *out, const char *path, size_t max);

/* Replace path with data atomically (temporary file, fsync, rename, fsync
 * of the folder). On failure path is as it was, or (only if syncing the
 * folder failed after the rename) already replaced. */
int refctl__write_atomic(const char *path, const char *data, size_t len);

/* Seconds to wait for a lock: REFCTL_LOCK_TIMEOUT, else 10. */
double refctl__lock_timeout(void);

/* Append the first line of text to out. */
void refctl__buf_first_line(struct refctl_buf *out, const char *text);

/* Copy the store's warning (a stale lock taken over) into the options of a
 * write, for the command to show. */
struct refctl_write_opts;
struct refctl_store;
void refctl__keep_warning(struct refctl_write_opts *opts, const struct refctl_store *s);

#define REFCTL_MAX_FILE (1024 * 1024)

#endif
