#pragma once
/// Calibration of the alternative-specific constants to observed mode shares.
#include <array>
#include <filesystem>
#include <string>

#include "modeshift/core/mode.hpp"

namespace modeshift {

struct CalibrationOptions {
    std::filesystem::path targets_file;  ///< scenarios/data/calibration_targets.json
    std::filesystem::path out_file;      ///< where the constants are written
    int threads = 0;
    int outer_loops = 3;  ///< simulate a day between loops to update congestion
    /// A converged run's folder: the first loop's skims take its link_times.csv (warm_start.hpp)
    /// instead of free flow; if it holds plans.bin (run --save-plans), that day is simulated
    /// once for its link times and its crowding. Empty = free flow.
    std::filesystem::path warm_start;
    int inner_rounds = 100;  ///< ASC updates per loop
    bool quiet = false;
};

struct CalibrationResult {
    std::array<double, kModeCount> target{};  ///< shares of all trips
    std::array<double, kModeCount>
        achieved{};  ///< expected (logit) shares with the final constants
    std::array<double, kModeCount> asc{};
    double max_abs_error_pp = 0;
};

/// Adjusts the constants with the classic ln(target / model) update (Ortuzar & Willumsen,
/// Modelling Transport, section 7.7) on expected logit shares of the scenario's whole demand,
/// re-simulating congested car times between loops; writes `out_file`.
CalibrationResult calibrate_scenario(const std::filesystem::path& scenario_file,
                                     const CalibrationOptions& opt);

/// Reads the targets (shares of all trips, walking included) from the targets file.
std::array<double, kModeCount> load_share_targets(const std::filesystem::path& file,
                                                  double* tolerance_pp = nullptr);

}  // namespace modeshift
