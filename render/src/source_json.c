/* SPDX-License-Identifier: MIT */
/* source_json: GeoJSON overlays. The text is checked first (size, NUL bytes, UTF-8 line by line,
 * an upper bound on the JSON values json-c would build), parsed by json-c's tokener in strict
 * mode, walked once with strict validation into flat arrays (points, part offsets, features,
 * properties, one text pool), and the json-c tree is released before returning. Every message
 * names the file and the JSON path or line at fault. Nothing here projects, draws or prints. */
#include "source_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "files.h"
#include "utf8.h"
#include "util.h"

#define PATH_MAX_LEN 256

/* One delivered feature: a range of points and of part offsets, and a range of properties
 * (shared by the members of a GeometryCollection). */
typedef struct feat {
    long id;
    cor__geom_kind_t kind;
    size_t first_point, npoints;
    size_t first_part, nparts; /* parts[first_part .. first_part + nparts] are nparts + 1 offsets */
    size_t first_prop, nprops;
} feat_t;

/* A property while parsing: strings live in the text pool, which may still move. */
typedef struct prop {
    size_t name_off, str_off;
    cor__attr_t value;
} prop_t;

struct cor__json {
    double *x, *y;
    size_t npoints, cap_points;
    size_t *parts; /* offsets relative to the feature's first point */
    size_t nparts, cap_parts;
    feat_t *feats;
    size_t nfeats, cap_feats;
    prop_t *props;
    size_t nprops, cap_props;
    cor__buf_t text;
    const char **names; /* built from props once parsing is over */
    cor__attr_t *values;
};

/* What the walk over the json-c tree carries along. */
typedef struct ctx {
    cor__json_t *j;
    const char *name;
    const cor__json_limits_t *limits;
    cor_error_t *err;
} ctx_t;

/* Where in "coordinates" a position is, for messages. */
typedef struct where {
    const char *geom; /* path of the geometry object, "" for the root */
    size_t idx[4];
    int n;
} where_t;

static const cor__json_limits_t DEFAULT_LIMITS = {COR__JSON_MAX_BYTES, COR__JSON_MAX_VALUES,
                                                  COR__JSON_MAX_POSITIONS};

/* ---- messages ---- */

/* Fails with "<name>: <path>: <message>" (no path part when path is empty). */
static cor_status_t fail_at(const ctx_t *c, cor_status_t code, const char *path, const char *fmt,
                            ...) COR__PRINTF(4, 5);
