/* SPDX-License-Identifier: MIT */
/* source_shp: shapefiles through shapelib. Opening has every count, offset and length checked
 * against the real file sizes (shp_check) and the attribute encoding settled (dbf_text) before
 * shapelib sees the files; it reads .prj, converts attributes to UTF-8 and hands out only the
 * features whose record box touches a query box. It knows nothing of projections or drawing;
 * shapelib's types never leave source_shp.c and shp_check.c. */
#ifndef COR_SOURCE_SHP_H
#define COR_SOURCE_SHP_H

#include "corridor.h"
#include "geom.h"
#include "warnings.h"

typedef struct cor__shp cor__shp_t;

/* Opens `path` (the .shp; .shx, .dbf, .prj and .cpg are optional) and checks the headers and
 * every record's offset and length against the files' sizes. Reads what GDAL reads, with a
 * warning (cor__shp_warnings): without a .shx, or with one that disagrees with the .shp, the
 * records are found by the .shp's own record headers; without a .dbf, shapes come without
 * attributes; records the .dbf marks deleted are skipped.
 * Returns: COR_OK and a source to release with cor__shp_close(); COR_ERR_IO when a file cannot
 * be opened; COR_ERR_DATA naming the file (and record) when it is malformed. */
cor_status_t cor__shp_open(const char *path, cor__shp_t **out, cor_error_t *err);
void cor__shp_close(cor__shp_t *shp);

const char *cor__shp_path(const cor__shp_t *shp);
/* The kind features are delivered as; COR__GEOM_NONE for a layer of null shapes / MultiPatch. */
cor__geom_kind_t cor__shp_kind(const cor__shp_t *shp);
/* "Point", "MultiPoint", "LineString", "Polygon", "MultiPatch", with "Z"/"M" suffix; "Null". */
const char *cor__shp_type_name(const cor__shp_t *shp);
/* Records in the .shp, deleted ones included. */
size_t cor__shp_count(const cor__shp_t *shp);
/* Records the .dbf marks deleted, which cor__shp_each() skips. */
size_t cor__shp_deleted_count(const cor__shp_t *shp);
size_t cor__shp_null_count(const cor__shp_t *shp);
/* The header's box in the layer's own coordinates; false when the layer has no shapes. */
bool cor__shp_extent(const cor__shp_t *shp, cor_bbox_t *out);
/* The .prj text (borrowed), or NULL when there is none. */
const char *cor__shp_prj(const cor__shp_t *shp);
/* The attribute encoding ("UTF-8", "ISO-8859-1", "CP1257", ...) and where it came from:
 * ".cpg", "DBF language driver" or "assumed". Borrowed. */
const char *cor__shp_encoding(const cor__shp_t *shp);
const char *cor__shp_encoding_source(const cor__shp_t *shp);
size_t cor__shp_nfields(const cor__shp_t *shp);
const cor_field_info_t *cor__shp_field(const cor__shp_t *shp, size_t i);

/* Calls fn for every non-null, non-deleted record whose box intersects `bbox` (the layer's own
 * coordinates; NULL means all), in file order, with its geometry and UTF-8 attributes. The feature
 * is valid only during the call. Rings and parts are delivered as stored; Z and M are dropped.
 * Returns: COR_OK; COR_ERR_DATA naming the file and record; or what fn returned. */
cor_status_t cor__shp_each(cor__shp_t *shp, const cor_bbox_t *bbox, cor__feature_fn fn, void *ud,
                           cor_error_t *err);

/* How many field names and values had text that is not valid in the layer's encoding (bytes
 * that do not decode, or that decode to no Unicode character), delivered with U+FFFD in their
 * place: the names, plus the values of the pass of cor__shp_each() that met the most (so
 * reading the layer again does not count them twice). */
size_t cor__shp_invalid_text(const cor__shp_t *shp);

/* What opening read in spite of, one line each naming the file (borrowed). */
const cor__warnings_t *cor__shp_warnings(const cor__shp_t *shp);

#endif
