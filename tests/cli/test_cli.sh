#!/usr/bin/env bash
# CLI tests: run the built corridor binary as a user would, bad input included.
# Usage: test_cli.sh /path/to/corridor /path/to/build-dir
# Each check prints one line; the script exits non-zero if any failed.
set -u

BIN=$(readlink -f "$1")
BUILD=$(readlink -f "${2:-$(dirname "$BIN")}")
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1

failures=0
skipped=0
# needs TOOL: true when TOOL is installed; otherwise says which checks are skipped, and the
# script ends with exit 77 (ctest's SKIP) instead of passing silently.
needs() {
  command -v "$1" >/dev/null && return 0
  printf 'SKIP  checks that need %s (not installed; scripts/setup installs it)\n' "$1"
  skipped=$((skipped + 1))
  return 1
}
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
check() { # check NAME COMMAND...: passes when the command succeeds
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# run EXPECTED_EXIT ARGS...: runs the binary, keeps stdout/stderr in $WORK/out, $WORK/err.
run() {
  local want=$1; shift
  "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "  exit $got, expected $want: corridor $*"
    sed 's/^/  stderr: /' "$WORK/err" | head -5
    return 1
  fi
  return 0
}
# One line on stderr, mentioning every given string.
one_error_line() {
  [ "$(wc -l <"$WORK/err")" -eq 1 ] || { echo "  stderr has $(wc -l <"$WORK/err") lines"; cat "$WORK/err"; return 1; }
  local s
  for s in "$@"; do
    grep -qF -- "$s" "$WORK/err" || { echo "  stderr lacks '$s': $(cat "$WORK/err")"; return 1; }
  done
}
png_size() { # prints "W H" of a PNG
  od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}
no_files_like() { # nothing matching the glob in the directory, hidden temporaries included
  local dir=$1 pat=$2
  [ -z "$(find "$dir" -maxdepth 1 -name "$pat" -o -maxdepth 1 -name ".$pat.*" | head -1)" ]
}

# ---- help and misuse ----
check "--help lists the commands" bash -c "'$BIN' --help | grep -q 'render' && '$BIN' --help | grep -q 'info'"
check "render --help is grouped" bash -c "'$BIN' render --help | grep -q '^Output:' && '$BIN' render --help | grep -q '^Map:' && '$BIN' render --help | grep -q -- '--extent'"
check "--version" bash -c "'$BIN' --version | grep -Eq '^corridor [0-9]+\.[0-9]+\.[0-9]+$'"
check "no command is misuse" run 2
check "unknown command is misuse" run 2 frobnicate
check "render without -o is misuse" bash -c "'$BIN' render 2>&1 >/dev/null | grep -q -- '-o FILE'; [ \${PIPESTATUS[0]} -eq 2 ]"
check "unknown option is misuse" run 2 render --bogus -o x.png
check "bad --size is misuse" run 2 render --size 12 -o x.png
check "bad --extent is misuse" run 2 render --extent 1,2,3 -o x.png
check "bad --format is misuse" run 2 render --format gif -o x.png
for paper in A3 A4 A5 Letter Legal Tabloid; do
  check "render --help lists --paper $paper" bash -c "'$BIN' render --help | grep -- '--paper' | grep -qw '$paper'"
done
check "unknown paper is misuse" run 2 render --paper B5 -o x.png
check "  naming the paper" grep -q -- "--paper: 'B5' is not a paper size" "$WORK/err"

# ---- the default map ----
mkdir -p "$WORK/elsewhere" && cd "$WORK/elsewhere" || exit 1
if run 0 render -o map.png; then
  check "default PNG is 2400x1800" test "$(png_size map.png)" = "2400 1800"
  check "default PNG carries 300 dpi (pHYs)" bash -c "grep -c pHYs map.png >/dev/null"
else
  fail "default map renders to PNG"
fi
check "default map renders to SVG" run 0 render -o map.svg
check "SVG page is 576x432 pt" grep -q 'width="576pt" height="432pt"' map.svg
check "default map renders to PDF" run 0 render -o map.pdf
if needs pdfinfo; then
  check "PDF page is 576x432 pt" bash -c "pdfinfo map.pdf | grep -q 'Page size: *576 x 432 pts'"
fi
check "--format overrides the extension" run 0 render --format svg -o map.out
check "--format svg wrote SVG" grep -q '<svg' map.out
check "--size and --dpi" run 0 render --size 1200x900 --dpi 150 -o small.png
check "  small PNG is 1200x900" test "$(png_size small.png)" = "1200 900"
check "--threads 1 renders" run 0 render --size 1200x900 --dpi 150 --threads 1 -o one.png
check "--threads 2 renders" run 0 render --size 1200x900 --dpi 150 --threads 2 -o two.png
check "  the same bytes whatever the threads" cmp -s one.png two.png
check "  and as the default's" cmp -s one.png small.png
check "--threads 0 is misuse" run 2 render --threads 0 -o x.png
check "--threads x is misuse" run 2 render --threads x -o x.png
check "--dpi alone keeps the page" run 0 render --dpi 72 -o low.png
check "  72 dpi PNG is 576x432" test "$(png_size low.png)" = "576 432"
check "--size in mm" run 0 render --size 180x120mm --format pdf -o mm.pdf
if needs pdfinfo; then
  check "  180x120mm PDF is 510x340 pt" bash -c "pdfinfo mm.pdf | grep -Eq 'Page size: *510.2[0-9]* x 340.1[0-9]* pts'"
fi
# As a user runs it: the system's fontconfig configuration, not the tests' pinned one (under
# the sanitizers fontconfig's own leak must not fail the run).
check "renders with the system's fonts too" env -u FONTCONFIG_FILE "$BIN" render --size 300x200 -o sysfonts.png
check "  and writes the map" test -s sysfonts.png
check "  an error with the system's fonts is still one line" bash -c "env -u FONTCONFIG_FILE '$BIN' render --size 300x200 --style nowhere.lua -o x.png 2>&1 >/dev/null | wc -l | grep -qx 1"
check "--crs and --extent" run 0 render --crs EPSG:3035 --extent 20,45,40,58 -o laea.png
check "  a sensible view gives no warning" bash -c "! grep -q warning '$WORK/err'"
# Maps that render but are surely wrong: exit 0, the map written, one warning line that says why.
check "a CRS that turns the view upside down renders" run 0 render --crs EPSG:32601 --size 400x300 -o utm.png
check "  with a warning naming the turn and a CRS to try" one_error_line \
  "corridor: warning: the CRS turns the map" "(the map is upside down)" "try --crs '+proj=laea"
check "  and the map is written" test -s utm.png
check "an extent with no data renders" run 0 render --extent -120,30,-80,48 --crs EPSG:5070 --size 400x300 -o usa.png
check "  with a warning naming the empty layers" \
  grep -qF "corridor: warning: nothing in view: no feature of land, countries" "$WORK/err"
check "corridor check of the default style passes" run 0 check "$SRC/styles/default.lua"
check "  without a warning" bash -c "! grep -q warning '$WORK/err'"
check "--verbose reports" bash -c "'$BIN' render -v -o v.png 2>&1 | grep -q 'features read'"
# Limits: a clear message naming the limit, and --limit to raise it (or lower it).
check "--limit list names the limits" run 0 render --limit list
check "  with raster-pixels and its default" grep -Eq '^raster-pixels +200000000 ' "$WORK/out"
check "a PNG wider than 20000 px is refused" run 7 render --size 20001x50 -o wide.png
check "  naming the limit to raise" one_error_line "exceeds the 20000 px limit per side" "--limit raster-side=N"
check "--limit raster-side=20100 lets it through" run 0 render --limit raster-side=20100 --size 20001x50 -o wide.png
check "  20001 px wide" test "$(png_size wide.png)" = "20001 50"
check "a lowered limit holds" run 7 render --limit raster-pixels=100k --size 400x300 -o small.png
check "  in millions of pixels" one_error_line "(0.12 million pixels) exceeds the 0.1 million pixel limit"
check "a mistyped limit is misuse" run 2 render --limit rastr-side=3 -o x.png
check "  with the nearest name" grep -qF "no limit 'rastr-side' (did you mean 'raster-side'?" "$WORK/err"
check "a limit beyond what the libraries do is misuse" run 2 render --limit raster-side=40000 -o x.png
check "  giving the range" grep -qF "limit raster-side: 40000 is outside 1..32767 px" "$WORK/err"
check "a malformed limit is misuse" run 2 render --limit raster-side=lots -o x.png
check "a style above script-file is refused" run 7 render --limit script-file=2KiB -o x.png
check "  naming the limit" one_error_line "default.lua: " "more than the 2048 accepted" "--limit script-file=N"
check "a GeoJSON above geojson-positions is refused" run 7 render --limit geojson-positions=5 --overlay "$SRC/tests/fixtures/geojson/all_geometries.geojson" -o x.png
check "  naming the limit to raise" one_error_line "--limit geojson-positions=N"
check "--paper A4 --landscape" run 0 render --paper A4 --landscape -o a4.pdf
check "--paper Tabloid" run 0 render --paper tabloid --format pdf -o tabloid.pdf
if needs pdfinfo; then
  check "  Tabloid is 792x1224 pt" bash -c "pdfinfo tabloid.pdf | grep -Eq 'Page size: *792 x 1224 pts'"
fi
if needs pdfinfo; then
  check "  A4 landscape is 842x595 pt" bash -c "pdfinfo a4.pdf | grep -Eq 'Page size: *841.8[0-9]* x 595.2[0-9]* pts'"
fi
if needs pdftotext; then
  pdftotext map.pdf map.txt
  for name in Klaipėda Vilnius Minsk Kyiv Chernihiv Salihorsk BELARUS LITHUANIA UKRAINE; do
    check "PDF text has $name" grep -q "$name" map.txt
  done
fi
check "SVG labels are <text>" grep -q '<text[^>]*>Vilnius</text>' map.svg
check "SVG halos come first" bash -c "grep -n 'class=\"label-halos\"' map.svg | head -1 | cut -d: -f1 >h; grep -n 'class=\"labels\"' map.svg | head -1 | cut -d: -f1 >t; [ \$(cat h) -lt \$(cat t) ]"
cd "$WORK" || exit 1

# ---- quick look and info ----
check "quick look at a shapefile" run 0 render --layer "$SRC/geodata/rivers.shp" -o rivers.png
check "repeated --layer" run 0 render --layer "$SRC/geodata/countries.shp" --layer "$SRC/geodata/places.shp" -o two.svg
check "info describes a layer" run 0 info "$SRC/geodata/countries.shp"
check "  geometry" grep -q '^Geometry: *Polygon$' "$WORK/out"
check "  features" grep -Eq '^Features: *[0-9]+' "$WORK/out"
check "  CRS identified" grep -q 'EPSG:4326' "$WORK/out"
check "  encoding" grep -q '^Encoding: *UTF-8 (.cpg)' "$WORK/out"
check "  fields" grep -Eq '^  iso_a2 +String\(' "$WORK/out"

# ---- overlays and check ----
cat >"$WORK/mine.lua" <<'LUA'
route { "Kaunas", "Vilnius", stroke = "#1f5fa8", width = 2.5, label = "A1" }
marker { at = "Klaipeda", symbol = "port", label = "Port" }
LUA
check "a Lua overlay on the default map" run 0 render --overlay mine.lua -o mine.png
check "a GeoJSON overlay" run 0 render --overlay "$SRC/tests/fixtures/geojson/vilnius_klaipeda.geojson" -o gj.svg
check "  its title is SVG text" grep -q 'Klaipėda' gj.svg
check "check accepts the default style" run 0 check "$SRC/styles/default.lua"
check "check accepts an overlay script" run 0 check mine.lua
check "check accepts GeoJSON" run 0 check "$SRC/tests/fixtures/geojson/vilnius_klaipeda.geojson"
printf 'include "default"\nmap { title = false }\n' >"$WORK/notitle.lua"
check "title = false drops the default title" run 0 render --style notitle.lua -o notitle.pdf
if needs pdftotext; then
  check "  the PDF has no title" bash -c "! pdftotext notitle.pdf - | grep -q 'Potash, prisoners and borders'"
  check "  but keeps the subtitle" bash -c "pdftotext notitle.pdf - | grep -q 'political prisoners'"
fi
printf 'route { "Minsk", "Klaipda" }\n' >"$WORK/typo_place.lua"
check "an unknown place is an error" run 9 check typo_place.lua
check "  suggesting the right name" one_error_line "typo_place.lua:1" "Klaipėda"
check "  also when rendering" run 9 render --overlay typo_place.lua -o tp.png
check "  and no output file" no_files_like "$WORK" "tp.png*"
printf 'include "default"\nlayer { source = "contries" }\n' >"$WORK/typo_layer.lua"
check "an unknown layer is an error in check" run 9 check typo_layer.lua
check "  suggesting the right name" one_error_line "typo_layer.lua:2" "did you mean 'countries'?"
check "  and the same in render" run 9 render --style typo_layer.lua -o tl.png
check "  with no output file" no_files_like "$WORK" "tl.png*"
printf 'include "default"\nhide "potsh"\n' >"$WORK/typo_hide.lua"
check "hiding a group no overlay is in is an error" run 9 check typo_hide.lua
check "  suggesting the group" one_error_line "hide 'potsh'" "did you mean 'potash'?"
printf 'include "default"\nmap { size = "6000x6000mm" }\n' >"$WORK/huge.lua"
check "check meets the page limits render meets" run 7 check huge.lua
check "  one line with the limit" one_error_line "14400 pt"
check "  as render does" run 7 render --style huge.lua -o huge.pdf
printf 'local t = {}\nwhile true do t[#t + 1] = string.rep("x", 1e6) end\n' >"$WORK/bomb.lua"
check "a memory bomb stops" run 5 render --overlay bomb.lua -o bomb.png
check "  with file and line" one_error_line "bomb.lua:2" "memory"
printf 'os.execute("touch pwned")\n' >"$WORK/escape.lua"
check "os is not available" run 5 render --overlay escape.lua -o escape.png
check "  nothing ran" test ! -e "$WORK/pwned"
mkdir -p "$WORK/outside" "$WORK/scripts"
printf 'secret,n\nTOPSECRET,1\n' >"$WORK/outside/secret.csv"
ln -s "$WORK/outside/secret.csv" "$WORK/scripts/link.csv"
printf 'local rows = read_csv("link.csv")\ncallout { at = "Vilnius", text = rows[1].secret }\n' >"$WORK/scripts/leak.lua"
check "a symlink beside a script does not lead out" run 5 render --overlay scripts/leak.lua -o leak.pdf
check "  one line naming the link" one_error_line "leak.lua:1" "link.csv" "outside the script's directory"
check "  and no output file" no_files_like "$WORK" "leak.pdf*"
printf 'setmetatable({}, { __gc = function() while true do end end })\n' >"$WORK/gc.lua"
check "an endless finalizer does not hang the render" run 5 render --overlay gc.lua -o gc.png
check "  one line naming the script" one_error_line "gc.lua:1" "__gc"
printf '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},\n "geometry": {"type": "Point", "coordinates": [200, 50]}}]}\n' >"$WORK/bad.geojson"
check "bad GeoJSON is a data error" run 4 render --overlay bad.geojson -o badgj.png
check "  naming file and feature" one_error_line "bad.geojson" "features[0]"

# ---- bad input: one line naming the file, non-zero exit, no output ----
cp "$SRC"/geodata/places.{shp,shx,dbf,prj,cpg} "$WORK/"
head -c 3000 "$WORK/places.shp" >"$WORK/cut.shp"
cp "$WORK/places.shx" "$WORK/cut.shx"; cp "$WORK/places.dbf" "$WORK/cut.dbf"
check "truncated .shp is a data error" run 4 render --layer cut.shp -o cut.png
check "  one line naming the file" one_error_line "cut.shp"
check "  no output file" no_files_like "$WORK" "cut.png*"

cp "$WORK/places.shp" "$WORK/huge.shp"; cp "$WORK/places.shx" "$WORK/huge.shx"; cp "$WORK/places.dbf" "$WORK/huge.dbf"
printf '\xff\xff\xff\xee' | dd of="$WORK/huge.dbf" bs=1 seek=4 conv=notrunc status=none
check ".dbf claiming 4 billion records is a data error" run 4 info huge.shp
check "  one line naming the .dbf" one_error_line "huge.dbf"

printf 'not a shapefile at all' >"$WORK/junk.shp"; cp "$WORK/places.shx" "$WORK/junk.shx"
check "garbage .shp is a data error" run 4 info junk.shp
check "  one line naming it" one_error_line "junk.shp"
check "missing shapefile is an I/O error" run 3 info nowhere.shp
check "  one line naming it" one_error_line "nowhere.shp"

# A name declared UTF-8 holding f7 aa 95 ad (above U+10FFFF, which iconv passes): the map is
# drawn, with the name's bad bytes as U+FFFD and one warning; info counts the value.
for ext in shp shx dbf prj cpg; do cp "$WORK/places.$ext" "$WORK/badtext.$ext"; done
at=$(grep -obUa 'Vilnius' "$WORK/badtext.dbf" | head -1 | cut -d: -f1)
printf '\xf7\xaa\x95\xad' | dd of="$WORK/badtext.dbf" bs=1 seek=$((at + 1)) conv=notrunc status=none
printf 'map { crs = "EPSG:4326", extent = { 20, 53, 28, 57 }, legend = false }\nlayer { source = "badtext.shp", marker = "circle", size = 3, label = "{name}" }\n' >"$WORK/badtext.lua"
check "invalid text in a .dbf still draws the map" run 0 render --style badtext.lua -o badtext.png -o badtext.svg
check "  one warning naming the file and the count" one_error_line "warning: " "badtext.shp: 1 attribute value is not valid UTF-8" "U+FFFD"
check "  the label has U+FFFD" grep -qF "$(printf 'V\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdus')" "$WORK/badtext.svg"
for ext in shp dbf prj cpg; do cp "$WORK/places.$ext" "$WORK/noshx.$ext"; done
check "a .shp without its .shx is drawn" run 0 render --layer noshx.shp -o noshx.png
check "  one warning: the index was rebuilt" one_error_line "warning: " "noshx.shp: no .shx index beside it: rebuilt in memory"
for ext in shp shx prj; do cp "$WORK/places.$ext" "$WORK/nodbf.$ext"; done
check "a .shp without its .dbf is drawn" run 0 render --layer nodbf.shp -o nodbf.png
check "  one warning: no attributes" one_error_line "warning: " "nodbf.shp: no .dbf beside it"
check "check passes it with the warning" run 0 check badtext.lua
check "  the warning on stderr" grep -q "warning: .*badtext.shp: 1 attribute value" "$WORK/err"
check "info counts the value" run 0 info badtext.shp
check "  on the encoding line" grep -q "^Encoding:  UTF-8 (.cpg); 1 value not valid UTF-8, read with U+FFFD" "$WORK/out"
check "info --json counts it" run 0 info --json badtext.shp
check "  as invalid_text" grep -q '"invalid_text": 1, "warnings": \["badtext.shp: 1 attribute' "$WORK/out"

printf 'map { crs = "EPSG:4326" }\nlayer { source = "countries", fill = }\n' >"$WORK/broken.lua"
check "broken style is a style error" run 5 render --style broken.lua -o broken.png
check "  one line with file and line" one_error_line "broken.lua:2"
check "  no output file" no_files_like "$WORK" "broken.png*"
printf 'layer { source = "countries", fil = "#fff" }\n' >"$WORK/typo.lua"
check "unknown style key is a style error" run 5 render --style typo.lua -o typo.png
check "  suggests the right key" one_error_line "typo.lua:1" "fill"
printf 'while true do end\n' >"$WORK/loop.lua"
check "endless style loop stops" run 5 render --style loop.lua -o loop.png
check "  names the script and line" one_error_line "loop.lua:1"

check "unknown CRS is a CRS error" run 6 render --crs EPSG:999999 -o crs.png
check "  one line quoting it" one_error_line "EPSG:999999"
check "  no output file" no_files_like "$WORK" "crs.png*"
check "absurd size is a limit error" run 7 render --size 100000x100000 -o huge.png
check "  one line with the numbers" one_error_line "100000"
check "missing output directory is an I/O error" run 3 render -o "$WORK/no/such/dir/map.png"
check "  one line naming it" one_error_line "no/such/dir"

# Output is never written over an input: the style, an overlay, a layer or a part of one, by any
# name (a symbolic link included); the input is left as it was.
cp "$WORK/badtext.lua" "$WORK/self.lua"
check "-o naming the style is refused" run 2 render --style self.lua -o self.lua -f png
check "  one line naming it" one_error_line "self.lua: the map reads this file: refusing"
check "  the style is unchanged" cmp -s "$WORK/self.lua" "$WORK/badtext.lua"
cp "$SRC/tests/fixtures/geojson/vilnius_klaipeda.geojson" "$WORK/over.geojson"
check "-o naming an overlay is refused" run 2 render --overlay over.geojson -o over.geojson -f svg
check "-o naming a layer's .dbf is refused" run 2 render --layer nodbf.shp --layer places.shp -o ./places.dbf -f png
check "  one line naming it" one_error_line "places.dbf" "refusing to write the map over it"
ln -s badtext.shp "$WORK/alias.png"
check "-o through a link to a style's shapefile is refused" run 2 render --style badtext.lua -o alias.png
check "  the shapefile is unchanged" cmp -s "$WORK/badtext.shp" "$WORK/places.shp"
ln -sf badtext.dbf "$WORK/alias.png"
check "-o through a link to a .dbf a style opens is refused" run 2 render --style badtext.lua -o alias.png
check "  it names the .dbf" grep -q "the same file as .*badtext.dbf" "$WORK/err"

echo "precious" >"$WORK/keep.png"
check "failed render keeps an existing file" run 5 render --style broken.lua -o keep.png
check "  existing file unchanged" grep -q precious "$WORK/keep.png"

# ---- data directory and install ----
check "--data-dir that is not one is an error" run 9 render --data-dir "$WORK" -o d.png
check "CORRIDOR_DATA_DIR is honoured" bash -c "CORRIDOR_DATA_DIR='$WORK' '$BIN' render -o e.png 2>&1 | grep -q 'CORRIDOR_DATA_DIR'"
echo "$failures failure(s), $skipped skipped group(s)"
[ "$failures" -eq 0 ] || exit 1
[ "$skipped" -eq 0 ] || exit 77
