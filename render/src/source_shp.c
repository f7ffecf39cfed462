/* source_shp: shapefiles through shapelib, with every number in the files checked first. Opening
 * reads the .shp, .shx and .dbf headers and every record header itself, compares each count,
 * offset and length with the real file sizes, and only then lets shapelib open exactly the files
 * it checked, through hooks that turn shapelib's messages into returned errors. Records are
 * numbered from 0 in messages, like feature ids. Nothing here prints, exits, projects or draws. */
#include "source_shp.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shapefil.h>

#include "util.h"

#define SHP_HEADER 100
#define DBF_HEADER 32
#define PRJ_MAX    (64 * 1024)
#define CPG_MAX    4096
#define WINDOW     4096          /* bytes read at once while walking record headers */
#define SAMPLE_MAX (1024 * 1024) /* .dbf bytes looked at to guess an undeclared encoding */
#define SHP_MAX    UINT32_MAX    /* shapelib keeps offsets in 32 bits */
/* what an encoding name passed to iconv as written may contain: no paths, no "//" suffixes */
#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:"
/* shapelib refuses records and files beyond these (shpopen.c); we say so before it does. */
#define SHAPELIB_MAX_POINTS  50000000
#define SHAPELIB_MAX_PARTS   10000000
#define SHAPELIB_MAX_RECORDS 256000000

/* A shape type: its code in the files, its name, how features are delivered and how records of
 * it are laid out ('N'ull, 'P'oint, 'M'ultipoint, 'L'ines and polygons, multipatc'H'). */
typedef struct shape_type {
    int code;
    const char *name;
    cor__geom_kind_t kind;
    char layout;
    bool z;
} shape_type_t;

static const shape_type_t TYPES[] = {
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

/* What opening learnt about one record. npoints == 0 marks a null or empty shape. */
typedef struct rec {
    int32_t nparts, npoints; /* a point has one of each */
    double box[4];           /* minx, miny, maxx, maxy; the point itself for points */
} rec_t;

/* A .dbf field: its type letter and where its bytes are in a record. */
typedef struct field {
    char type;
    size_t offset, width;
} field_t;

struct cor__shp {
    char *path, *shx_path, *dbf_path;
    const shape_type_t *type;
    uint64_t shp_size, shx_size, dbf_size;
    double header_box[4];
    cor_bbox_t extent;
    size_t nrec, nnull;
    rec_t *recs;
    char *prj;
    /* attributes */
    char encoding[64];
    const char *encoding_source;
    iconv_t cd, cd_latin1; /* cd_latin1: fallback for an assumed UTF-8 that is not */
    uint32_t dbf_nrec;
    unsigned dbf_header_len, dbf_record_len, ldid;
    size_t nfields;
    field_t *fields;
    cor_field_info_t *info;
    char **names;
    /* shapelib, and what each feature reuses */
    SHPHandle hshp;
    DBFHandle hdbf;
    locale_t c_numeric;
    cor__geom_t geom;
    cor__attr_t *values;
    size_t *text_at;
    cor__buf_t text;
};

/* ---- shapelib's hooks: messages captured, files mapped to the ones we checked ---- */

/* The files shapelib may open during cor__shp_open, on this thread. */
typedef struct open_files {
    const char *shp, *shx, *dbf;
    uint64_t shp_size, shx_size, dbf_size;
} open_files_t;

static _Thread_local const open_files_t *tl_files;
static _Thread_local char tl_msg[512];
static _Thread_local bool tl_open_failed;

/* shapelib's Error hook: keeps the first message, on one line. */
static void hook_error(const char *message)
{
    if (tl_msg[0])
        return;
    snprintf(tl_msg, sizeof tl_msg, "%s", message);
    for (char *p = tl_msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static void msg_reset(void)
{
    tl_msg[0] = '\0';
    tl_open_failed = false;
}

/* Opens `path` read-only for shapelib after checking it still has the size we validated. */
static SAFile open_checked(const char *path, uint64_t size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size != size) {
        char why[300];
        snprintf(why, sizeof why, "%s %s", path,
                 f ? "changed while it was being opened" : "cannot be opened");
        hook_error(why);
        tl_open_failed = true;
        if (f)
            fclose(f);
        return NULL;
    }
    return (SAFile)f;
}

/* shapelib's FOpen hook: it builds names from the .shp's stem, trying lower and upper case; we
 * answer with the sibling we found and checked, and refuse anything else (its .cpg reading too). */
static SAFile hook_open(const char *name, const char *access)
{
    const open_files_t *files = tl_files;
    if (!files || strchr(access, 'w') || strchr(access, '+') || strchr(access, 'a'))
        return NULL;
    if (cor__ends_with_ci(name, ".shp"))
        return open_checked(files->shp, files->shp_size);
    if (cor__ends_with_ci(name, ".shx"))
        return open_checked(files->shx, files->shx_size);
    if (files->dbf && cor__ends_with_ci(name, ".dbf"))
        return open_checked(files->dbf, files->dbf_size);
    errno = ENOENT;
    return NULL;
}

/* ---- errors ---- */

static cor_status_t nomem(cor_error_t *err, const char *path)
{
    return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
}

/* Fails with "<file>: record <i>: <message>". */
static cor_status_t COR__PRINTF(5, 6)
    rec_fail(cor_error_t *err, cor_status_t code, const char *path, size_t i, const char *fmt, ...)
{
    char msg[COR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cor__fail(err, code, "%s: record %zu: %s", path, i, msg);
}

/* ---- reading bytes we have bounds for ---- */

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

/* A file read with pread through a window, so walking many small records costs few calls. */
typedef struct reader {
    const char *path;
    int fd;
    uint64_t size;
    unsigned char *win;
    uint64_t win_off;
    size_t win_len;
} reader_t;

static cor_status_t rd_open(reader_t *r, const char *path, cor_error_t *err)
{
    struct stat st;
    *r = (reader_t){.path = path, .fd = open(path, O_RDONLY | O_CLOEXEC)};
    if (r->fd < 0)
        return cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode))
        return cor__fail(err, COR_ERR_IO, "%s: not a regular file", path);
    r->size = (uint64_t)st.st_size;
    r->win = malloc(WINDOW);
    return r->win ? COR_OK : nomem(err, path);
}

static void rd_close(reader_t *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->win);
    r->fd = -1;
    r->win = NULL;
}

