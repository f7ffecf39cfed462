/* SPDX-License-Identifier: MIT */
/* style: what a feature looks like. The style model a style file fills in (map settings and
 * layers whose properties are constants or per-feature functions), defaults per geometry kind,
 * and resolution of a layer's properties for one feature into a plain look for painting.
 * Plain C: per-feature functions are evaluated through a callback the script module provides. */
#ifndef COR_STYLE_H
#define COR_STYLE_H

#include <stdbool.h>

#include "corridor.h"
#include "geom.h"
#include "mapdef.h"

typedef enum cor__marker {
    COR__MARKER_NONE = 0,
    COR__MARKER_CIRCLE,
    COR__MARKER_SQUARE,
    COR__MARKER_TRIANGLE,
    COR__MARKER_DIAMOND,
    COR__MARKER_STAR,
    COR__MARKER_CROSS,
    COR__MARKER_CAPITAL, /* a dot in a ring, for capital cities */
    COR__MARKER_PORT,    /* an anchor */
    COR__MARKER_MINE,    /* crossed hammer and pick */
    COR__MARKER_BORDER,  /* a border crossing: a barrier gate */
    COR__MARKER_AIRPORT, /* an aeroplane */
    COR__MARKER_RAIL,    /* a railway station: a rail track symbol */
    COR__MARKER_COUNT
} cor__marker_t;

/* Returns: true and the marker for a name ("circle", "square", ...); false for unknown names. */
bool cor__marker_parse(const char *name, cor__marker_t *out);
const char *cor__marker_name(cor__marker_t m);

typedef enum { COR__CAP_BUTT = 0, COR__CAP_ROUND, COR__CAP_SQUARE } cor__cap_t;
typedef enum { COR__JOIN_MITER = 0, COR__JOIN_ROUND, COR__JOIN_BEVEL } cor__join_t;

#define COR__DASH_MAX 8

/* pt: the casing_width of a casing given without one, for layers and overlays alike. */
#define COR__CASING_WIDTH 1.0

/* A resolved look, in page points. Painting reads only this. */
typedef struct cor__look {
    bool fill_on;
    cor_color_t fill;
    bool stroke_on;
    cor_color_t stroke;
    double width; /* stroke width, pt */
    double dash[COR__DASH_MAX];
    int ndash; /* 0: solid */
    cor__cap_t cap;
    cor__join_t join;
    bool casing_on;
    cor_color_t casing;
    double casing_width; /* the casing is drawn at width + casing_width under the stroke, pt */
    double opacity;      /* multiplies every alpha, 0..1 */
    cor__marker_t marker;
    double size; /* marker diameter, pt */
    bool hatch;  /* polygons: diagonal hatching in the fill colour instead of a solid fill */
} cor__look_t;

/* Every property a layer may set. Each may be a constant or a function of the feature. */
typedef enum cor__prop_id {
    COR__P_FILL = 0, /* colour or false/"none" */
    COR__P_STROKE,   /* colour or false/"none" */
    COR__P_WIDTH,    /* pt */
    COR__P_DASH,     /* list of pt, e.g. {6, 3} */
    COR__P_OPACITY,
    COR__P_CAP,          /* "butt" | "round" | "square" */
    COR__P_JOIN,         /* "miter" | "round" | "bevel" */
    COR__P_CASING,       /* colour */
    COR__P_CASING_WIDTH, /* pt, added to the stroke width */
    COR__P_MARKER,       /* marker name */
    COR__P_SIZE,         /* marker diameter, pt */
    COR__P_FILTER,       /* false/nil hides the feature */
    COR__P_LABEL,        /* text, "{field}" templates expanded */
    COR__P_LABEL_SIZE,   /* pt */
    COR__P_LABEL_COLOR,
    COR__P_LABEL_FONT, /* e.g. "bold", "italic", "bold italic" */
    COR__P_HALO,       /* colour */
    COR__P_HALO_WIDTH, /* pt */
    COR__P_PRIORITY,   /* higher places first */
    COR__P_HATCH,      /* polygons: true hatches in the fill colour instead of filling */
    COR__P_COUNT
} cor__prop_id_t;

/* The name of a property as written in a style file ("fill", "casing_width"). */
const char *cor__prop_name(cor__prop_id_t id);
/* Returns: true and the id for a style-file key. */
bool cor__prop_lookup(const char *key, cor__prop_id_t *out);

#define COR__LIST_MAX 8

typedef enum {
    COR__PV_NIL = 0,
    COR__PV_STRING,
    COR__PV_NUMBER,
    COR__PV_BOOL,
    COR__PV_LIST
} cor__pv_type_t;

