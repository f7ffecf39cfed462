/* SPDX-License-Identifier: MIT */
/* shp_check: every number in a shapefile's .shp, .shx and .dbf checked against the files' real
 * sizes before anything trusts it: the headers, each record's offset, length, counts and part
 * starts, and the .dbf's header and field descriptors. It allocates only what checked counts
 * allow. It never hands a file to shapelib and never decodes an attribute value. */
#ifndef COR_SHP_CHECK_H
#define COR_SHP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "corridor.h"
#include "geom.h"
#include "shp_reader.h"
#include "util.h"

/* A shape type: its code in the files, its name, how features are delivered and how records of
 * it are laid out ('N'ull, 'P'oint, 'M'ultipoint, 'L'ines and polygons, multipatc'H'). */
typedef struct cor__shp_type {
    int code;
    const char *name;
    cor__geom_kind_t kind;
    char layout;
    bool z;
} cor__shp_type_t;

/* What checking learnt about one record. npoints == 0 marks a null or empty shape. */
typedef struct cor__shp_rec {
    int32_t nparts, npoints; /* a point has one of each */
    double box[4];           /* minx, miny, maxx, maxy; the point itself for points */
} cor__shp_rec_t;

/* The checked .shp and .shx. */
typedef struct cor__shp_geometry {
    const cor__shp_type_t *type; /* static */
    uint64_t shp_size, shx_size; /* the sizes that were checked */
    cor_bbox_t extent;           /* the header's box when it is a real one, else the records' */
    size_t nrec, nnull;
    cor__shp_rec_t *recs; /* nrec entries, malloc'd: the caller frees it */
    /* When the .shx is missing or disagrees with the .shp: the index the .shp's own record
     * headers make (a .shx's bytes, index_len of them, to read instead of the file) and one
     * line saying why; both NULL otherwise, both malloc'd: the caller frees them. */
    unsigned char *index;
    size_t index_len;
    char *warning;
} cor__shp_geometry_t;

/* A .dbf field: its type letter (upper case), whether it holds text (any type but N, F, L and
 * D), where its bytes are in a record, and its name as stored (at most 11 bytes). */
typedef struct cor__dbf_field {
    char type;
    bool text;
    size_t offset, width;
    int decimals; /* N and F fields; 0 for the others */
    char name[12];
} cor__dbf_field_t;

/* The checked .dbf header. */
typedef struct cor__dbf_layout {
    uint64_t size;
    uint32_t nrec;
    unsigned header_len, record_len;
    unsigned ldid;     /* the language driver id (byte 29) */
    uint32_t ndeleted; /* records whose deletion flag is '*' */
    size_t nfields;
    cor__dbf_field_t *fields; /* nfields entries, malloc'd: the caller frees it */
} cor__dbf_layout_t;

/* Checks the .shp at `shp` and its index `shx` (NULL when none was found beside it): the headers
 * against each other and the sizes, then every record the index points at. Like GDAL, it reads
 * what it can: when there is no .shx, or the .shx disagrees with the .shp (its header length
 * with its size, an entry with the record header it points at, ...), the records are found by
 * walking the .shp's own record headers from the first to the header's length, and out->index
 * and out->warning say so. A .shp that does not walk either is refused.
 * Returns: COR_OK and *out; COR_ERR_IO when a file cannot be opened; COR_ERR_DATA naming the
 * file (and record, numbered from 0): the .shx's message when there is one; COR_ERR_LIMIT
 * beyond what shapelib reads; COR_ERR_NOMEM. *out is written only on success. */
cor_status_t cor__shp_check_geometry(const char *shp, const char *shx, cor__shp_geometry_t *out,
                                     cor_error_t *err);

/* Checks the .dbf open in `r`: its header against the size, the field descriptors against the
 * record length, and that it holds `nrec` records as its .shp (`shp`, named in the message) does;
 * counts the records marked deleted.
 * Returns: COR_OK and *out; COR_ERR_DATA naming the .dbf; COR_ERR_IO; COR_ERR_NOMEM. *out is
 * written only on success. */
cor_status_t cor__shp_check_dbf(cor__shp_reader_t *r, const char *shp, size_t nrec,
                                cor__dbf_layout_t *out, cor_error_t *err);

/* Fails with "<path>: record <i>: <message>", the form of every message about one record.
 * Returns: `code`. */
cor_status_t cor__shp_check_fail_record(cor_error_t *err, cor_status_t code, const char *path,
                                        size_t i, const char *fmt, ...) COR__PRINTF(5, 6);

#endif
