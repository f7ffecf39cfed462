/* SPDX-License-Identifier: MIT */
/* overlay_api: the public C calls that add overlays to a map: the same route, flow, marker,
 * area and callout a script declares, checked and converted by the kinds' validators
 * (overlay_spec.c) into the map's overlay set, marked as coming from the C API. No drawing and
 * no place resolution happen here. Every call accepts a NULL `err`. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "overlay.h"
#include "util.h"

/* Fails a call made without a map. */
static cor_status_t no_map(const char *call, cor_error_t *err)
{
    return cor__fail(err, COR_ERR_USAGE, "%s: no map", call);
}

/* Marks the overlay just added (on success) as the C API's, for messages. */
static cor_status_t from_c(cor_map_t *map, cor_status_t st, cor_error_t *err)
{
    cor__overlays_t *o = &map->overlays;
    if (st != COR_OK)
        return st;
    if (!(o->items[o->n - 1].file = cor__strdup("(C API)"))) {
        cor__overlays_truncate(o, o->n - 1);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    return COR_OK;
}

/* The size of a spec struct up to and including `field`: the struct as corridor 0.1 made it,
 * the smallest a caller may pass. */
#define SIZE_TO(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* A caller's spec of `size` bytes read into `dst` (`have` bytes, this library's struct): a
 * shorter one, from an older corridor.h, has zeros (defaults) for the fields it lacks; a longer
 * one, from a newer corridor.h, is taken when what this library does not know is zero.
 * Returns: `dst`, or `src` when it is NULL (the validators name that); NULL on failure. */
static const void *spec_in(void *dst, size_t have, const void *src, size_t size, size_t oldest,
                           const char *call, const char *type, cor_error_t *err)
{
    if (!src)
        return dst ? memset(dst, 0, have), NULL : NULL;
    if (size < oldest) {
        cor__fail(err, COR_ERR_USAGE,
                  "%s: a %s of %zu bytes is smaller than any corridor release's (%zu); call %s()"
                  " as corridor.h defines it",
                  call, type, size, oldest, call);
        return NULL;
    }
    const unsigned char *extra = (const unsigned char *)src + have;
    for (size_t i = 0; size > have && i < size - have; i++)
        if (extra[i]) {
            cor__fail(err, COR_ERR_USAGE,
                      "%s: the %s sets fields this corridor %s does not know (built against a"
                      " newer corridor.h?); upgrade the library or leave them zero",
                      call, type, cor_version());
            return NULL;
        }
    memset(dst, 0, have);
    memcpy(dst, src, size < have ? size : have);
    return dst;
}

/* One public add call: the map checked, the spec read at the caller's size, the kind's
 * validator run, the overlay marked as the C API's. */
#define ADD_CALL(kind, type, last)                                                                 \
    cor_status_t cor_map_add_##kind##_sized(cor_map_t *map, const type *spec, cor_error_t *err,    \
                                            size_t size)                                           \
    {                                                                                              \
        if (!map)                                                                                  \
            return no_map("cor_map_add_" #kind, err);                                              \
        type copy;                                                                                 \
        const type *s = spec_in(&copy, sizeof copy, spec, size, SIZE_TO(type, last),               \
                                "cor_map_add_" #kind, #type, err);                                 \
        if (spec && !s)                                                                            \
            return COR_ERR_USAGE;                                                                  \
        return from_c(map, cor__overlay_add_##kind(&map->overlays, s, err), err);                  \
    }

ADD_CALL(route, cor_route_t, value)
ADD_CALL(flow, cor_flow_t, labels)
ADD_CALL(marker, cor_marker_t, text)
ADD_CALL(area, cor_area_t, text)
ADD_CALL(callout, cor_callout_t, priority)

cor_status_t cor_map_hide_group(cor_map_t *map, const char *group, cor_error_t *err)
{
    if (!map)
        return no_map("cor_map_hide_group", err);
    if (!group || !*group)
        return cor__fail(err, COR_ERR_USAGE, "hide: group names are non-empty strings, got %s",
                         group ? "an empty one" : "NULL");
    return cor__overlays_hide(&map->overlays, group)
               ? COR_OK
               : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}
