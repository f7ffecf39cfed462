/* SPDX-License-Identifier: MIT */
/* warnings: what a render says besides its result: input it read with a repair (a rebuilt
 * index, text that was not valid UTF-8) and maps that render but are surely wrong (nothing in
 * view, a CRS that turns the view over). A list of one-line messages, each kept once; the
 * library never prints them: callers read them (cor_map_warning) and the CLI writes them to
 * stderr. */
#ifndef COR_WARNINGS_H
#define COR_WARNINGS_H

#include <stddef.h>

#include "util.h"

/* How many warnings a list keeps; when more come, the last one says so. */
#define COR__WARNINGS_MAX 32

typedef struct cor__warnings {
    char **items;
    size_t n, cap;
} cor__warnings_t;

/* Adds a warning unless the list holds the same text already; accepts a NULL list. On memory
 * exhaustion the warning is lost (warnings never fail what they describe). */
void cor__warn(cor__warnings_t *w, const char *fmt, ...) COR__PRINTF(2, 3);

/* Empties the list, for the next render. */
void cor__warnings_clear(cor__warnings_t *w);

#endif
