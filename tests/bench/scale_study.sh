#!/usr/bin/env bash
# Scale study of a whole-city iteration: for each sample fraction, runs the bundled baseline for a
# few days and prints the median time per iteration (whole iteration, and the simulation alone,
# from summary.json's history), the link events per day, and the peak resident memory of the
# process (/usr/bin/time -v). Each fraction runs `--rounds` times; figures are medians.
# Usage: tests/bench/scale_study.sh [--samples 0.1,0.25,0.5,1.0] [--iterations 3] [--rounds 3]
#        [--threads 2] [--build DIR]
# The first iteration starts from free flow and builds the demand's plans from nothing; the median
# over all iterations is what a planner waits for per simulated day.
set -euo pipefail
cd "$(dirname "$0")/../.."
samples=0.1,0.25,0.5,1.0
iterations=3
rounds=3
threads=2
build=build/release
while [ $# -gt 0 ]; do
  case $1 in
    --samples) samples=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
bin=${build}/sim/cli/modeshift
[ -x "${bin}" ] || { echo "no ${bin}: build first (cmake --build --preset release)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
printf '%-8s %6s %12s %12s %14s %10s\n' sample round iter_s sim_s events/day peak_GB
IFS=, read -r -a fractions <<<"${samples}"
for f in "${fractions[@]}"; do
  # A scenario that extends the bundled baseline with another sample fraction.
  printf '{"extends": "%s", "name": "scale-%s", "sample_fraction": %s}\n' \
    "$(realpath scenarios/seogu-baseline.json)" "${f}" "${f}" >"${work}/scale-${f}.json"
  for r in $(seq 1 "${rounds}"); do
    out="${work}/run-${f}-${r}"
    /usr/bin/time -v -o "${work}/time.txt" "${bin}" run "${work}/scale-${f}.json" --out "${out}" \
      --iterations "${iterations}" --threads "${threads}" --quiet
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "${work}/time.txt")
    python3 - "${out}/summary.json" "${f}" "${r}" "${rss_kb}" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
h = s["history"]
print(f"{sys.argv[2]:<8} {sys.argv[3]:>6} {statistics.median(x['wall_s'] for x in h):>12.2f} "
      f"{statistics.median(x['simulate_s'] for x in h):>12.2f} "
      f"{statistics.median(x['link_events'] for x in h):>14,.0f} {int(sys.argv[4]) / 1048576:>10.2f}")
PY
    rm -rf "${out}"
  done
done
