/* SPDX-License-Identifier: MIT */
/* Unit tests for csv: RFC 4180 records, line numbers, limits and errors. Each test renders the
 * records it receives as "<line>:[f1],[f2]" lines and compares them whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "testutil.h"
#include "util.h"

typedef struct rows {
    cor__buf_t out;
    long stop_at;   /* the callback fails on this line (0: never) */
    bool set_error; /* ...and sets err when it does */
} rows_t;

static cor_status_t collect(char **fields, size_t n, long line, void *ud, cor_error_t *err)
{
    rows_t *r = ud;
    bool ok = cor__buf_printf(&r->out, "%ld:", line);
    for (size_t i = 0; i < n; i++)
        ok = ok && cor__buf_printf(&r->out, "%s[%s]", i ? "," : "", fields[i]);
    if (!(ok && cor__buf_puts(&r->out, "\n")))
        ck_abort_msg("out of memory"); /* checked once: Check's asserts are slow in loops */
    if (line != r->stop_at)
        return COR_OK;
    return r->set_error ? cor__fail(err, COR_ERR_STYLE, "stopped at %ld", line) : COR_ERR_STYLE;
}

/* Parses n bytes from an exactly sized heap copy, so ASan sees any read past the end. */
static cor_status_t parse_n(const char *text, size_t n, rows_t *r, cor_error_t *err)
{
    char *copy = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, n);
    cor_status_t st = cor__csv_parse(copy, n, "t.csv", collect, r, err);
    free(copy);
    return st;
}

static cor_status_t parse(const char *text, rows_t *r, cor_error_t *err)
{
    return parse_n(text, strlen(text), r, err);
}

/* Parses text expecting success and returns what the callback saw (static storage). */
static const char *ok_rows(const char *text)
{
    static char seen[4096];
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(parse(text, &r, &err), COR_OK);
    ck_assert_str_eq(err.message, "");
    snprintf(seen, sizeof seen, "%s", r.out.data ? r.out.data : "");
    cor__buf_free(&r.out);
    return seen;
}

/* Parses text expecting `code` with `message`; returns the rows delivered before it. */
static const char *failing_rows(const char *text, size_t n, cor_status_t code, const char *message)
{
    static char seen[4096];
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(parse_n(text, n, &r, &err), code);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.message, message);
    snprintf(seen, sizeof seen, "%s", r.out.data ? r.out.data : "");
    cor__buf_free(&r.out);
    return seen;
}

#define FAILS(text, code, message) failing_rows(text, strlen(text), code, message)

START_TEST(unterminated_quote_names_the_line_it_opens_on)
{
    const char *seen =
        FAILS("a,b\nc,\"open\nmore\n", COR_ERR_DATA, "t.csv:2: unterminated quoted field");
    ck_assert_str_eq(seen, "1:[a],[b]\n");
    FAILS("\"", COR_ERR_DATA, "t.csv:1: unterminated quoted field");
    FAILS("x\n\"ab\"\"", COR_ERR_DATA, "t.csv:2: unterminated quoted field");
}
END_TEST

START_TEST(stray_quotes_are_errors)
{
    ck_assert_str_eq(
        FAILS("ok\nab\"c,d\n", COR_ERR_DATA, "t.csv:2: quote inside an unquoted field"),
        "1:[ok]\n");
    FAILS(" \"a\",b", COR_ERR_DATA, "t.csv:1: quote inside an unquoted field");
    FAILS("\"ab\"c,d", COR_ERR_DATA, "t.csv:1: text after a closing quote");
    FAILS("\"a\nb\" x\n", COR_ERR_DATA, "t.csv:2: text after a closing quote");
}
END_TEST

START_TEST(text_must_be_utf8_before_any_record_is_delivered)
{
    ck_assert_str_eq(FAILS("ok\nbad \xC3\x28\n", COR_ERR_DATA, "t.csv:2: not UTF-8 text"), "");
    FAILS("a\r\nb\r\n\xC0\xAF", COR_ERR_DATA, "t.csv:3: not UTF-8 text"); /* overlong */
    FAILS("\"\xED\xA0\x80\"", COR_ERR_DATA, "t.csv:1: not UTF-8 text");   /* surrogate */
    FAILS("Klaip\xE9"
          "da\n",
          COR_ERR_DATA, "t.csv:1: not UTF-8 text");              /* Latin-1 */
    FAILS("a\xE2\x82", COR_ERR_DATA, "t.csv:1: not UTF-8 text"); /* cut at the end */
    ck_assert_str_eq(failing_rows("a\nb\0c\n", 6, COR_ERR_DATA, "t.csv:2: NUL byte in the text"),
                     "");
}
END_TEST

static char *repeat(const char *unit, size_t times, const char *tail)
{
    cor__buf_t b = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < times; i++)
        ok = cor__buf_puts(&b, unit);
    ck_assert(ok && cor__buf_puts(&b, tail));
    return b.data;
}

