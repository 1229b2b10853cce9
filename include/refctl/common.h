#ifndef REFCTL_COMMON_H
#define REFCTL_COMMON_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every library function that can fail returns 0 or one of these negative
 * codes; the detail (file, line, column, what was expected) is kept in a
 * per-thread last error, see refctl_error_last().
 */
enum refctl_error {
	REFCTL_OK = 0,
	REFCTL_ERROR = -1,     /* generic failure */
	REFCTL_ENOTFOUND = -2, /* no such advocate, request, root */
	REFCTL_EEXISTS = -3,   /* id or email already taken */
	REFCTL_EINVALID = -4,  /* bad input: YAML, schema, value */
	REFCTL_ELOCKED = -5,   /* repository lock not obtained in time */
	REFCTL_EDIRTY = -6,    /* merge in progress, file modified */
	REFCTL_EGIT = -7,      /* libgit2 failure */
	REFCTL_ENOMEM = -8,
	REFCTL_EIO = -9,       /* file-system failure */
	REFCTL_EUSAGE = -10,   /* bad arguments */
	REFCTL_EREFUSED = -11, /* a program rule refused the change */
};

/*
 * A warning the library has for the user while a call runs (a stale lock
 * taken over), in git's voice without the "warning: " prefix; payload is
 * the caller's, given beside the callback.
 */
typedef void (*refctl_warn_fn)(const char *msg, void *payload);

/* The last error of this thread, formatted "FILE:LINE:COL: MSG" or "MSG". */
const char *refctl_error_last(void);
/* Its location, if any: file (or NULL), line and column (0 when unknown). */
const char *refctl_error_last_file(void);
unsigned refctl_error_last_line(void);
unsigned refctl_error_last_col(void);
/* The message without location. */
const char *refctl_error_last_message(void);
void refctl_error_clear(void);

const char *refctl_version(void);

#endif
