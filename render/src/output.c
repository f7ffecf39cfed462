/* SPDX-License-Identifier: MIT */
/* output: the file a map is drawn into. A cairo surface with user units in points (PNG rasterised
 * at the dpi and encoded by png_encode, its resolution recorded; SVG and PDF as vectors) encodes
 * into memory; commit adds the SVG fragments cairo cannot write and writes the bytes under a
 * temporary name renamed into place, so a file appears under its name only when complete. */
#include "output.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "png_encode.h"
#include "svg_layers.h"
#include "utf8.h"
#include "util.h"

struct cor__output {
    char *path;        /* NULL: in memory */
    const char *label; /* the path, or "memory": for messages */
    cor_format_t fmt;
    double dpi;
    int threads; /* PNG: how many threads deflate it */
    cairo_surface_t *surface;
    cairo_t *cr;
    cor__buf_t data;     /* the encoded file, as cairo streams it */
    cor__buf_t svg_tail; /* fragments inserted before the SVG's closing tag */
    cor__buf_t svg_doc;  /* the finished SVG document */
    char **groups;       /* SVG: the layers whose start the drawing marked, in order */
    size_t ngroups, cap_groups;
    bool nomem;   /* the stream could not grow */
    bool discard; /* aborting: drop what cairo still writes */
};

/* One piece of the file written at commit; the pieces are written in order. */
typedef struct part {
    const void *data;
    size_t len;
} part_t;

static const char *format_name(cor_format_t fmt)
{
    switch (fmt) {
    case COR_FORMAT_PNG:
        return "PNG";
    case COR_FORMAT_SVG:
        return "SVG";
    case COR_FORMAT_PDF:
        return "PDF";
    case COR_FORMAT_AUTO:
        break;
    }
    return "unknown format";
}

/* ---- limits ---- */

/* Checks the raster of a w x h pt page at dpi and returns its size in pixels. */
static cor_status_t check_raster(double w, double h, double dpi, int *wpx, int *hpx,
                                 cor_error_t *err)
{
    double pw = round(w * dpi / 72.0), ph = round(h * dpi / 72.0);
    if (pw < 1 || ph < 1)
        return cor__fail(err, COR_ERR_LIMIT, "page of %.0f x %.0f px at %g dpi has no pixels", pw,
                         ph, dpi);
    if (pw > COR__MAX_SIDE_PX || ph > COR__MAX_SIDE_PX)
        return cor__fail(err, COR_ERR_LIMIT,
                         "page of %.0f x %.0f px exceeds the %d px limit per side", pw, ph,
                         COR__MAX_SIDE_PX);
    if (pw * ph > COR__MAX_PIXELS_PX)
        return cor__fail(err, COR_ERR_LIMIT,
                         "page of %.0f x %.0f px (%.0f million pixels) exceeds the %.0f million "
                         "pixel limit",
                         pw, ph, pw * ph / 1e6, COR__MAX_PIXELS_PX / 1e6);
    if (wpx)
        *wpx = (int)pw;
    if (hpx)
        *hpx = (int)ph;
    return COR_OK;
}

cor_status_t cor__output_check_page(cor_format_t fmt, double width_pt, double height_pt, double dpi,
                                    cor_error_t *err)
{
    if (!isfinite(width_pt) || !isfinite(height_pt))
        return cor__fail(err, COR_ERR_LIMIT, "page of %g x %g pt is not a finite size", width_pt,
                         height_pt);
    if (width_pt < COR__MIN_PAGE_PT || height_pt < COR__MIN_PAGE_PT)
        return cor__fail(err, COR_ERR_LIMIT,
                         "page of %g x %g pt is below the %g pt minimum per side", width_pt,
                         height_pt, COR__MIN_PAGE_PT);
    if (width_pt > COR__MAX_PAGE_PT || height_pt > COR__MAX_PAGE_PT)
        return cor__fail(err, COR_ERR_LIMIT,
                         "page of %g x %g pt exceeds the %g pt (%g in) limit per side", width_pt,
                         height_pt, COR__MAX_PAGE_PT, COR__MAX_PAGE_PT / 72);
    if (!isfinite(dpi) || dpi < COR__MIN_DPI || dpi > COR__MAX_DPI)
        return cor__fail(err, COR_ERR_LIMIT, "resolution of %g dpi is outside %g..%g dpi", dpi,
                         COR__MIN_DPI, COR__MAX_DPI);
    if (fmt == COR_FORMAT_PNG)
        return check_raster(width_pt, height_pt, dpi, NULL, NULL, err);
    return COR_OK;
}