START_TEST(more_than_1000_fields_is_a_limit)
{
    char *ok = repeat("x,", COR__CSV_MAX_FIELDS - 1, "x\n");
    char *over = repeat("x,", COR__CSV_MAX_FIELDS, "x\n");
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(parse(ok, &r, &err), COR_OK);
    ck_assert_uint_eq(r.out.len, strlen("1:") + COR__CSV_MAX_FIELDS * 4 - 1 + 1);
    cor__buf_free(&r.out);
    ck_assert_str_eq(FAILS(over, COR_ERR_LIMIT, "t.csv:1: more than 1000 fields in a record"), "");
    free(ok);
    free(over);
}
END_TEST

START_TEST(a_field_one_byte_over_the_limit_is_refused)
{
    char *at_limit = repeat("y", COR__CSV_MAX_FIELD, "");
    char *plain = repeat("y", COR__CSV_MAX_FIELD + 1, "");
    cor__buf_t quoted = {0};
    ck_assert(cor__buf_printf(&quoted, "a,\"%s\"\"\"\n", at_limit)); /* one doubled quote more */
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__csv_parse(at_limit, COR__CSV_MAX_FIELD, "t.csv", collect, &r, &err),
                     COR_OK);
    ck_assert_uint_eq(r.out.len, strlen("1:[]\n") + COR__CSV_MAX_FIELD);
    cor__buf_free(&r.out);
    FAILS(plain, COR_ERR_LIMIT, "t.csv:1: field 1 is longer than 1048576 bytes");
    FAILS(quoted.data, COR_ERR_LIMIT, "t.csv:1: field 2 is longer than 1048576 bytes");
    cor__buf_free(&quoted);
    free(at_limit);
    free(plain);
}
END_TEST

