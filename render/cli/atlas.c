/* SPDX-License-Identifier: MIT */
/* atlas: corridor render --atlas: one map per feature of a layer, on -j threads, each with
 * its own map, or --atlas-list's one command per feature. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "corridor.h"

/* ---- the atlas: one map per feature ---- */

#define ATLAS_MARGIN 0.1 /* of the feature's size, on every side */

typedef struct atlas {
    render_opts_t *o;
    char layer[512];
    const char *field; /* names the files: {FIELD} */
    cor_feature_list_t *list;
    atomic_size_t next, done;
    atomic_int rc;
    pthread_mutex_t lock; /* stderr: progress and errors */
    bool progress;
} atlas_t;

/* Writes `tmpl` into out with {name} (and {FIELD}) and {index} filled; '/' in a name becomes
 * '-' so a name never makes a directory. */
static void fill_output(const char *tmpl, const atlas_t *a, const cor_feature_info_t *f, char *out,
                        size_t n)
{
    size_t len = 0, lf = strlen(a->field);
    for (const char *p = tmpl; *p && len + 1 < n;) {
        const char *v = NULL;
        char idx[32];
        if (strncmp(p, "{name}", 6) == 0 ||
            (p[0] == '{' && strncmp(p + 1, a->field, lf) == 0 && p[1 + lf] == '}')) {
            v = f->name, p += p[1 + lf] == '}' && strncmp(p + 1, a->field, lf) == 0 ? lf + 2 : 6;
        } else if (strncmp(p, "{index}", 7) == 0) {
            snprintf(idx, sizeof idx, "%ld", f->index);
            v = idx, p += 7;
        }
        if (!v) {
            out[len++] = *p++;
            continue;
        }
        for (; *v && len + 1 < n; v++)
            out[len++] = *v == '/' ? '-' : *v;
    }
    out[len] = '\0';
}

static void atlas_progress(atlas_t *a, const cor_feature_info_t *f)
{
    size_t done = atomic_fetch_add(&a->done, 1) + 1;
    if (!a->progress)
        return;
    pthread_mutex_lock(&a->lock);
    fprintf(stderr, "\r[%zu/%zu] %s\033[K%s", done, a->list->n, f->name,
            done == a->list->n ? "\n" : "");
    fflush(stderr);
    pthread_mutex_unlock(&a->lock);
}

/* Creates the directories of `path` that are missing (an atlas's 'out/{name}.pdf').
 * Failures are left for the render to report, naming the file. */
