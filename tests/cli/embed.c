/* SPDX-License-Identifier: MIT */
/* Embedding corridor: what a report generator does, compiled against the installed header and
 * library through pkg-config by test_cli.sh. Draws the default map into its
 * own cairo PDF surface, 180 x 120 mm, and prints the labels placed. */
#include <cairo-pdf.h>
#include <corridor.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed DATA_DIR OUT.pdf\n");
        return 2;
    }
    char style[4200];
    snprintf(style, sizeof style, "%s/styles/default.lua", argv[1]);
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    cor_place_t path[] = {{.name = "Kharkiv"}, {.name = "Dnipro"}};
    cor_route_t road = {
        .places = path, .nplaces = 2, .look = {.stroke = "#1f5fa8"}, .text = {.label = "M18"}};
    cor_marker_t depot = {.at = {.lon = 31.2, .lat = 48.2},
                          .look = {.symbol = "rail", .size = 9},
                          .text = {.label = "Depot"}};
    cairo_surface_t *page = cairo_pdf_surface_create(argv[2], 510.24, 340.16);
    cairo_t *cr = cairo_create(page);
    int rc = 1;
    if (cor_map_new(&map, &err) == COR_OK && cor_map_set_data_dir(map, argv[1], &err) == COR_OK &&
        cor_map_load_style(map, style, &err) == COR_OK &&
        cor_map_set_page(map, 510.24, 340.16, 300, &err) == COR_OK &&
        cor_map_add_route(map, &road, &err) == COR_OK &&
        cor_map_add_marker(map, &depot, &err) == COR_OK &&
        cor_map_render_cairo(map, cr, &err) == COR_OK) {
        cor_render_stats_t st;
        cor_map_get_stats(map, &st);
        printf("labels placed: %ld\n", st.labels_placed);
        rc = 0;
    } else {
        fprintf(stderr, "embed: %s\n", err.message);
    }
    cor_map_free(map);
    cairo_destroy(cr);
    cairo_surface_finish(page);
    cairo_surface_destroy(page);
    return rc;
}
