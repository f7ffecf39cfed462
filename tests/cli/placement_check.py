#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a placement report (corridor render --placement FILE.json): no two boxes of the kinds
nothing may overlap intersect (markers may touch markers, graticule labels each other), none lies
off the page, and, unless --no-must, the story's key places are labelled.
Usage: placement_check.py [--no-must] FILE.json; prints "ok: N placed" and exits 0 when it holds."""
import json
import sys
import unicodedata

KEY_PLACES = ["Klaipėda", "Vilnius", "Minsk", "Kyiv", "Chernihiv", "Salihorsk"]
SOLID = {"label", "marker", "callout", "title", "legend", "scalebar", "north_arrow", "inset",
         "credits", "graticule_label"}
TOL = 0.5  # pt: boxes must overlap by more than this on both axes to count


def overlapping(a, b):
    return (min(a[2], b[2]) - max(a[0], b[0]) > TOL and
            min(a[3], b[3]) - max(a[1], b[1]) > TOL)


def exempt(a, b):
    return (a["kind"] == b["kind"] == "marker" or
            a["kind"] == b["kind"] == "graticule_label")


def problems(report, must):
    width, height = report["page"]["width_pt"], report["page"]["height_pt"]
    solid = [e for e in report["placed"] if e.get("kind") in SOLID]
    out = []
    for e in solid:
        x0, y0, x1, y1 = (float(v) for v in e["box"])
        if x0 < -TOL or y0 < -TOL or x1 > width + TOL or y1 > height + TOL:
            out.append(f"off the page: {e['kind']} {e.get('text', '')[:20]!r}")
    for i, a in enumerate(solid):
        for b in solid[i + 1:]:
            if not exempt(a, b) and overlapping([float(v) for v in a["box"]],
                                                [float(v) for v in b["box"]]):
                out.append(f"{a['kind']} {a.get('text', '')[:18]!r} over "
                           f"{b['kind']} {b.get('text', '')[:18]!r}")
    if must:
        named = " | ".join(unicodedata.normalize("NFC", e.get("text") or "")
                           for e in report["placed"] if e.get("kind") in ("label", "callout"))
        missing = [p for p in KEY_PLACES if p not in named]
        if missing:
            out.append("not labelled: " + ", ".join(missing))
    return out


def main(argv):
    must = "--no-must" not in argv
    path = [a for a in argv[1:] if a != "--no-must"][0]
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        found = problems(report, must)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        print(f"unreadable report: {e!r}"[:150])
        return 1
    if found:
        print(f"{len(found)} problems, e.g. " + "; ".join(found[:3]))
        return 1
    print(f"ok: {len(report['placed'])} placed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
