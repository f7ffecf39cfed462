/* SPDX-License-Identifier: MIT */
/* render_to: a map rendered into memory in any format, for programs that embed maps in their
 * own documents or send them down a pipe. The bytes are those cor_map_render_file() would
 * write. It opens and finishes the output; the drawing is the pipeline's (render.c). */
#include <stdlib.h>

#include "map_internal.h"
#include "render_to.h"
#include "util.h"

cor_status_t cor_map_render_buffer(cor_map_t *map, cor_format_t format, void **data, size_t *len,
                                   cor_error_t *err)
{
    double w, h, dpi;
    cor__output_t *out = NULL;
    if (!map || !data || !len)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_render_buffer: NULL map or output pointer");
    if (format != COR_FORMAT_PNG && format != COR_FORMAT_SVG && format != COR_FORMAT_PDF)
        return cor__fail(err, COR_ERR_USAGE,
                         "cor_map_render_buffer: a memory buffer needs a format: png, svg or pdf");
    cor__map_page(map, &w, &h, &dpi);
    cor_status_t st = cor__map_check_raster(map, format, err);
    if (st == COR_OK)
        st = cor__output_open_memory(format, w, h, dpi, &out, err);
    if (st == COR_OK)
        st = cor__render_output(map, out, format, err);
    if (st != COR_OK) {
        cor__output_abort(out);
        return st;
    }
    return cor__output_take(out, data, len, err);
}

void cor_buffer_free(void *data)
{
    free(data);
}
