/* info: describes a shapefile for `corridor info` and for embedders: geometry type, counts,
 * extent, CRS (identified as an EPSG code where PROJ can), encoding and fields. Reads headers and
 * side files only; nothing is drawn. */
#include <stdlib.h>
#include <string.h>

#include "project.h"
#include "source_shp.h"
#include "util.h"

void cor_layer_info_free(cor_layer_info_t *info)
{
    if (!info)
        return;
    free(info->path);
    free(info->crs_name);
    free(info->crs_id);
    free(info->encoding);
    free(info->fields);
    free(info);
}

/* Names the .prj's CRS; an unreadable .prj is described rather than failing the whole info. */
static cor_status_t describe_crs(const char *prj, cor_layer_info_t *info, cor_error_t *err)
{
    cor__proj_t *proj = NULL;
    cor__crs_t *crs = NULL;
    cor_error_t why = {0};
    char id[64];
    cor_status_t st = cor__proj_new(&proj, err);
    if (st != COR_OK)
        return st;
    if (cor__crs_new(proj, prj, &crs, &why) == COR_OK) {
        info->crs_name = cor__strdup(cor__crs_name(crs));
        if (cor__crs_identify(crs, id, sizeof id))
            info->crs_id = cor__strdup(id);
    } else {
        info->crs_name = cor__asprintf("not understood (%s)", why.message);
    }
    if (!info->crs_name)
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__crs_free(crs);
    cor__proj_free(proj);
    return st;
}

static cor_status_t copy_fields(const cor__shp_t *shp, cor_layer_info_t *info, cor_error_t *err)
{
    info->nfields = cor__shp_nfields(shp);
    info->fields = cor__calloc(info->nfields, sizeof *info->fields);
    if (!info->fields)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < info->nfields; i++)
        info->fields[i] = *cor__shp_field(shp, i);
    return COR_OK;
}

cor_status_t cor_layer_info_read(const char *shp_path, cor_layer_info_t **out, cor_error_t *err)
{
    cor__shp_t *shp = NULL;
    cor_layer_info_t *info = NULL;
    cor_status_t st = cor__shp_open(shp_path, &shp, err);
    if (st != COR_OK)
        return st;
    info = cor__calloc(1, sizeof *info);
    if (!info || !(info->path = cor__strdup(shp_path)) ||
        !(info->encoding = cor__strdup(cor__shp_encoding(shp)))) {
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    info->geometry = cor__shp_type_name(shp);
    info->features = (long)cor__shp_count(shp);
    info->null_features = (long)cor__shp_null_count(shp);
    info->has_extent = cor__shp_extent(shp, &info->extent);
    info->encoding_source = cor__shp_encoding_source(shp);
    if (cor__shp_prj(shp) && (st = describe_crs(cor__shp_prj(shp), info, err)) != COR_OK)
        goto fail;
    if ((st = copy_fields(shp, info, err)) != COR_OK)
        goto fail;
    cor__shp_close(shp);
    *out = info;
    return COR_OK;
fail:
    cor_layer_info_free(info);
    cor__shp_close(shp);
    return st;
}