static cor_status_t rd_pread(reader_t *r, uint64_t off, void *dst, size_t len, cor_error_t *err)
{
    unsigned char *p = dst;
    while (len > 0) {
        ssize_t got = pread(r->fd, p, len, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return cor__fail(err, COR_ERR_IO, "%s: cannot read at byte %" PRIu64 ": %s", r->path,
                             off, got < 0 ? strerror(errno) : "the file has shrunk");
        p += got;
        off += (uint64_t)got;
        len -= (size_t)got;
    }
    return COR_OK;
}

/* Copies len bytes at `off` into dst. Callers check the range first; this checks it again. */
static cor_status_t rd_read(reader_t *r, uint64_t off, void *dst, size_t len, cor_error_t *err)
{
    if (off > r->size || len > r->size - off)
        return cor__fail(err, COR_ERR_DATA, "%s: %zu bytes at byte %" PRIu64 " are past its end",
                         r->path, len, off);
    if (len > WINDOW)
        return rd_pread(r, off, dst, len, err);
    if (off < r->win_off || off + len > r->win_off + r->win_len) {
        size_t n = r->size - off < WINDOW ? (size_t)(r->size - off) : WINDOW;
        r->win_len = 0;
        cor_status_t st = rd_pread(r, off, r->win, n, err);
        if (st != COR_OK)
            return st;
        r->win_off = off;
        r->win_len = n;
    }
    memcpy(dst, r->win + (off - r->win_off), len);
    return COR_OK;
}

/* ---- the .shp and .shx headers ---- */

static const shape_type_t *find_type(int32_t code)
{
    for (size_t i = 0; i < COR__ARRAY_LEN(TYPES); i++)
        if (TYPES[i].code == code)
            return &TYPES[i];
    return NULL;
}

/* Reads the 100-byte header of a .shp or .shx into h. */
static cor_status_t read_main_header(reader_t *r, unsigned char *h, cor_error_t *err)
{
    if (r->size == 0)
        return cor__fail(err, COR_ERR_DATA, "%s: empty file", r->path);
    if (r->size < SHP_HEADER)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu64 " bytes, too short for the %d-byte header", r->path,
                         r->size, SHP_HEADER);
    return rd_read(r, 0, h, SHP_HEADER, err);
}

/* Checks the header fields .shp and .shx share: file code, version, shape type, length.
 * An index must be exactly as long as it says; a .shp at least as long. */
static cor_status_t check_main_header(reader_t *r, const unsigned char *h, bool index,
                                      const shape_type_t **type, cor_error_t *err)
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

/* Takes the .shp header's box as the extent when it is a real box. */
static void read_header_box(cor__shp_t *s, const unsigned char *h)
{
    for (int k = 0; k < 4; k++)
        s->header_box[k] = le64f(h + 36 + 8 * k);
}

static cor_status_t check_shp_header(cor__shp_t *s, reader_t *shp, cor_error_t *err)
{
    unsigned char h[SHP_HEADER];
    cor_status_t st = read_main_header(shp, h, err);
    if (st == COR_OK)
        st = check_main_header(shp, h, false, &s->type, err);
    if (st == COR_OK)
        read_header_box(s, h);
    return st;
}

/* Checks the .shx header against the .shp's and sets the record count from the real size. */
static cor_status_t check_shx_header(cor__shp_t *s, reader_t *shx, cor_error_t *err)
{
    unsigned char h[SHP_HEADER];
    const shape_type_t *type = NULL;
    cor_status_t st = read_main_header(shx, h, err);
    if (st == COR_OK)
        st = check_main_header(shx, h, true, &type, err);
    if (st != COR_OK)
        return st;
    if (type != s->type)
        return cor__fail(err, COR_ERR_DATA, "%s: shape type %s differs from %s's %s", shx->path,
                         type->name, s->path, s->type->name);
    if ((shx->size - SHP_HEADER) % 8 != 0)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu64 " bytes after the header are not whole 8-byte entries",
                         shx->path, shx->size - SHP_HEADER);
    s->nrec = (size_t)((shx->size - SHP_HEADER) / 8);
    if (s->nrec > SHAPELIB_MAX_RECORDS)
        return cor__fail(err, COR_ERR_LIMIT, "%s: %zu records, more than the %d shapelib reads",
                         shx->path, s->nrec, SHAPELIB_MAX_RECORDS);
    return COR_OK;
}

/* ---- records ---- */

static void set_box(rec_t *rec, const unsigned char *p)
{
    for (int k = 0; k < 4; k++)
        rec->box[k] = le64f(p + 8 * k);
}

/* A point record: type, x, y (then z for PointZ; m is optional). */
static cor_status_t check_point(const cor__shp_t *s, size_t i, const unsigned char *c, uint64_t len,
                                rec_t *rec, cor_error_t *err)
{
    uint64_t need = 20 + (s->type->z ? 8 : 0);
    if (len < need)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%" PRIu64 "-byte record too short for a %s",
                        len, s->type->name);
    double x = le64f(c + 4), y = le64f(c + 12);
    rec->nparts = rec->npoints = 1;
    rec->box[0] = rec->box[2] = x;
    rec->box[1] = rec->box[3] = y;
    return COR_OK;
}

/* Bytes taken by n points: x and y, plus z range and values for Z types (m is optional). */
static uint64_t points_bytes(const shape_type_t *type, int32_t n)
{
    return 16 * (uint64_t)n + (type->z ? 16 + 8 * (uint64_t)n : 0);
}

/* A multipoint record: type, box, nPoints, points. */
static cor_status_t check_multipoint(const cor__shp_t *s, size_t i, const unsigned char *c,
                                     uint64_t len, rec_t *rec, cor_error_t *err)
{
    if (len < 40)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%" PRIu64 "-byte record too short for a %s",
                        len, s->type->name);
    int32_t n = le32s(c + 36);
    if (n < 0)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "negative point count %" PRId32, n);
    if (40 + points_bytes(s->type, n) > len)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "%" PRId32 " points do not fit in a %" PRIu64 "-byte record", n, len);
    if (n > SHAPELIB_MAX_POINTS)
        return rec_fail(err, COR_ERR_LIMIT, s->path, i,
                        "%" PRId32 " points, more than the %d shapelib reads", n,
                        SHAPELIB_MAX_POINTS);
    rec->nparts = rec->npoints = n;
    set_box(rec, c + 4);
    return COR_OK;
}

