#!/usr/bin/env bash
# README command 1: set up, build, then run the main job — the bundled Seo-gu baseline and the
# combined low-carbon package, the comparison report planners take away, and the pathway of the
# climate plan (annual tonnes to 2034, a wedge per measure).
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
# The climate plan's pathway in a compact setting that fits the main job (docs/pathway.md):
# 2024, 2030 and 2034 (and the 2018 back-cast of the targets), 5 % of the city, 3 days a run,
# 2 seeds; the full setting is every year of the file, the scenarios' sample and days, 3 seeds.
"${bin}" pathway scenarios/seogu-plan-2034.json --out "${out}/pathway" --years 2024,2030,2034 \
  --sample 0.05 --iterations 3 --seeds 2 --jobs 2 --threads 1 --quiet

echo
echo "Main job done. Report: $(realpath "${out}/report.html")"
echo "  numbers: ${out}/report.json, ${out}/report.csv, ${out}/report.xlsx; runs: ${out}/seogu-baseline, ${out}/${name}"
echo "Pathway 2024-2034: $(realpath "${out}/pathway/pathway.html")"
echo "  tables: ${out}/pathway/pathway.csv, wedges.csv, targets.csv, pathway.xlsx"
if [ -x build/release/viewer/modeshift-viewer ]; then
  echo "  replay:  build/release/viewer/modeshift-viewer ${out}/seogu-baseline/run.msrun ${out}/${name}/run.msrun"
fi
