/* SPDX-License-Identifier: MIT */
/* map_limits: the table of a map's limits and their checks (see map_limits.h). */
#include "map_limits.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "suggest.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

/* Defaults no honest map reaches; tops from what the libraries can do: cairo's image surfaces
 * stop at 32767 px a side, Lua's allocator and corridor's readers at sizes that fit in memory. */
const cor__limit_row_t cor__limit_rows[COR__LIM_COUNT] = {
    [COR__LIM_RASTER_SIDE] = {"raster-side", "px", "pixels per side of a PNG", 20000, 1,
                              COR__MAX_SIDE_PX},
    [COR__LIM_RASTER_PIXELS] = {"raster-pixels", "pixels", "pixels of a PNG", 200e6, 1,
                                COR__MAX_PIXELS_PX},
    [COR__LIM_SCRIPT_INSTRUCTIONS] = {"script-instructions", "instructions",
                                      "Lua instructions for loading the style, and again for each "
                                      "render",
                                      COR__LIM_DEF_SCRIPT_INSTRUCTIONS, 1e5, 1e12},
    [COR__LIM_SCRIPT_MEMORY] = {"script-memory", "bytes", "memory the Lua scripts may hold",
                                COR__LIM_DEF_SCRIPT_MEMORY, 1 * MIB, 16384 * MIB},
    [COR__LIM_SCRIPT_SECONDS] = {"script-seconds", "s",
                                 "seconds of Lua for loading the style, and again for each render",
                                 COR__LIM_DEF_SCRIPT_SECONDS, 0.1, 86400},
    [COR__LIM_SCRIPT_FILE] =
        {"script-file", "bytes",
         "bytes of a style, overlay or data file (CSV, GeoJSON) a script reads",
         COR__LIM_DEF_SCRIPT_FILE, 1024, 2048 * MIB},
    [COR__LIM_GEOJSON_FILE] = {"geojson-file", "bytes", "bytes of a GeoJSON overlay file", 64 * MIB,
                               1024, 2048 * MIB},
    [COR__LIM_GEOJSON_POSITIONS] = {"geojson-positions", "positions",
                                    "coordinate positions in a GeoJSON overlay", 10e6, 1, 1e9},
};

void cor__limits_default(cor__limits_t *l)
{
    for (size_t i = 0; i < COR__LIM_COUNT; i++)
        l->v[i] = cor__limit_rows[i].def;
}

const cor__limit_row_t *cor__limit_find(const char *name)
{
    for (size_t i = 0; name && i < COR__LIM_COUNT; i++)
        if (strcmp(cor__limit_rows[i].name, name) == 0)
            return &cor__limit_rows[i];
    return NULL;
}

cor_status_t cor__limits_set(cor__limits_t *l, const char *name, double value, cor_error_t *err)
{
    const cor__limit_row_t *r = cor__limit_find(name);
    if (!r) {
        char list[512] = "";
        size_t len = 0;
        cor__nearest_t n;
        cor__nearest_init(&n, name ? name : "");
        for (size_t i = 0; i < COR__LIM_COUNT && len < sizeof list; i++) {
            cor__nearest_offer(&n, cor__limit_rows[i].name);
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                    cor__limit_rows[i].name);
        }
        if (n.best)
            return cor__fail(err, COR_ERR_USAGE, "no limit '%s' (did you mean '%s'? limits: %s)",
                             name ? name : "", n.best, list);
        return cor__fail(err, COR_ERR_USAGE, "no limit '%s' (limits: %s)", name ? name : "", list);
    }
    if (!isfinite(value) || value < r->min || value > r->max)
        return cor__fail(err, COR_ERR_USAGE, "limit %s: %g is outside %g..%g %s", r->name, value,
                         r->min, r->max, r->unit);
    l->v[r - cor__limit_rows] = value;
    return COR_OK;
}

void cor__limit_hint(cor_error_t *err, cor__limit_id_t id)
{
    const cor__limit_row_t *r = &cor__limit_rows[id];
    size_t len = err ? strlen(err->message) : 0;
    if (err && len < sizeof err->message)
        snprintf(err->message + len, sizeof err->message - len,
                 "; raise the limit with --limit %s=N (cor_map_set_limit)", r->name);
}
