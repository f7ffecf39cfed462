#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every C file is as .clang-format lays it out and opens with its SPDX line, so a change that
# forgets either fails here rather than in review.
# Usage: check_format.sh SOURCE_DIR
set -u
SRC=$1
cd "$SRC" || exit 1
if ! command -v clang-format >/dev/null; then
  echo "SKIP  clang-format is not installed (scripts/setup installs it)"
  exit 77
fi
failures=0
files=$(ls render/src/*.[ch] render/cli/*.[ch] render/include/*.h tests/unit/*.[ch] tests/fuzz/*.c \
  tests/cli/*.c examples/*.c 2>/dev/null)
unformatted=$(for f in $files; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
if [ -n "$unformatted" ]; then
  echo "FAIL  not as .clang-format lays them out (clang-format -i FILE):"
  printf '%s\n' "$unformatted" | sed 's/^/      /'
  failures=$((failures + 1))
else
  echo "ok    every C file is clang-formatted ($(echo "$files" | wc -w) files)"
fi
nospdx=$(for f in $files; do head -1 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"; done)
if [ -n "$nospdx" ]; then
  echo "FAIL  without '/* SPDX-License-Identifier: MIT */' on their first line:"
  printf '%s\n' "$nospdx" | sed 's/^/      /'
  failures=$((failures + 1))
else
  echo "ok    every C file opens with its SPDX line"
fi
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
