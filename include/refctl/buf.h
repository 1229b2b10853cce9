#ifndef REFCTL_BUF_H
#define REFCTL_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable, always NUL-terminated byte buffer (git's strbuf). ptr is
 * never NULL: an empty buffer points at a shared empty string.
 */
struct refctl_buf {
	char *ptr;
	size_t size;
	size_t asize;
};

extern char refctl__buf_empty[];
#define REFCTL_BUF_INIT { refctl__buf_empty, 0, 0 }

void refctl_buf_init(struct refctl_buf *b);
void refctl_buf_grow(struct refctl_buf *b, size_t extra);
void refctl_buf_put(struct refctl_buf *b, const void *data, size_t len);
void refctl_buf_puts(struct refctl_buf *b, const char *s);
void refctl_buf_putc(struct refctl_buf *b, char c);
void refctl_buf_printf(struct refctl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void refctl_buf_vprintf(struct refctl_buf *b, const char *fmt, va_list ap);
void refctl_buf_clear(struct refctl_buf *b);
void refctl_buf_truncate(struct refctl_buf *b, size_t len);
void refctl_buf_release(struct refctl_buf *b);
/* Hand the string to the caller (free() it); the buffer is reset. */
char *refctl_buf_detach(struct refctl_buf *b);

#endif
