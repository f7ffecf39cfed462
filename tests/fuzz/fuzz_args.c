/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the parsers behind --size, --paper, --extent and --crs: the input is cut
 * at its first two newlines into a size, an extent and a CRS definition (NUL bytes end each
 * text early, as a command line would), each parsed and then set on one map as
 * `corridor render` does. A status and its error must agree, and a parsed size must be finite
 * and positive. Built with -DCORRIDOR_FUZZ=ON (see tests/fuzz/README.md); replayed by the
 * normal build's ctest. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void agree(cor_status_t st, const cor_error_t *err)
{
    if (st != err->code || (st != COR_OK && !err->message[0]))
        abort();
}

/* The next newline-terminated piece of [*p, end) as a malloc'd string; the rest when `last`. */
static char *piece(const uint8_t **p, const uint8_t *end, bool last)
{
    const uint8_t *nl = last ? NULL : memchr(*p, '\n', (size_t)(end - *p));
    size_t n = (size_t)((nl ? nl : end) - *p);
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, *p, n);
    s[n] = '\0';
    *p = nl ? nl + 1 : end;
    return s;
}

static void sizes(cor_map_t *map, const char *text)
{
    static const double dpis[] = {300, 0, 72.5};
    for (size_t i = 0; i < sizeof dpis / sizeof dpis[0]; i++) {
        double w = 0, h = 0;
        bool px = false;
        cor_error_t err = {0};
        cor_status_t st = cor_page_size_parse(text, dpis[i], &w, &h, &px, &err);
        agree(st, &err);
        if (st != COR_OK)
            continue;
        if (!(isfinite(w) && isfinite(h) && w >= 0 && h >= 0))
            abort();
        cor_error_clear(&err);
        agree(cor_map_set_page(map, w, h, dpis[i] > 0 ? dpis[i] : 300, &err), &err);
    }
    for (int landscape = 0; landscape < 2; landscape++) {
        cor_error_t err = {0};
        double w = 0, h = 0;
        agree(cor_paper_size(text, landscape, &w, &h, &err), &err);
    }
}

static void extent(cor_map_t *map, const char *text)
{
    cor_bbox_t b;
    cor_error_t err = {0};
    cor_status_t st = cor_extent_parse(text, &b, &err);
    agree(st, &err);
    if (st == COR_OK) {
        if (!(isfinite(b.minx) && isfinite(b.miny) && isfinite(b.maxx) && isfinite(b.maxy)))
            abort();
        cor_error_clear(&err);
        agree(cor_map_set_extent(map, b, &err), &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cor_map_t *map;
    cor_error_t err = {0};
    if (!map && cor_map_new(&map, &err) != COR_OK)
        abort();
    const uint8_t *p = data, *end = data + size;
    char *size_text = piece(&p, end, false), *extent_text = piece(&p, end, false);
    char *crs = piece(&p, end, true);
    sizes(map, size_text);
    extent(map, extent_text);
    agree(cor_map_set_crs(map, crs, &err), &err);
    free(crs);
    free(extent_text);
    free(size_text);
    return 0;
}
