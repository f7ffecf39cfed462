/* SPDX-License-Identifier: MIT */
/* info: corridor info: describes shapefiles and GeoJSON files, as text or JSON, and lists a
 * layer's features with their extents (what an atlas iterates). */
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

static const char usage_info[] =
    "Usage: corridor info [--json] FILE...\n"
    "       corridor info [--json] [--data-dir DIR] --features LAYER[:FIELD]\n"
    "\n"
    "Describes shapefiles and GeoJSON files: geometry type, feature count, extent, CRS (with\n"
    "its EPSG code where PROJ knows it), attribute encoding, fields and a few values of each.\n"
    "--features lists the features of a layer (a layer of the data, \"regions\", or a .shp)\n"
    "with their extents in degrees: what an atlas iterates. --json prints the same as JSON.\n";

/* ---- info ---- */

static void print_info(const cor_layer_info_t *in)
{
    printf("File:      %s\n", in->path);
    printf("Format:    %s\n", in->format);
    printf("Geometry:  %s\n", in->geometry);
    printf("Features:  %ld", in->features);
    if (in->null_features)
        printf(" (%ld with a null shape)", in->null_features);
    if (in->deleted_features)
        printf(" (%ld marked deleted in the .dbf, skipped)", in->deleted_features);
    printf("\n");
    if (in->has_extent)
        printf("Extent:    %.6f, %.6f, %.6f, %.6f  (W, S, E, N)\n", in->extent.minx,
               in->extent.miny, in->extent.maxx, in->extent.maxy);
    else
        printf("Extent:    none\n");
    if (in->crs_name)
        printf("CRS:       %s%s%s%s\n", in->crs_id ? in->crs_id : "", in->crs_id ? " (" : "",
               in->crs_name, in->crs_id ? ")" : "");
    else
        printf("CRS:       none (no .prj; drawn as longitude/latitude when the coordinates fit)\n");
    printf("Encoding:  %s (%s)", in->encoding, in->encoding_source);
    if (in->invalid_text)
        printf("; %ld value%s not valid %s, read with U+FFFD", in->invalid_text,
               in->invalid_text == 1 ? "" : "s", in->encoding);
    printf("\n");
    for (size_t i = 0; i < in->nwarnings; i++)
        printf("Warning:   %s\n", in->warnings[i]);
    printf("Fields:    %zu\n", in->nfields);
    for (size_t i = 0; i < in->nfields; i++) {
        const cor_field_info_t *f = &in->fields[i];
        char type[48];
        int n = snprintf(type, sizeof type, "%s(%d", f->type_name, f->width);
        if (f->decimals)
            n += snprintf(type + n, sizeof type - (size_t)n, ".%d", f->decimals);
        snprintf(type + n, sizeof type - (size_t)n, ")");
        printf("  %-12s %-12s", f->name, f->width ? type : f->type_name);
        for (size_t k = 0; cor_layer_info_sample(in, i, k); k++)
            printf("%s%s", k ? ", " : " e.g. ", cor_layer_info_sample(in, i, k));
        printf("\n");
    }
}

/* Prints s as a JSON string. */
static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_extent(bool has, cor_bbox_t b)
{
    if (has)
        printf("[%.9g, %.9g, %.9g, %.9g]", b.minx, b.miny, b.maxx, b.maxy);
    else
        printf("null");
}

