/* SPDX-License-Identifier: MIT */
/* shp_check: the .shp, .shx and .dbf headers and every record header read with bounds and
 * compared with the real file sizes, so that shapelib later opens only files whose every count,
 * offset and length has been checked. Records are numbered from 0 in messages, like feature ids.
 * Nothing here decodes attributes, projects, draws or prints. */
#include "shp_check.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shapefil.h>

#define SHP_HEADER 100
#define DBF_HEADER 32
#define SHP_MAX    UINT32_MAX /* shapelib keeps offsets in 32 bits */
/* shapelib refuses records and files beyond these (shpopen.c); we say so before it does. */
#define SHAPELIB_MAX_POINTS  50000000
#define SHAPELIB_MAX_PARTS   10000000
#define SHAPELIB_MAX_RECORDS 256000000

static const cor__shp_type_t TYPES[] = {
    {SHPT_NULL, "Null", COR__GEOM_NONE, 'N', false},
    {SHPT_POINT, "Point", COR__GEOM_POINT, 'P', false},
    {SHPT_ARC, "LineString", COR__GEOM_LINE, 'L', false},
    {SHPT_POLYGON, "Polygon", COR__GEOM_POLYGON, 'L', false},
    {SHPT_MULTIPOINT, "MultiPoint", COR__GEOM_POINT, 'M', false},
    {SHPT_POINTZ, "PointZ", COR__GEOM_POINT, 'P', true},
    {SHPT_ARCZ, "LineStringZ", COR__GEOM_LINE, 'L', true},
    {SHPT_POLYGONZ, "PolygonZ", COR__GEOM_POLYGON, 'L', true},
    {SHPT_MULTIPOINTZ, "MultiPointZ", COR__GEOM_POINT, 'M', true},
    {SHPT_POINTM, "PointM", COR__GEOM_POINT, 'P', false},
    {SHPT_ARCM, "LineStringM", COR__GEOM_LINE, 'L', false},
    {SHPT_POLYGONM, "PolygonM", COR__GEOM_POLYGON, 'L', false},
    {SHPT_MULTIPOINTM, "MultiPointM", COR__GEOM_POINT, 'M', false},
    {SHPT_MULTIPATCH, "MultiPatch", COR__GEOM_NONE, 'H', true},
};

/* What checking the .shp and .shx carries along. */
typedef struct check {
    const char *path, *shx_path;
    cor__shp_geometry_t g;
    unsigned char header[SHP_HEADER]; /* the .shp's */
    uint64_t declared;                /* the length the .shp's header gives, in bytes */
    double header_box[4];
} check_t;

cor_status_t cor__shp_check_fail_record(cor_error_t *err, cor_status_t code, const char *path,
                                        size_t i, const char *fmt, ...)
{
    char msg[COR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cor__fail(err, code, "%s: record %zu: %s", path, i, msg);
}

static cor_status_t nomem(cor_error_t *err, const char *path)
{
    return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
}

/* ---- bytes we have bounds for ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int32_t le32s(const unsigned char *p)
{
    uint32_t u = le32(p);
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(UINT32_MAX - u) - 1;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[1] << 8 | p[0];
}

static double le64f(const unsigned char *p)
{
    uint64_t u = (uint64_t)le32(p + 4) << 32 | le32(p);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* ---- the .shp and .shx headers ---- */

static const cor__shp_type_t *find_type(int32_t code)
{
    for (size_t i = 0; i < COR__ARRAY_LEN(TYPES); i++)
        if (TYPES[i].code == code)
            return &TYPES[i];
    return NULL;
}

/* Reads the 100-byte header of a .shp or .shx into h. */
static cor_status_t read_main_header(cor__shp_reader_t *r, unsigned char *h, cor_error_t *err)
{
    if (r->size == 0)
        return cor__fail(err, COR_ERR_DATA, "%s: empty file", r->path);
    if (r->size < SHP_HEADER)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu64 " bytes, too short for the %d-byte header", r->path,
                         r->size, SHP_HEADER);
    return cor__shp_reader_read(r, 0, h, SHP_HEADER, err);
}