static cor_status_t fail_at(const ctx_t *c, cor_status_t code, const char *path, const char *fmt,
                            ...)
{
    char msg[COR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cor__fail(c->err, code, "%s: %s%s%s", c->name, path, *path ? ": " : "", msg);
}

static cor_status_t nomem(const ctx_t *c)
{
    return cor__fail(c->err, COR_ERR_NOMEM, "%s: out of memory", c->name);
}

/* A path cut at PATH_MAX_LEN (deeply nested collections, long keys) ends in "...". */
static void path_check(char *dst, int n)
{
    if (n < 0 || n >= PATH_MAX_LEN)
        memcpy(dst + PATH_MAX_LEN - 4, "...", 4);
}

/* Writes "<base>.<key>" (or "<key>" when base is empty) into dst. */
static void path_key(char *dst, const char *base, const char *key)
{
    path_check(dst, snprintf(dst, PATH_MAX_LEN, "%s%s%s", base, *base ? "." : "", key));
}

static void path_index(char *dst, const char *base, const char *key, size_t i)
{
    path_check(dst, snprintf(dst, PATH_MAX_LEN, "%s%s%s[%zu]", base, *base ? "." : "", key, i));
}

/* Writes the path of a position ("features[3].geometry.coordinates[1][0]") into dst. */
static void path_where(char *dst, const where_t *w)
{
    int n = snprintf(dst, PATH_MAX_LEN, "%s%scoordinates", w->geom, *w->geom ? "." : "");
    for (int i = 0; i < w->n && n > 0 && n < PATH_MAX_LEN; i++)
        n += snprintf(dst + n, PATH_MAX_LEN - (size_t)n, "[%zu]", w->idx[i]);
    path_check(dst, n);
}

static cor_status_t fail_where(const ctx_t *c, const where_t *w, const char *fmt, ...)
    COR__PRINTF(3, 4);
static cor_status_t fail_where(const ctx_t *c, const where_t *w, const char *fmt, ...)
{
    char path[PATH_MAX_LEN], msg[COR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    path_where(path, w);
    return fail_at(c, COR_ERR_DATA, path, "%s", msg);
}

/* A JSON value's kind in words, for "expected X, not Y". */
static const char *kind_of(const json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return json_object_get_boolean(v) ? "true" : "false";
    case json_type_double:
    case json_type_int:
        return "a number";
    case json_type_string:
        return "text";
    case json_type_array:
        return "an array";
    case json_type_object:
        return "an object";
    }
    return "something else";
}

/* ---- checks on the raw text ---- */

static size_t line_of(const char *text, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    return line;
}

/* NUL bytes and invalid UTF-8, by line (no UTF-8 sequence contains '\n'). */
static cor_status_t check_encoding(const ctx_t *c, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return fail_at(c, COR_ERR_DATA, "", "is UTF-16; GeoJSON must be UTF-8");
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return fail_at(c, COR_ERR_DATA, "", "line %zu: NUL byte in the text",
                       line_of(text, (size_t)(nul - text)));
    size_t line = 1;
    for (size_t start = 0; start < len; line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (!cor__utf8_valid(text + start, end - start))
            return fail_at(c, COR_ERR_DATA, "", "line %zu: invalid UTF-8", line);
        start = end + 1;
    }
    return COR_OK;
}

/* An upper bound on the values json-c will build for valid JSON: the root, plus one per '[',
 * '{' and ',' outside strings. */
static size_t count_values(const char *text, size_t len)
{
    size_t n = 1;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else {
            n += ch == '[' || ch == '{' || ch == ',';
        }
    }
    return n;
}

static cor_status_t check_text(const ctx_t *c, const char *text, size_t len)
{
    if (len > c->limits->max_bytes)
        return fail_at(c, COR_ERR_LIMIT, "", "%zu bytes, more than the %zu accepted", len,
                       c->limits->max_bytes);
    cor_status_t st = check_encoding(c, text, len);
    if (st != COR_OK)
        return st;
    size_t blank = 0;
    while (blank < len && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\r' ||
                           text[blank] == '\n'))
        blank++;
    if (blank == len)
        return fail_at(c, COR_ERR_DATA, "", "empty file: no JSON in it");
    size_t values = count_values(text, len);
    if (values > c->limits->max_values)
        return fail_at(c, COR_ERR_LIMIT, "", "about %zu JSON values, more than the %zu accepted",
                       values, c->limits->max_values);
    return COR_OK;
}

/* ---- json-c's tokener ---- */

static cor_status_t token_fail(const ctx_t *c, const char *text, size_t len, size_t off,
                               enum json_tokener_error e)
{
    size_t line = line_of(text, off < len ? off : len);
    unsigned char ch = off < len ? (unsigned char)text[off] : 0;
    if (e == json_tokener_error_parse_unexpected && ch > 0x20 && ch < 0x7F)
        return fail_at(c, COR_ERR_DATA, "", "line %zu: unexpected character '%c'", line, ch);
    if (e == json_tokener_error_depth)
        return fail_at(c, COR_ERR_DATA, "", "line %zu: nesting too deep (more than %d levels)",
                       line, COR__JSON_MAX_DEPTH);
    if (e == json_tokener_continue)
        return fail_at(c, COR_ERR_DATA, "", "line %zu: unexpected end of data", line);
    return fail_at(c, COR_ERR_DATA, "", "line %zu: %s", line, json_tokener_error_desc(e));
}

/* Parses the whole text into a json-c tree (strict: no trailing data, commas or quotes). A number
 * at the very end stays pending in the tokener, so a space is fed to finish it. */
