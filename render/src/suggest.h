/* SPDX-License-Identifier: MIT */
/* suggest: how far one name is from another, for "did you mean" messages: the optimal string
 * alignment distance (Levenshtein plus swaps of neighbours) over code points. One measure for
 * every suggestion corridor makes: style keys, place names, layer names. */
#ifndef COR_SUGGEST_H
#define COR_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

/* Names longer than this many code points are not compared. */
#define COR__SUGGEST_CP_MAX 128

/* The distance between the code point strings a[0..n) and b[0..m).
 * Returns: the number of edits; SIZE_MAX when n or m exceeds COR__SUGGEST_CP_MAX. */
size_t cor__edit_distance_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m);

/* The distance between two UTF-8 names, ignoring ASCII case.
 * Returns: the number of edits; SIZE_MAX when either is longer than COR__SUGGEST_CP_MAX. */
size_t cor__edit_distance(const char *a, const char *b);

/* The nearest of several names to a query, offered one by one: a name counts only when it is
 * near enough to be a likely typo (at most 1 edit for queries of 3 code points or fewer, else at
 * most 2); ties keep the first offered. The one policy behind corridor's "did you mean". */
typedef struct cor__nearest {
    const char *query;
    const char *best; /* the nearest name offered so far, NULL for none near enough */
    size_t best_d;
} cor__nearest_t;

/* Starts a search for names near `query` (which must outlive the search). */
void cor__nearest_init(cor__nearest_t *n, const char *query);
/* Offers a name (kept by pointer: it must outlive the search). An exact match ends the search:
 * best is the name and best_d 0. */
void cor__nearest_offer(cor__nearest_t *n, const char *name);

#endif
