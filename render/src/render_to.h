/* SPDX-License-Identifier: MIT */
/* render_to: the public calls that deliver a rendered map somewhere other than a file: into
 * memory (any format) and, for the CLI, to several outputs. They open an output (output.c) and
 * ask the pipeline to draw into it through cor__render_output(), which render.c provides. */
#ifndef COR_RENDER_TO_H
#define COR_RENDER_TO_H

#include "corridor.h"
#include "output.h"

/* Draws `map` into an opened output of `format`: the PDF's metadata, the drawing and, for SVG,
 * the text written beside cairo's. Defined in render.c. `out` stays the caller's to commit,
 * take or abort. Returns: COR_OK; the first error met while reading, projecting or drawing. */
cor_status_t cor__render_output(cor_map_t *map, cor__output_t *out, cor_format_t format,
                                cor_error_t *err);

#endif
