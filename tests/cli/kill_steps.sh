#!/usr/bin/env bash
# SIGKILL at every write step: `modeshift run`, `sweep` and `pathway` are killed, one launch per
# output file, just before that file is renamed into place (MODESHIFT_KILL_BEFORE, see
# io/atomic_file.hpp); a sweep and a pathway at their own files and each run's summary.json (the
# other files of a run are the run's steps, interrupted in the first section). After every kill the folder is complete (its completion mark is there and
# every file equals the uninterrupted command's) or clearly incomplete (no mark) — never a mark
# beside another run's files. The run's folder first holds a different run (other seed, plans.bin,
# trips.csv), so a leftover of it would show. Each command, run once more, then finishes with the
# uninterrupted command's tables.
# Usage: tests/cli/kill_steps.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
# shellcheck source=tests/cli/small_scenarios.sh
source "$(dirname "$0")/small_scenarios.sh"
write_small_scenarios "${work}" "${src}" s t
run=(run "${work}/s.json" --iterations 2 --quiet --threads 2)
sweep=(sweep "${work}/s.json" "${work}/t.json" --seeds 1 --iterations 1 --threads 2 --jobs 1 --quiet)
pathway=(pathway "${src}/scenarios/seogu-plan-2034.json" --years 2024 --sample 0.003 --iterations 1
         --seeds 1 --jobs 1 --threads 2 --quiet)

# same_run DIR REF: DIR is complete and equals REF (summary.json by event hash and figures, as its
# wall times differ; every other file byte for byte), or DIR has no summary.json and every file
# under a final name equals REF's. Anything else (a mark beside other files, a stale file) fails.
same_run() {
  local dir=$1 ref=$2 f name
  for f in "${dir}"/*; do
    [ -f "${f}" ] || continue
    name=$(basename "${f}")
    case ${name} in
      *.tmp[0-9]*) continue ;;        # the killed writer's temporary, never read
      pathway-run-key.json) continue ;;  # a pathway run's key names its own folder
    esac
    if [ "${name}" = summary.json ]; then
      python3 - "${f}" "${ref}/summary.json" <<'PY' || { echo "${f}: not the reference run's" >&2; return 1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["event_hash"] == b["event_hash"] and a["co2_kg"] == b["co2_kg"] else 1)
PY
    elif [ ! -f "${ref}/${name}" ]; then
      echo "${f}: left over (the reference run has no ${name})" >&2
      return 1
    elif ! cmp -s "${f}" "${ref}/${name}"; then
      echo "${f}: differs from the reference run's" >&2
      return 1
    fi
  done
}

# kill_at NAME CMD...: runs CMD with the kill point set; it must die by SIGKILL (exit 137), or,
# when `may_finish` is set (a resumed sweep or pathway may have nothing left to write by that
# name), finish (exit 0).
may_finish=0
kill_at() {
  local name=$1; shift
  set +e
  # In a subshell, whose report of the kill ("Killed") goes to /dev/null with its output.
  (MODESHIFT_KILL_BEFORE=${name} "${bin}" "$@" >/dev/null 2>&1) 2>/dev/null
  local rc=$?
  set -e
  [ "${rc}" = 137 ] || { [ "${may_finish}" = 1 ] && [ "${rc}" = 0 ]; } ||
    { echo "$* with kill point ${name}: exit ${rc}, expected 137" >&2; exit 1; }
}

# Names of the files of a finished output tree (what there is to interrupt).
names_of() { find "$1" -type f ! -name '.modeshift.lock' -printf '%f\n' | sort -u; }
# The same for a sweep or a pathway, less the files of a run that the run section already
# interrupts one by one: a run inside them writes them the same way. summary.json stays, the
# mark whose absence decides what a resumed sweep or pathway redoes.
names_beyond_run() { names_of "$1" | grep -vxF -f <(names_of "${work}/ref" | grep -vx summary.json); }

echo "== run"
"${bin}" "${run[@]}" --out "${work}/ref"
"${bin}" "${run[@]}" --seed 7 --save-plans --trips-csv --out "${work}/out"  # another run there
n=0
for name in $(names_of "${work}/ref"); do
  kill_at "${name}" "${run[@]}" --out "${work}/out"
  [ ! -f "${work}/out/summary.json" ] || { echo "killed before ${name}: summary.json present" >&2; exit 1; }
  same_run "${work}/out" "${work}/ref"
  n=$((n + 1))
done
"${bin}" "${run[@]}" --out "${work}/out"
same_run "${work}/out" "${work}/ref"
[ -f "${work}/out/summary.json" ]
echo "run: ${n} kill points, each left the folder clearly incomplete; the rerun equals the reference"


echo "== sweep"
may_finish=1
"${bin}" "${sweep[@]}" --out "${work}/ref-sweep" >/dev/null
n=0
for name in $(names_beyond_run "${work}/ref-sweep"); do
  kill_at "${name}" "${sweep[@]}" --out "${work}/sweep"
  [ ! -f "${work}/sweep/sweep_summary.csv" ] || [ "${name}" != sweep_summary.csv ] ||
    { echo "killed before sweep_summary.csv: it is present" >&2; exit 1; }
  for d in "${work}"/ref-sweep/*/; do
    [ ! -d "${work}/sweep/$(basename "${d}")" ] || same_run "${work}/sweep/$(basename "${d}")" "${d}"
  done
  n=$((n + 1))
done
"${bin}" "${sweep[@]}" --out "${work}/sweep" >/dev/null
diff <(strip_timing "${work}/ref-sweep/sweep.csv") <(strip_timing "${work}/sweep/sweep.csv")
diff <(strip_timing "${work}/ref-sweep/sweep_summary.csv") <(strip_timing "${work}/sweep/sweep_summary.csv")
echo "sweep: ${n} kill points, each resumed; the finished sweep equals the reference"

echo "== pathway"
"${bin}" "${pathway[@]}" --out "${work}/ref-pathway" >/dev/null
n=0
for name in $(names_beyond_run "${work}/ref-pathway"); do
  kill_at "${name}" "${pathway[@]}" --out "${work}/pathway"
  [ "${name}" != pathway.json ] || [ ! -f "${work}/pathway/pathway.json" ] ||
    { echo "killed before pathway.json: it is present" >&2; exit 1; }
  while IFS= read -r d; do  # every run folder the killed pathway left
    rel=${d#"${work}/pathway/"}
    same_run "${d}" "${work}/ref-pathway/${rel}"
  done < <(find "${work}/pathway/runs" -mindepth 3 -maxdepth 3 -type d 2>/dev/null)
  n=$((n + 1))
done
"${bin}" "${pathway[@]}" --out "${work}/pathway" >/dev/null
for f in pathway.csv wedges.csv targets.csv; do cmp "${work}/ref-pathway/${f}" "${work}/pathway/${f}"; done
echo "pathway: ${n} kill points, each resumed; the finished pathway's tables equal the reference"
