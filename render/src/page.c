/* SPDX-License-Identifier: MIT */
/* page: page sizes as people write them. "2400x1800" (pixels at a resolution), "180x120mm",
 * "8x6in", "297x210 mm" and paper names (A3, A4, A5, Letter, Legal, Tabloid), all to points.
 * The one parser of sizes: the command line and style files both use it. Also the parser of
 * the extents a command line gives ("20,44,41,57"), so that both can be fuzzed in one place. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "util.h"

/* Points per unit; 0 for pixels (resolved with the dpi). */
static const struct {
    const char *name;
    double pt;
} units[] = {{"", 0}, {"px", 0}, {"pt", 1}, {"in", 72}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}};

/* Portrait sizes in points (ISO 216 A sizes rounded to 0.01 pt). */
static const struct {
    const char *name;
    double w, h;
} papers[] = {{"A3", 841.89, 1190.55}, {"A4", 595.28, 841.89}, {"A5", 419.53, 595.28},
              {"Letter", 612, 792},    {"Legal", 612, 1008},   {"Tabloid", 792, 1224}};

/* Points per unit for the rest of a size ("mm", " in ", ""); -1 when it is no unit. */
static double unit_points(const char *unit)
{
    char name[8];
    size_t n;
    while (*unit == ' ')
        unit++;
    for (n = 0; n < sizeof name - 1 && unit[n] && unit[n] != ' '; n++)
        name[n] = unit[n];
    name[n] = '\0';
    for (unit += n; *unit == ' ';)
        unit++;
    for (size_t i = 0; *unit == '\0' && i < COR__ARRAY_LEN(units); i++)
        if (cor__strcasecmp(name, units[i].name) == 0)
            return units[i].pt;
    return -1;
}

/* Reads a plain decimal number (no sign, hexadecimal or infinity) at s. Returns: false when
 * there is none. */
static bool decimal(const char *s, double *x, char **end)
{
    if (!(isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))))
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return false;
    *x = strtod(s, end);
    return *end != s && isfinite(*x);
}

static cor_status_t bad_size(cor_error_t *err, const char *text)
{
    return cor__fail(err, COR_ERR_USAGE,
                     "'%s' is not a page size: expected WIDTHxHEIGHT with an optional unit (px, "
                     "mm, cm, in, pt), e.g. 2400x1800 or 180x120mm",
                     text);
}

cor_status_t cor_page_size_parse(const char *text, double dpi, double *width_pt, double *height_pt,
                                 bool *pixels, cor_error_t *err)
{
    char *end;
    double w, h;
    if (!text)
        return bad_size(err, "(null)");
    const char *ws = text;
    while (*ws == ' ')
        ws++;
    if (!decimal(ws, &w, &end))
        return bad_size(err, text);
    while (*end == ' ')
        end++;
    if (*end != 'x' && *end != 'X')
        return bad_size(err, text);
    const char *hs = end + 1;
    while (*hs == ' ')
        hs++;
    if (!decimal(hs, &h, &end))
        return bad_size(err, text);
    double per = unit_points(end);
    if (per < 0)
        return bad_size(err, text);
    if (per == 0 && !(dpi > 0))
        return cor__fail(err, COR_ERR_USAGE, "'%s': a size in pixels needs a positive dpi", text);
    if (width_pt)
        *width_pt = w * (per > 0 ? per : 72.0 / dpi);
    if (height_pt)
        *height_pt = h * (per > 0 ? per : 72.0 / dpi);
    if (pixels)
        *pixels = per == 0;
    return COR_OK;
}

/* A signed plain decimal at s (spaces before it skipped). Returns: false when there is none. */
static bool signed_decimal(const char *s, double *x, char **end)
{
    while (*s == ' ')
        s++;
    bool minus = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (!decimal(s, x, end))
        return false;
    if (minus)
        *x = -*x;
    return true;
}

cor_status_t cor_extent_parse(const char *text, cor_bbox_t *out, cor_error_t *err)
{
    double v[4];
    const char *p = text;
    char *end = NULL;
    for (int i = 0; p && i < 4; i++) {
        if (!signed_decimal(p, &v[i], &end))
            goto bad;
        while (*end == ' ')
            end++;
        if (*end != (i < 3 ? ',' : '\0'))
            goto bad;
        p = end + 1;
    }
    if (!p)
        goto bad;
    *out = (cor_bbox_t){v[0], v[1], v[2], v[3]};
    return COR_OK;
bad:
    return cor__fail(err, COR_ERR_USAGE,
                     "'%s' is not an extent: expected W,S,E,N in degrees, e.g. 20,44,41,57",
                     text ? text : "(null)");
}

cor_status_t cor_paper_size(const char *name, bool landscape, double *width_pt, double *height_pt,
                            cor_error_t *err)
{
    for (size_t i = 0; name && i < COR__ARRAY_LEN(papers); i++) {
        if (cor__strcasecmp(name, papers[i].name) != 0)
            continue;
        double w = papers[i].w, h = papers[i].h;
        if (width_pt)
            *width_pt = landscape ? h : w;
        if (height_pt)
            *height_pt = landscape ? w : h;
        return COR_OK;
    }
    return cor__fail(err, COR_ERR_USAGE,
                     "'%s' is not a paper size: expected A3, A4, A5, Letter, "
                     "Legal or Tabloid",
                     name ? name : "(null)");
}

const char *cor_paper_name(size_t i)
{
    return i < COR__ARRAY_LEN(papers) ? papers[i].name : NULL;
}
