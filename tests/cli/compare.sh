#!/usr/bin/env bash
# `modeshift compare` end to end on tiny runs (0.2 % of the city, one day) of the bundled baseline
# and transit scenarios, seeds 1-3, laid out as a sweep folder: one pair gives t/day and t/year in
# the page, report.json, report.csv (with a byte-order mark) and report.xlsx (read back with
# openpyxl); three seeds per side (--base/--policy, and --sweep) give 90 % intervals, two a
# min-max; bad outputs (--out onto an input, into a run folder, not .html, a folder, empty),
# unpaired seeds and cut tables exit 2 before anything is written.
# Usage: tests/cli/compare.sh MODESHIFT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
cd "${work}"
echo "{\"extends\": \"${src}/scenarios/seogu-baseline.json\", \"sample_fraction\": 0.002}" >base.json
echo "{\"extends\": \"${src}/scenarios/seogu-transit.json\", \"sample_fraction\": 0.002}" >policy.json
for s in 1 2 3; do
  for sc in base policy; do
    "${bin}" run "${sc}.json" --out "sweep/${sc}_seed${s}" --seed "${s}" --iterations 1 --quiet --threads 2
  done
done
fail() { echo "compare.sh: $*" >&2; exit 1; }

# One run per side.
"${bin}" compare sweep/base_seed1 sweep/policy_seed1 --out one/report.html >one.txt
grep -q "t/year" one.txt || fail "no t/year on stdout"
for f in report.html report.json report.csv report.xlsx; do [ -s "one/${f}" ] || fail "missing ${f}"; done
grep -q " t/day</div>" one/report.html || fail "the headline CO2 has no unit"

# Three seeds per side, given in any order, and the same from the sweep folder; two seeds.
"${bin}" compare --base sweep/base_seed3 sweep/base_seed1 sweep/base_seed2 \
  --policy sweep/policy_seed1 --policy sweep/policy_seed2 --policy sweep/policy_seed3 \
  --out three/report.html >/dev/null
"${bin}" compare --sweep sweep base policy --out sweep/report.html >/dev/null
"${bin}" compare --base sweep/base_seed1 sweep/base_seed2 --policy sweep/policy_seed1 \
  sweep/policy_seed2 --out two/report.html >/dev/null
grep -q "90 % interval (3 seeds)" three/report.html || fail "no interval on the page"

# Debian's python3 (python3-openpyxl from tools/setup.sh), not another one earlier on the PATH.
py=$(command -v /usr/bin/python3 || command -v python3)
"${py}" - <<'PY'
import csv, json, math
from pathlib import Path
one = json.loads(Path("one/report.json").read_text(encoding="utf-8"))
days = one["annualisation"]["weekday_equivalent_days_per_year"]
assert 300 < days < 366, days
assert "korea_public_holidays.csv" in one["annualisation"]["method_en"], one["annualisation"]
assert math.isclose(one["co2_t_per_year"]["delta"], days * one["co2_t_per_day"]["delta"]), one
assert one["runs"]["per_side"] == 1 and "band" not in one["co2_t_per_day"], one["runs"]
raw = Path("one/report.csv").read_bytes()
assert raw.startswith(b"\xef\xbb\xbf"), "report.csv: no byte-order mark"
rows = list(csv.DictReader(Path("one/report.csv").open(encoding="utf-8-sig")))
year = [r for r in rows if r["section"] == "headline" and r["item"] == "co2_t_per_year"]
assert year and year[0]["unit"] == "t/year", year
assert all(r["unit"] for r in rows), "a row without its unit"
assert any(r["section"] == "dong_co2_t_per_year" for r in rows)
try:
    import openpyxl
except ImportError:
    raise SystemExit("python3-openpyxl is missing (tools/setup.sh installs it)")
