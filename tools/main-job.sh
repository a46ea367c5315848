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
# The climate plan's pathway in a compact setting that keeps the main job within 12 minutes on a
# fresh 2-core machine (docs/pathway.md): the base year 2024 and the target year 2030 (and the
# 2018 back-cast of the targets), 4 % of the city, 2 days a run, 2 seeds (28 runs); the full
# setting is every year of the file, the scenarios' sample and days, 3 seeds.
"${bin}" pathway scenarios/seogu-plan-2034.json --out "${out}/pathway" --years 2024,2030 \
  --sample 0.04 --iterations 2 --seeds 2 --jobs 2 --threads 1 --quiet

echo
echo "Main job done. Report: $(realpath "${out}/report.html")"
echo "  numbers: ${out}/report.json, ${out}/report.csv, ${out}/report.xlsx; runs: ${out}/seogu-baseline, ${out}/${name}"
echo "Pathway 2024-2030 (compact; full: 2024-2034): $(realpath "${out}/pathway/pathway.html")"
echo "  tables: ${out}/pathway/pathway.csv, wedges.csv, targets.csv, pathway.xlsx"
if [ -x build/release/viewer/modeshift-viewer ]; then
  echo "  replay:  build/release/viewer/modeshift-viewer ${out}/seogu-baseline/run.msrun ${out}/${name}/run.msrun"
fi
