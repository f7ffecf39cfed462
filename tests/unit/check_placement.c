/* SPDX-License-Identifier: MIT */
/* Tests for placement: the page's one collision index. Bad pages and boxes off the page first;
 * then queries by kind, a label box against a stroked line (its outline, not its bounding box),
 * cutting back to a mark, drops, the cover score, and the JSON report read back with json-c. */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "placement.h"
#include "testutil.h"

static cor__space_t *space(double w, double h)
{
    cor__space_t *sp = NULL;
    ck_assert_int_eq(cor__space_new(w, h, &sp, NULL), COR_OK);
    return sp;
}

static cor_bbox_t bx(double x0, double y0, double x1, double y1)
{
    return (cor_bbox_t){x0, y0, x1, y1};
}

START_TEST(test_bad_pages_and_boxes)
{
    cor__space_t *sp = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__space_new(0, 100, &sp, &err), COR_ERR_USAGE);
    ck_assert_ptr_null(sp);
    ck_assert_ptr_nonnull(strstr(err.message, "page"));
    ck_assert_int_eq(cor__space_new(NAN, 100, &sp, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor__space_new(100, 1e7, &sp, NULL), COR_ERR_USAGE);
    sp = space(200, 100);
    /* wholly off the page, not finite, inverted: nothing stored, nothing taken */
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "off", bx(210, 10, 220, 20)));
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "nan", bx(NAN, 10, 20, 20)));
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "inv", bx(30, 10, 20, 20)));
    ck_assert_uint_eq(cor__space_count(sp), 0);
    ck_assert(cor__space_is_free(sp, bx(0, 0, 200, 100), COR__KINDS_ALL));
    ck_assert(!cor__space_is_free(sp, bx(NAN, 0, 1, 1), COR__KINDS_ALL));
    /* half on the page: stored cut to the page */
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "edge", bx(190, -5, 210, 5)));
    cor_bbox_t b;
    const char *text;
    ck_assert(cor__space_entry(sp, 0, NULL, &text, &b));
    ck_assert_str_eq(text, "edge");
    ck_assert_double_eq(b.minx, 190);
    ck_assert_double_eq(b.miny, 0);
    ck_assert_double_eq(b.maxx, 200);
    ck_assert_double_eq(b.maxy, 5);
    ck_assert(!cor__space_entry(sp, 1, NULL, NULL, NULL));
    cor__space_free(sp);
    cor__space_free(NULL);
}
END_TEST

START_TEST(test_kinds)
{
    cor__space_t *sp = space(400, 300);
    ck_assert_str_eq(cor__kind_name(COR__KIND_NORTH_ARROW), "north_arrow");
    ck_assert_str_eq(cor__kind_name(COR__KIND_GRATICULE_LABEL), "graticule_label");
    ck_assert_str_eq(cor__kind_name(COR__KIND_COUNT), "?");
    ck_assert(cor__space_insert(sp, COR__KIND_LEGEND, "legend", bx(300, 200, 390, 290)));
    ck_assert(cor__space_insert(sp, COR__KIND_ROUTE, NULL, bx(0, 0, 50, 50)));
    /* overlap, touch, and a set of kinds without the legend */
    ck_assert(!cor__space_is_free(sp, bx(290, 190, 301, 201), COR__KINDS_ALL));
    ck_assert(cor__space_is_free(sp, bx(290, 190, 300, 200), COR__KINDS_ALL)); /* touching */
    ck_assert(cor__space_is_free(sp, bx(290, 190, 301, 201), COR__KINDS_LINES));
    ck_assert(!cor__space_is_free(sp, bx(10, 10, 20, 20), COR__KINDS_LINES));
    ck_assert(cor__space_is_free(sp, bx(10, 10, 20, 20), COR__KINDS_SOLID));
    /* a box spanning many cells sees an entry in any of them, once */
    ck_assert(!cor__space_is_free(sp, bx(0, 0, 400, 300), COR__KIND_BIT(COR__KIND_LEGEND)));
    ck_assert_double_eq_tol(cor__space_cover(sp, bx(0, 0, 400, 300), COR__KINDS_ALL),
                            90 * 90 + 50 * 50, 1e-9);
    ck_assert_double_eq_tol(cor__space_cover(sp, bx(340, 240, 400, 300), COR__KINDS_SOLID), 50 * 50,
                            1e-9);
    cor__space_free(sp);
}
END_TEST

