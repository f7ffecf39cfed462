/* SPDX-License-Identifier: MIT */
/* libFuzzer target for source_json: the input is parsed as a GeoJSON text with small limits, and
 * every delivered feature has its geometry checked against the promised invariants and its
 * simplestyle look resolved for each kind. Built with -DCORRIDOR_FUZZ=ON and run with
 * tests/fuzz/run (see tests/fuzz/README.md); replayed by the normal build's ctest.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simplestyle.h"
#include "source_json.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless the geometry keeps what cor__json_each promises. */
static void check_geom(const cor__geom_t *g)
{
    if (g->nparts == 0 || g->parts[0] != 0 || g->parts[g->nparts] != g->npoints)
        abort();
    for (size_t i = 0; i < g->nparts; i++) {
        size_t n = g->parts[i + 1] - g->parts[i];
        if (g->parts[i + 1] < g->parts[i] || (g->kind == COR__GEOM_POINT && n != 1) ||
            (g->kind == COR__GEOM_LINE && n < 2) || (g->kind == COR__GEOM_POLYGON && n < 4))
            abort();
        if (g->kind == COR__GEOM_POLYGON && (g->x[g->parts[i]] != g->x[g->parts[i + 1] - 1] ||
                                             g->y[g->parts[i]] != g->y[g->parts[i + 1] - 1]))
            abort();
    }
    for (size_t i = 0; i < g->npoints; i++)
        if (!(fabs(g->x[i]) <= 180 && fabs(g->y[i]) <= 90))
            abort();
}

static cor_status_t on_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    static const cor__geom_kind_t kinds[] = {COR__GEOM_NONE, COR__GEOM_POINT, COR__GEOM_LINE,
                                             COR__GEOM_POLYGON};
    (void)err;
    check_geom(f->geom);
    for (size_t i = 0; i < f->nfields; i++)
        if (!f->names[i] || (f->values[i].type == COR__ATTR_STRING && !f->values[i].str) ||
            !cor__utf8_valid(f->names[i], strlen(f->names[i])) ||
            (f->values[i].type == COR__ATTR_STRING &&
             !cor__utf8_valid(f->values[i].str, strlen(f->values[i].str))) ||
            (f->values[i].type == COR__ATTR_NUMBER && !isfinite(f->values[i].num)))
            abort();
    for (size_t k = 0; k < COR__ARRAY_LEN(kinds); k++) {
        cor__look_t look;
        char *label = NULL;
        cor_error_t e;
        cor_error_clear(&e);
        cor_status_t st = cor__simplestyle_look(f, kinds[k], &look, &label, &e);
        if ((st == COR_OK) != (e.code == COR_OK) || (st != COR_OK && label))
            abort();
        free(label);
    }
    (*(size_t *)ud)++;
    return COR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const cor__json_limits_t lim = {
        .max_bytes = 1 << 20, .max_values = 200000, .max_positions = 100000};
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    cor_status_t st = cor__json_parse_limited((const char *)data, size, "fuzz", &lim, &j, &err);
    if (st != COR_OK) {
        if (j || err.code != st || strncmp(err.message, "fuzz: ", 6) != 0)
            abort();
        return 0;
    }
    size_t n = 0;
    if (cor__json_each(j, on_feature, &n, &err) != COR_OK || n != cor__json_count(j))
        abort();
    cor__json_close(j);
    return 0;
}
