#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CLI in pipelines: standard output and input, several outputs from one run, reproducible
# bytes, SVG layer groups, and the atlas. Runs the built binary as a shell script would.
# Usage: test_pipeline.sh /path/to/corridor
set -u

BIN=$(readlink -f "$1")
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-pipe.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
failures=0
skipped=0
needs() {
  command -v "$1" >/dev/null && return 0
  printf 'SKIP  checks that need %s (not installed; scripts/setup installs it)\n' "$1"
  skipped=$((skipped + 1))
  return 1
}
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
run() { # run EXPECTED_EXIT ARGS...: stdout in $WORK/out, stderr in $WORK/err
  local want=$1; shift
  "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  [ "$got" -eq "$want" ] && return 0
  echo "  exit $got, expected $want: corridor $*"; sed 's/^/  stderr: /' "$WORK/err" | head -5
  return 1
}
S=(--size 150x100mm --dpi 100)

# ---- standard output ----
check "-o - without --format is misuse" run 2 render -o -
check "  saying so" grep -q -- "--format" "$WORK/err"
check "-o - twice is misuse" run 2 render -o - -o - -f png
run 0 render "${S[@]}" -o file.png
check "-o - -f png writes the PNG to stdout" bash -c "'$BIN' render ${S[*]} -o - -f png >piped.png"
check "  the same bytes as the file" cmp -s piped.png file.png
check "  and no file named -" test ! -e ./-
check "a failed render writes nothing to stdout" bash -c "! '$BIN' render ${S[*]} --style /nonexistent.lua -o - -f svg >empty.svg 2>/dev/null; test ! -s empty.svg"
if needs pdftotext; then
  check "-o - -f pdf pipes into pdftotext" bash -c "'$BIN' render ${S[*]} -o - -f pdf | pdftotext - - | grep -q 'Klaip'"
fi

# ---- standard input ----
check "--style - reads the style from stdin" bash -c "'$BIN' render ${S[*]} --style - -o stdin.png <'$SRC/styles/default.lua'"
check "  giving the map the file gives" cmp -s stdin.png file.png
printf 'map { size = "100x80mm" }\nlayer { source = "countries", fill = 42 }\n' >bad.lua
check "an error in a style from stdin names <stdin> and the line" bash -c "'$BIN' render --style - -o x.png <bad.lua 2>&1 | grep -q '<stdin>:2'"
check "  and writes nothing" test ! -e x.png
printf 'callout { at = "Minsk", text = "Piped callout" }\n' >m.lua
check "--overlay - reads a Lua overlay from stdin" bash -c "'$BIN' render ${S[*]} --overlay - -o lua.svg <m.lua"
check "  which is drawn" grep -q 'Piped callout' lua.svg
cat >g.geojson <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "geometry": {"type": "Point", "coordinates": [27.0, 52.3]},
 "properties": {"title": "Piped GeoJSON", "marker-symbol": "star"}}]}
JSON
check "--overlay - reads GeoJSON from stdin" bash -c "'$BIN' render ${S[*]} --overlay - -o json.svg <g.geojson"
check "  which is drawn" grep -q 'Piped GeoJSON' json.svg
check "stdin read twice is misuse" run 2 render --style - --overlay - -o x.png
check "a style from stdin and the map to stdout" bash -c "'$BIN' render ${S[*]} --style - -o - -f svg <'$SRC/styles/default.lua' | grep -q '</svg>'"

# ---- several outputs, data loaded once ----
check "-o a.png -o a.pdf -o a.svg writes all three" run 0 render "${S[@]}" -v -o a.png -o a.pdf -o a.svg
check "  each in its format" bash -c "head -c 4 a.png | grep -q PNG && head -c 5 a.pdf | grep -q '%PDF' && grep -q '</svg>' a.svg"
check "  the PNG as a single render draws it" cmp -s a.png file.png
check "  with one line per output under -v" test "$(grep -c 'features read' "$WORK/err")" -eq 3
check "  and the data directory named once" test "$(grep -c '^data: ' "$WORK/err")" -eq 1
check "an output that fails stops the run with its error" run 3 render "${S[@]}" -o ok.png -o /nonexistent/dir/x.pdf
check "  after writing the ones before it" test -s ok.png

