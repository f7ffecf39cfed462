/* SPDX-License-Identifier: MIT */
/* mapdef: the map{} settings of a style, described by one table. Each row says how a key is
 * written (its kind, range, unit, nesting) and where its value lives, so that reading,
 * checking, merging (include, a later map{}) and freeing all follow the table: adding a setting
 * is a field here, a row in mapdef.c and a line of documentation. Plain C: no Lua. */
#ifndef COR_MAPDEF_H
#define COR_MAPDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"

/* The map{} settings of a style. Each value has a `has_` flag or, for text, is non-NULL when
 * given; what is not given leaves the renderer's own default. */
typedef struct cor__mapdef {
    char *crs;
    bool has_extent;
    cor_bbox_t extent;
    bool has_focus;
    cor_bbox_t focus; /* the part of the extent a page of another shape may not crop */
    bool has_page;
    double width_pt, height_pt, dpi;
    bool has_background;
    cor_color_t background;
    char *title, *subtitle, *credits;
    char *date; /* shown with the credits */
    /* Map furniture. Corners are stored as written, in lower case: "auto", "top-left",
     * "top-right", "bottom-left", "bottom-right", or "none" for false (cor__corner_parse reads
     * them all). */
    bool has_graticule;
    double graticule; /* degrees between lines; 0 for true (automatic); -1 for false (none) */
    char *scalebar;   /* corner */
    bool has_north_arrow, north_arrow;
    char *legend; /* corner */
    char *legend_title;
    char *flow_unit; /* after the numbers of the legend's flow-width scale ("people") */
    char *inset;     /* corner ("auto" when only the table form without position is given) */
    char *inset_crs;
    bool has_inset_extent;
    cor_bbox_t inset_extent; /* lon/lat degrees */
    char **inset_highlight;  /* ISO codes of countries to highlight; owned */
    size_t ninset_highlight;
    bool has_inset_highlight; /* given, maybe as an empty list */
    char **inset_layers;      /* layers the inset draws, bottom first; owned */
    size_t ninset_layers;
    bool has_inset_layers;
    char *inset_highlight_layer; /* the layer of inset_layers whose features highlight picks */
    char *inset_highlight_field; /* the attribute highlight compares ("iso_a2") */
    bool has_inset_width;
    double inset_width; /* pt; 0 when not given */
    bool has_flow_max_width, has_flow_min_width;
    double flow_max_width, flow_min_width; /* pt, 0..100 */
    bool has_flow_scale;                   /* flow_scale = { value = v, width = w } was given */
    bool has_flow_scale_value, has_flow_scale_width;
    double flow_scale_value, flow_scale_width; /* a flow of this value is this wide, pt */
    char *label_font;                          /* default font family for the map */
} cor__mapdef_t;

/* How a setting is written, and what it is stored as. */
typedef enum cor__mapkey_kind {
    COR__MK_STRING,    /* char *: any string; false stores "" (none, over an included style) */
    COR__MK_NAME,      /* char *: a non-empty string of at most `max` bytes (0: any length) */
    COR__MK_NUMBER,    /* double in lo..hi, flag at `has` */
    COR__MK_BOOL,      /* bool, flag at `has` */
    COR__MK_COLOR,     /* cor_color_t from a colour string, flag at `has` */
    COR__MK_CORNER,    /* char *: a corner name, true ("auto") or false ("none") */
    COR__MK_EXTENT,    /* cor_bbox_t {west, south, east, north} in degrees, flag at `has` */
    COR__MK_LIST,      /* char ** of non-empty strings, count at `count`, at most `max`, flag at
                          `has` */
    COR__MK_PAGE,      /* "size" with "dpi": the page, flag at `has` (width_pt, height_pt, dpi) */
    COR__MK_PAGE_DPI,  /* "dpi": read with "size" */
    COR__MK_GRATICULE, /* true, false or degrees between lines, flag at `has` */
    COR__MK_INSET,     /* a corner, or a table of the settings whose table is "inset" */
    COR__MK_TABLE,     /* a table of the settings whose table is this key, flag at `has` */
} cor__mapkey_kind_t;

#define COR__MK_NONE ((size_t)-1) /* no flag or count field */

/* One setting. */
typedef struct cor__mapkey {
    const char *table; /* "map" for map{} itself, "inset" for the keys of inset = { ... },
                          "flow_scale" for those of flow_scale = { ... } */
    const char *key;
    cor__mapkey_kind_t kind;
    size_t field; /* offsetof(cor__mapdef_t, ...) of the value */
    size_t has;   /* offsetof the bool that says it was given, or COR__MK_NONE */
    size_t count; /* lists: offsetof the count */
    double lo, hi;
    const char *unit;  /* numbers: written after the range in messages (" pt") */
    size_t max;        /* names: most bytes; lists: most entries; 0: no limit */
    const char *items; /* lists: what the entries are, plural ("country codes") */
    const char *item;  /* lists: one entry, with an example ("a country code such as \"BY\"") */
    const char *doc;   /* one line for the documentation */
} cor__mapkey_t;

/* The settings in the order they are read (so the first mistake is the one reported).
 * Returns: the table and its length in *n. */
const cor__mapkey_t *cor__mapkeys(size_t *n);

/* The name of the i-th setting of `table` ("map" or "inset"), in table order.
 * Returns: a static string; NULL when i is past the last. */
const char *cor__mapkey_name(const char *table, size_t i);

/* Returns: true when the setting `k` is given in `m`. */
bool cor__mapdef_given(const cor__mapdef_t *m, const cor__mapkey_t *k);

/* Moves every setting `s` gives into `d`, which keeps the others (a later map{} changes what
 * an earlier one, or an included style, set); what moved is no longer owned by `s`. */
void cor__mapdef_merge(cor__mapdef_t *d, cor__mapdef_t *s);

/* Checks what the settings of one map{} say together (flow_min_width <= flow_max_width; a
 * flow_scale gives both its value and its width, each above 0).
 * Returns: true when consistent; false with the reason in `why`. */
bool cor__mapdef_check(const cor__mapdef_t *m, char *why, size_t whysize);

/* Releases what the settings own and zeroes them. */
void cor__mapdef_clear(cor__mapdef_t *m);

#endif
