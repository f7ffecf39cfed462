#!/usr/bin/env bash
# The architecture as the code shows it: DESIGN.md's one-way flow of modules.
# Usage: check_layers.sh SOURCE_DIR LIBCORRIDOR.a
#   1. no two library files call each other, directly or round a loop (from the archive's
#      symbol tables: which object defines and which uses each cor_ symbol);
#   2. each layer includes only what is below it (sources know no cairo, Pango or Lua; the
#      script files know no drawing; painting and text know no Lua);
#   3. the library never prints and never exits; the CLI includes only the public header.
set -u
SRC=$1
LIB=$2
failures=0
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
pass() { printf 'ok    %s\n' "$1"; }

# ---- 1. the call graph between object files has no cycle ----
edges=$(nm -A "$LIB" 2>/dev/null | awk '
  { split($1, p, ":"); obj = p[2]; sub(/\.c\.o$/, "", obj) }
  $(NF - 1) ~ /^[TDBR]$/ && $NF ~ /^cor_/ { def[$NF] = obj }
  $(NF - 1) == "U" && $NF ~ /^cor_/ { use[obj " " $NF] = 1 }
  END { for (k in use) { split(k, a, " "); if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' | sort -u)
if [ -z "$edges" ]; then
  fail "no call graph read from $LIB"
elif loop=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null); [ -n "$loop" ]; then
  fail "the calls between library files go round a loop:"
  printf '%s\n' "$loop" | sed 's/^/      /'
else
  pass "calls between library files go one way ($(printf '%s\n' "$edges" | wc -l) edges)"
fi

# ---- 2. includes follow the layers ----
# forbids FILE-PATTERN HEADER-PATTERN WHY
forbids() {
  local files=$1 headers=$2 why=$3 hits
  hits=$(cd "$SRC/render/src" && grep -EHn "^#include [<\"]($headers)" $files 2>/dev/null)
  if [ -n "$hits" ]; then
    fail "$why"
    printf '%s\n' "$hits" | sed 's/^/      /'
  else
    pass "$why"
  fi
}
DRAWING='cairo|pango|paint\.h|text\.h|text_block\.h|labeler\.h|overlay_draw\.h|overlay_pass\.h|furniture|legend\.h|scalebar\.h|graticule\.h|titles\.h|inset\.h|locator\.h|render|output\.h|map_internal\.h|view\.h'
SCRIPTING='lua|lauxlib|lualib|script'
SOURCES='util.c warnings.c files.c utf8.c suggest.c geom.c color.c page.c csv.c gazetteer.c source_shp.c shp_check.c shp_reader.c dbf_text.c source_json.c simplestyle.c project.c mapdef.c style.c overlay.c overlay_spec.c polyline.c'
forbids "$SOURCES $(echo "$SOURCES" | sed 's/\.c/.h/g')" "$DRAWING|$SCRIPTING" \
  "sources, the style model and the overlay model include no drawing and no Lua"
forbids "script*.c script*.h" "$DRAWING" "the script files include no drawing"
forbids "paint.c paint.h text.c text.h labeler.c labeler.h polyline.c polyline.h" "$SCRIPTING" \
  "painting, text and the labeler include no Lua"

# ---- 3. the library neither prints nor exits; the CLI is a client ----
hits=$(cd "$SRC/render/src" && grep -EHn '\b(printf|puts|putchar|perror|exit|abort)\s*\(|\b(stdout|stderr)\b' *.c 2>/dev/null |
       grep -v '^\S*:[0-9]*:\s*/\?\*' | grep -Ev 'snprintf|vsnprintf')
if [ -n "$hits" ]; then
  fail "the library never prints or exits"
  printf '%s\n' "$hits" | sed 's/^/      /'
else
  pass "the library never prints or exits"
fi
hits=$(grep -En '^#include "' "$SRC/render/cli/"*.[ch] | grep -Ev '"(corridor|cli)\.h"')
if [ -n "$hits" ]; then
  fail "the CLI includes only corridor.h (and its own cli.h)"
  printf '%s\n' "$hits" | sed 's/^/      /'
else
  pass "the CLI includes only corridor.h (and its own cli.h)"
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