static cor_status_t tokenize(const ctx_t *c, const char *text, size_t len, json_object **out)
{
    json_tokener *tok = json_tokener_new_ex(COR__JSON_MAX_DEPTH);
    if (!tok)
        return nomem(c);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t off = json_tokener_get_parse_end(tok);
    if (!root && e == json_tokener_continue) {
        root = json_tokener_parse_ex(tok, " ", 1);
        e = json_tokener_get_error(tok);
        off = len;
    }
    json_tokener_free(tok);
    if (e != json_tokener_success) {
        json_object_put(root);
        return token_fail(c, text, len, off, e);
    }
    if (!root) /* a top-level null */
        return fail_at(c, COR_ERR_DATA, "", "expected a GeoJSON object, not null");
    *out = root;
    return COR_OK;
}

/* ---- storage ---- */

static bool reserve_points(cor__json_t *j, size_t need)
{
    return cor__grow2((void **)&j->x, (void **)&j->y, &j->cap_points, need, sizeof(double));
}

static bool push_offset(cor__json_t *j, size_t off)
{
    if (!cor__grow((void **)&j->parts, &j->cap_parts, j->nparts + 1, sizeof(size_t)))
        return false;
    j->parts[j->nparts++] = off;
    return true;
}

/* Starts a feature of `kind` sharing the properties of `like`. Returns: it, NULL on exhaustion. */
static feat_t *feat_begin(cor__json_t *j, cor__geom_kind_t kind, const feat_t *like)
{
    if (!cor__grow((void **)&j->feats, &j->cap_feats, j->nfeats + 1, sizeof(feat_t)))
        return NULL;
    if (!push_offset(j, 0))
        return NULL;
    feat_t *f = &j->feats[j->nfeats++];
    *f = *like;
    f->kind = kind;
    f->first_point = j->npoints;
    f->npoints = 0;
    f->first_part = j->nparts - 1;
    f->nparts = 0;
    return f;
}

/* Ends the current part of the last feature. */
static bool part_end(cor__json_t *j)
{
    feat_t *f = &j->feats[j->nfeats - 1];
    f->npoints = j->npoints - f->first_point;
    if (!push_offset(j, f->npoints))
        return false;
    f->nparts++;
    return true;
}

/* Makes room for n more positions, within the limit. */
static cor_status_t room_for(const ctx_t *c, size_t n)
{
    cor__json_t *j = c->j;
    if (n > c->limits->max_positions || j->npoints > c->limits->max_positions - n)
        return fail_at(c, COR_ERR_LIMIT, "", "more than %zu positions", c->limits->max_positions);
    return reserve_points(j, j->npoints + n) ? COR_OK : nomem(c);
}

/* ---- positions and coordinates ---- */

static cor_status_t read_number(const ctx_t *c, const where_t *w, const json_object *v,
                                const char *what, double lim, double *out)
{
    json_type t = json_object_get_type(v);
    if (t != json_type_double && t != json_type_int)
        return fail_where(c, w, "%s must be a number, not %s", what, kind_of(v));
    double d = json_object_get_double(v);
    if (!isfinite(d))
        return fail_where(c, w, "%s is not a finite number", what);
    if (d < -lim || d > lim)
        return fail_where(c, w, "%s %.10g is outside %g..%g", what, d, -lim, lim);
    *out = d;
    return COR_OK;
}

/* Reads [lon, lat, ...] into the next point slot (room must have been made). */
static cor_status_t read_position(const ctx_t *c, const where_t *w, const json_object *p)
{
    cor__json_t *j = c->j;
    if (!json_object_is_type(p, json_type_array))
        return fail_where(c, w, "expected [lon, lat], not %s", kind_of(p));
    if (json_object_array_length(p) < 2)
        return fail_where(c, w, "expected [lon, lat], not %zu number%s",
                          json_object_array_length(p), json_object_array_length(p) == 1 ? "" : "s");
    cor_status_t st =
        read_number(c, w, json_object_array_get_idx(p, 0), "longitude", 180, &j->x[j->npoints]);
    if (st == COR_OK)
        st = read_number(c, w, json_object_array_get_idx(p, 1), "latitude", 90, &j->y[j->npoints]);
    if (st == COR_OK)
        j->npoints++;
    return st;
}

