#!/usr/bin/env bash
# Fuzzes every input reader with libFuzzer (tests/fuzz): builds the fuzz targets of the
# `asan-ubsan` preset (clang, ASan + UBSan; the same build as the sanitizer test stage), then runs
# each target for SECONDS on a copy of its seed corpus (tests/fuzz/corpus/<target>, never grown in
# place) with its dictionary (tests/fuzz/dict/<target>.dict).
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]   (default: 30 s each, all targets, two at a time)
# Prints executions, seconds and the verdict per target. Exits 1 if any target found something
# (a crash, a sanitizer report, an exception other than InputError, a timeout or running out of
# memory); the input that triggered it is kept in out/fuzz/<target>/.
# MODESHIFT_JOBS sets the build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-30}
shift || true
jobs=${MODESHIFT_JOBS:-2}

if ! command -v clang++ >/dev/null; then
  echo "clang++ not found (Debian: apt-get install -y clang libclang-rt-14-dev)" >&2
  exit 2
fi
export CCACHE_BASEDIR="$root"
echo "=== fuzz: configure + build"
cmake --preset asan-ubsan >/dev/null
cmake --build build/asan-ubsan -j "${jobs}" --target modeshift_fuzz

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for d in tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/modeshift_fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MODESHIFT_FUZZ_TMP="$work"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Fuzzes one target; prints its line; returns 1 on a finding.
fuzz_one() {
  local t=$1 bin corpus artifacts dict log start rc elapsed execs crashes what result
  bin=build/asan-ubsan/tests/fuzz/${t}_fuzz
  if [[ ! -x $bin ]]; then
    echo "no fuzz target '${t}' (expected ${bin})" >&2
    return 2
  fi
  corpus=$work/corpus_$t
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  artifacts=out/fuzz/$t
  mkdir -p "$artifacts"
  # Findings of an earlier run are that run's: start clean (regression inputs live in the unit tests).
  rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/fuzz.log
  dict=()
  [[ -f tests/fuzz/dict/$t.dict ]] && dict=(-dict="tests/fuzz/dict/$t.dict")
  log=$artifacts/fuzz.log
  start=$(date +%s)
  rc=0
  "$bin" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || rc=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
            -o -name 'oom-*' \) | wc -l)
  if [[ $rc -ne 0 || $crashes -gt 0 ]]; then
    what=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|uncaught exception|terminate called' "$log" || true)
    result="FOUND: ${what:-exit code $rc} (input and log in $artifacts/)"
  else
    result="nothing found"
    rm -f "$log"
  fi
  printf '%-14s %12s %8s  %s\n' "$t" "${execs:-?}" "$elapsed" "$result"
  [[ $result == "nothing found" ]]
}

printf '%-14s %12s %8s  %s\n' target executions seconds result
# MODESHIFT_FUZZ_PARALLEL targets at a time (default 2: the CI machine's cores).
parallel=${MODESHIFT_FUZZ_PARALLEL:-2}
pids=()
found=0
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  pids+=($!)
  if [[ ${#pids[@]} -ge $parallel ]]; then
    wait "${pids[0]}" || found=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || found=1; done
exit "$found"
