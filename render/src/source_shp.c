/* SPDX-License-Identifier: MIT */
/* source_shp: shapefiles through shapelib. Opening has shp_check compare every count, offset and
 * length in the .shp, .shx and .dbf with the real file sizes and dbf_text settle the attribute
 * encoding; only then does shapelib open exactly the files that were checked, through hooks that
 * turn its messages into returned errors. Reading hands out the records whose box touches a query
 * box, with UTF-8 attributes. Nothing here prints, exits, projects or draws. */
#include "source_shp.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <shapefil.h>

#include "dbf_text.h"
#include "files.h"
#include "shp_check.h"
#include "shp_reader.h"
#include "util.h"
#include "warnings.h"

#define PRJ_MAX (64 * 1024)

struct cor__shp {
    char *path, *shx_path, *dbf_path;
    cor__shp_geometry_t geo;
    char *prj;
    /* attributes */
    cor__dbf_layout_t dbf;
    cor__dbf_text_t *text;
    cor_field_info_t *info;
    char **names; /* UTF-8 */
    /* shapelib, and what each feature reuses */
    SHPHandle hshp;
    DBFHandle hdbf;
    locale_t c_numeric;
    cor__geom_t geom;
    cor__attr_t *values;
    size_t *text_at;
    cor__buf_t strings;
    /* text that was not valid in its encoding, replaced with U+FFFD: field names, and values
     * in the current pass of cor__shp_each and in the pass that met the most */
    size_t bad_names, bad_pass, bad_values;
    cor__warnings_t warnings; /* what opening read in spite of (see cor__shp_warnings) */
};

/* ---- shapelib's hooks: messages captured, files mapped to the ones we checked ---- */

/* The files shapelib may open during cor__shp_open, on this thread; `index`, when not NULL,
 * is the .shx to give it from memory (rebuilt from the .shp's record headers). */
typedef struct open_files {
    const char *shp, *shx, *dbf;
    uint64_t shp_size, shx_size, dbf_size;
    const unsigned char *index;
    size_t index_len;
} open_files_t;

/* What shapelib's file hooks see: a file on disk, or bytes in memory. */
typedef struct vfile {
    FILE *f;
    const unsigned char *mem;
    size_t len, pos;
} vfile_t;

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
    bool same = f && fstat(fileno(f), &st) == 0 && (uint64_t)st.st_size == size;
    vfile_t *v = same ? calloc(1, sizeof *v) : NULL;
    if (!v) {
        char why[300];
        snprintf(why, sizeof why, "%s %s", path,
                 !f     ? "cannot be opened"
                 : same ? "cannot be opened: out of memory"
                        : "changed while it was being opened");
        hook_error(why);
        tl_open_failed = true;
        if (f)
            fclose(f);
        return NULL;
    }
    v->f = f;
    return (SAFile)v;
}

/* The rebuilt index as a read-only file in memory. */
static SAFile open_memory(const unsigned char *bytes, size_t len)
{
    vfile_t *v = calloc(1, sizeof *v);
    if (!v) {
        hook_error("out of memory");
        tl_open_failed = true;
        return NULL;
    }
    v->mem = bytes;
    v->len = len;
    return (SAFile)v;
}

static SAOffset hook_read(void *p, SAOffset size, SAOffset nmemb, SAFile file)
{
    vfile_t *v = (vfile_t *)file;
    if (v->f)
        return fread(p, size, nmemb, v->f);
    if (size == 0)
        return 0;
    SAOffset n = (v->len - v->pos) / size < nmemb ? (v->len - v->pos) / size : nmemb;
    memcpy(p, v->mem + v->pos, n * size);
    v->pos += n * size;
    return n;
}

static SAOffset hook_write(void *p, SAOffset size, SAOffset nmemb, SAFile file)
{
    (void)p, (void)size, (void)nmemb, (void)file;
    return 0; /* opened read-only */
}

static SAOffset hook_seek(SAFile file, SAOffset offset, int whence)
{
    vfile_t *v = (vfile_t *)file;
    if (v->f)
        return (SAOffset)fseeko(v->f, (off_t)offset, whence);
    SAOffset base = whence == SEEK_END ? v->len : whence == SEEK_CUR ? v->pos : 0;
    if (offset > v->len || base > v->len - offset)
        return (SAOffset)-1;
    v->pos = base + offset;
    return 0;
}