/* Checks the header fields .shp and .shx share: file code, version, shape type, length.
 * An index must be exactly as long as it says; a .shp at least as long. */
static cor_status_t check_main_header(cor__shp_reader_t *r, const unsigned char *h, bool index,
                                      const cor__shp_type_t **type, cor_error_t *err)
{
    uint64_t declared = (uint64_t)be32(h + 24) * 2;
    if (be32(h) != 9994)
        return cor__fail(err, COR_ERR_DATA, "%s: file code %" PRIu32 ", not a shapefile's 9994",
                         r->path, be32(h));
    if (le32(h + 28) != 1000)
        return cor__fail(err, COR_ERR_DATA, "%s: version %" PRIu32 ", not 1000", r->path,
                         le32(h + 28));
    *type = find_type(le32s(h + 32));
    if (!*type)
        return cor__fail(err, COR_ERR_DATA, "%s: unknown shape type %" PRId32, r->path,
                         le32s(h + 32));
    if (index ? declared != r->size : declared > r->size)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: header declares %" PRIu64 " bytes but the file has %" PRIu64 "%s",
                         r->path, declared, r->size, declared > r->size ? " (truncated?)" : "");
    if (r->size > SHP_MAX)
        return cor__fail(err, COR_ERR_LIMIT,
                         "%s: %" PRIu64 " bytes, more than a shapefile can address", r->path,
                         r->size);
    return COR_OK;
}

static cor_status_t check_shp_header(check_t *c, cor__shp_reader_t *shp, cor_error_t *err)
{
    unsigned char h[SHP_HEADER];
    cor_status_t st = read_main_header(shp, h, err);
    if (st == COR_OK)
        st = check_main_header(shp, h, false, &c->g.type, err);
    for (int k = 0; st == COR_OK && k < 4; k++)
        c->header_box[k] = le64f(h + 36 + 8 * k);
    memcpy(c->header, h, SHP_HEADER);
    c->declared = (uint64_t)be32(h + 24) * 2;
    return st;
}

/* Checks the .shx header against the .shp's and sets the record count from the real size. */
static cor_status_t check_shx_header(check_t *c, cor__shp_reader_t *shx, cor_error_t *err)
{
    unsigned char h[SHP_HEADER];
    const cor__shp_type_t *type = NULL;
    cor_status_t st = read_main_header(shx, h, err);
    if (st == COR_OK)
        st = check_main_header(shx, h, true, &type, err);
    if (st != COR_OK)
        return st;
    if (type != c->g.type)
        return cor__fail(err, COR_ERR_DATA, "%s: shape type %s differs from %s's %s", shx->path,
                         type->name, c->path, c->g.type->name);
    if ((shx->size - SHP_HEADER) % 8 != 0)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu64 " bytes after the header are not whole 8-byte entries",
                         shx->path, shx->size - SHP_HEADER);
    c->g.nrec = (size_t)((shx->size - SHP_HEADER) / 8);
    if (c->g.nrec > SHAPELIB_MAX_RECORDS)
        return cor__fail(err, COR_ERR_LIMIT, "%s: %zu records, more than the %d shapelib reads",
                         shx->path, c->g.nrec, SHAPELIB_MAX_RECORDS);
    return COR_OK;
}

/* ---- records ---- */

static void set_box(cor__shp_rec_t *rec, const unsigned char *p)
{
    for (int k = 0; k < 4; k++)
        rec->box[k] = le64f(p + 8 * k);
}

static cor_status_t too_short(const check_t *c, size_t i, uint64_t len, cor_error_t *err)
{
    return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                      "%" PRIu64 "-byte record too short for a %s", len,
                                      c->g.type->name);
}

/* A point record: type, x, y (then z for PointZ; m is optional). */
static cor_status_t check_point(const check_t *c, size_t i, const unsigned char *p, uint64_t len,
                                cor__shp_rec_t *rec, cor_error_t *err)
{
    uint64_t need = 20 + (c->g.type->z ? 8 : 0);
    if (len < need)
        return too_short(c, i, len, err);
    double x = le64f(p + 4), y = le64f(p + 12);
    rec->nparts = rec->npoints = 1;
    rec->box[0] = rec->box[2] = x;
    rec->box[1] = rec->box[3] = y;
    return COR_OK;
}

