/* SPDX-License-Identifier: MIT */
/* dbf_text: which encoding a shapefile's attributes are in, and iconv to UTF-8. A .cpg is read
 * in the many spellings writers use ("1252", "ANSI 1251", "ISO88591", "UTF8", "KOI8-R"), passed
 * to iconv only as a name of letters, digits and -_.: (no paths, no "//" suffixes). The language
 * driver ids map to code pages as ArcGIS and GDAL read them. Nothing here parses field values. */
#include "dbf_text.h"
#include "files.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CPG_MAX    4096
#define SAMPLE_MAX (1024 * 1024) /* .dbf bytes looked at to guess an undeclared encoding */
/* what an encoding name passed to iconv as written may contain */
#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:"

struct cor__dbf_text {
    char encoding[64];
    const char *source;
    iconv_t cd, cd_latin1; /* cd_latin1: fallback for an assumed UTF-8 that is not */
};

/* ---- spellings of encoding names ---- */

/* Upper-case letters and digits of the first line of `text`: "windows-1252\n" -> "WINDOWS1252". */
static void encoding_key(const char *text, char *key, size_t cap)
{
    size_t n = 0;
    for (const char *p = text; *p && *p != '\n' && *p != '\r' && n + 1 < cap; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            key[n++] = c;
    }
    key[n] = '\0';
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : s;
}

/* ISO-8859 spellings: "ISO88591", "88591", "LATIN1", "28591" (its Windows code page). */
static bool iso8859_name(const char *key, char *out, size_t cap)
{
    static const struct {
        const char *key;
        int part;
    } latin[] = {{"LATIN1", 1},  {"LATIN2", 2},  {"LATIN3", 3},  {"LATIN4", 4}, {"LATIN5", 9},
                 {"LATIN6", 10}, {"LATIN7", 13}, {"LATIN9", 15}, {"LATIN0", 15}};
    const char *rest = skip_prefix(skip_prefix(key, "ISO"), "8859");
    int part = 0;
    if (rest != skip_prefix(key, "ISO") && all_digits(rest))
        part = atoi(rest);
    else if (strlen(key) == 5 && strncmp(key, "285", 3) == 0 && all_digits(key))
        part = atoi(key) - 28590;
    for (size_t i = 0; i < COR__ARRAY_LEN(latin); i++)
        if (strcmp(key, latin[i].key) == 0)
            part = latin[i].part;
    if (part < 1 || part > 16)
        return false;
    snprintf(out, cap, "ISO-8859-%d", part);
    return true;
}

/* Code page numbers, alone or after "CP", "ANSI", "OEM", "WINDOWS", ...: "ANSI 1251" -> CP1251. */
static bool codepage_name(const char *key, char *out, size_t cap)
{
    static const char *const prefixes[] = {"WINDOWS", "WIN", "ANSI", "OEM",
                                           "IBM",     "DOS", "MS",   "CP"};
    static const int known[] = {437,  737,  775,  850,  852,  855,  857,  860,  861, 862,
                                863,  864,  865,  866,  869,  874,  932,  936,  949, 950,
                                1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258};
    const char *rest = key;
    for (size_t i = 0; i < COR__ARRAY_LEN(prefixes) && rest == key; i++)
        rest = skip_prefix(key, prefixes[i]);
    rest = skip_prefix(rest, "CP");
    if (!all_digits(rest) || strlen(rest) > 5)
        return false;
    for (size_t i = 0; i < COR__ARRAY_LEN(known); i++) {
        if (atoi(rest) == known[i]) {
            snprintf(out, cap, "CP%d", known[i]);
            return true;
        }
    }
    return false;
}

/* Maps a .cpg's content to an iconv name. Returns: false when it is not understood. */
static bool cpg_encoding(const char *text, char *out, size_t cap)
{
    char key[64];
    encoding_key(text, key, sizeof key);
    if (strcmp(key, "UTF8") == 0 || strcmp(key, "65001") == 0) {
        snprintf(out, cap, "UTF-8");
        return true;
    }
    if (iso8859_name(key, out, cap) || codepage_name(key, out, cap))
        return true;
    /* Anything else iconv knows ("KOI8-R", "BIG5", "SHIFT_JIS"), as written. */
    size_t n = strcspn(text, "\r\n");
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    while (n > 0 && (*text == ' ' || *text == '\t'))
        text++, n--;
    if (n == 0 || n >= cap || strspn(text, NAME_CHARS) < n)
        return false;
    memcpy(out, text, n);
    out[n] = '\0';
    return true;
}