/* Checks that part starts begin at 0, increase and stay below npoints; they follow the
 * 44-byte record head at `at` and are read in chunks. */
static cor_status_t check_part_starts(const cor__shp_t *s, reader_t *r, size_t i, uint64_t at,
                                      int32_t nparts, int32_t npoints, cor_error_t *err)
{
    unsigned char buf[4 * 256];
    int32_t prev = -1;
    for (int32_t k = 0; k < nparts;) {
        size_t n = nparts - k < 256 ? (size_t)(nparts - k) : 256;
        cor_status_t st = rd_read(r, at + 4 * (uint64_t)k, buf, 4 * n, err);
        if (st != COR_OK)
            return st;
        for (size_t j = 0; j < n; j++, k++) {
            int32_t start = le32s(buf + 4 * j);
            const char *why = start < 0              ? "is negative"
                              : k == 0 && start != 0 ? "is not 0"
                              : start <= prev        ? "does not follow the previous part's"
                              : start >= npoints     ? "is past the last point"
                                                     : NULL;
            if (why)
                return rec_fail(err, COR_ERR_DATA, s->path, i,
                                "part %" PRId32 " starts at point %" PRId32 ", which %s (%" PRId32
                                " points)",
                                k, start, why, npoints);
            prev = start;
        }
    }
    return COR_OK;
}

/* A line, polygon or multipatch record: type, box, nParts, nPoints, part starts, (multipatch:
 * part types), points. Counts must be consistent with the record's length. */
static cor_status_t check_parts(const cor__shp_t *s, reader_t *r, size_t i, uint64_t off,
                                const unsigned char *c, uint64_t len, rec_t *rec, cor_error_t *err)
{
    if (len < 44)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%" PRIu64 "-byte record too short for a %s",
                        len, s->type->name);
    int32_t nparts = le32s(c + 36), npoints = le32s(c + 40);
    if (nparts < 0 || npoints < 0)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "negative %s count %" PRId32,
                        nparts < 0 ? "part" : "point", nparts < 0 ? nparts : npoints);
    uint64_t head = 44 + 4 * (uint64_t)nparts * (s->type->layout == 'H' ? 2 : 1);
    if (head > len)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "%" PRId32 " parts do not fit in a %" PRIu64 "-byte record", nparts, len);
    if (head + points_bytes(s->type, npoints) > len)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "%" PRId32 " points do not fit in a %" PRIu64 "-byte record", npoints, len);
    if (npoints > SHAPELIB_MAX_POINTS || nparts > SHAPELIB_MAX_PARTS)
        return rec_fail(err, COR_ERR_LIMIT, s->path, i,
                        "%" PRId32 " points in %" PRId32 " parts, more than shapelib reads",
                        npoints, nparts);
    if ((nparts == 0) != (npoints == 0))
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%" PRId32 " points in %" PRId32 " parts",
                        npoints, nparts);
    rec->nparts = nparts;
    rec->npoints = npoints;
    set_box(rec, c + 4);
    return check_part_starts(s, r, i, off + 8 + 44, nparts, npoints, err);
}

/* Checks the record index entry i points at (offset and length in bytes) and notes its box. */
static cor_status_t check_record(const cor__shp_t *s, reader_t *r, size_t i, uint64_t off,
                                 uint64_t shx_len, rec_t *rec, cor_error_t *err)
{
    unsigned char h[8 + 44] = {0};
    if (off < SHP_HEADER)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "offset %" PRIu64 " is inside the %d-byte header", off, SHP_HEADER);
    if (off > r->size || r->size - off < 8)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "offset %" PRIu64 " is outside the %" PRIu64 "-byte file", off, r->size);
    uint64_t room = r->size - off - 8;
    cor_status_t st = rd_read(r, off, h, room + 8 < sizeof h ? (size_t)room + 8 : sizeof h, err);
    if (st != COR_OK)
        return st;
    uint64_t len = (uint64_t)be32(h + 4) * 2;
    /* shapelib tolerates an index length that counts the 8-byte record header too */
    if (len != shx_len && len + 8 != shx_len)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "length %" PRIu64 " differs from %" PRIu64 " in %s", len, shx_len,
                        s->shx_path);
    if (len > room)
        return rec_fail(err, COR_ERR_DATA, s->path, i,
                        "%" PRIu64 "-byte record at byte %" PRIu64
                        " runs past the end of the %" PRIu64 "-byte file",
                        len, off, r->size);
    if (len < 4)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%" PRIu64 "-byte record has no shape type",
                        len);
    int32_t type = le32s(h + 8);
    if (type == SHPT_NULL)
        return COR_OK;
    if (type != s->type->code)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "shape type %" PRId32 " in a %s file", type,
                        s->type->name);
    if (s->type->layout == 'P')
        return check_point(s, i, h + 8, len, rec, err);
    if (s->type->layout == 'M')
        return check_multipoint(s, i, h + 8, len, rec, err);
    return check_parts(s, r, i, off, h + 8, len, rec, err);
}

/* Walks the index, checking every record it points at. */
static cor_status_t check_records(cor__shp_t *s, reader_t *shp, reader_t *shx, cor_error_t *err)
{
    s->recs = cor__calloc(s->nrec, sizeof *s->recs);
    if (!s->recs)
        return nomem(err, s->path);
    for (size_t i = 0; i < s->nrec; i++) {
        unsigned char e[8];
        cor_status_t st = rd_read(shx, SHP_HEADER + 8 * (uint64_t)i, e, 8, err);
        if (st == COR_OK)
            st = check_record(s, shp, i, (uint64_t)be32(e) * 2, (uint64_t)be32(e + 4) * 2,
                              &s->recs[i], err);
        if (st != COR_OK)
            return st;
        if (s->recs[i].npoints == 0)
            s->nnull++;
    }
    return COR_OK;
}