/* ---- opening ---- */

/* Returns: a pointer to the file name part of path (after the last '/'). */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Checks that `path` names a file that could be created: not a directory, in a writable one. */
static cor_status_t check_path(const char *path, cor_error_t *err)
{
    if (!path || !*path)
        return cor__fail(err, COR_ERR_USAGE, "no output file given");
    if (!*base_name(path) || cor__is_dir(path))
        return cor__fail(err, COR_ERR_IO, "%s: is a directory", path);
    char *dir = cor__path_dirname(path);
    if (!dir)
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
    cor_status_t st = COR_OK;
    if (access(dir, W_OK | X_OK) != 0)
        st = cor__fail(err, COR_ERR_IO, "%s: cannot write in %s: %s", path, dir, strerror(errno));
    else if (!cor__is_dir(dir))
        st = cor__fail(err, COR_ERR_IO, "%s: cannot write in %s: not a directory", path, dir);
    free(dir);
    return st;
}

/* cairo's stream callback: appends to the output's buffer. */
static cairo_status_t stream_write(void *closure, const unsigned char *data, unsigned int length)
{
    cor__output_t *o = closure;
    if (o->discard)
        return CAIRO_STATUS_SUCCESS;
    if (!cor__buf_append(&o->data, data, length)) {
        o->nomem = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* The PDF's date, so the same inputs give the same bytes: $SOURCE_DATE_EPOCH when it holds a
 * plain number of seconds (the reproducible-builds convention), else the epoch itself. */
static void pdf_date(cairo_surface_t *s)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL, date[32];
    long long secs = env && *env ? strtoll(env, &end, 10) : 0;
    if (!env || !*env || *end || secs < 0 || secs > 253402300799LL) /* up to 9999-12-31 */
        secs = 0;
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(date, sizeof date, "1970-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* ---- SVG layers ----
 * The drawing marks where each layer starts with a tiny square of a colour of its own; the SVG
 * cairo wrote is cut at those marks (svg_layers.c), which are dropped. */

static const cairo_user_data_key_t svg_key; /* an SVG surface's output */
#define MARK_SIZE 0.25

static void draw_mark(cairo_t *cr)
{
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_reset_clip(cr);
    cairo_new_path(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    cairo_rectangle(cr, 0, 0, MARK_SIZE, MARK_SIZE);
    cairo_set_source_rgb(cr, 0.0123, 0.0456, 0.0789);
    cairo_fill(cr);
    cairo_restore(cr);
}

bool cor__output_svg_group(cairo_t *cr, const char *name)
{
    cor__output_t *o = cr ? cairo_surface_get_user_data(cairo_get_target(cr), &svg_key) : NULL;
    if (!o || !name)
        return true;
    if (!cor__grow((void **)&o->groups, &o->cap_groups, o->ngroups + 1, sizeof *o->groups) ||
        !(o->groups[o->ngroups] = cor__strdup(name)))
        return false;
    o->ngroups++;
    draw_mark(cr);
    return true;
}

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int length)
{
    return cor__buf_append(closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The exact element cairo writes for a mark, found by drawing one alone. */
static char *mark_text(void)
{
    cor__buf_t b = {0};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(buf_write, &b, 10, 10);
    cairo_t *cr = cairo_create(s);
    draw_mark(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    char *start = b.data ? strstr(b.data, "<path") : NULL,
         *end = start ? strstr(start, "/>") : NULL;
    char *mark = end ? cor__strndup(start, (size_t)(end + 2 - start)) : NULL;
    cor__buf_free(&b);
    return mark;
}

/* Creates the surface and context for o's format; user units are points. */
static cor_status_t create_surface(cor__output_t *o, double w, double h, cor_error_t *err)
{
    int wpx = 0, hpx = 0;
    cor_status_t st;
    switch (o->fmt) {
    case COR_FORMAT_PNG:
        if ((st = check_raster(w, h, o->dpi, &wpx, &hpx, err)) != COR_OK)
            return st;
        o->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, wpx, hpx);
        break;
    case COR_FORMAT_SVG:
        o->surface = cairo_svg_surface_create_for_stream(stream_write, o, w, h);
        cairo_svg_surface_set_document_unit(o->surface, CAIRO_SVG_UNIT_PT);
        cairo_surface_set_user_data(o->surface, &svg_key, o, NULL);
        break;
    case COR_FORMAT_PDF:
        o->surface = cairo_pdf_surface_create_for_stream(stream_write, o, w, h);
        if (cairo_surface_status(o->surface) == CAIRO_STATUS_SUCCESS)
            pdf_date(o->surface);
        break;
    case COR_FORMAT_AUTO:
        return cor__fail(err, COR_ERR_USAGE, "%s: no output format given", o->label);
    }
    cairo_status_t cs = cairo_surface_status(o->surface);
    if (cs == CAIRO_STATUS_SUCCESS) {
        if (o->fmt != COR_FORMAT_PNG)
            cairo_surface_set_fallback_resolution(o->surface, o->dpi, o->dpi);
        o->cr = cairo_create(o->surface);
        cs = cairo_status(o->cr);
    }
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory for a %d x %d px page", o->label,
                         wpx, hpx);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "%s: cannot create the %s surface: %s", o->label,
                         format_name(o->fmt), cairo_status_to_string(cs));
    if (o->fmt == COR_FORMAT_PNG)
        cairo_scale(o->cr, o->dpi / 72.0, o->dpi / 72.0);
    return COR_OK;
}

/* Releases everything o holds. */
static void output_free(cor__output_t *o)
{
    o->discard = true;
    if (o->cr)
        cairo_destroy(o->cr);
    if (o->surface)
        cairo_surface_destroy(o->surface);
    cor__buf_free(&o->data);
    cor__buf_free(&o->svg_tail);
    cor__buf_free(&o->svg_doc);
    for (size_t i = 0; i < o->ngroups; i++)
        free(o->groups[i]);
    free(o->groups);
    free(o->path);
    free(o);
}

/* Opens an output for `path`, or in memory when path is NULL (named "memory" in messages). */
static cor_status_t output_open(const char *path, cor_format_t fmt, double width_pt,
                                double height_pt, double dpi, cor__output_t **out, cor_error_t *err)
{
    cor__output_t *o = NULL;
    if (fmt != COR_FORMAT_PNG && fmt != COR_FORMAT_SVG && fmt != COR_FORMAT_PDF)
        return cor__fail(err, COR_ERR_USAGE, "no output format given for %s",
                         path ? path : "a memory buffer");
    cor_status_t st = cor__output_check_page(fmt, width_pt, height_pt, dpi, err);
    if (st == COR_OK && path)
        st = check_path(path, err);
    if (st != COR_OK)
        return st;
    o = calloc(1, sizeof *o);
    if (!o || (path && !(o->path = cor__strdup(path)))) {
        free(o);
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path ? path : "memory");
    }
    o->label = path ? o->path : "memory";
    o->fmt = fmt;
    o->dpi = dpi;
    o->threads = 1;
    st = create_surface(o, width_pt, height_pt, err);
    if (st != COR_OK) {
        output_free(o);
        return st;
    }
    *out = o;
    return COR_OK;
}

cor_status_t cor__output_open(const char *path, cor_format_t fmt, double width_pt, double height_pt,
                              double dpi, cor__output_t **out, cor_error_t *err)
{
    if (!path || !*path)
        return cor__fail(err, COR_ERR_USAGE, "no output file given");
    return output_open(path, fmt, width_pt, height_pt, dpi, out, err);
}

cor_status_t cor__output_open_memory(cor_format_t fmt, double width_pt, double height_pt,
                                     double dpi, cor__output_t **out, cor_error_t *err)
{
    return output_open(NULL, fmt, width_pt, height_pt, dpi, out, err);
}

void cor__output_set_threads(cor__output_t *o, int threads)
{
    o->threads = threads < 1 ? 1 : threads;
}

cairo_t *cor__output_cairo(cor__output_t *o)
{
    return o ? o->cr : NULL;
}

void cor__output_set_metadata(cor__output_t *o, const char *title, const char *creator)
{
    if (!o || o->fmt != COR_FORMAT_PDF)
        return;
    if (title)
        cairo_pdf_surface_set_metadata(o->surface, CAIRO_PDF_METADATA_TITLE, title);
    if (creator)
        cairo_pdf_surface_set_metadata(o->surface, CAIRO_PDF_METADATA_CREATOR, creator);
}

cor_status_t cor__output_svg_append(cor__output_t *o, const char *fragment, cor_error_t *err)
{
    if (!o || !fragment)
        return cor__fail(err, COR_ERR_INTERNAL, "SVG fragment without an output or text");
    if (o->fmt != COR_FORMAT_SVG)
        return COR_OK;
    if (!cor__utf8_valid(fragment, strlen(fragment)))
        return cor__fail(err, COR_ERR_INTERNAL, "%s: SVG fragment is not valid UTF-8", o->label);
    if (!cor__buf_puts(&o->svg_tail, fragment))
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", o->label);
    return COR_OK;
}

/* ---- encoding ---- */

/* The SVG document: cairo's, cut into layers at the marks, the stored fragments just before its
 * final "</svg>"; into o->svg_doc, as parts[0]. */
static cor_status_t svg_parts(cor__output_t *o, part_t *parts, int *nparts, cor_error_t *err)
{
    char *mark = o->ngroups ? mark_text() : NULL;
    cor_status_t st = cor__svg_layers(o->data.data, o->data.len, o->svg_tail.data, o->svg_tail.len,
                                      mark, o->groups, o->ngroups, &o->svg_doc, err);
    free(mark);
    if (st != COR_OK) {
        cor__error_prefix(err, "%s", o->label);
        return st;
    }
    parts[0] = (part_t){o->svg_doc.data, o->svg_doc.len};
    *nparts = 1;
    return COR_OK;
}

/* Checks cairo's sticky status, then finishes the surface so o->data holds the encoded file. */
static cor_status_t encode(cor__output_t *o, cor_error_t *err)
{
    cairo_status_t cs = cairo_status(o->cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(o->surface);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "%s: drawing failed: %s", o->label,
                         cairo_status_to_string(cs));
    cairo_destroy(o->cr);
    o->cr = NULL;
    if (o->fmt == COR_FORMAT_PNG) {
        cairo_surface_flush(o->surface);
        if (!cor__png_encode(o->surface, o->dpi, o->threads, &o->data))
            return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory while encoding PNG", o->label);
        return COR_OK;
    } else {
        cairo_surface_finish(o->surface);
        cs = cairo_surface_status(o->surface);
    }
    if (o->nomem)
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory while encoding %s", o->label,
                         format_name(o->fmt));
    if (cs != CAIRO_STATUS_SUCCESS || !o->data.data)
        return cor__fail(err, COR_ERR_RENDER, "%s: cannot encode %s: %s", o->label,
                         format_name(o->fmt), cairo_status_to_string(cs));
    return COR_OK;
}

/* ---- the atomic write ---- */

/* Opens a new temporary file ".<name>.XXXXXX" beside `path` and stores its name in *tmp.
 * Not mkstemp(): it creates the file 0600 and the fchmod that would follow needs the umask,
 * which a library can only read by setting it (a race with other threads) and which ignores the
 * directory's default ACL. open() with O_EXCL and mode 0666 lets the kernel apply both. */
static cor_status_t open_temp(const char *path, int *fd, char **tmp, cor_error_t *err)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static atomic_uint counter;
    const char *base = base_name(path);
    char *name = cor__asprintf("%.*s.%s.XXXXXX", (int)(base - path), path, base);
    if (!name)
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 16 ^
                    (uint64_t)(uintptr_t)name;
    char *x = name + strlen(name) - 6;
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t z = seed + 0x9E3779B97F4A7C15u * (atomic_fetch_add(&counter, 1) + 1u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        for (int i = 0; i < 6; i++, z /= 62)
            x[i] = alphabet[z % 62];
        *fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd >= 0) {
            *tmp = name;
            return COR_OK;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(name);
    return cor__fail(err, COR_ERR_IO, "%s: cannot create a temporary file beside it: %s", path,
                     strerror(e));
}

/* Writes all n bytes, retrying after signals. Returns: 0, or an errno value. */
static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return errno;
        if (k == 0)
            return ENOSPC;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Writes the parts to a temporary file beside path, syncs it and renames it over path. On any
 * failure the temporary file is removed and whatever was at path is left as it was. */
static cor_status_t write_atomic(const char *path, const part_t *parts, int nparts,
                                 cor_error_t *err)
{
    char *tmp = NULL;
    int fd = -1, e = 0;
    cor_status_t st = open_temp(path, &fd, &tmp, err);
    if (st != COR_OK)
        return st;
    for (int i = 0; i < nparts && !e; i++)
        e = write_all(fd, parts[i].data, parts[i].len);
    if (!e && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    if (close(fd) != 0 && !e && errno != EINTR)
        e = errno;
    if (!e && rename(tmp, path) != 0) {
        e = errno;
        cor__fail(err, COR_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp, strerror(e));
    } else if (e) {
        cor__fail(err, COR_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    if (e)
        unlink(tmp);
    free(tmp);
    return e ? COR_ERR_IO : COR_OK;
}

/* Encodes the drawing and lays out the file's pieces in parts[0..*nparts). */
static cor_status_t finish_parts(cor__output_t *o, part_t *parts, int *nparts, cor_error_t *err)
{
    cor_status_t st = encode(o, err);
    *nparts = 0;
    if (st == COR_OK && o->fmt == COR_FORMAT_SVG)
        st = svg_parts(o, parts, nparts, err);
    else if (st == COR_OK)
        parts[(*nparts)++] = (part_t){o->data.data, o->data.len};
    return st;
}

cor_status_t cor__output_commit(cor__output_t *o, cor_error_t *err)
{
    if (!o)
        return cor__fail(err, COR_ERR_INTERNAL, "no output to commit");
    if (!o->path) {
        output_free(o);
        return cor__fail(err, COR_ERR_INTERNAL, "a memory output is finished with _take");
    }
    part_t parts[3];
    int nparts = 0;
    cor_status_t st = finish_parts(o, parts, &nparts, err);
    if (st == COR_OK)
        st = write_atomic(o->path, parts, nparts, err);
    output_free(o);
    return st;
}

cor_status_t cor__output_take(cor__output_t *o, void **data, size_t *len, cor_error_t *err)
{
    if (!o || !data || !len) {
        cor__output_abort(o);
        return cor__fail(err, COR_ERR_INTERNAL, "no output to finish");
    }
    part_t parts[3];
    int nparts = 0;
    cor__buf_t all = {0};
    cor_status_t st = finish_parts(o, parts, &nparts, err);
    for (int i = 0; st == COR_OK && i < nparts; i++)
        if (parts[i].len && !cor__buf_append(&all, parts[i].data, parts[i].len))
            st = cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", o->label);
    output_free(o);
    if (st != COR_OK) {
        cor__buf_free(&all);
        return st;
    }
    *data = all.data;
    *len = all.len;
    return COR_OK;
}

void cor__output_abort(cor__output_t *o)
{
    if (o)
        output_free(o);
}
