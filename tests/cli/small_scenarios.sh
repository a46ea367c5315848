# Sourced by the CLI shell tests (faults.sh, mpi_sweep.sh): two small scenarios (0.5 % of the
# city) for runs and sweeps that take seconds.
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