/* Bytes taken by n points: x and y, plus z range and values for Z types (m is optional). */
static uint64_t points_bytes(const cor__shp_type_t *type, int32_t n)
{
    return 16 * (uint64_t)n + (type->z ? 16 + 8 * (uint64_t)n : 0);
}

/* A multipoint record: type, box, nPoints, points. */
static cor_status_t check_multipoint(const check_t *c, size_t i, const unsigned char *p,
                                     uint64_t len, cor__shp_rec_t *rec, cor_error_t *err)
{
    if (len < 40)
        return too_short(c, i, len, err);
    int32_t n = le32s(p + 36);
    if (n < 0)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "negative point count %" PRId32, n);
    if (40 + points_bytes(c->g.type, n) > len)
        return cor__shp_check_fail_record(
            err, COR_ERR_DATA, c->path, i,
            "%" PRId32 " points do not fit in a %" PRIu64 "-byte record", n, len);
    if (n > SHAPELIB_MAX_POINTS)
        return cor__shp_check_fail_record(err, COR_ERR_LIMIT, c->path, i,
                                          "%" PRId32 " points, more than the %d shapelib reads", n,
                                          SHAPELIB_MAX_POINTS);
    rec->nparts = rec->npoints = n;
    set_box(rec, p + 4);
    return COR_OK;
}

/* Why part k cannot start at point `start`, or NULL when it can. */
static const char *bad_start(int32_t k, int32_t start, int32_t prev, int32_t npoints)
{
    return start < 0              ? "is negative"
           : k == 0 && start != 0 ? "is not 0"
           : start <= prev        ? "does not follow the previous part's"
           : start >= npoints     ? "is past the last point"
                                  : NULL;
}

/* Checks that part starts begin at 0, increase and stay below npoints; they follow the
 * 44-byte record head at `at` and are read in chunks. */
static cor_status_t check_part_starts(const check_t *c, cor__shp_reader_t *r, size_t i, uint64_t at,
                                      int32_t nparts, int32_t npoints, cor_error_t *err)
{
    unsigned char buf[4 * 256];
    int32_t prev = -1;
    for (int32_t k = 0; k < nparts;) {
        size_t n = nparts - k < 256 ? (size_t)(nparts - k) : 256;
        cor_status_t st = cor__shp_reader_read(r, at + 4 * (uint64_t)k, buf, 4 * n, err);
        if (st != COR_OK)
            return st;
        for (size_t j = 0; j < n; j++, k++) {
            int32_t start = le32s(buf + 4 * j);
            const char *why = bad_start(k, start, prev, npoints);
            if (why)
                return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                                  "part %" PRId32 " starts at point %" PRId32
                                                  ", which %s (%" PRId32 " points)",
                                                  k, start, why, npoints);
            prev = start;
        }
    }
    return COR_OK;
}

/* Checks a parts record's counts against its length `len`. */
static cor_status_t check_counts(const check_t *c, size_t i, uint64_t len, int32_t nparts,
                                 int32_t npoints, cor_error_t *err)
{
    if (nparts < 0 || npoints < 0)
        return cor__shp_check_fail_record(
            err, COR_ERR_DATA, c->path, i, "negative %s count %" PRId32,
            nparts < 0 ? "part" : "point", nparts < 0 ? nparts : npoints);
    uint64_t head = 44 + 4 * (uint64_t)nparts * (c->g.type->layout == 'H' ? 2 : 1);
    if (head > len)
        return cor__shp_check_fail_record(
            err, COR_ERR_DATA, c->path, i,
            "%" PRId32 " parts do not fit in a %" PRIu64 "-byte record", nparts, len);
    if (head + points_bytes(c->g.type, npoints) > len)
        return cor__shp_check_fail_record(
            err, COR_ERR_DATA, c->path, i,
            "%" PRId32 " points do not fit in a %" PRIu64 "-byte record", npoints, len);
    if (npoints > SHAPELIB_MAX_POINTS || nparts > SHAPELIB_MAX_PARTS)
        return cor__shp_check_fail_record(
            err, COR_ERR_LIMIT, c->path, i,
            "%" PRId32 " points in %" PRId32 " parts, more than shapelib reads", npoints, nparts);
    if ((nparts == 0) != (npoints == 0))
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "%" PRId32 " points in %" PRId32 " parts", npoints,
                                          nparts);
    return COR_OK;
}

