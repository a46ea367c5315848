#pragma once
/// Running a pathway (the climate plan, `modeshift pathway`): for every plan year and seed, BAU
/// (trends only), the plan (trends + the measures active that year) and the plan with each active
/// measure left out, each a scenario run warm-started from the same run of the previous year;
/// then annual tonnes, wedges, intervals over seeds, cost per tonne and the target lines.
///
/// Folder OUT (docs/pathway.md): scenarios/<year>/<variant>.json (+ fleet.json) written from the
/// pathway file, runs/<year>/<variant>/seed<k>/ (ordinary run folders), then pathway.csv,
/// wedges.csv, pathway.json, pathway.html and pathway.xlsx; pathway.json is the completion mark.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/pathway/pathway_file.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift::pathway {

struct PathwayRunOptions {
    std::filesystem::path out_dir;
    std::vector<std::uint64_t> seeds;  ///< explicit seeds; empty = seed_count seeds from the base
                                       ///< scenario's seed on (so seed 1 is the baseline's draw)
    int seed_count = 1;
    int jobs = 1;                           ///< runs at the same time
    int threads_per_run = 1;                ///< engine threads inside one run
    std::optional<int> iterations;          ///< days per run (default: the scenario's)
    std::optional<double> sample_fraction;  ///< overrides the base scenario's
    std::vector<int> years;                 ///< a subset of the file's years (empty = all)
    bool quiet = false;
    /// Spread over the processes of an MPI job (`mpirun -np N modeshift pathway ...`): this
    /// process's rank and the job's size. Each year's runs are dealt round robin; `all_ok(ok)`
    /// is a collective call returning whether every process reported ok, and is the barrier
    /// between years (a year warm-starts from the previous one's runs, wherever they ran). Rank 0
    /// alone locks the folder, writes the year scenarios and, at the end, reads every run's
    /// summary and writes the tables. ranks == 1: one process, no calls.
    int rank = 0, ranks = 1;
    std::function<bool(bool)> all_ok;
};

/// One run of the pathway: a year, a variant and a seed.
struct PathwayRun {
    int year = 0;
    std::string variant;   ///< "bau", "plan", "without_<measure id>" or "reference"
    std::string left_out;  ///< the measure a "without_" run leaves out
    std::uint64_t seed = 0;
    std::filesystem::path scenario;    ///< OUT/scenarios/<year>/<variant>.json
    std::filesystem::path out_dir;     ///< OUT/runs/<year>/<variant>/seed<k>
    std::filesystem::path warm_start;  ///< the same variant (or the plan) of the previous year
    std::optional<int> iterations;
    int threads = 1;
};

/// Runs one scenario into run.out_dir (the CLI passes run_scenario; tests pass fakes).
using PathwayRunFunction = std::function<RunSummary(const PathwayRun& run)>;

/// Figures of one run used by the pathway (t/day, before annualisation).
struct RunFigures {
    double city_co2_t = 0, study_co2_t = 0;
    double city_vkt_km = 0, study_vkt_km = 0;
    std::array<double, kModeCount> city_share{}, study_share{};
};
RunFigures figures_of(const RunSummary& s);

/// Every run of the pathway, in execution order (year by year; within a year any order).
std::vector<PathwayRun> plan_runs(const PathwayFile& pathway, const PathwayRunOptions& opt,
                                  std::uint64_t default_seed);

/// Writes OUT/scenarios/<year>/<variant>.json and fleet.json for every run of `runs`.
void write_year_scenarios(const PathwayFile& pathway, const PathwayRunOptions& opt,
                          const std::vector<PathwayRun>& runs);

/// Runs (or, where a finished run with the same inputs exists, reuses) every run, year by year,
/// `jobs` at a time. Returns the figures in the order of `runs`. Failed runs throw after the
/// year they belong to has finished (the finished ones stay for a resume).
std::vector<RunFigures> execute_runs(const std::vector<PathwayRun>& runs,
                                     const PathwayRunOptions& opt, const PathwayRunFunction& run,
                                     const std::function<void(const std::string&)>& progress);

}  // namespace modeshift::pathway