# ---- reproducible bytes ----
for f in png svg pdf; do
  run 0 render "${S[@]}" -o "r1.$f" && sleep 1 && run 0 render "${S[@]}" -o "r2.$f"
  check "two runs give byte-identical $f" cmp -s "r1.$f" "r2.$f"
done
run 0 render "${S[@]}" -o same1.svg -o same2.svg -o same1.pdf -o same2.pdf
check "two SVGs of one run are identical" cmp -s same1.svg same2.svg
check "two PDFs of one run are identical" cmp -s same1.pdf same2.pdf
check "  and the same as a run of its own" cmp -s same1.pdf r1.pdf
if needs pdfinfo; then
  check "PDF dates are fixed when SOURCE_DATE_EPOCH is unset" bash -c "env -u SOURCE_DATE_EPOCH '$BIN' render ${S[*]} -o e0.pdf && pdfinfo e0.pdf | grep -q 'CreationDate:.*1970'"
  check "  and come from SOURCE_DATE_EPOCH when set" bash -c "SOURCE_DATE_EPOCH=1765584000 '$BIN' render ${S[*]} -o e1.pdf && pdfinfo e1.pdf | grep 'CreationDate' | grep -q 'Dec 13 .*2025'"
fi

# ---- SVG layers that designers can open ----
run 0 render "${S[@]}" -o layers.svg
if needs xmllint; then
  check "the layered SVG is well-formed XML" xmllint --noout layers.svg
  xmllint --xpath '//*[local-name()="g" and @*[local-name()="groupmode"]="layer"]/@id' layers.svg 2>/dev/null |
    grep -o 'id="[^"]*"' | sed 's/id="//; s/"//' >layer-ids
  for id in land countries regions rivers places graticule overlays inset labels furniture text; do
    check "  has the Inkscape layer '$id'" grep -qx "$id" layer-ids
  done
  check "  layer ids are unique" bash -c "test \$(sort layer-ids | uniq -d | wc -l) -eq 0"
  # a layer holds no other layer: each is a child of the page group
  nested=$(xmllint --xpath 'count(//*[@*[local-name()="groupmode"]="layer"]//*[@*[local-name()="groupmode"]="layer"])' layers.svg)
  check "  no layer inside another" test "$nested" = 0
  ntext=$(xmllint --xpath 'count(//*[@id="text"]//*[local-name()="text"])' layers.svg)
  check "  text stays <text>, in the text layer" test "${ntext:-0}" -gt 10
  xmllint --xpath '//*[@id="text"]' layers.svg >text-layer 2>/dev/null
  check "  with the map's names" grep -q 'Klaip' text-layer
fi
check "  declares the inkscape namespace" grep -q 'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"' layers.svg
check "  and no layer marks are left" bash -c "! grep -q 'd=\"M 0 0 L 0.25 0 L 0.25 0.25' layers.svg"
if needs rsvg-convert; then
  check "  and renders with rsvg-convert" rsvg-convert -o layers.png layers.svg
fi
check "a quick look's SVG has a layer per --layer" bash -c "'$BIN' render --layer '$SRC/geodata/rivers.shp' --layer '$SRC/geodata/lakes.shp' -o quick.svg && grep -c 'inkscape:groupmode=\"layer\"' quick.svg | grep -qv '^[01]$'"

# ---- the atlas: one map per Belarusian region ----
cat >atlas.lua <<'LUA'
map { crs = "+proj=lcc +lat_1=51 +lat_2=56 +lat_0=53.5 +lon_0=28 +datum=WGS84",
      size = "120x90mm", dpi = 100, title = "{name} region", legend = false, inset = false }
layer { source = "countries", fill = "#eeeeee", stroke = "#999999" }
layer { source = "regions", name = "belarus",
        filter = function(f) return f.iso_a2 == "BY" end,
        fill = function(f) if atlas and f.name == atlas.name then return "#d94801" end
                           return "#f3e6c8" end,
        stroke = "#555555", width = 0.6 }
