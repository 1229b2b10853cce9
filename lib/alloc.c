#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static void oom(size_t n)
{
	fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *refctl__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *refctl__calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *refctl__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *refctl__strdup(const char *s)
{
	return refctl__strndup(s, strlen(s));
}

char *refctl__strndup(const char *s, size_t n)
{
	char *p = refctl__malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
