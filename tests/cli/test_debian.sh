#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian packages: builds corridor, libcorridor0, libcorridor-dev and corridor-data with
# `dpkg-buildpackage -us -uc -b` from a copy of the source tree, checks them with lintian, and
# installs them into a clean root with `dpkg -x` (no chroot: debootstrap needs root's mount
# namespace and a mirror), then runs the installed binary and builds examples/report.c there.
# Usage: test_debian.sh
set -u
SRC=${COR_TEST_SRC:?COR_TEST_SRC must point to the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corridor-deb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
for tool in dpkg-buildpackage dh lintian dpkg-deb pkg-config; do
  if ! command -v "$tool" >/dev/null; then
    printf 'SKIP  the Debian packages need %s (scripts/setup installs it)\n' "$tool"
    exit 77
  fi
done
unset CORRIDOR_DATA_DIR
VERSION=$(sed -n 's/^project(corridor VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
TREE="$WORK/corridor-$VERSION"
mkdir -p "$TREE" && (cd "$SRC" && tar --exclude='./build*' --exclude=./.git -cf - .) | tar -xf - -C "$TREE"
check "debian/changelog has the project's version" test "$(cd "$TREE" && dpkg-parsechangelog -S Version)" = "$VERSION"
if ! (cd "$TREE" && dpkg-buildpackage -us -uc -b >"$WORK/build.log" 2>&1); then
  fail "dpkg-buildpackage -us -uc -b"; tail -20 "$WORK/build.log"; exit 1
fi
pass "dpkg-buildpackage -us -uc -b"
for p in corridor libcorridor0 libcorridor-dev; do
  check "  built $p" test -f "$WORK/${p}_${VERSION}_$(dpkg --print-architecture).deb"
done
check "  built corridor-data, architecture-independent" test -f "$WORK/corridor-data_${VERSION}_all.deb"
lintian --tag-display-limit 0 "$WORK"/*.changes >"$WORK/lintian.log" 2>&1
check "lintian finds no error or warning" bash -c "! grep -E '^[EW]: ' '$WORK/lintian.log'"
grep -E '^[EW]: ' "$WORK/lintian.log" | head -10
# What a clean root would lack without it: the maps' font (Noto Sans) is not a shared library,
# so dpkg-shlibdeps cannot find it; the library's package must depend on it.
check "libcorridor0 depends on the maps' font package" bash -c "dpkg-deb -f '$WORK'/libcorridor0_*.deb Depends | grep -q 'fonts-noto-core'"
for deb in "$WORK"/*.deb; do
  check "  $(basename "$deb") has version $VERSION" test "$(dpkg-deb -f "$deb" Version)" = "$VERSION"
done
ROOT="$WORK/root"
for deb in "$WORK"/corridor_*.deb "$WORK"/libcorridor0_*.deb "$WORK"/libcorridor-dev_*.deb "$WORK"/corridor-data_*.deb; do
  dpkg -x "$deb" "$ROOT"
done
LIB=$(dirname "$(find "$ROOT/usr/lib" -name 'libcorridor.so.0' | head -1)")
export LD_LIBRARY_PATH="$LIB"
check "the installed corridor reports the version" bash -c "'$ROOT/usr/bin/corridor' --version | grep -qx 'corridor $VERSION'"
check "  has no RPATH (the library is on the system's path)" bash -c "! readelf -d '$ROOT/usr/bin/corridor' | grep -qE 'RPATH|RUNPATH'"
check "  renders the default map from the packaged data" bash -c "cd '$WORK' && '$ROOT/usr/bin/corridor' render -v --size 600x400 -o deb.png 2>&1 | grep -qx 'data: $ROOT/usr/share/corridor'"
check "  its man page is there" test -f "$ROOT/usr/share/man/man1/corridor.1.gz"
export PKG_CONFIG_PATH="$LIB/pkgconfig"
check "corridor.pc in libcorridor-dev has the version" test "$(pkg-config --modversion corridor)" = "$VERSION"
# shellcheck disable=SC2046
if cc -std=c11 -o "$WORK/report" "$SRC/examples/report.c" $(pkg-config --cflags --libs corridor) 2>"$WORK/cc.log"; then
  pass "examples/report.c builds against the packages"
  check "  and writes its report" "$WORK/report" "$WORK/report.pdf"
else
  fail "examples/report.c builds against the packages"; head -5 "$WORK/cc.log"
fi
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