static cor_status_t expect_array(const ctx_t *c, const where_t *w, const json_object *a,
                                 const char *what)
{
    if (json_object_is_type(a, json_type_array))
        return COR_OK;
    return fail_where(c, w, "expected %s, not %s", what, kind_of(a));
}

/* Closes a ring whose last position is not its first (RFC 7946 says rings MUST be closed; the
 * intent of an unclosed one is plain, so it is closed here rather than refused). */
static cor_status_t close_ring(const ctx_t *c, size_t first)
{
    cor__json_t *j = c->j;
    size_t last = j->npoints - 1;
    if (j->npoints == first || (j->x[first] == j->x[last] && j->y[first] == j->y[last]))
        return COR_OK;
    cor_status_t st = room_for(c, 1);
    if (st == COR_OK) {
        j->x[j->npoints] = j->x[first];
        j->y[j->npoints++] = j->y[first];
    }
    return st;
}

/* Reads an array of positions as one part: a line (2+ positions) or a ring (4+ once closed). */
static cor_status_t read_part(const ctx_t *c, where_t *w, const json_object *a, bool ring)
{
    cor__json_t *j = c->j;
    size_t first = j->npoints;
    cor_status_t st = expect_array(c, w, a, "an array of positions");
    size_t n = st == COR_OK ? json_object_array_length(a) : 0;
    if (st == COR_OK)
        st = room_for(c, n);
    w->n++;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        w->idx[w->n - 1] = i;
        st = read_position(c, w, json_object_array_get_idx(a, i));
    }
    w->n--;
    if (st == COR_OK && ring)
        st = close_ring(c, first);
    if (st != COR_OK)
        return st;
    size_t got = j->npoints - first;
    if (ring && got < 4)
        return fail_where(c, w, "a ring needs at least 4 positions (closed), not %zu", got);
    if (!ring && got < 2)
        return fail_where(c, w, "a line needs at least 2 positions, not %zu", got);
    return part_end(j) ? COR_OK : nomem(c);
}

/* Reads each element of `a` with read_part (MultiLineString lines, Polygon rings). */
static cor_status_t read_parts(const ctx_t *c, where_t *w, const json_object *a, bool ring)
{
    cor_status_t st = COR_OK;
    size_t n = json_object_array_length(a);
    if (n == 0 && ring)
        return fail_where(c, w, "a polygon needs at least one ring");
    w->n++;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        w->idx[w->n - 1] = i;
        st = read_part(c, w, json_object_array_get_idx(a, i), ring);
    }
    w->n--;
    return st;
}

/* MultiPoint: one part per position. */
static cor_status_t read_points(const ctx_t *c, where_t *w, const json_object *a)
{
    size_t n = json_object_array_length(a);
    cor_status_t st = room_for(c, n);
    w->n++;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        w->idx[w->n - 1] = i;
        st = read_position(c, w, json_object_array_get_idx(a, i));
        if (st == COR_OK && !part_end(c->j))
            st = nomem(c);
    }
    w->n--;
    return st;
}

/* MultiPolygon: the rings of every polygon go into the one feature. */
static cor_status_t read_polygons(const ctx_t *c, where_t *w, const json_object *a)
{
    cor_status_t st = COR_OK;
    size_t n = json_object_array_length(a);
    w->n++;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        const json_object *poly = json_object_array_get_idx(a, i);
        w->idx[w->n - 1] = i;
        st = expect_array(c, w, poly, "an array of rings");
        if (st == COR_OK)
            st = read_parts(c, w, poly, true);
    }
    w->n--;
    return st;
}

/* ---- geometries ---- */

typedef enum {
    SHAPE_POINT,
    SHAPE_MULTIPOINT,
    SHAPE_LINE,
    SHAPE_MULTILINE,
    SHAPE_POLYGON,
    SHAPE_MULTIPOLYGON,
    SHAPE_COLLECTION
} shape_t;

