/* STUB: replaced by the real module. */
#include "output.h"
#include <math.h>
#include "util.h"

cor_status_t cor__output_open(const char *path, cor_format_t fmt, double width_pt,
                              double height_pt, double dpi, cor__output_t **out, cor_error_t *err)
{
    (void)path; (void)fmt; (void)width_pt; (void)height_pt; (void)dpi; (void)out; (void)err; return COR_ERR_INTERNAL;
}

cairo_t *cor__output_cairo(cor__output_t *o)
{
    (void)o; return NULL;
}

cor_status_t cor__output_commit(cor__output_t *o, cor_error_t *err)
{
    (void)o; (void)err; return COR_ERR_INTERNAL;
}

void cor__output_abort(cor__output_t *o)
{
    (void)o; 
}
