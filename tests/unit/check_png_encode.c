/* SPDX-License-Identifier: MIT */
/* Unit tests for png_encode: the bytes do not depend on the thread count, cairo and zlib read the
 * file back to the same pixels (opaque as RGB, translucent as RGBA), in one strip or many. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "png_encode.h"
#include "testutil.h"

/* An image with flat areas, gradients, noise and (unless opaque) translucent pixels. */
static cairo_surface_t *test_image(int w, int h, bool opaque)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    uint32_t *d = (uint32_t *)cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s) / 4;
    uint32_t seed = 12345;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t a = opaque || x < w / 2 ? 255 : (uint32_t)(x * 255 / w);
            uint32_t r = y < h / 3 ? 170 : (uint32_t)(x ^ y) & 255;
            uint32_t g = y < h / 3 ? 205 : (seed >> 16) & 255, b = 230;
            r = r * a / 255, g = g * a / 255, b = b * a / 255; /* premultiplied */
            d[y * stride + x] = a << 24 | r << 16 | g << 8 | b;
        }
    cairo_surface_mark_dirty(s);
    return s;
}

typedef struct reader {
    const unsigned char *p;
    size_t n, at;
} reader_t;

static cairo_status_t read_fn(void *ud, unsigned char *data, unsigned int len)
{
    reader_t *r = ud;
    if (len > r->n - r->at)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Reads the PNG back with cairo and checks every pixel against the source (premultiplying
 * again can move a translucent channel by one). */
static void check_round_trip(cairo_surface_t *src, const cor__buf_t *png)
{
    reader_t r = {(const unsigned char *)png->data, png->len, 0};
    cairo_surface_t *got = cairo_image_surface_create_from_png_stream(read_fn, &r);
    ck_assert_int_eq(cairo_surface_status(got), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
    ck_assert_int_eq(cairo_image_surface_get_width(got), w);
    ck_assert_int_eq(cairo_image_surface_get_height(got), h);
    long bad = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *a = (const uint32_t *)(cairo_image_surface_get_data(src) +
                                               y * cairo_image_surface_get_stride(src));
        const uint32_t *b = (const uint32_t *)(cairo_image_surface_get_data(got) +
                                               y * cairo_image_surface_get_stride(got));
        for (int x = 0; x < w; x++)
            for (int sh = 0; sh < 32; sh += 8)
                bad += abs((int)(a[x] >> sh & 255) - (int)(b[x] >> sh & 255)) > 1;
    }
    ck_assert_msg(bad == 0, "%ld channels read back otherwise", bad);
    cairo_surface_destroy(got);
}

/* The colour type in IHDR and the number of IDAT chunks. */
static void png_layout(const cor__buf_t *png, int *color, int *nidat)
{
    const unsigned char *d = (const unsigned char *)png->data;
    *nidat = 0;
    *color = d[8 + 8 + 9];
    for (size_t at = 8; at + 12 <= png->len;) {
        uint32_t n = (uint32_t)d[at] << 24 | d[at + 1] << 16 | d[at + 2] << 8 | d[at + 3];
        *nidat += memcmp(d + at + 4, "IDAT", 4) == 0;
        uint32_t crc = (uint32_t)d[at + 8 + n] << 24 | d[at + 9 + n] << 16 | d[at + 10 + n] << 8 |
                       d[at + 11 + n];
        ck_assert_uint_eq(crc, crc32(0, d + at + 4, 4 + n));
        at += 12 + n;
    }
}

/* Encodes on 1, 2, 3 and 8 threads: the same bytes every time; returns the first. */
static cor__buf_t encode_everywhere(cairo_surface_t *s)
{
    cor__buf_t first = {0};
    ck_assert(cor__png_encode(s, 300, 1, &first));
    static const int threads[] = {2, 3, 8};
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        cor__buf_t again = {0};
        ck_assert(cor__png_encode(s, 300, threads[i], &again));
        ck_assert_uint_eq(again.len, first.len);
        ck_assert_msg(memcmp(again.data, first.data, first.len) == 0, "%d threads differ",
                      threads[i]);
        cor__buf_free(&again);
    }
    return first;
}

