/* SPDX-License-Identifier: MIT */
/* shp_reader: bounded reads of one file through a window (see shp_reader.h). pread keeps the
 * offset explicit, so a reader never depends on where an earlier read stopped. Nothing here
 * knows the shapefile formats. */
#include "shp_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define WINDOW 4096 /* bytes read at once while walking record headers */

cor_status_t cor__shp_reader_open(cor__shp_reader_t *r, const char *path, cor_error_t *err)
{
    struct stat st;
    *r = (cor__shp_reader_t){.path = path, .fd = open(path, O_RDONLY | O_CLOEXEC)};
    if (r->fd < 0)
        return cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode))
        return cor__fail(err, COR_ERR_IO, "%s: not a regular file", path);
    r->size = (uint64_t)st.st_size;
    r->win = malloc(WINDOW);
    return r->win ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", path);
}

void cor__shp_reader_close(cor__shp_reader_t *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->win);
    r->fd = -1;
    r->win = NULL;
}

static cor_status_t read_fully(cor__shp_reader_t *r, uint64_t off, void *dst, size_t len,
                               cor_error_t *err)
{
    unsigned char *p = dst;
    while (len > 0) {
        ssize_t got = pread(r->fd, p, len, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return cor__fail(err, COR_ERR_IO, "%s: cannot read at byte %" PRIu64 ": %s", r->path,
                             off, got < 0 ? strerror(errno) : "the file has shrunk");
        p += got;
        off += (uint64_t)got;
        len -= (size_t)got;
    }
    return COR_OK;
}

cor_status_t cor__shp_reader_read(cor__shp_reader_t *r, uint64_t off, void *dst, size_t len,
                                  cor_error_t *err)
{
    if (off > r->size || len > r->size - off)
        return cor__fail(err, COR_ERR_DATA, "%s: %zu bytes at byte %" PRIu64 " are past its end",
                         r->path, len, off);
    if (len > WINDOW)
        return read_fully(r, off, dst, len, err);
    if (off < r->win_off || off + len > r->win_off + r->win_len) {
        size_t n = r->size - off < WINDOW ? (size_t)(r->size - off) : WINDOW;
        r->win_len = 0;
        cor_status_t st = read_fully(r, off, r->win, n, err);
        if (st != COR_OK)
            return st;
        r->win_off = off;
        r->win_len = n;
    }
    memcpy(dst, r->win + (off - r->win_off), len);
    return COR_OK;
}