/* A line, polygon or multipatch record: type, box, nParts, nPoints, part starts, (multipatch:
 * part types), points. Counts must be consistent with the record's length. */
static cor_status_t check_parts(const check_t *c, cor__shp_reader_t *r, size_t i, uint64_t off,
                                const unsigned char *p, uint64_t len, cor__shp_rec_t *rec,
                                cor_error_t *err)
{
    if (len < 44)
        return too_short(c, i, len, err);
    int32_t nparts = le32s(p + 36), npoints = le32s(p + 40);
    cor_status_t st = check_counts(c, i, len, nparts, npoints, err);
    if (st != COR_OK)
        return st;
    rec->nparts = nparts;
    rec->npoints = npoints;
    set_box(rec, p + 4);
    return check_part_starts(c, r, i, off + 8 + 44, nparts, npoints, err);
}

/* Checks where the index entry i points (offset and length in bytes) and reads the record's
 * head into h; *len is the record's own length. */
static cor_status_t check_record_place(const check_t *c, cor__shp_reader_t *r, size_t i,
                                       uint64_t off, uint64_t shx_len, unsigned char h[52],
                                       uint64_t *len, cor_error_t *err)
{
    if (off < SHP_HEADER)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "offset %" PRIu64 " is inside the %d-byte header", off,
                                          SHP_HEADER);
    if (off > r->size || r->size - off < 8)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "offset %" PRIu64 " is outside the %" PRIu64 "-byte file",
                                          off, r->size);
    uint64_t room = r->size - off - 8;
    cor_status_t st = cor__shp_reader_read(r, off, h, room + 8 < 52 ? (size_t)room + 8 : 52, err);
    if (st != COR_OK)
        return st;
    *len = (uint64_t)be32(h + 4) * 2;
    /* shapelib tolerates an index length that counts the 8-byte record header too */
    if (*len != shx_len && *len + 8 != shx_len)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "length %" PRIu64 " differs from %" PRIu64 " in %s", *len,
                                          shx_len, c->shx_path);
    if (*len > room)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "%" PRIu64 "-byte record at byte %" PRIu64
                                          " runs past the end of the %" PRIu64 "-byte file",
                                          *len, off, r->size);
    if (*len < 4)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "%" PRIu64 "-byte record has no shape type", *len);
    return COR_OK;
}

/* Checks the record index entry i points at (offset and length in bytes) and notes its box. */
static cor_status_t check_record(const check_t *c, cor__shp_reader_t *r, size_t i, uint64_t off,
                                 uint64_t shx_len, cor__shp_rec_t *rec, cor_error_t *err)
{
    unsigned char h[8 + 44] = {0};
    uint64_t len = 0;
    cor_status_t st = check_record_place(c, r, i, off, shx_len, h, &len, err);
    if (st != COR_OK)
        return st;
    int32_t type = le32s(h + 8);
    if (type == SHPT_NULL)
        return COR_OK;
    if (type != c->g.type->code)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "shape type %" PRId32 " in a %s file", type,
                                          c->g.type->name);
    if (c->g.type->layout == 'P')
        return check_point(c, i, h + 8, len, rec, err);
    if (c->g.type->layout == 'M')
        return check_multipoint(c, i, h + 8, len, rec, err);
    return check_parts(c, r, i, off, h + 8, len, rec, err);
}