START_TEST(opaque_image_in_many_strips_is_rgb_and_the_same_on_any_threads)
{
    cairo_surface_t *s = test_image(600, 900, true); /* 1801 bytes a row: 145 rows a strip */
    cor__buf_t png = encode_everywhere(s);
    int color, nidat;
    png_layout(&png, &color, &nidat);
    ck_assert_int_eq(color, 2);
    ck_assert_int_eq(nidat, 7);
    check_round_trip(s, &png);
    cor__buf_free(&png);
    cairo_surface_destroy(s);
}
END_TEST

START_TEST(translucent_image_is_rgba)
{
    cairo_surface_t *s = test_image(333, 700, false);
    cor__buf_t png = encode_everywhere(s);
    int color, nidat;
    png_layout(&png, &color, &nidat);
    ck_assert_int_eq(color, 6);
    ck_assert_int_gt(nidat, 1);
    check_round_trip(s, &png);
    cor__buf_free(&png);
    cairo_surface_destroy(s);
}
END_TEST

START_TEST(small_image_is_one_strip)
{
    cairo_surface_t *s = test_image(3, 2, true);
    cor__buf_t png = encode_everywhere(s);
    int color, nidat;
    png_layout(&png, &color, &nidat);
    ck_assert_int_eq(nidat, 1);
    check_round_trip(s, &png);
    cor__buf_free(&png);
    cairo_surface_destroy(s);
}
END_TEST

/* The image's PNG rows (filter byte 0, RGB) deflated as one zlib stream at level 1. */
static uLong one_stream_size(cairo_surface_t *s)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    size_t rowbytes = 1 + 3 * (size_t)w, n = rowbytes * (size_t)h;
    unsigned char *raw = malloc(n), *p = raw;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(cairo_image_surface_get_data(s) +
                                                 y * cairo_image_surface_get_stride(s));
        *p++ = 0;
        for (int x = 0; x < w; x++)
            *p++ = row[x] >> 16 & 255, *p++ = row[x] >> 8 & 255, *p++ = row[x] & 255;
    }
    uLong cap = compressBound(n);
    unsigned char *z = malloc(cap);
    ck_assert_int_eq(compress2(z, &cap, raw, n, 1), Z_OK);
    free(z);
    free(raw);
    return cap;
}

START_TEST(strips_compress_about_as_well_as_one_stream)
{
    /* a map-like page: flat areas and thin lines; each strip's dictionary carries the matches
     * over from the strip before, so cutting the stream costs little */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1200, 900);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 170 / 255.0, 205 / 255.0, 230 / 255.0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 242 / 255.0, 239 / 255.0, 233 / 255.0);
    cairo_arc(cr, 600, 450, 350, 0, 6.283);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (int i = 0; i < 60; i++) {
        cairo_move_to(cr, i * 20, 0);
        cairo_line_to(cr, 1200 - i * 17, 900);
    }
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cor__buf_t png = {0};
    ck_assert(cor__png_encode(s, 300, 2, &png));
    uLong one = one_stream_size(s);
    ck_assert_msg(png.len < one + one / 50 + 1000, "%zu bytes in strips, %lu in one stream",
                  png.len, one);
    ck_assert_uint_gt(png.len, one / 2); /* and it is the image, deflated */
    check_round_trip(s, &png);
    cor__buf_free(&png);
    cairo_surface_destroy(s);
}
END_TEST

static Suite *png_encode_suite(void)
{
    Suite *s = suite_create("png_encode");
    TCase *t = tcase_create("png_encode");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, opaque_image_in_many_strips_is_rgb_and_the_same_on_any_threads);
    tcase_add_test(t, translucent_image_is_rgba);
    tcase_add_test(t, small_image_is_one_strip);
    tcase_add_test(t, strips_compress_about_as_well_as_one_stream);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(png_encode_suite());
}
