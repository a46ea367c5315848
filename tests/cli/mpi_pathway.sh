#!/usr/bin/env bash
# `mpirun -np 2 modeshift pathway`: each year's runs dealt over two processes give the tables of
# the local pathway byte for byte (every figure comes from the runs' summaries), a second launch
# reuses every run, and process 0 alone writes the tables.
# Usage: tests/cli/mpi_pathway.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
command -v mpirun >/dev/null || { echo "mpirun not installed (apt-get install openmpi-bin libopenmpi-dev)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# Two years, so that the second warm-starts from runs of both processes.
pathway=(pathway "${src}/scenarios/seogu-plan-2034.json" --years 2024,2026 --sample 0.003
         --iterations 1 --seeds 1 --jobs 1 --threads 1)

echo "== local"
"${bin}" "${pathway[@]}" --quiet --out "${work}/local" >/dev/null

echo "== mpirun -np 2"
mpirun --oversubscribe -np 2 "${bin}" "${pathway[@]}" --quiet --out "${work}/mpi" >"${work}/mpi.out"
for f in pathway.csv wedges.csv targets.csv; do
  cmp "${work}/local/${f}" "${work}/mpi/${f}" || { echo "${f} differs from the local pathway's"; exit 1; }
done
[ "$(grep -c 'wrote' "${work}/mpi.out")" = 1 ] || { cat "${work}/mpi.out"; echo "expected one process to report"; exit 1; }

echo "== a second launch reuses every run"
mpirun --oversubscribe -np 2 "${bin}" "${pathway[@]}" --out "${work}/mpi" 2>"${work}/again.err" >/dev/null
if grep -q ': ran in' "${work}/again.err"; then cat "${work}/again.err"; echo "a run was redone"; exit 1; fi
grep -q 'reused' "${work}/again.err" || { cat "${work}/again.err"; echo "no run reported as reused"; exit 1; }
for f in pathway.csv wedges.csv targets.csv; do cmp "${work}/local/${f}" "${work}/mpi/${f}"; done
echo "mpi pathway: the tables equal the local pathway's; the second launch reused every run"
