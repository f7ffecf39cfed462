/* SPDX-License-Identifier: MIT */
/* project: PROJ behind the small interface of project.h. Each cor__proj_t owns one PJ_CONTEXT whose
 * log hook keeps PROJ's last error for our messages, so nothing reaches stderr. CRSs are reduced to
 * the 2D horizontal CRS a map is drawn in; transforms are normalised so x is east/longitude.
 * PROJ types never leave this file, and nothing here knows about layers, styles or drawing. */
#include "project.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>
#include <proj.h>
#include <proj_experimental.h>

#include "utf8.h"
#include "util.h"

#define LOG_MAX        512 /* bytes of PROJ's last error message kept */
#define QUOTE_MAX      60  /* bytes of a definition quoted in an error message */
#define REASON_MAX     200 /* bytes of PROJ's reason quoted in an error message */
#define BOUNDS_DENSIFY 21  /* points per box edge for proj_trans_bounds, as PROJ recommends */
#define EDGE_SAMPLES   512 /* points per box edge when widening PROJ's box to the edges */
#define IDENTIFY_MIN   70  /* lowest proj_identify confidence accepted as a match */
#define NESTING_MAX    4   /* compound / bound CRSs unwrapped before giving up */
#define WGS84_A        6378137.0
#define WGS84_INV_F    298.257223563
#define ELLIPSIS       "\xe2\x80\xa6"

/* CRSs already parsed in this context, by definition text: PROJ parses a .prj or "EPSG:4326"
 * with queries to its database, while cloning the result does not. */
#define MEMO_MAX 16

typedef struct crs_memo {
    char *input; /* the text given to proj_create */
    PJ *pj;      /* the 2D CRS it gave */
} crs_memo_t;

/* Transformations already made between memorised CRSs: creating one queries the database. */
typedef struct op_memo {
    const char *src, *dst; /* the memo inputs of the two CRSs */
    PJ *op;                /* NULL: the identity */
} op_memo_t;

struct cor__proj {
    PJ_CONTEXT *ctx;
    struct geod_geodesic wgs84;
    char last_log[LOG_MAX]; /* PROJ's last error since clear_log(), "" when none */
    crs_memo_t memo[MEMO_MAX];
    size_t nmemo;
    op_memo_t ops[MEMO_MAX];
    size_t nops;
};

struct cor__crs {
    cor__proj_t *p;
    PJ *pj;          /* a geographic 2D or projected 2D CRS */
    const char *key; /* its memo input (owned by p), NULL when not memorised */
};

struct cor__xform {
    cor__proj_t *p;
    PJ *pj;         /* src -> dst normalised for visualisation; NULL for an identity */
    char *src_name; /* for error messages */
    char *dst_name;
};

/* ---- messages ---- */

/* PROJ's log hook: keeps the last error, drops everything else. */
static void keep_log(void *data, int level, const char *msg)
{
    cor__proj_t *p = data;
    if (level > PJ_LOG_ERROR || msg == NULL)
        return;
    snprintf(p->last_log, sizeof p->last_log, "%s", msg);
}

static void clear_log(cor__proj_t *p)
{
    p->last_log[0] = '\0';
}

/* Returns: the byte length of the UTF-8 character at s, 0 when it is not valid UTF-8. */
static size_t utf8_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (len > 1 && (strnlen(s, len) < len || !cor__utf8_valid(s, len)))
        return 0;
    return len;
}

/* Copies s into out[size] as one line for a message: runs of white space and control characters
 * become one space, bytes that are not UTF-8 become '?', and text beyond `max` bytes is cut on a
 * character boundary and marked with "…". `size` must exceed max + 3. */
static void one_line(const char *s, size_t max, char *out, size_t size)
{
    size_t o = 0;
    bool gap = false;
    while (*s && o < size) {
        size_t len = utf8_len(s);
        if ((unsigned char)*s <= ' ' || *s == 0x7f) {
            gap = o > 0;
            s++;
            continue;
        }
        if (o + gap + (len ? len : 1) > max) {
            memcpy(out + o, ELLIPSIS, sizeof ELLIPSIS);
            return;
        }
        if (gap)
            out[o++] = ' ';
        gap = false;
        memcpy(out + o, len ? s : "?", len ? len : 1);
        o += len ? len : 1;
        s += len ? len : 1;
    }
    out[o] = '\0';
}