/* The code page of a DBF language driver id (byte 29), or NULL for 0 and unknown ids. */
static const char *ldid_encoding(unsigned ldid)
{
    static const struct {
        unsigned char id;
        const char *name;
    } table[] = {
        {0x01, "CP437"},  {0x02, "CP850"},  {0x03, "CP1252"}, {0x08, "CP865"},  {0x09, "CP437"},
        {0x0A, "CP850"},  {0x0B, "CP437"},  {0x0D, "CP437"},  {0x0E, "CP850"},  {0x0F, "CP437"},
        {0x10, "CP850"},  {0x11, "CP437"},  {0x12, "CP850"},  {0x13, "CP932"},  {0x14, "CP850"},
        {0x15, "CP437"},  {0x16, "CP850"},  {0x17, "CP865"},  {0x18, "CP437"},  {0x19, "CP437"},
        {0x1A, "CP850"},  {0x1B, "CP437"},  {0x1C, "CP863"},  {0x1D, "CP850"},  {0x1F, "CP852"},
        {0x22, "CP852"},  {0x23, "CP852"},  {0x24, "CP860"},  {0x25, "CP850"},  {0x26, "CP866"},
        {0x37, "CP850"},  {0x40, "CP852"},  {0x4D, "CP936"},  {0x4E, "CP949"},  {0x4F, "CP950"},
        {0x50, "CP874"},  {0x57, "CP1252"}, {0x58, "CP1252"}, {0x59, "CP1252"}, {0x64, "CP852"},
        {0x65, "CP866"},  {0x66, "CP865"},  {0x67, "CP861"},  {0x6A, "CP737"},  {0x6B, "CP857"},
        {0x78, "CP950"},  {0x79, "CP949"},  {0x7A, "CP936"},  {0x7B, "CP932"},  {0x7C, "CP874"},
        {0x7D, "CP1255"}, {0x7E, "CP1256"}, {0x86, "CP737"},  {0x87, "CP852"},  {0x88, "CP857"},
        {0xC8, "CP1250"}, {0xC9, "CP1251"}, {0xCA, "CP1254"}, {0xCB, "CP1253"}, {0xCC, "CP1257"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(table); i++)
        if (table[i].id == ldid)
            return table[i].name;
    return NULL;
}

/* ---- choosing the encoding ---- */

/* Adopts `name` as the attribute encoding when iconv can convert from it. */
static bool use_encoding(cor__dbf_text_t *t, const char *name, const char *source)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    t->cd = cd;
    snprintf(t->encoding, sizeof t->encoding, "%s", name);
    t->source = source;
    return true;
}

/* The encoding from the .cpg when one is there and understood. */
static cor_status_t try_cpg(cor__dbf_text_t *t, const char *shp, bool *found, cor_error_t *err)
{
    char *path = cor__path_sibling(shp, "cpg"), *text = NULL, name[64];
    cor_error_t why = {0};
    *found = false;
    if (!path)
        return COR_OK;
    cor_status_t st = cor__read_file(path, CPG_MAX, &text, NULL, &why);
    if (st == COR_OK)
        *found = cpg_encoding(text, name, sizeof name) && use_encoding(t, name, ".cpg");
    else
        st = cor__fail(err, st == COR_ERR_LIMIT ? COR_ERR_DATA : st, "%s", why.message);
    free(text);
    free(path);
    return st;
}

/* Looks at the text fields of the first records. Returns: *utf8 false if any is not UTF-8. */
static cor_status_t sample_utf8(cor__shp_reader_t *r, const cor__dbf_layout_t *l, bool *utf8,
                                cor_error_t *err)
{
    uint64_t n = SAMPLE_MAX / l->record_len + 1;
    unsigned char *rec = malloc(l->record_len);
    cor_status_t st = rec ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", r->path);
    *utf8 = true;
    if (n > l->nrec)
        n = l->nrec;
    for (uint64_t i = 0; st == COR_OK && *utf8 && i < n; i++) {
        st = cor__shp_reader_read(r, l->header_len + i * l->record_len, rec, l->record_len, err);
        for (size_t k = 0; st == COR_OK && k < l->nfields; k++) {
            const char *v = (const char *)rec + l->fields[k].offset;
            if (l->fields[k].text && !cor__utf8_valid(v, strnlen(v, l->fields[k].width)))
                *utf8 = false;
        }
    }
    free(rec);
    return st;
}

