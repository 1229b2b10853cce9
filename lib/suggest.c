/* "Did you mean": similar words by weighted edit distance (see suggest.h). */
#include <stdlib.h>
#include <string.h>

#include "refctl/suggest.h"
#include "alloc.h"

#define W_SWAP 0
#define W_SUBST 2
#define W_INSERT 1
#define W_DELETE 4

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t refctl_suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d;
	/* three rows of the matrix: two back (for swaps), one back, this one */
	size_t *r0 = refctl__calloc(lb + 1, sizeof(*r0));
	size_t *r1 = refctl__calloc(lb + 1, sizeof(*r1));
	size_t *r2 = refctl__calloc(lb + 1, sizeof(*r2));

	for (size_t j = 0; j <= lb; j++)
		r1[j] = j * W_INSERT;
	for (size_t i = 0; i < la; i++) {
		size_t *t;
		r2[0] = (i + 1) * W_DELETE;
		for (size_t j = 0; j < lb; j++) {
			r2[j + 1] = min3(r1[j] + (a[i] != b[j]) * W_SUBST, /* substitute */
					 r1[j + 1] + W_DELETE,             /* delete a[i] */
					 r2[j] + W_INSERT);                /* insert b[j] */
			if (i > 0 && j > 0 && a[i - 1] == b[j] && a[i] == b[j - 1] && r0[j - 1] + W_SWAP < r2[j + 1])
				r2[j + 1] = r0[j - 1] + W_SWAP;
		}
		t = r0;
		r0 = r1;
		r1 = r2;
		r2 = t;
	}
	d = r1[lb];
	free(r0);
	free(r1);
	free(r2);
	return d;
}

struct scored {
	const char *name;
	size_t score;
};

static int by_score(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Above this, a candidate is not similar enough to suggest (git uses 7). */
#define SIMILAR_ENOUGH 7

void refctl_suggest(struct refctl_buf *out, const char *word, const char *const *candidates)
{
	size_t n = 0, best;
	struct scored *v;

	refctl_buf_clear(out);
	while (candidates[n])
		n++;
	if (!n || !*word)
		return;
	v = refctl__calloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].name = candidates[i];
		/* an abbreviation is as good as it gets */
		v[i].score = !strncmp(candidates[i], word, strlen(word)) ? 0
			     : refctl_suggest_distance(word, candidates[i]) + 1;
	}
	qsort(v, n, sizeof(*v), by_score);
	best = v[0].score;
	if (best <= SIMILAR_ENOUGH)
		for (size_t i = 0; i < n && v[i].score == best; i++)
			refctl_buf_printf(out, "%s%s", i ? "," : "", v[i].name);
	free(v);
}
