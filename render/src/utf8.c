/* SPDX-License-Identifier: MIT */
/* utf8: UTF-8 text: checking it, decoding it a code point at a time, and folding names for
 * matching (lower case, Latin diacritics removed). The one UTF-8 checker every reader uses. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* The length of the well-formed UTF-8 sequence at p (before end), or 0 when there is none;
 * *taken is then the length of its maximal ill-formed subpart (at least 1), which Unicode
 * replaces with one U+FFFD. The one rule of what UTF-8 is: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
static size_t sequence(const unsigned char *p, const unsigned char *end, size_t *taken)
{
    unsigned c = p[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
    *taken = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        k = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    for (size_t i = 1; i <= k; i++) {
        if (p + i >= end || p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
            return 0;
        *taken = i + 1;
    }
    return k + 1;
}

bool cor__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        size_t taken, len = sequence(p, end, &taken);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

bool cor__utf8_append_repaired(cor__buf_t *b, const char *s, size_t n, size_t *replaced)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        const unsigned char *run = p;
        size_t taken = 0, len;
        while (p < end && *p && (len = sequence(p, end, &taken)) > 0)
            p += len;
        if (p > run && !cor__buf_append(b, run, (size_t)(p - run)))
            return false;
        if (p == end)
            break;
        if (!cor__buf_append(b, "\xEF\xBF\xBD", 3))
            return false;
        if (replaced)
            (*replaced)++;
        if (*p) {
            sequence(p, end, &taken);
            p += taken;
        } else {
            p++;
        }
    }
    return true;
}

/* Decodes one UTF-8 code point at *p (which must be valid), advancing *p. */
unsigned cor__utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0];
    size_t k = c < 0xC0 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3, i = 1;
    if (k)
        c &= 0x3Fu >> k;
    for (; i <= k && (s[i] & 0xC0) == 0x80; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = (const char *)s + i;
    return c;
}

/* The base letter of a Latin letter with diacritics (Latin-1 Supplement and Latin Extended-A),
 * or 0 when the code point has none. */
static char latin_base(unsigned c)
{
    static const char sup[] = /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiii"
        "dnooooo*ouuuuyts"
        "aaaaaaaceeeeiiii"
        "dnooooo/ouuuuyty";
    static const char ext[] = /* U+0100 .. U+017F */
        "aaaaaaccccccccdd"
        "ddeeeeeeeeeegggg"
        "gggghhhhiiiiiiii"
        "iijjjjkkklllllll"
        "lllnnnnnnnnnoooo"
        "oooorrrrrrssssss"
        "ssttttttuuuuuuuu"
        "uuuuwwyyyzzzzzzs";
    if (c >= 0xC0 && c <= 0xFF) {
        char b = sup[c - 0xC0];
        return (b == '*' || b == '/') ? 0 : b;
    }
    if (c >= 0x100 && c <= 0x17F)
        return ext[c - 0x100];
    return 0;
}

char *cor__fold(const char *utf8)
{
    cor__buf_t b = {0};
    const unsigned char *p = (const unsigned char *)utf8;
    if (!cor__utf8_valid(utf8, strlen(utf8))) {
        for (; *p; p++) {
            char c = (char)ascii_lower(*p);
            if (!cor__buf_append(&b, &c, 1))
                goto fail;
        }
        return b.data ? b.data : cor__strdup("");
    }
    while (*p) {
        const char *start = (const char *)p, *next = start;
        unsigned c = cor__utf8_next(&next);
        p = (const unsigned char *)next;
        char base = c < 0x80 ? (char)ascii_lower((int)c) : latin_base(c);
        if (c == 0xDF) { /* sharp s */
            if (!cor__buf_puts(&b, "ss"))
                goto fail;
        } else if (base) {
            if (!cor__buf_append(&b, &base, 1))
                goto fail;
        } else if (!cor__buf_append(&b, start, (size_t)(next - start))) {
            goto fail;
        }
    }
    return b.data ? b.data : cor__strdup("");
fail:
    cor__buf_free(&b);
    return NULL;
}
