"""Renders a Mapnik XML map: the benchmark's runner for Mapnik (bench/run calls it).

Usage: mapnik_render.py MAP.xml OUT WIDTH HEIGHT MINX MINY MAXX MAXY [DPI]
OUT's extension picks the format: .png (32-bit RGBA, like the other renderers' full-colour
PNGs), .pdf or .svg (through Mapnik's cairo renderer). The box is in the map's projected units;
Mapnik widens it to the page's shape about its centre. The XML's sizes are points: a PNG is
drawn with scale factor DPI/72 (DPI defaults to 300); for PDF and SVG, WIDTH and HEIGHT are the
page in points and the scale factor is 1. PDF and SVG go through a pycairo surface that is
finished before the script ends (Mapnik's render_to_file can leave an SVG unfinished).
"""
import sys

import cairo
import mapnik


def main(argv):
    if len(argv) not in (9, 10):
        sys.stderr.write(__doc__)
        return 2
    xml, out = argv[1], argv[2]
    width, height = int(argv[3]), int(argv[4])
    box = mapnik.Box2d(*(float(v) for v in argv[5:9]))
    dpi = float(argv[9]) if len(argv) == 10 else 300.0
    fmt = out.rsplit(".", 1)[-1].lower()
    if fmt not in ("png", "pdf", "svg"):
        sys.stderr.write("mapnik_render.py: %s: the output must end in .png, .pdf or .svg\n" % out)
        return 2
    m = mapnik.Map(width, height)
    mapnik.load_map(m, xml)
    m.zoom_to_box(box)
    if fmt == "png":
        image = mapnik.Image(width, height)
        mapnik.render(m, image, dpi / 72.0)
        image.save(out, "png32")
    else:
        kind = cairo.PDFSurface if fmt == "pdf" else cairo.SVGSurface
        surface = kind(out, width, height)
        mapnik.render(m, surface, 1.0, 0, 0)
        surface.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
