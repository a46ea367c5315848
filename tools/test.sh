#!/usr/bin/env bash
# The test command of the README: builds and runs the whole suite in release (gcc; warnings are
# errors), then again under AddressSanitizer+UBSan (clang, so the same build also holds the
# libFuzzer targets), then the parallel tests under ThreadSanitizer. Finally every input reader is
# fuzzed for 10 s (tools/fuzz.sh, reusing the asan-ubsan build).
# Before any build, the house rules check themselves (tools/check_includes.py: includes follow the
# declared module graph; tools/check_format.sh: sources as .clang-format says); ctest runs them
# again with the pinned golden run (tests/house).
# Usage: tools/test.sh [house|release|asan-ubsan|tsan|fuzz|all]   (default: all)
# MODESHIFT_FUZZ_SECONDS: seconds per fuzz target (default 10; CI runs 2 targets at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=${MODESHIFT_JOBS:-2}

bash tools/setup.sh
# Let ccache share results between clones in different folders (paths are rewritten relative).
export CCACHE_BASEDIR="$PWD"

if [[ $what == house || $what == all ]]; then
  echo "=== house: include graph and formatting"
  python3 tools/check_includes.py --self-test
  bash tools/check_format.sh
fi

run_preset() {
  local preset=$1; shift
  echo "=== ${preset}: configure + build"
  cmake --preset "${preset}" "$@" >/dev/null
  cmake --build --preset "${preset}" -j "${jobs}"
  echo "=== ${preset}: test"
}

if [[ $what == release || $what == all ]]; then
  run_preset release
  if command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1920x1080x24" ctest --preset release -j "${jobs}"
  else
    ctest --preset release -j "${jobs}"
  fi
fi
if [[ $what == asan-ubsan || $what == all ]]; then
  run_preset asan-ubsan
  # Slow end-to-end and benchmark-sized cases are labelled 'slow' and run only in release.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset asan-ubsan -j "${jobs}" -LE slow
fi
if [[ $what == tsan || $what == all ]]; then
  # Only the test binaries that hold parallel code are built with TSan.
  echo "=== tsan: configure + build"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "${jobs}" --target ${TSAN_TARGETS:-test_engine_parallel test_assign_parallel test_record_parallel test_emissions test_report}
  echo "=== tsan: test"
  # TSan covers the code that runs in parallel: tests labelled 'parallel'.
  # Debian's libtbb is not instrumented: the suppressions cover reports whose top frame is oneTBB.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/unit/engine/tsan.supp" \
    ctest --preset tsan -j "${jobs}" -L parallel
fi
if [[ $what == fuzz || $what == all ]]; then
  bash tools/fuzz.sh "${MODESHIFT_FUZZ_SECONDS:-10}"
fi
echo "=== all requested test stages passed"
