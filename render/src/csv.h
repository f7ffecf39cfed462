/* SPDX-License-Identifier: MIT */
/* csv: RFC 4180 text tables (quoted fields, doubled quotes, CRLF or LF, an optional UTF-8 BOM).
 * Used by the gazetteer's own table and by scripts reading users' spreadsheets. It only splits
 * text into fields; what the fields mean is the caller's business. */
#ifndef COR_CSV_H
#define COR_CSV_H

#include <stddef.h>

#include "corridor.h"

#define COR__CSV_MAX_FIELDS 1000          /* fields in one record */
#define COR__CSV_MAX_FIELD  (1024 * 1024) /* bytes in one field, after unquoting */

/* Called once per record with its fields (NUL-terminated, valid during the call; the callback
 * may modify them in place) and its line number (from 1; the first line of a record that spans
 * lines). A non-OK return stops. */
typedef cor_status_t (*cor__csv_row_fn)(char **fields, size_t nfields, long line, void *ud,
                                        cor_error_t *err);

/* Parses `text` of `len` bytes (no NUL terminator needed; nothing past `len` is read). `name`
 * names the data in messages. Records end at LF, CRLF or a lone CR, and at the end of the text;
 * empty lines are skipped; a line ending in a comma has a trailing empty field. Line breaks
 * inside quotes are kept as written.
 * Returns: COR_OK; COR_ERR_DATA "<name>:<line>: <what>" for an unterminated quote (the line it
 * opens on), a quote inside an unquoted field, text after a closing quote, text that is not
 * UTF-8 or holds a NUL byte; COR_ERR_LIMIT beyond COR__CSV_MAX_FIELDS fields in a record or
 * COR__CSV_MAX_FIELD bytes in a field; or what fn returned (with "<name>:<line>: record
 * rejected" when fn failed without setting err). */
cor_status_t cor__csv_parse(const char *text, size_t len, const char *name, cor__csv_row_fn fn,
                            void *ud, cor_error_t *err);

#endif
