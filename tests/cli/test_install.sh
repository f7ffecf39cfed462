#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install tests: `cmake --install` into a fresh prefix, then use it as a new user and an
# embedding program would: the installed binary, the shared library's exports and SONAME, the
# data found relative to the library, pkg-config (shared and --static) and find_package.
# Usage: test_install.sh /path/to/build-dir
set -u

BUILD=$(readlink -f "$1")
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-install.XXXXXX")
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
finish() {
  echo "$failures failure(s), $skipped skipped group(s)"
  [ "$failures" -eq 0 ] || exit 1
  [ "$skipped" -eq 0 ] || exit 77
  exit 0
}
# The embedding programs run without any hint where the data is.
unset CORRIDOR_DATA_DIR
P="$WORK/prefix"
if ! cmake --install "$BUILD" --prefix "$P" >"$WORK/install.log" 2>&1; then
  fail "cmake --install into a temporary prefix"; head -5 "$WORK/install.log"; finish
fi
pass "cmake --install into a temporary prefix"
VERSION=$("$P/bin/corridor" --version | awk '{print $2}')

# ---- what is installed ----
check "the default style and the geodata" test -f "$P/share/corridor/styles/default.lua" -a -f "$P/share/corridor/geodata/countries.shp"
check "the header, its version header and corridor.pc" test -f "$P/include/corridor.h" -a -f "$P/include/corridor_version.h" -a -f "$P/lib/pkgconfig/corridor.pc"
check "the CMake package" test -f "$P/lib/cmake/corridor/corridorConfig.cmake" -a -f "$P/lib/cmake/corridor/corridorConfigVersion.cmake"
check "a static and a shared library" test -f "$P/lib/libcorridor.a" -a -L "$P/lib/libcorridor.so" -a -L "$P/lib/libcorridor.so.0" -a -f "$P/lib/libcorridor.so.$VERSION"
check "the shared library's SONAME is libcorridor.so.0" bash -c "readelf -d '$P/lib/libcorridor.so.0' | grep -q 'SONAME.*\[libcorridor.so.0\]'"
nm -D --defined-only "$P/lib/libcorridor.so.0" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | sed 's/@.*//' >"$WORK/exports"
check "it exports the public API" grep -qx 'cor_map_render_file' "$WORK/exports"
check "  and nothing else (no cor__ internals)" bash -c "! grep -v '^cor_[a-z]' '$WORK/exports' | grep ."
check "  as many functions as corridor.h declares" bash -c "test \$(grep -c . '$WORK/exports') -eq \$(grep -Eo '^[a-z_ ]*[ *](cor_[a-z0-9_]+)\(' '$SRC/render/include/corridor.h' | grep -Eo 'cor_[a-z0-9_]+\(' | sort -u | grep -c .)"
check "the binary links the shared library" bash -c "readelf -d '$P/bin/corridor' | grep -q 'NEEDED.*libcorridor.so.0'"
check "  and finds it relative to itself" bash -c "env -u LD_LIBRARY_PATH ldd '$P/bin/corridor' | grep -q '$P/bin/../lib/libcorridor.so.0'"
check "one version: corridor.pc" test "$(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --modversion corridor)" = "$VERSION"
check "one version: corridor_version.h" grep -q "COR_VERSION *\"$VERSION\"" "$P/include/corridor_version.h"
check "one version: the library's file name" test -f "$P/lib/libcorridor.so.$VERSION"

check "the man pages corridor(1) and corridor-style(5)" test -f "$P/share/man/man1/corridor.1" -a -f "$P/share/man/man5/corridor-style.5"
if needs man; then
  LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$P/share/man/man1/corridor.1" >man1.txt 2>man1.err
  check "  corridor(1) renders without warnings" test ! -s man1.err -a -s man1.txt
  check "  with this version, every render option and the exit codes" bash -c "grep -q 'corridor $VERSION' man1.txt && for o in \$('$P/bin/corridor' render --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do grep -q -- \"\$o\" man1.txt || { echo \"  man page lacks \$o\"; exit 1; }; done && grep -q 'cairo failed to draw' man1.txt"
  check "  and where the data is" grep -q "share/corridor/styles/default.lua" man1.txt
  LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$P/share/man/man5/corridor-style.5" >man5.txt 2>man5.err
  check "  corridor-style(5) renders without warnings" test ! -s man5.err -a -s man5.txt
  check "  naming every map{} key of the README" bash -c "for k in title subtitle credits legend scalebar inset graticule; do grep -qw \$k man5.txt || exit 1; done"
