#pragma once
/// Runs a scenario file end to end: network + policies, population and demand, iterated mode and
/// route choice over simulated days, emissions, and all output files in the output directory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "modeshift/report/summary.hpp"
#include "modeshift/scenario/warm_start.hpp"

namespace modeshift {

class Network;

struct RunOptions {
    std::filesystem::path out_dir;
    int threads = 0;                    ///< 0 = all hardware threads
    std::optional<int> iterations;      ///< overrides the scenario
    std::optional<std::uint64_t> seed;  ///< overrides the scenario
    bool quiet = false;                 ///< no progress output
    /// Output folder of an earlier run (e.g. the converged baseline): its experienced car link
    /// times (link_times.csv) replace free-flow times in the first iteration. If it also holds
    /// plans.bin (run with save_plans) for the same demand, the first iteration keeps those
    /// plans' legs and routes for every trip whose mode does not change, so a what-if starts
    /// from the converged day instead of re-routing everyone at once. Both files must be of a
    /// run on the same network file (warm_start.hpp); others are refused.
    std::filesystem::path warm_start;
    /// Also write DIR/trips.csv: every simulated trip with its experienced times.
    bool write_trips = false;
    /// Also write DIR/plans.bin: the last day's plans (modes and routes), for warm starts.
    bool save_plans = false;
    /// Called after each iteration with its figures and the iteration limit (progress bars in
    /// batch runs and what-ifs); may be empty.
    std::function<void(const IterationFigures& figures, int total)> on_iteration;
};

/// Runs the scenario and writes DIR/summary.json, DIR/run.msrun, DIR/links.geojson,
/// DIR/link_hourly.csv and the hourly tables. Throws InputError for bad scenario input.
RunSummary run_scenario(const std::filesystem::path& scenario_file, const RunOptions& options);

}  // namespace modeshift
