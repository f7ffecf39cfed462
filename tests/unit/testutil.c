/* Helpers shared by the Check suites. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int cor_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