START_TEST(a_callback_error_stops_parsing_and_is_passed_through)
{
    rows_t r = {.stop_at = 2, .set_error = true};
    cor_error_t err = {0};
    ck_assert_int_eq(parse("a\nb\nc\n", &r, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "stopped at 2");
    ck_assert_str_eq(r.out.data, "1:[a]\n2:[b]\n");
    cor__buf_free(&r.out);

    rows_t quiet = {.stop_at = 4};
    cor_error_clear(&err);
    ck_assert_int_eq(parse("a\n\"b\nb\"\nc\nd\n", &quiet, &err), COR_ERR_STYLE);
    ck_assert_int_eq(err.code, COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "t.csv:4: record rejected");
    ck_assert_str_eq(quiet.out.data, "1:[a]\n2:[b\nb]\n4:[c]\n");
    cor__buf_free(&quiet.out);
}
END_TEST

START_TEST(empty_inputs_give_no_records)
{
    rows_t r = {0};
    ck_assert_int_eq(cor__csv_parse(NULL, 0, "t.csv", collect, &r, NULL), COR_OK);
    ck_assert_str_eq(ok_rows(""), "");
    ck_assert_str_eq(ok_rows("\xEF\xBB\xBF"), "");
    ck_assert_str_eq(ok_rows("\n\r\n\r\n"), "");
    ck_assert_ptr_null(r.out.data);
}
END_TEST

START_TEST(bom_is_skipped)
{
    ck_assert_str_eq(ok_rows("\xEF\xBB\xBFname,lat\nMinsk,53.9"),
                     "1:[name],[lat]\n2:[Minsk],[53.9]\n");
    ck_assert_str_eq(ok_rows("\xEF\xBB\xBF\"q\",x"), "1:[q],[x]\n");
    /* a BOM anywhere else is text */
    ck_assert_str_eq(ok_rows("a\n\xEF\xBB\xBF"
                             "b"),
                     "1:[a]\n2:[\xEF\xBB\xBF"
                     "b]\n");
}
END_TEST

START_TEST(crlf_lf_and_lone_cr_end_records)
{
    ck_assert_str_eq(ok_rows("a,b\r\nc,d\r\n"), "1:[a],[b]\n2:[c],[d]\n");
    ck_assert_str_eq(ok_rows("a,b\nc,d\r\ne\rf"), "1:[a],[b]\n2:[c],[d]\n3:[e]\n4:[f]\n");
    ck_assert_str_eq(ok_rows("\"a\"\r\n\"b\"\r\n"), "1:[a]\n2:[b]\n");
}
END_TEST

START_TEST(embedded_newlines_keep_line_numbers_right)
{
    ck_assert_str_eq(ok_rows("x,\"line1\nline2\",y\nnext,1\n"),
                     "1:[x],[line1\nline2],[y]\n3:[next],[1]\n");
    ck_assert_str_eq(ok_rows("\"a\r\nb\r\nc\"\r\nd\r\n"), "1:[a\r\nb\r\nc]\n4:[d]\n");
    ck_assert_str_eq(ok_rows("\"1\n\"\"2\n\"\n\n\"a,b\",c\n"), "1:[1\n\"2\n]\n5:[a,b],[c]\n");
    FAILS("\"a\nb\"\nx\"y\n", COR_ERR_DATA, "t.csv:3: quote inside an unquoted field");
}
END_TEST

START_TEST(doubled_quotes_are_one_quote)
{
    ck_assert_str_eq(ok_rows("\"say \"\"hi\"\"\",\"\"\n"), "1:[say \"hi\"],[]\n");
    ck_assert_str_eq(ok_rows("\"\"\"\"\n\"\"\"\"\"\""), "1:[\"]\n2:[\"\"]\n");
}
END_TEST

START_TEST(empty_fields_and_trailing_commas)
{
    ck_assert_str_eq(ok_rows("a,\n"), "1:[a],[]\n");
    ck_assert_str_eq(ok_rows("a,"), "1:[a],[]\n");
    ck_assert_str_eq(ok_rows(",\n,,x"), "1:[],[]\n2:[],[],[x]\n");
    ck_assert_str_eq(ok_rows("a,\"\"\r\n"), "1:[a],[]\n");
    /* a quoted empty field is a record; an empty line is not */
    ck_assert_str_eq(ok_rows("\"\"\n\nb"), "1:[]\n3:[b]\n");
    ck_assert_str_eq(ok_rows(" \n"), "1:[ ]\n"); /* spaces are kept: fields are not trimmed */
}
END_TEST

START_TEST(the_last_line_needs_no_newline)
{
    ck_assert_str_eq(ok_rows("a,b\nc,d"), "1:[a],[b]\n2:[c],[d]\n");
    ck_assert_str_eq(ok_rows("a\n\"q, r\""), "1:[a]\n2:[q, r]\n");
    ck_assert_str_eq(ok_rows("a\n\n\n"), "1:[a]\n");
}
END_TEST

START_TEST(nothing_past_len_is_read)
{
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(parse_n("a,b\nc,d", 5, &r, &err), COR_OK);
    ck_assert_str_eq(r.out.data, "1:[a],[b]\n2:[c]\n");
    cor__buf_free(&r.out);
    ck_assert_int_eq(parse_n("x,\"abc\"", 6, &r, &err), COR_ERR_DATA);
    ck_assert_str_eq(err.message, "t.csv:1: unterminated quoted field");
    cor__buf_free(&r.out);
    cor_error_clear(&err);
    ck_assert_int_eq(parse_n("\"a\"\r\n", 4, &r, &err), COR_OK);
    ck_assert_str_eq(r.out.data, "1:[a]\n");
    cor__buf_free(&r.out);
}
END_TEST

/* Long inputs in one piece: a field of quotes and newlines near the size limit, and many short
 * records. A quadratic parser would not finish within the test timeout. */
START_TEST(long_inputs_are_linear)
{
    char *field = repeat("\"\"\n", COR__CSV_MAX_FIELD / 2 - 1, "");
    cor__buf_t text = {0};
    ck_assert(cor__buf_printf(&text, "\"%s\",end\n", field));
    bool ok = true;
    for (int i = 0; ok && i < 200000; i++)
        ok = cor__buf_puts(&text, "k,\"v\"\n");
    ck_assert(ok);
    rows_t r = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__csv_parse(text.data, text.len, "t.csv", collect, &r, &err), COR_OK);
    long lines = COR__CSV_MAX_FIELD / 2 - 1 + 1;
    char last[64];
    snprintf(last, sizeof last, "\n%ld:[k],[v]\n", lines + 200000);
    ck_assert(cor__ends_with_ci(r.out.data, last));
    cor__buf_free(&r.out);
    cor__buf_free(&text);
    free(field);
}
END_TEST

static Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *t = tcase_create("csv");
    tcase_add_test(t, unterminated_quote_names_the_line_it_opens_on);
    tcase_add_test(t, stray_quotes_are_errors);
    tcase_add_test(t, text_must_be_utf8_before_any_record_is_delivered);
    tcase_add_test(t, more_than_1000_fields_is_a_limit);
    tcase_add_test(t, a_field_one_byte_over_the_limit_is_refused);
    tcase_add_test(t, a_callback_error_stops_parsing_and_is_passed_through);
    tcase_add_test(t, empty_inputs_give_no_records);
    tcase_add_test(t, bom_is_skipped);
    tcase_add_test(t, crlf_lf_and_lone_cr_end_records);
    tcase_add_test(t, embedded_newlines_keep_line_numbers_right);
    tcase_add_test(t, doubled_quotes_are_one_quote);
    tcase_add_test(t, empty_fields_and_trailing_commas);
    tcase_add_test(t, the_last_line_needs_no_newline);
    tcase_add_test(t, nothing_past_len_is_read);
    tcase_add_test(t, long_inputs_are_linear);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(csv_suite());
}
