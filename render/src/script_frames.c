/* SPDX-License-Identifier: MIT */
/* script_frames: the files being run. Each style, include or overlay file collects what it
 * declares in a frame; a finished file's declarations move into its parent's, and the first
 * file's to the caller, only once complete, so a file that fails half-way adds nothing. Also
 * which file and line is calling, for messages and for reading data beside the script. */
#include "script_internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The file and line of the Lua code calling the running C function: the calling chunk's own
 * file when it is one this state ran (a function defined in an included file), else the file
 * running. Returns: a borrowed path, NULL when no file runs. */
const char *cor__script_caller_file(lua_State *L, int *line)
{
    cor__script_t *sc = cor__script_of(L);
    lua_Debug ar;
    if (line)
        *line = 0;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
        if (line && ar.currentline > 0)
            *line = ar.currentline;
        /* only a file this state ran: load(text, "@/etc/x") names any file it likes */
        for (size_t i = 0; ar.source && ar.source[0] == '@' && i < sc->npaths; i++)
            if (strcmp(sc->paths[i], ar.source + 1) == 0)
                return sc->paths[i];
    }
    return sc->nframes > 0 ? sc->frames[sc->nframes - 1].path : NULL;
}

frame_t *cor__script_top_frame(cor__script_t *sc)
{
    return &sc->frames[sc->nframes - 1];
}

/* Releases the function references of layers that will not be kept. */
void cor__script_release_refs(cor__script_t *sc, cor__style_t *s)
{
    for (size_t i = 0; i < s->nlayers; i++)
        for (int id = 0; id < COR__P_COUNT; id++)
            if (s->layers[i].props[id].dynamic)
                luaL_unref(sc->L, LUA_REGISTRYINDEX, s->layers[i].props[id].ref);
}

/* Empties the scratch space of the declaration being read. */
void cor__script_scratch_reset(cor__script_t *sc)
{
    cor__script_release_refs(sc, &sc->scratch);
    cor__style_clear(&sc->scratch);
    cor__overlays_clear(&sc->scratch_ov);
}

/* ---- moving what was declared where it belongs ---- */

/* Moves what a file declared into `dst` (not its path: the caller sets that).
 * Returns: false on exhaustion, with `dst` untouched. */
bool cor__script_merge_style(cor__style_t *dst, cor__style_t *src)
{
    if (!cor__grow((void **)&dst->layers, &dst->cap_layers, dst->nlayers + src->nlayers,
                   sizeof *dst->layers))
        return false;
    if (src->nlayers > 0)
        memcpy(dst->layers + dst->nlayers, src->layers, src->nlayers * sizeof *src->layers);
    dst->nlayers += src->nlayers;
    src->nlayers = 0;
    cor__mapdef_merge(&dst->map, &src->map);
    return true;
}

/* Where an overlay set stood before overlays were appended to it. */
typedef struct ov_mark {
    size_t n, nhidden;
} ov_mark_t;

/* Appends shallow copies of src's overlays, and its hidden groups, to dst. Ownership of the
 * overlays moves only with ov_commit(src); ov_undo(dst) takes them back out.
 * Returns: false on exhaustion, with dst as it was. */
static void ov_undo(cor__overlays_t *dst, const ov_mark_t *m)
{
    dst->n = m->n; /* the copies beyond are still owned by the source */
    for (size_t i = m->nhidden; i < dst->nhidden; i++)
        free(dst->hidden[i]);
    if (dst->nhidden > m->nhidden)
        dst->nhidden = m->nhidden;
}

static bool ov_append(cor__overlays_t *dst, const cor__overlays_t *src, ov_mark_t *m)
{
    m->n = dst->n;
    m->nhidden = dst->nhidden;
    for (size_t i = 0; i < src->n; i++) {
        cor__overlay_t *d = cor__overlays_add(dst, src->items[i].kind);
        if (!d) {
            ov_undo(dst, m);
            return false;
        }
        *d = src->items[i];
    }
    for (size_t i = 0; i < src->nhidden; i++) {
        if (!cor__overlays_hide(dst, src->hidden[i])) {
            ov_undo(dst, m);
            return false;
        }
    }
    return true;
}

