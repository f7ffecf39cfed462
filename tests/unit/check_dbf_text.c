/* SPDX-License-Identifier: MIT */
/* Unit tests for dbf_text: which encoding a shapefile's attributes are read in (.cpg, language
 * driver, a guess) and their conversion to UTF-8, checked end to end through cor__shp_open and
 * the values cor__shp_each delivers, then through the module's own calls. */
#include "dbf_text.h"
#include "shp_fixture.h"

/* ---- encodings ---- */

/* Opens places.shp with record 2's NAME in `bytes`, after writing `cpg` (unless NULL) and
 * setting the language driver to `ldid`; checks the encoding and the decoded name. */
static void check_encoding(const char *bytes, const char *cpg, unsigned ldid, const char *encoding,
                           const char *source, const char *utf8)
{
    char *dir = cor_test_tmpdir("shp-enc"), *shp = make_places(dir, bytes);
    char *dbf = sibling(shp, "dbf");
    patch_u8(dbf, 29, ldid);
    if (cpg) {
        char *path = sibling(shp, "cpg");
        write_text(path, cpg);
        free(path);
    }
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_encoding(s), encoding);
    ck_assert_str_eq(cor__shp_encoding_source(s), source);
    got_t g = read_all(s, &(cor_bbox_t){5, 5, 5, 5});
    ck_assert_uint_eq(g.n, 1);
    char want[256];
    snprintf(want, sizeof want, "NAME='%s' ", utf8);
    ck_assert_msg(strncmp(g.attrs[0], want, strlen(want)) == 0, "%s", g.attrs[0]);
    cor__shp_close(s);
    free(dbf), free(shp), free(dir);
}

#define KLAIPEDA_1257                                                                              \
    "Klaip\xEB"                                                                                    \
    "da"
#define KLAIPEDA                                                                                   \
    "Klaip\xC4\x97"                                                                                \
    "da"

START_TEST(cp1257_from_cpg)
{
    check_encoding(KLAIPEDA_1257, "1257", 0, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "ANSI 1257\r\n", 0, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "cp1257", 0x57, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "ISO-8859-13", 0, "ISO-8859-13", ".cpg", KLAIPEDA);
}
END_TEST

START_TEST(cp1257_from_language_driver)
{
    check_encoding(KLAIPEDA_1257, NULL, 0xCC, "CP1257", "DBF language driver", KLAIPEDA);
}
END_TEST

