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
finish
