/* SPDX-License-Identifier: MIT */
/* Unit tests for util: sticky errors, checked allocation, buffers and the arena. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

START_TEST(first_error_wins)
{
    cor_error_t err = {0};
    ck_assert_int_eq(cor__fail(&err, COR_ERR_DATA, "a.shp: record %d: bad", 3), COR_ERR_DATA);
    ck_assert_int_eq(cor__fail(&err, COR_ERR_IO, "second"), COR_ERR_IO);
    ck_assert_int_eq(err.code, COR_ERR_DATA);
    ck_assert_str_eq(err.message, "a.shp: record 3: bad");
    ck_assert_int_eq(cor__fail(NULL, COR_ERR_IO, "nowhere"), COR_ERR_IO);
    cor_error_clear(&err);
    ck_assert_int_eq(err.code, COR_OK);
    ck_assert_str_eq(err.message, "");
}
END_TEST

START_TEST(error_prefix_and_truncation)
{
    cor_error_t err = {0};
    cor__error_prefix(&err, "ignored when no error");
    ck_assert_str_eq(err.message, "");
    cor__fail(&err, COR_ERR_CRS, "unknown CRS");
    cor__error_prefix(&err, "%s", "roads.prj");
    ck_assert_str_eq(err.message, "roads.prj: unknown CRS");
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cor__error_prefix(&err, "%s", big);
    ck_assert_uint_eq(strlen(err.message), COR_ERROR_MAX - 1);
}
END_TEST

START_TEST(status_names)
{
    ck_assert_str_eq(cor_status_name(COR_ERR_DATA), "data error");
    ck_assert_str_eq(cor_status_name(COR_OK), "ok");
    ck_assert_str_eq(cor_status_name((cor_status_t)999), "unknown error");
    ck_assert_str_eq(cor_version(), COR_VERSION);
}
END_TEST

START_TEST(allocation_overflow_is_refused)
{
    ck_assert_ptr_null(cor__calloc(SIZE_MAX / 2, 4));
    void *p = malloc(16);
    ck_assert_ptr_null(cor__realloc(p, SIZE_MAX / 8 + 1, 16));
    free(p); /* untouched by the failed realloc */
    void *z = cor__calloc(0, 8);
    ck_assert_ptr_nonnull(z);
    free(z);
    int *a = NULL;
    size_t cap = 0;
    ck_assert(cor__grow((void **)&a, &cap, 100, sizeof *a));
    ck_assert_uint_ge(cap, 100);
    a[99] = 7;
    ck_assert(!cor__grow((void **)&a, &cap, SIZE_MAX, sizeof *a));
    ck_assert_int_eq(a[99], 7);
    free(a);
}
END_TEST

START_TEST(buffers)
{
    cor__buf_t b = {0};
    ck_assert(cor__buf_puts(&b, "Kyiv"));
    ck_assert(cor__buf_printf(&b, " %d-%s", 114, "Chernihiv"));
    ck_assert(cor__buf_append(&b, "!", 1));
    ck_assert_str_eq(b.data, "Kyiv 114-Chernihiv!");
    ck_assert_uint_eq(b.len, strlen("Kyiv 114-Chernihiv!"));
    cor__buf_free(&b);
    ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(arena)
{
    cor__arena_t a = {0};
    double *d = cor__arena_alloc(&a, 10, sizeof *d);
    ck_assert_ptr_nonnull(d);
    ck_assert(d[9] == 0.0);
    ck_assert_uint_eq((uintptr_t)d % sizeof(double), 0);
    char *big = cor__arena_alloc(&a, 200000, 1); /* larger than a block */
    ck_assert_ptr_nonnull(big);
    big[199999] = 1;
    ck_assert_str_eq(cor__arena_strdup(&a, "Vilnius"), "Vilnius");
    ck_assert_ptr_null(cor__arena_alloc(&a, SIZE_MAX, 2));
    cor__arena_free(&a);
    ck_assert_ptr_null(a.head);
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *t = tcase_create("util");
    tcase_add_test(t, first_error_wins);
    tcase_add_test(t, error_prefix_and_truncation);
    tcase_add_test(t, status_names);
    tcase_add_test(t, allocation_overflow_is_refused);
    tcase_add_test(t, buffers);
    tcase_add_test(t, arena);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(util_suite());
}
