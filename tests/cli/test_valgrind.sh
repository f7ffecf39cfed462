#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A second opinion on memory: the CLI under valgrind's memcheck, in a build without sanitizers
# (valgrind cannot run an ASan binary). Each run must give no memcheck error (invalid reads or
# writes, uninitialised values in a branch, bad frees) and no definitely lost block; fontconfig's
# and Pango's caches that live until exit ("still reachable") are not counted. Good maps, every
# output format, the data readers, a script with overlays, and the error paths (a corrupt
# shapefile, a broken style, an unknown place, an absurd size) each run once.
# Usage: test_valgrind.sh /path/to/corridor   (ctest -L valgrind)
set -u
BIN=$(readlink -f "$1")
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-vg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
if ! command -v valgrind >/dev/null; then
  echo "SKIP  valgrind is not installed (scripts/setup installs it)"
  exit 77
fi
if nm "$BIN" 2>/dev/null | grep -q __asan_init || ldd "$BIN" | grep -q libasan; then
  echo "SKIP  $BIN is built with AddressSanitizer; the valgrind label needs a build without it"
  exit 77
fi
failures=0
# vg NAME EXPECTED_EXIT ARGS...: runs corridor under memcheck; 99 is memcheck's own exit.
vg() {
  local name=$1 want=$2; shift 2
  valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --log-file="$WORK/vg.log" "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -eq "$want" ] && [ ! -s "$WORK/vg.log" ]; then
    printf 'ok    %s\n' "$name"
  else
    printf 'FAIL  %s (exit %s, expected %s)\n' "$name" "$got" "$want"
    head -30 "$WORK/vg.log" "$WORK/err" | sed 's/^/      /'
    failures=$((failures + 1))
  fi
}
vg "the default map as PNG" 0 render --size 600x400 -o map.png
vg "  as SVG and PDF in one run" 0 render --size 120x80mm -o map.svg -o map.pdf
vg "a style with overlays from a CSV and GeoJSON" 0 render --size 500x400 \
  --style "$SRC/tests/fixtures/campaign/style.lua" -o campaign.png
vg "a GeoJSON overlay on the default map" 0 render --size 400x300 \
  --overlay "$SRC/tests/fixtures/geojson/all_geometries.geojson" -o json.png
vg "a quick look at a shapefile" 0 render --size 300x300 --layer "$SRC/geodata/countries.shp" -o look.png
vg "info, as text and JSON" 0 info --json "$SRC/geodata/countries.shp"
vg "check the default style" 0 check "$SRC/styles/default.lua"
cp "$SRC/geodata/lakes.shp" "$SRC/geodata/lakes.shx" "$SRC/geodata/lakes.dbf" .
head -c 300 "$SRC/geodata/lakes.shp" >lakes.shp.cut && mv lakes.shp.cut lakes.shp
vg "a truncated shapefile is refused" 4 render --size 300x300 --layer lakes.shp -o bad.png
printf 'map { size = "600x400" }\nlayer { source = "countries", fill = }\n' >broken.lua
vg "a style with a syntax error is refused" 5 render --style broken.lua -o bad.png
printf 'marker { at = "Atlantis" }\n' >atlantis.lua
vg "an unknown place is refused" 9 render --size 300x300 --overlay atlantis.lua -o bad.png
vg "an absurd size is refused" 7 render --size 90000x90000 -o bad.png
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