static SAOffset hook_tell(SAFile file)
{
    vfile_t *v = (vfile_t *)file;
    return v->f ? (SAOffset)ftello(v->f) : v->pos;
}

static int hook_flush(SAFile file)
{
    vfile_t *v = (vfile_t *)file;
    return v->f ? fflush(v->f) : 0;
}

static int hook_close(SAFile file)
{
    vfile_t *v = (vfile_t *)file;
    int rc = v->f ? fclose(v->f) : 0;
    free(v);
    return rc;
}

static int hook_remove(const char *name)
{
    (void)name;
    return -1;
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
        return files->index ? open_memory(files->index, files->index_len)
                            : open_checked(files->shx, files->shx_size);
    if (files->dbf && cor__ends_with_ci(name, ".dbf"))
        return open_checked(files->dbf, files->dbf_size);
    errno = ENOENT;
    return NULL;
}

static cor_status_t nomem(cor_error_t *err, const char *path)
{
    return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
}

/* ---- the attribute table ---- */

/* The field info's name: what fits in 15 bytes of the UTF-8 name, cut at a character boundary. */
static void info_name(cor_field_info_t *info, const char *name)
{
    size_t cut = strlen(name) < 15 ? strlen(name) : 15;
    while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(info->name, name, cut);
    info->name[cut] = '\0';
}

static const char *type_name(const cor__dbf_field_t *f)
{
    return f->type == 'N' && f->decimals == 0 ? "Integer"
           : f->type == 'N' || f->type == 'F' ? "Real"
           : f->type == 'L'                   ? "Logical"
           : f->type == 'D'                   ? "Date"
                                              : "String";
}

/* Converts the field names to UTF-8 and fills the field infos. */
static cor_status_t convert_names(cor__shp_t *s, cor_error_t *err)
{
    cor__buf_t b = {0};
    size_t n = s->dbf.nfields;
    s->info = cor__calloc(n, sizeof *s->info);
    s->names = cor__calloc(n, sizeof *s->names);
    for (size_t k = 0; s->info && s->names && k < n; k++) {
        const cor__dbf_field_t *f = &s->dbf.fields[k];
        size_t len = strlen(f->name);
        while (len > 0 && f->name[len - 1] == ' ')
            len--;
        size_t replaced = 0;
        b.len = 0;
        if (!cor__dbf_text_append(s->text, &b, f->name, len, &replaced) ||
            !(s->names[k] = cor__strdup(b.data)))
            break;
        s->bad_names += replaced > 0;
        info_name(&s->info[k], s->names[k]);
        s->info[k].type_name = type_name(f);
        s->info[k].width = (int)f->width;
        s->info[k].decimals = f->decimals;
    }
    cor__buf_free(&b);
    for (size_t k = 0; k < n; k++)
        if (!s->names || !s->names[k])
            return nomem(err, s->dbf_path);
    return COR_OK;
}