/* The header's box when it is a real one, else the union of the record boxes. */
static void compute_extent(cor__shp_t *s)
{
    const double *h = s->header_box;
    bool ok = true;
    for (int k = 0; k < 4; k++)
        ok = ok && isfinite(h[k]);
    if (ok && h[0] <= h[2] && h[1] <= h[3]) {
        s->extent = (cor_bbox_t){h[0], h[1], h[2], h[3]};
        return;
    }
    s->extent = (cor_bbox_t){INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < s->nrec; i++) {
        const double *b = s->recs[i].box;
        if (s->recs[i].npoints == 0 || !isfinite(b[0] + b[1] + b[2] + b[3]))
            continue;
        s->extent.minx = fmin(s->extent.minx, b[0]);
        s->extent.miny = fmin(s->extent.miny, b[1]);
        s->extent.maxx = fmax(s->extent.maxx, b[2]);
        s->extent.maxy = fmax(s->extent.maxy, b[3]);
    }
}

/* Checks .shp and .shx: headers, then every record. */
static cor_status_t check_geometry(cor__shp_t *s, cor_error_t *err)
{
    reader_t shp = {.fd = -1}, shx = {.fd = -1};
    cor_status_t st = rd_open(&shp, s->path, err);
    if (st == COR_OK)
        st = check_shp_header(s, &shp, err);
    if (st == COR_OK && !s->shx_path)
        st = cor__fail(err, COR_ERR_IO, "%s: no .shx index beside it", s->path);
    if (st == COR_OK)
        st = rd_open(&shx, s->shx_path, err);
    if (st == COR_OK)
        st = check_shx_header(s, &shx, err);
    if (st == COR_OK)
        st = check_records(s, &shp, &shx, err);
    if (st == COR_OK)
        compute_extent(s);
    s->shp_size = shp.size;
    s->shx_size = shx.size;
    rd_close(&shx);
    rd_close(&shp);
    return st;
}

/* ---- the .dbf ---- */

/* Reads the field descriptors in [32, header length), up to the 0x0D terminator, and checks
 * that their widths plus the deletion flag make up the record length. */
static cor_status_t read_fields(cor__shp_t *s, reader_t *r, cor_error_t *err)
{
    size_t area = s->dbf_header_len - DBF_HEADER, n = 0, at = 1;
    unsigned char *d = malloc(area + 1);
    cor_status_t st = d ? rd_read(r, DBF_HEADER, d, area, err) : nomem(err, r->path);
    while (st == COR_OK && 32 * (n + 1) <= area && d[32 * n] != 0x0D)
        n++;
    if (st == COR_OK) {
        s->fields = cor__calloc(n, sizeof *s->fields);
        s->info = cor__calloc(n, sizeof *s->info);
        s->names = cor__calloc(n, sizeof *s->names);
        if (!s->fields || !s->info || !s->names)
            st = nomem(err, r->path);
    }
    for (size_t k = 0; st == COR_OK && k < n; k++) {
        const unsigned char *f = d + 32 * k;
        char type = f[11] >= 'a' && f[11] <= 'z' ? (char)(f[11] - 'a' + 'A') : (char)f[11];
        s->fields[k] = (field_t){type, at, f[16]};
        s->info[k].width = f[16];
        s->info[k].decimals = (type == 'N' || type == 'F') ? f[17] : 0;
        s->names[k] = cor__strndup((const char *)f, 11);
        if (!s->names[k])
            st = nomem(err, r->path);
        at += f[16];
        s->nfields = k + 1;
    }
    free(d);
    if (st == COR_OK && at != s->dbf_record_len)
        st = cor__fail(err, COR_ERR_DATA,
                       "%s: the %zu fields and the deletion flag take %zu"
                       " bytes but records are %u bytes",
                       r->path, n, at, s->dbf_record_len);
    return st;
}

/* Checks the 32-byte .dbf header against the file's size, then its fields. */
static cor_status_t check_dbf_header(cor__shp_t *s, reader_t *r, cor_error_t *err)
{
    unsigned char h[DBF_HEADER];
    if (r->size < DBF_HEADER)
        return cor__fail(err, COR_ERR_DATA,
                         r->size ? "%s: %" PRIu64 " bytes, too short for the 32-byte header"
                                 : "%s: empty file",
                         r->path, r->size);
    cor_status_t st = rd_read(r, 0, h, DBF_HEADER, err);
    if (st != COR_OK)
        return st;
    s->dbf_nrec = le32(h + 4);
    s->dbf_header_len = le16(h + 8);
    s->dbf_record_len = le16(h + 10);
    s->ldid = h[29];
    if (s->dbf_header_len < DBF_HEADER || s->dbf_header_len > r->size)
        return cor__fail(err, COR_ERR_DATA, "%s: header length %u is outside 32..%" PRIu64, r->path,
                         s->dbf_header_len, r->size);
    if (s->dbf_record_len == 0)
        return cor__fail(err, COR_ERR_DATA, "%s: record length 0", r->path);
    if ((uint64_t)s->dbf_nrec * s->dbf_record_len > r->size - s->dbf_header_len)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: %" PRIu32
                         " records of %u bytes after a %u-byte header do not fit in the %" PRIu64
                         "-byte file",
                         r->path, s->dbf_nrec, s->dbf_record_len, s->dbf_header_len, r->size);
    return read_fields(s, r, err);
}

static bool is_text_field(char type)
{
    return type != 'N' && type != 'F' && type != 'L' && type != 'D';
}

/* Looks at the text fields of the first records. Returns: false if any is not valid UTF-8. */
static cor_status_t sample_utf8(cor__shp_t *s, reader_t *r, bool *utf8, cor_error_t *err)
{
    uint64_t n = SAMPLE_MAX / s->dbf_record_len + 1;
    unsigned char *rec = malloc(s->dbf_record_len);
    cor_status_t st = rec ? COR_OK : nomem(err, r->path);
    *utf8 = true;
    if (n > s->dbf_nrec)
        n = s->dbf_nrec;
    for (uint64_t i = 0; st == COR_OK && *utf8 && i < n; i++) {
        st = rd_read(r, s->dbf_header_len + i * s->dbf_record_len, rec, s->dbf_record_len, err);
        for (size_t k = 0; st == COR_OK && k < s->nfields; k++) {
            const char *v = (const char *)rec + s->fields[k].offset;
            if (is_text_field(s->fields[k].type) &&
                !cor__utf8_valid(v, strnlen(v, s->fields[k].width)))
                *utf8 = false;
        }
    }
    free(rec);
    return st;
}

/* ---- encodings ---- */

