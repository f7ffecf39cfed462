/* SPDX-License-Identifier: MIT */
/* Tests for the labeler: placing labels by priority without overlaps, around markers and
 * obstacles and inside the page, labels along lines, and drawing placed labels on images and as
 * SVG. Failure cases first. Renders of a dense field are written to $COR_TEST_BUILD (or /tmp)
 * as label-dense.png / .svg for looking at. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "labeler.h"
#include "testutil.h"
#include "text_testutil.h"
#include "util.h"

static bool boxes_overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

static bool box_inside(cor_bbox_t in, cor_bbox_t out)
{
    return in.minx >= out.minx && in.miny >= out.miny && in.maxx <= out.maxx && in.maxy <= out.maxy;
}

/* Returns: true when box and the circle of radius r about (x, y) share interior points. */
static bool box_circle(cor_bbox_t b, double x, double y, double r)
{
    double dx = fmax(fmax(b.minx - x, 0), x - b.maxx), dy = fmax(fmax(b.miny - y, 0), y - b.maxy);
    return dx * dx + dy * dy < r * r - 1e-9;
}

/* The single box of placed label i (point and area labels have one). */
static cor_bbox_t placed_box(cor__labeler_t *lb, size_t i, const char **text)
{
    const cor_bbox_t *boxes = NULL;
    size_t n = 0;
    ck_assert(cor__labeler_placed(lb, i, text, &boxes, &n));
    ck_assert_uint_ge(n, 1);
    return boxes[0];
}

static void counts(cor__labeler_t *lb, long placed, long dropped)
{
    long p = -1, d = -1;
    cor__labeler_counts(lb, &p, &d);
    ck_assert_int_eq(p, placed);
    ck_assert_int_eq(d, dropped);
}

/* The text of the first label placed, "" when none was. */
static const char *lb_first_text(cor__labeler_t *lb)
{
    const char *text = NULL;
    return cor__labeler_placed(lb, 0, &text, NULL, NULL) ? text : "";
}

static cor__labeler_t *labeler(double w, double h)
{
    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(w, h, &lb, NULL), COR_OK);
    return lb;
}

/* ---- failure cases ------------------------------------------------------------------------- */

