/* STUB: replaced by the real module. */
#include "source_shp.h"
#include <math.h>
#include "util.h"

cor_status_t cor__shp_open(const char *path, cor__shp_t **out, cor_error_t *err)
{
    (void)path; (void)out; (void)err; return COR_ERR_INTERNAL;
}

void cor__shp_close(cor__shp_t *shp)
{
    (void)shp; 
}

const char *cor__shp_path(const cor__shp_t *shp)
{
    (void)shp; return NULL;
}

cor__geom_kind_t cor__shp_kind(const cor__shp_t *shp)
{
    (void)shp; return 0;
}

const char *cor__shp_type_name(const cor__shp_t *shp)
{
    (void)shp; return NULL;
}

size_t cor__shp_count(const cor__shp_t *shp)
{
    (void)shp; return 0;
}

size_t cor__shp_null_count(const cor__shp_t *shp)
{
    (void)shp; return 0;
}

bool cor__shp_extent(const cor__shp_t *shp, cor_bbox_t *out)
{
    (void)shp; (void)out; return false;
}

const char *cor__shp_prj(const cor__shp_t *shp)
{
    (void)shp; return NULL;
}

const char *cor__shp_encoding(const cor__shp_t *shp)
{
    (void)shp; return NULL;
}

const char *cor__shp_encoding_source(const cor__shp_t *shp)
{
    (void)shp; return NULL;
}

size_t cor__shp_nfields(const cor__shp_t *shp)
{
    (void)shp; return 0;
}

const cor_field_info_t *cor__shp_field(const cor__shp_t *shp, size_t i)
{
    (void)shp; (void)i; return NULL;
}

cor_status_t cor__shp_each(cor__shp_t *shp, const cor_bbox_t *bbox, cor__feature_fn fn, void *ud,
                           cor_error_t *err)
{
    (void)shp; (void)bbox; (void)fn; (void)ud; (void)err; return COR_ERR_INTERNAL;
}