/* A diagonal line's bounding box covers much that its stroke does not: a label beside the
 * stroke is free, one on it is not. */
START_TEST(test_line_outline)
{
    cor__space_t *sp = space(400, 400);
    double xy[] = {0, 0, 300, 300};
    ck_assert(cor__space_insert_line(sp, COR__KIND_FLOW, "114", xy, 2, 4));
    ck_assert_uint_gt(cor__space_count(sp), 10); /* cut into pieces of at most 12 pt */
    /* inside the line's bounding box, 30 pt from the stroke */
    ck_assert(cor__space_is_free(sp, bx(150, 100, 170, 110), COR__KINDS_ALL));
    /* its corner (100, 98) 1.4 pt from the centre line: inside the 4 pt half-width */
    ck_assert(!cor__space_is_free(sp, bx(100, 90, 120, 98), COR__KINDS_ALL));
    /* crossing it */
    ck_assert(!cor__space_is_free(sp, bx(140, 145, 160, 155), COR__KINDS_ALL));
    /* just clear of the outline: the corner (110, 100) is 7.07 pt from the line */
    ck_assert(cor__space_is_free(sp, bx(110, 80, 130, 100), COR__KINDS_ALL));
    ck_assert(cor__space_is_free(sp, bx(140, 145, 160, 155), COR__KINDS_SOLID)); /* a flow */
    /* every piece reports the line's text and its padded box */
    cor__kind_t k;
    const char *text;
    cor_bbox_t b;
    ck_assert(cor__space_entry(sp, 0, &k, &text, &b));
    ck_assert_int_eq(k, COR__KIND_FLOW);
    ck_assert_str_eq(text, "114");
    ck_assert_double_eq(b.minx, 0); /* -4 cut to the page */
    ck_assert(cor__space_entry(sp, cor__space_count(sp) - 1, NULL, &text, &b));
    ck_assert_str_eq(text, "114");
    ck_assert_double_eq_tol(b.maxx, 304, 1e-9);
    /* a single point is a dot of the half-width; bad half-widths add nothing */
    double dot[] = {350, 50};
    ck_assert(cor__space_insert_line(sp, COR__KIND_LEADER, NULL, dot, 1, 3));
    ck_assert(!cor__space_is_free(sp, bx(352, 48, 360, 49), COR__KINDS_ALL));
    ck_assert(cor__space_is_free(sp, bx(354, 40, 360, 49), COR__KINDS_ALL));
    size_t n = cor__space_count(sp);
    ck_assert(cor__space_insert_line(sp, COR__KIND_LEADER, NULL, dot, 1, NAN));
    ck_assert(cor__space_insert_line(sp, COR__KIND_LEADER, NULL, dot, 0, 1));
    ck_assert_uint_eq(cor__space_count(sp), n);
    cor__space_free(sp);
}
END_TEST