/* Upper-case letters and digits of the first line of `text`: "windows-1252\n" -> "WINDOWS1252". */
static void encoding_key(const char *text, char *key, size_t cap)
{
    size_t n = 0;
    for (const char *p = text; *p && *p != '\n' && *p != '\r' && n + 1 < cap; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            key[n++] = c;
    }
    key[n] = '\0';
}

/* Returns: true when all of v[0..n) are in `set` (v need not be NUL-terminated). */
static bool all_in(const char *v, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!v[i] || !strchr(set, v[i]))
            return false;
    return true;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : s;
}

/* ISO-8859 spellings: "ISO88591", "88591", "LATIN1", "28591" (its Windows code page). */
static bool iso8859_name(const char *key, char *out, size_t cap)
{
    static const struct {
        const char *key;
        int part;
    } latin[] = {{"LATIN1", 1},  {"LATIN2", 2},  {"LATIN3", 3},  {"LATIN4", 4}, {"LATIN5", 9},
                 {"LATIN6", 10}, {"LATIN7", 13}, {"LATIN9", 15}, {"LATIN0", 15}};
    const char *rest = skip_prefix(skip_prefix(key, "ISO"), "8859");
    int part = 0;
    if (rest != skip_prefix(key, "ISO") && all_digits(rest))
        part = atoi(rest);
    else if (strlen(key) == 5 && strncmp(key, "285", 3) == 0 && all_digits(key))
        part = atoi(key) - 28590;
    for (size_t i = 0; i < COR__ARRAY_LEN(latin); i++)
        if (strcmp(key, latin[i].key) == 0)
            part = latin[i].part;
    if (part < 1 || part > 16)
        return false;
    snprintf(out, cap, "ISO-8859-%d", part);
    return true;
}

/* Code page numbers, alone or after "CP", "ANSI", "OEM", "WINDOWS", ...: "ANSI 1251" -> CP1251. */
static bool codepage_name(const char *key, char *out, size_t cap)
{
    static const char *const prefixes[] = {"WINDOWS", "WIN", "ANSI", "OEM",
                                           "IBM",     "DOS", "MS",   "CP"};
    static const int known[] = {437,  737,  775,  850,  852,  855,  857,  860,  861, 862,
                                863,  864,  865,  866,  869,  874,  932,  936,  949, 950,
                                1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258};
    const char *rest = key;
    for (size_t i = 0; i < COR__ARRAY_LEN(prefixes) && rest == key; i++)
        rest = skip_prefix(key, prefixes[i]);
    rest = skip_prefix(rest, "CP");
    if (!all_digits(rest) || strlen(rest) > 5)
        return false;
    for (size_t i = 0; i < COR__ARRAY_LEN(known); i++) {
        if (atoi(rest) == known[i]) {
            snprintf(out, cap, "CP%d", known[i]);
            return true;
        }
    }
    return false;
}

/* Maps a .cpg's content to an iconv name. Returns: false when it is not understood. */
static bool cpg_encoding(const char *text, char *out, size_t cap)
{
    char key[64];
    encoding_key(text, key, sizeof key);
    if (strcmp(key, "UTF8") == 0 || strcmp(key, "65001") == 0) {
        snprintf(out, cap, "UTF-8");
        return true;
    }
    if (iso8859_name(key, out, cap) || codepage_name(key, out, cap))
        return true;
    /* Anything else iconv knows ("KOI8-R", "BIG5", "SHIFT_JIS"), as written. */
    size_t n = strcspn(text, "\r\n");
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    while (n > 0 && (*text == ' ' || *text == '\t'))
        text++, n--;
    if (n == 0 || n >= cap || !all_in(text, n, NAME_CHARS))
        return false;
    memcpy(out, text, n);
    out[n] = '\0';
    return true;
}

