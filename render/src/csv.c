/* SPDX-License-Identifier: MIT */
/* csv: splits RFC 4180 text into records and hands each to a callback. One pass, linear in the
 * input: runs of plain bytes are copied at once, a record's fields share one buffer, and nothing
 * past `len` is read. The text is checked for UTF-8 line by line before the first record is
 * delivered, so a bad byte is reported with its line and no half-read table reaches the caller.
 * It gives fields no meaning: no trimming, no numbers, no header handling. */
#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

typedef struct parser {
    const char *p, *end;
    const char *name;
    long line;       /* the physical line p is on, from 1 */
    cor__buf_t text; /* the current record's fields, each NUL-terminated */
    size_t *starts;  /* offset of each field in text */
    size_t nfields, cap_starts;
    char **fields; /* the pointers handed to the callback */
    size_t cap_fields;
    cor_error_t *err;
} parser_t;

static cor_status_t fail_at(const parser_t *ps, cor_status_t code, long line, const char *what)
{
    return cor__fail(ps->err, code, "%s:%ld: %s", ps->name, line, what);
}

static bool is_break(char c)
{
    return c == '\n' || c == '\r';
}

/* Consumes the line break at p: LF, CRLF or a lone CR. */
static void skip_break(parser_t *ps)
{
    if (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')
        ps->p++;
    ps->p++;
    ps->line++;
}

/* Returns: the number of line breaks (LF, CRLF, lone CR) in s[0..n). */
static long count_breaks(const char *s, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
            k++;
    return k;
}

/* Checks every line for UTF-8 and NUL bytes. Line breaks are ASCII and never part of a
 * multi-byte sequence, so the text is UTF-8 exactly when each of its lines is. */
static cor_status_t check_text(const parser_t *ps)
{
    parser_t at = *ps;
    while (at.p < at.end) {
        const char *eol = at.p;
        while (eol < at.end && !is_break(*eol))
            eol++;
        size_t n = (size_t)(eol - at.p);
        if (memchr(at.p, '\0', n))
            return fail_at(ps, COR_ERR_DATA, at.line, "NUL byte in the text");
        if (!cor__utf8_valid(at.p, n))
            return fail_at(ps, COR_ERR_DATA, at.line, "not UTF-8 text");
        at.p = eol;
        if (at.p < at.end)
            skip_break(&at);
    }
    return COR_OK;
}

static cor_status_t begin_field(parser_t *ps)
{
    if (ps->nfields == COR__CSV_MAX_FIELDS)
        return cor__fail(ps->err, COR_ERR_LIMIT, "%s:%ld: more than %d fields in a record",
                         ps->name, ps->line, COR__CSV_MAX_FIELDS);
    if (!cor__grow((void **)&ps->starts, &ps->cap_starts, ps->nfields + 1, sizeof *ps->starts))
        return fail_at(ps, COR_ERR_NOMEM, ps->line, "out of memory");
    ps->starts[ps->nfields++] = ps->text.len;
    return COR_OK;
}

/* Appends n bytes to the current field, refusing to let it grow beyond the limit. */
static cor_status_t field_append(parser_t *ps, const char *s, size_t n)
{
    size_t have = ps->text.len - ps->starts[ps->nfields - 1];
    if (n > COR__CSV_MAX_FIELD - have)
        return cor__fail(ps->err, COR_ERR_LIMIT, "%s:%ld: field %zu is longer than %d bytes",
                         ps->name, ps->line, ps->nfields, COR__CSV_MAX_FIELD);
    if (!cor__buf_append(&ps->text, s, n))
        return fail_at(ps, COR_ERR_NOMEM, ps->line, "out of memory");
    return COR_OK;
}

/* An unquoted field: everything up to a comma, a line break or the end. */
static cor_status_t read_plain(parser_t *ps)
{
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p != ',' && *ps->p != '"' && !is_break(*ps->p))
        ps->p++;
    if (ps->p < ps->end && *ps->p == '"')
        return fail_at(ps, COR_ERR_DATA, ps->line, "quote inside an unquoted field");
    return field_append(ps, s, (size_t)(ps->p - s));
}

/* A quoted field starting at the quote at p: runs between quotes are copied whole, "" is one
 * quote, and the closing quote must be followed by a comma, a line break or the end. */
static cor_status_t read_quoted(parser_t *ps)
{
    long opened = ps->line;
    ps->p++;
    for (;;) {
        const char *q = memchr(ps->p, '"', (size_t)(ps->end - ps->p));
        if (!q)
            return fail_at(ps, COR_ERR_DATA, opened, "unterminated quoted field");
        size_t n = (size_t)(q - ps->p);
        cor_status_t st = field_append(ps, ps->p, n);
        if (st != COR_OK)
            return st;
        ps->line += count_breaks(ps->p, n);
        ps->p = q + 1;
        if (ps->p == ps->end || *ps->p != '"')
            break;
        if ((st = field_append(ps, "\"", 1)) != COR_OK)
            return st;
        ps->p++;
    }
    if (ps->p < ps->end && *ps->p != ',' && !is_break(*ps->p))
        return fail_at(ps, COR_ERR_DATA, ps->line, "text after a closing quote");
    return COR_OK;
}

/* Reads one record and the line break ending it. `blank` tells an empty line, which is skipped
 * (a line holding only "" is a record of one empty field). */
static cor_status_t read_record(parser_t *ps, bool *blank)
{
    bool quoted = false;
    ps->text.len = 0;
    ps->nfields = 0;
    for (;;) {
        cor_status_t st = begin_field(ps);
        if (st == COR_OK && ps->p < ps->end && *ps->p == '"') {
            quoted = true;
            st = read_quoted(ps);
        } else if (st == COR_OK) {
            st = read_plain(ps);
        }
        if (st == COR_OK && !cor__buf_append(&ps->text, "", 1))
            st = fail_at(ps, COR_ERR_NOMEM, ps->line, "out of memory");
        if (st != COR_OK)
            return st;
        if (ps->p == ps->end)
            break;
        if (*ps->p != ',') {
            skip_break(ps);
            break;
        }
        ps->p++;
    }
    *blank = ps->nfields == 1 && !quoted && ps->text.len == 1;
    return COR_OK;
}

static cor_status_t emit(parser_t *ps, long line, cor__csv_row_fn fn, void *ud)
{
    if (!cor__grow((void **)&ps->fields, &ps->cap_fields, ps->nfields, sizeof *ps->fields))
        return fail_at(ps, COR_ERR_NOMEM, line, "out of memory");
    for (size_t i = 0; i < ps->nfields; i++)
        ps->fields[i] = ps->text.data + ps->starts[i];
    cor_status_t st = fn(ps->fields, ps->nfields, line, ud, ps->err);
    if (st != COR_OK)
        fail_at(ps, st, line, "record rejected"); /* only when fn left err unset */
    return st;
}

cor_status_t cor__csv_parse(const char *text, size_t len, const char *name, cor__csv_row_fn fn,
                            void *ud, cor_error_t *err)
{
    if (len == 0)
        return COR_OK;
    parser_t ps = {
        .p = text, .end = text + len, .name = name ? name : "csv", .line = 1, .err = err};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    cor_status_t st = check_text(&ps);
    while (st == COR_OK && ps.p < ps.end) {
        long line = ps.line;
        bool blank = false;
        st = read_record(&ps, &blank);
        if (st == COR_OK && !blank)
            st = emit(&ps, line, fn, ud);
    }
    cor__buf_free(&ps.text);
    free(ps.starts);
    free(ps.fields);
    return st;
}
