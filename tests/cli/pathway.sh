#!/usr/bin/env bash
# `modeshift pathway` end to end on the bundled plan (scenarios/seogu-plan-2034.json) at 0.5 % of
# the city, one day per run, 2024 and 2030, two seeds: every output is written, the CSVs carry a
# byte-order mark and read back with their Korean names, the workbook reads back with openpyxl,
# the 2018 target reference is back-cast, a rerun reuses every run, and bad options exit 1 or 2
# before any run.
# Usage: tests/cli/pathway.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
out=${work}/pathway
args=(pathway "${src}/scenarios/seogu-plan-2034.json" --out "${out}" --years 2024,2030 --sample 0.005
      --iterations 1 --seeds 2 --jobs 2 --threads 1 --quiet)

"${bin}" "${args[@]}" >"${work}/first.txt"
for f in pathway.csv wedges.csv targets.csv pathway.json pathway.html pathway.xlsx; do
  [ -s "${out}/${f}" ] || { echo "missing ${f}" >&2; exit 1; }
done
[ -f "${out}/runs/2018/reference/seed2024/summary.json" ] || { echo "no 2018 back-cast" >&2; exit 1; }
[ -f "${out}/runs/2030/plan/seed2025/run.msrun" ] || { echo "no 2030 plan replay" >&2; exit 1; }

# Debian's python3 (python3-openpyxl from tools/setup.sh), not another one earlier on the PATH.
py=$(command -v /usr/bin/python3 || command -v python3)
"${py}" - "${out}" <<'PY'
import csv, json, sys
from pathlib import Path
out = Path(sys.argv[1])
for name in ("pathway.csv", "wedges.csv", "targets.csv"):
    raw = (out / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: no byte-order mark"
rows = list(csv.DictReader((out / "wedges.csv").open(encoding="utf-8-sig")))
ids = {r["measure"] for r in rows}
assert {"trend", "tram_line2", "fare_refund"} <= ids, ids
assert any(r["label_ko"] == "도시철도 2호선 트램" or "트램" in r["label_ko"] for r in rows), "Korean names garbled"
path = list(csv.DictReader((out / "pathway.csv").open(encoding="utf-8-sig")))
plan30 = [r for r in path if r["scope"] == "study_area" and r["year"] == "2030" and r["scenario"] == "plan"]
assert plan30 and float(plan30[0]["co2_t_per_year"]) > 0 and plan30[0]["co2_t_per_year_lo"] != "", plan30
j = json.loads((out / "pathway.json").read_text(encoding="utf-8"))
assert j["seeds"] == [2024, 2025], j["seeds"]
targets = j["study_area"]["targets"]
assert targets and all(t["reference_t_per_year"] > 0 for t in targets), targets
try:
    import openpyxl
except ImportError:
    sys.exit("python3-openpyxl is missing (tools/setup.sh installs it)")
wb = openpyxl.load_workbook(out / "pathway.xlsx", read_only=True)
assert wb.sheetnames == ["pathway", "wedges", "targets", "method"], wb.sheetnames
header = [c.value for c in next(wb["wedges"].iter_rows(max_row=1))]
assert "감축량 (t/년)" in header, header
print("pathway outputs read back: ", len(rows), "wedge rows")
PY

# A rerun with the same inputs reuses every run and rewrites identical tables.
cp "${out}/wedges.csv" "${work}/wedges.before"
loud=()
for a in "${args[@]}"; do [ "${a}" = --quiet ] || loud+=("${a}"); done
"${bin}" "${loud[@]}" 2>"${work}/second.txt" >/dev/null
grep -q "reused" "${work}/second.txt" || { echo "rerun did not reuse" >&2; exit 1; }
if grep -q ": ran in" "${work}/second.txt"; then echo "rerun ran again" >&2; exit 1; fi
cmp "${out}/wedges.csv" "${work}/wedges.before"

# Bad options: exit 1 (usage) or 2 (bad input), and no run starts.
set +e
"${bin}" pathway "${src}/scenarios/seogu-plan-2034.json" --out "${work}/bad" --seeds 0 >/dev/null 2>&1
[ $? -eq 1 ] || { echo "--seeds 0 not refused" >&2; exit 1; }
"${bin}" pathway "${src}/scenarios/seogu-plan-2034.json" --out "${work}/bad" --years 2025 >/dev/null 2>"${work}/err.txt"
[ $? -eq 2 ] && grep -q -- "--years" "${work}/err.txt" || { echo "--years 2025 not refused" >&2; exit 1; }
"${bin}" pathway "${src}/scenarios/seogu-plan-2034.json" --out "${src}/scenarios/seogu-plan-2034.json" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "--out onto the pathway file not refused" >&2; exit 1; }
set -e
[ ! -d "${work}/bad/runs" ] || { echo "a run started despite bad options" >&2; exit 1; }
echo "pathway CLI: ok"
