/* SPDX-License-Identifier: MIT */
/* Unit tests for mapdef: the table of map{} settings names every key once per table, merging
 * moves exactly what the newer settings give (text, numbers, lists, the page) and keeps the
 * rest, the settings that depend on each other are checked, clearing releases everything
 * (the sanitizer build would report a leak), and every setting is documented in the README. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "mapdef.h"
#include "testutil.h"
#include "util.h"

START_TEST(inconsistent_settings_are_refused)
{
    cor__mapdef_t m = {0};
    char why[256] = "";
    m.has_flow_max_width = m.has_flow_min_width = true;
    m.flow_max_width = 4;
    m.flow_min_width = 6;
    ck_assert(!cor__mapdef_check(&m, why, sizeof why));
    ck_assert_str_eq(why, "flow_min_width (6 pt) is more than flow_max_width (4 pt)");
    m.flow_min_width = 4;
    ck_assert(cor__mapdef_check(&m, why, sizeof why));
    m.has_flow_max_width = false;
    m.flow_min_width = 50;
    ck_assert(cor__mapdef_check(&m, why, sizeof why)); /* one alone is always consistent */
    /* a flow scale gives both its value and its width */
    m.has_flow_scale = m.has_flow_scale_value = true;
    m.flow_scale_value = 100000;
    ck_assert(!cor__mapdef_check(&m, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "flow_scale needs a value and a width, both above 0"));
    m.has_flow_scale_width = true;
    m.flow_scale_width = 10;
    ck_assert(cor__mapdef_check(&m, why, sizeof why));
    m.flow_scale_value = 0;
    ck_assert(!cor__mapdef_check(&m, why, sizeof why));
}
END_TEST

START_TEST(keys_are_unique_and_ordered)
{
    size_t n;
    const cor__mapkey_t *keys = cor__mapkeys(&n);
    ck_assert_uint_gt(n, 20);
    for (size_t i = 0; i < n; i++) {
        ck_assert(strcmp(keys[i].table, "map") == 0 || strcmp(keys[i].table, "inset") == 0 ||
                  strcmp(keys[i].table, "flow_scale") == 0);
        ck_assert_ptr_nonnull(keys[i].doc);
        for (size_t j = i + 1; j < n; j++)
            ck_assert_msg(strcmp(keys[i].table, keys[j].table) != 0 ||
                              strcmp(keys[i].key, keys[j].key) != 0,
                          "%s.%s twice", keys[i].table, keys[i].key);
        if (keys[i].kind == COR__MK_LIST)
            ck_assert(keys[i].max > 0 && keys[i].items && keys[i].item);
    }
    /* the names a table has, in order, for unknown-key suggestions */
    ck_assert_str_eq(cor__mapkey_name("map", 0), "crs");
    ck_assert_str_eq(cor__mapkey_name("map", 1), "extent");
    ck_assert_str_eq(cor__mapkey_name("map", 2), "focus");
    ck_assert_str_eq(cor__mapkey_name("map", 3), "size");
    ck_assert_str_eq(cor__mapkey_name("inset", 0), "position");
    size_t nmap = 0, ninset = 0, nscale = 0;
    while (cor__mapkey_name("map", nmap))
        nmap++;
    while (cor__mapkey_name("inset", ninset))
        ninset++;
    while (cor__mapkey_name("flow_scale", nscale))
        nscale++;
    ck_assert_uint_eq(nscale, 2);
    ck_assert_uint_eq(nmap + ninset + nscale, n);
    ck_assert_ptr_null(cor__mapkey_name("nothing", 0));
}
END_TEST

static char **list(const char *a, const char *b)
{
    char **l = cor__calloc(2, sizeof *l);
    l[0] = cor__strdup(a);
    l[1] = cor__strdup(b);
    return l;
}

