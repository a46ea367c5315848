#!/usr/bin/env bash
# Fault injection: `modeshift run` and `modeshift sweep` killed with SIGKILL at spread-out
# moments (4 kills; tests/cli/kill_steps.sh kills them at every write step); after every kill no file under a final name is incomplete (each equals the
# uninterrupted run's, summary.json parses with the same event hash), and a rerun resumes and
# finishes with the same tables. Then a disk that fills up (a 3 MB tmpfs, root only): exit 3,
# a message naming the file, and nothing partial under a final name.
# Usage: tests/cli/faults.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
cleanup() { mountpoint -q "${work}/full" 2>/dev/null && umount "${work}/full"; rm -rf "${work}"; }
trap cleanup EXIT
# shellcheck source=tests/cli/small_scenarios.sh
source "$(dirname "$0")/small_scenarios.sh"
write_small_scenarios "${work}" "${src}" s t
run=(run "${work}/s.json" --iterations 2 --quiet --threads 2)
sweep=(sweep "${work}/s.json" "${work}/t.json" --seeds 1,2 --iterations 1 --threads 1 --jobs 2 --quiet)

# check_complete DIR REF: every file under a final name in DIR equals REF's; summary.json
# parses and has REF's event hash (its wall time differs).
check_complete() {
  local dir=$1 ref=$2 f name
  [ -d "${dir}" ] || return 0
  for f in "${dir}"/*; do
    [ -f "${f}" ] || continue
    name=$(basename "${f}")
    case ${name} in *.tmp[0-9]*) continue ;; esac  # a temp file of the killed writer, never read
    if [ "${name}" = summary.json ]; then
      python3 - "${f}" "${ref}/summary.json" <<'PY' || { echo "incomplete ${f}" >&2; return 1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["event_hash"] == b["event_hash"] else 1)
PY
    elif ! cmp -s "${f}" "${ref}/${name}"; then
      echo "incomplete or wrong ${f} (differs from the uninterrupted run's)" >&2
      return 1
    fi
  done
}

# kill_after SECONDS CMD...: starts CMD, SIGKILLs it after SECONDS (if still running).
kill_after() {
  local t=$1; shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "${t}"
  kill -9 "${pid}" 2>/dev/null || true
  wait "${pid}" 2>/dev/null || true
}

echo "== reference runs"
t0=$(date +%s.%N)
"${bin}" "${run[@]}" --out "${work}/ref"
t1=$(date +%s.%N)
"${bin}" "${sweep[@]}" --out "${work}/ref-sweep" >/dev/null
span=$(python3 -c "print(max(1.0, ${t1} - ${t0}))")
echo "a run takes ${span} s"

echo "== 2 kills of modeshift run"
kills=0
for k in $(seq 1 2); do
  # Kill moments spread over the whole run, set-up to the last written file (golden-ratio steps).
  t=$(python3 -c "print(round(${span} * (0.05 + 1.0 * ((${k} * 0.618034) % 1.0)), 2))")
  rm -rf "${work}/out"
  kill_after "${t}" "${bin}" "${run[@]}" --out "${work}/out"
  kills=$((kills + 1))
  check_complete "${work}/out" "${work}/ref"
  echo "kill ${k} at ${t} s: $(ls "${work}/out" 2>/dev/null | grep -vc '\.tmp' || true) final files, all complete"
done
"${bin}" "${run[@]}" --out "${work}/out"  # the rerun redoes the run
check_complete "${work}/out" "${work}/ref"
[ -f "${work}/out/summary.json" ]

echo "== 2 kills of modeshift sweep, each launch resuming the last"
rm -rf "${work}/sweep"
for k in $(seq 1 2); do
  t=$(python3 -c "print(round(0.3 + ${span} * 0.6 * ((${k} * 0.618034) % 1.0), 2))")
  kill_after "${t}" "${bin}" "${sweep[@]}" --out "${work}/sweep"
  kills=$((kills + 1))
  for d in "${work}"/ref-sweep/*/; do
    check_complete "${work}/sweep/$(basename "${d}")" "${d}"
  done
  for table in sweep.csv sweep_summary.csv; do  # written last, atomically: whole or absent
    [ ! -f "${work}/sweep/${table}" ] || python3 -c "import csv,sys; r=list(csv.reader(open(sys.argv[1]))); sys.exit(0 if len(r) > 1 and all(len(x) == len(r[0]) for x in r) else 1)" "${work}/sweep/${table}"
  done
done
"${bin}" "${sweep[@]}" --out "${work}/sweep" >/dev/null
diff <(strip_timing "${work}/ref-sweep/sweep.csv") <(strip_timing "${work}/sweep/sweep.csv")
diff <(strip_timing "${work}/ref-sweep/sweep_summary.csv") <(strip_timing "${work}/sweep/sweep_summary.csv")
echo "${kills} kills: nothing incomplete under a final name; the resumed sweep equals the uninterrupted one"

echo "== disk full"
if [ "$(id -u)" -ne 0 ]; then
  echo "disk-full case skipped: mounting a small tmpfs needs root"
  exit 0
fi
mkdir -p "${work}/full"
mount -t tmpfs -o size=3m tmpfs "${work}/full"
set +e
"${bin}" "${run[@]}" --out "${work}/full/out" 2>"${work}/full-err.txt"
rc=$?
set -e
cat "${work}/full-err.txt"
[ "${rc}" = 3 ] || { echo "expected exit 3 on a full disk, got ${rc}"; exit 1; }
grep -Eqi 'disk full|no space' "${work}/full-err.txt" || { echo "the message does not say the disk is full"; exit 1; }
grep -q "${work}/full/out" "${work}/full-err.txt" || { echo "the message does not name the file"; exit 1; }
check_complete "${work}/full/out" "${work}/ref"
echo "disk full: exit 3, named, nothing partial"