START_TEST(test_truncate_and_drops)
{
    cor__space_t *sp = space(300, 200);
    ck_assert(cor__space_insert(sp, COR__KIND_TITLE, "Title", bx(0, 0, 100, 40)));
    size_t mark = cor__space_count(sp), drops = cor__space_ndropped(sp);
    ck_assert(cor__space_insert(sp, COR__KIND_LABEL, "Minsk", bx(150, 100, 180, 110)));
    double xy[] = {0, 150, 300, 150};
    ck_assert(cor__space_insert_line(sp, COR__KIND_ROUTE, "route", xy, 2, 2));
    ck_assert(cor__space_drop(sp, COR__KIND_LABEL, "Kyiv", "no room"));
    ck_assert(!cor__space_is_free(sp, bx(160, 105, 170, 108), COR__KINDS_ALL));
    cor__space_truncate(sp, mark, drops);
    ck_assert_uint_eq(cor__space_count(sp), 1);
    ck_assert_uint_eq(cor__space_ndropped(sp), 0);
    ck_assert(cor__space_is_free(sp, bx(160, 105, 170, 108), COR__KINDS_ALL));
    ck_assert(cor__space_is_free(sp, bx(0, 140, 300, 160), COR__KINDS_ALL));
    ck_assert(!cor__space_is_free(sp, bx(50, 30, 60, 50), COR__KINDS_ALL));
    /* again after cutting back: texts are right */
    ck_assert(cor__space_insert(sp, COR__KIND_LABEL, "Vilnius", bx(150, 100, 180, 110)));
    ck_assert(cor__space_drop(sp, COR__KIND_CALLOUT, "Gudogai", "anchor off the page"));
    const char *text, *reason;
    cor__kind_t k;
    ck_assert(cor__space_entry(sp, 0, NULL, &text, NULL));
    ck_assert_str_eq(text, "Title");
    ck_assert(cor__space_entry(sp, 1, NULL, &text, NULL));
    ck_assert_str_eq(text, "Vilnius");
    ck_assert(cor__space_dropped(sp, 0, &k, &text, &reason));
    ck_assert_int_eq(k, COR__KIND_CALLOUT);
    ck_assert_str_eq(text, "Gudogai");
    ck_assert_str_eq(reason, "anchor off the page");
    ck_assert(!cor__space_dropped(sp, 1, NULL, NULL, NULL));
    ck_assert(cor__space_ok(sp));
    cor__space_free(sp);
}
END_TEST

/* Furniture is drawn over the map: a marker under it is hidden and dropped, whichever came first.
 */
START_TEST(test_furniture_hides_markers)
{
    cor__space_t *sp = space(400, 300);
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "Rostov", bx(350, 250, 354, 254)));
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "Kyiv", bx(100, 100, 104, 104)));
    ck_assert(cor__space_insert(sp, COR__KIND_LEGEND, NULL, bx(300, 200, 400, 300)));
    ck_assert(cor__space_insert(sp, COR__KIND_MARKER, "Belgrade", bx(310, 290, 314, 294)));
    ck_assert(cor__space_hidden(sp, 0));
    ck_assert(!cor__space_hidden(sp, 1));
    ck_assert(cor__space_hidden(sp, 3));
    ck_assert(!cor__space_is_free(sp, bx(99, 99, 101, 101), COR__KIND_BIT(COR__KIND_MARKER)));
    ck_assert(cor__space_is_free(sp, bx(349, 249, 351, 251), COR__KIND_BIT(COR__KIND_MARKER)));
    ck_assert_uint_eq(cor__space_ndropped(sp), 2);
    const char *text, *reason;
    ck_assert(cor__space_dropped(sp, 1, NULL, &text, &reason));
    ck_assert_str_eq(text, "Belgrade");
    ck_assert_str_eq(reason, "under the legend");
    /* the report leaves hidden markers out */
    cor__buf_t b = {0};
    ck_assert(cor__space_report(sp, 72, &b));
    ck_assert_ptr_null(strstr(strstr(b.data, "\"placed\""), "Rostov\", \"box"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"Kyiv\""));
    cor__buf_free(&b);
    cor__space_free(sp);
}
END_TEST