START_TEST(test_bad_input)
{
    cor__text_style_t ts = style(10), tiny = style(0);
    cor__textout_t nowhere = {NULL, NULL};
    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(0, 100, &lb, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor__labeler_new(NAN, 100, &lb, NULL), COR_ERR_USAGE);
    ck_assert_ptr_null(lb);
    lb = labeler(200, 100);
    ck_assert_int_eq(cor__labeler_add_point(lb, "\xed\xa0\x80", 50, 50, 2, &ts, 1, NULL),
                     COR_ERR_DATA); /* a UTF-16 surrogate is not UTF-8 */
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 50, 50, &tiny, 1, NULL), COR_ERR_USAGE);
    double xs[2] = {10, 190}, ys[2] = {50, 50};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", NULL, ys, 2, &ts, 1, NULL),
                     COR_ERR_INTERNAL);
    /* unusable anchors are dropped, not errors */
    ck_assert_int_eq(cor__labeler_add_point(lb, "Minsk", NAN, 50, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", xs, ys, 1, &ts, 1, NULL), COR_OK);
    double same[2] = {20, 20};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", same, same, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "", 50, 50, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 3);
    ck_assert(!cor__labeler_placed(lb, 0, NULL, NULL, NULL));
    ck_assert_int_eq(cor__labeler_draw(lb, &nowhere, NULL), COR_ERR_INTERNAL);
    cor__labeler_free(lb);
    cor__labeler_free(NULL);
}
END_TEST

/* ---- placing ------------------------------------------------------------------------------- */

/* Two labels that both want the right-hand side: the second goes elsewhere. */
START_TEST(test_place_collision)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *alone = labeler(400, 300), *lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_point(alone, "Šiauliai", 100, 106, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(alone);
    cor_bbox_t first_choice = placed_box(alone, 0, NULL);
    ck_assert(first_choice.minx > 100); /* right of the marker, vertically centred on it */
    ck_assert(fabs((first_choice.miny + first_choice.maxy) / 2 - 106) < 3);

    ck_assert_int_eq(cor__labeler_add_point(lb, "Klaipėda", 100, 100, 2, &ts, 2, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Šiauliai", 100, 106, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 0);
    const char *t0, *t1;
    cor_bbox_t a = placed_box(lb, 0, &t0), b = placed_box(lb, 1, &t1);
    ck_assert_str_eq(t0, "Klaipėda");
    ck_assert_str_eq(t1, "Šiauliai");
    ck_assert(!boxes_overlap(a, b));
    ck_assert(b.minx != first_choice.minx || b.miny != first_choice.miny);
    /* neither covers the other's marker */
    ck_assert(!boxes_overlap(a, (cor_bbox_t){98, 104, 102, 108}));
    ck_assert(!boxes_overlap(b, (cor_bbox_t){98, 98, 102, 102}));
    cor__labeler_free(lb);
    cor__labeler_free(alone);
}
END_TEST

/* On a small page text is scaled by the square root of the page's share of 6 in, with a floor
 * in points and in pixels; a scaled label measures and places as its smaller size. */
START_TEST(test_text_scale_on_small_pages)
{
    ck_assert_double_eq(cor__labeler_text_scale(COR__LABEL_FULL_WIDTH_PT), 1.0);
    ck_assert_double_eq(cor__labeler_text_scale(1000), 1.0);
    ck_assert_double_eq_tol(cor__labeler_text_scale(COR__LABEL_FULL_WIDTH_PT / 4), 0.5, 1e-12);
    cor__text_style_t ts = style(10);
    cor__labeler_t *full = labeler(400, 300), *half = labeler(400, 300), *tiny = labeler(400, 300);
    cor__labeler_set_text_scale(half, 0.5, 300);
    cor__labeler_set_text_scale(tiny, 0.1, 72); /* 1 pt would be below the 9 px floor at 72 dpi */
    cor__labeler_t *all[] = {full, half, tiny};
    double width[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(cor__labeler_add_point(all[i], "Klaipėda", 100, 100, 2, &ts, 1, NULL),
                         COR_OK);
        cor__labeler_place(all[i]);
        cor_bbox_t b = placed_box(all[i], 0, NULL);
        width[i] = b.maxx - b.minx;
    }
    ck_assert_msg(fabs(width[1] / width[0] - 0.5) < 0.08, "%g vs %g", width[1], width[0]);
    ck_assert_msg(fabs(width[2] / width[0] - 0.9) < 0.1, "9 px at 72 dpi is 9 pt: %g vs %g",
                  width[2], width[0]);
    for (int i = 0; i < 3; i++)
        cor__labeler_free(all[i]);
}
END_TEST

START_TEST(test_place_all_blocked)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){150, 100, 250, 200});
    ck_assert_int_eq(cor__labeler_add_point(lb, "Minsk", 200, 150, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 200, 150, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 2);
    /* placing again starts afresh: the counts do not add up */
    cor__labeler_place(lb);
    counts(lb, 0, 2);
    cor__labeler_free(lb);
}
END_TEST

/* A label never leaves the page: near the right edge it goes left, in a corner diagonally. */
START_TEST(test_place_page_edges)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(300, 200);
    cor_bbox_t page = {2, 2, 298, 198};
    ck_assert_int_eq(cor__labeler_add_point(lb, "Chernihiv", 295, 100, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Vilnius", 296, 196, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Kyiv", 4, 4, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Gone", 500, 100, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 3, 1);
    for (size_t i = 0; i < 3; i++) {
        const char *t;
        cor_bbox_t b = placed_box(lb, i, &t);
        ck_assert_msg(box_inside(b, page), "%s leaves the page", t);
        if (i == 0)
            ck_assert(b.maxx < 295);
        if (i == 2)
            ck_assert(b.minx > 4 && b.miny > 4);
    }
    cor__labeler_free(lb);
}
END_TEST

/* A page with room for one label only, right of the point: priority decides who gets it,
 * whatever the order added; equal priorities keep the order added. */
START_TEST(test_place_priority)
{
    cor__text_style_t ts = style(10);
    for (int round = 0; round < 2; round++) {
        cor__labeler_t *lb = labeler(300, 24);
        double lo = round == 0 ? 1 : 5, hi = 5;
        ck_assert_int_eq(cor__labeler_add_point(lb, "Low", 6, 12, 1, &ts, lo, NULL), COR_OK);
        ck_assert_int_eq(cor__labeler_add_point(lb, "High", 6, 12, 1, &ts, hi, NULL), COR_OK);
        cor__labeler_place(lb);
        counts(lb, 1, 1);
        const char *t;
        placed_box(lb, 0, &t);
        ck_assert_str_eq(t, round == 0 ? "High" : "Low");
        cor__labeler_free(lb);
    }
}
END_TEST

/* Obstacles are avoided; a marker blocks other labels even when its own label is dropped. */
START_TEST(test_place_obstacles_and_markers)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    cor_bbox_t legend = {104, 80, 200, 120};
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, legend);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Hrodna", 100, 100, 2, &ts, 1, NULL), COR_OK);
    /* a point whose label cannot fit anywhere (walled in), next to Mazyr */
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){200, 200, 250, 215});
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){200, 225, 250, 240});
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){180, 200, 199, 240});
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){251, 200, 270, 240});
    ck_assert_int_eq(
        cor__labeler_add_point(lb, "Walled in with a long name", 225, 220, 2, &ts, 9, NULL),
        COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Mazyr", 190, 250, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 1);
    for (size_t i = 0; i < 2; i++) {
        cor_bbox_t b = placed_box(lb, i, NULL);
        ck_assert(!boxes_overlap(b, legend));
        ck_assert(!boxes_overlap(b, (cor_bbox_t){223, 218, 227, 222})); /* the marker */
    }
    ck_assert(placed_box(lb, 0, NULL).maxx < 100); /* Hrodna went left of the legend */
    cor__labeler_free(lb);
}
END_TEST

