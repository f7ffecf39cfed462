/* SPDX-License-Identifier: MIT */
/* info: describes a shapefile or a GeoJSON file for `corridor info` and for embedders: geometry
 * type, counts, extent, CRS (identified as an EPSG code where PROJ can, ESRI .prj included),
 * encoding, fields and a few values of each. Reads the files only; nothing is drawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "project.h"
#include "source_json.h"
#include "source_shp.h"
#include "util.h"
#include "warnings.h"

void cor_layer_info_free(cor_layer_info_t *info)
{
    if (!info)
        return;
    free(info->path);
    free(info->crs_name);
    free(info->crs_id);
    free(info->encoding);
    free(info->fields);
    for (size_t i = 0; info->samples && i < info->nfields * COR_INFO_SAMPLES; i++)
        free(info->samples[i]);
    free(info->samples);
    for (size_t i = 0; i < info->nwarnings; i++)
        free(info->warnings[i]);
    free(info->warnings);
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

const char *cor_layer_info_sample(const cor_layer_info_t *info, size_t field, size_t k)
{
    if (!info || !info->samples || field >= info->nfields || k >= COR_INFO_SAMPLES)
        return NULL;
    return info->samples[field * COR_INFO_SAMPLES + k];
}

/* ---- a few values per field ---- */

static void value_text(const cor__attr_t *a, char *buf, size_t n)
{
    buf[0] = '\0';
    if (a && a->type == COR__ATTR_STRING)
        snprintf(buf, n, "%s", a->str);
    else if (a && a->type == COR__ATTR_NUMBER)
        snprintf(buf, n, "%.15g", a->num);
    else if (a && a->type == COR__ATTR_BOOL)
        snprintf(buf, n, "%s", a->b ? "true" : "false");
}

/* Keeps the first distinct non-empty values of every field, at most COR_INFO_SAMPLES each. */
static cor_status_t sample_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    cor_layer_info_t *info = ud;
    char text[128];
    for (size_t i = 0; i < info->nfields; i++) {
        char **row = &info->samples[i * COR_INFO_SAMPLES];
        value_text(cor__feature_get(f, info->fields[i].name), text, sizeof text);
        size_t k = 0;
        while (k < COR_INFO_SAMPLES && row[k] && strcmp(row[k], text) != 0)
            k++;
        if (!text[0] || k == COR_INFO_SAMPLES || row[k])
            continue;
        if (!(row[k] = cor__strdup(text)))
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    return COR_OK;
}

static cor_status_t alloc_samples(cor_layer_info_t *info, cor_error_t *err)
{
    info->samples =
        cor__calloc(info->nfields ? info->nfields * COR_INFO_SAMPLES : 1, sizeof *info->samples);
    return info->samples ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

/* ---- GeoJSON ---- */

typedef struct json_scan {
    cor_layer_info_t *info;
    size_t cap;
    int kinds; /* bit per geometry kind seen */
} json_scan_t;

/* Adds the feature's property names as fields (typed by their first non-null value) and its
 * geometry to the extent. */
static cor_status_t scan_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    json_scan_t *js = ud;
    cor_layer_info_t *in = js->info;
    for (size_t i = 0; i < f->nfields; i++) {
        size_t k = 0;
        while (k < in->nfields && strcmp(in->fields[k].name, f->names[i]) != 0)
            k++;
        const cor__attr_t *a = &f->values[i];
        const char *type = a->type == COR__ATTR_NUMBER ? "Real"
                           : a->type == COR__ATTR_BOOL ? "Logical"
                           : a->type == COR__ATTR_NULL ? NULL
                                                       : "String";
        if (k < in->nfields) {
            if (!in->fields[k].type_name)
                in->fields[k].type_name = type;
            continue;
        }
        if (!cor__grow((void **)&in->fields, &js->cap, in->nfields + 1, sizeof *in->fields))
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
        cor_field_info_t *fi = &in->fields[in->nfields++];
        memset(fi, 0, sizeof *fi);
        snprintf(fi->name, sizeof fi->name, "%s", f->names[i]);
        fi->type_name = type;
    }
    cor_bbox_t b = cor__geom_bbox(f->geom);
    js->kinds |= 1 << f->geom->kind;
    if (b.minx <= b.maxx && b.miny <= b.maxy) {
        if (!in->has_extent)
            in->extent = b;
        in->extent = (cor_bbox_t){b.minx < in->extent.minx ? b.minx : in->extent.minx,
                                  b.miny < in->extent.miny ? b.miny : in->extent.miny,
                                  b.maxx > in->extent.maxx ? b.maxx : in->extent.maxx,
                                  b.maxy > in->extent.maxy ? b.maxy : in->extent.maxy};
        in->has_extent = true;
    }
    return COR_OK;
}

