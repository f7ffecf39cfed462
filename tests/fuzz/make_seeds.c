/* SPDX-License-Identifier: MIT */
/* Writes seed inputs for fuzz_shp: small valid layers of every shape type, with and without a
 * .dbf, packed in fuzz_shp's input layout (see fuzz_shp.c for how to build and run both).
 * Usage: make_seeds <output directory> */
#include <shapefil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "util.h"

static unsigned char *slurp(const char *path, size_t *n)
{
    char *data = NULL;
    *n = 0;
    if (cor__read_file(path, 1 << 20, &data, n, NULL) != COR_OK)
        return NULL;
    return (unsigned char *)data;
}

static void write_dbf(const char *base, int nrec)
{
    char *path = cor__asprintf("%s.dbf", base);
    DBFHandle h = DBFCreateEx(path, "LDID/0");
    DBFAddField(h, "NAME", FTString, 12, 0);
    DBFAddField(h, "POP", FTInteger, 8, 0);
    DBFAddField(h, "AREA", FTDouble, 10, 2);
    DBFAddField(h, "OK", FTLogical, 1, 0);
    DBFAddField(h, "WHEN", FTDate, 8, 0);
    for (int i = 0; i < nrec; i++) {
        DBFWriteAttributeDirectly(h, i, 0,
                                  (void *)(i % 2 ? "Klaip\xEB"
                                                   "da"
                                                 : "Malm\xC3\xB6"));
        DBFWriteIntegerAttribute(h, i, 1, 1000 * i);
        DBFWriteDoubleAttribute(h, i, 2, 1.25 * i);
        DBFWriteLogicalAttribute(h, i, 3, i % 2 ? 'T' : 'F');
        DBFWriteAttributeDirectly(h, i, 4, (void *)"20220201");
    }
    DBFClose(h);
    free(path);
}

static SHPObject *shape(int type, int i)
{
    double x[6] = {i, i + 1, i + 1, i, i, i + 0.5}, y[6] = {i, i, i + 1, i + 1, i, i + 0.5};
    double z[6] = {1, 2, 3, 4, 5, 6}, m[6] = {6, 5, 4, 3, 2, 1};
    int starts[2] = {0, 3};
    if (i == 1)
        return SHPCreateObject(SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL);
    switch (type) {
    case SHPT_POINT:
    case SHPT_POINTZ:
    case SHPT_POINTM:
        return SHPCreateObject(type, -1, 0, NULL, NULL, 1, x, y, z, m);
    case SHPT_MULTIPOINT:
    case SHPT_MULTIPOINTZ:
    case SHPT_MULTIPOINTM:
        return SHPCreateObject(type, -1, 0, NULL, NULL, 4, x, y, z, m);
    case SHPT_MULTIPATCH: {
        int types[2] = {SHPP_TRISTRIP, SHPP_RING};
        return SHPCreateObject(type, -1, 2, starts, types, 6, x, y, z, m);
    }
    default:
        return SHPCreateObject(type, -1, 2, starts, NULL, 5, x, y, z, m);
    }
}

static void pack(const char *out, const char *base, int n, unsigned flags)
{
    char *p[3] = {cor__asprintf("%s.shp", base), cor__asprintf("%s.shx", base),
                  cor__asprintf("%s.dbf", base)};
    size_t len[3] = {0, 0, 0};
    unsigned char *bytes[3];
    for (int k = 0; k < 3; k++)
        bytes[k] = slurp(p[k], &len[k]);
    char *name = cor__asprintf("%s/seed-%s-%d-%u", out, strrchr(base, '/') + 1, n, flags);
    FILE *f = fopen(name, "wb");
    unsigned char head[9] = {len[0],      len[0] >> 8,  len[0] >> 16, len[0] >> 24, len[1],
                             len[1] >> 8, len[1] >> 16, len[1] >> 24, flags};
    fwrite(head, 1, 9, f);
    for (int k = 0; k < 3; k++)
        if (bytes[k] && (k < 2 || (flags & 1)))
            fwrite(bytes[k], 1, len[k], f);
    fclose(f);
    for (int k = 0; k < 3; k++)
        free(p[k]), free(bytes[k]);
    free(name);
}

int main(int argc, char **argv)
{
    static const int types[] = {SHPT_POINT,      SHPT_ARC,  SHPT_POLYGON,  SHPT_MULTIPOINT,
                                SHPT_POINTZ,     SHPT_ARCZ, SHPT_POLYGONZ, SHPT_MULTIPOINTZ,
                                SHPT_POINTM,     SHPT_ARCM, SHPT_POLYGONM, SHPT_MULTIPOINTM,
                                SHPT_MULTIPATCH, SHPT_NULL};
    char tmpl[] = "/tmp/make_seeds.XXXXXX";
    if (argc != 2 || !mkdtemp(tmpl))
        return 2;
    mkdir(argv[1], 0755);
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        for (int n = 0; n <= 3; n += 3) {
            char *base = cor__asprintf("%s/type%d", tmpl, types[t]);
            SHPHandle h = SHPCreate(base, types[t]);
            for (int i = 0; i < n; i++) {
                SHPObject *o = shape(types[t], i);
                SHPWriteObject(h, -1, o);
                SHPDestroyObject(o);
            }
            SHPClose(h);
            write_dbf(base, n);
            pack(argv[1], base, n, 0);
            pack(argv[1], base, n, 1 | 2 << 1 | 16);
            pack(argv[1], base, n, 1 | 3 << 1);
            pack(argv[1], base, n, 1 | 1 << 1 | 32); /* no .shx: the index is rebuilt */
            free(base);
        }
    }
    return 0;
}
