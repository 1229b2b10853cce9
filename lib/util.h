#ifndef REFCTL_LIB_UTIL_H
#define REFCTL_LIB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include "refctl/common.h"
#include "alloc.h"

/* Set the thread's last error; returns code so "return refctl__error(...)" reads well. */
int refctl__error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int refctl__error_at(int code, const char *file, unsigned line, unsigned col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int refctl__verror_at(int code, const char *file, unsigned line, unsigned col,
		      const char *fmt, va_list ap);

/* The thread's last error kept aside, and put back (freeing what the
 * first returned): around work whose errors are not the caller's (the
 * parse cache's own reads), so they never replace one the caller has. */
void *refctl__error_save(void);
void refctl__error_restore(void *saved);

/* Case-insensitive ASCII compare. */
int refctl__strcasecmp(const char *a, const char *b);

/*
 * Read a whole regular file, at most max bytes (REFCTL_EINVALID beyond).
 * Anything else (a symbolic link, FIFO, socket, device, folder) is
 * REFCTL_EINVALID, "PATH: not a regular file (a FIFO)", and is never
 * opened: reading never blocks and never follows a link.
 */
struct refctl_buf;
int refctl__read_file(struct refctl_buf *out, const char *path, size_t max);
/* "a FIFO", "a symbolic link", ... for a st_mode. */
const char *refctl__file_kind(unsigned mode);
/* Set the error for path, which is not a regular file but mode; returns REFCTL_EINVALID. */
int refctl__not_regular(const char *path, unsigned mode);

/* Replace path with data atomically (temporary file, fsync, rename, fsync
 * of the folder). On failure path is as it was, or (only if syncing the
 * folder failed after the rename) already replaced. */
int refctl__write_atomic(const char *path, const char *data, size_t len);

/* Seconds to wait for a lock: REFCTL_LOCK_TIMEOUT, else 10. */
double refctl__lock_timeout(void);

/* Append the first line of text to out. */
void refctl__buf_first_line(struct refctl_buf *out, const char *text);

/* Pass the store's warning (a stale lock taken over) to the warning
 * callback of a write's options, if there is one of each. */
struct refctl_write_opts;
struct refctl_store;
void refctl__pass_warning(const struct refctl_write_opts *opts, const struct refctl_store *s);

/* Stage rec and commit it: subject, then body, then the options' message
 * (-m) as the last paragraph of the body. */
struct refctl_txn;
struct refctl_record;
int refctl__txn_commit_record(struct refctl_txn *t, struct refctl_record *rec, const char *subject,
			      const char *body, const struct refctl_write_opts *opts);

#define REFCTL_MAX_FILE (1024 * 1024)

/*
 * Advocate files are advocates/ID.yaml. The length of ID when name is such
 * a file's name (not hidden, with a stem before ".yaml"), else 0.
 */
size_t refctl__advocate_file_stem(const char *name);
/* "advocates/ID.yaml" (relative to root when root is not NULL) into out. */
void refctl__advocate_path(struct refctl_buf *out, const char *root, const char *id);

#endif
