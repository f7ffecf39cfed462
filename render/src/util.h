/* SPDX-License-Identifier: MIT */
/* util: the small pieces every module shares: errors, checked allocation, strings, growable
 * buffers and an arena.
 * Nothing here knows about maps, shapefiles or cairo. */
#ifndef COR_UTIL_H
#define COR_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "corridor.h"

#define COR__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define COR__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Sets `err` (when not NULL and still COR_OK) to `code` and a formatted message: first error wins.
 * Returns: `code`, so a failing function can `return cor__fail(err, ...)`. */
cor_status_t cor__fail(cor_error_t *err, cor_status_t code, const char *fmt, ...) COR__PRINTF(3, 4);
cor_status_t cor__failv(cor_error_t *err, cor_status_t code, const char *fmt, va_list ap);

/* Prefixes an error already set with "<prefix>: " (e.g. the file a nested call was reading).
 * Does nothing when `err` is NULL or COR_OK. */
void cor__error_prefix(cor_error_t *err, const char *fmt, ...) COR__PRINTF(2, 3);

/* Zeroed array of n elements of `size` bytes; n == 0 gives a valid unique pointer.
 * Returns: NULL when n * size overflows or memory is exhausted. Free with free(). */
void *cor__calloc(size_t n, size_t size);

/* Resizes `p` to n elements of `size` bytes (new bytes are not zeroed).
 * Returns: the new pointer, or NULL on overflow / exhaustion with `p` left intact. */
void *cor__realloc(void *p, size_t n, size_t size);

/* Grows an array so that it holds at least `need` elements, doubling capacity.
 * Returns: false on overflow / exhaustion, leaving *p and *cap untouched. */
bool cor__grow(void **p, size_t *cap, size_t need, size_t size);

/* Grows two parallel arrays (x and y coordinates) together so that both hold at least `need`
 * elements of `size` bytes; *cap is their common capacity.
 * Returns: false on overflow / exhaustion, with *cap unchanged (either array may have grown). */
bool cor__grow2(void **a, void **b, size_t *cap, size_t need, size_t size);

/* Returns: a malloc'd copy of s (NULL for NULL or on exhaustion). */
char *cor__strdup(const char *s);
char *cor__strndup(const char *s, size_t n);
/* Returns: a malloc'd formatted string, NULL on exhaustion. */
char *cor__asprintf(const char *fmt, ...) COR__PRINTF(1, 2);

/* ASCII case-insensitive comparisons. */
int cor__strcasecmp(const char *a, const char *b);
bool cor__ends_with_ci(const char *s, const char *suffix);

/* A growable NUL-terminated byte buffer. Zero-initialise; release with cor__buf_free(). */
typedef struct cor__buf {
    char *data;
    size_t len, cap;
} cor__buf_t;

bool cor__buf_append(cor__buf_t *b, const void *bytes, size_t n);
bool cor__buf_puts(cor__buf_t *b, const char *s);
bool cor__buf_printf(cor__buf_t *b, const char *fmt, ...) COR__PRINTF(2, 3);
void cor__buf_free(cor__buf_t *b);

/* An arena for per-render scratch: many small allocations released at once.
 * Zero-initialise; cor__arena_free() releases all blocks. */
typedef struct cor__arena {
    struct cor__arena_block *head;
} cor__arena_t;

/* Returns: `size` zeroed bytes aligned for any type, or NULL on exhaustion. */
void *cor__arena_alloc(cor__arena_t *a, size_t n, size_t size);
char *cor__arena_strdup(cor__arena_t *a, const char *s);
void cor__arena_free(cor__arena_t *a);

#endif