wb = openpyxl.load_workbook("one/report.xlsx", read_only=True)
assert wb.sheetnames == ["headline", "by_mode", "by_dong", "hourly", "links", "method"], wb.sheetnames
ko, en = [list(r) for r in wb["by_mode"].iter_rows(max_row=2, values_only=True)]
assert "CO2 변화 (t/년)" in ko and "CO2 change (t/year)" in en, (ko, en)
head = list(wb["headline"].iter_rows(min_row=3, values_only=True))
by_item = {(r[0], r[1]): r for r in head}
assert by_item[("city", "co2_t_per_year")][4] == "t/year", head[:3]
assert math.isclose(by_item[("city", "co2_t_per_day")][7], one["co2_t_per_day"]["delta"])
dongs = list(wb["by_dong"].iter_rows(min_row=3, values_only=True))
assert len(dongs) == len(one["dongs"]) and isinstance(dongs[0][3], float), dongs[:1]

three = json.loads(Path("three/report.json").read_text(encoding="utf-8"))
swept = json.loads(Path("sweep/report.json").read_text(encoding="utf-8"))
two = json.loads(Path("two/report.json").read_text(encoding="utf-8"))
assert three["runs"]["seeds"] == [1, 2, 3] and three["runs"]["band"] == "t90", three["runs"]
band = three["co2_t_per_day"]["band"]
assert band["kind"] == "t90" and band["delta_lo"] <= three["co2_t_per_day"]["delta"] <= band["delta_hi"], band
assert swept["co2_t_per_day"] == three["co2_t_per_day"], "the sweep folder gave other figures"
assert two["co2_t_per_day"]["band"]["kind"] == "range" and two["runs"]["band"] == "range", two["runs"]
print("compare outputs read back:", len(rows), "CSV rows,", len(dongs), "dongs")
PY

# Refusals: exit 2, a message naming what is wrong, and nothing written.
refused() {  # refused EXPECTED_TEXT ARGS...
  local want=$1
  shift
  set +e
  "${bin}" compare "$@" >out.txt 2>err.txt
  local rc=$?
  set -e
  [ "${rc}" -eq 2 ] || fail "exit ${rc}, not 2, for: $* ($(cat err.txt))"
  grep -qF -- "${want}" err.txt || fail "no '${want}' in: $(cat err.txt)"
}
sum=$(md5sum sweep/base_seed1/summary.json)
refused "inside an input folder" sweep/base_seed1 sweep/policy_seed1 --out sweep/base_seed1/summary.json
refused "inside an input folder" sweep/base_seed1 sweep/policy_seed1 --out sweep/base_seed1/report.html
[ "$(md5sum sweep/base_seed1/summary.json)" = "${sum}" ] || fail "an input was replaced"
[ ! -e sweep/base_seed1/report.html ] || fail "a report was written into a run folder"
refused "must end in .html" sweep/base_seed1 sweep/policy_seed1 --out r.json
[ ! -e r.json ] && [ ! -e r.html ] || fail "--out r.json wrote a file"
mkdir existing
refused "is a folder" sweep/base_seed1 sweep/policy_seed1 --out existing
[ -z "$(ls existing)" ] || fail "--out FOLDER wrote into it"
refused "is empty" sweep/base_seed1 sweep/policy_seed1 --out ""
refused "seed 3 has a base run but no policy run" --base sweep/base_seed1 sweep/base_seed3 \
  --policy sweep/policy_seed1 sweep/policy_seed2 --out unpaired/report.html
[ ! -e unpaired/report.html ] || fail "unpaired seeds gave a report"

# Cut tables: by_dong.csv cut at a line end, links.csv inside a row.
cp -r sweep/policy_seed1 cut
head -n -1 sweep/policy_seed1/by_dong.csv >cut/by_dong.csv
refused "cut/by_dong.csv: field 'rows': cut short" sweep/base_seed1 cut --out cut1/report.html
cp sweep/policy_seed1/by_dong.csv cut/
head -c 100000 sweep/policy_seed1/links.csv >cut/links.csv
refused "cut/links.csv: field 'rows': cut short: its last line has no line end" \
  sweep/base_seed1 cut --out cut2/report.html
[ ! -e cut1/report.html ] && [ ! -e cut2/report.html ] || fail "a cut table gave a report"
echo "compare CLI: ok"