/* The code page of a DBF language driver id (byte 29), or NULL for 0 and unknown ids. */
static const char *ldid_encoding(unsigned ldid)
{
    static const struct {
        unsigned char id;
        const char *name;
    } table[] = {
        {0x01, "CP437"},  {0x02, "CP850"},  {0x03, "CP1252"}, {0x08, "CP865"},  {0x09, "CP437"},
        {0x0A, "CP850"},  {0x0B, "CP437"},  {0x0D, "CP437"},  {0x0E, "CP850"},  {0x0F, "CP437"},
        {0x10, "CP850"},  {0x11, "CP437"},  {0x12, "CP850"},  {0x13, "CP932"},  {0x14, "CP850"},
        {0x15, "CP437"},  {0x16, "CP850"},  {0x17, "CP865"},  {0x18, "CP437"},  {0x19, "CP437"},
        {0x1A, "CP850"},  {0x1B, "CP437"},  {0x1C, "CP863"},  {0x1D, "CP850"},  {0x1F, "CP852"},
        {0x22, "CP852"},  {0x23, "CP852"},  {0x24, "CP860"},  {0x25, "CP850"},  {0x26, "CP866"},
        {0x37, "CP850"},  {0x40, "CP852"},  {0x4D, "CP936"},  {0x4E, "CP949"},  {0x4F, "CP950"},
        {0x50, "CP874"},  {0x57, "CP1252"}, {0x58, "CP1252"}, {0x59, "CP1252"}, {0x64, "CP852"},
        {0x65, "CP866"},  {0x66, "CP865"},  {0x67, "CP861"},  {0x6A, "CP737"},  {0x6B, "CP857"},
        {0x78, "CP950"},  {0x79, "CP949"},  {0x7A, "CP936"},  {0x7B, "CP932"},  {0x7C, "CP874"},
        {0x7D, "CP1255"}, {0x7E, "CP1256"}, {0x86, "CP737"},  {0x87, "CP852"},  {0x88, "CP857"},
        {0xC8, "CP1250"}, {0xC9, "CP1251"}, {0xCA, "CP1254"}, {0xCB, "CP1253"}, {0xCC, "CP1257"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(table); i++)
        if (table[i].id == ldid)
            return table[i].name;
    return NULL;
}

/* Adopts `name` as the attribute encoding when iconv can convert from it. */
static bool use_encoding(cor__shp_t *s, const char *name, const char *source)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    if (s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    s->cd = cd;
    snprintf(s->encoding, sizeof s->encoding, "%s", name);
    s->encoding_source = source;
    return true;
}

/* The encoding from the .cpg when one is there and understood. */
static cor_status_t try_cpg(cor__shp_t *s, bool *found, cor_error_t *err)
{
    char *path = cor__path_sibling(s->path, "cpg"), *text = NULL, name[64];
    cor_error_t why = {0};
    *found = false;
    if (!path)
        return COR_OK;
    cor_status_t st = cor__read_file(path, CPG_MAX, &text, NULL, &why);
    if (st == COR_OK)
        *found = cpg_encoding(text, name, sizeof name) && use_encoding(s, name, ".cpg");
    else
        st = cor__fail(err, st == COR_ERR_LIMIT ? COR_ERR_DATA : st, "%s", why.message);
    free(text);
    free(path);
    return st;
}

/* Decides the attribute encoding: .cpg, else language driver, else a guess from the data
 * (UTF-8 when the text is valid UTF-8, else ISO-8859-1). */
static cor_status_t choose_encoding(cor__shp_t *s, reader_t *dbf, cor_error_t *err)
{
    bool found = false, utf8 = true;
    cor_status_t st = try_cpg(s, &found, err);
    if (st != COR_OK || found)
        return st;
    const char *ld = ldid_encoding(s->ldid);
    if (ld && use_encoding(s, ld, "DBF language driver"))
        return COR_OK;
    if (dbf && (st = sample_utf8(s, dbf, &utf8, err)) != COR_OK)
        return st;
    if (!use_encoding(s, utf8 ? "UTF-8" : "ISO-8859-1", "assumed"))
        return cor__fail(err, COR_ERR_INTERNAL, "%s: iconv cannot convert to UTF-8", s->path);
    if (utf8) {
        s->cd_latin1 = iconv_open("UTF-8", "ISO-8859-1");
        if (s->cd_latin1 == (iconv_t)-1)
            return cor__fail(err, COR_ERR_INTERNAL, "%s: iconv lacks ISO-8859-1", s->path);
    }
    return COR_OK;
}

/* Makes room for `extra` more bytes and the terminator. */
static bool buf_reserve(cor__buf_t *b, size_t extra)
{
    return extra < SIZE_MAX - b->len - 1 &&
           cor__grow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

/* Appends in[0..n) converted to UTF-8 and a NUL; undecodable bytes become U+FFFD.
 * Returns: false on exhaustion. */
static bool append_utf8(cor__buf_t *b, iconv_t cd, const char *in, size_t n)
{
    char *ip = (char *)in;
    size_t left = n, slack = 16;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (left > 0) {
        if (!buf_reserve(b, 4 * left + slack))
            return false;
        char *op = b->data + b->len;
        size_t room = b->cap - b->len - 1;
        size_t r = iconv(cd, &ip, &left, &op, &room);
        int e = errno;
        b->len = (size_t)(op - b->data);
        if (r != (size_t)-1)
            break;
        if (e == E2BIG) {
            slack *= 2;
            continue;
        }
        if (!cor__buf_append(b, "\xEF\xBF\xBD", 3))
            return false;
        ip++, left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    if (!buf_reserve(b, slack))
        return false;
    char *op = b->data + b->len;
    size_t room = b->cap - b->len - 1;
    iconv(cd, NULL, NULL, &op, &room); /* the closing shift sequence of stateful encodings */
    b->len = (size_t)(op - b->data);
    return cor__buf_append(b, "", 1);
}

/* The converter for one value: an assumed UTF-8 falls back to Latin-1 where it is not valid. */
static iconv_t converter_for(const cor__shp_t *s, const char *v, size_t n)
{
    if (s->cd_latin1 != (iconv_t)-1 && !cor__utf8_valid(v, n))
        return s->cd_latin1;
    return s->cd;
}

/* Converts the field names to UTF-8 and fills the field infos. */
static cor_status_t convert_names(cor__shp_t *s, cor_error_t *err)
{
    cor__buf_t b = {0};
    for (size_t k = 0; k < s->nfields; k++) {
        char *raw = s->names[k];
        size_t n = strlen(raw);
        while (n > 0 && raw[n - 1] == ' ')
            n--;
        b.len = 0;
        if (!append_utf8(&b, converter_for(s, raw, n), raw, n) ||
            !(s->names[k] = cor__strdup(b.data))) {
            s->names[k] = raw;
            cor__buf_free(&b);
            return nomem(err, s->dbf_path);
        }
        free(raw);
        /* the info's name holds what fits in 15 bytes, cut at a character boundary */
        size_t cut = strlen(s->names[k]) < 15 ? strlen(s->names[k]) : 15;
        while (cut > 0 && ((unsigned char)s->names[k][cut] & 0xC0) == 0x80)
            cut--;
        memcpy(s->info[k].name, s->names[k], cut);
        s->info[k].name[cut] = '\0';
        char t = s->fields[k].type;
        s->info[k].type_name = t == 'N' && s->info[k].decimals == 0 ? "Integer"
                               : t == 'N' || t == 'F'               ? "Real"
                               : t == 'L'                           ? "Logical"
                               : t == 'D'                           ? "Date"
                                                                    : "String";
    }
    cor__buf_free(&b);
    return COR_OK;
}

/* Checks the .dbf (when there is one), its record count against the .shp's, and settles the
 * encoding and field names. */
static cor_status_t check_attributes(cor__shp_t *s, cor_error_t *err)
{
    reader_t dbf = {.fd = -1};
    cor_status_t st = COR_OK;
    if (s->dbf_path && (st = rd_open(&dbf, s->dbf_path, err)) == COR_OK)
        st = check_dbf_header(s, &dbf, err);
    if (st == COR_OK && s->dbf_path && s->dbf_nrec != s->nrec)
        st = cor__fail(err, COR_ERR_DATA, "%s has %" PRIu32 " records but %s has %zu", s->dbf_path,
                       s->dbf_nrec, s->path, s->nrec);
    if (st == COR_OK)
        st = choose_encoding(s, s->dbf_path ? &dbf : NULL, err);
    if (st == COR_OK)
        st = convert_names(s, err);
    s->dbf_size = dbf.size;
    rd_close(&dbf);
    if (st == COR_OK) {
        s->values = cor__calloc(s->nfields, sizeof *s->values);
        s->text_at = cor__calloc(s->nfields, sizeof *s->text_at);
        if (!s->values || !s->text_at)
            st = nomem(err, s->path);
    }
    return st;
}

/* ---- opening ---- */

static cor_status_t read_prj(cor__shp_t *s, cor_error_t *err)
{
    char *path = cor__path_sibling(s->path, "prj");
    cor_error_t why = {0};
    cor_status_t st = COR_OK;
    if (path && (st = cor__read_file(path, PRJ_MAX, &s->prj, NULL, &why)) != COR_OK)
        st = cor__fail(err, st == COR_ERR_LIMIT ? COR_ERR_DATA : st, "%s", why.message);
    free(path);
    return st;
}

/* Opens shapelib's handles on the files just checked and makes sure it sees what we saw. */
static cor_status_t open_shapelib(cor__shp_t *s, cor_error_t *err)
{
    open_files_t files = {s->path, s->shx_path, s->dbf_path, s->shp_size, s->shx_size, s->dbf_size};
    SAHooks hooks;
    SASetupDefaultHooks(&hooks);
    hooks.FOpen = hook_open;
    hooks.Error = hook_error;
    msg_reset();
    tl_files = &files;
    s->hshp = SHPOpenLL(s->path, "rb", &hooks);
    const char *failed = s->hshp ? NULL : s->path;
    if (s->hshp && s->dbf_path && !(s->hdbf = DBFOpenLL(s->dbf_path, "rb", &hooks)))
        failed = s->dbf_path;
    tl_files = NULL;
    if (failed)
        return cor__fail(err, tl_open_failed ? COR_ERR_IO : COR_ERR_DATA, "%s: %s", failed,
                         tl_msg[0] ? tl_msg : "shapelib cannot open it");
    int n = 0, type = 0;
    double lo[4], hi[4];
    SHPGetInfo(s->hshp, &n, &type, lo, hi);
    if ((size_t)n != s->nrec || type != s->type->code)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: shapelib reads %d records of type %d where"
                         " %zu of type %d were checked",
                         s->path, n, type, s->nrec, s->type->code);
    if (s->hdbf && ((size_t)DBFGetFieldCount(s->hdbf) != s->nfields ||
                    (size_t)DBFGetRecordCount(s->hdbf) != s->nrec))
        return cor__fail(err, COR_ERR_DATA,
                         "%s: shapelib reads %d fields and %d records where"
                         " %zu and %zu were checked",
                         s->dbf_path, DBFGetFieldCount(s->hdbf), DBFGetRecordCount(s->hdbf),
                         s->nfields, s->nrec);
    SHPSetFastModeReadObject(s->hshp, 1);
    return COR_OK;
}

cor_status_t cor__shp_open(const char *path, cor__shp_t **out, cor_error_t *err)
{
    cor__shp_t *s = calloc(1, sizeof *s);
    cor_status_t st = COR_ERR_NOMEM;
    if (!s)
        return nomem(err, path);
    s->cd = s->cd_latin1 = (iconv_t)-1;
    s->path = cor__strdup(path);
    s->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!s->path || s->c_numeric == (locale_t)0) {
        st = nomem(err, path);
        goto fail;
    }
    s->shx_path = cor__path_sibling(path, "shx");
    s->dbf_path = cor__path_sibling(path, "dbf");
    if ((st = check_geometry(s, err)) != COR_OK || (st = read_prj(s, err)) != COR_OK ||
        (st = check_attributes(s, err)) != COR_OK || (st = open_shapelib(s, err)) != COR_OK)
        goto fail;
    s->geom.kind = s->type->kind;
    *out = s;
    return COR_OK;
fail:
    cor__shp_close(s);
    return st;
}

void cor__shp_close(cor__shp_t *shp)
{
    if (!shp)
        return;
    if (shp->hdbf)
        DBFClose(shp->hdbf);
    if (shp->hshp)
        SHPClose(shp->hshp);
    if (shp->cd != (iconv_t)-1)
        iconv_close(shp->cd);
    if (shp->cd_latin1 != (iconv_t)-1)
        iconv_close(shp->cd_latin1);
    if (shp->c_numeric != (locale_t)0)
        freelocale(shp->c_numeric);
    for (size_t k = 0; shp->names && k < shp->nfields; k++)
        free(shp->names[k]);
    free(shp->names);
    free(shp->info);
    free(shp->fields);
    free(shp->values);
    free(shp->text_at);
    cor__buf_free(&shp->text);
    cor__geom_free(&shp->geom);
    free(shp->recs);
    free(shp->prj);
    free(shp->dbf_path);
    free(shp->shx_path);
    free(shp->path);
    free(shp);
}

/* ---- accessors ---- */

const char *cor__shp_path(const cor__shp_t *shp)
{
    return shp->path;
}

cor__geom_kind_t cor__shp_kind(const cor__shp_t *shp)
{
    return shp->type->kind;
}

const char *cor__shp_type_name(const cor__shp_t *shp)
{
    return shp->type->name;
}

size_t cor__shp_count(const cor__shp_t *shp)
{
    return shp->nrec;
}

size_t cor__shp_null_count(const cor__shp_t *shp)
{
    return shp->nnull;
}

bool cor__shp_extent(const cor__shp_t *shp, cor_bbox_t *out)
{
    if (shp->nnull == shp->nrec || !(shp->extent.minx <= shp->extent.maxx))
        return false;
    *out = shp->extent;
    return true;
}

const char *cor__shp_prj(const cor__shp_t *shp)
{
    return shp->prj;
}

const char *cor__shp_encoding(const cor__shp_t *shp)
{
    return shp->encoding;
}

const char *cor__shp_encoding_source(const cor__shp_t *shp)
{
    return shp->encoding_source;
}

size_t cor__shp_nfields(const cor__shp_t *shp)
{
    return shp->nfields;
}

const cor_field_info_t *cor__shp_field(const cor__shp_t *shp, size_t i)
{
    return i < shp->nfields ? &shp->info[i] : NULL;
}

/* ---- reading features ---- */

/* Copies shapelib's object into the reused geometry after checking it is the record we
 * checked at open (the file could have changed since). */
static cor_status_t object_to_geom(cor__shp_t *s, const SHPObject *o, size_t i, cor_error_t *err)
{
    const rec_t *rec = &s->recs[i];
    bool points = s->type->layout == 'P' || s->type->layout == 'M';
    if (o->nSHPType != s->type->code || o->nVertices != rec->npoints ||
        (!points && o->nParts != rec->nparts))
        return rec_fail(err, COR_ERR_DATA, s->path, i, "changed since the file was opened");
    cor__geom_clear(&s->geom);
    bool ok = true;
    for (int v = 0; points && ok && v < o->nVertices; v++)
        ok = cor__geom_add_part(&s->geom, o->padfX + v, o->padfY + v, 1);
    for (int p = 0; !points && ok && p < o->nParts; p++) {
        int a = o->panPartStart[p], b = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
        if (a < 0 || b <= a || b > o->nVertices)
            return rec_fail(err, COR_ERR_DATA, s->path, i, "changed since the file was opened");
        ok = cor__geom_add_part(&s->geom, o->padfX + a, o->padfY + a, (size_t)(b - a));
    }
    return ok ? COR_OK : rec_fail(err, COR_ERR_NOMEM, s->path, i, "out of memory");
}

static cor_status_t read_geometry(cor__shp_t *s, size_t i, cor_error_t *err)
{
    msg_reset();
    SHPObject *o = SHPReadObject(s->hshp, (int)i);
    if (!o)
        return rec_fail(err, COR_ERR_DATA, s->path, i, "%s",
                        tl_msg[0] ? tl_msg : "shapelib cannot read it");
    cor_status_t st = object_to_geom(s, o, i, err);
    SHPDestroyObject(o);
    return st;
}

/* A number field (spaces already trimmed): a decimal number, or NULL for anything else. */
static cor__attr_t parse_number(const char *v, size_t n)
{
    char buf[256], *end = NULL;
    cor__attr_t a = {.type = COR__ATTR_NULL};
    if (n == 0 || n >= sizeof buf || !all_in(v, n, "0123456789+-.eE"))
        return a;
    memcpy(buf, v, n);
    buf[n] = '\0';
    double d = strtod(buf, &end); /* the C numeric locale is in force (see read_attributes) */
    if (end == buf + n && isfinite(d))
        a = (cor__attr_t){.type = COR__ATTR_NUMBER, .num = d};
    return a;
}

static cor__attr_t parse_logical(const char *v, size_t n)
{
    cor__attr_t a = {.type = COR__ATTR_NULL};
    if (n > 0 && strchr("TtYy", v[0]))
        a = (cor__attr_t){.type = COR__ATTR_BOOL, .b = true};
    else if (n > 0 && strchr("FfNn", v[0]))
        a = (cor__attr_t){.type = COR__ATTR_BOOL, .b = false};
    return a;
}

/* A date field, YYYYMMDD, appended as "YYYY-MM-DD". Returns: false on exhaustion. */
static bool parse_date(cor__buf_t *text, const char *v, size_t n, cor__attr_t *a)
{
    char d[9];
    *a = (cor__attr_t){.type = COR__ATTR_NULL};
    if (n != 8 || !all_in(v, n, "0123456789"))
        return true;
    memcpy(d, v, 8);
    d[8] = '\0';
    int month = (d[4] - '0') * 10 + d[5] - '0', day = (d[6] - '0') * 10 + d[7] - '0';
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return true;
    a->type = COR__ATTR_STRING;
    return cor__buf_printf(text, "%.4s-%.2s-%.2s", d, d + 4, d + 6) && cor__buf_append(text, "", 1);
}

/* Decodes field k of a raw record; strings and dates go to s->text at s->text_at[k].
 * Returns: false on exhaustion. */
static bool parse_value(cor__shp_t *s, size_t k, const char *raw)
{
    const field_t *f = &s->fields[k];
    const char *v = raw + f->offset;
    size_t n = strnlen(v, f->width);
    while (n > 0 && v[n - 1] == ' ')
        n--;
    if (!is_text_field(f->type))
        while (n > 0 && *v == ' ')
            v++, n--;
    s->text_at[k] = s->text.len;
    cor__attr_t *a = &s->values[k];
    switch (f->type) {
    case 'N':
    case 'F':
        *a = parse_number(v, n);
        return true;
    case 'L':
        *a = parse_logical(v, n);
        return true;
    case 'D':
        return parse_date(&s->text, v, n, a);
    default:
        *a = (cor__attr_t){.type = n ? COR__ATTR_STRING : COR__ATTR_NULL};
        return n == 0 || append_utf8(&s->text, converter_for(s, v, n), v, n);
    }
}

static cor_status_t read_attributes(cor__shp_t *s, size_t i, cor_error_t *err)
{
    if (!s->hdbf)
        return COR_OK;
    msg_reset();
    const char *raw = DBFReadTuple(s->hdbf, (int)i);
    if (!raw)
        return rec_fail(err, COR_ERR_DATA, s->dbf_path, i, "%s",
                        tl_msg[0] ? tl_msg : "shapelib cannot read it");
    bool ok = true;
    s->text.len = 0;
    locale_t old = uselocale(s->c_numeric);
    for (size_t k = 0; ok && k < s->nfields; k++)
        ok = parse_value(s, k, raw);
    uselocale(old);
    if (!ok)
        return rec_fail(err, COR_ERR_NOMEM, s->dbf_path, i, "out of memory");
    for (size_t k = 0; k < s->nfields; k++)
        if (s->values[k].type == COR__ATTR_STRING)
            s->values[k].str = s->text.data + s->text_at[k];
    return COR_OK;
}

static bool rec_touches(const rec_t *rec, const cor_bbox_t *bbox)
{
    cor_bbox_t b = {rec->box[0], rec->box[1], rec->box[2], rec->box[3]};
    return cor__bbox_intersects(&b, bbox);
}

cor_status_t cor__shp_each(cor__shp_t *shp, const cor_bbox_t *bbox, cor__feature_fn fn, void *ud,
                           cor_error_t *err)
{
    if (shp->type->layout == 'H')
        return cor__fail(err, COR_ERR_DATA, "%s: MultiPatch is not supported", shp->path);
    for (size_t i = 0; i < shp->nrec; i++) {
        if (shp->recs[i].npoints == 0 || (bbox && !rec_touches(&shp->recs[i], bbox)))
            continue;
        cor_status_t st = read_geometry(shp, i, err);
        if (st == COR_OK)
            st = read_attributes(shp, i, err);
        if (st != COR_OK)
            return st;
        cor__feature_t f = {(long)i, &shp->geom, shp->nfields, (const char *const *)shp->names,
                            shp->values};
        if ((st = fn(&f, ud, err)) != COR_OK)
            return st;
    }
    return COR_OK;
}