/* A small deterministic generator for the dense field. */
static double rnd(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / (double)(1u << 24);
}

/* 300 points on a crowded page: no two placed labels overlap, none covers a marker, none
 * leaves the page, and the result is the same every time. */
START_TEST(test_place_dense_field)
{
    static const char *names[] = {"Klaipėda",  "Šiauliai", "Kaišiadorys", "Київ",
                                  "Chernihiv", "Minsk",    "Hrodna",      "Panevėžys",
                                  "Мінск",     "Lviv",     "Brest",       "Vitsyebsk"};
    cor__labeler_t *runs[2];
    double x[300], y[300], r = 2;
    uint32_t seed = 20240601u;
    for (int i = 0; i < 300; i++)
        x[i] = 5 + rnd(&seed) * 590, y[i] = 5 + rnd(&seed) * 390;
    for (int run = 0; run < 2; run++) {
        cor__labeler_t *lb = runs[run] = labeler(600, 400);
        for (int i = 0; i < 300; i++) {
            cor__text_style_t ts = style(7 + (i % 4));
            ck_assert_int_eq(cor__labeler_add_point(lb, names[i % 12], x[i], y[i], r, &ts,
                                                    (double)(i % 7), NULL),
                             COR_OK);
        }
        cor__labeler_place(lb);
    }
    long placed, dropped;
    cor__labeler_counts(runs[0], &placed, &dropped);
    ck_assert_int_eq(placed + dropped, 300);
    ck_assert_int_gt(placed, 80);
    cor_bbox_t page = {2, 2, 598, 398};
    for (long i = 0; i < placed; i++) {
        cor_bbox_t a = placed_box(runs[0], (size_t)i, NULL),
                   again = placed_box(runs[1], (size_t)i, NULL);
        ck_assert(memcmp(&a, &again, sizeof a) == 0);
        ck_assert(box_inside(a, page));
        for (long j = i + 1; j < placed; j++)
            ck_assert_msg(!boxes_overlap(a, placed_box(runs[0], (size_t)j, NULL)),
                          "labels %ld and %ld overlap", i, j);
        /* no box touches a marker's square, except that its own marker's circle (not the
         * square's corners) must stay clear */
        int touching = 0, own = 0;
        for (int k = 0; k < 300; k++) {
            touching += boxes_overlap(a, (cor_bbox_t){x[k] - r, y[k] - r, x[k] + r, y[k] + r});
            own += box_circle(a, x[k], y[k], r);
        }
        ck_assert_int_le(touching, 1);
        ck_assert_int_eq(own, 0);
    }
    cor__labeler_free(runs[0]);
    cor__labeler_free(runs[1]);
}
END_TEST

