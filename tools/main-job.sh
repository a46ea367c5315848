#!/usr/bin/env bash
# README command 1: set up, build, then run the main job — the bundled Seo-gu baseline and the
# combined low-carbon package, and the comparison report planners take away.
# Usage: tools/main-job.sh [POLICY_SCENARIO]   (default: scenarios/seogu-green.json)
# Environment: MODESHIFT_JOBS (build jobs, default 2), MODESHIFT_THREADS (simulation threads,
# default all cores), MODESHIFT_OUT (output folder, default out/main-job).
set -euo pipefail
cd "$(dirname "$0")/.."
policy=${1:-scenarios/seogu-green.json}
out=${MODESHIFT_OUT:-out/main-job}
threads=${MODESHIFT_THREADS:-0}

bash tools/setup.sh
cmake --preset release -DMODESHIFT_BUILD_TESTS=OFF -DMODESHIFT_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j "${MODESHIFT_JOBS:-2}"
bin=build/release/sim/cli/modeshift

name=$(basename "${policy}" .json)
# --save-plans: the baseline's converged day, from which what-ifs start (modeshift what-if --warm-start).
"${bin}" run scenarios/seogu-baseline.json --out "${out}/seogu-baseline" --threads "${threads}" --save-plans
"${bin}" run "${policy}" --out "${out}/${name}" --threads "${threads}" --warm-start "${out}/seogu-baseline"
"${bin}" compare "${out}/seogu-baseline" "${out}/${name}" --out "${out}/report.html"

echo
echo "Main job done. Report: $(realpath "${out}/report.html")"
echo "  numbers: ${out}/report.json, ${out}/report.csv; runs: ${out}/seogu-baseline, ${out}/${name}"
if [ -x build/release/viewer/modeshift-viewer ]; then
  echo "  replay:  build/release/viewer/modeshift-viewer ${out}/seogu-baseline/run.msrun ${out}/${name}/run.msrun"
fi
