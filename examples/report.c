/* SPDX-License-Identifier: MIT */
/* report: a three-page A4 PDF report drawn by a program of its own through the installed
 * libcorridor: a title page, the story map in a rectangle with a caption under it, and a map
 * zoomed on the Belarus-Lithuania border with an annotation the program draws itself where the
 * page transform puts Gudogai. Finds corridor's data beside the installed library.
 * Build: cc report.c $(pkg-config --cflags --libs corridor) -o report, or find_package(corridor)
 * (examples/CMakeLists.txt). Run: ./report report.pdf */
#include <cairo-pdf.h>
#include <corridor.h>
#include <stdio.h>

#define A4_W   595.28
#define A4_H   841.89
#define MARGIN 56.0

/* Gudogai border station (ru-Wikipedia "Гудогай (станция)"; geodata/overlays/SOURCES.md). */
#define GUDOGAI_LON 25.893
#define GUDOGAI_LAT 54.596

static void text_at(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
    cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* Text on the map: a white halo under it, so it reads over borders and fills. */
static void note_at(cairo_t *cr, double x, double y, const char *s)
{
    cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 10);
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 3);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    text_at(cr, x, y, 10, true, s);
}

static void title_page(cairo_t *cr)
{
    text_at(cr, MARGIN, 260, 30, true, "Potash, prisoners and borders");
    text_at(cr, MARGIN, 300, 14, false, "Belarus, Lithuania and Ukraine in December 2025");
    text_at(cr, MARGIN, 340, 11, false, "A report drawn with libcorridor " COR_VERSION ".");
    text_at(cr, MARGIN, 360, 11, false,
            "Maps: Natural Earth (public domain); sources in the data.");
    cairo_show_page(cr);
}

/* A map of the default style, `w` x `h` points, ready for the caller's page. */
static cor_status_t story_map(const char *dir, double w, double h, cor_map_t **out,
                              cor_error_t *err)
{
    char style[4200];
    snprintf(style, sizeof style, "%s/styles/default.lua", dir);
    cor_status_t st = cor_map_new(out, err);
    if (st == COR_OK)
        st = cor_map_set_data_dir(*out, dir, err);
    if (st == COR_OK)
        st = cor_map_load_style(*out, style, err);
    if (st == COR_OK)
        st = cor_map_set_page(*out, w, h, 300, err);
    return st;
}

/* Draws the map into the rectangle at (x, y) of the page, framed. */
static cor_status_t map_in_box(cor_map_t *map, cairo_t *cr, double x, double y, double w, double h,
                               cor_error_t *err)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cor_status_t st = cor_map_render_cairo(map, cr, err);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    cairo_restore(cr);
    return st;
}

static cor_status_t story_page(cairo_t *cr, const char *dir, cor_error_t *err)
{
    double w = A4_W - 2 * MARGIN, h = w * 0.75;
    cor_map_t *map = NULL;
    cor_status_t st = story_map(dir, w, h, &map, err);
    if (st == COR_OK)
        st = map_in_box(map, cr, MARGIN, MARGIN + 40, w, h, err);
    text_at(cr, MARGIN, MARGIN + 20, 16, true, "1. The story map");
    text_at(cr, MARGIN, MARGIN + 40 + h + 22, 10, false,
            "Figure 1. Where the released prisoners were taken, and where potash went.");
    cor_map_free(map);
    cairo_show_page(cr);
    return st;
}

/* The annotation: a ring at Gudogai, a leader and a note, placed by the page transform. */
static void annotate(cairo_t *cr, cor_page_transform_t *t)
{
    double x, y;
    if (!cor_page_transform_to_page(t, GUDOGAI_LON, GUDOGAI_LAT, &x, &y))
        return;
    cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    cairo_set_line_width(cr, 2);
    cairo_new_path(cr);
    cairo_arc(cr, x, y, 12, 0, 6.2832);
    cairo_stroke(cr);
    /* Up and to the left, into Lithuania: the story's own callout sits up and to the right. */
    cairo_move_to(cr, x - 9, y - 9);
    cairo_line_to(cr, x - 50, y - 66);
    cairo_stroke(cr);
    note_at(cr, x - 150, y - 96, "Gudogai: potash trains crossed");
    note_at(cr, x - 150, y - 82, "here until 1 Feb 2022");
}

static cor_status_t border_page(cairo_t *cr, const char *dir, cor_error_t *err)
{
    double w = A4_W - 2 * MARGIN, h = w;
    cor_map_t *map = NULL;
    cor_page_transform_t *t = NULL;
    cor_bbox_t border = {23.0, 53.6, 27.6, 55.6};
    cor_status_t st = story_map(dir, w, h, &map, err);
    if (st == COR_OK)
        st = cor_map_set_extent(map, border, err);
    if (st == COR_OK)
        st = cor_map_set_title(map, "The Belarus-Lithuania border", err);
    if (st == COR_OK)
        st = cor_map_set_subtitle(map, NULL, err);
    if (st == COR_OK)
        st = map_in_box(map, cr, MARGIN, MARGIN + 40, w, h, err);
    if (st == COR_OK)
        st = cor_map_page_transform(map, &t, err);
    if (st == COR_OK) {
        cairo_save(cr);
        cairo_translate(cr, MARGIN, MARGIN + 40);
        annotate(cr, t);
        cairo_restore(cr);
    }
    text_at(cr, MARGIN, MARGIN + 20, 16, true, "2. The border");
    text_at(cr, MARGIN, MARGIN + 40 + h + 22, 10, false,
            "Figure 2. The rail crossing at Gudogai, annotated by the report itself.");
    cor_page_transform_free(t);
    cor_map_free(map);
    cairo_show_page(cr);
    return st;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: report OUT.pdf\n");
        return 2;
    }
    char dir[4096];
    cor_error_t err = {0};
    cor_status_t st = cor_data_dir_find(NULL, dir, sizeof dir, &err);
    cairo_surface_t *pdf = cairo_pdf_surface_create(argv[1], A4_W, A4_H);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, "Potash, prisoners and borders");
    cairo_t *cr = cairo_create(pdf);
    if (st == COR_OK) {
        title_page(cr);
        st = story_page(cr, dir, &err);
    }
    if (st == COR_OK)
        st = border_page(cr, dir, &err);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (st == COR_OK && cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS)
        fprintf(stderr, "report: %s\n", cairo_status_to_string(cairo_surface_status(pdf)));
    cairo_surface_destroy(pdf);
    if (st != COR_OK) {
        fprintf(stderr, "report: %s\n", err.message);
        return 1;
    }
    return 0;
}
