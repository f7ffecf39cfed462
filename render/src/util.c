/* util: errors that stick, allocation that cannot overflow, buffers, an arena, paths and UTF-8.
 * Every other module builds on these; this file must stay free of map, data and drawing logic. */
#define _GNU_SOURCE /* O_PATH */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

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

/* ---- paths ---- */

char *cor__path_join(const char *dir, const char *name)
{
    if (!dir || !*dir || name[0] == '/')
        return cor__strdup(name);
    size_t ld = strlen(dir);
    return cor__asprintf("%s%s%s", dir, dir[ld - 1] == '/' ? "" : "/", name);
}

char *cor__path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cor__strdup(".");
    if (slash == path)
        return cor__strdup("/");
    return cor__strndup(path, (size_t)(slash - path));
}

bool cor__is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cor__is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *cor__path_sibling(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - path) : strlen(path);
    size_t lext = strlen(ext);
    char *cand = malloc(stem + lext + 2);
    if (!cand)
        return NULL;
    memcpy(cand, path, stem);
    cand[stem] = '.';
    for (int variant = 0; variant < 3; variant++) {
        for (size_t i = 0; i <= lext; i++) {
            int c = (unsigned char)ext[i];
            if (variant == 1)
                c = ascii_lower(c);
            else if (variant == 2 && c >= 'a' && c <= 'z')
                c -= 'a' - 'A';
            cand[stem + 1 + i] = (char)c;
        }
        if (cor__is_file(cand))
            return cand;
    }
    free(cand);
    return NULL;
}

/* Reads the regular file open on `fd` (closed here) into a NUL-terminated buffer; `name` is
 * what messages call it. */
static cor_status_t read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                            cor_error_t *err)
{
    struct stat st;
    char *data = NULL;
    size_t got = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cor__fail(err, COR_ERR_IO, "%s: not a regular file", name);
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return cor__fail(err, COR_ERR_LIMIT, "%s: %lld bytes, more than the %zu accepted", name,
                         (long long)st.st_size, max);
    }
    size_t size = (size_t)st.st_size;
    if (!(data = malloc(size + 1))) {
        close(fd);
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", name);
    }
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != size) {
        free(data);
        return cor__fail(err, COR_ERR_IO, "%s: read failed", name);
    }
    data[size] = '\0';
    *out = data;
    if (len)
        *len = size;
    return COR_OK;
}

cor_status_t cor__read_file(const char *path, size_t max, char **out, size_t *len, cor_error_t *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    return read_fd(fd, path, max, out, len, err);
}

cor_status_t cor__read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                          cor_error_t *err)
{
    if (fd < 0)
        return cor__fail(err, COR_ERR_INTERNAL, "%s: no file to read", name);
    return read_fd(fd, name, max, out, len, err);
}

static cor_status_t outside(cor_error_t *err, const char *rel)
{
    return cor__fail(err, COR_ERR_IO,
                     "%s: the path leads outside the script's directory (through a symbolic "
                     "link, '..' or a mount point); copy the file beside the script",
                     rel);
}

int cor__open_beneath_checked(const char *dir, const char *rel, cor_error_t *err)
{
    char *full = NULL, *real_dir = NULL, *real = NULL;
    struct stat dst, fst;
    int fd = -1;
    if (rel[0] == '/') {
        outside(err, rel);
        return -1;
    }
    if (!(full = cor__path_join(dir, rel))) {
        cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", rel);
        return -1;
    }
    real_dir = realpath(dir, NULL);
    real = realpath(full, NULL);
    free(full);
    if (!real_dir || !real) {
        cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", rel, strerror(errno));
        goto done;
    }
    size_t ld = strlen(real_dir);
    bool inside =
        strncmp(real, real_dir, ld) == 0 && (real[ld] == '/' || (ld == 1 && real_dir[0] == '/'));
    if (!inside || stat(real_dir, &dst) != 0) {
        outside(err, rel);
        goto done;
    }
    fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", rel, strerror(errno));
        goto done;
    }
    if (fstat(fd, &fst) != 0 || fst.st_dev != dst.st_dev) {
        close(fd);
        fd = -1;
        outside(err, rel);
    }
done:
    free(real_dir);
    free(real);
    return fd;
}

int cor__open_beneath(const char *dir, const char *rel, cor_error_t *err)
{
#ifdef SYS_openat2
    int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", dir, strerror(errno));
        return -1;
    }
    struct open_how how = {
        .flags = O_RDONLY | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    long fd = syscall(SYS_openat2, dfd, rel, &how, sizeof how);
    int saved = errno;
    close(dfd);
    if (fd >= 0)
        return (int)fd;
    if (saved == EXDEV || saved == ELOOP) {
        outside(err, rel);
        return -1;
    }
    if (saved != ENOSYS && saved != EPERM && saved != EINVAL && saved != E2BIG) {
        cor__fail(err, COR_ERR_IO, "%s: cannot open: %s", rel, strerror(saved));
        return -1;
    }
#endif
    return cor__open_beneath_checked(dir, rel, err); /* no openat2 here: compare real paths */
}

/* ---- UTF-8 ---- */

bool cor__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        size_t k;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= k)
            return false;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        p += k + 1;
    }
    return true;
}

/* Decodes one UTF-8 code point at *p (which must be valid), advancing *p. */
unsigned cor__utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0];
    size_t k = c < 0xC0 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3, i = 1;
    if (k)
        c &= 0x3Fu >> k;
    for (; i <= k && (s[i] & 0xC0) == 0x80; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = (const char *)s + i;
    return c;
}

/* The base letter of a Latin letter with diacritics (Latin-1 Supplement and Latin Extended-A),
 * or 0 when the code point has none. */
static char latin_base(unsigned c)
{
    static const char sup[] = /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiii"
        "dnooooo*ouuuuyts"
        "aaaaaaaceeeeiiii"
        "dnooooo/ouuuuyty";
    static const char ext[] = /* U+0100 .. U+017F */
        "aaaaaaccccccccdd"
        "ddeeeeeeeeeegggg"
        "gggghhhhiiiiiiii"
        "iijjjjkkklllllll"
        "lllnnnnnnnnnoooo"
        "oooorrrrrrssssss"
        "ssttttttuuuuuuuu"
        "uuuuwwyyyzzzzzzs";
    if (c >= 0xC0 && c <= 0xFF) {
        char b = sup[c - 0xC0];
        return (b == '*' || b == '/') ? 0 : b;
    }
    if (c >= 0x100 && c <= 0x17F)
        return ext[c - 0x100];
    return 0;
}

char *cor__fold(const char *utf8)
{
    cor__buf_t b = {0};
    const unsigned char *p = (const unsigned char *)utf8;
    if (!cor__utf8_valid(utf8, strlen(utf8))) {
        for (; *p; p++) {
            char c = (char)ascii_lower(*p);
            if (!cor__buf_append(&b, &c, 1))
                goto fail;
        }
        return b.data ? b.data : cor__strdup("");
    }
    while (*p) {
        const char *start = (const char *)p, *next = start;
        unsigned c = cor__utf8_next(&next);
        p = (const unsigned char *)next;
        char base = c < 0x80 ? (char)ascii_lower((int)c) : latin_base(c);
        if (c == 0xDF) { /* sharp s */
            if (!cor__buf_puts(&b, "ss"))
                goto fail;
        } else if (base) {
            if (!cor__buf_append(&b, &base, 1))
                goto fail;
        } else if (!cor__buf_append(&b, start, (size_t)(next - start))) {
            goto fail;
        }
    }
    return b.data ? b.data : cor__strdup("");
fail:
    cor__buf_free(&b);
    return NULL;
}
