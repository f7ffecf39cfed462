/* SPDX-License-Identifier: MIT */
/* files: paths and reading files whole. Joining and splitting paths, finding a shapefile's
 * sibling files in any case, reading a file under a size limit, and opening a path a script
 * names so that nothing leads out of the script's directory. No parsing here. */
#define _GNU_SOURCE /* O_PATH */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "util.h"

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

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
