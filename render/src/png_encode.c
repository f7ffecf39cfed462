/* SPDX-License-Identifier: MIT */
/* png_encode: PNG bytes from a cairo image surface, written with zlib directly. The filtered
 * image (a filter byte of 0 and the pixels per row) is cut into strips of whole rows of about
 * COR__PNG_STRIP_BYTES; each strip is raw-deflated on its own, primed with the 32 KiB of image
 * before it as its dictionary (so compression barely suffers), ended with a sync flush, and the
 * pieces are joined in order under one zlib header and the combined Adler-32 (as pigz does).
 * Which thread deflates which strip changes nothing in the bytes. */
#include "png_encode.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DICT_BYTES 32768 /* deflate's window */
#define LEVEL      1     /* chosen by measurement: see output.c */

typedef struct strip {
    unsigned char *z; /* the raw deflate of the strip's rows */
    size_t zlen;
    uLong adler; /* Adler-32 of the strip's raw bytes */
    size_t raw;  /* how many raw bytes */
} strip_t;

typedef struct job {
    const unsigned char *data;
    int w, h, stride;
    bool opaque;
    size_t rowbytes; /* filter byte and pixels */
    int rows;        /* per strip */
    int dict_rows;   /* rows before a strip that hold its dictionary */
    size_t nstrips;
    strip_t *strips;
    atomic_size_t next; /* the next strip to take */
    atomic_bool failed;
} job_t;

static bool surface_opaque(const unsigned char *d, int w, int h, int stride)
{
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(d + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++)
            if ((row[x] >> 24) != 0xFF)
                return false;
    }
    return true;
}

/* One row of premultiplied native-endian ARGB32 to its filter byte (none) and RGB or straight
 * RGBA bytes. */
static void convert_row(const uint32_t *in, unsigned char *out, int w, bool opaque)
{
    *out++ = 0;
    for (int x = 0; x < w; x++) {
        uint32_t p = in[x], a = p >> 24;
        uint32_t r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
        if (!opaque && a != 0 && a != 0xFF) {
            r = (r * 255 + a / 2) / a, g = (g * 255 + a / 2) / a, b = (b * 255 + a / 2) / a;
        }
        *out++ = (unsigned char)r, *out++ = (unsigned char)g, *out++ = (unsigned char)b;
        if (!opaque)
            *out++ = (unsigned char)a;
    }
}

/* The raw bytes of rows [y0, y1) into buf. */
static void raw_rows(const job_t *j, int y0, int y1, unsigned char *buf)
{
    for (int y = y0; y < y1; y++, buf += j->rowbytes)
        convert_row((const uint32_t *)(j->data + (size_t)y * (size_t)j->stride), buf, j->w,
                    j->opaque);
}

/* Deflates strip k through zs, with `raw` and `dict` as room for its rows and its dictionary's.
 * Returns: false on exhaustion. */
static bool deflate_strip(const job_t *j, size_t k, z_stream *zs, unsigned char *raw,
                          unsigned char *dict)
{
    strip_t *s = &j->strips[k];
    int y0 = (int)k * j->rows, y1 = y0 + j->rows < j->h ? y0 + j->rows : j->h;
    bool last = k + 1 == j->nstrips;
    s->raw = (size_t)(y1 - y0) * j->rowbytes;
    raw_rows(j, y0, y1, raw);
    s->adler = adler32(adler32(0, NULL, 0), raw, (uInt)s->raw);
    if (deflateReset(zs) != Z_OK)
        return false;
    if (k > 0) {
        int d0 = y0 - j->dict_rows > 0 ? y0 - j->dict_rows : 0;
        size_t dn = (size_t)(y0 - d0) * j->rowbytes, skip = dn > DICT_BYTES ? dn - DICT_BYTES : 0;
        raw_rows(j, d0, y0, dict);
        if (deflateSetDictionary(zs, dict + skip, (uInt)(dn - skip)) != Z_OK)
            return false;
    }
    size_t cap = deflateBound(zs, (uLong)s->raw) + 64; /* a sync flush's few bytes more */
    if (!(s->z = malloc(cap)))
        return false;
    zs->next_in = raw, zs->avail_in = (uInt)s->raw;
    zs->next_out = s->z, zs->avail_out = (uInt)cap;
    int rc = deflate(zs, last ? Z_FINISH : Z_SYNC_FLUSH);
    s->zlen = cap - zs->avail_out;
    unsigned char *fit = s->zlen ? realloc(s->z, s->zlen) : NULL; /* give back the bound's room */
    if (fit)
        s->z = fit;
    return last ? rc == Z_STREAM_END : rc == Z_OK && zs->avail_in == 0 && zs->avail_out > 0;
}