static void put_be32(unsigned char *p, uint64_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* Checks the record whose header is at `off` (the walk's i-th) and appends its index entry;
 * *next is where the following record starts. */
static cor_status_t walk_one(check_t *c, cor__shp_reader_t *shp, size_t i, uint64_t off,
                             cor__buf_t *index, uint64_t *next, cor_error_t *err)
{
    unsigned char h[8];
    if (c->declared - off < 8)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, c->path, i,
                                          "%" PRIu64 " bytes at byte %" PRIu64
                                          " are too short for a record header",
                                          c->declared - off, off);
    if (i >= SHAPELIB_MAX_RECORDS)
        return cor__fail(err, COR_ERR_LIMIT, "%s: more than the %d records shapelib reads", c->path,
                         SHAPELIB_MAX_RECORDS);
    cor_status_t st = cor__shp_reader_read(shp, off, h, 8, err);
    uint64_t len = (uint64_t)be32(h + 4) * 2;
    if (st == COR_OK)
        st = check_record(c, shp, i, off, len, &c->g.recs[i], err);
    unsigned char e[8];
    put_be32(e, off / 2);
    put_be32(e + 4, len / 2);
    if (st == COR_OK && !cor__buf_append(index, e, 8))
        st = nomem(err, c->path);
    *next = off + 8 + len;
    return st;
}

/* Finds the records by walking the .shp's own record headers from the first to the header's
 * length, checking each as the index would, and makes the index they give (a .shx's bytes). The
 * number of records is bounded by the file: each takes at least 12 bytes. */
static cor_status_t walk_records(check_t *c, cor__shp_reader_t *shp, cor_error_t *err)
{
    cor__buf_t index = {0};
    size_t cap = 0;
    cor_status_t st = cor__buf_append(&index, c->header, SHP_HEADER) ? COR_OK : nomem(err, c->path);
    for (uint64_t off = SHP_HEADER; st == COR_OK && off < c->declared; c->g.nrec++) {
        size_t i = c->g.nrec;
        if (!cor__grow((void **)&c->g.recs, &cap, i + 1, sizeof *c->g.recs)) {
            st = nomem(err, c->path);
            break;
        }
        memset(&c->g.recs[i], 0, sizeof c->g.recs[i]);
        st = walk_one(c, shp, i, off, &index, &off, err);
        if (st == COR_OK && c->g.recs[i].npoints == 0)
            c->g.nnull++;
    }
    if (st != COR_OK) {
        cor__buf_free(&index);
        return st;
    }
    put_be32((unsigned char *)index.data + 24, index.len / 2);
    c->g.index = (unsigned char *)index.data;
    c->g.index_len = index.len;
    return COR_OK;
}

/* Walks the index, checking every record it points at. */
static cor_status_t check_records(check_t *c, cor__shp_reader_t *shp, cor__shp_reader_t *shx,
                                  cor_error_t *err)
{
    c->g.recs = cor__calloc(c->g.nrec, sizeof *c->g.recs);
    if (!c->g.recs)
        return nomem(err, c->path);
    for (size_t i = 0; i < c->g.nrec; i++) {
        unsigned char e[8];
        cor_status_t st = cor__shp_reader_read(shx, SHP_HEADER + 8 * (uint64_t)i, e, 8, err);
        if (st == COR_OK)
            st = check_record(c, shp, i, (uint64_t)be32(e) * 2, (uint64_t)be32(e + 4) * 2,
                              &c->g.recs[i], err);
        if (st != COR_OK)
            return st;
        if (c->g.recs[i].npoints == 0)
            c->g.nnull++;
    }
    return COR_OK;
}

/* The header's box when it is a real one, else the union of the record boxes. */
static void compute_extent(check_t *c)
{
    const double *h = c->header_box;
    cor_bbox_t *e = &c->g.extent;
    bool ok = true;
    for (int k = 0; k < 4; k++)
        ok = ok && isfinite(h[k]);
    if (ok && h[0] <= h[2] && h[1] <= h[3]) {
        *e = (cor_bbox_t){h[0], h[1], h[2], h[3]};
        return;
    }
    *e = (cor_bbox_t){INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < c->g.nrec; i++) {
        const double *b = c->g.recs[i].box;
        if (c->g.recs[i].npoints == 0 || !isfinite(b[0] + b[1] + b[2] + b[3]))
            continue;
        e->minx = fmin(e->minx, b[0]);
        e->miny = fmin(e->miny, b[1]);
        e->maxx = fmax(e->maxx, b[2]);
        e->maxy = fmax(e->maxy, b[3]);
    }
}

/* Checks the records through the .shx at c->shx_path. */
static cor_status_t index_records(check_t *c, cor__shp_reader_t *shp, cor_error_t *err)
{
    cor__shp_reader_t shx = {.fd = -1};
    cor_status_t st = cor__shp_reader_open(&shx, c->shx_path, err);
    if (st == COR_OK)
        st = check_shx_header(c, &shx, err);
    if (st == COR_OK)
        st = check_records(c, shp, &shx, err);
    c->g.shx_size = shx.size;
    cor__shp_reader_close(&shx);
    return st;
}

/* After the index failed with `why` (or there is none): the records by the .shp's own headers,
 * and the warning saying so. Returns: COR_OK; the index's error when there is an index (it
 * names what is wrong first), else the walk's. */
static cor_status_t walk_instead(check_t *c, cor__shp_reader_t *shp, cor_status_t why_code,
                                 const cor_error_t *why, cor_error_t *err)
{
    cor_error_t walk = {0};
    free(c->g.recs);
    c->g.recs = NULL;
    c->g.nrec = c->g.nnull = 0;
    c->g.shx_size = 0;
    cor_status_t st = walk_records(c, shp, &walk);
    if (st != COR_OK)
        return c->shx_path ? cor__fail(err, why_code, "%s", why->message)
                           : cor__fail(err, st, "%s", walk.message);
    c->g.warning = c->shx_path
                       ? cor__asprintf("%s; its %zu records are read by the .shp's own record "
                                       "headers instead",
                                       why->message, c->g.nrec)
                       : cor__asprintf("%s: no .shx index beside it: rebuilt in memory from the "
                                       "%zu record headers in the .shp",
                                       c->path, c->g.nrec);
    return c->g.warning ? COR_OK : nomem(err, c->path);
}

cor_status_t cor__shp_check_geometry(const char *shp_path, const char *shx_path,
                                     cor__shp_geometry_t *out, cor_error_t *err)
{
    check_t c = {.path = shp_path, .shx_path = shx_path};
    cor__shp_reader_t shp = {.fd = -1};
    cor_error_t why = {0};
    cor_status_t st = cor__shp_reader_open(&shp, shp_path, err);
    if (st == COR_OK)
        st = check_shp_header(&c, &shp, err);
    cor_status_t via_index = st == COR_OK && shx_path ? index_records(&c, &shp, &why) : COR_ERR_IO;
    if (st == COR_OK && via_index != COR_OK) {
        /* Only an index that reads but disagrees is replaced; one that cannot be read is not. */
        if (shx_path && via_index != COR_ERR_DATA)
            st = cor__fail(err, via_index, "%s", why.message);
        else
            st = walk_instead(&c, &shp, via_index, &why, err);
    }
    if (st == COR_OK)
        compute_extent(&c);
    c.g.shp_size = shp.size;
    cor__shp_reader_close(&shp);
    if (st != COR_OK) {
        free(c.g.recs);
        free(c.g.index);
        free(c.g.warning);
        return st;
    }
    *out = c.g;
    return COR_OK;
}

/* ---- the .dbf ---- */

/* Counts the field descriptors in the area after the header, up to the 0x0D terminator. */
static size_t count_fields(const unsigned char *d, size_t area)
{
    size_t n = 0;
    while (32 * (n + 1) <= area && d[32 * n] != 0x0D)
        n++;
    return n;
}

/* Reads the field descriptors in [32, header length) and checks that their widths plus the
 * deletion flag make up the record length. */
static cor_status_t read_fields(cor__shp_reader_t *r, cor__dbf_layout_t *l, cor_error_t *err)
{
    size_t area = l->header_len - DBF_HEADER, n = 0, at = 1;
    unsigned char *d = malloc(area + 1);
    cor_status_t st = d ? cor__shp_reader_read(r, DBF_HEADER, d, area, err) : nomem(err, r->path);
    if (st == COR_OK) {
        n = count_fields(d, area);
        if (!(l->fields = cor__calloc(n, sizeof *l->fields)))
            st = nomem(err, r->path);
    }
    for (size_t k = 0; st == COR_OK && k < n; k++) {
        const unsigned char *f = d + 32 * k;
        char type = f[11] >= 'a' && f[11] <= 'z' ? (char)(f[11] - 'a' + 'A') : (char)f[11];
        bool text = type != 'N' && type != 'F' && type != 'L' && type != 'D';
        l->fields[k] = (cor__dbf_field_t){type, text, at, f[16], 0, ""};
        l->fields[k].decimals = (type == 'N' || type == 'F') ? f[17] : 0;
        memcpy(l->fields[k].name, f, 11);
        at += f[16];
        l->nfields = k + 1;
    }
    free(d);
    if (st == COR_OK && at != l->record_len)
        st = cor__fail(err, COR_ERR_DATA,
                       "%s: the %zu fields and the deletion flag take %zu"
                       " bytes but records are %u bytes",
                       r->path, n, at, l->record_len);
    return st;
}

/* Checks the 32-byte .dbf header against the file's size. */
static cor_status_t check_dbf_header(cor__shp_reader_t *r, cor__dbf_layout_t *l, cor_error_t *err)
{
    unsigned char h[DBF_HEADER];
    if (r->size < DBF_HEADER)
        return cor__fail(err, COR_ERR_DATA,
                         r->size ? "%s: %" PRIu64 " bytes, too short for the 32-byte header"
                                 : "%s: empty file",
                         r->path, r->size);
    cor_status_t st = cor__shp_reader_read(r, 0, h, DBF_HEADER, err);
    if (st != COR_OK)
        return st;
    l->size = r->size;
    l->nrec = le32(h + 4);
    l->header_len = le16(h + 8);
    l->record_len = le16(h + 10);
    l->ldid = h[29];
    if (l->header_len < DBF_HEADER || l->header_len > r->size)
        return cor__fail(err, COR_ERR_DATA, "%s: header length %u is outside 32..%" PRIu64, r->path,
                         l->header_len, r->size);
    if (l->record_len == 0)
        return cor__fail(err, COR_ERR_DATA, "%s: record length 0", r->path);
    if ((uint64_t)l->nrec * l->record_len > r->size - l->header_len)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu32
                         " records of %u bytes after a %u-byte header do not fit in the %" PRIu64
                         "-byte file",
                         r->path, l->nrec, l->record_len, l->header_len, r->size);
    return COR_OK;
}