/* A property value. `str` is owned (free with cor__pval_clear). */
typedef struct cor__pval {
    cor__pv_type_t type;
    char *str;
    double num;
    bool b;
    double list[COR__LIST_MAX];
    int nlist;
} cor__pval_t;

void cor__pval_clear(cor__pval_t *v);

/* Returns: true when property `id` can hold a value of `type` at all (before range checks):
 * colours take strings (fill, stroke, casing and halo also false), numbers take numbers, dash a
 * list or false, marker a string or false, label a string, number or false, hatch a boolean,
 * filter anything. */
bool cor__prop_accepts(cor__prop_id_t id, cor__pv_type_t type);
/* Returns: what property `id` accepts, for messages ("a number", "a colour or false"); static. */
const char *cor__prop_expects(cor__prop_id_t id);
/* Checks a value for property `id`: its type, colours parse, lengths 0..100 pt, opacity 0..1,
 * dash entries > 0, cap/join/marker names. A nil value is valid (it means "not set").
 * Returns: true when valid; false with a reason in `why` ("'blu' is not a colour"). */
bool cor__prop_check(cor__prop_id_t id, const cor__pval_t *v, char *why, size_t whysize);

/* A property: unset, a constant, or a function (a handle the script module understands). */
typedef struct cor__prop {
    bool set;
    bool dynamic;
    int ref;         /* when dynamic: the script's handle for the function */
    cor__pval_t val; /* when constant */
} cor__prop_t;

/* One layer of a style. */
typedef struct cor__layer_style {
    char *name;     /* for messages and legends: the `name` key, else the source */
    char *source;   /* as written: a geodata layer name ("countries") or a path */
    char *base_dir; /* directory of the style file, for relative sources */
    char *file;     /* the style file that declared the layer, for messages; NULL when none */
    int line;       /* line of the declaration in the style file, 0 when unknown */
    double order;   /* drawing order; ties keep declaration order */
    cor__prop_t props[COR__P_COUNT];
    char *legend; /* legend text, NULL when the layer has no legend entry */
    char *group;  /* overlay group the layer belongs to (hidden with it), NULL for none */
    char *crs;    /* the source's CRS as the style names it (over its .prj), NULL for none */
} cor__layer_style_t;

typedef struct cor__style {
    char *path; /* the style file, NULL for a map built from bare layers */
    cor__mapdef_t map;
    cor__layer_style_t *layers;
    size_t nlayers, cap_layers;
} cor__style_t;

/* Appends a zeroed layer. Returns: the layer, or NULL on exhaustion. */
cor__layer_style_t *cor__style_add_layer(cor__style_t *s);
/* Releases everything the style owns (not the struct itself) and zeroes it. */
void cor__style_clear(cor__style_t *s);
/* Sorts layers by order, keeping declaration order for ties. */
void cor__style_sort(cor__style_t *s);

/* Evaluates a dynamic property for a feature (implemented by the script module). */
typedef cor_status_t (*cor__prop_eval_fn)(void *ctx, const cor__prop_t *prop,
                                          const cor__feature_t *f, cor__pval_t *out,
                                          cor_error_t *err);

/* The look a layer gets for features of `kind` when nothing is set: `variant` picks one of a few
 * distinct palettes so several quick-look layers stay apart. */
void cor__look_default(cor__geom_kind_t kind, int variant, cor__look_t *look);

/* Applies a value checked with cor__prop_check (not nil) for property `id` to a look: colours,
 * widths, dash, cap, join, opacity, casing, marker, size and hatch; label and filter properties
 * do not belong to the look and are ignored. */
void cor__look_apply(cor__look_t *look, cor__prop_id_t id, const cor__pval_t *v);

/* Resolves layer `ls` for feature `f`: starts from `base`, applies every set property
 * (calling `eval` for functions), and checks values (colours parse, widths 0..100 pt).
 * *visible is false when the filter rejects the feature.
 * Returns: COR_OK; COR_ERR_STYLE naming the layer, property and value when one is wrong. */
cor_status_t cor__style_resolve(const cor__layer_style_t *ls, const cor__look_t *base,
                                const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                                cor__look_t *look, bool *visible, cor_error_t *err);

/* Resolves one property to a value (constant copied, function evaluated). out->type is
 * COR__PV_NIL when the property is unset. Returns: COR_OK or eval's error. */
cor_status_t cor__style_value(const cor__layer_style_t *ls, cor__prop_id_t id,
                              const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                              cor__pval_t *out, cor_error_t *err);

/* Expands "{field}" references in `tmpl` from the feature's attributes (numbers without
 * trailing zeros, nulls as empty). Returns: malloc'd text, NULL on exhaustion. */
char *cor__style_expand(const char *tmpl, const cor__feature_t *f);

#endif
