#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/buf.h"
#include "alloc.h"

char refctl__buf_empty[1];

void refctl_buf_init(struct refctl_buf *b)
{
	b->ptr = refctl__buf_empty;
	b->size = b->asize = 0;
}

void refctl_buf_grow(struct refctl_buf *b, size_t extra)
{
	size_t want = b->size + extra + 1, na;

	if (want <= b->asize)
		return;
	na = b->asize ? b->asize : 64;
	while (na < want)
		na *= 2;
	if (b->asize) {
		b->ptr = refctl__realloc(b->ptr, na);
	} else {
		b->ptr = refctl__malloc(na);
		b->ptr[0] = '\0';
	}
	b->asize = na;
}

void refctl_buf_put(struct refctl_buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	refctl_buf_grow(b, len);
	memcpy(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
}

void refctl_buf_puts(struct refctl_buf *b, const char *s)
{
	refctl_buf_put(b, s, strlen(s));
}

void refctl_buf_putc(struct refctl_buf *b, char c)
{
	refctl_buf_grow(b, 1);
	b->ptr[b->size++] = c;
	b->ptr[b->size] = '\0';
}

void refctl_buf_vprintf(struct refctl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	refctl_buf_grow(b, 64);
	n = vsnprintf(b->ptr + b->size, b->asize - b->size, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->asize - b->size) {
		refctl_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->size, b->asize - b->size, fmt, ap);
	}
	b->size += (size_t)n;
}

void refctl_buf_printf(struct refctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	refctl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void refctl_buf_clear(struct refctl_buf *b)
{
	refctl_buf_truncate(b, 0);
}

void refctl_buf_truncate(struct refctl_buf *b, size_t len)
{
	if (len >= b->size)
		return;
	b->size = len;
	if (b->asize)
		b->ptr[len] = '\0';
}

void refctl_buf_release(struct refctl_buf *b)
{
	if (b->asize)
		free(b->ptr);
	refctl_buf_init(b);
}

char *refctl_buf_detach(struct refctl_buf *b)
{
	char *s = b->asize ? b->ptr : refctl__strdup("");
	refctl_buf_init(b);
	return s;
}
