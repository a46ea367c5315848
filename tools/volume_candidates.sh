#!/usr/bin/env bash
# Out-of-sample check of the demand volume (docs/validation.md, "Demand volume, cross-validated").
# The 2016 national survey bounds the trips per resident between 1.68 (if its 87.05 M trips a day
# include walking) and 2.2 (if they do not); the survey does not say which. For each candidate
# rate this writes a scenario variant, re-fits the mode constants to the same shares
# (`modeshift calibrate`), runs the baseline, validates it, and finally `modeshift cross-validate`
# selects the rate on k - 1 folds of corridor segments and count points and scores the held-out
# fold.
# A candidate may also name another road-traffic rules file (signal rule), TOURS@FILE, so that the
# signal rules and the demand are selected together.
# Usage: tools/volume_candidates.sh OUT_DIR [TOURS_PER_PERSON[@ROAD_TRAFFIC_JSON]...]
#        (default 0.84 0.97 1.10 with the bundled road_traffic.json)
# Environment: MODESHIFT_THREADS (default 2), MODESHIFT_FOLDS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/volume_candidates.sh OUT_DIR [TOURS_PER_PERSON...]}
shift
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(0.84 0.97 1.10)
threads=${MODESHIFT_THREADS:-2}
bin=build/release/sim/cli/modeshift
mkdir -p "${out}"
root=$(pwd)
runs=()
for spec in "${rates[@]}"; do
  t=${spec%%@*}
  rules=""
  [ "${spec}" = "${t}" ] || rules=$(realpath "${spec#*@}")
  name="tours-${t}${rules:+-$(basename "${rules}" .json)}"
  dir="${out}/${name}"
  mkdir -p "${dir}/scenario/data" "${dir}/scenario/calibration"
  # The variant: the bundled baseline with every path made absolute, its own demand file and
  # its own mode constants.
  python3 - "${root}" "${dir}/scenario" "${t}" "${rules}" <<'PY'
import json, re, sys, pathlib
root, sdir, tours, rules = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
base = json.load(open(root / "scenarios/seogu-baseline.json"))
for k, v in list(base.items()):
    if isinstance(v, str) and k in ("network", "demand", "choice", "asc", "fleet", "emission_factors",
                                    "road_traffic", "freight", "external"):
        base[k] = str((root / "scenarios" / v).resolve())
text = (root / "scenarios/data/demand.json").read_text()
text, n = re.subn(r'("tours_per_person": \{\s*"value": )[0-9.]+', r"\g<1>" + tours, text)
assert n == 1
(sdir / "data/demand.json").write_text(text)
base["demand"] = str((sdir / "data/demand.json").resolve())
base["asc"] = str((sdir / "calibration/asc.json").resolve())
if rules:
    base["road_traffic"] = rules
base["name"] = f"seogu-baseline-tours-{tours}"
json.dump(base, open(sdir / "baseline.json", "w"), ensure_ascii=False, indent=2)
PY
  cp scenarios/calibration/seogu-asc.json "${dir}/scenario/calibration/asc.json"
  "${bin}" calibrate "${dir}/scenario/baseline.json" --targets scenarios/data/calibration_targets.json \
    --out "${dir}/asc-fitted.json" --threads "${threads}" --quiet
  cp "${dir}/asc-fitted.json" "${dir}/scenario/calibration/asc.json"
  "${bin}" run "${dir}/scenario/baseline.json" --out "${dir}/run" --threads "${threads}" --quiet
  "${bin}" validate "${dir}/run" --out "${dir}/run" >"${dir}/validate.txt"
  runs+=("${dir}/run")
  echo "${name}: $(grep -E '05-23 h' "${dir}/validate.txt" | head -1)"
done
"${bin}" cross-validate "${runs[@]}" --folds "${MODESHIFT_FOLDS:-5}" --out "${out}/cross_validation.json"
