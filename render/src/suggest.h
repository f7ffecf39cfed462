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

#endif
