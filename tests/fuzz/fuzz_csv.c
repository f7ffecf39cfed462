/* SPDX-License-Identifier: MIT */
/* libFuzzer target for csv: the input is parsed as an RFC 4180 table, and every delivered record
 * must keep what cor__csv_parse promises (at least one field, each valid UTF-8 with no NUL, line
 * numbers from 1 that never go back); a failure must name the data and a line. The callback
 * writes into the fields, as it may. Built with -DCORRIDOR_FUZZ=ON (see tests/fuzz/README.md);
 * replayed by the normal build's ctest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    long line;
    size_t records, bytes;
} seen_t;

static cor_status_t on_row(char **fields, size_t nfields, long line, void *ud, cor_error_t *err)
{
    seen_t *s = ud;
    (void)err;
    if (nfields == 0 || nfields > COR__CSV_MAX_FIELDS || line < 1 || line < s->line)
        abort();
    for (size_t i = 0; i < nfields; i++) {
        size_t n = strlen(fields[i]);
        if (n > COR__CSV_MAX_FIELD || !cor__utf8_valid(fields[i], n))
            abort();
        s->bytes += n;
        if (n > 0)
            fields[i][0] = 'x';
    }
    s->line = line;
    s->records++;
    return COR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen_t s = {0};
    cor_error_t err = {0};
    cor_status_t st = cor__csv_parse((const char *)data, size, "fuzz", on_row, &s, &err);
    if (st != err.code || (st != COR_OK && strncmp(err.message, "fuzz:", 5) != 0))
        abort();
    if (s.bytes > size)
        abort();
    return 0;
}