fi
C="$P/share/bash-completion/completions/corridor"
check "bash completion is installed" test -f "$C"
complete_words() { # complete_words WORD...: what the completion offers for the last word
  bash -c 'shopt -s extglob; source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _corridor; printf "%s\n" "${COMPREPLY[@]}"' _ "$C" "$P/bin/corridor" "$@"
}
offers() { # offers WANT WORD...: the completion of the last WORD offers WANT
  local want=$1; shift
  complete_words "$@" | grep -qx -- "$want"
}
check "  completes subcommands" offers check ch
check "  completes render's options" offers --atlas-list render --atl
papers=true
for p in A3 A4 A5 Letter Legal Tabloid; do offers "$p" render --paper '' || papers=false; done
check "  completes --paper values" $papers
check "  and --format values" offers svg render -f s
check "the license and NEWS" test -f "$P/share/doc/corridor/LICENSE" -a -f "$P/share/doc/corridor/NEWS"
check "  NEWS names this version" grep -q "^corridor $VERSION" "$P/share/doc/corridor/NEWS"

# ---- the installed binary and its data ----
mkdir -p "$WORK/user" && cd "$WORK/user" || exit 1
REALP=$(readlink -f "$P")
check "installed binary renders the default map" "$P/bin/corridor" render -o installed.png
check "  from the installed data (found beside the library)" bash -c "'$P/bin/corridor' render -v -o i2.png 2>&1 | grep -qx 'data: $REALP/share/corridor'"
mv "$P" "$WORK/moved" && P="$WORK/moved" && REALP=$(readlink -f "$P")
check "a moved prefix still renders, from its own data" bash -c "'$P/bin/corridor' render -v -o i3.png 2>&1 | grep -qx 'data: $REALP/share/corridor'"
cd "$WORK" || exit 1

# ---- embedding programs ----
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
CFLAGS_T=${COR_TEST_CFLAGS:-}
# shellcheck disable=SC2046,SC2086
if cc -std=c11 $CFLAGS_T -o "$WORK/embed" "$SRC/tests/cli/embed.c" $(pkg-config --cflags --libs corridor) \
     -Wl,-rpath,"$P/lib" $CFLAGS_T 2>"$WORK/cc.log"; then
  pass "an embedding program builds with pkg-config against the shared library"
  check "  which it links (not the archive)" bash -c "readelf -d '$WORK/embed' | grep -q 'NEEDED.*libcorridor.so.0'"
  check "  and draws into its own cairo context" bash -c "'$WORK/embed' '$P/share/corridor' '$WORK/embed.pdf' | grep -q 'labels placed: [1-9]'"
  if needs pdftotext; then
    check "  with the marker it added" bash -c "pdftotext '$WORK/embed.pdf' - | grep -q Depot"
  fi
else
  fail "an embedding program builds with pkg-config against the shared library"; head -5 "$WORK/cc.log"
fi
# The archive with its dependencies (corridor.pc's Requires.private) as shared libraries: Debian
# ships no static libcurl for PROJ, so a fully static link is not what this checks.
PRIV=$(pkg-config --print-requires-private corridor | awk '{print $1}' | tr '\n' ' ')
# shellcheck disable=SC2046,SC2086
if cc -std=c11 $CFLAGS_T -o "$WORK/embed-static" "$SRC/tests/cli/embed.c" $(pkg-config --cflags corridor) \
     -L"$P/lib" -Wl,-Bstatic -lcorridor -Wl,-Bdynamic $(pkg-config --libs cairo $PRIV) -lm $CFLAGS_T 2>"$WORK/cc.log"; then
  pass "an embedding program links the static archive and the Requires.private of corridor.pc"
  check "  needing no libcorridor.so" bash -c "! readelf -d '$WORK/embed-static' | grep -q 'libcorridor'"
  check "  and draws" bash -c "'$WORK/embed-static' '$P/share/corridor' '$WORK/embed-static.pdf' | grep -q 'labels placed: [1-9]'"