static const struct {
    const char *name;
    shape_t shape;
    cor__geom_kind_t kind;
} SHAPES[] = {
    {"Point", SHAPE_POINT, COR__GEOM_POINT},
    {"MultiPoint", SHAPE_MULTIPOINT, COR__GEOM_POINT},
    {"LineString", SHAPE_LINE, COR__GEOM_LINE},
    {"MultiLineString", SHAPE_MULTILINE, COR__GEOM_LINE},
    {"Polygon", SHAPE_POLYGON, COR__GEOM_POLYGON},
    {"MultiPolygon", SHAPE_MULTIPOLYGON, COR__GEOM_POLYGON},
    {"GeometryCollection", SHAPE_COLLECTION, COR__GEOM_NONE},
};

static cor_status_t read_coordinates(const ctx_t *c, where_t *w, shape_t shape,
                                     const json_object *a)
{
    switch (shape) {
    case SHAPE_POINT: {
        cor_status_t st = room_for(c, 1);
        if (st == COR_OK)
            st = read_position(c, w, a);
        return st != COR_OK || part_end(c->j) ? st : nomem(c);
    }
    case SHAPE_MULTIPOINT:
        return read_points(c, w, a);
    case SHAPE_LINE:
        return read_part(c, w, a, false);
    case SHAPE_MULTILINE:
        return read_parts(c, w, a, false);
    case SHAPE_POLYGON:
        return read_parts(c, w, a, true);
    case SHAPE_MULTIPOLYGON:
        return read_polygons(c, w, a);
    case SHAPE_COLLECTION:
        break;
    }
    return cor__fail(c->err, COR_ERR_INTERNAL, "%s: unexpected shape", c->name);
}

/* Reads the "type" member of object `o` as text. */
static cor_status_t get_type(const ctx_t *c, const json_object *o, const char *path,
                             const char **out)
{
    json_object *t = NULL;
    if (!json_object_object_get_ex(o, "type", &t))
        return fail_at(c, COR_ERR_DATA, path, "\"type\" is missing");
    if (!json_object_is_type(t, json_type_string))
        return fail_at(c, COR_ERR_DATA, path, "\"type\" must be text, not %s", kind_of(t));
    *out = json_object_get_string(t);
    if (strlen(*out) != (size_t)json_object_get_string_len(t))
        return fail_at(c, COR_ERR_DATA, path, "\"type\" holds a NUL character (\\u0000)");
    return COR_OK;
}

/* Gets member `key` of `o` that must be an array. */
static cor_status_t get_array(const ctx_t *c, const json_object *o, const char *path,
                              const char *key, json_object **out)
{
    char sub[PATH_MAX_LEN];
    json_object *a = NULL;
    if (!json_object_object_get_ex(o, key, &a))
        return fail_at(c, COR_ERR_DATA, path, "\"%s\" is missing", key);
    path_key(sub, path, key);
    if (!json_object_is_type(a, json_type_array))
        return fail_at(c, COR_ERR_DATA, sub, "expected an array, not %s", kind_of(a));
    *out = a;
    return COR_OK;
}

static cor_status_t read_geometry(const ctx_t *c, const json_object *g, const char *path,
                                  const feat_t *like);

static cor_status_t read_collection(const ctx_t *c, const json_object *g, const char *path,
                                    const feat_t *like)
{
    char sub[PATH_MAX_LEN];
    json_object *members = NULL;
    cor_status_t st = get_array(c, g, path, "geometries", &members);
    size_t n = st == COR_OK ? json_object_array_length(members) : 0;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        path_index(sub, path, "geometries", i);
        st = read_geometry(c, json_object_array_get_idx(members, i), sub, like);
    }
    return st;
}

/* Reads a geometry object into one feature (several for a GeometryCollection) with the
 * properties of `like`. Empty coordinates give no feature. */
