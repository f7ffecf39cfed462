/* SPDX-License-Identifier: MIT */
/* Tests for overlay_api: the public calls that add overlays to a map are thin wrappers of the
 * kinds' validators: each accepts a NULL `err` on success and on failure, refuses a NULL map,
 * keeps the map as it was when it fails, and marks what it adds as coming from the C API; specs
 * and statistics are read and written at the caller's struct size (ABI across releases).
 * Failure cases first. */
#include <string.h>

#include "map_internal.h"
#include "testutil.h"

static cor_map_t *new_map(void)
{
    cor_map_t *map = NULL;
    ck_assert_int_eq(cor_map_new(&map, NULL), COR_OK);
    return map;
}

static const cor_place_t two[] = {{.name = "Minsk"}, {.name = "Vilnius"}};
static const cor_place_t ring[] = {{NULL, 24, 54}, {NULL, 26, 54}, {NULL, 25, 55}};

START_TEST(test_null_map)
{
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_route(NULL, &(cor_route_t){.places = two, .nplaces = 2}, &err),
                     COR_ERR_USAGE);
    ck_assert_str_eq(err.message, "cor_map_add_route: no map");
    ck_assert_int_eq(cor_map_add_flow(NULL, &(cor_flow_t){0}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_marker(NULL, &(cor_marker_t){0}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_area(NULL, &(cor_area_t){0}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_callout(NULL, &(cor_callout_t){0}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_hide_group(NULL, "potash", NULL), COR_ERR_USAGE);
}
END_TEST

START_TEST(test_null_err_on_failure)
{
    cor_map_t *map = new_map();
    ck_assert_int_eq(cor_map_add_route(map, &(cor_route_t){.places = two, .nplaces = 1}, NULL),
                     COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_route(map, NULL, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(
        cor_map_add_flow(map, &(cor_flow_t){.from = two[0], .to = two[1], .value = -1}, NULL),
        COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_flow(map, NULL, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(
        cor_map_add_marker(map, &(cor_marker_t){.at = two[0], .look = {.symbol = "x"}}, NULL),
        COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_marker(map, NULL, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_area(map, &(cor_area_t){.ring = ring, .n = 2}, NULL),
                     COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_area(map, NULL, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_callout(map, &(cor_callout_t){.at = two[0]}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_callout(map, NULL, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_hide_group(map, NULL, NULL), COR_ERR_USAGE);
    cor_error_t e = {0}; /* as a script's hide '' is */
    ck_assert_int_eq(cor_map_hide_group(map, "", &e), COR_ERR_USAGE);
    ck_assert_str_eq(e.message, "hide: group names are non-empty strings, got an empty one");
    ck_assert_uint_eq(map->overlays.n, 0); /* every failure left the map as it was */
    ck_assert_uint_eq(map->overlays.nhidden, 0);
    cor_map_free(map);
}
END_TEST

START_TEST(test_first_error_wins)
{
    cor_map_t *map = new_map();
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_route(map, &(cor_route_t){.places = two, .nplaces = 1}, &err),
                     COR_ERR_USAGE);
    ck_assert_str_eq(err.message, "route{} needs at least two places, got 1");
    ck_assert_int_eq(
        cor_map_add_callout(map, &(cor_callout_t){.at = two[0], .text = "x", .dx = 5000}, &err),
        COR_ERR_USAGE);
    ck_assert_str_eq(err.message, "route{} needs at least two places, got 1");
    cor_map_free(map);
}
END_TEST

START_TEST(test_null_err_on_success)
{
    cor_map_t *map = new_map();
    ck_assert_int_eq(cor_map_add_route(map, &(cor_route_t){.places = two, .nplaces = 2}, NULL),
                     COR_OK);
    ck_assert_int_eq(cor_map_add_flow(map, &(cor_flow_t){.from = two[0], .to = two[1]}, NULL),
                     COR_OK);
    ck_assert_int_eq(cor_map_add_marker(map, &(cor_marker_t){.at = two[0]}, NULL), COR_OK);
    ck_assert_int_eq(cor_map_add_area(map, &(cor_area_t){.ring = ring, .n = 3}, NULL), COR_OK);
    ck_assert_int_eq(
        cor_map_add_callout(map, &(cor_callout_t){.at = two[1], .text = "Embassy"}, NULL), COR_OK);
    ck_assert_int_eq(cor_map_hide_group(map, "potash", NULL), COR_OK);
    ck_assert_uint_eq(map->overlays.n, 5);
    const cor__ov_kind_t kinds[] = {COR__OV_ROUTE, COR__OV_FLOW, COR__OV_MARKER, COR__OV_AREA,
                                    COR__OV_CALLOUT};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(map->overlays.items[i].kind, kinds[i]);
        ck_assert_str_eq(map->overlays.items[i].file, "(C API)");
        ck_assert_int_eq(map->overlays.items[i].line, 0);
    }
    ck_assert(cor__overlays_group_hidden(&map->overlays, "potash"));
    cor_map_free(map);
}
END_TEST

/* A program built against an older corridor.h passes a shorter struct: shorter than 0.1's is
 * refused, naming the call and the sizes. */
START_TEST(test_struct_older_caller)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    cor_route_t r = {.places = two, .nplaces = 2};
    ck_assert_int_eq(cor_map_add_route_sized(map, &r, &err, sizeof r.places), COR_ERR_USAGE);
    ck_assert_msg(strstr(err.message, "cor_map_add_route: a cor_route_t of 8 bytes is smaller "
                                      "than any corridor release's"),
                  "%s", err.message);
    ck_assert_uint_eq(map->overlays.n, 0);
    cor_map_free(map);
}
END_TEST

/* A program built against a newer corridor.h passes a longer struct: taken when the fields this
 * library does not know are zero, refused when one is set. */
START_TEST(test_struct_newer_caller)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    struct {
        cor_marker_t m;
        double later_field;
    } newer = {{.at = two[0]}, 0};
    ck_assert_int_eq(cor_map_add_marker_sized(map, &newer.m, &err, sizeof newer), COR_OK);
    ck_assert_uint_eq(map->overlays.n, 1);
    newer.later_field = 2.5;
    ck_assert_int_eq(cor_map_add_marker_sized(map, &newer.m, &err, sizeof newer), COR_ERR_USAGE);
    ck_assert_msg(strstr(err.message, "cor_map_add_marker: the cor_marker_t sets fields this "
                                      "corridor"),
                  "%s", err.message);
    ck_assert_uint_eq(map->overlays.n, 1);
    cor_map_free(map);
}
END_TEST

/* Statistics are copied at the caller's size: a longer struct gets zeros past what this library
 * knows, a shorter one only what it has room for; a NULL map gives zeros. */
START_TEST(test_stats_sized)
{
    cor_map_t *map = new_map();
    map->stats.features_read = 7;
    map->stats.labels_dropped = 3;
    struct {
        cor_render_stats_t s;
        long later;
    } newer;
    memset(&newer, 0xab, sizeof newer);
    cor_map_get_stats_sized(map, &newer.s, sizeof newer);
    ck_assert_int_eq(newer.s.features_read, 7);
    ck_assert_int_eq(newer.s.labels_dropped, 3);
    ck_assert_int_eq(newer.later, 0);
    cor_render_stats_t older;
    memset(&older, 0xab, sizeof older);
    cor_map_get_stats_sized(map, &older, sizeof(long));
    ck_assert_int_eq(older.features_read, 7);
    ck_assert_int_ne(older.features_drawn, 0); /* not written: past the caller's size */
    cor_map_get_stats(NULL, &older);
    ck_assert_int_eq(older.features_read, 0);
    ck_assert_int_eq(older.labels_dropped, 0);
    cor_map_get_stats(map, NULL); /* accepted */
    cor_map_free(map);
}
END_TEST

static Suite *overlay_api_suite(void)
{
    Suite *s = suite_create("overlay_api");
    TCase *tc = tcase_create("failures");
    tcase_add_test(tc, test_null_map);
    tcase_add_test(tc, test_null_err_on_failure);
    tcase_add_test(tc, test_first_error_wins);
    suite_add_tcase(s, tc);
    tc = tcase_create("adding");
    tcase_add_test(tc, test_null_err_on_success);
    suite_add_tcase(s, tc);
    tc = tcase_create("abi");
    tcase_add_test(tc, test_struct_older_caller);
    tcase_add_test(tc, test_struct_newer_caller);
    tcase_add_test(tc, test_stats_sized);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(overlay_api_suite());
}
