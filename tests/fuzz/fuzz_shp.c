/* SPDX-License-Identifier: MIT */
/* libFuzzer target for source_shp: the input becomes a .shp, a .shx and optionally a .dbf, .cpg
 * and .prj in a scratch directory, which are opened, described and read in full and through a
 * query box. Built with -DCORRIDOR_FUZZ=ON and run with tests/fuzz/run (see tests/fuzz/README.md);
 * seeds come from make_seeds; replayed by the normal build's ctest.
 *
 * Input layout: u32 LE .shp length, u32 LE .shx length (each taken modulo what is left), one
 * flags byte (bit 0: write a .dbf from the rest; bits 1-3: which .cpg; bit 4: write a .prj;
 * bit 5: no .shx, so the index is rebuilt from the .shp), then the .shp bytes, the .shx bytes
 * and the .dbf bytes. Every warning must be one line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "source_shp.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir, *shp, *shx, *dbf, *cpg, *prj;

static void setup(void)
{
    char tmpl[] = "/tmp/fuzz_shp.XXXXXX";
    const char *d = mkdtemp(tmpl);
    if (!d)
        abort();
    dir = strdup(d);
    shp = cor__path_join(dir, "layer.shp");
    shx = cor__path_join(dir, "layer.shx");
    dbf = cor__path_join(dir, "layer.dbf");
    cpg = cor__path_join(dir, "layer.cpg");
    prj = cor__path_join(dir, "layer.prj");
}

static void put(const char *path, const uint8_t *bytes, size_t n, int wanted)
{
    if (!wanted) {
        unlink(path);
        return;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, n, f) != n || fclose(f) != 0)
        abort();
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Touches everything a consumer could: every coordinate, part offset and attribute byte. */
static cor_status_t visit(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    double *sum = ud;
    const cor__geom_t *g = f->geom;
    (void)err;
    if (g->nparts == 0 || g->parts[0] != 0 || g->parts[g->nparts] != g->npoints)
        abort();
    for (size_t i = 0; i < g->npoints; i++)
        *sum += g->x[i] * 0.5 + g->y[i] * 0.25;
    for (size_t k = 0; k < f->nfields; k++) {
        const cor__attr_t *a = &f->values[k];
        *sum += (double)strlen(f->names[k]);
        if (a->type == COR__ATTR_STRING && !cor__utf8_valid(a->str, strlen(a->str)))
            abort();
        if (a->type == COR__ATTR_NUMBER)
            *sum += a->num;
    }
    return COR_OK;
}

static void exercise(cor__shp_t *s)
{
    cor_bbox_t box;
    double sum = 0;
    cor_error_t err = {0};
    (void)cor__shp_path(s), (void)cor__shp_kind(s), (void)cor__shp_type_name(s);
    (void)cor__shp_count(s), (void)cor__shp_null_count(s), (void)cor__shp_prj(s);
    if (!cor__utf8_valid(cor__shp_encoding(s), strlen(cor__shp_encoding(s))) ||
        !cor__shp_encoding_source(s))
        abort();
    for (size_t i = 0; i < cor__shp_nfields(s); i++)
        if (strlen(cor__shp_field(s, i)->name) > 15)
            abort();
    const cor__warnings_t *w = cor__shp_warnings(s);
    for (size_t i = 0; i < w->n; i++)
        if (!w->lines[i][0] || strchr(w->lines[i], '\n'))
            abort();
    if (cor__shp_deleted_count(s) > cor__shp_count(s))
        abort();
    cor__shp_each(s, NULL, visit, &sum, &err);
    if (cor__shp_extent(s, &box)) {
        box.maxx = box.minx + (box.maxx - box.minx) / 2;
        cor_error_clear(&err);
        cor__shp_each(s, &box, visit, &sum, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const cpgs[] = {"UTF-8",  "1257",     "CP1252",   "ISO-8859-1",
                                       "KOI8-R", "nonsense", "ANSI 1251"};
    if (!dir)
        setup();
    if (size < 9)
        return 0;
    size_t left = size - 9;
    size_t nshp = le32(data) % (left + 1);
    size_t nshx = le32(data + 4) % (left - nshp + 1);
    unsigned flags = data[8];
    const uint8_t *p = data + 9;
    put(shp, p, nshp, 1);
    put(shx, p + nshp, nshx, !(flags & 32));
    put(dbf, p + nshp + nshx, left - nshp - nshx, flags & 1);
    unsigned which = (flags >> 1) & 7;
    put(cpg, (const uint8_t *)(which ? cpgs[which - 1] : ""), which ? strlen(cpgs[which - 1]) : 0,
        which != 0);
    put(prj, (const uint8_t *)"GEOGCS[\"WGS 84\"]", 16, (flags & 16) != 0);

    cor__shp_t *s = NULL;
    cor_error_t err = {0};
    cor_status_t st = cor__shp_open(shp, &s, &err);
    if (st == COR_OK) {
        exercise(s);
        cor__shp_close(s);
    } else if (s != NULL || err.code != st || !err.message[0] || strchr(err.message, '\n')) {
        abort(); /* a failure must leave no object and exactly one line of explanation */
    }
    return 0;
}
