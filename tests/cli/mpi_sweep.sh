#!/usr/bin/env bash
# `mpirun -np 3 modeshift sweep`: the tables equal the local sweep's (every column but the
# measured wall_s), a second launch resumes (everything skipped), and a rank killed mid-sweep
# fails only its runs, which the next launch redoes.
# Usage: tests/cli/mpi_sweep.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
command -v mpirun >/dev/null || { echo "mpirun not installed (apt-get install openmpi-bin libopenmpi-dev)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { mpirun --oversubscribe --mca orte_abort_on_non_zero_status 0 -np 3 "$@"; }

# Two small scenarios (0.5 % of the city) x two seeds = 4 runs: ranks 0, 1, 2 get runs {0, 3}, {1}, {2}.
# shellcheck source=tests/cli/small_scenarios.sh
source "$(dirname "$0")/small_scenarios.sh"
write_small_scenarios "${work}" "${src}" a b
sweep=(sweep "${work}/a.json" "${work}/b.json" --seeds 1,2 --iterations 1 --threads 1 --quiet --out "${work}/out")

# Tables without the given columns (by header name), for comparison.
strip() { python3 - "$@" <<'PY'
import csv, sys
path, drop = sys.argv[1], set(sys.argv[2:])
rows = list(csv.reader(open(path, newline="")))
keep = [i for i, h in enumerate(rows[0]) if h not in drop]
for r in rows:
    if "metric" in rows[0] and r[rows[0].index("metric")] in drop:
        continue
    print(",".join(r[i] for i in keep))
PY
}
same() {  # same DIR_A DIR_B [extra columns to ignore]
  local a=$1 b=$2; shift 2
  diff <(strip "${a}/sweep.csv" wall_s "$@") <(strip "${b}/sweep.csv" wall_s "$@") >&2
  diff <(strip "${a}/sweep_summary.csv" wall_s) <(strip "${b}/sweep_summary.csv" wall_s) >&2
}

echo "== local sweep"
"${bin}" "${sweep[@]}"
mv "${work}/out" "${work}/local"
mkdir -p "${work}/out"

echo "== mpirun -np 3"
mpi "${bin}" "${sweep[@]}"
same "${work}/local" "${work}/out"
[ "$(grep -c ',ran,' "${work}/out/sweep.csv")" = 4 ] || { echo "expected 4 runs ran"; exit 1; }
[ ! -d "${work}/out/.mpi" ] || { echo "the launch's report folder was left behind"; exit 1; }

echo "== resume: a second launch skips every finished run"
mpi "${bin}" "${sweep[@]}"
[ "$(grep -c ',skipped,' "${work}/out/sweep.csv")" = 4 ] || { cat "${work}/out/sweep.csv"; exit 1; }
same "${work}/local" "${work}/out" status

echo "== rank 1 killed mid-sweep"
rm -rf "${work}/out"
set +e
mpi "${bin}" "${sweep[@]}" --rank-timeout 3 &
launcher=$!
killed=""
for _ in $(seq 1 600); do
  for p in $(pgrep -x modeshift); do
    if tr '\0' '\n' <"/proc/${p}/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then
      # Once it has started its run (the run folder exists), kill it.
      if [ -d "${work}/out/b_seed1" ] || [ -d "${work}/out/a_seed2" ]; then kill -9 "${p}"; killed=${p}; fi
    fi
  done
  [ -n "${killed}" ] && break
  sleep 0.1
done
wait "${launcher}"
rc=$?
set -e
[ -n "${killed}" ] || { echo "never saw rank 1 running"; exit 1; }
echo "mpirun exit ${rc} (a process died)"
cat "${work}/out/sweep.csv" | cut -d, -f1-3 >&2
[ "$(grep -c ',ran,' "${work}/out/sweep.csv")" = 3 ] || { echo "expected the 3 runs of ranks 0 and 2"; exit 1; }
grep -q 'rank 1 stopped before finishing this run' "${work}/out/sweep.csv" || { echo "no failure naming rank 1"; exit 1; }

echo "== the next launch redoes only rank 1's run"
mpi "${bin}" "${sweep[@]}"
[ "$(grep -c ',ran,' "${work}/out/sweep.csv")" = 1 ] && [ "$(grep -c ',skipped,' "${work}/out/sweep.csv")" = 3 ] ||
  { cat "${work}/out/sweep.csv"; exit 1; }
same "${work}/local" "${work}/out" status
echo "mpi sweep: all checks passed"
