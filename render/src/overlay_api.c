/* overlay_api: the public C calls that add overlays to a map: the same route, flow, marker,
 * area and callout a script declares, checked and converted by the kinds' validators
 * (overlay_spec.c) into the map's overlay set, marked as coming from the C API. No drawing and
 * no place resolution happen here. Every call accepts a NULL `err`. */
#include <stdlib.h>

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

cor_status_t cor_map_add_route(cor_map_t *map, const cor_route_t *r, cor_error_t *err)
{
    return map ? from_c(map, cor__overlay_add_route(&map->overlays, r, err), err)
               : no_map("cor_map_add_route", err);
}

cor_status_t cor_map_add_flow(cor_map_t *map, const cor_flow_t *f, cor_error_t *err)
{
    return map ? from_c(map, cor__overlay_add_flow(&map->overlays, f, err), err)
               : no_map("cor_map_add_flow", err);
}

cor_status_t cor_map_add_marker(cor_map_t *map, const cor_marker_t *m, cor_error_t *err)
{
    return map ? from_c(map, cor__overlay_add_marker(&map->overlays, m, err), err)
               : no_map("cor_map_add_marker", err);
}

cor_status_t cor_map_add_area(cor_map_t *map, const cor_area_t *a, cor_error_t *err)
{
    return map ? from_c(map, cor__overlay_add_area(&map->overlays, a, err), err)
               : no_map("cor_map_add_area", err);
}

cor_status_t cor_map_add_callout(cor_map_t *map, const cor_callout_t *c, cor_error_t *err)
{
    return map ? from_c(map, cor__overlay_add_callout(&map->overlays, c, err), err)
               : no_map("cor_map_add_callout", err);
}

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
