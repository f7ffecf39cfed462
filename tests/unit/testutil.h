/* Helpers shared by the Check suites: paths into the source and build trees, scratch files. */
#ifndef COR_TESTUTIL_H
#define COR_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Returns: a malloc'd path below the source tree ($COR_TEST_SRC, else the configured one). */
char *cor_test_src(const char *rel);
/* Returns: a malloc'd path of a fresh, empty directory below $COR_TEST_BUILD (or /tmp). */
char *cor_test_tmpdir(const char *name);
/* Writes n bytes to path; fails the test when it cannot. */
void cor_test_write(const char *path, const void *data, size_t n);
/* Runs a Check suite with the default runner. Returns: the process exit status. */
int cor_test_run(Suite *s);

#endif
