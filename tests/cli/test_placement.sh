#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The placement report on the default map at the seven pages a newsroom asks for: nothing solid
# overlaps anything solid and nothing lies off the page on any of them, and the story's key places
# are labelled where they fit (see KEY_PAGES); --placement's misuse and its failures.
# Usage: test_placement.sh /path/to/corridor
set -u

BIN=$(readlink -f "$1")
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
CHECK="$SRC/tests/cli/placement_check.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-placement.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
failures=0
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
command -v python3 >/dev/null || { echo "SKIP  python3 is not installed"; exit 77; }
checked() { # checked NAME [--no-must]: runs the checker on NAME.json, showing what it says
  local name=$1; shift
  python3 "$CHECK" "$@" "$WORK/$name.json" >"$WORK/check" 2>&1 && return 0
  sed 's/^/  /' "$WORK/check"; return 1
}

# name and page; on 90x60 mm the compact legend uncovers Minsk, Kyiv and Salihorsk, but the labels
# of Vilnius and Chernihiv find no room among their neighbours' markers (they would need those
# markers displaced), so only overlaps and the page's edge are checked there
PAGES=("800:--size 800x600px --dpi 100" "90mm:--size 90x60mm" "a4:--paper A4"
       "a4l:--paper A4 --landscape" "a3l:--paper A3 --landscape" "1080:--size 1080x1080px"
       "1920:--size 1920x1080px")
KEY_PAGES=" 800 a4 a4l a3l 1080 1920 "
for page in "${PAGES[@]}"; do
  name=${page%%:*}
  read -r -a args <<<"${page#*:}"
  check "$name: renders with --placement" run 0 render "${args[@]}" -o "$name.png" --placement "$name.json"
  if [[ $KEY_PAGES == *" $name "* ]]; then
    check "  nothing overlaps, nothing off the page, the key places labelled" checked "$name"
  else
    check "  nothing overlaps, nothing off the page" checked "$name" --no-must
  fi
done

python3 - "$WORK/800.json" >"$WORK/fields" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert abs(r["page"]["width_pt"] - 576) < 1e-6 and abs(r["page"]["height_pt"] - 432) < 1e-6
assert r["page"]["dpi"] == 100
kinds = {e["kind"] for e in r["placed"]}
assert {"label", "marker", "route", "flow", "callout", "leader", "title", "legend", "scalebar",
        "inset", "credits", "graticule_label"} <= kinds, kinds
assert all(len(e["box"]) == 4 and e["box"][0] <= e["box"][2] and e["box"][1] <= e["box"][3]
           for e in r["placed"])
assert r["dropped"] and all(set(d) == {"kind", "text", "reason"} for d in r["dropped"])
PY
check "the report: page in points with its dpi, every kind, boxes and drops" test ! -s "$WORK/fields" || { cat "$WORK/fields"; false; }

# a box the checker must catch: the report's own legend copied over its title
python3 -c "
import json, sys
r = json.load(open('$WORK/a4.json', encoding='utf-8'))
t = [e for e in r['placed'] if e['kind'] == 'title'][0]
r['placed'].append({'kind': 'legend', 'text': 'x', 'box': t['box']})
json.dump(r, open('$WORK/bad.json', 'w'))"
check "the checker finds a legend over the title" bash -c "! python3 '$CHECK' '$WORK/bad.json' >/dev/null"

check "--verbose names what was dropped" run 0 render --size 90x60mm -o v.png -v
check "  each with its reason" grep -q 'dropped marker "[^"]*": under the legend' "$WORK/err"
check "--placement is the same report run after run" bash -c "'$BIN' render --size 800x600px --dpi 100 -o again.png --placement again.json && cmp -s again.json 800.json"
check "--placement with --atlas is misuse" run 2 render --atlas regions --placement p.json -o 'out/{name}.png'
check "an unwritable report fails with exit 3" run 3 render --size 300x200px -o x.png --placement "$WORK/no/such/dir/p.json"
check "  naming the file" grep -q "no/such/dir/p.json" "$WORK/err"

echo "$failures failure(s)"
[ "$failures" -eq 0 ] || exit 1
