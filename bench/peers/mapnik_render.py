"""Renders a Mapnik XML map to PNG: the benchmark's runner for Mapnik (bench/run calls it).

Usage: mapnik_render.py MAP.xml OUT.png WIDTH HEIGHT MINX MINY MAXX MAXY [SCALE]
The box is in the map's projected units; SCALE (default 300/72) turns the XML's sizes, written
in points, into pixels at 300 dpi.
"""
import sys

import mapnik


def main(argv):
    if len(argv) not in (9, 10):
        sys.stderr.write(__doc__)
        return 2
    xml, out = argv[1], argv[2]
    width, height = int(argv[3]), int(argv[4])
    box = mapnik.Box2d(*(float(v) for v in argv[5:9]))
    scale = float(argv[9]) if len(argv) == 10 else 300 / 72
    m = mapnik.Map(width, height)
    mapnik.load_map(m, xml)
    m.zoom_to_box(box)
    image = mapnik.Image(width, height)
    mapnik.render(m, image, scale)
    image.save(out, "png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