LUA
"$BIN" info --features regions:name >features.txt
nby=$("$BIN" info --json --features regions:iso_a2 | grep -c '"name": "BY"')
check "info --features lists Belarus's regions" test "$nby" -ge 6
check "--atlas regions:name --where iso_a2=BY -j 2 renders" run 0 render --style atlas.lua --atlas regions:name --where iso_a2=BY -j 2 -o 'maps/{name}.svg' -o 'maps/{index}.png'
check "  one SVG per region" test "$(find maps -name '*.svg' | wc -l)" -eq "$nby"
check "  and one PNG per region" test "$(find maps -name '*.png' | wc -l)" -eq "$nby"
check "  named by the region (Hrodna, Homyel, Vitsebsk)" test -f maps/Hrodna.svg -a -f maps/Homyel.svg -a -f maps/Vitsebsk.svg
check "  with the title filled from the feature" grep -q '>Hrodna region<' maps/Hrodna.svg
check "  the feature highlighted by the style function" grep -q 'fill:rgb(85.098039%,28.235294%,0.392157%)' maps/Hrodna.svg
check "  each zoomed to its region (the maps differ)" bash -c "test -s maps/Hrodna.svg -a -s maps/Homyel.svg && ! cmp -s maps/Hrodna.svg maps/Homyel.svg"
check "  no progress line when stderr is not a terminal" test ! -s "$WORK/err"
if needs script; then
  check "  a progress line when it is, into directories it makes" bash -c "script -qec \"'$BIN' render --style atlas.lua --atlas regions:name --where iso_a2=BY -o 'tty/{name}.png' --size 60x40mm\" /dev/null 2>&1 | tr '\\r' '\\n' | grep -q '^\\[$nby/$nby\\] '" 
fi
check "an atlas of many maps needs {name} in -o" run 2 render --style atlas.lua --atlas regions:name --where iso_a2=BY -o same.png
check "--where without --atlas is misuse" run 2 render --where a=b -o x.png
check "an unknown atlas field names the fields there are" run 9 render --style atlas.lua --atlas regions:nmae -o 'x/{name}.png'
check "  in one line" grep -q "no field 'nmae' (it has iso_a2, name" "$WORK/err"
"$BIN" render --style atlas.lua --atlas regions:name --where iso_a2=BY -o 'list/{name}.svg' --atlas-list >commands.sh
check "--atlas-list prints one command per feature" test "$(grep -c . commands.sh)" -eq "$nby"
check "  each self-contained: run by sh, they make the same maps" bash -c "sh commands.sh && cmp -s list/Hrodna.svg maps/Hrodna.svg && test \$(ls list | wc -l) -eq $nby"

# ---- info ----
check "info reads GeoJSON" run 0 info "$SRC/tests/fixtures/geojson/vilnius_klaipeda.geojson"
check "  its format, CRS and fields" bash -c "grep -q 'Format: *GeoJSON' '$WORK/out' && grep -q 'EPSG:4326' '$WORK/out' && grep -q 'stroke' '$WORK/out'"
check "info prints a few values per field" bash -c "'$BIN' info '$SRC/geodata/countries.shp' | grep 'iso_a2' | grep -q 'e.g. '"
if needs python3; then
  check "info --json is JSON with the same facts" bash -c "'$BIN' info --json '$SRC/geodata/countries.shp' '$SRC/tests/fixtures/geojson/vilnius_klaipeda.geojson' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0][\"crs\"][\"id\"]==\"EPSG:4326\" and d[0][\"fields\"][0][\"samples\"] and d[1][\"format\"]==\"GeoJSON\"'"
  check "info --json --features gives extents" bash -c "'$BIN' info --json --features regions | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)>100 and len(d[0][\"extent\"])==4'"
fi

echo "$failures failure(s), $skipped skipped group(s)"
[ "$failures" -eq 0 ] || exit 1
[ "$skipped" -eq 0 ] || exit 77
