/* SPDX-License-Identifier: MIT */
/* script_patterns: what a Lua pattern match may cost, estimated before the sandbox lets
 * string.find, match, gmatch or gsub run. Plain C, no Lua state. */
#ifndef COR_SCRIPT_PATTERNS_H
#define COR_SCRIPT_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

/* Matcher steps (about 4 ns each) a pattern call may take. */
#define COR__PATTERN_COST_MAX 3e8

/* An estimate, erring high, of the steps Lua's matcher may take matching pattern p (m bytes)
 * against the subject s (n bytes) from every start; `anchors` when a leading '^' anchors the
 * pattern (all but gmatch). Returns: the steps, INFINITY when clearly beyond the maximum. */
double cor__pattern_cost(const char *s, size_t n, const char *p, size_t m, bool anchors);

/* The cost of a plain find of p in s: a comparison at each occurrence of its first byte. */
double cor__pattern_plain_cost(const char *s, size_t n, const char *p, size_t m);

/* Returns: true when p holds a character that is special in Lua patterns. */
bool cor__pattern_has_specials(const char *p, size_t m);

#endif