else
  fail "an embedding program links the static archive and the Requires.private of corridor.pc"; head -5 "$WORK/cc.log"
fi
mkdir -p "$WORK/fp"
cat >"$WORK/fp/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(embed_fp C)
find_package(corridor $VERSION REQUIRED)
add_executable(embed "$SRC/tests/cli/embed.c")
target_link_libraries(embed PRIVATE corridor::corridor)
CMAKE
if cmake -S "$WORK/fp" -B "$WORK/fp/build" -DCMAKE_PREFIX_PATH="$P" "-DCMAKE_C_FLAGS=$CFLAGS_T" \
     "-DCMAKE_EXE_LINKER_FLAGS=$CFLAGS_T" >"$WORK/fp.log" 2>&1 &&
   cmake --build "$WORK/fp/build" >>"$WORK/fp.log" 2>&1; then
  pass "an embedding program builds with find_package(corridor) and corridor::corridor"
  check "  and draws" bash -c "'$WORK/fp/build/embed' '$P/share/corridor' '$WORK/fp.pdf' | grep -q 'labels placed: [1-9]'"
else
  fail "an embedding program builds with find_package(corridor) and corridor::corridor"; tail -15 "$WORK/fp.log"
fi
# ---- examples/report.c: a three-page A4 report through the installed library ----
check_report() { # check_report PDF HOW: the report's pages, size and text
  local pdf=$1 how=$2
  check "  the report ($how) runs, finding the data beside the library" \
    env LSAN_OPTIONS="suppressions=$SRC/tests/cli/report-lsan.supp" "$3" "$pdf"
  if needs pdfinfo && needs pdftotext; then
    check "  it has three pages" bash -c "pdfinfo '$pdf' | grep -q '^Pages: *3$'"
    check "  of A4" bash -c "pdfinfo '$pdf' | grep -q 'Page size: *595.28 x 841.89'"
    check "  a title page" bash -c "pdftotext -f 1 -l 1 '$pdf' - | grep -q 'Potash, prisoners and borders'"
    check "  the story map with its caption" bash -c "pdftotext -f 2 -l 2 '$pdf' - | grep -q 'Klaip' && pdftotext -f 2 -l 2 '$pdf' - | grep -q 'Figure 1'"
    check "  the border map with the caller's annotation" bash -c "pdftotext -f 3 -l 3 '$pdf' - | grep -q 'Gudogai: potash trains crossed' && pdftotext -f 3 -l 3 '$pdf' - | grep -q 'Vilnius'"
  fi
}
# shellcheck disable=SC2046,SC2086
if cc -std=c11 $CFLAGS_T -o "$WORK/report" "$SRC/examples/report.c" $(pkg-config --cflags --libs corridor) \
     -Wl,-rpath,"$P/lib" $CFLAGS_T 2>"$WORK/cc.log"; then
  pass "examples/report.c builds with pkg-config"
  check_report "$WORK/report-pc.pdf" pkg-config "$WORK/report"
else
  fail "examples/report.c builds with pkg-config"; head -5 "$WORK/cc.log"
fi
if cmake -S "$SRC/examples" -B "$WORK/ex" -DCMAKE_PREFIX_PATH="$P" "-DCMAKE_C_FLAGS=$CFLAGS_T" \
     "-DCMAKE_EXE_LINKER_FLAGS=$CFLAGS_T" >"$WORK/ex.log" 2>&1 && cmake --build "$WORK/ex" >>"$WORK/ex.log" 2>&1; then
  pass "examples/ builds with find_package(corridor)"
  check_report "$WORK/report-cmake.pdf" find_package "$WORK/ex/report"
else
  fail "examples/ builds with find_package(corridor)"; tail -15 "$WORK/ex.log"
fi
finish
