/* SPDX-License-Identifier: MIT */
/* warnings: the lines a reader or a render leaves for whoever shows a map that was drawn in
 * spite of something (invalid text replaced, an index rebuilt): one line each, naming the file,
 * each line kept once, at most COR__WARNINGS_MAX. The library never prints them; the CLI does. */
#ifndef COR_WARNINGS_H
#define COR_WARNINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define COR__WARNINGS_MAX 100 /* lines kept; later ones are counted in the last line */

/* Zero-initialise; release with cor__warnings_clear(). */
typedef struct cor__warnings {
    char **lines;
    size_t n, cap;
    size_t dropped; /* lines not kept: past COR__WARNINGS_MAX, and the one the count replaced */
} cor__warnings_t;

/* Adds a formatted line (new lines in it become spaces) unless the same line is there.
 * Returns: false on exhaustion (the line is lost, nothing else changes). */
bool cor__warnings_add(cor__warnings_t *w, const char *fmt, ...) COR__PRINTF(2, 3);
/* Adds every line of `from` that `w` lacks. Returns: false on exhaustion. */
bool cor__warnings_merge(cor__warnings_t *w, const cor__warnings_t *from);
/* Returns: line i (borrowed), NULL past the last. */
const char *cor__warnings_get(const cor__warnings_t *w, size_t i);
/* Frees the lines, leaving an empty list. */
void cor__warnings_clear(cor__warnings_t *w);

#endif