static cor_status_t read_geometry(const ctx_t *c, const json_object *g, const char *path,
                                  const feat_t *like)
{
    const char *type = NULL;
    json_object *coords = NULL;
    if (!json_object_is_type(g, json_type_object))
        return fail_at(c, COR_ERR_DATA, path, "expected a geometry object, not %s", kind_of(g));
    cor_status_t st = get_type(c, g, path, &type);
    if (st != COR_OK)
        return st;
    size_t k = 0;
    while (k < COR__ARRAY_LEN(SHAPES) && strcmp(SHAPES[k].name, type) != 0)
        k++;
    if (k == COR__ARRAY_LEN(SHAPES))
        return fail_at(c, COR_ERR_DATA, path, "unknown geometry type '%s'", type);
    if (SHAPES[k].shape == SHAPE_COLLECTION)
        return read_collection(c, g, path, like);
    st = get_array(c, g, path, "coordinates", &coords);
    if (st != COR_OK || json_object_array_length(coords) == 0)
        return st; /* RFC 7946 3.1: empty coordinates may be read as a null geometry */
    if (!feat_begin(c->j, SHAPES[k].kind, like))
        return nomem(c);
    where_t w = {.geom = path};
    return read_coordinates(c, &w, SHAPES[k].shape, coords);
}

/* ---- properties ---- */

static bool pool_add(cor__json_t *j, const char *s, size_t n, size_t *off)
{
    *off = j->text.len;
    return cor__buf_append(&j->text, s, n) && cor__buf_append(&j->text, "", 1);
}

/* Converts one property value; strings go into the pool. */
static cor_status_t read_value(const ctx_t *c, const char *path, json_object *v, prop_t *p)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        p->value.type = COR__ATTR_NULL;
        return COR_OK;
    case json_type_boolean:
        p->value = (cor__attr_t){.type = COR__ATTR_BOOL, .b = json_object_get_boolean(v)};
        return COR_OK;
    case json_type_double:
    case json_type_int:
        p->value = (cor__attr_t){.type = COR__ATTR_NUMBER, .num = json_object_get_double(v)};
        if (!isfinite(p->value.num))
            return fail_at(c, COR_ERR_DATA, path, "number is not finite");
        return COR_OK;
    case json_type_string: {
        size_t n = (size_t)json_object_get_string_len(v);
        const char *s = json_object_get_string(v);
        if (memchr(s, '\0', n))
            return fail_at(c, COR_ERR_DATA, path, "text holds a NUL character (\\u0000)");
        p->value.type = COR__ATTR_STRING;
        return pool_add(c->j, s, n, &p->str_off) ? COR_OK : nomem(c);
    }
    case json_type_array:
    case json_type_object: {
        const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE);
        p->value.type = COR__ATTR_STRING;
        return s && pool_add(c->j, s, strlen(s), &p->str_off) ? COR_OK : nomem(c);
    }
    }
    return fail_at(c, COR_ERR_DATA, path, "unsupported value");
}

static cor_status_t read_property(const ctx_t *c, const char *base, const char *key, json_object *v)
{
    cor__json_t *j = c->j;
    char path[PATH_MAX_LEN];
    path_key(path, base, key);
    if (!cor__grow((void **)&j->props, &j->cap_props, j->nprops + 1, sizeof(prop_t)))
        return nomem(c);
    prop_t *p = &j->props[j->nprops];
    *p = (prop_t){0};
    if (!pool_add(j, key, strlen(key), &p->name_off))
        return nomem(c);
    cor_status_t st = read_value(c, path, v, p);
    if (st == COR_OK)
        j->nprops++;
    return st;
}

