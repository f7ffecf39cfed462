/* SPDX-License-Identifier: MIT */
/* suggest: the edit distance behind every "did you mean". Pure computation on code points; the
 * policy (how near is near enough, how candidates rank) stays with the caller. */
#include "suggest.h"

#include <string.h>

#include "utf8.h"
#include "util.h"

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t cor__edit_distance_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t rows[3][COR__SUGGEST_CP_MAX + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    if (n > COR__SUGGEST_CP_MAX || m > COR__SUGGEST_CP_MAX)
        return SIZE_MAX;
    for (size_t j = 0; j <= m; j++)
        p[j] = j;
    for (size_t i = 1; i <= n; i++) {
        c[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t v = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] != b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        size_t *t = pp;
        pp = p, p = c, c = t;
    }
    return p[m];
}

/* Decodes s into at most COR__SUGGEST_CP_MAX code points, ASCII letters in lower case.
 * Returns: their number, SIZE_MAX when s is longer. */
static size_t decode(const char *s, uint32_t *out)
{
    size_t n = 0;
    while (*s) {
        if (n == COR__SUGGEST_CP_MAX)
            return SIZE_MAX;
        uint32_t c = cor__utf8_next(&s);
        out[n++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
    return n;
}

size_t cor__edit_distance(const char *a, const char *b)
{
    uint32_t ca[COR__SUGGEST_CP_MAX], cb[COR__SUGGEST_CP_MAX];
    size_t n = decode(a, ca), m = decode(b, cb);
    if (n == SIZE_MAX || m == SIZE_MAX)
        return SIZE_MAX;
    return cor__edit_distance_cp(ca, n, cb, m);
}

void cor__nearest_init(cor__nearest_t *n, const char *query)
{
    *n = (cor__nearest_t){.query = query, .best = NULL, .best_d = strlen(query) <= 3 ? 2 : 3};
}

void cor__nearest_offer(cor__nearest_t *n, const char *name)
{
    if (n->best_d == 0)
        return;
    size_t d = strcmp(n->query, name) == 0 ? 0 : cor__edit_distance(n->query, name);
    if (d < n->best_d) {
        n->best = name;
        n->best_d = d;
    }
}
