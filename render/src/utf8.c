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

bool cor__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        size_t k;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= k)
            return false;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        p += k + 1;
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