/* The overlays ov_append copied now belong to the destination. */
static void ov_commit(cor__overlays_t *src)
{
    src->n = 0;
}

/* Moves a finished file's declarations into its parent. Returns: false on exhaustion, with
 * both as they were. */
bool cor__script_merge_frame(frame_t *parent, frame_t *child)
{
    ov_mark_t m;
    if (!ov_append(&parent->ov, &child->ov, &m))
        return false;
    if (!cor__script_merge_style(&parent->style, &child->style)) {
        ov_undo(&parent->ov, &m);
        return false;
    }
    ov_commit(&child->ov);
    return true;
}

/* Moves the layer built in the scratch space into the running file. */
void cor__script_commit_layer(lua_State *L, cor__script_t *sc)
{
    cor__layer_style_t *d = cor__style_add_layer(&cor__script_top_frame(sc)->style);
    if (!d)
        luaL_error(L, "out of memory");
    *d = sc->scratch.layers[0];
    sc->scratch.nlayers = 0;
}

/* Moves the overlay built in the scratch space into the running file. */
int cor__script_commit_overlay(lua_State *L, cor__script_t *sc)
{
    ov_mark_t m;
    if (!ov_append(&cor__script_top_frame(sc)->ov, &sc->scratch_ov, &m))
        return luaL_error(L, "out of memory");
    ov_commit(&sc->scratch_ov);
    return 0;
}

/* ---- include and overlay: files run inside the running one ---- */

bool cor__script_remember_path(cor__script_t *sc, const char *path)
{
    for (size_t i = 0; i < sc->npaths; i++)
        if (strcmp(sc->paths[i], path) == 0)
            return true;
    if (!cor__grow((void **)&sc->paths, &sc->cap_paths, sc->npaths + 1, sizeof *sc->paths))
        return false;
    if (!(sc->paths[sc->npaths] = cor__strdup(path)))
        return false;
    sc->npaths++;
    return true;
}

/* Starts running `path` (its declarations collect in the new frame); `id` is the file's
 * identity, NULL to look it up by path. Returns: false on exhaustion. */
bool cor__script_push_frame(cor__script_t *sc, const char *path, const char *group, bool overlay,
                            size_t order_base, const struct stat *id)
{
    struct stat st;
    frame_t *fr = &sc->frames[sc->nframes];
    memset(fr, 0, sizeof *fr);
    fr->path = cor__strdup(path);
    fr->group = group ? cor__strdup(group) : NULL;
    if (!fr->path || (group && !fr->group)) {
        free(fr->path);
        free(fr->group);
        return false;
    }
    fr->overlay = overlay;
    fr->order_base = order_base;
    if (!id && stat(path, &st) == 0)
        id = &st;
    if (id && id->st_ino != 0) {
        fr->has_id = true;
        fr->dev = id->st_dev;
        fr->ino = id->st_ino;
    }
    sc->nframes++;
    return true;
}

/* Ends the innermost file, dropping what it declared and did not pass on. */
void cor__script_pop_frame(cor__script_t *sc)
{
    frame_t *fr = &sc->frames[--sc->nframes];
    cor__script_release_refs(sc, &fr->style);
    cor__style_clear(&fr->style);
    cor__overlays_clear(&fr->ov);
    free(fr->path);
    free(fr->group);
    memset(fr, 0, sizeof *fr);
}

/* Moves what frames[0] declared to the caller: overlays to the target, the rest to `style`.
 * Returns: false on exhaustion, with both as they were. */
bool cor__script_deliver(cor__script_t *sc, cor__style_t *style)
{
    frame_t *fr = &sc->frames[0];
    ov_mark_t m;
    if (!sc->target)
        return cor__script_merge_style(style, &fr->style);
    if (!ov_append(sc->target, &fr->ov, &m))
        return false;
    if (!cor__script_merge_style(style, &fr->style)) {
        ov_undo(sc->target, &m);
        return false;
    }
    ov_commit(&fr->ov);
    return true;
}