/* Decides the attribute encoding: .cpg, else language driver, else a guess from the data. */
static cor_status_t choose_encoding(cor__dbf_text_t *t, const char *shp, cor__shp_reader_t *dbf,
                                    const cor__dbf_layout_t *layout, cor_error_t *err)
{
    bool found = false, utf8 = true;
    cor_status_t st = try_cpg(t, shp, &found, err);
    if (st != COR_OK || found)
        return st;
    const char *ld = ldid_encoding(layout ? layout->ldid : 0);
    if (ld && use_encoding(t, ld, "DBF language driver"))
        return COR_OK;
    if (dbf && (st = sample_utf8(dbf, layout, &utf8, err)) != COR_OK)
        return st;
    if (!use_encoding(t, utf8 ? "UTF-8" : "ISO-8859-1", "assumed"))
        return cor__fail(err, COR_ERR_INTERNAL, "%s: iconv cannot convert to UTF-8", shp);
    if (utf8) {
        t->cd_latin1 = iconv_open("UTF-8", "ISO-8859-1");
        if (t->cd_latin1 == (iconv_t)-1)
            return cor__fail(err, COR_ERR_INTERNAL, "%s: iconv lacks ISO-8859-1", shp);
    }
    return COR_OK;
}

cor_status_t cor__dbf_text_new(const char *shp, cor__shp_reader_t *dbf,
                               const cor__dbf_layout_t *layout, cor__dbf_text_t **out,
                               cor_error_t *err)
{
    cor__dbf_text_t *t = calloc(1, sizeof *t);
    if (!t)
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", shp);
    t->cd = t->cd_latin1 = (iconv_t)-1;
    cor_status_t st = choose_encoding(t, shp, dbf, layout, err);
    if (st != COR_OK) {
        cor__dbf_text_free(t);
        return st;
    }
    *out = t;
    return COR_OK;
}

void cor__dbf_text_free(cor__dbf_text_t *t)
{
    if (!t)
        return;
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    if (t->cd_latin1 != (iconv_t)-1)
        iconv_close(t->cd_latin1);
    free(t);
}

const char *cor__dbf_text_encoding(const cor__dbf_text_t *t)
{
    return t->encoding;
}

const char *cor__dbf_text_source(const cor__dbf_text_t *t)
{
    return t->source;
}

/* ---- converting ---- */

/* Makes room for `extra` more bytes and the terminator. */
static bool buf_reserve(cor__buf_t *b, size_t extra)
{
    return extra < SIZE_MAX - b->len - 1 &&
           cor__grow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

/* Converts as much of *in as iconv can; an undecodable byte becomes U+FFFD and is skipped
 * (counted in *replaced). */
static bool convert_body(cor__buf_t *b, iconv_t cd, char **ip, size_t *left, size_t *slack,
                         size_t *replaced)
{
    while (*left > 0) {
        if (!buf_reserve(b, 4 * *left + *slack))
            return false;
        char *op = b->data + b->len;
        size_t room = b->cap - b->len - 1;
        size_t r = iconv(cd, ip, left, &op, &room);
        int e = errno;
        b->len = (size_t)(op - b->data);
        if (r != (size_t)-1)
            break;
        if (e == E2BIG) {
            *slack *= 2;
            continue;
        }
        if (!cor__buf_append(b, "\xEF\xBF\xBD", 3))
            return false;
        (*replaced)++;
        (*ip)++, (*left)--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    return true;
}

/* Replaces what iconv let through that is not UTF-8 (glibc's UTF-8 to UTF-8 passes code points
 * above U+10FFFF and surrogates unchanged; a UTF-16 source can give NUL) in b from `start`. */
static bool repair(cor__buf_t *b, size_t start, size_t *replaced)
{
    if (cor__utf8_valid(b->data + start, b->len - start) &&
        !memchr(b->data + start, '\0', b->len - start))
        return true;
    char *copy = cor__strndup(b->data + start, b->len - start);
    size_t n = b->len - start;
    b->len = start;
    bool ok = copy && cor__utf8_append_repaired(b, copy, n, replaced);
    free(copy);
    return ok;
}

/* Appends in[0..n) converted with cd, and a NUL. Returns: false on exhaustion. */
static bool append_utf8(cor__buf_t *b, iconv_t cd, const char *in, size_t n, size_t *replaced)
{
    char *ip = (char *)in;
    size_t left = n, slack = 16, start = b->len;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (!convert_body(b, cd, &ip, &left, &slack, replaced) || !buf_reserve(b, slack))
        return false;
    char *op = b->data + b->len;
    size_t room = b->cap - b->len - 1;
    iconv(cd, NULL, NULL, &op, &room); /* the closing shift sequence of stateful encodings */
    b->len = (size_t)(op - b->data);
    return repair(b, start, replaced) && cor__buf_append(b, "", 1);
}

bool cor__dbf_text_append(const cor__dbf_text_t *t, cor__buf_t *b, const char *in, size_t n,
                          size_t *replaced)
{
    size_t count = 0;
    iconv_t cd = t->cd;
    if (t->cd_latin1 != (iconv_t)-1 && !cor__utf8_valid(in, n))
        cd = t->cd_latin1;
    bool ok = append_utf8(b, cd, in, n, &count);
    if (replaced)
        *replaced += count;
    return ok;
}
