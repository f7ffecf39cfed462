/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the style and overlay loader: the input is Lua source, run once as a
 * style and once as an overlay script, each in a fresh sandbox with small limits (so a loop
 * ends in milliseconds, not at the 10 s default), from a file name in tests/fixtures so that
 * read_csv and read_geojson find the fixtures, with the source tree as the data directory.
 * Every per-feature function a loaded layer holds is then called on a made-up feature, as a
 * render would: that is where the host calls back into script code. Built with
 * -DCORRIDOR_FUZZ=ON (see tests/fuzz/README.md); replayed by the normal build's ctest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"
#include "script.h"
#include "style.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME COR_FUZZ_SRC "/tests/fixtures/overlays/data/fuzz.lua"

/* Aborts unless a status and its error agree. */
static void agree(cor_status_t st, const cor_error_t *err)
{
    if (st != err->code || (st != COR_OK && !err->message[0]))
        abort();
}

/* Calls every dynamic property of every layer on one feature with a string, a number, a
 * boolean and a null attribute. */
static void eval_layers(cor__script_t *sc, const cor__style_t *style)
{
    static const char *const names[] = {"name", "pop", "ok", "none"};
    static const cor__attr_t values[] = {{.type = COR__ATTR_STRING,
                                          .str = "Klaip\xC4\x97"
                                                 "da"},
                                         {.type = COR__ATTR_NUMBER, .num = 158000},
                                         {.type = COR__ATTR_BOOL, .b = true},
                                         {.type = COR__ATTR_NULL}};
    double x = 21.14, y = 55.71;
    size_t parts[2] = {0, 1};
    cor__geom_t g = {
        .kind = COR__GEOM_POINT, .x = &x, .y = &y, .npoints = 1, .nparts = 1, .parts = parts};
    cor__feature_t f = {7, &g, COR__ARRAY_LEN(names), names, values};
    for (size_t i = 0; i < style->nlayers; i++) {
        for (int p = 0; p < COR__P_COUNT; p++) {
            const cor__prop_t *prop = &style->layers[i].props[p];
            if (!prop->set || !prop->dynamic)
                continue;
            cor__pval_t v = {0};
            cor_error_t err = {0};
            agree(cor__script_eval(sc, prop, &f, &v, &err), &err);
            cor__pval_clear(&v);
        }
    }
}

static void run(const uint8_t *data, size_t size, bool overlay)
{
    const cor__script_limits_t lim = {.memory = 16u << 20, .budget = 2000000, .seconds = 2};
    cor__script_t *sc = NULL;
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    if (cor__script_new(&lim, &sc, &err) != COR_OK)
        abort();
    cor__script_set_overlays(sc, &ov);
    cor__script_set_data_dir(sc, COR_FUZZ_SRC);
    cor_status_t st =
        cor__script_run_text(sc, NAME, (const char *)data, size, overlay, &style, &err);
    agree(st, &err);
    if (st == COR_OK)
        eval_layers(sc, &style);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, false);
    run(data, size, true);
    return 0;
}