/* Quotes a definition or a name: one line, at most QUOTE_MAX bytes. */
static void quote(const char *s, char out[QUOTE_MAX + 4])
{
    one_line(s, QUOTE_MAX, out, QUOTE_MAX + 4);
}

/* Returns: PROJ's message without the "proj_create: " and "Error 1027 (...): " prefixes it adds. */
static const char *bare_reason(const char *log)
{
    const char *colon = strstr(log, ": ");
    if (strncmp(log, "proj_", 5) == 0 && colon && strcspn(log, " ") == (size_t)(colon - log) + 1)
        log = colon + 2;
    if (strncmp(log, "Error ", 6) == 0 && (colon = strstr(log, "): ")) != NULL)
        log = colon + 3;
    return log;
}

/* Fails with COR_ERR_CRS: "<what>: <why> (PROJ: <PROJ's last error>)", the last part only when
 * PROJ logged an error since clear_log(). */
static cor_status_t proj_fail(cor__proj_t *p, cor_error_t *err, const char *what, const char *why)
{
    char reason[REASON_MAX + 4];
    one_line(bare_reason(p->last_log), REASON_MAX, reason, sizeof reason);
    if (reason[0])
        return cor__fail(err, COR_ERR_CRS, "%s: %s (PROJ: %s)", what, why, reason);
    return cor__fail(err, COR_ERR_CRS, "%s: %s", what, why);
}

/* Fails with COR_ERR_CRS quoting the (shortened) definition. */
static cor_status_t crs_fail(cor__proj_t *p, cor_error_t *err, const char *def, const char *why)
{
    char quoted[QUOTE_MAX + 4];
    char what[QUOTE_MAX + 16];
    quote(def, quoted);
    snprintf(what, sizeof what, "CRS \"%s\"", quoted);
    return proj_fail(p, err, what, why);
}

static cor_status_t nomem(cor_error_t *err, const char *what)
{
    return cor__fail(err, COR_ERR_NOMEM, "out of memory for %s", what);
}

/* ---- the context ---- */

cor_status_t cor__proj_new(cor__proj_t **out, cor_error_t *err)
{
    cor__proj_t *p = cor__calloc(1, sizeof *p);
    const char *why = "cannot create a context";
    if (!p)
        return nomem(err, "a PROJ context");
    if (!(p->ctx = proj_context_create()))
        goto fail;
    proj_log_func(p->ctx, p, keep_log);
    proj_log_level(p->ctx, PJ_LOG_ERROR);
    /* Open proj.db now, so a broken installation is reported here rather than as "unknown CRS". */
    why = "cannot open its database proj.db (is proj-data installed?)";
    if (!proj_context_get_database_path(p->ctx))
        goto fail;
    geod_init(&p->wgs84, WGS84_A, 1 / WGS84_INV_F);
    *out = p;
    return COR_OK;
fail:
    proj_fail(p, err, "PROJ", why);
    if (p->ctx)
        proj_context_destroy(p->ctx);
    free(p);
    return COR_ERR_CRS;
}

void cor__proj_free(cor__proj_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nops; i++)
        proj_destroy(p->ops[i].op);
    for (size_t i = 0; i < p->nmemo; i++) {
        proj_destroy(p->memo[i].pj);
        free(p->memo[i].input);
    }
    proj_context_destroy(p->ctx);
    free(p);
}

/* ---- CRSs ---- */

