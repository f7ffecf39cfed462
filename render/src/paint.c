/* STUB: replaced by the real module. */
#include "paint.h"
#include <math.h>
#include "util.h"

void cor__paint_fill(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look)
{
    (void)cr; (void)g; (void)look; 
}

void cor__paint_stroke(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look, bool casing)
{
    (void)cr; (void)g; (void)look; (void)casing; 
}

void cor__paint_markers(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look)
{
    (void)cr; (void)g; (void)look; 
}

void cor__paint_marker(cairo_t *cr, cor__marker_t marker, double x, double y, double size,
                       const cor__look_t *look)
{
    (void)cr; (void)marker; (void)x; (void)y; (void)size; (void)look; 
}

void cor__paint_set_color(cairo_t *cr, cor_color_t c, double opacity)
{
    (void)cr; (void)c; (void)opacity; 
}