START_TEST(cpg_spellings)
{
    static const struct {
        const char *cpg, *encoding;
    } cases[] = {
        {"UTF-8", "UTF-8"},           {"utf8", "UTF-8"},          {"65001", "UTF-8"},
        {"ISO-8859-1", "ISO-8859-1"}, {"ISO88591", "ISO-8859-1"}, {"88591", "ISO-8859-1"},
        {"LATIN1", "ISO-8859-1"},     {"28591", "ISO-8859-1"},    {"1252", "CP1252"},
        {"CP1252", "CP1252"},         {"WINDOWS-1252", "CP1252"}, {"ANSI 1251", "CP1251"},
        {"OEM 866", "CP866"},         {"KOI8-R", "KOI8-R"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        check_encoding("Plain", cases[i].cpg, 0, cases[i].encoding, ".cpg", "Plain");
    /* an unknown .cpg falls back to the language driver, then to a guess */
    check_encoding("Plain", "no-such-encoding", 0x03, "CP1252", "DBF language driver", "Plain");
    check_encoding("Plain", "no-such-encoding", 0, "UTF-8", "assumed", "Plain");
}
END_TEST

START_TEST(assumed_latin1_without_cpg)
{
    check_encoding("Malm\xF6", NULL, 0, "ISO-8859-1", "assumed", "Malm\xC3\xB6");
}
END_TEST

START_TEST(assumed_utf8_without_cpg)
{
    check_encoding(KLAIPEDA, NULL, 0, "UTF-8", "assumed", KLAIPEDA);
}
END_TEST

START_TEST(invalid_bytes_become_replacement)
{
    check_encoding("Bad\xFF"
                   "Byte",
                   "UTF-8", 0, "UTF-8", ".cpg",
                   "Bad\xEF\xBF\xBD"
                   "Byte");
    check_encoding("Half\xC4", "UTF-8", 0, "UTF-8", ".cpg", "Half\xEF\xBF\xBD");
    /* 0x81 has no character in CP1252 */
    check_encoding("A\x81Z", "1252", 0, "CP1252", ".cpg", "A\xEF\xBF\xBDZ");
}
END_TEST

/* glibc's UTF-8 to UTF-8 iconv passes code points above U+10FFFF unchanged (found by fuzz_shp):
 * the reader replaces them, counts the value once however often it is read, and never fails. */
START_TEST(beyond_unicode_becomes_replacement_and_is_counted)
{
    check_encoding("Big\xF7\xAA\x95\xAD", "UTF-8", 0, "UTF-8", ".cpg",
                   "Big\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    check_encoding("\xF7\xAA\x95\xAD \xEF\x8F", "UTF-8", 0, "UTF-8", ".cpg",
                   "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
    char *dir = cor_test_tmpdir("shp-beyond"), *shp = make_places(dir, "\xF7\xAA\x95\xAD");
    char *cpg = sibling(shp, "cpg");
    write_text(cpg, "UTF-8");
    cor__shp_t *s = open_ok(shp);
    ck_assert_uint_eq(cor__shp_invalid_text(s), 0);
    for (int pass = 0; pass < 2; pass++) {
        got_t g = read_all(s, NULL);
        ck_assert_uint_eq(g.n, 3);
        ck_assert_uint_eq(cor__shp_invalid_text(s), 1);
    }
    got_t g = read_all(s, &(cor_bbox_t){0, 0, 1, 1}); /* a pass that misses it */
    ck_assert_uint_eq(g.n, 1);
    ck_assert_uint_eq(cor__shp_invalid_text(s), 1);
    cor__shp_close(s);
    free(cpg), free(shp), free(dir);
}
END_TEST

/* ---- the module's own calls ---- */

START_TEST(converter_directly)
{
    char *dir = cor_test_tmpdir("dbf-text"), *shp = join(dir, "bare.shp"),
         *cpg = sibling(shp, "cpg");
    cor__dbf_text_t *t = NULL;
    cor_error_t err = {0};
    cor__buf_t b = {0};
    /* no .cpg and no .dbf: UTF-8 assumed, with Latin-1 for what is not UTF-8 */
    ck_assert_int_eq(cor__dbf_text_new(shp, NULL, NULL, &t, &err), COR_OK);
    ck_assert_str_eq(cor__dbf_text_encoding(t), "UTF-8");
    ck_assert_str_eq(cor__dbf_text_source(t), "assumed");
    ck_assert(cor__dbf_text_append(t, &b, KLAIPEDA, strlen(KLAIPEDA), NULL));
    ck_assert(cor__dbf_text_append(t, &b, "Malm\xF6", 5, NULL));
    ck_assert_str_eq(b.data, KLAIPEDA);
    ck_assert_str_eq(b.data + strlen(KLAIPEDA) + 1, "Malm\xC3\xB6");
    cor__dbf_text_free(t);
    cor__dbf_text_free(NULL);
    /* a .cpg wins; its value is converted as declared */
    write_text(cpg, "ANSI 1257\n");
    t = NULL;
    b.len = 0;
    ck_assert_int_eq(cor__dbf_text_new(shp, NULL, NULL, &t, &err), COR_OK);
    ck_assert_str_eq(cor__dbf_text_encoding(t), "CP1257");
    ck_assert_str_eq(cor__dbf_text_source(t), ".cpg");
    ck_assert(cor__dbf_text_append(t, &b, KLAIPEDA_1257, strlen(KLAIPEDA_1257), NULL));
    ck_assert_str_eq(b.data, KLAIPEDA);
    cor__dbf_text_free(t);
    cor__buf_free(&b);
    free(cpg), free(shp), free(dir);
}
END_TEST

START_TEST(oversized_cpg_is_data)
{
    char *dir = cor_test_tmpdir("dbf-bigcpg"), *shp = join(dir, "bare.shp"),
         *cpg = sibling(shp, "cpg");
    char *big = calloc(5000, 1);
    memset(big, 'x', 4999);
    write_text(cpg, big);
    cor__dbf_text_t *t = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__dbf_text_new(shp, NULL, NULL, &t, &err), COR_ERR_DATA);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.message, "bare.cpg"), "%s", err.message);
    ck_assert_int_eq(cor__dbf_text_new(shp, NULL, NULL, &t, NULL), COR_ERR_DATA);
    free(big), free(cpg), free(shp), free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dbf_text");
    TCase *enc = tcase_create("encodings");
    tcase_add_test(enc, cp1257_from_cpg);
    tcase_add_test(enc, cp1257_from_language_driver);
    tcase_add_test(enc, cpg_spellings);
    tcase_add_test(enc, assumed_latin1_without_cpg);
    tcase_add_test(enc, assumed_utf8_without_cpg);
    tcase_add_test(enc, invalid_bytes_become_replacement);
    tcase_add_test(enc, beyond_unicode_becomes_replacement_and_is_counted);
    tcase_add_test(enc, converter_directly);
    tcase_add_test(enc, oversized_cpg_is_data);
    suite_add_tcase(s, enc);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
