/* SPDX-License-Identifier: MIT */
/* files: paths, reading whole files under a limit, and opening files beside a script without
 * leaving its directory. */
#ifndef COR_FILES_H
#define COR_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"

/* Returns: malloc'd "dir/name" (name alone when absolute or dir is NULL/empty). */
char *cor__path_join(const char *dir, const char *name);
/* Returns: malloc'd directory part of `path` ("." when it has none). */
char *cor__path_dirname(const char *path);
/* Returns: malloc'd path of an existing sibling with extension `ext` (tried as given, in lower
 * and in upper case: "x.shp" -> "x.prj" or "x.PRJ"), or NULL when none exists. */
char *cor__path_sibling(const char *path, const char *ext);
bool cor__is_dir(const char *path);
bool cor__is_file(const char *path);

/* Reads a whole file into a NUL-terminated malloc'd buffer of at most `max` bytes.
 * Returns: COR_OK; COR_ERR_IO when it cannot be read, COR_ERR_LIMIT when larger than max. */
cor_status_t cor__read_file(const char *path, size_t max, char **out, size_t *len,
                            cor_error_t *err);

/* Reads the regular file open on `fd` (which this closes) like cor__read_file; `name` is what
 * messages call it. Returns: as cor__read_file. */
cor_status_t cor__read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                          cor_error_t *err);

/* Opens the relative path `rel` for reading inside directory `dir` so that nothing leads out
 * of it: no "..", symbolic link or mount point (openat2 with RESOLVE_BENEATH | RESOLVE_NO_XDEV
 * where the kernel has it, else cor__open_beneath_checked).
 * Returns: a file descriptor the caller closes; -1 with COR_ERR_IO in `err`, whose message
 * names `rel` and says when the path leads outside. */
int cor__open_beneath(const char *dir, const char *rel, cor_error_t *err);
/* The same by comparing real paths and devices (racy where a directory changes meanwhile);
 * what cor__open_beneath falls back to. Returns: as cor__open_beneath. */
int cor__open_beneath_checked(const char *dir, const char *rel, cor_error_t *err);

#endif
