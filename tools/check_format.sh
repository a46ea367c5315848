#!/usr/bin/env bash
# Fails when a C++ source is not formatted as .clang-format says (clang-format --dry-run -Werror).
# Usage: tools/check_format.sh [--fix]   (--fix rewrites the files in place)
# The version is pinned to Debian 12's clang-format 14: another version formats some constructs
# differently, so CI and developers must use the same one.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "${fmt}" ]; then
  echo "check_format: clang-format not found (apt-get install clang-format)" >&2
  exit 2
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- 'sim/*.cpp' 'sim/*.hpp' 'viewer/*.cpp' 'viewer/*.hpp' \
    'tests/*.cpp' 'tests/*.hpp')
else
  mapfile -t files < <(find sim viewer tests -name '*.cpp' -o -name '*.hpp' | sort)
fi
if [ "${1:-}" = --fix ]; then
  "${fmt}" -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files"
  exit 0
fi
if ! "${fmt}" --dry-run -Werror "${files[@]}"; then
  echo "check_format: the files above differ from .clang-format; run tools/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted as .clang-format says"
