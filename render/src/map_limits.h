/* SPDX-License-Identifier: MIT */
/* map_limits: the sizes and counts beyond which a map refuses its input or output with
 * COR_ERR_LIMIT, set so that no honest map reaches them, and raisable per map up to what the
 * machine's libraries can do (cor_map_set_limit, corridor render --limit NAME=VALUE). One table:
 * a new limit is one row here and the one place that enforces it. */
#ifndef COR_MAP_LIMITS_H
#define COR_MAP_LIMITS_H

#include <stddef.h>

#include "corridor.h"

/* Defaults that a module also needs as a constant (one place for each number). */
#define COR__LIM_DEF_SCRIPT_MEMORY       ((size_t)64 << 20)
#define COR__LIM_DEF_SCRIPT_INSTRUCTIONS 200000000LL
#define COR__LIM_DEF_SCRIPT_SECONDS      10.0
#define COR__LIM_DEF_SCRIPT_FILE         ((size_t)16 << 20)

typedef enum cor__limit_id {
    COR__LIM_RASTER_SIDE,   /* pixels per side of a PNG */
    COR__LIM_RASTER_PIXELS, /* pixels of a PNG */
    COR__LIM_SCRIPT_INSTRUCTIONS,
    COR__LIM_SCRIPT_MEMORY,
    COR__LIM_SCRIPT_SECONDS,
    COR__LIM_SCRIPT_FILE, /* bytes of a style, overlay or data file a script reads */
    COR__LIM_GEOJSON_FILE,
    COR__LIM_GEOJSON_POSITIONS,
    COR__LIM_COUNT
} cor__limit_id_t;

/* One limit: its name in messages and on the command line, its unit, what it bounds, its
 * default, and the range it may be set to (the top is what the libraries can do). */
typedef struct cor__limit_row {
    const char *name, *unit, *what;
    double def, min, max;
} cor__limit_row_t;

extern const cor__limit_row_t cor__limit_rows[COR__LIM_COUNT];

/* A map's limits, each a value within its row's range. */
typedef struct cor__limits {
    double v[COR__LIM_COUNT];
} cor__limits_t;

/* Fills `l` with every row's default. */
void cor__limits_default(cor__limits_t *l);

/* Sets the limit named `name` to `value`.
 * Returns: COR_OK; COR_ERR_USAGE for an unknown name (with the nearest and the list) or a value
 * outside the row's range (giving it). */
cor_status_t cor__limits_set(cor__limits_t *l, const char *name, double value, cor_error_t *err);

/* Returns: the row named `name`, NULL for none. */
const cor__limit_row_t *cor__limit_find(const char *name);

/* The message of a limit that was hit: "... (limit raster-pixels: 200000000 pixels; raise it
 * with --limit raster-pixels=N)". Appended to `err`'s message. Accepts a NULL err. */
void cor__limit_hint(cor_error_t *err, cor__limit_id_t id);

#endif
