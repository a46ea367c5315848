#!/usr/bin/env bash
# Click-to-playing time of the viewer's live what-if: from pressing Simulate (here: a scripted
# --what-if) to the first frame showing the new day beside the baseline. Needs the main job's
# baseline run with its saved plans (bash tools/main-job.sh). Prints each round and the median.
# Usage: tests/bench/what_if_click.sh [--rounds N] [--set KEY[=VALUE]]... [--sample F] [--iterations N]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=3
sets=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --set) sets+=("$2"); shift 2 ;;
    --sample) extra+=(--what-if-sample "$2"); shift 2 ;;
    --iterations) extra+=(--what-if-iterations "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ ${#sets[@]} -gt 0 ] || sets=(tram_line2 bus_frequency=1.8)
base=${MODESHIFT_BASELINE_RUN:-out/main-job/seogu-baseline}
viewer=build/release/viewer/modeshift-viewer
[ -f "${base}/plans.bin" ] || { echo "no ${base}/plans.bin: run bash tools/main-job.sh first" >&2; exit 1; }
[ -x "${viewer}" ] || { echo "no ${viewer}: build with -DMODESHIFT_BUILD_VIEWER=ON" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
printf '{"set": [' >"${work}/script.json"
sep=""
for s in "${sets[@]}"; do printf '%s"%s"' "${sep}" "${s}" >>"${work}/script.json"; sep=", "; done
printf ']}\n' >>"${work}/script.json"
echo "what-if: ${sets[*]} ${extra[*]:-}; baseline ${base}"
times=()
for r in $(seq 1 "${rounds}"); do
  line=$(xvfb-run -a -s "-screen 0 1920x1080x24" "${viewer}" "${base}" --what-if "${work}/script.json" \
           --what-if-out "${work}/out" --screenshot "${work}/frame_${r}.png" --at 08:00 "${extra[@]}" 2>/dev/null |
         grep 'click-to-playing')
  echo "round ${r}: ${line}"
  times+=("$(sed -E 's/.*click-to-playing ([0-9.]+) s.*/\1/' <<<"${line}")")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
echo "click-to-playing median of ${rounds}: ${median} s"