START_TEST(test_place_area)
{
    cor__text_style_t ts = style(14);
    ts.upper = true;
    ts.tracking = 0.15;
    cor__labeler_t *lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 200, 150, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    cor_bbox_t b = placed_box(lb, 0, NULL);
    ck_assert(fabs((b.minx + b.maxx) / 2 - 200) < 0.5 && fabs((b.miny + b.maxy) / 2 - 150) < 0.5);
    cor__labeler_free(lb);

    /* a wide name between two obstacles goes onto two lines */
    double w1, h1;
    cor__text_measure("REPUBLIC OF LITHUANIA", &ts, &w1, &h1);
    lb = labeler(400, 300);
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){0, 0, 200 - 0.4 * w1, 300});
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){200 + 0.4 * w1, 0, 400, 300});
    ck_assert_int_eq(cor__labeler_add_area(lb, "Republic of Lithuania", 200, 150, &ts, 1, NULL),
                     COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    b = placed_box(lb, 0, NULL);
    ck_assert(b.maxx - b.minx < 0.8 * w1);
    ck_assert(b.maxy - b.miny > 1.5 * h1 * 0.8);
    cor__labeler_free(lb);
}
END_TEST

/* A must label boxed in by the markers of lesser places: with displacement on, it takes a place
 * over some of those markers, which are dropped with a reason (and their labels with them);
 * never the other way round, and never over a marker of another must label. */
static cor__labeler_t *boxed_in(bool displace, double ring_priority)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    cor__labeler_set_displace(lb, displace);
    /* markers every 6 pt over a 120 x 60 pt field around (200, 150): no room for a label */
    char name[16];
    for (int i = 0; i < 21; i++)
        for (int j = 0; j < 11; j++) {
            double x = 140 + 6 * i, y = 120 + 6 * j;
            if (fabs(x - 200) < 1 && fabs(y - 150) < 1)
                continue;
            snprintf(name, sizeof name, "p%d_%d", i, j);
            ck_assert_int_eq(cor__labeler_add_point(lb, name, x, y, 1.5, &ts, ring_priority, NULL),
                             COR_OK);
        }
    ck_assert_int_eq(cor__labeler_add_point(lb, "Minsk", 200, 150, 3, &ts, 1.5e9, NULL), COR_OK);
    cor__labeler_place(lb);
    return lb;
}

START_TEST(test_must_displaces_markers)
{
    const char *text;
    double x, y;
    /* off (the default): Minsk finds no room */
    cor__labeler_t *lb = boxed_in(false, 1);
    ck_assert(!cor__labeler_displaced(lb, 0, &text, &x, &y));
    ck_assert_str_ne(lb_first_text(lb), "Minsk");
    cor__labeler_free(lb);
    /* on: Minsk is placed first, over a few markers that gave way, reported as dropped */
    lb = boxed_in(true, 1);
    ck_assert_str_eq(lb_first_text(lb), "Minsk");
    const cor_bbox_t *boxes;
    size_t nb;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &nb));
    size_t n = 0;
    while (cor__labeler_displaced(lb, n, &text, &x, &y)) {
        ck_assert(x + 1.5 > boxes[0].minx && x - 1.5 < boxes[0].maxx);
        ck_assert(y + 1.5 > boxes[0].miny && y - 1.5 < boxes[0].maxy);
        n++;
    }
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_lt(n, 30);
    cor__space_t *sp = cor__labeler_space(lb);
    size_t gave_way = 0, label_dropped = 0;
    cor__kind_t kind;
    const char *t, *reason;
    for (size_t i = 0; cor__space_dropped(sp, i, &kind, &t, &reason); i++) {
        gave_way +=
            kind == COR__KIND_MARKER && strcmp(reason, "gave way to the label \"Minsk\"") == 0;
        label_dropped += kind == COR__KIND_LABEL &&
                         strcmp(reason, "its marker gave way to a label of the story") == 0;
    }
    ck_assert_uint_eq(gave_way, n);
    ck_assert_uint_eq(label_dropped, n);
    /* the space holds nothing solid under Minsk's label but the label itself */
    cor_bbox_t b;
    size_t under = 0;
    for (size_t i = 0; cor__space_entry(sp, i, &kind, &t, &b); i++)
        under += !cor__space_hidden(sp, i) && kind == COR__KIND_MARKER && b.maxx > boxes[0].minx &&
                 b.minx < boxes[0].maxx && b.maxy > boxes[0].miny && b.miny < boxes[0].maxy;
    ck_assert_uint_eq(under, 0);
    /* placing again starts afresh: the same markers give way, no more */
    cor__labeler_place(lb);
    size_t again = 0;
    while (cor__labeler_displaced(lb, again, &text, &x, &y))
        again++;
    ck_assert_uint_eq(again, n);
    cor__labeler_free(lb);
    /* markers of labels the story needs as much do not give way */
    lb = boxed_in(true, 1.3e9);
    ck_assert(!cor__labeler_displaced(lb, 0, &text, &x, &y));
    cor__labeler_free(lb);
}
END_TEST