/* The same as print_info, as one JSON object. */
static void print_info_json(const cor_layer_info_t *in)
{
    printf("{\"file\": "), json_string(in->path);
    printf(", \"format\": "), json_string(in->format);
    printf(", \"geometry\": "), json_string(in->geometry);
    printf(", \"features\": %ld, \"null_features\": %ld, \"deleted_features\": %ld, \"extent\": ",
           in->features, in->null_features, in->deleted_features);
    json_extent(in->has_extent, in->extent);
    printf(", \"crs\": ");
    if (in->crs_name) {
        printf("{\"name\": "), json_string(in->crs_name);
        printf(", \"id\": ");
        if (in->crs_id)
            json_string(in->crs_id);
        else
            printf("null");
        printf("}");
    } else {
        printf("null");
    }
    printf(", \"encoding\": "), json_string(in->encoding);
    printf(", \"encoding_source\": "), json_string(in->encoding_source);
    printf(", \"invalid_text\": %ld, \"warnings\": [", in->invalid_text);
    for (size_t i = 0; i < in->nwarnings; i++)
        printf("%s", i ? ", " : ""), json_string(in->warnings[i]);
    printf("], \"fields\": [");
    for (size_t i = 0; i < in->nfields; i++) {
        const cor_field_info_t *f = &in->fields[i];
        printf("%s{\"name\": ", i ? ", " : ""), json_string(f->name);
        printf(", \"type\": "), json_string(f->type_name);
        printf(", \"width\": %d, \"decimals\": %d, \"samples\": [", f->width, f->decimals);
        for (size_t k = 0; cor_layer_info_sample(in, i, k); k++)
            printf("%s", k ? ", " : ""), json_string(cor_layer_info_sample(in, i, k));
        printf("]}");
    }
    printf("]}");
}

/* info --features LAYER[:FIELD]: the features with their extents. */
static int info_features(const char *spec, const char *data_dir, bool json)
{
    char layer[512];
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    cor_feature_list_t *list = NULL;
    char dir[4096];
    snprintf(layer, sizeof layer, "%s", spec);
    char *colon = strchr(layer, ':');
    if (colon)
        *colon++ = '\0';
    cor_status_t st = cor_map_new(&map, &err);
    if (st == COR_OK && (data_dir || !strchr(layer, '/')) &&
        (st = cor_data_dir_find(data_dir, dir, sizeof dir, &err)) == COR_OK)
        st = cor_map_set_data_dir(map, dir, &err);
    if (st == COR_OK)
        st = cor_map_list_features(map, layer, colon, NULL, NULL, &list, &err);
    cor_map_free(map);
    if (st != COR_OK)
        return fail(st, err.message);
    printf(json ? "[" : "");
    for (size_t i = 0; i < list->n; i++) {
        const cor_feature_info_t *f = &list->items[i];
        if (json) {
            printf("%s{\"index\": %ld, \"name\": ", i ? ",\n " : "", f->index);
            json_string(f->name);
            printf(", \"extent\": ");
            json_extent(f->has_extent, f->extent);
            printf("}");
        } else if (f->has_extent) {
            printf("%6ld  %-32s %.6f, %.6f, %.6f, %.6f\n", f->index, f->name, f->extent.minx,
                   f->extent.miny, f->extent.maxx, f->extent.maxy);
        } else {
            printf("%6ld  %-32s no extent\n", f->index, f->name);
        }
    }
    printf(json ? "]\n" : "");
    cor_feature_list_free(list);
    return 0;
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'J'},
                                             {"features", required_argument, NULL, 'F'},
                                             {"data-dir", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *features = NULL, *data_dir = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'J')
            json = true;
        else if (c == 'F')
            features = optarg;
        else if (c == 'D')
            data_dir = optarg;
        else if (c == 'h') {
            fputs(usage_info, stdout);
            return 0;
        } else
            return misuse("invalid option", "info ");
    }
    if (features)
        return optind < argc ? misuse("--features takes no file", "info ")
                             : info_features(features, data_dir, json);
    if (optind >= argc)
        return misuse("info needs a shapefile or GeoJSON file", "info ");
    int rc = 0, shown = 0;
    printf(json && argc - optind > 1 ? "[" : "");
    for (int i = optind; i < argc; i++) {
        cor_error_t err = {0};
        cor_layer_info_t *info = NULL;
        cor_status_t st = cor_layer_info_read(argv[i], &info, &err);
        if (st != COR_OK) {
            rc = fail(st, err.message);
            continue;
        }
        printf("%s", shown++ ? (json ? ",\n" : "\n") : "");
        if (json)
            print_info_json(info);
        else
            print_info(info);
        cor_layer_info_free(info);
    }
    printf(json ? (argc - optind > 1 ? "]\n" : "\n") : "");
    return rc;
}