START_TEST(merge_moves_what_is_given)
{
    cor__mapdef_t d = {0}, s = {0};
    d.title = cor__strdup("old title");
    d.credits = cor__strdup("old credits");
    d.has_extent = true;
    d.extent = (cor_bbox_t){1, 2, 3, 4};
    d.has_page = true;
    d.width_pt = 576;
    d.height_pt = 432;
    d.dpi = 300;
    d.inset_highlight = list("BY", "LT");
    d.ninset_highlight = 2;
    d.has_inset_highlight = true;
    d.has_graticule = true;
    d.graticule = 5;

    s.title = cor__strdup("new title");
    s.has_flow_max_width = true;
    s.flow_max_width = 7;
    s.has_page = true;
    s.width_pt = 100;
    s.height_pt = 50;
    s.dpi = 72;
    s.inset_highlight = list("UA", "PL");
    s.ninset_highlight = 2;
    s.has_inset_highlight = true;
    s.has_graticule = true;
    s.graticule = -1; /* graticule = false */
    s.has_background = true;
    s.background = (cor_color_t){1, 0, 0, 1};
    s.inset = cor__strdup("none");

    cor__mapdef_merge(&d, &s);
    ck_assert_str_eq(d.title, "new title");
    ck_assert_str_eq(d.credits, "old credits"); /* not given: kept */
    ck_assert_ptr_null(s.title);                /* moved, not copied */
    ck_assert(d.has_extent && d.extent.maxy == 4);
    ck_assert(d.has_flow_max_width && d.flow_max_width == 7);
    ck_assert(!d.has_flow_min_width);
    ck_assert(d.has_page && d.width_pt == 100 && d.height_pt == 50 && d.dpi == 72);
    ck_assert_uint_eq(d.ninset_highlight, 2);
    ck_assert_str_eq(d.inset_highlight[0], "UA");
    ck_assert_ptr_null(s.inset_highlight);
    ck_assert(!s.has_inset_highlight);
    ck_assert(d.has_graticule && d.graticule == -1);
    ck_assert(d.has_background && d.background.r == 1 && d.background.g == 0);
    ck_assert_str_eq(d.inset, "none");
    ck_assert(cor__mapdef_given(&d, &cor__mapkeys(&(size_t){0})[0]) == false); /* crs */
    cor__mapdef_clear(&s);
    cor__mapdef_clear(&d);
    ck_assert_ptr_null(d.title);
    ck_assert_uint_eq(d.ninset_highlight, 0);
}
END_TEST

START_TEST(an_empty_list_is_given)
{
    cor__mapdef_t d = {0}, s = {0};
    d.inset_highlight = list("BY", "LT");
    d.ninset_highlight = 2;
    d.has_inset_highlight = true;
    s.inset_highlight = cor__calloc(0, sizeof(char *));
    s.has_inset_highlight = true; /* highlight = {} turns the highlight off */
    cor__mapdef_merge(&d, &s);
    ck_assert(d.has_inset_highlight);
    ck_assert_uint_eq(d.ninset_highlight, 0);
    cor__mapdef_clear(&s);
    cor__mapdef_clear(&d);
}
END_TEST

/* Every map{} and inset setting is named in the README's Styles section. */
START_TEST(every_setting_is_documented)
{
    char *path = cor_test_src("README.md"), *text = NULL;
    size_t len, n;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__read_file(path, 1u << 20, &text, &len, &err), COR_OK);
    const char *styles = strstr(text, "## Styles");
    ck_assert_ptr_nonnull(styles);
    const char *end = strstr(styles + 1, "\n## ");
    const cor__mapkey_t *keys = cor__mapkeys(&n);
    for (size_t i = 0; i < n; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "%s =", keys[i].key);
        const char *at = strstr(styles, needle);
        ck_assert_msg(at && (!end || at < end), "README's Styles section does not show '%s'",
                      needle);
    }
    free(text);
    free(path);
}
END_TEST

static Suite *mapdef_suite(void)
{
    Suite *s = suite_create("mapdef");
    TCase *t = tcase_create("mapdef");
    tcase_add_test(t, inconsistent_settings_are_refused);
    tcase_add_test(t, keys_are_unique_and_ordered);
    tcase_add_test(t, merge_moves_what_is_given);
    tcase_add_test(t, an_empty_list_is_given);
    tcase_add_test(t, every_setting_is_documented);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(mapdef_suite());
}
