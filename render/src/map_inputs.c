/* SPDX-License-Identifier: MIT */
/* map_inputs: the files a map reads (its style, overlay files, quick-look layers, and every
 * shapefile it opened with its .shx, .dbf, .prj and .cpg), so that a render never writes its
 * output over one of them. Files are compared by device and inode, so another spelling of the
 * path, a symbolic link or a hard link is caught too. Nothing here reads or writes a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "map_internal.h"
#include "util.h"

cor_status_t cor__map_note_input(cor_map_t *map, const char *path, cor_error_t *err)
{
    char *copy = cor__strdup(path);
    if (!copy || !cor__grow((void **)&map->inputs, &map->cap_inputs, map->ninputs + 1,
                            sizeof *map->inputs)) {
        free(copy);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    map->inputs[map->ninputs++] = copy;
    return COR_OK;
}

void cor__map_inputs_free(cor_map_t *map)
{
    for (size_t i = 0; i < map->ninputs; i++)
        free(map->inputs[i]);
    free(map->inputs);
    map->inputs = NULL;
    map->ninputs = map->cap_inputs = 0;
}

static bool same_file(const struct stat *out, const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino;
}

/* The shapefile at `shp`, or one of its siblings, when it is the file `out`. Returns: the
 * matching path (malloc'd), NULL when none is. */
static char *shapefile_part(const struct stat *out, const char *shp)
{
    static const char *const exts[] = {"shx", "dbf", "prj", "cpg"};
    if (same_file(out, shp))
        return cor__strdup(shp);
    for (size_t k = 0; k < COR__ARRAY_LEN(exts); k++) {
        char *p = cor__path_sibling(shp, exts[k]);
        if (same_file(out, p))
            return p;
        free(p);
    }
    return NULL;
}

cor_status_t cor__map_refuse_input(const cor_map_t *map, const char *path, cor_error_t *err)
{
    struct stat out;
    if (!path || stat(path, &out) != 0)
        return COR_OK; /* a new file is nobody's input */
    const char *hit = NULL;
    char *part = NULL;
    for (size_t i = 0; !hit && i < map->ninputs; i++)
        if (same_file(&out, map->inputs[i]) || (cor__ends_with_ci(map->inputs[i], ".shp") &&
                                                (part = shapefile_part(&out, map->inputs[i]))))
            hit = part ? part : map->inputs[i];
    for (size_t i = 0; !hit && i < map->nsources; i++)
        if ((part = shapefile_part(&out, map->sources[i].path)))
            hit = part;
    for (size_t i = 0; !hit && i < map->njson; i++)
        if (same_file(&out, map->json[i].path))
            hit = map->json[i].path;
    cor_status_t st = COR_OK;
    if (hit && strcmp(hit, path) == 0)
        st = cor__fail(err, COR_ERR_USAGE,
                       "%s: the map reads this file: refusing to write the map over it; choose "
                       "another output name",
                       path);
    else if (hit)
        st = cor__fail(err, COR_ERR_USAGE,
                       "%s: the same file as %s, which the map reads: refusing to write the map "
                       "over it; choose another output name",
                       path, hit);
    free(part);
    return st;
}