/* Reads the "properties" member (an object, null or missing) into like->first_prop/nprops. */
static cor_status_t read_properties(const ctx_t *c, const json_object *feature, const char *path,
                                    feat_t *like)
{
    char base[PATH_MAX_LEN];
    json_object *props = NULL;
    like->first_prop = c->j->nprops;
    like->nprops = 0;
    path_key(base, path, "properties");
    if (!json_object_object_get_ex(feature, "properties", &props) || !props)
        return COR_OK;
    if (!json_object_is_type(props, json_type_object))
        return fail_at(c, COR_ERR_DATA, base, "expected an object or null, not %s", kind_of(props));
    struct json_object_iterator it = json_object_iter_begin(props);
    struct json_object_iterator end = json_object_iter_end(props);
    cor_status_t st = COR_OK;
    for (; st == COR_OK && !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
        st = read_property(c, base, json_object_iter_peek_name(&it),
                           json_object_iter_peek_value(&it));
    like->nprops = c->j->nprops - like->first_prop;
    return st;
}

/* ---- features and the root ---- */

static cor_status_t expect_type(const ctx_t *c, const json_object *o, const char *path,
                                const char *want)
{
    const char *type = NULL;
    if (!json_object_is_type(o, json_type_object))
        return fail_at(c, COR_ERR_DATA, path, "expected a %s object, not %s", want, kind_of(o));
    cor_status_t st = get_type(c, o, path, &type);
    if (st == COR_OK && strcmp(type, want) != 0)
        return fail_at(c, COR_ERR_DATA, path, "expected a %s, not a '%s'", want, type);
    return st;
}

/* Reads one Feature. A null geometry skips it (its properties are dropped again). */
static cor_status_t read_feature(const ctx_t *c, const json_object *o, const char *path, long id)
{
    char sub[PATH_MAX_LEN];
    json_object *geom = NULL;
    feat_t like = {.id = id};
    size_t text_mark = c->j->text.len;
    cor_status_t st = expect_type(c, o, path, "Feature");
    if (st != COR_OK)
        return st;
    if (!json_object_object_get_ex(o, "geometry", &geom))
        return fail_at(c, COR_ERR_DATA, path, "\"geometry\" is missing (null means none)");
    st = read_properties(c, o, path, &like);
    if (st != COR_OK)
        return st;
    if (!geom) {
        c->j->nprops = like.first_prop;
        c->j->text.len = text_mark;
        return COR_OK;
    }
    path_key(sub, path, "geometry");
    return read_geometry(c, geom, sub, &like);
}

static cor_status_t read_collection_root(const ctx_t *c, const json_object *root)
{
    char sub[PATH_MAX_LEN];
    json_object *features = NULL;
    cor_status_t st = get_array(c, root, "", "features", &features);
    size_t n = st == COR_OK ? json_object_array_length(features) : 0;
    for (size_t i = 0; i < n && st == COR_OK; i++) {
        path_index(sub, "", "features", i);
        st = read_feature(c, json_object_array_get_idx(features, i), sub, (long)i);
    }
    return st;
}

/* A 2008-style "crs" member: only longitude/latitude on WGS 84 is usable as it stands. */
static cor_status_t check_crs(const ctx_t *c, const json_object *root)
{
    json_object *crs = NULL, *props = NULL, *name = NULL;
    if (!json_object_object_get_ex(root, "crs", &crs) || !crs)
        return COR_OK;
    if (!json_object_object_get_ex(crs, "properties", &props) ||
        !json_object_object_get_ex(props, "name", &name) ||
        !json_object_is_type(name, json_type_string))
        return COR_OK; /* a linked or odd crs: foreign member, ignored */
    const char *s = json_object_get_string(name);
    if (strstr(s, "CRS84") || strstr(s, "crs84") || strstr(s, "4326"))
        return COR_OK;
    return fail_at(c, COR_ERR_DATA, "crs",
                   "'%s' is not longitude/latitude; GeoJSON overlays must be in WGS 84 "
                   "degrees (RFC 7946)",
                   s);
}

static cor_status_t read_root(const ctx_t *c, const json_object *root)
{
    const char *type = NULL;
    if (!json_object_is_type(root, json_type_object))
        return fail_at(c, COR_ERR_DATA, "", "expected a GeoJSON object, not %s", kind_of(root));
    cor_status_t st = get_type(c, root, "", &type);
    if (st == COR_OK)
        st = check_crs(c, root);
    if (st != COR_OK)
        return st;
    if (strcmp(type, "FeatureCollection") == 0)
        return read_collection_root(c, root);
    if (strcmp(type, "Feature") == 0)
        return read_feature(c, root, "", 0);
    feat_t like = {0};
    return read_geometry(c, root, "", &like);
}

/* Turns the pool offsets into the names and values handed out with features. */
static bool finish(cor__json_t *j)
{
    j->names = cor__calloc(j->nprops, sizeof *j->names);
    j->values = cor__calloc(j->nprops, sizeof *j->values);
    if (!j->names || !j->values)
        return false;
    for (size_t i = 0; i < j->nprops; i++) {
        const prop_t *p = &j->props[i];
        j->names[i] = j->text.data + p->name_off;
        j->values[i] = p->value;
        if (p->value.type == COR__ATTR_STRING)
            j->values[i].str = j->text.data + p->str_off;
    }
    free(j->props);
    j->props = NULL;
    j->cap_props = 0;
    return true;
}

/* ---- the interface ---- */

cor_status_t cor__json_parse_limited(const char *text, size_t len, const char *name,
                                     const cor__json_limits_t *limits, cor__json_t **out,
                                     cor_error_t *err)
{
    ctx_t c = {
        .name = name ? name : "GeoJSON", .limits = limits ? limits : &DEFAULT_LIMITS, .err = err};
    json_object *root = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte order mark: skipped */
        text += 3;
        len -= 3;
    }
    cor_status_t st = check_text(&c, text, len);
    if (st == COR_OK && len > INT32_MAX)
        st = fail_at(&c, COR_ERR_LIMIT, "", "too large for json-c");
    if (st == COR_OK)
        st = tokenize(&c, text, len, &root);
    if (st != COR_OK)
        return st;
    c.j = cor__calloc(1, sizeof *c.j);
    if (!c.j) {
        st = nomem(&c);
        goto fail;
    }
    st = read_root(&c, root);
    json_object_put(root);
    root = NULL;
    if (st == COR_OK && !finish(c.j))
        st = nomem(&c);
    if (st != COR_OK)
        goto fail;
    *out = c.j;
    return COR_OK;
fail:
    json_object_put(root);
    cor__json_close(c.j);
    return st;
}

