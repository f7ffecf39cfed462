/* SPDX-License-Identifier: MIT */
/* datadir: where the shipped styles and geodata live. Tries an explicit directory, the
 * environment, the install prefix relative to the library itself (so any program linked to an
 * installed libcorridor finds share/corridor wherever the prefix is), relative to the running
 * program, the configured install directory and finally the source tree, taking the first that
 * holds styles/default.lua. It reads the file system only. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "util.h"

static bool holds_default_style(const char *dir)
{
    char *probe = cor__path_join(dir, "styles/default.lua");
    bool ok = probe && cor__is_file(probe);
    free(probe);
    return ok;
}

/* Writes "<directory of file>/<rel>" into buf, canonical when it exists. */
static bool beside(const char *file, const char *rel, char *buf, size_t n)
{
    char dir[PATH_MAX], joined[PATH_MAX + 64];
    if (!file || strlen(file) >= sizeof dir)
        return false;
    strcpy(dir, file);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = '\0';
    int w = snprintf(joined, sizeof joined, "%s/%s", dir, rel);
    if (w < 0 || (size_t)w >= sizeof joined)
        return false;
    char *real = realpath(joined, NULL);
    w = snprintf(buf, n, "%s", real ? real : joined);
    free(real);
    return w > 0 && (size_t)w < n;
}

/* The data beside the shared library this code runs from (or the program it is linked into). */
static bool library_relative(char *buf, size_t n)
{
    Dl_info info;
    if (!dladdr((void *)cor_data_dir_find, &info) || !info.dli_fname || info.dli_fname[0] != '/')
        return false;
    return beside(info.dli_fname, CORRIDOR_LIB_TO_DATA, buf, n);
}

/* The data beside the running executable, for relocatable installs. */
static bool exe_relative(char *buf, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    return beside(exe, CORRIDOR_RELATIVE_DATADIR, buf, n);
}

static cor_status_t accept(const char *dir, char *buf, size_t n, cor_error_t *err)
{
    if (strlen(dir) >= n)
        return cor__fail(err, COR_ERR_LIMIT, "data directory path too long: %s", dir);
    memcpy(buf, dir, strlen(dir) + 1);
    return COR_OK;
}

/* The directory an explicit setting names, checked. */
static cor_status_t explicit_dir(const char *what, const char *dir, char *buf, size_t n,
                                 cor_error_t *err)
{
    if (!holds_default_style(dir))
        return cor__fail(err, COR_ERR_NOTFOUND,
                         "%s%s: not a corridor data directory (no styles/default.lua)", what, dir);
    return accept(dir, buf, n, err);
}

cor_status_t cor_data_dir_find(const char *override, char *buf, size_t bufsize, cor_error_t *err)
{
    if (override)
        return explicit_dir("", override, buf, bufsize, err);
    const char *env = getenv("CORRIDOR_DATA_DIR");
    if (env && *env)
        return explicit_dir("CORRIDOR_DATA_DIR=", env, buf, bufsize, err);
    char lib[PATH_MAX] = "", rel[PATH_MAX] = "";
    if (library_relative(lib, sizeof lib) && holds_default_style(lib))
        return accept(lib, buf, bufsize, err);
    if (exe_relative(rel, sizeof rel) && holds_default_style(rel))
        return accept(rel, buf, bufsize, err);
    if (holds_default_style(CORRIDOR_INSTALL_DATADIR))
        return accept(CORRIDOR_INSTALL_DATADIR, buf, bufsize, err);
    if (holds_default_style(CORRIDOR_SOURCE_DIR))
        return accept(CORRIDOR_SOURCE_DIR, buf, bufsize, err);
    return cor__fail(err, COR_ERR_NOTFOUND,
                     "cannot find corridor's data (styles/default.lua) beside the library (%s), "
                     "the program (%s), in %s or %s; use --data-dir or CORRIDOR_DATA_DIR",
                     lib, rel, CORRIDOR_INSTALL_DATADIR, CORRIDOR_SOURCE_DIR);
}
