/* datadir: where the shipped styles and geodata live. Tries an explicit directory, the
 * environment, the install prefix relative to the running program, the configured install
 * directory and finally the source tree, taking the first that holds styles/default.lua. */
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

/* The directory of the running executable, for relocatable installs. */
static bool exe_relative(char *buf, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    int w = snprintf(buf, n, "%s/%s", exe, CORRIDOR_RELATIVE_DATADIR);
    return w > 0 && (size_t)w < n;
}

static cor_status_t accept(const char *dir, char *buf, size_t n, cor_error_t *err)
{
    if (strlen(dir) >= n)
        return cor__fail(err, COR_ERR_LIMIT, "data directory path too long: %s", dir);
    memcpy(buf, dir, strlen(dir) + 1);
    return COR_OK;
}

cor_status_t cor_data_dir_find(const char *override, char *buf, size_t bufsize, cor_error_t *err)
{
    if (override) {
        if (!holds_default_style(override))
            return cor__fail(err, COR_ERR_NOTFOUND,
                             "%s: not a corridor data directory (no styles/default.lua)", override);
        return accept(override, buf, bufsize, err);
    }
    const char *env = getenv("CORRIDOR_DATA_DIR");
    if (env && *env) {
        if (!holds_default_style(env))
            return cor__fail(err, COR_ERR_NOTFOUND,
                             "CORRIDOR_DATA_DIR=%s: not a corridor data directory "
                             "(no styles/default.lua)",
                             env);
        return accept(env, buf, bufsize, err);
    }
    char rel[PATH_MAX];
    if (exe_relative(rel, sizeof rel) && holds_default_style(rel))
        return accept(rel, buf, bufsize, err);
    if (holds_default_style(CORRIDOR_INSTALL_DATADIR))
        return accept(CORRIDOR_INSTALL_DATADIR, buf, bufsize, err);
    if (holds_default_style(CORRIDOR_SOURCE_DIR))
        return accept(CORRIDOR_SOURCE_DIR, buf, bufsize, err);
    return cor__fail(err, COR_ERR_NOTFOUND,
                     "cannot find corridor's data (styles/default.lua) in %s, %s or %s; "
                     "use --data-dir or CORRIDOR_DATA_DIR",
                     rel, CORRIDOR_INSTALL_DATADIR, CORRIDOR_SOURCE_DIR);
}
