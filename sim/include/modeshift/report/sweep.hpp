#pragma once
/// Batch runs: scenarios x seeds in parallel (oneTBB, `jobs` at a time), each into
/// OUT/<scenario>_seed<k>/, with a table per run (sweep.csv) and mean / spread over seeds per
/// scenario (sweep_summary.csv).
///
/// Resume: a run whose summary.json exists, is valid and matches the request's key (seed and,
/// when the caller gives one, the scenario's content hash, the iteration limit and the modeshift
/// version; never a warm-started run) is skipped; any other run folder (interrupted, or stale)
/// is deleted and redone from scratch, and sweep.csv's `note` says why.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/error.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift {

/// What a finished run must have been made from to be reused, besides the seed.
struct SweepRunKey {
    std::string scenario_hash;  ///< the scenario chain and every file it reads (Scenario::hash)
    int iterations_limit = 0;   ///< --iterations, or the scenario's own limit
};

/// One run the sweep asks for.
struct SweepRequest {
    std::filesystem::path scenario;
    std::string name;  ///< scenario name used in directory names and tables
    std::uint64_t seed = 0;
    std::filesystem::path out_dir;  ///< OUT/<name>_seed<seed>
    int threads = 1;                ///< engine threads inside this run
    std::optional<int> iterations;
    std::optional<SweepRunKey> key;  ///< unset: only the seed is checked on resume
};

/// Runs one scenario and writes its outputs (incl. summary.json) into request.out_dir.
/// The CLI passes a function calling run_scenario; tests pass fakes.
using SweepRunFunction = std::function<RunSummary(const SweepRequest&)>;

struct SweepOptions {
    std::filesystem::path out_dir;
    std::vector<std::uint64_t> seeds = {1};
    int jobs = 1;  ///< runs at the same time
    int threads_per_run = 1;
    std::optional<int> iterations;
    bool quiet = false;
    /// The key of a scenario file run with `iterations` (the CLI reads the scenario; tests may
    /// leave it empty, then resumes check the seed only).
    std::function<SweepRunKey(const std::filesystem::path& scenario, std::optional<int> iterations)>
        key_of;
};

enum class SweepStatus : std::uint8_t { Ran, Skipped, Failed };

struct SweepRunResult {
    SweepRequest request;
    SweepStatus status = SweepStatus::Failed;
    RunSummary summary;  ///< valid unless Failed
    std::string error;
    std::string note;  ///< why an earlier result was not reused
    std::optional<InputError>
        input_error;  ///< set when the run failed on bad input (file, line, field)
};

struct SweepResult {
    std::vector<SweepRunResult> runs;  ///< scenario-major, seed-minor order (independent of timing)
    std::size_t ran = 0, skipped = 0, failed = 0;
    std::size_t failed_on_input = 0;  ///< of the failed runs, those refused for bad input
};

/// Scenario name from its file: "baseline.scenario.json" -> "baseline".
std::string scenario_name_of(const std::filesystem::path& scenario);

/// The requests of a sweep, in table order. InputError if two scenarios share a name.
std::vector<SweepRequest> plan_sweep(const std::vector<std::filesystem::path>& scenarios,
                                     const SweepOptions& opt);

/// Runs (or resumes) the sweep and writes OUT/sweep.csv and OUT/sweep_summary.csv.
/// `progress` receives one line per started/finished run (may be empty); called under a lock.
SweepResult run_sweep(const std::vector<std::filesystem::path>& scenarios, const SweepOptions& opt,
                      const SweepRunFunction& run,
                      const std::function<void(const std::string&)>& progress = {});

/// The pieces of run_sweep, for a sweep spread over processes (modeshift/distributed):
/// runs the entries `indices` of `plan`, opt.jobs at a time, resuming finished ones (the other
/// entries are returned with only their request set)...
std::vector<SweepRunResult> run_sweep_requests(
    const std::vector<SweepRequest>& plan, const std::vector<std::size_t>& indices,
    const SweepOptions& opt, const SweepRunFunction& run,
    const std::function<void(const std::string&)>& progress = {});
/// ...counts the statuses and writes OUT/sweep.csv and OUT/sweep_summary.csv...
SweepResult finish_sweep(std::vector<SweepRunResult> runs, const std::filesystem::path& out_dir);
/// ...and reads back a run another process finished (its valid summary.json of this seed).
bool read_finished_run(const SweepRequest& r, RunSummary& out);
/// "ran", "skipped", "failed" (the status column of sweep.csv).
const char* sweep_status_name(SweepStatus s);

/// The two tables as text (also used by tests).
std::string sweep_table_csv(const SweepResult& r);
std::string sweep_summary_csv(const SweepResult& r);

}  // namespace modeshift