/* A line sampled every 2 pt is stored as segments of up to 12 pt, and still tested closely. */
START_TEST(test_dense_line_merged)
{
    cor__space_t *sp = space(400, 300);
    double xy[2 * 101];
    for (int i = 0; i <= 100; i++)
        xy[2 * i] = 50 + 2 * i, xy[2 * i + 1] = 150 + 40 * sin(i / 30.0);
    ck_assert(cor__space_insert_line(sp, COR__KIND_ROUTE, "detour", xy, 101, 1.5));
    ck_assert_uint_le(cor__space_count(sp), 40);
    ck_assert_uint_ge(cor__space_count(sp), 17);
    for (int i = 0; i <= 100; i += 7) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        ck_assert(!cor__space_is_free(sp, bx(x - 0.5, y - 0.5, x + 0.5, y + 0.5), COR__KINDS_ALL));
        ck_assert(cor__space_is_free(sp, bx(x - 1, y + 4, x + 1, y + 6), COR__KINDS_ALL));
    }
    cor__space_free(sp);
}
END_TEST

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no \"%s\"", key);
    return v;
}

START_TEST(test_report)
{
    cor__space_t *sp = space(255.12, 170.08);
    ck_assert(cor__space_insert(sp, COR__KIND_LEGEND, NULL, bx(150, 100, 250, 165)));
    ck_assert(cor__space_insert(sp, COR__KIND_LABEL, "Klaipėda \"port\"\n", bx(10, 20, 40, 30)));
    ck_assert(cor__space_drop(sp, COR__KIND_LABEL, "Šiauliai", "no room"));
    cor__buf_t b = {0};
    ck_assert(cor__space_report(sp, 300, &b));
    json_object *r = json_tokener_parse(b.data);
    ck_assert_msg(r != NULL, "not JSON: %s", b.data);
    json_object *page = member(r, "page");
    ck_assert_double_eq_tol(json_object_get_double(member(page, "width_pt")), 255.12, 1e-9);
    ck_assert_double_eq_tol(json_object_get_double(member(page, "height_pt")), 170.08, 1e-9);
    ck_assert_int_eq(json_object_get_int(member(page, "dpi")), 300);
    json_object *placed = member(r, "placed");
    ck_assert_uint_eq(json_object_array_length(placed), 2);
    json_object *e = json_object_array_get_idx(placed, 1);
    ck_assert_str_eq(json_object_get_string(member(e, "kind")), "label");
    ck_assert_str_eq(json_object_get_string(member(e, "text")), "Klaipėda \"port\"\n");
    json_object *box = member(e, "box");
    ck_assert_uint_eq(json_object_array_length(box), 4);
    ck_assert_double_eq(json_object_get_double(json_object_array_get_idx(box, 2)), 40);
    e = json_object_array_get_idx(placed, 0);
    ck_assert_str_eq(json_object_get_string(member(e, "kind")), "legend");
    ck_assert_str_eq(json_object_get_string(member(e, "text")), "");
    json_object *dropped = member(r, "dropped");
    ck_assert_uint_eq(json_object_array_length(dropped), 1);
    e = json_object_array_get_idx(dropped, 0);
    ck_assert_str_eq(json_object_get_string(member(e, "text")), "Šiauliai");
    ck_assert_str_eq(json_object_get_string(member(e, "reason")), "no room");
    json_object_put(r);
    cor__buf_free(&b);
    cor__space_free(sp);
}
END_TEST

static Suite *placement_suite(void)
{
    Suite *s = suite_create("placement");
    TCase *tc = tcase_create("bad input");
    tcase_add_test(tc, test_bad_pages_and_boxes);
    suite_add_tcase(s, tc);
    tc = tcase_create("queries");
    tcase_add_test(tc, test_kinds);
    tcase_add_test(tc, test_line_outline);
    tcase_add_test(tc, test_truncate_and_drops);
    tcase_add_test(tc, test_furniture_hides_markers);
    tcase_add_test(tc, test_dense_line_merged);
    suite_add_tcase(s, tc);
    tc = tcase_create("report");
    tcase_add_test(tc, test_report);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(placement_suite());
}