/* Takes strips until none is left or one failed. */
static void *worker(void *ud)
{
    job_t *j = ud;
    z_stream zs = {0};
    unsigned char *raw = malloc((size_t)j->rows * j->rowbytes);
    unsigned char *dict = malloc((size_t)j->dict_rows * j->rowbytes);
    bool ok =
        raw && dict && deflateInit2(&zs, LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (!ok)
        atomic_store(&j->failed, true);
    while (ok && !atomic_load(&j->failed)) {
        size_t k = atomic_fetch_add(&j->next, 1);
        if (k >= j->nstrips)
            break;
        if (!deflate_strip(j, k, &zs, raw, dict))
            atomic_store(&j->failed, true);
    }
    if (ok)
        deflateEnd(&zs);
    free(raw);
    free(dict);
    return NULL;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* crc32() of no bytes from NULL would restart the CRC: skip empty pieces. */
static uLong crc_more(uLong crc, const void *p, size_t n)
{
    return n ? crc32(crc, p, (uInt)n) : crc;
}

/* Appends a chunk of `type` whose data is the concatenation of up to three pieces. */
static bool chunk(cor__buf_t *out, const char *type, const void *a, size_t na, const void *b,
                  size_t nb, const void *c, size_t nc)
{
    unsigned char head[8], tail[4];
    put32(head, (uint32_t)(na + nb + nc));
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0, head + 4, 4);
    crc = crc_more(crc_more(crc_more(crc, a, na), b, nb), c, nc);
    put32(tail, (uint32_t)crc);
    return cor__buf_append(out, head, 8) && cor__buf_append(out, a, na) &&
           cor__buf_append(out, b, nb) && cor__buf_append(out, c, nc) &&
           cor__buf_append(out, tail, 4);
}

/* Signature, IHDR and pHYs. */
static bool header(cor__buf_t *out, const job_t *j, double dpi)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char ihdr[13], phys[9];
    put32(ihdr, (uint32_t)j->w), put32(ihdr + 4, (uint32_t)j->h);
    ihdr[8] = 8, ihdr[9] = j->opaque ? 2 : 6, ihdr[10] = ihdr[11] = ihdr[12] = 0;
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put32(phys, ppm), put32(phys + 4, ppm), phys[8] = 1; /* per metre */
    return cor__buf_append(out, sig, 8) && chunk(out, "IHDR", ihdr, 13, NULL, 0, NULL, 0) &&
           chunk(out, "pHYs", phys, 9, NULL, 0, NULL, 0);
}

/* One IDAT per strip: the zlib header before the first, the Adler-32 of all after the last. */
static bool body(cor__buf_t *out, const job_t *j)
{
    static const unsigned char zhead[2] = {0x78, 0x01}; /* deflate, 32 KiB window, fastest */
    uLong adler = adler32(0, NULL, 0);
    for (size_t k = 0; k < j->nstrips; k++)
        adler = adler32_combine(adler, j->strips[k].adler, (z_off_t)j->strips[k].raw);
    unsigned char trailer[4];
    put32(trailer, (uint32_t)adler);
    for (size_t k = 0; k < j->nstrips; k++) {
        const strip_t *s = &j->strips[k];
        bool first = k == 0, last = k + 1 == j->nstrips;
        if (!chunk(out, "IDAT", zhead, first ? 2 : 0, s->z, s->zlen, trailer, last ? 4 : 0))
            return false;
    }
    return chunk(out, "IEND", NULL, 0, NULL, 0, NULL, 0);
}

/* Deflates every strip on `threads` threads, this one among them. */
static void run(job_t *j, int threads)
{
    pthread_t tid[COR__PNG_MAX_THREADS];
    int started = 0;
    for (int i = 1; i < threads; i++)
        started += pthread_create(&tid[started], NULL, worker, j) == 0;
    worker(j);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

bool cor__png_encode(cairo_surface_t *s, double dpi, int threads, cor__buf_t *out)
{
    job_t j = {.data = cairo_image_surface_get_data(s),
               .w = cairo_image_surface_get_width(s),
               .h = cairo_image_surface_get_height(s),
               .stride = cairo_image_surface_get_stride(s)};
    j.opaque = surface_opaque(j.data, j.w, j.h, j.stride);
    j.rowbytes = 1 + (size_t)j.w * (j.opaque ? 3 : 4);
    j.rows =
        (int)(COR__PNG_STRIP_BYTES / j.rowbytes) > 1 ? (int)(COR__PNG_STRIP_BYTES / j.rowbytes) : 1;
    j.dict_rows = (int)((DICT_BYTES + j.rowbytes - 1) / j.rowbytes);
    j.nstrips = ((size_t)j.h + (size_t)j.rows - 1) / (size_t)j.rows;
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, false);
    if (!(j.strips = cor__calloc(j.nstrips, sizeof *j.strips)))
        return false;
    threads = threads < 1 ? 1 : threads > COR__PNG_MAX_THREADS ? COR__PNG_MAX_THREADS : threads;
    run(&j, (size_t)threads < j.nstrips ? threads : (int)j.nstrips);
    bool ok = !atomic_load(&j.failed) && header(out, &j, dpi) && body(out, &j);
    for (size_t k = 0; k < j.nstrips; k++)
        free(j.strips[k].z);
    free(j.strips);
    return ok;
}
