/* SPDX-License-Identifier: MIT */
/* warnings: a list of distinct one-line messages (see warnings.h). */
#include "warnings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cor__warn(cor__warnings_t *w, const char *fmt, ...)
{
    char text[COR_ERROR_MAX];
    va_list ap;
    if (!w)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->items[i], text) == 0)
            return;
    if (w->n >= COR__WARNINGS_MAX)
        return;
    if (w->n == COR__WARNINGS_MAX - 1)
        snprintf(text, sizeof text, "more warnings were left out (only the first %d are kept)",
                 COR__WARNINGS_MAX - 1);
    char *copy = cor__strdup(text);
    if (!copy || !cor__grow((void **)&w->items, &w->cap, w->n + 1, sizeof *w->items)) {
        free(copy);
        return;
    }
    w->items[w->n++] = copy;
}

void cor__warnings_clear(cor__warnings_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->items[i]);
    free(w->items);
    *w = (cor__warnings_t){0};
}
