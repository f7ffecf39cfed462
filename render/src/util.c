/* SPDX-License-Identifier: MIT */
/* util: errors that stick, allocation that cannot overflow, strings, buffers and an arena.
 * Every other module builds on these; this file must stay free of map, data and drawing logic. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cor_error_clear(cor_error_t *err)
{
    if (err) {
        err->code = COR_OK;
        err->message[0] = '\0';
    }
}

const char *cor_status_name(cor_status_t status)
{
    switch (status) {
    case COR_OK:
        return "ok";
    case COR_ERR_INTERNAL:
        return "internal error";
    case COR_ERR_USAGE:
        return "usage error";
    case COR_ERR_IO:
        return "I/O error";
    case COR_ERR_DATA:
        return "data error";
    case COR_ERR_STYLE:
        return "style error";
    case COR_ERR_CRS:
        return "CRS error";
    case COR_ERR_LIMIT:
        return "limit exceeded";
    case COR_ERR_NOMEM:
        return "out of memory";
    case COR_ERR_NOTFOUND:
        return "not found";
    case COR_ERR_RENDER:
        return "render error";
    }
    return "unknown error";
}

const char *cor_version(void)
{
    return COR_VERSION;
}

cor_status_t cor__failv(cor_error_t *err, cor_status_t code, const char *fmt, va_list ap)
{
    if (err && err->code == COR_OK) {
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    }
    return code;
}

cor_status_t cor__fail(cor_error_t *err, cor_status_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor__failv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void cor__error_prefix(cor_error_t *err, const char *fmt, ...)
{
    char prefix[COR_ERROR_MAX], joined[2 * COR_ERROR_MAX + 2];
    va_list ap;
    if (!err || err->code == COR_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->message);
    size_t n = strnlen(joined, sizeof err->message - 1);
    memcpy(err->message, joined, n);
    err->message[n] = '\0';
}

void *cor__calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return calloc(1, 1);
    if (n > SIZE_MAX / size)
        return NULL;
    return calloc(n, size);
}

void *cor__realloc(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return realloc(p, bytes ? bytes : 1);
}

bool cor__grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return false;
        ncap *= 2;
    }
    void *np = cor__realloc(*p, ncap, size);
    if (!np)
        return false;
    *p = np;
    *cap = ncap;
    return true;
}

bool cor__grow2(void **a, void **b, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ca = *cap, cb = *cap;
    if (!cor__grow(a, &ca, need, size) || !cor__grow(b, &cb, need, size))
        return false; /* a may have grown: harmless, its capacity is only recorded with b's */
    *cap = ca < cb ? ca : cb;
    return true;
}

char *cor__strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *cor__strdup(const char *s)
{
    return s ? cor__strndup(s, strlen(s)) : NULL;
}

char *cor__asprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int cor__strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = ascii_lower((unsigned char)*a), cb = ascii_lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

bool cor__ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && cor__strcasecmp(s + ls - lx, suffix) == 0;
}

/* ---- buffers ---- */

bool cor__buf_append(cor__buf_t *b, const void *bytes, size_t n)
{
    if (n > SIZE_MAX - b->len - 1)
        return false;
    if (!cor__grow((void **)&b->data, &b->cap, b->len + n + 1, 1))
        return false;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool cor__buf_puts(cor__buf_t *b, const char *s)
{
    return cor__buf_append(b, s, strlen(s));
}

bool cor__buf_printf(cor__buf_t *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    bool ok = n >= 0 && cor__grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    if (ok) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return ok;
}

void cor__buf_free(cor__buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- arena ---- */

struct cor__arena_block {
    struct cor__arena_block *next;
    size_t used, size;
    max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void *cor__arena_alloc(cor__arena_t *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size, align = sizeof(max_align_t);
    bytes = (bytes + align - 1) / align * align;
    if (bytes == 0)
        bytes = align;
    struct cor__arena_block *b = a->head;
    if (!b || b->size - b->used < bytes) {
        size_t bsize = bytes > ARENA_BLOCK ? bytes : ARENA_BLOCK;
        if (bsize > SIZE_MAX - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + bsize);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = bsize;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += bytes;
    memset(p, 0, bytes);
    return p;
}

char *cor__arena_strdup(cor__arena_t *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = cor__arena_alloc(a, n, 1);
    if (d)
        memcpy(d, s, n);
    return d;
}

void cor__arena_free(cor__arena_t *a)
{
    struct cor__arena_block *b = a->head;
    while (b) {
        struct cor__arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
