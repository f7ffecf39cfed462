/* SPDX-License-Identifier: MIT */
/* furniture_query: read-only queries of a finished layout, for tests and the placement report.
 * It must not change a layout or compute anything new: it reports what the layout holds. */
#include "furniture_query.h"

#include "furniture_parts.h"

bool cor__layout_box(const cor__layout_t *l, cor__fpart_t part, cor_bbox_t *box,
                     cor__corner_t *corner)
{
    if (!l || part < 0 || part >= COR__FPART_COUNT || !l->parts[part].on)
        return false;
    if (box)
        *box = l->parts[part].box;
    if (corner)
        *corner = l->parts[part].corner;
    return true;
}

bool cor__layout_scalebar(const cor__layout_t *l, double *metres, double *points,
                          const char **label)
{
    if (!l || !l->has_bar || !l->parts[COR__FPART_SCALEBAR].on)
        return false;
    if (metres)
        *metres = l->metres;
    if (points)
        *points = l->points;
    if (label)
        *label = l->label;
    return true;
}

bool cor__layout_north(const cor__layout_t *l, double *degrees)
{
    if (!l || !l->has_north || !l->parts[COR__FPART_SCALEBAR].on)
        return false;
    if (degrees)
        *degrees = l->north_angle;
    return true;
}

double cor__layout_graticule(const cor__layout_t *l, size_t *meridians, size_t *parallels)
{
    if (meridians)
        *meridians = l ? l->nmeridians : 0;
    if (parallels)
        *parallels = l ? l->nparallels : 0;
    return l ? l->step : 0;
}

bool cor__layout_graticule_line(const cor__layout_t *l, size_t i, bool *meridian, double *degrees,
                                const double **x, const double **y, size_t *n)
{
    if (!l || i >= l->grat.nparts)
        return false;
    size_t a = l->grat.parts[i];
    if (meridian)
        *meridian = l->meta[i].meridian;
    if (degrees)
        *degrees = l->meta[i].degrees;
    if (x)
        *x = l->grat.x + a;
    if (y)
        *y = l->grat.y + a;
    if (n)
        *n = l->grat.parts[i + 1] - a;
    return true;
}

bool cor__layout_tick(const cor__layout_t *l, size_t i, const char **text, cor_bbox_t *box)
{
    if (!l || i >= l->ticks.n)
        return false;
    if (text)
        *text = l->ticks.v[i].text;
    if (box)
        *box = l->ticks.v[i].box;
    return true;
}
