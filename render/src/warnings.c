/* SPDX-License-Identifier: MIT */
/* warnings: a list of distinct one-line messages. Lists are short (a few per layer), so a
 * repeated line is found by a linear search. Past COR__WARNINGS_MAX lines the rest are only
 * counted, and the last line says how many there were. */
#include "warnings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Takes ownership of `line` (freed unless kept). Returns: false on exhaustion. */
static bool add_owned(cor__warnings_t *w, char *line)
{
    if (!line)
        return false;
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->lines[i], line) == 0) {
            free(line);
            return true;
        }
    }
    if (w->n >= COR__WARNINGS_MAX) {
        free(line);
        w->dropped += w->dropped ? 1 : 2; /* the first time, the last line kept goes too */
        char *last = cor__asprintf("and %zu more warnings", w->dropped);
        if (!last)
            return false;
        free(w->lines[w->n - 1]);
        w->lines[w->n - 1] = last;
        return true;
    }
    if (!cor__grow((void **)&w->lines, &w->cap, w->n + 1, sizeof *w->lines)) {
        free(line);
        return false;
    }
    w->lines[w->n++] = line;
    return true;
}

bool cor__warnings_add(cor__warnings_t *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (line) {
        va_start(ap, fmt);
        vsnprintf(line, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return add_owned(w, line);
}

bool cor__warnings_merge(cor__warnings_t *w, const cor__warnings_t *from)
{
    bool ok = true;
    for (size_t i = 0; i < from->n; i++)
        ok = add_owned(w, cor__strdup(from->lines[i])) && ok;
    return ok;
}

const char *cor__warnings_get(const cor__warnings_t *w, size_t i)
{
    return i < w->n ? w->lines[i] : NULL;
}

void cor__warnings_clear(cor__warnings_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->lines[i]);
    free(w->lines);
    *w = (cor__warnings_t){0};
}
