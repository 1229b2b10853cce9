#ifndef REFCTL_LIB_ALLOC_H
#define REFCTL_LIB_ALLOC_H

#include <stddef.h>

/*
 * Allocation that cannot fail: on exhaustion the process aborts with a
 * message, as git's xmalloc() does. Everything in lib/ uses these. This is
 * the lowest module of lib/: it uses nothing of refctl, so the buffer and
 * every module above it can.
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

#endif