/* Checks the .dbf (when there is one), settles the encoding and the field names. */
static cor_status_t check_attributes(cor__shp_t *s, cor_error_t *err)
{
    cor__shp_reader_t dbf = {.fd = -1};
    cor_status_t st = COR_OK;
    if (s->dbf_path && (st = cor__shp_reader_open(&dbf, s->dbf_path, err)) == COR_OK)
        st = cor__shp_check_dbf(&dbf, s->path, s->geo.nrec, &s->dbf, err);
    if (st == COR_OK)
        st = cor__dbf_text_new(s->path, s->dbf_path ? &dbf : NULL, s->dbf_path ? &s->dbf : NULL,
                               &s->text, err);
    if (st == COR_OK)
        st = convert_names(s, err);
    s->dbf.size = dbf.size;
    cor__shp_reader_close(&dbf);
    if (st == COR_OK) {
        s->values = cor__calloc(s->dbf.nfields, sizeof *s->values);
        s->text_at = cor__calloc(s->dbf.nfields, sizeof *s->text_at);
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

/* Checks that shapelib reads the counts and type that were checked. */
static cor_status_t agree_with_shapelib(const cor__shp_t *s, cor_error_t *err)
{
    int n = 0, type = 0;
    double lo[4], hi[4];
    SHPGetInfo(s->hshp, &n, &type, lo, hi);
    if ((size_t)n != s->geo.nrec || type != s->geo.type->code)
        return cor__fail(err, COR_ERR_DATA,
                         "%s: shapelib reads %d records of type %d where"
                         " %zu of type %d were checked",
                         s->path, n, type, s->geo.nrec, s->geo.type->code);
    if (s->hdbf && ((size_t)DBFGetFieldCount(s->hdbf) != s->dbf.nfields ||
                    (size_t)DBFGetRecordCount(s->hdbf) != s->geo.nrec))
        return cor__fail(err, COR_ERR_DATA,
                         "%s: shapelib reads %d fields and %d records where"
                         " %zu and %zu were checked",
                         s->dbf_path, DBFGetFieldCount(s->hdbf), DBFGetRecordCount(s->hdbf),
                         s->dbf.nfields, s->geo.nrec);
    return COR_OK;
}

/* Opens shapelib's handles on the files just checked and makes sure it sees what we saw. */
static cor_status_t open_shapelib(cor__shp_t *s, cor_error_t *err)
{
    open_files_t files = {s->path,         s->shx_path, s->dbf_path,  s->geo.shp_size,
                          s->geo.shx_size, s->dbf.size, s->geo.index, s->geo.index_len};
    SAHooks hooks;
    SASetupDefaultHooks(&hooks);
    hooks.FOpen = hook_open;
    hooks.FRead = hook_read;
    hooks.FWrite = hook_write;
    hooks.FSeek = hook_seek;
    hooks.FTell = hook_tell;
    hooks.FFlush = hook_flush;
    hooks.FClose = hook_close;
    hooks.Remove = hook_remove;
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
    cor_status_t st = agree_with_shapelib(s, err);
    if (st == COR_OK)
        SHPSetFastModeReadObject(s->hshp, 1);
    return st;
}

/* What opening read in spite of: a rebuilt index, a missing .dbf, deleted records. */
static cor_status_t open_warnings(cor__shp_t *s, cor_error_t *err)
{
    cor__warnings_t *w = &s->warnings;
    bool ok = !s->geo.warning || cor__warnings_add(w, "%s", s->geo.warning);
    if (ok && !s->dbf_path)
        ok = cor__warnings_add(w, "%s: no .dbf beside it: its shapes are drawn without attributes",
                               s->path);
    if (ok && s->dbf.ndeleted)
        ok =
            cor__warnings_add(w, "%s: %" PRIu32 " record%s marked deleted: skipped, as GDAL does",
                              s->dbf_path, s->dbf.ndeleted, s->dbf.ndeleted == 1 ? " is" : "s are");
    return ok ? COR_OK : nomem(err, s->path);
}

cor_status_t cor__shp_open(const char *path, cor__shp_t **out, cor_error_t *err)
{
    cor__shp_t *s = calloc(1, sizeof *s);
    cor_status_t st = COR_ERR_NOMEM;
    if (!s)
        return nomem(err, path);
    s->path = cor__strdup(path);
    s->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!s->path || s->c_numeric == (locale_t)0) {
        st = nomem(err, path);
        goto fail;
    }
    s->shx_path = cor__path_sibling(path, "shx");
    s->dbf_path = cor__path_sibling(path, "dbf");
    if ((st = cor__shp_check_geometry(s->path, s->shx_path, &s->geo, err)) != COR_OK ||
        (st = read_prj(s, err)) != COR_OK || (st = check_attributes(s, err)) != COR_OK ||
        (st = open_shapelib(s, err)) != COR_OK || (st = open_warnings(s, err)) != COR_OK)
        goto fail;
    s->geom.kind = s->geo.type->kind;
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
    cor__dbf_text_free(shp->text);
    if (shp->c_numeric != (locale_t)0)
        freelocale(shp->c_numeric);
    for (size_t k = 0; shp->names && k < shp->dbf.nfields; k++)
        free(shp->names[k]);
    free(shp->names);
    free(shp->info);
    free(shp->dbf.fields);
    free(shp->values);
    free(shp->text_at);
    cor__buf_free(&shp->strings);
    cor__warnings_clear(&shp->warnings);
    cor__geom_free(&shp->geom);
    free(shp->geo.recs);
    free(shp->geo.index);
    free(shp->geo.warning);
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
    return shp->geo.type->kind;
}

const char *cor__shp_type_name(const cor__shp_t *shp)
{
    return shp->geo.type->name;
}

size_t cor__shp_count(const cor__shp_t *shp)
{
    return shp->geo.nrec;
}

size_t cor__shp_null_count(const cor__shp_t *shp)
{
    return shp->geo.nnull;
}

bool cor__shp_extent(const cor__shp_t *shp, cor_bbox_t *out)
{
    if (shp->geo.nnull == shp->geo.nrec || !(shp->geo.extent.minx <= shp->geo.extent.maxx))
        return false;
    *out = shp->geo.extent;
    return true;
}

const char *cor__shp_prj(const cor__shp_t *shp)
{
    return shp->prj;
}

const char *cor__shp_encoding(const cor__shp_t *shp)
{
    return cor__dbf_text_encoding(shp->text);
}

const char *cor__shp_encoding_source(const cor__shp_t *shp)
{
    return cor__dbf_text_source(shp->text);
}

size_t cor__shp_nfields(const cor__shp_t *shp)
{
    return shp->dbf.nfields;
}

const cor_field_info_t *cor__shp_field(const cor__shp_t *shp, size_t i)
{
    return i < shp->dbf.nfields ? &shp->info[i] : NULL;
}

/* ---- reading features ---- */

/* Copies shapelib's object into the reused geometry after checking it is the record we
 * checked at open (the file could have changed since). */
static cor_status_t object_to_geom(cor__shp_t *s, const SHPObject *o, size_t i, cor_error_t *err)
{
    const cor__shp_rec_t *rec = &s->geo.recs[i];
    bool points = s->geo.type->layout == 'P' || s->geo.type->layout == 'M';
    if (o->nSHPType != s->geo.type->code || o->nVertices != rec->npoints ||
        (!points && o->nParts != rec->nparts))
        return cor__shp_check_fail_record(err, COR_ERR_DATA, s->path, i,
                                          "changed since the file was opened");
    cor__geom_clear(&s->geom);
    bool ok = true;
    for (int v = 0; points && ok && v < o->nVertices; v++)
        ok = cor__geom_add_part(&s->geom, o->padfX + v, o->padfY + v, 1);
    for (int p = 0; !points && ok && p < o->nParts; p++) {
        int a = o->panPartStart[p], b = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
        if (a < 0 || b <= a || b > o->nVertices)
            return cor__shp_check_fail_record(err, COR_ERR_DATA, s->path, i,
                                              "changed since the file was opened");
        ok = cor__geom_add_part(&s->geom, o->padfX + a, o->padfY + a, (size_t)(b - a));
    }
    return ok ? COR_OK
              : cor__shp_check_fail_record(err, COR_ERR_NOMEM, s->path, i, "out of memory");
}

static cor_status_t read_geometry(cor__shp_t *s, size_t i, cor_error_t *err)
{
    msg_reset();
    SHPObject *o = SHPReadObject(s->hshp, (int)i);
    if (!o)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, s->path, i, "%s",
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
    if (n == 0 || n >= sizeof buf)
        return a;
    memcpy(buf, v, n);
    buf[n] = '\0';
    if (strspn(buf, "0123456789+-.eE") != n)
        return a;
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
    if (n != 8)
        return true;
    memcpy(d, v, 8);
    d[8] = '\0';
    if (strspn(d, "0123456789") != 8)
        return true;
    int month = (d[4] - '0') * 10 + d[5] - '0', day = (d[6] - '0') * 10 + d[7] - '0';
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return true;
    a->type = COR__ATTR_STRING;
    return cor__buf_printf(text, "%.4s-%.2s-%.2s", d, d + 4, d + 6) && cor__buf_append(text, "", 1);
}

/* Decodes field k of a raw record; strings and dates go to s->strings at s->text_at[k].
 * Returns: false on exhaustion. */
static bool parse_value(cor__shp_t *s, size_t k, const char *raw)
{
    const cor__dbf_field_t *f = &s->dbf.fields[k];
    const char *v = raw + f->offset;
    size_t n = strnlen(v, f->width);
    while (n > 0 && v[n - 1] == ' ')
        n--;
    if (!f->text)
        while (n > 0 && *v == ' ')
            v++, n--;
    s->text_at[k] = s->strings.len;
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
        return parse_date(&s->strings, v, n, a);
    default: {
        size_t replaced = 0;
        *a = (cor__attr_t){.type = n ? COR__ATTR_STRING : COR__ATTR_NULL};
        bool ok = n == 0 || cor__dbf_text_append(s->text, &s->strings, v, n, &replaced);
        s->bad_pass += replaced > 0;
        return ok;
    }
    }
}

