/* SPDX-License-Identifier: MIT */
/* inset: the locator inset's box and frame. It must not draw the inset's content (the map's
 * job) or choose the corner (the layout's). */
#include "inset.h"

#include <math.h>

#include "furniture_parts.h"

#define INSET_SHARE  0.2
#define INSET_ASPECT 0.8
#define INSET_MIN    72.0 /* an automatic inset narrower than this is too small to read */

static const cor_color_t FRAME = {0.35, 0.35, 0.35, 1};

void cor__inset_build(cor__layout_t *l, const cor__furniture_t *f)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_INSET];
    double m = COR__FURNITURE_MARGIN * l->k;
    if (f->inset == COR__CORNER_NONE)
        return;
    bool fixed = f->inset_width > 0 && isfinite(f->inset_width);
    double w = fixed ? f->inset_width : INSET_SHARE * l->width;
    if (!fixed && w < INSET_MIN)
        return;
    double a = f->inset_aspect > 0 && isfinite(f->inset_aspect) ? f->inset_aspect : INSET_ASPECT;
    p->w = fmin(w, l->width - 2 * m);
    p->h = fmin(p->w * a, l->height - 2 * m);
    p->on = p->w > 0 && p->h > 0;
    p->corner = f->inset;
}

void cor__inset_draw(const cor__layout_t *l, cairo_t *cr)
{
    if (!l->parts[COR__FPART_INSET].on)
        return;
    cor_bbox_t b = l->parts[COR__FPART_INSET].box;
    cairo_save(cr);
    cor__fparts_frame(cr, b, 0.6 * l->k, FRAME);
    cairo_restore(cr);
}
