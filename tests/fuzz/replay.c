/* SPDX-License-Identifier: MIT */
/* replay: the main() a fuzz target gets outside libFuzzer, so that the normal (gcc, ASan) build
 * runs every committed regression input and seed through the same LLVMFuzzerTestOneInput.
 * Usage: replay_<target> FILE|DIR...  (a directory's files are read in name order, not its
 * subdirectories; names starting with '.' or ending in ".md" are skipped). Each input is handed
 * over in a buffer of exactly its size, so a read past its end is an ASan report. Fails when an
 * argument cannot be read or when there was no input at all: a replay never passes silently. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads `path` into a buffer of its exact size. Returns: false when it cannot be read. */
static bool slurp(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        if (f)
            fclose(f);
        return false;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    bool ok = buf && fread(buf, 1, n, f) == n;
    fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

static bool replay_file(const char *path)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (!slurp(path, &data, &len)) {
        fprintf(stderr, "replay: %s: cannot be read\n", path);
        return false;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return true;
}

static bool skipped(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n >= 3 && strcmp(name + n - 3, ".md") == 0);
}

/* Replays the regular files of `dir` in name order. Returns: false when one cannot be read. */
static bool replay_dir(const char *dir, size_t *count)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    bool ok = n >= 0;
    if (!ok)
        fprintf(stderr, "replay: %s: cannot be listed\n", dir);
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (!skipped(names[i]->d_name) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            ok = replay_file(path) && ok;
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    bool ok = true;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = replay_dir(argv[i], &count) && ok;
        } else {
            ok = replay_file(argv[i]) && ok;
            count++;
        }
    }
    if (count == 0) {
        fprintf(stderr, "replay: no inputs given\n");
        return 1;
    }
    fprintf(stderr, "replay: %zu inputs, %s\n", count, ok ? "all replayed" : "some unreadable");
    return ok ? 0 : 1;
}