/* Returns: a malloc'd copy of s without leading and trailing white space; NULL on exhaustion. */
static char *trimmed(const char *s)
{
    const char *end;
    if (!s)
        s = "";
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return cor__strndup(s, (size_t)(end - s));
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool is_proj_string(const char *s)
{
    return s[0] == '+' || strncmp(s, "proj=", 5) == 0;
}

/* A pipeline is a transformation; with "+type=crs" PROJ would quietly make its last step a CRS. */
static bool is_pipeline(const char *s)
{
    return is_proj_string(s) && strstr(s, "proj=pipeline") != NULL;
}

/* What proj_create() should read for a user's definition: "EPSG:<n>" for a bare number, and a
 * PROJ string with " +type=crs" appended (without it PROJ builds a transformation, not a CRS).
 * Returns: malloc'd, NULL on exhaustion. */
static char *proj_input(const char *def)
{
    if (all_digits(def))
        return cor__asprintf("EPSG:%s", def);
    if (is_proj_string(def) && !strstr(def, "type=crs"))
        return cor__asprintf("%s +type=crs", def);
    return cor__strdup(def);
}

/* Returns: why a CRS or object of this type cannot be a map's CRS. */
static const char *rejection(PJ_TYPE type)
{
    switch (type) {
    case PJ_TYPE_GEOCENTRIC_CRS:
        return "a geocentric CRS, not a 2D map CRS";
    case PJ_TYPE_VERTICAL_CRS:
        return "a vertical CRS, not a 2D map CRS";
    case PJ_TYPE_ENGINEERING_CRS:
        return "an engineering CRS, not a 2D map CRS";
    case PJ_TYPE_TEMPORAL_CRS:
        return "a temporal CRS, not a 2D map CRS";
    case PJ_TYPE_GEODETIC_CRS:
    case PJ_TYPE_OTHER_CRS:
        return "not a geographic or projected CRS";
    case PJ_TYPE_CONVERSION:
    case PJ_TYPE_TRANSFORMATION:
    case PJ_TYPE_CONCATENATED_OPERATION:
    case PJ_TYPE_OTHER_COORDINATE_OPERATION:
        return "a coordinate operation, not a CRS";
    default:
        return "not a CRS";
    }
}

static int axis_count(PJ_CONTEXT *ctx, const PJ *crs)
{
    PJ *cs = proj_crs_get_coordinate_system(ctx, crs);
    int n = cs ? proj_cs_get_axis_count(ctx, cs) : -1;
    proj_destroy(cs);
    return n;
}

/* Demotes a 3D geographic or projected CRS to 2D (a 2D one is returned as is). Consumes `crs`.
 * Returns: the 2D CRS, or NULL with *why set. */
static PJ *flat(PJ_CONTEXT *ctx, PJ *crs, const char **why)
{
    PJ *two;
    if (axis_count(ctx, crs) == 2)
        return crs;
    two = proj_crs_demote_to_2D(ctx, NULL, crs);
    proj_destroy(crs);
    if (!two || axis_count(ctx, two) != 2) {
        proj_destroy(two);
        *why = "a 3D CRS that cannot be reduced to 2D";
        return NULL;
    }
    return two;
}

/* Reduces a CRS to the 2D horizontal CRS a map is drawn in: a compound CRS to its horizontal
 * part, a bound CRS to its base, a 3D geographic or projected CRS to 2D. Consumes `crs`.
 * Returns: the 2D CRS, or NULL with *why set when there is none. */
static PJ *horizontal(PJ_CONTEXT *ctx, PJ *crs, int depth, const char **why)
{
    PJ_TYPE type = proj_get_type(crs);
    PJ *inner;
    if (type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
        type == PJ_TYPE_PROJECTED_CRS)
        return flat(ctx, crs, why);
    if (type != PJ_TYPE_COMPOUND_CRS && type != PJ_TYPE_BOUND_CRS) {
        *why = rejection(type);
        proj_destroy(crs);
        return NULL;
    }
    inner = type == PJ_TYPE_COMPOUND_CRS ? proj_crs_get_sub_crs(ctx, crs, 0)
                                         : proj_get_source_crs(ctx, crs);
    proj_destroy(crs);
    if (!inner || depth >= NESTING_MAX) {
        proj_destroy(inner);
        *why = "no usable horizontal CRS inside";
        return NULL;
    }
    return horizontal(ctx, inner, depth + 1, why);
}

/* A clone of the CRS parsed from `input` earlier, or NULL; *key is the memo's input. */
static PJ *memo_find(cor__proj_t *p, const char *input, const char **key)
{
    for (size_t i = 0; i < p->nmemo; i++)
        if (strcmp(p->memo[i].input, input) == 0) {
            *key = p->memo[i].input;
            return proj_clone(p->ctx, p->memo[i].pj);
        }
    return NULL;
}

/* Remembers a clone of a parsed CRS (while there is room; it is only an optimisation).
 * Returns: the memo's input, NULL when not remembered. */
static const char *memo_keep(cor__proj_t *p, const char *input, PJ *pj)
{
    if (p->nmemo == MEMO_MAX)
        return NULL;
    char *copy = cor__strdup(input);
    PJ *clone = copy ? proj_clone(p->ctx, pj) : NULL;
    if (!clone) {
        free(copy);
        return NULL;
    }
    p->memo[p->nmemo++] = (crs_memo_t){copy, clone};
    return copy;
}

cor_status_t cor__crs_new(cor__proj_t *p, const char *definition, cor__crs_t **out,
                          cor_error_t *err)
{
    char *def = trimmed(definition), *input = NULL;
    const char *why = "unknown";
    cor__crs_t *crs = NULL;
    PJ *pj = NULL;
    cor_status_t st = COR_ERR_CRS;

    if (!def)
        return nomem(err, "a CRS definition");
    clear_log(p);
    if (!def[0] || is_pipeline(def)) {
        why = def[0] ? "a PROJ pipeline is a transformation, not a CRS" : "empty definition";
        goto fail;
    }
    if (!(input = proj_input(def)) || !(crs = cor__calloc(1, sizeof *crs))) {
        st = nomem(err, "a CRS");
        goto fail;
    }
    if (!(pj = memo_find(p, input, &crs->key))) {
        if (!(pj = proj_create(p->ctx, input)) || !(pj = horizontal(p->ctx, pj, 0, &why)))
            goto fail;
        crs->key = memo_keep(p, input, pj);
    }
    crs->p = p;
    crs->pj = pj;
    *out = crs;
    free(input);
    free(def);
    return COR_OK;
fail:
    if (st == COR_ERR_CRS)
        crs_fail(p, err, def, why);
    free(crs);
    free(input);
    free(def);
    return st;
}

cor_status_t cor__crs_lonlat(cor__proj_t *p, cor__crs_t **out, cor_error_t *err)
{
    return cor__crs_new(p, "EPSG:4326", out, err);
}

void cor__crs_free(cor__crs_t *crs)
{
    if (!crs)
        return;
    proj_destroy(crs->pj);
    free(crs);
}

bool cor__crs_is_geographic(const cor__crs_t *crs)
{
    PJ_TYPE type = crs ? proj_get_type(crs->pj) : PJ_TYPE_UNKNOWN;
    return type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

const char *cor__crs_name(const cor__crs_t *crs)
{
    const char *name = crs ? proj_get_name(crs->pj) : NULL;
    return name ? name : "unnamed";
}

bool cor__crs_identify(cor__crs_t *crs, char *buf, size_t n)
{
    PJ_OBJ_LIST *list = NULL;
    PJ *best = NULL;
    int *confidence = NULL;
    const char *auth, *code;
    bool found = false;

    if (!crs || !buf || n == 0)
        return false;
    clear_log(crs->p);
    list = proj_identify(crs->p->ctx, crs->pj, "EPSG", NULL, &confidence);
    if (!list || proj_list_get_count(list) < 1 || confidence[0] < IDENTIFY_MIN)
        goto done;
    best = proj_list_get(crs->p->ctx, list, 0);
    auth = best ? proj_get_id_auth_name(best, 0) : NULL;
    code = best ? proj_get_id_code(best, 0) : NULL;
    if (auth && code) {
        int len = snprintf(buf, n, "%s:%s", auth, code);
        found = len > 0 && (size_t)len < n;
    }
done:
    proj_destroy(best);
    proj_int_list_destroy(confidence);
    proj_list_destroy(list);
    return found;
}

/* ---- transformations ---- */

/* True when points in src need no change to be in dst. The axis order of geographic CRSs is
 * ignored: normalisation puts longitude first in both. */
static bool same_crs(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst)
{
    return proj_is_equivalent_to_with_ctx(p->ctx, src->pj, dst->pj,
                                          PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
}

/* Builds src -> dst with x = east, y = north at both ends. Returns: NULL when PROJ cannot. */
static PJ *normalised_op(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst)
{
    PJ *op = proj_create_crs_to_crs_from_pj(p->ctx, src->pj, dst->pj, NULL, NULL);
    PJ *norm = op ? proj_normalize_for_visualization(p->ctx, op) : NULL;
    proj_destroy(op);
    return norm;
}

/* Finds the transformation between two memorised CRSs made earlier: *op gets a clone (NULL for
 * the identity). Returns: false when there is none to reuse. */
static bool op_find(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst, PJ **op)
{
    if (!src->key || !dst->key)
        return false;
    for (size_t i = 0; i < p->nops; i++) {
        if (p->ops[i].src != src->key || p->ops[i].dst != dst->key)
            continue;
        *op = p->ops[i].op ? proj_clone(p->ctx, p->ops[i].op) : NULL;
        return !p->ops[i].op || *op;
    }
    return false;
}

static void op_keep(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst, PJ *op)
{
    PJ *clone = op ? proj_clone(p->ctx, op) : NULL;
    if (!src->key || !dst->key || p->nops == MEMO_MAX || (op && !clone)) {
        proj_destroy(clone);
        return;
    }
    p->ops[p->nops++] = (op_memo_t){src->key, dst->key, clone};
}

cor_status_t cor__xform_new(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst,
                            cor__xform_t **out, cor_error_t *err)
{
    char what[2 * QUOTE_MAX + 24], a[QUOTE_MAX + 4], b[QUOTE_MAX + 4];
    cor__xform_t *xf = cor__calloc(1, sizeof *xf);

    if (!xf || !(xf->src_name = cor__strdup(cor__crs_name(src))) ||
        !(xf->dst_name = cor__strdup(cor__crs_name(dst)))) {
        cor__xform_free(xf);
        return nomem(err, "a transformation");
    }
    xf->p = p;
    clear_log(p);
    if (op_find(p, src, dst, &xf->pj)) {
        *out = xf;
        return COR_OK;
    }
    if (!same_crs(p, src, dst) && !(xf->pj = normalised_op(p, src, dst)))
        goto fail;
    op_keep(p, src, dst, xf->pj);
    *out = xf;
    return COR_OK;
fail:
    quote(xf->src_name, a);
    quote(xf->dst_name, b);
    snprintf(what, sizeof what, "from \"%s\" to \"%s\"", a, b);
    cor__xform_free(xf);
    return proj_fail(p, err, what, "PROJ finds no transformation");
}

void cor__xform_free(cor__xform_t *xf)
{
    if (!xf)
        return;
    proj_destroy(xf->pj);
    free(xf->src_name);
    free(xf->dst_name);
    free(xf);
}

bool cor__xform_is_identity(const cor__xform_t *xf)
{
    return xf && !xf->pj;
}

static bool finite_point(double x, double y)
{
    return isfinite(x) && isfinite(y);
}

/* Transforms a run of finite points, then marks the ones PROJ failed on.
 * Returns: how many it failed on. PROJ's error state is cleared on both sides, so one failed
 * point cannot make later calls look failed. */
static size_t transform_run(cor__xform_t *xf, bool inverse, double *x, double *y, size_t n)
{
    size_t failed = 0;
    if (xf->pj) {
        proj_errno_reset(xf->pj);
        proj_trans_generic(xf->pj, inverse ? PJ_INV : PJ_FWD, x, sizeof *x, n, y, sizeof *y, n,
                           NULL, 0, 0, NULL, 0, 0);
        proj_errno_reset(xf->pj);
    }
    for (size_t i = 0; i < n; i++) {
        if (finite_point(x[i], y[i]))
            continue;
        x[i] = y[i] = NAN;
        failed++;
    }
    return failed;
}

/* Points that come in not finite (NAN marks a break in a line) are set to NAN in both coordinates
 * and never given to PROJ; the finite runs between them are transformed in batches. */
size_t cor__xform_points(cor__xform_t *xf, bool inverse, double *x, double *y, size_t n)
{
    size_t failed = 0, i = 0;
    if (!xf || !x || !y)
        return 0;
    while (i < n) {
        size_t start = i;
        if (!finite_point(x[i], y[i])) {
            x[i] = y[i] = NAN;
            i++;
            continue;
        }
        while (i < n && finite_point(x[i], y[i]))
            i++;
        failed += transform_run(xf, inverse, x + start, y + start, i - start);
    }
    return failed;
}

static bool box_finite(cor_bbox_t b)
{
    return finite_point(b.minx, b.miny) && finite_point(b.maxx, b.maxy);
}

/* Fails with COR_ERR_CRS naming the box and the direction it was going. */
static cor_status_t bbox_fail(cor__xform_t *xf, bool inverse, cor_bbox_t in, cor_error_t *err)
{
    char what[2 * QUOTE_MAX + 160], a[QUOTE_MAX + 4], b[QUOTE_MAX + 4];
    quote(inverse ? xf->dst_name : xf->src_name, a);
    quote(inverse ? xf->src_name : xf->dst_name, b);
    snprintf(what, sizeof what, "box %g, %g .. %g, %g from \"%s\" to \"%s\"", in.minx, in.miny,
             in.maxx, in.maxy, a, b);
    return proj_fail(xf->p, err, what, "cannot be transformed");
}

/* Fills x, y with EDGE_SAMPLES points along one edge of b (0 south, 1 east, 2 north, 3 west),
 * corners included. */
static void edge_points(cor_bbox_t b, int edge, double *x, double *y)
{
    for (int i = 0; i < EDGE_SAMPLES; i++) {
        double t = (double)i / (EDGE_SAMPLES - 1);
        double along_x = b.minx + t * (b.maxx - b.minx), along_y = b.miny + t * (b.maxy - b.miny);
        x[i] = edge == 0 || edge == 2 ? along_x : edge == 1 ? b.maxx : b.minx;
        y[i] = edge == 1 || edge == 3 ? along_y : edge == 0 ? b.miny : b.maxy;
    }
}

/* Widens *out to hold the images of EDGE_SAMPLES points along each edge of `in`.
 * proj_trans_bounds() keeps the extremes of 21 points an edge, and a curved edge bulges between
 * them: the south edge of 19.5..41.5 E, 43.8..60 N in a conic on 28 E dips 137 m below PROJ's
 * box. With 512 points that drops below a metre. Not done for a lon/lat box across the
 * antimeridian (minx > maxx), where a plain min/max of the samples would be wrong. */
static void widen_to_edges(cor__xform_t *xf, bool inverse, cor_bbox_t in, cor_bbox_t *out)
{
    double x[EDGE_SAMPLES], y[EDGE_SAMPLES];
    if (out->minx > out->maxx)
        return;
    for (int edge = 0; edge < 4; edge++) {
        edge_points(in, edge, x, y);
        cor__xform_points(xf, inverse, x, y, EDGE_SAMPLES);
        for (int i = 0; i < EDGE_SAMPLES; i++) {
            if (isnan(x[i]))
                continue;
            out->minx = fmin(out->minx, x[i]);
            out->maxx = fmax(out->maxx, x[i]);
            out->miny = fmin(out->miny, y[i]);
            out->maxy = fmax(out->maxy, y[i]);
        }
    }
}

/* For a lon/lat result that crosses the antimeridian, PROJ returns minx > maxx. */
cor_status_t cor__xform_bbox(cor__xform_t *xf, bool inverse, cor_bbox_t in, cor_bbox_t *out,
                             cor_error_t *err)
{
    cor_bbox_t b = in;

    if (!xf)
        return cor__fail(err, COR_ERR_INTERNAL, "no transformation for a box");
    clear_log(xf->p);
    if (!box_finite(in))
        return bbox_fail(xf, inverse, in, err);
    if (xf->pj) {
        proj_errno_reset(xf->pj);
        int ok =
            proj_trans_bounds(xf->p->ctx, xf->pj, inverse ? PJ_INV : PJ_FWD, in.minx, in.miny,
                              in.maxx, in.maxy, &b.minx, &b.miny, &b.maxx, &b.maxy, BOUNDS_DENSIFY);
        proj_errno_reset(xf->pj);
        if (!ok || !box_finite(b))
            return bbox_fail(xf, inverse, in, err);
        widen_to_edges(xf, inverse, in, &b);
    }
    *out = b;
    return COR_OK;
}

/* ---- densifying ---- */

/* Returns: how many pieces the segment (x0,y0)-(x1,y1) is cut into so none is longer than step
 * (1 for a segment touching a NAN break); SIZE_MAX when that exceeds COR__DENSIFY_MAX. */
static size_t pieces(double x0, double y0, double x1, double y1, double step)
{
    double len = hypot(x1 - x0, y1 - y0);
    double k = isfinite(len) ? ceil(len / step) : 1;
    if (k > (double)COR__DENSIFY_MAX)
        return SIZE_MAX;
    return k < 1 ? 1 : (size_t)k;
}

/* Returns: the number of points densifying gives, or 0 when it exceeds COR__DENSIFY_MAX. */
static size_t densified_count(const double *x, const double *y, size_t n, double step)
{
    size_t total = 1;
    for (size_t i = 1; i < n; i++) {
        size_t k = pieces(x[i - 1], y[i - 1], x[i], y[i], step);
        if (k == SIZE_MAX || k > COR__DENSIFY_MAX - total)
            return 0;
        total += k;
    }
    return total;
}

bool cor__densify(const double *x, const double *y, size_t n, double step, double **ox, double **oy,
                  size_t *on)
{
    size_t total = n, o = 0;
    double *dx = NULL, *dy = NULL;

    if (n >= 2 && !(step > 0))
        return false;
    if (n >= 2 && (total = densified_count(x, y, n, step)) == 0)
        return false;
    if (!(dx = cor__calloc(total, sizeof *dx)) || !(dy = cor__calloc(total, sizeof *dy)))
        goto fail;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t k = pieces(x[i], y[i], x[i + 1], y[i + 1], step);
        for (size_t j = 0; j < k; j++, o++) {
            double t = (double)j / (double)k;
            dx[o] = j == 0 ? x[i] : x[i] + t * (x[i + 1] - x[i]);
            dy[o] = j == 0 ? y[i] : y[i] + t * (y[i + 1] - y[i]);
        }
    }
    if (n > 0) {
        dx[o] = x[n - 1];
        dy[o] = y[n - 1];
    }
    *ox = dx;
    *oy = dy;
    *on = total;
    return true;
fail:
    free(dx);
    free(dy);
    return false;
}

/* ---- measures ---- */

/* Returns: the longitude of the CRS's prime meridian east of Greenwich, in degrees. */
static double prime_meridian(PJ_CONTEXT *ctx, const PJ *crs)
{
    PJ *pm = proj_get_prime_meridian(ctx, crs);
    double lon = 0, to_rad = 0;
    if (!pm || !proj_prime_meridian_get_parameters(ctx, pm, &lon, &to_rad, NULL))
        to_rad = 0;
    proj_destroy(pm);
    return proj_todeg(lon * to_rad);
}

/* Returns: a geographic 2D CRS on the ellipsoid of `crs`, with the prime meridian at Greenwich. */
static PJ *greenwich_base(PJ_CONTEXT *ctx, const PJ *crs)
{
    PJ *ellps = proj_get_ellipsoid(ctx, crs);
    PJ *cs = proj_create_ellipsoidal_2D_cs(ctx, PJ_ELLPS2D_LONGITUDE_LATITUDE, NULL, 0);
    PJ *geog = NULL;
    double a = 0, inv_f = 0;
    if (ellps && cs && proj_ellipsoid_get_parameters(ctx, ellps, &a, NULL, NULL, &inv_f))
        geog = proj_create_geographic_crs(ctx, "unnamed", "unnamed", proj_get_name(ellps), a, inv_f,
                                          "Greenwich", 0, NULL, 0, cs);
    proj_destroy(cs);
    proj_destroy(ellps);
    return geog;
}

/* A copy of a projected CRS that proj_factors() of PROJ 9.1 reads right: easting/northing in
 * metres, on a Greenwich prime meridian when `pm` (degrees) is not 0. proj_factors() takes a
 * projected CRS (since 8.2) but differentiates the whole operation from lon/lat radians to it,
 * so an axis swap (EPSG:3035: an error), a unit conversion (EPSG:2263, US feet) or a prime
 * meridian shift in that operation give results off by orders of magnitude.
 * Returns: the copy, NULL when PROJ cannot make it. */
static PJ *factors_crs(PJ_CONTEXT *ctx, const PJ *crs, double pm)
{
    PJ *en = proj_normalize_for_visualization(ctx, crs);
    PJ *metres = en ? proj_crs_alter_cs_linear_unit(ctx, en, "metre", 1.0, "EPSG", "9001") : NULL;
    PJ *base = NULL, *moved = NULL;
    proj_destroy(en);
    if (!metres || pm == 0)
        return metres;
    base = greenwich_base(ctx, crs);
    moved = base ? proj_crs_alter_geodetic_crs(ctx, metres, base) : NULL;
    proj_destroy(base);
    proj_destroy(metres);
    return moved;
}

/* proj_factors() reads lam/phi in radians, longitude first and relative to the prime meridian,
 * whatever the CRS's axis order. The parallel scale k is returned: the scale a horizontal scale
 * bar near the central meridian measures; in a conformal projection it equals the meridional
 * scale h, and so the scale in every direction. */
cor_status_t cor__crs_scale_at(cor__proj_t *p, const cor__crs_t *crs, double lon, double lat,
                               double *scale, cor_error_t *err)
{
    char what[QUOTE_MAX + 80], name[QUOTE_MAX + 4];
    PJ_FACTORS f = {0};
    PJ *fc = NULL;
    double pm;

    if (cor__crs_is_geographic(crs)) {
        *scale = 1.0;
        return COR_OK;
    }
    clear_log(p);
    pm = prime_meridian(p->ctx, crs->pj);
    if ((fc = factors_crs(p->ctx, crs->pj, pm)) != NULL) {
        proj_errno_reset(fc); /* proj_factors() restores an error set before it on success */
        f = proj_factors(fc, proj_coord(proj_torad(lon - pm), proj_torad(lat), 0, 0));
        if (proj_errno_reset(fc) != 0)
            f.parallel_scale = 0;
        proj_destroy(fc);
    }
    if (isfinite(f.parallel_scale) && f.parallel_scale > 0) {
        *scale = f.parallel_scale;
        return COR_OK;
    }
    quote(cor__crs_name(crs), name);
    snprintf(what, sizeof what, "\"%s\" at %g, %g", name, lon, lat);
    return proj_fail(p, err, what, "no scale factor");
}

double cor__geodesic_distance(cor__proj_t *p, double lon1, double lat1, double lon2, double lat2)
{
    struct geod_geodesic local;
    const struct geod_geodesic *g = p ? &p->wgs84 : &local;
    double s12 = NAN;

    if (!finite_point(lon1, lat1) || !finite_point(lon2, lat2) || fabs(lat1) > 90 ||
        fabs(lat2) > 90)
        return NAN;
    if (!p)
        geod_init(&local, WGS84_A, 1 / WGS84_INV_F);
    geod_inverse(g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}