/* Reads record i's attributes; *deleted says the record is marked deleted (and was not read). */
static cor_status_t read_attributes(cor__shp_t *s, size_t i, bool *deleted, cor_error_t *err)
{
    *deleted = false;
    if (!s->hdbf)
        return COR_OK;
    msg_reset();
    const char *raw = DBFReadTuple(s->hdbf, (int)i);
    if (!raw)
        return cor__shp_check_fail_record(err, COR_ERR_DATA, s->dbf_path, i, "%s",
                                          tl_msg[0] ? tl_msg : "shapelib cannot read it");
    if ((*deleted = raw[0] == '*'))
        return COR_OK;
    bool ok = true;
    s->strings.len = 0;
    locale_t old = uselocale(s->c_numeric);
    for (size_t k = 0; ok && k < s->dbf.nfields; k++)
        ok = parse_value(s, k, raw);
    uselocale(old);
    if (!ok)
        return cor__shp_check_fail_record(err, COR_ERR_NOMEM, s->dbf_path, i, "out of memory");
    for (size_t k = 0; k < s->dbf.nfields; k++)
        if (s->values[k].type == COR__ATTR_STRING)
            s->values[k].str = s->strings.data + s->text_at[k];
    return COR_OK;
}

static bool rec_touches(const cor__shp_rec_t *rec, const cor_bbox_t *bbox)
{
    cor_bbox_t b = {rec->box[0], rec->box[1], rec->box[2], rec->box[3]};
    return cor__bbox_intersects(&b, bbox);
}