/* ---- labels along lines -------------------------------------------------------------------- */

/* The glyph boxes of placed label i advance left to right and stay near the line. */
static void assert_reads_left_to_right(cor__labeler_t *lb, size_t i, size_t expect_boxes)
{
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, i, NULL, &boxes, &n));
    ck_assert_uint_eq(n, expect_boxes);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert_msg((boxes[k].minx + boxes[k].maxx) < (boxes[k + 1].minx + boxes[k + 1].maxx),
                      "glyph %zu is right of glyph %zu", k, k + 1);
}

START_TEST(test_line_right_to_left)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {380, 250, 120, 20}, ys[] = {100, 110, 110, 100}; /* drawn right to left */
    double xs2[] = {20, 200, 380}, ys2[] = {200, 180, 200};         /* and left to right */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Dnipro", xs, ys, 4, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line_at(lb, "Prypiat", xs2, ys2, 3, &ts, 8, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 0);
    assert_reads_left_to_right(lb, 0, 6);
    assert_reads_left_to_right(lb, 1, 7);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    /* centred on the line's middle (x = 200), and on the line itself */
    double mid = (boxes[0].minx + boxes[n - 1].maxx) / 2;
    ck_assert_msg(fabs(mid - 200) < 3, "centred at %g", mid);
    ck_assert(boxes[2].miny < 110 && boxes[2].maxy > 110);
    /* offset 8 pt above: the middle glyph's box centre is about 8 pt above the line */
    ck_assert(cor__labeler_placed(lb, 1, NULL, &boxes, &n));
    double cy = (boxes[3].miny + boxes[3].maxy) / 2;
    ck_assert_msg(cy < 180 - 5 && cy > 180 - 11, "offset to %g", cy);
    cor__labeler_free(lb);
}
END_TEST

START_TEST(test_line_vertical_reads_upwards)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {200, 200}, ys[] = {50, 250}; /* drawn downwards */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Sluch", xs, ys, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    ck_assert_uint_eq(n, 5);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert(boxes[k].miny > boxes[k + 1].miny);
    cor__labeler_free(lb);
}
END_TEST

START_TEST(test_line_dropped)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double w = width_of("Nemunas", &ts);
    double sx[] = {100, 100 + w * 0.9}, sy[] = {50, 50}; /* too short */
    double vx[] = {100, 100 + w * 0.6, 100 + w * 1.2}, vy[] = {150, 150 + w * 0.6, 150}; /* a V */
    double ox[] = {50, 350}, oy[] = {250, 250}; /* blocked */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", sx, sy, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", vx, vy, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){40, 240, 360, 260});
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", ox, oy, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 3);
    cor__labeler_free(lb);

    /* the same V opened to a gentle bend is labelled */
    lb = labeler(400, 300);
    double gx[] = {100, 100 + w * 0.6, 100 + w * 1.2}, gy[] = {150, 150 + w * 0.1, 150};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", gx, gy, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    cor__labeler_free(lb);
}
END_TEST

