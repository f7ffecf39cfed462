/* SPDX-License-Identifier: MIT */
/* utf8: checking, decoding and folding UTF-8 text. */
#ifndef COR_UTF8_H
#define COR_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Returns: true when s[0..n) is valid UTF-8. */
bool cor__utf8_valid(const char *s, size_t n);

/* Appends s[0..n) to b (not NUL-terminated) with each maximal ill-formed subpart and each NUL
 * byte replaced by one U+FFFD, as Unicode recommends, adding the replacements to *replaced
 * (which may be NULL). Returns: false on exhaustion. */
bool cor__utf8_append_repaired(cor__buf_t *b, const char *s, size_t n, size_t *replaced);

/* Decodes the code point at *p and moves *p past it; a malformed sequence gives what its lead
 * byte and the continuation bytes that follow it hold, and *p stops at the first byte that is
 * not a continuation, so decoding never runs past a NUL. Returns: the code point. */
unsigned cor__utf8_next(const char **p);

/* Folds a UTF-8 string for name matching: lower case, Latin diacritics removed
 * ("Klaipėda" -> "klaipeda", "Šiauliai" -> "siauliai"), other bytes kept.
 * Returns: malloc'd folded string, NULL on exhaustion. */
char *cor__fold(const char *utf8);

#endif
