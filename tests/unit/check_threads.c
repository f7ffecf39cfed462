/* SPDX-License-Identifier: MIT */
/* Thread safety: two maps rendered at once in two threads give the same bytes as rendered one
 * after the other (each map has its own PROJ context and Lua state; text and fonts are
 * serialised by the library), and a PNG deflated on several threads is the PNG deflated on one.
 * Run under ThreadSanitizer too: -DCORRIDOR_SANITIZE=thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "testutil.h"

typedef struct job {
    cor_format_t format;
    const char *overlay; /* an extra overlay, so the two maps differ */
    int threads;         /* cor_map_set_threads(); 0 here means the default */
    double dpi;          /* 0: 100 */
    void *data;
    size_t len;
    cor_status_t st;
    char message[COR_ERROR_MAX];
} job_t;

/* Builds the story map at a small size and renders it into memory. */
static void *render_job(void *ud)
{
    job_t *j = ud;
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    char *data = cor_test_src("."), *style = cor_test_src("styles/default.lua");
    j->st = cor_map_new(&map, &err);
    if (j->st == COR_OK)
        j->st = cor_map_set_data_dir(map, data, &err);
    if (j->st == COR_OK)
        j->st = cor_map_load_style(map, style, &err);
    if (j->st == COR_OK && j->overlay)
        j->st = cor_map_add_overlay_string(map, "extra.lua", j->overlay, strlen(j->overlay), &err);
    if (j->st == COR_OK && j->threads)
        j->st = cor_map_set_threads(map, j->threads, &err);
    if (j->st == COR_OK)
        j->st = cor_map_set_page(map, 340, 255, j->dpi > 0 ? j->dpi : 100, &err);
    if (j->st == COR_OK)
        j->st = cor_map_render_buffer(map, j->format, &j->data, &j->len, &err);
    memcpy(j->message, err.message, sizeof j->message);
    cor_map_free(map);
    free(style);
    free(data);
    return NULL;
}

static void check_job(const job_t *j)
{
    ck_assert_msg(j->st == COR_OK, "render failed: %s", j->message);
    ck_assert_uint_gt(j->len, 1000);
}

/* Renders both jobs at once in two threads, and each again alone, and compares the bytes. */
static void two_at_once(cor_format_t fa, cor_format_t fb)
{
    static const char extra[] = "callout { at = 'Kyiv', text = 'Second thread' }";
    job_t a = {.format = fa, .threads = 2}, b = {.format = fb, .overlay = extra};
    job_t a1 = a, b1 = b;
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, render_job, &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, render_job, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    render_job(&a1);
    render_job(&b1);
    check_job(&a), check_job(&b), check_job(&a1), check_job(&b1);
    ck_assert_uint_eq(a.len, a1.len);
    ck_assert_msg(memcmp(a.data, a1.data, a.len) == 0, "thread A's map differs from its own");
    ck_assert_uint_eq(b.len, b1.len);
    ck_assert_msg(memcmp(b.data, b1.data, b.len) == 0, "thread B's map differs from its own");
    cor_buffer_free(a.data), cor_buffer_free(b.data);
    cor_buffer_free(a1.data), cor_buffer_free(b1.data);
}

START_TEST(two_pngs_at_once_are_the_pngs_rendered_apart)
{
    two_at_once(COR_FORMAT_PNG, COR_FORMAT_PNG);
}
END_TEST

START_TEST(a_png_deflated_on_three_threads_is_the_png_deflated_on_one)
{
    /* 944 x 708 px: eight strips of rows, taken by whichever thread is free */
    job_t one = {.format = COR_FORMAT_PNG, .threads = 1, .dpi = 200};
    job_t three = {.format = COR_FORMAT_PNG, .threads = 3, .dpi = 200};
    render_job(&one);
    render_job(&three);
    check_job(&one), check_job(&three);
    ck_assert_uint_eq(one.len, three.len);
    ck_assert_msg(memcmp(one.data, three.data, one.len) == 0, "the bytes depend on the threads");
    cor_buffer_free(one.data), cor_buffer_free(three.data);
}
END_TEST

START_TEST(an_svg_and_a_pdf_at_once_are_those_rendered_apart)
{
    two_at_once(COR_FORMAT_SVG, COR_FORMAT_PDF);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *t = tcase_create("threads");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, two_pngs_at_once_are_the_pngs_rendered_apart);
    tcase_add_test(t, an_svg_and_a_pdf_at_once_are_those_rendered_apart);
    tcase_add_test(t, a_png_deflated_on_three_threads_is_the_png_deflated_on_one);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(threads_suite());
}
