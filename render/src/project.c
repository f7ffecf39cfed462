/* STUB: replaced by the real module. */
#include "project.h"
#include <math.h>
#include "util.h"

cor_status_t cor__proj_new(cor__proj_t **out, cor_error_t *err)
{
    (void)out; (void)err; return COR_ERR_INTERNAL;
}

void cor__proj_free(cor__proj_t *p)
{
    (void)p; 
}

cor_status_t cor__crs_new(cor__proj_t *p, const char *definition, cor__crs_t **out,
                          cor_error_t *err)
{
    (void)p; (void)definition; (void)out; (void)err; return COR_ERR_INTERNAL;
}

cor_status_t cor__crs_lonlat(cor__proj_t *p, cor__crs_t **out, cor_error_t *err)
{
    (void)p; (void)out; (void)err; return COR_ERR_INTERNAL;
}

void cor__crs_free(cor__crs_t *crs)
{
    (void)crs; 
}

bool cor__crs_is_geographic(const cor__crs_t *crs)
{
    (void)crs; return false;
}

const char *cor__crs_name(const cor__crs_t *crs)
{
    (void)crs; return NULL;
}

bool cor__crs_identify(cor__crs_t *crs, char *buf, size_t n)
{
    (void)crs; (void)buf; (void)n; return false;
}

cor_status_t cor__xform_new(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst,
                            cor__xform_t **out, cor_error_t *err)
{
    (void)p; (void)src; (void)dst; (void)out; (void)err; return COR_ERR_INTERNAL;
}

void cor__xform_free(cor__xform_t *xf)
{
    (void)xf; 
}

bool cor__xform_is_identity(const cor__xform_t *xf)
{
    (void)xf; return false;
}

size_t cor__xform_points(cor__xform_t *xf, bool inverse, double *x, double *y, size_t n)
{
    (void)xf; (void)inverse; (void)x; (void)y; (void)n; return 0;
}

cor_status_t cor__xform_bbox(cor__xform_t *xf, bool inverse, cor_bbox_t in, cor_bbox_t *out,
                             cor_error_t *err)
{
    (void)xf; (void)inverse; (void)in; (void)out; (void)err; return COR_ERR_INTERNAL;
}

bool cor__densify(const double *x, const double *y, size_t n, double step, double **ox, double **oy,
                  size_t *on)
{
    (void)x; (void)y; (void)n; (void)step; (void)ox; (void)oy; (void)on; return false;
}

cor_status_t cor__crs_scale_at(cor__proj_t *p, const cor__crs_t *crs, double lon, double lat,
                               double *scale, cor_error_t *err)
{
    (void)p; (void)crs; (void)lon; (void)lat; (void)scale; (void)err; return COR_ERR_INTERNAL;
}

double cor__geodesic_distance(cor__proj_t *p, double lon1, double lat1, double lon2, double lat2)
{
    (void)p; (void)lon1; (void)lat1; (void)lon2; (void)lat2; return 0;
}