/* Delivers record i when it is not null and touches bbox. Returns: COR_OK or the error. */
static cor_status_t each_record(cor__shp_t *shp, size_t i, const cor_bbox_t *bbox,
                                cor__feature_fn fn, void *ud, cor_error_t *err)
{
    bool deleted = false;
    if (shp->geo.recs[i].npoints == 0 || (bbox && !rec_touches(&shp->geo.recs[i], bbox)))
        return COR_OK;
    cor_status_t st = read_attributes(shp, i, &deleted, err);
    if (st == COR_OK && !deleted)
        st = read_geometry(shp, i, err);
    if (st != COR_OK || deleted)
        return st;
    cor__feature_t f = {(long)i, &shp->geom, shp->dbf.nfields, (const char *const *)shp->names,
                        shp->values};
    return fn(&f, ud, err);
}

cor_status_t cor__shp_each(cor__shp_t *shp, const cor_bbox_t *bbox, cor__feature_fn fn, void *ud,
                           cor_error_t *err)
{
    if (shp->geo.type->layout == 'H')
        return cor__fail(err, COR_ERR_DATA, "%s: MultiPatch is not supported", shp->path);
    cor_status_t st = COR_OK;
    shp->bad_pass = 0;
    for (size_t i = 0; st == COR_OK && i < shp->geo.nrec; i++)
        st = each_record(shp, i, bbox, fn, ud, err);
    if (shp->bad_pass > shp->bad_values)
        shp->bad_values = shp->bad_pass;
    return st;
}

size_t cor__shp_deleted_count(const cor__shp_t *shp)
{
    return shp->dbf.ndeleted;
}

size_t cor__shp_invalid_text(const cor__shp_t *shp)
{
    return shp->bad_names + shp->bad_values;
}

const cor__warnings_t *cor__shp_warnings(const cor__shp_t *shp)
{
    return &shp->warnings;
}