cor_status_t cor__json_parse(const char *text, size_t len, const char *name, cor__json_t **out,
                             cor_error_t *err)
{
    return cor__json_parse_limited(text, len, name, NULL, out, err);
}

cor_status_t cor__json_open_limited(const char *path, const cor__json_limits_t *limits,
                                    cor__json_t **out, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0;
    cor_status_t st =
        cor__read_file(path, limits ? limits->max_bytes : COR__JSON_MAX_BYTES, &text, &len, err);
    if (st == COR_OK)
        st = cor__json_parse_limited(text, len, path, limits, out, err);
    free(text);
    return st;
}

cor_status_t cor__json_open(const char *path, cor__json_t **out, cor_error_t *err)
{
    return cor__json_open_limited(path, NULL, out, err);
}

void cor__json_close(cor__json_t *j)
{
    if (!j)
        return;
    free(j->x);
    free(j->y);
    free(j->parts);
    free(j->feats);
    free(j->props);
    free(j->names);
    free(j->values);
    cor__buf_free(&j->text);
    free(j);
}

size_t cor__json_count(const cor__json_t *j)
{
    return j ? j->nfeats : 0;
}

cor_status_t cor__json_each(const cor__json_t *j, cor__feature_fn fn, void *ud, cor_error_t *err)
{
    for (size_t i = 0; i < j->nfeats; i++) {
        const feat_t *ft = &j->feats[i];
        cor__geom_t g = {.kind = ft->kind,
                         .npoints = ft->npoints,
                         .x = j->x + ft->first_point,
                         .y = j->y + ft->first_point,
                         .nparts = ft->nparts,
                         .parts = j->parts + ft->first_part};
        cor__feature_t f = {.id = ft->id,
                            .geom = &g,
                            .nfields = ft->nprops,
                            .names = j->names + ft->first_prop,
                            .values = j->values + ft->first_prop};
        cor_status_t st = fn(&f, ud, err);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}
