/* SPDX-License-Identifier: MIT */
/* source_json: GeoJSON (RFC 7946) files read with json-c into features (lon/lat geometry and
 * properties as attributes; simplestyle turns those properties into looks). Validates everything:
 * types, coordinate counts, numbers that are not finite. No drawing, and no json-c type ever leaves
 * the .c file: the tree is copied into compact arrays and released. */
#ifndef COR_SOURCE_JSON_H
#define COR_SOURCE_JSON_H

#include <stddef.h>

#include "corridor.h"
#include "geom.h"

typedef struct cor__json cor__json_t;

/* What a GeoJSON text may hold. json-c builds its whole tree before we see it, at about 120
 * bytes per JSON value (a position is 3), so values are counted (an upper bound, by a scan of the
 * text) before json-c runs: with the defaults parsing peaks near 1 GB whatever the file holds,
 * which leaves room for some 2.6 million positions. */
typedef struct cor__json_limits {
    size_t max_bytes;     /* size of the text */
    size_t max_values;    /* JSON values (numbers, strings, arrays, ...) */
    size_t max_positions; /* positions kept, including the points that close rings */
} cor__json_limits_t;

#define COR__JSON_MAX_BYTES     ((size_t)64 * 1024 * 1024)
#define COR__JSON_MAX_VALUES    ((size_t)8 * 1000 * 1000)
#define COR__JSON_MAX_POSITIONS ((size_t)10 * 1000 * 1000)
#define COR__JSON_MAX_DEPTH     64 /* nesting of arrays and objects */

/* Reads and validates a GeoJSON file: a FeatureCollection, a Feature or a bare geometry.
 * Unclosed polygon rings are closed; a ring needs 4 positions once closed. Longitudes must lie in
 * -180..180 and latitudes in -90..90; a third coordinate is ignored. A 2008-style "crs" member
 * other than CRS84 / EPSG:4326 is refused. Features with a null geometry or empty coordinates
 * are skipped.
 * Returns: COR_OK and a source to release with cor__json_close(); COR_ERR_IO naming the file;
 * COR_ERR_LIMIT beyond the default limits; COR_ERR_DATA naming the file and what is wrong
 * ("routes.geojson: features[3].geometry.coordinates[1]: expected [lon, lat]",
 * "routes.geojson: line 3: unexpected end of data"). */
cor_status_t cor__json_open(const char *path, cor__json_t **out, cor_error_t *err);
/* The same from text in memory (need not be NUL-terminated); `name` names it in messages. */
cor_status_t cor__json_parse(const char *text, size_t len, const char *name, cor__json_t **out,
                             cor_error_t *err);
/* cor__json_parse() with explicit limits (NULL: the defaults), for tests and fuzzing. */
cor_status_t cor__json_parse_limited(const char *text, size_t len, const char *name,
                                     const cor__json_limits_t *limits, cor__json_t **out,
                                     cor_error_t *err);
/* cor__json_open() with explicit limits (NULL: the defaults). */
cor_status_t cor__json_open_limited(const char *path, const cor__json_limits_t *limits,
                                    cor__json_t **out, cor_error_t *err);
/* Releases the source. Accepts NULL. */
void cor__json_close(cor__json_t *j);

/* Returns: the number of features cor__json_each() delivers (after skipping null geometries and
 * splitting GeometryCollections). */
size_t cor__json_count(const cor__json_t *j);

/* Calls fn for every feature with a geometry, in file order. Geometry is lon/lat: POINT with one
 * part per point, LINE, or POLYGON with every ring of every polygon in one feature (even-odd).
 * Multi-geometries are delivered as one feature of several parts; a GeometryCollection as one
 * feature per member, sharing the properties. f->id is the feature's index in the file's
 * "features" array (0 for a lone Feature or geometry). Properties become attributes in file
 * order: strings, numbers, booleans; null as NULL; arrays and objects as their compact JSON
 * text. The feature, its geometry and its strings are borrowed from the source, read-only.
 * Returns: COR_OK or what fn returned. */
cor_status_t cor__json_each(const cor__json_t *j, cor__feature_fn fn, void *ud, cor_error_t *err);

#endif
