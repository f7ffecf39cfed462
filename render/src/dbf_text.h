/* SPDX-License-Identifier: MIT */
/* dbf_text: the text encoding of a shapefile's attributes, and text converted from it to UTF-8.
 * The encoding is the .cpg's when it is understood, else the .dbf language driver's, else a guess
 * from the first records (UTF-8 when their text is valid UTF-8, else ISO-8859-1). It reads the
 * .cpg and samples the .dbf; it never parses field values nor touches shapelib. */
#ifndef COR_DBF_TEXT_H
#define COR_DBF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "shp_check.h"
#include "shp_reader.h"
#include "util.h"

typedef struct cor__dbf_text cor__dbf_text_t;

/* Settles the encoding of the attributes of the shapefile `shp` (whose .cpg sibling is read when
 * there is one); `dbf` and `layout` are its checked .dbf, both NULL when it has none.
 * Returns: COR_OK and a converter to release with cor__dbf_text_free(); COR_ERR_IO or
 * COR_ERR_DATA naming an unreadable or oversized .cpg or .dbf; COR_ERR_INTERNAL naming `shp`
 * when iconv lacks UTF-8 or ISO-8859-1; COR_ERR_NOMEM. */
cor_status_t cor__dbf_text_new(const char *shp, cor__shp_reader_t *dbf,
                               const cor__dbf_layout_t *layout, cor__dbf_text_t **out,
                               cor_error_t *err);
/* Releases the converter. Accepts NULL. */
void cor__dbf_text_free(cor__dbf_text_t *t);

/* The encoding's iconv name ("UTF-8", "ISO-8859-1", "CP1257", ...). Returns: borrowed. */
const char *cor__dbf_text_encoding(const cor__dbf_text_t *t);
/* Where the encoding came from: ".cpg", "DBF language driver" or "assumed". Returns: static. */
const char *cor__dbf_text_source(const cor__dbf_text_t *t);

/* Appends in[0..n) converted to UTF-8, then a NUL, to b: always valid UTF-8 without NUL, as
 * bytes that do not decode, and whatever iconv passes that is not UTF-8 (code points above
 * U+10FFFF, surrogates, NUL), become U+FFFD, each counted in *replaced (which may be NULL).
 * An assumed UTF-8 reads a value that is not valid UTF-8 as ISO-8859-1, replacing nothing.
 * Returns: false on exhaustion. */
bool cor__dbf_text_append(const cor__dbf_text_t *t, cor__buf_t *b, const char *in, size_t n,
                          size_t *replaced);

#endif
