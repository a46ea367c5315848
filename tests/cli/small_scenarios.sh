# Sourced by the CLI shell tests (faults.sh, kill_steps.sh, mpi_sweep.sh): two small scenarios
# (0.5 % of the city) for runs and sweeps that take seconds, and a sweep table without timings.
# write_small_scenarios DIR SRC NAME_A NAME_B: DIR/NAME_A.json is the baseline, DIR/NAME_B.json
# the baseline with 1.5 x bus frequency in the study area.
write_small_scenarios() {
  local dir=$1 src=$2 a=$3 b=$4
  cat >"${dir}/${a}.json" <<JSON
{"extends": "${src}/scenarios/seogu-baseline.json", "name": "${a}", "sample_fraction": 0.005}
JSON
  cat >"${dir}/${b}.json" <<JSON
{"extends": "${src}/scenarios/seogu-baseline.json", "name": "${b}", "sample_fraction": 0.005,
 "policies": [{"kind": "bus_frequency", "lines": "study_area", "frequency_factor": 1.5}]}
JSON
}

# strip_timing CSV: a sweep table without its timing and resume columns (wall_s, status, dir,
# note) and without the wall_s rows of sweep_summary.csv, for comparing two sweeps' figures.
strip_timing() { python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
keep = [i for i, h in enumerate(rows[0]) if h not in ("wall_s", "status", "dir", "note")]
for r in rows:
    if "metric" in rows[0] and r[rows[0].index("metric")] == "wall_s":
        continue
    print(",".join(r[i] for i in keep))
PY
}
