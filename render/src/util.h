/* util: the small pieces every module shares: errors, checked allocation, growable buffers, paths.
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

/* ---- paths and files ---- */

/* Returns: malloc'd "dir/name" (name alone when absolute or dir is NULL/empty). */
char *cor__path_join(const char *dir, const char *name);
/* Returns: malloc'd directory part of `path` ("." when it has none). */
char *cor__path_dirname(const char *path);
/* Returns: malloc'd path of an existing sibling with extension `ext` (tried as given, in lower
 * and in upper case: "x.shp" -> "x.prj" or "x.PRJ"), or NULL when none exists. */
char *cor__path_sibling(const char *path, const char *ext);
bool cor__is_dir(const char *path);
bool cor__is_file(const char *path);

/* Reads a whole file into a NUL-terminated malloc'd buffer of at most `max` bytes.
 * Returns: COR_OK; COR_ERR_IO when it cannot be read, COR_ERR_LIMIT when larger than max. */
cor_status_t cor__read_file(const char *path, size_t max, char **out, size_t *len,
                            cor_error_t *err);

/* Reads the regular file open on `fd` (which this closes) like cor__read_file; `name` is what
 * messages call it. Returns: as cor__read_file. */
cor_status_t cor__read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                          cor_error_t *err);

/* Opens the relative path `rel` for reading inside directory `dir` so that nothing leads out
 * of it: no "..", symbolic link or mount point (openat2 with RESOLVE_BENEATH | RESOLVE_NO_XDEV
 * where the kernel has it, else cor__open_beneath_checked).
 * Returns: a file descriptor the caller closes; -1 with COR_ERR_IO in `err`, whose message
 * names `rel` and says when the path leads outside. */
int cor__open_beneath(const char *dir, const char *rel, cor_error_t *err);
/* The same by comparing real paths and devices (racy where a directory changes meanwhile);
 * what cor__open_beneath falls back to. Returns: as cor__open_beneath. */
int cor__open_beneath_checked(const char *dir, const char *rel, cor_error_t *err);

/* ---- text ---- */

/* Returns: true when s[0..n) is valid UTF-8. */
bool cor__utf8_valid(const char *s, size_t n);

/* Decodes the code point at *p and moves *p past it; a malformed sequence gives what its lead
 * byte and the continuation bytes that follow it hold, and *p stops at the first byte that is
 * not a continuation, so decoding never runs past a NUL. Returns: the code point. */
unsigned cor__utf8_next(const char **p);

/* Folds a UTF-8 string for name matching: lower case, Latin diacritics removed
 * ("Klaipėda" -> "klaipeda", "Šiauliai" -> "siauliai"), other bytes kept.
 * Returns: malloc'd folded string, NULL on exhaustion. */
char *cor__fold(const char *utf8);

#endif
