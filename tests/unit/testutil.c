/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Check suites. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shapefil.h>
#include <stdint.h>

#include "files.h"
#include "util.h"

char *cor_test_src(const char *rel)
{
    const char *root = getenv("COR_TEST_SRC");
    return cor__path_join(root ? root : ".", rel);
}

static void remove_tree(const char *dir)
{
    char *cmd = cor__asprintf("rm -rf '%s'", dir);
    if (cmd && system(cmd) != 0)
        fprintf(stderr, "warning: could not clean %s\n", dir);
    free(cmd);
}

char *cor_test_tmpdir(const char *name)
{
    const char *root = getenv("COR_TEST_BUILD");
    char *dir = cor__asprintf("%s/tmp-%s-%ld", root ? root : "/tmp", name, (long)getpid());
    ck_assert_ptr_nonnull(dir);
    remove_tree(dir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    return dir;
}

void cor_test_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* Where checks that could not run say why: a file, since Check runs each test in a child. */
static char skip_log[4096];

bool cor_test_need_tool(const char *tool, const char *what)
{
    char *probe = cor__asprintf("command -v %s >/dev/null 2>&1", tool);
    ck_assert_ptr_nonnull(probe);
    int rc = system(probe);
    free(probe);
    if (rc == 0)
        return true;
    FILE *f = skip_log[0] ? fopen(skip_log, "a") : NULL;
    fprintf(stderr, "SKIP: %s needs %s, which is not installed (scripts/setup installs it)\n", what,
            tool);
    if (f) {
        fprintf(f, "%s needs %s\n", what, tool);
        fclose(f);
    }
    return false;
}

int cor_test_run(Suite *s)
{
    const char *root = getenv("COR_TEST_BUILD");
    snprintf(skip_log, sizeof skip_log, "%s/skipped-%ld.log", root ? root : "/tmp", (long)getpid());
    remove(skip_log);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    bool skipped = access(skip_log, F_OK) == 0;
    remove(skip_log);
    if (failed)
        return EXIT_FAILURE;
    return skipped ? COR_TEST_SKIPPED : EXIT_SUCCESS;
}

struct cor_test_shp {
    SHPHandle shp;
    DBFHandle dbf;
    char *path;
    int count;
};

cor_test_shp_t *cor_test_shp_new(const char *path, int shptype)
{
    cor_test_shp_t *t = calloc(1, sizeof *t);
    ck_assert_ptr_nonnull(t);
    t->path = cor__strdup(path);
    t->shp = SHPCreate(path, shptype);
    t->dbf = DBFCreate(path);
    ck_assert_msg(t->shp && t->dbf, "cannot create %s", path);
    ck_assert_int_eq(DBFAddField(t->dbf, "name", FTString, 32, 0), 0);
    ck_assert_int_eq(DBFAddField(t->dbf, "value", FTDouble, 16, 4), 1);
    return t;
}

void cor_test_shp_add_parts(cor_test_shp_t *t, const double *xy, int n, const int *starts,
                            int nparts, const char *name, double value)
{
    double *x = calloc((size_t)n + 1, sizeof *x), *y = calloc((size_t)n + 1, sizeof *y);
    for (int i = 0; i < n; i++)
        x[i] = xy[2 * i], y[i] = xy[2 * i + 1];
    SHPObject *o =
        n == 0 ? SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL)
               : SHPCreateObject(t->shp->nShapeType, -1, nparts, starts, NULL, n, x, y, NULL, NULL);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(SHPWriteObject(t->shp, -1, o), t->count);
    SHPDestroyObject(o);
    DBFWriteStringAttribute(t->dbf, t->count, 0, name);
    DBFWriteDoubleAttribute(t->dbf, t->count, 1, value);
    t->count++;
    free(x);
    free(y);
}

void cor_test_shp_add(cor_test_shp_t *t, const double *xy, int n, const char *name, double value)
{
    int start = 0;
    cor_test_shp_add_parts(t, xy, n, &start, 1, name, value);
}

void cor_test_shp_close(cor_test_shp_t *t, const char *prj)
{
    SHPClose(t->shp);
    DBFClose(t->dbf);
    if (prj) {
        char *dot = strrchr(t->path, '.');
        char *p = cor__asprintf("%.*s.prj", (int)(dot - t->path), t->path);
        cor_test_write(p, prj, strlen(prj));
        free(p);
    }
    free(t->path);
    free(t);
}

unsigned cor_test_pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    ck_assert_int_lt(x, cairo_image_surface_get_width(s));
    ck_assert_int_lt(y, cairo_image_surface_get_height(s));
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    uint32_t px;
    memcpy(&px, row + 4 * x, 4);
    return px & 0xFFFFFF;
}
