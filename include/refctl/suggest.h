#ifndef REFCTL_SUGGEST_H
#define REFCTL_SUGGEST_H

/*
 * "Did you mean": the candidates most similar to a mistyped word, in the
 * manner of git's help.c (a weighted Damerau-Levenshtein distance, where
 * swapping two neighbours is cheap and dropping a letter dear), so that
 * 'lsit' suggests list and 'reqest' request.
 */

#include <stddef.h>
#include "refctl/buf.h"

/*
 * The weighted edit distance from a to b: swap 0, substitution 2,
 * insertion 1, deletion 4 (git's weights).
 */
size_t refctl_suggest_distance(const char *a, const char *b);

/*
 * The candidates (NULL-terminated) close enough to word to suggest, best
 * first, comma-separated into out (empty when none is close). A candidate
 * that starts with word counts as close (an abbreviation).
 */
void refctl_suggest(struct refctl_buf *out, const char *word, const char *const *candidates);

#endif
