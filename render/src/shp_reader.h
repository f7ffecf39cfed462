/* SPDX-License-Identifier: MIT */
/* shp_reader: one file's bytes read at offsets checked against its real size, through a window
 * so that walking many small records costs few system calls. It only reads: what the bytes mean
 * is shp_check's and dbf_text's business, and it never hands a file to shapelib. */
#ifndef COR_SHP_READER_H
#define COR_SHP_READER_H

#include <stddef.h>
#include <stdint.h>

#include "corridor.h"

/* An open file and its window. Start it as {.fd = -1} so that closing is always safe. */
typedef struct cor__shp_reader {
    const char *path; /* borrowed; names the file in messages */
    int fd;
    uint64_t size; /* the file's real size, from fstat at opening */
    unsigned char *win;
    uint64_t win_off;
    size_t win_len;
} cor__shp_reader_t;

/* Opens the regular file `path` for reading (the path is borrowed and must outlive r).
 * Returns: COR_OK; COR_ERR_IO when it cannot be opened or is not a regular file; COR_ERR_NOMEM.
 * Release with cor__shp_reader_close() after success and failure alike. */
cor_status_t cor__shp_reader_open(cor__shp_reader_t *r, const char *path, cor_error_t *err);
/* Closes the file and frees the window; accepts a reader that never opened. */
void cor__shp_reader_close(cor__shp_reader_t *r);

/* Copies len bytes at byte `off` into dst. Callers check the range first; this checks it again.
 * Returns: COR_OK; COR_ERR_DATA when the range is past the end; COR_ERR_IO when reading fails or
 * the file has shrunk. */
cor_status_t cor__shp_reader_read(cor__shp_reader_t *r, uint64_t off, void *dst, size_t len,
                                  cor_error_t *err);

#endif