static const char *kinds_name(int kinds)
{
    switch (kinds) {
    case 1 << COR__GEOM_POINT:
        return "Point";
    case 1 << COR__GEOM_LINE:
        return "LineString";
    case 1 << COR__GEOM_POLYGON:
        return "Polygon";
    case 0:
        return "Null";
    }
    return "Mixed";
}

static cor_status_t json_info(const char *path, cor_layer_info_t *info, cor_error_t *err)
{
    cor__json_t *j = NULL;
    json_scan_t js = {info, 0, 0};
    cor_status_t st = cor__json_open(path, &j, err);
    if (st == COR_OK)
        st = cor__json_each(j, scan_feature, &js, err);
    for (size_t i = 0; st == COR_OK && i < info->nfields; i++)
        if (!info->fields[i].type_name)
            info->fields[i].type_name = "String"; /* only nulls seen */
    if (st == COR_OK && !(info->crs_name = cor__strdup("WGS 84 (GeoJSON, RFC 7946)")))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK && !(info->crs_id = cor__strdup("EPSG:4326")))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK && !(info->encoding = cor__strdup("UTF-8")))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = alloc_samples(info, err);
    if (st == COR_OK)
        st = cor__json_each(j, sample_feature, info, err);
    info->format = "GeoJSON";
    info->geometry = kinds_name(js.kinds);
    info->features = (long)cor__json_count(j);
    info->encoding_source = "GeoJSON is UTF-8";
    cor__json_close(j);
    return st;
}

/* The source's warnings, and one for invalid text, as a map would give them. */
static cor_status_t copy_warnings(const cor__shp_t *shp, cor_layer_info_t *info, cor_error_t *err)
{
    cor__warnings_t w = {0};
    bool ok = cor__warnings_merge(&w, cor__shp_warnings(shp));
    if (ok && info->invalid_text > 0)
        ok = cor__warnings_add(&w,
                               "%s: %ld attribute value%s not valid %s text (encoding from %s): "
                               "shown with U+FFFD in place of the bad bytes",
                               info->path, info->invalid_text,
                               info->invalid_text == 1 ? " is" : "s are", info->encoding,
                               info->encoding_source);
    info->warnings = w.lines; /* the lines move over; w is not cleared */
    info->nwarnings = w.n;
    return ok ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

cor_status_t cor_layer_info_read(const char *shp_path, cor_layer_info_t **out, cor_error_t *err)
{
    if (shp_path &&
        (cor__ends_with_ci(shp_path, ".geojson") || cor__ends_with_ci(shp_path, ".json"))) {
        cor_layer_info_t *in = cor__calloc(1, sizeof *in);
        if (!in || !(in->path = cor__strdup(shp_path))) {
            free(in);
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
        }
        cor_status_t st = json_info(shp_path, in, err);
        if (st != COR_OK) {
            cor_layer_info_free(in);
            return st;
        }
        *out = in;
        return COR_OK;
    }
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
    if ((st = copy_fields(shp, info, err)) != COR_OK || (st = alloc_samples(info, err)) != COR_OK ||
        (st = cor__shp_each(shp, NULL, sample_feature, info, err)) != COR_OK)
        goto fail;
    info->format = "ESRI Shapefile";
    info->invalid_text = (long)cor__shp_invalid_text(shp);
    info->deleted_features = (long)cor__shp_deleted_count(shp);
    if ((st = copy_warnings(shp, info, err)) != COR_OK)
        goto fail;
    cor__shp_close(shp);
    *out = info;
    return COR_OK;
fail:
    cor_layer_info_free(info);
    cor__shp_close(shp);
    return st;
}