/* When the middle of a line is taken, the label slides along it. */
START_TEST(test_line_slides)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {20, 380}, ys[] = {100, 100};
    cor__labeler_obstacle(lb, COR__KIND_LEGEND, NULL, (cor_bbox_t){190, 90, 210, 110});
    ck_assert_int_eq(cor__labeler_add_line(lb, "Daugava", xs, ys, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    for (size_t k = 0; k < n; k++)
        ck_assert(!boxes_overlap(boxes[k], (cor_bbox_t){190, 90, 210, 110}));
    cor__labeler_free(lb);
}
END_TEST

/* The text of an XML fragment without its tags. Returns: a malloc'd string. */
static char *strip_tags(const char *xml)
{
    char *out = cor__strdup(xml), *w = out;
    for (bool tag = false; *xml; xml++) {
        if (*xml == '<' || *xml == '>')
            tag = *xml == '<';
        else if (!tag)
            *w++ = *xml;
    }
    *w = '\0';
    return out;
}

/* The gaps between consecutive glyph origins of placed line label i, into gaps (n - 1 of them).
 * Returns: n, the number of clusters. */
static size_t glyph_gaps(cor__labeler_t *lb, size_t i, double *gaps, size_t cap)
{
    const cor__text_pos_t *g = NULL;
    size_t n = 0;
    ck_assert(cor__labeler_placed_glyphs(lb, i, &g, &n));
    ck_assert_uint_le(n, cap + 1);
    for (size_t k = 0; k + 1 < n; k++)
        gaps[k] = hypot(g[k + 1].x - g[k].x, g[k + 1].y - g[k].y);
    return n;
}

/* Along a bent river, with the name set beside it, the letters keep the spacing they have on a
 * straight line (cluster by cluster on the river's own chords they spread apart on the outside
 * of a bend: "Dan ube"); a bend too sharp for that is refused. */
START_TEST(test_line_keeps_letters_together)
{
    cor__text_style_t ts = style(10);
    double gaps0[16], gaps1[16];
    /* the reference: a straight line */
    cor__labeler_t *lb = labeler(400, 300);
    double sx[] = {50, 350}, sy[] = {150, 150};
    ck_assert_int_eq(cor__labeler_add_line_at(lb, "Danube", sx, sy, 2, &ts, 8, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    size_t n = glyph_gaps(lb, 0, gaps0, 16);
    ck_assert_uint_eq(n, 6);
    cor__labeler_free(lb);
    /* a river bending by 40 degrees under the name's middle, the name 8 pt outside the bend */
    double bx[] = {50, 200, 200 + 150 * cos(40 * M_PI / 180)},
           by[] = {150, 150, 150 + 150 * sin(40 * M_PI / 180)};
    lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_line_at(lb, "Danube", bx, by, 3, &ts, 8, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    ck_assert_uint_eq(glyph_gaps(lb, 0, gaps1, 16), n);
    const cor__text_pos_t *g = NULL;
    size_t ng = 0;
    ck_assert(cor__labeler_placed_glyphs(lb, 0, &g, &ng));
    ck_assert_msg(g[0].x < 200 && g[ng - 1].x > 200 && g[ng - 1].angle - g[0].angle > 0.3,
                  "the name does not straddle the bend: %g .. %g", g[0].x, g[ng - 1].x);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert_msg(fabs(gaps1[k] - gaps0[k]) <= 0.08 * 10 + 1e-9,
                      "glyphs %zu-%zu: %.2f pt apart, %.2f on a straight line", k, k + 1, gaps1[k],
                      gaps0[k]);
    cor__labeler_free(lb);
    /* a hairpin with arms shorter than the name: no position keeps the letters together */
    double hx[] = {175, 200, 175}, hy[] = {150, 152, 154};
    lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_line_at(lb, "Danube", hx, hy, 3, &ts, 8, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 1);
    cor__labeler_free(lb);
}
END_TEST

/* A line label drawn as SVG: one <text> with a <textPath> on the glyphs' baseline. */
START_TEST(test_line_svg)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {380, 200, 20}, ys[] = {150, 100, 150};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Šventoji & Co", xs, ys, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);
    const char *halos = strstr(svg.data, "<g class=\"label-halos\">");
    const char *texts = strstr(svg.data, "<g class=\"labels\">");
    ck_assert(halos && texts && halos < texts);
    ck_assert_ptr_nonnull(strstr(halos, "stroke-width=\"2\""));
    ck_assert_ptr_null(strstr(texts, "stroke"));
    ck_assert_ptr_null(strstr(texts, "letter-spacing"));
    /* a <switch>: one <textPath> holding the whole text, on a path defined once for it, for
     * browsers (the text reads as one string); one turned <text> per cluster for librsvg */
    ck_assert_ptr_null(strstr(texts, "<tspan"));
    ck_assert_ptr_null(strstr(texts, " rotate=\""));
    ck_assert_ptr_nonnull(strstr(texts, "<switch><text "));
    ck_assert_ptr_nonnull(strstr(texts, " requiredExtensions=\"http://www.w3.org/1999/xhtml\""));
    int turned = 0;
    for (const char *p = texts; (p = strstr(p, ") rotate(")) != NULL; p++)
        turned++;
    ck_assert_int_eq(turned, 13);
    const char *tp = strstr(texts, "<textPath xlink:href=\"#");
    ck_assert_ptr_nonnull(tp);
    ck_assert_ptr_null(strstr(tp + 1, "<textPath"));
    char id[64] = "";
    ck_assert_int_eq(sscanf(tp, "<textPath xlink:href=\"#%63[^\"]\"", id), 1);
    char *def = cor__asprintf("<path id=\"%s\" d=\"M ", id);
    const char *d = strstr(svg.data, def);
    ck_assert_msg(d != NULL, "no path %s", id);
    ck_assert_ptr_null(strstr(d + 1, def)); /* defined once */
    char *plain = strip_tags(texts);
    ck_assert_msg(strstr(plain, "Šventoji &amp; Co") != NULL, "text is %s", plain);
    free(plain);
    /* the path starts at the first glyph and rises (the line rises to its middle), then falls;
     * it is about as long as the text */
    double x0, y0, x1, y1;
    ck_assert_int_eq(sscanf(d + strlen(def), "%lf %lf L %lf %lf", &x0, &y0, &x1, &y1), 4);
    ck_assert(x1 > x0 && y1 < y0);
    const char *last = strrchr(d, 'L');
    ck_assert_int_eq(sscanf(last, "L %lf %lf", &x1, &y1), 2);
    ck_assert(x1 > 200 && x1 - x0 < 100);
    free(def);
    assert_well_formed(svg.data);
    cor__buf_free(&svg);
    cor__labeler_free(lb);
}
END_TEST

/* ---- a dense map, drawn ------------------------------------------------------------------- */

static const char *cities[] = {
    "Klaipėda", "Šiauliai",     "Kaišiadorys",   "Panevėžys",    "Kaunas",    "Vilnius",
    "Alytus",   "Marijampolė",  "Utena",         "Telšiai",      "Tauragė",   "Mažeikiai",
    "Minsk",    "Hrodna",       "Brest",         "Homiel",       "Mahilioŭ",  "Viciebsk",
    "Babrujsk", "Baranavičy",   "Pinsk",         "Maladziečna",  "Salihorsk", "Kyiv",
    "Київ",     "Chernihiv",    "Чернігів",      "Lviv",         "Kharkiv",   "Odesa",
    "Dnipro",   "Zaporizhzhia", "Kropyvnytskyi", "Poltava",      "Sumy",      "Zhytomyr",
    "Rivne",    "Lutsk",        "Ternopil",      "Khmelnytskyi", "Vinnytsia", "Uman",
    "Cherkasy", "Kremenchuk",   "Mykolaiv",      "Kherson",      "Mariupol",  "Donetsk",
    "Luhansk",  "Kramatorsk"};

/* Draws 100 cities with markers and labels, plus a river and a country name, on an image
 * and as SVG; checks that every inked pixel lies in a marker, the river or a placed box. */
START_TEST(test_dense_render)
{
    const double W = 500, H = 360, R = 2.2;
    cor__labeler_t *lb = labeler(W, H);
    double x[100], y[100];
    uint32_t seed = 7u;
    cor__text_style_t country = style(16);
    country.upper = true, country.tracking = 0.2, country.weight = 700;
    country.color = (cor_color_t){0.45, 0.42, 0.38, 1};
    ck_assert_int_eq(cor__labeler_add_area(lb, "Lithuania", 250, 180, &country, 1000, NULL),
                     COR_OK);
    double rx[] = {480, 400, 330, 250, 180, 100, 20}, ry[] = {300, 330, 310, 335, 315, 340, 320};
    cor__text_style_t river = style(9);
    river.italic = true, river.color = (cor_color_t){0.1, 0.3, 0.7, 1};
    ck_assert_int_eq(
        cor__labeler_add_line_at(lb, "Dnipro — Дніпро", rx, ry, 7, &river, 5, 500, NULL), COR_OK);
    for (int i = 0; i < 100; i++) {
        x[i] = 10 + rnd(&seed) * (W - 20), y[i] = 10 + rnd(&seed) * (H - 20);
        cor__text_style_t ts = style(i < 10 ? 10 : 8);
        ts.weight = i < 10 ? 600 : 400;
        ck_assert_int_eq(
            cor__labeler_add_point(lb, cities[i % 50], x[i], y[i], R, &ts, 100 - i, NULL), COR_OK);
    }
    cor__labeler_place(lb);
    long placed, dropped;
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_int_eq(placed + dropped, 102);
    ck_assert_int_gt(placed, 60);

    cor_color_t bg = {0.85, 0.83, 0.78, 1};
    canvas_t c = canvas_new(W, H, bg);
    for (int pass = 0; pass < 2; pass++) { /* the river, then the markers */
        cairo_set_source_rgb(c.cr, pass ? 0.1 : 0.5, pass ? 0.1 : 0.7, pass ? 0.1 : 0.9);
        cairo_set_line_width(c.cr, 1);
        for (int i = 0; pass == 0 && i < 7; i++)
            cairo_line_to(c.cr, rx[i], ry[i]);
        cairo_stroke(c.cr);
        for (int i = 0; pass == 1 && i < 100; i++) {
            cairo_arc(c.cr, x[i], y[i], R, 0, 2 * M_PI);
            cairo_fill(c.cr);
        }
    }
    canvas_t bare = canvas_new(W, H, bg); /* the same without labels, to tell label ink */
    cairo_identity_matrix(bare.cr);
    cairo_set_source_surface(bare.cr, c.s, 0, 0);
    cairo_paint(bare.cr);
    cor__textout_t to = {c.cr, NULL};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);

    const char *root = getenv("COR_TEST_BUILD");
    char *png = cor__path_join(root ? root : "/tmp", "label-dense.png");
    ck_assert_int_eq(cairo_surface_write_to_png(c.s, png), CAIRO_STATUS_SUCCESS);
    free(png);

    /* every pixel the labels changed lies in a placed box (grown by a pixel) */
    canvas_t allowed = canvas_new(W, H, BLACK);
    cairo_set_source_rgb(allowed.cr, 1, 1, 1);
    cairo_set_antialias(allowed.cr, CAIRO_ANTIALIAS_NONE); /* pixels whose centre is inside */
    for (long i = 0; i < placed; i++) {
        const cor_bbox_t *boxes;
        size_t n;
        ck_assert(cor__labeler_placed(lb, (size_t)i, NULL, &boxes, &n));
        for (size_t k = 0; k < n; k++)
            cairo_rectangle(allowed.cr, boxes[k].minx - 1 / SCALE, boxes[k].miny - 1 / SCALE,
                            boxes[k].maxx - boxes[k].minx + 2 / SCALE,
                            boxes[k].maxy - boxes[k].miny + 2 / SCALE);
    }
    cairo_fill(allowed.cr);
    cairo_surface_flush(allowed.s);
    cairo_surface_flush(c.s);
    cairo_surface_flush(bare.s);
    long stray = 0;
    for (int py = 0; py < c.h; py++)
        for (int px = 0; px < c.w; px++)
            stray +=
                pixel(c.s, px, py) != pixel(bare.s, px, py) && pixel(allowed.s, px, py) != 0xFFFFFF;
    ck_assert_int_eq(stray, 0);

    cor__buf_t svg = {0};
    to = (cor__textout_t){NULL, &svg};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);
    assert_well_formed(svg.data);
    char *svgpath = svg_document(root ? root : "/tmp", "label-dense.svg", svg.data, W, H);
    free(svgpath);
    cor__buf_free(&svg);
    canvas_free(&allowed);
    canvas_free(&bare);
    canvas_free(&c);
    cor__labeler_free(lb);
    cor__text_reset();
}
END_TEST
static Suite *labeler_suite(void)
{
    Suite *s = suite_create("labeler");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, test_bad_input);
    suite_add_tcase(s, fail);
    TCase *place = tcase_create("place");
    tcase_add_test(place, test_place_collision);
    tcase_add_test(place, test_text_scale_on_small_pages);
    tcase_add_test(place, test_place_all_blocked);
    tcase_add_test(place, test_place_page_edges);
    tcase_add_test(place, test_place_priority);
    tcase_add_test(place, test_place_obstacles_and_markers);
    tcase_add_test(place, test_place_dense_field);
    tcase_add_test(place, test_place_area);
    suite_add_tcase(s, place);
    TCase *line = tcase_create("line");
    tcase_add_test(line, test_line_right_to_left);
    tcase_add_test(line, test_line_vertical_reads_upwards);
    tcase_add_test(line, test_line_dropped);
    tcase_add_test(line, test_line_slides);
    tcase_add_test(line, test_line_svg);
    tcase_add_test(line, test_must_displaces_markers);
    tcase_add_test(line, test_line_keeps_letters_together);
    tcase_add_test(line, test_dense_render);
    suite_add_tcase(s, line);
    return s;
}

int main(void)
{
    return cor_test_run(labeler_suite());
}