static void make_parents(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

/* Renders one feature to every output. Returns: 0 or the exit code. */
static int atlas_page(atlas_t *a, cor_map_t *map, const cor_feature_info_t *f)
{
    cor_error_t err = {0};
    char path[4096];
    cor_status_t st = cor_map_set_atlas_feature(map, a->layer, f->index, ATLAS_MARGIN, &err);
    for (int i = 0; st == COR_OK && i < a->o->noutputs; i++) {
        cor_format_t fmt = a->o->format ? cor_format_parse(a->o->format) : COR_FORMAT_AUTO;
        fill_output(a->o->outputs[i], a, f, path, sizeof path);
        make_parents(path);
        st = cor_map_render_file(map, path, fmt, &err);
    }
    pthread_mutex_lock(&a->lock);
    print_warnings(map, f->name);
    int rc = st == COR_OK ? 0 : fail(st, err.message);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* A worker: one map (style and data loaded once), then features until none is left. */
static void *atlas_worker(void *ud)
{
    atlas_t *a = ud;
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    render_opts_t o = *a->o; /* build_map writes the data directory into its copy */
    int rc =
        cor_map_new(&map, &err) == COR_OK ? build_map(map, &o, &err) : fail(err.code, err.message);
    while (rc == 0 && atomic_load(&a->rc) == 0) {
        size_t i = atomic_fetch_add(&a->next, 1);
        if (i >= a->list->n)
            break;
        rc = atlas_page(a, map, &a->list->items[i]);
        if (rc == 0)
            atlas_progress(a, &a->list->items[i]);
    }
    int zero = 0;
    if (rc)
        atomic_compare_exchange_strong(&a->rc, &zero, rc);
    cor_map_free(map);
    return NULL;
}

/* Prints `s` quoted for a POSIX shell when it needs to be. */
static void print_quoted(const char *s)
{
    if (*s &&
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=,@%+-") ==
            strlen(s)) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (; *s; s++)
        fputs(*s == '\'' ? "'\\''" : (char[]){*s, 0}, stdout);
    putchar('\'');
}

/* --atlas-list: the run's own command once per feature, for that feature alone. */
static void atlas_list(const atlas_t *a)
{
    const render_opts_t *o = a->o;
    for (size_t k = 0; k < a->list->n; k++) {
        print_quoted(progpath);
        fputs(" render", stdout);
        for (int i = 1; i < o->argc; i++) {
            const char *arg = o->argv[i];
            if (strcmp(arg, "--atlas-list") == 0 || strncmp(arg, "--jobs=", 7) == 0 ||
                strncmp(arg, "--atlas-feature=", 16) == 0 || (strncmp(arg, "-j", 2) == 0 && arg[2]))
                continue;
            if (strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0 ||
                strcmp(arg, "--atlas-feature") == 0) {
                i++;
                continue;
            }
            putchar(' ');
            print_quoted(arg);
        }
        printf(" --atlas-feature %ld\n", a->list->items[k].index);
    }
}

/* Lists the atlas's features with a map holding the style (for its data directory). */
static int atlas_features(atlas_t *a, cor_error_t *err)
{
    char *colon = strchr(a->layer, ':');
    char wfield[256] = "";
    const char *wvalue = NULL;
    a->field = "name";
    if (colon) {
        *colon = '\0';
        a->field = colon + 1;
    }
    if (a->o->where) {
        const char *eq = strchr(a->o->where, '=');
        if (!eq || eq == a->o->where || (size_t)(eq - a->o->where) >= sizeof wfield)
            return misuse("--where: expected FIELD=VALUE, e.g. iso_a2=BY", "render ");
        memcpy(wfield, a->o->where, (size_t)(eq - a->o->where));
        wvalue = eq + 1;
    }
    cor_map_t *map = NULL;
    render_opts_t o = *a->o;
    int rc =
        cor_map_new(&map, err) == COR_OK ? build_map(map, &o, err) : fail(err->code, err->message);
    cor_status_t st = COR_OK;
    if (rc == 0)
        st = cor_map_list_features(map, a->layer, a->field, wvalue ? wfield : NULL, wvalue,
                                   &a->list, err);
    cor_map_free(map);
    if (rc || st != COR_OK)
        return rc ? rc : fail(st, err->message);
    size_t kept = 0;
    for (size_t i = 0; i < a->list->n; i++)
        if (a->o->atlas_feature < 0 || a->list->items[i].index == a->o->atlas_feature)
            a->list->items[kept++] = a->list->items[i];
        else
            free(a->list->items[i].name);
    a->list->n = kept;
    if (kept == 0)
        return fail(COR_ERR_NOTFOUND, "--atlas: no feature of the layer matches");
    return 0;
}

int run_atlas(render_opts_t *o)
{
    cor_error_t err = {0};
    atlas_t a = {.o = o, .progress = isatty(2) && !o->atlas_list};
    snprintf(a.layer, sizeof a.layer, "%s", o->atlas);
    int rc = atlas_features(&a, &err);
    bool named = strchr(o->outputs[0], '{') != NULL;
    if (rc == 0 && o->atlas_list)
        atlas_list(&a);
    else if (rc == 0 && a.list->n > 1 && !named)
        rc = misuse("--atlas draws several maps: name each file with {name} or {index} in -o, "
                    "e.g. -o 'out/{name}.pdf'",
                    "render ");
    else if (rc == 0) {
        pthread_t threads[MAX_JOBS];
        int n = o->jobs < 1 ? 1 : o->jobs, started = 0;
        if ((size_t)n > a.list->n)
            n = (int)a.list->n;
        pthread_mutex_init(&a.lock, NULL);
        for (int i = 0; i < n; i++)
            started += pthread_create(&threads[started], NULL, atlas_worker, &a) == 0;
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        pthread_mutex_destroy(&a.lock);
        rc = started ? atomic_load(&a.rc) : fail(COR_ERR_INTERNAL, "cannot start a thread");
    }
    cor_feature_list_free(a.list);
    return rc;
}
