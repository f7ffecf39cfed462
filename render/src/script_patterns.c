/* SPDX-License-Identifier: MIT */
/* script_patterns: what a Lua pattern match may cost. An estimate, erring high, of the steps
 * Lua's matcher can take for a subject and a pattern, so the sandbox refuses a call that could
 * backtrack for minutes before making it. Plain C: no Lua state, no budget. */
#include "script_patterns.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* ---- patterns: refuse what could backtrack for minutes ---- */

static bool class_match(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a':
        r = isalpha(c);
        break;
    case 'c':
        r = iscntrl(c);
        break;
    case 'd':
        r = isdigit(c);
        break;
    case 'g':
        r = isgraph(c);
        break;
    case 'l':
        r = islower(c);
        break;
    case 'p':
        r = ispunct(c);
        break;
    case 's':
        r = isspace(c);
        break;
    case 'u':
        r = isupper(c);
        break;
    case 'w':
        r = isalnum(c);
        break;
    case 'x':
        r = isxdigit(c);
        break;
    default:
        return cl == c;
    }
    return isupper(cl) ? !r : r != 0;
}

/* Matches c against the set p[0] == '[' .. ec[0] == ']'. */
static bool set_match(int c, const char *p, const char *ec)
{
    bool neg = false;
    p++;
    if (*p == '^') {
        neg = true;
        p++;
    }
    for (; p < ec; p++) {
        if (*p == '%' && p + 1 < ec) {
            p++;
            if (class_match(c, (unsigned char)*p))
                return !neg;
        } else if (p + 2 < ec && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return !neg;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return !neg;
        }
    }
    return neg;
}

/* Matches c against the single-character class p .. ep (exclusive). */
static bool single_match(int c, const char *p, const char *ep)
{
    switch (*p) {
    case '.':
        return true;
    case '%':
        return class_match(c, (unsigned char)p[1]);
    case '[':
        return set_match(c, p, ep - 1);
    default:
        return (unsigned char)*p == c;
    }
}

/* Length of the single-character class at p; 0 when malformed (Lua reports those). */
static size_t class_len(const char *p, const char *pe)
{
    if (*p == '%')
        return p + 1 < pe ? 2 : 0;
    if (*p != '[')
        return 1;
    const char *q = p + 1;
    if (q < pe && *q == '^')
        q++;
    for (;;) {
        if (q >= pe)
            return 0;
        if (*q++ == '%' && q < pe)
            q++;
        if (q < pe && *q == ']')
            return (size_t)(q + 1 - p);
    }
}

/* The longest run of characters of s in the class p .. ep. */
static double max_run(const char *s, size_t n, const char *p, const char *ep)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = single_match((unsigned char)s[i], p, ep) ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return (double)best;
}

/* The characters %bxy scans when tried at every position of s (a scan starts at an x and ends
 * where the y's balance the x's, or at the end). Returns: INFINITY past `limit`. */
static double balance_work(const char *s, size_t n, char x, char y, double limit)
{
    double work = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != x)
            continue;
        size_t j = i + 1;
        for (int depth = 1; j < n && depth > 0; j++)
            depth += s[j] == y ? -1 : s[j] == x ? 1 : 0;
        work += (double)(j - i);
        if (work > limit)
            return INFINITY;
    }
    return work;
}

/* The starts at which a match attempt gets past its first item: all of them, unless the
 * pattern begins with a character class that must match once (as in "<(.-)>"). */
static double useful_starts(const char *s, size_t n, const char *p, const char *pe)
{
    while (p < pe && *p == '(')
        p++;
    if (p >= pe || *p == ')' || *p == '.' || (*p == '$' && p + 1 == pe))
        return n + 1.0;
    if (*p == '%' && (p + 1 >= pe || p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1])))
        return n + 1.0;
    size_t k = class_len(p, pe);
    if (k == 0 || (p + k < pe && strchr("*-?", p[k])))
        return n + 1.0;
    double hits = 1.0;
    for (size_t i = 0; i < n; i++)
        hits += single_match((unsigned char)s[i], p, p + k);
    return hits;
}

/* An estimate, erring high, of the steps Lua's matcher may take: at each start, every repeated
 * item (x*, x+, x-) can be tried once per character of the longest run its class has in the
 * subject, every x? twice; %b and back-references scan the subject; each step may walk a set
 * ([...]) and each start the pattern. About a nanosecond a step. */
double cor__pattern_cost(const char *s, size_t n, const char *p, size_t m, bool anchors)
{
    const char *pe = p + m;
    double starts = n + 1.0, per = 1.0, linear = 1.0, scan = 0.0, walk = 1.0;
    if (anchors && p < pe && *p == '^') {
        starts = 1.0;
        p++;
    } else {
        starts = useful_starts(s, n, p, pe);
        scan += (double)n;
    }
    while (p < pe && starts * per * linear * walk + scan <= COR__PATTERN_COST_MAX) {
        if (*p == '(' || *p == ')' || (*p == '$' && p + 1 == pe)) {
            p++;
            continue;
        }
        if (*p == '%' && p + 3 < pe && p[1] == 'b') {
            /* spread over the starts: a scan is long only where an x is */
            double work = balance_work(s, n, p[2], p[3], COR__PATTERN_COST_MAX / 10);
            scan += fmin(work, (double)n);
            linear = fmax(linear, fmin(n + 1.0, 1.0 + work / starts));
            p += 4;
            continue;
        }
        if (*p == '%' && p + 1 < pe && isdigit((unsigned char)p[1])) {
            linear = n + 1.0; /* a back-reference compares up to the whole subject */
            p += 2;
            continue;
        }
        if (*p == '%' && p + 1 < pe && p[1] == 'f') {
            p += 2;
            size_t k = (p < pe && *p == '[') ? class_len(p, pe) : 0;
            if (k == 0)
                break;
            p += k;
            continue;
        }
        size_t k = class_len(p, pe);
        if (k == 0)
            break;
        const char *ep = p + k;
        walk = fmax(walk, (double)k);
        if (ep < pe && (*ep == '*' || *ep == '+' || *ep == '-')) {
            scan += (double)n * (double)k;
            if (scan > COR__PATTERN_COST_MAX)
                return INFINITY;
            per *= max_run(s, n, p, ep) + 1.0;
            ep++;
        } else if (ep < pe && *ep == '?') {
            per *= 2.0;
            ep++;
        }
        p = ep;
    }
    return starts * (per * linear * walk + (double)m) + scan;
}

/* The cost of a plain find: a comparison of the pattern at each occurrence of its first byte. */
double cor__pattern_plain_cost(const char *s, size_t n, const char *p, size_t m)
{
    double hits = 0;
    if (m == 0)
        return 1.0;
    for (const char *q = s; (q = memchr(q, p[0], n - (size_t)(q - s))) != NULL; q++)
        hits += 1.0;
    return hits * (double)m + (double)n;
}

bool cor__pattern_has_specials(const char *p, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (strchr("^$*+?.([%-", p[i]) && p[i] != '\0')
            return true;
    return false;
}