/* Counts the records whose deletion flag is '*' (the header says they fit in the file). */
static cor_status_t count_deleted(cor__shp_reader_t *r, cor__dbf_layout_t *l, cor_error_t *err)
{
    for (uint32_t i = 0; i < l->nrec; i++) {
        unsigned char flag;
        cor_status_t st =
            cor__shp_reader_read(r, l->header_len + (uint64_t)i * l->record_len, &flag, 1, err);
        if (st != COR_OK)
            return st;
        l->ndeleted += flag == '*';
    }
    return COR_OK;
}

cor_status_t cor__shp_check_dbf(cor__shp_reader_t *r, const char *shp, size_t nrec,
                                cor__dbf_layout_t *out, cor_error_t *err)
{
    cor__dbf_layout_t l = {0};
    cor_status_t st = check_dbf_header(r, &l, err);
    if (st == COR_OK)
        st = read_fields(r, &l, err);
    if (st == COR_OK)
        st = count_deleted(r, &l, err);
    if (st == COR_OK && l.nrec != nrec)
        st = cor__fail(err, COR_ERR_DATA, "%s has %" PRIu32 " records but %s has %zu", r->path,
                       l.nrec, shp, nrec);
    if (st != COR_OK) {
        free(l.fields);
        return st;
    }
    *out = l;
    return COR_OK;
}
