#pragma once
/// `modeshift validate RUN_DIR`: compares a run with observations. It measures and does not
/// tune anything.
///  - Corridor speeds: observed hourly km/h of tram line 2 corridor segment directions against
///    the run's link_hourly.csv. Road links are matched to a segment direction by geometry. The
///    simulated speed is that of the average vehicle driving the segment over the matched links
///    (`drive_segment`): links in a row add up, links side by side count by their vehicles.
///  - Daily counts: observed two-way vehicles per day on a road against the simulated
///    cross-section volume; peak-hour junction counts against the vehicles entering a circle.
///  - Beside the model, a model-free predictor of the speeds (the leave-one-segment-out hourly
///    profile of the observations), to show what the network model adds.
/// The pieces: inputs.hpp (readers), geometry.hpp and matching.hpp (segment <-> links),
/// counts.hpp (count cross-sections), junctions.hpp (junction counts), profile.hpp (the
/// profile predictor), outputs.hpp (validation.json and the tables), cross_validation.hpp
/// (k-fold selection among candidate runs).
/// docs/validation.md describes the rules and the metrics.
#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modeshift/report/summary.hpp"
#include "modeshift/validate/counts.hpp"
#include "modeshift/validate/inputs.hpp"
#include "modeshift/validate/junctions.hpp"
#include "modeshift/validate/matching.hpp"
#include "modeshift/validate/ridership.hpp"

namespace modeshift {

/// A segment direction whose matched link length is below this share of its length is flagged.
inline constexpr double kLowCoverageShare = 0.5;

/// Simulated minus observed over pairs.
struct ErrorStats {
    std::size_t n = 0;
    double rmse = 0, bias = 0, mae = 0;
    double mean_observed = 0, mean_simulated = 0;
    std::optional<double> correlation;  ///< Pearson; nullopt if n < 2 or a side is constant
};
ErrorStats error_stats(std::span<const double> observed, std::span<const double> simulated);

struct ValidateOptions {
    std::filesystem::path run_dir;
    /// Empty = default: kDefault*File in the scenario data folder (see default_data_dirs).
    std::filesystem::path speeds, segments, counts, junction_counts, ridership;
    bool use_counts = true;         ///< false: skip the counts (daily and junction)
    std::filesystem::path network;  ///< empty = summary.json's network_file
    /// A link-hour speed counts only if at least this many simulated (sampled, unscaled)
    /// vehicles made it: one or two vehicles meeting a red or a green are not a mean speed, and
    /// the observed speeds are means over many probe vehicles.
    double min_sampled_vehicles = 5;
};

/// Hours of the day of the headline daytime figure (05-23 h: the hours when the corridor's
/// traffic is dense enough for its speeds to be flow-dependent).
inline constexpr int kDaytimeFirstHour = 5;

/// Where the default inputs are looked for, in order: the `data` folder next to the run's
/// scenario file (scenarios/data for scenarios/X.json; tried as given, then relative to the run
/// directory), then scenarios/data under the working directory, then the scenarios/data folder of
/// the repository holding the network file (networks/<name>/<file>).
std::vector<std::filesystem::path> default_data_dirs(const RunSummary& s,
                                                     const std::filesystem::path& run_dir);

struct SegmentHour {
    int hour = 0;
    std::optional<double> observed_kmh, simulated_kmh;
    int links_with_traffic = 0;
};

struct SegmentResult {
    std::string key, segment_id, road_name, from_name, to_name, direction;  ///< direction "AB"/"BA"
    double segment_length_m = 0, matched_length_m = 0;
    double coverage =
        0;  ///< matched / segment length (links side by side count once, overhangs not at all)
    bool low_coverage = false;
    std::vector<LinkMatch> links;
    std::array<SegmentHour, kObservedHours> hours{};
    ErrorStats stats;               ///< over this segment's compared hours
    std::size_t hours_missing = 0;  ///< observed but no simulated speed
};

struct HourResult {
    int hour = 0;
    ErrorStats stats;  ///< over segments
    std::size_t missing = 0;
};

struct ValidationResult {
    std::filesystem::path run_dir;
    std::string scenario;
    std::filesystem::path network_file, speeds_file, segments_file,
        counts_file,                         ///< counts empty = skipped
        junction_counts_file,                ///< empty = skipped
        ridership_file;                      ///< empty = skipped
    std::vector<std::string> speed_sources;  ///< distinct `source` values of the speeds file
    std::vector<SegmentResult> segments;     ///< in the order of the speeds file
    std::array<HourResult, kObservedHours> hours{};
    ErrorStats overall;
    ErrorStats daytime;  ///< hours kDaytimeFirstHour..23
    /// The model-free hourly profile on the same segment-hours (profile.hpp).
    ErrorStats profile_overall, profile_daytime;
    std::size_t missing = 0;  ///< observed segment-hours without a simulated speed
    std::size_t sparse = 0;   ///< of those, because no matched link had min_sampled_vehicles
    double min_sampled_vehicles = 0;
    std::vector<CountResult> counts;
    std::size_t counts_compared = 0;
    std::optional<double> mean_ratio;
    std::optional<double>
        share_within;  ///< of compared counts, ratio in [kCountRatioLow, kCountRatioHigh]
    std::size_t within = 0;
    std::vector<JunctionResult> junctions;
    std::size_t junctions_compared = 0, junctions_within = 0;
    std::optional<double> junctions_mean_ratio;
    std::vector<RidershipResult> ridership;  ///< boardings per day by transit mode
    std::vector<std::string> notes;
};

/// Reads the run directory and the observations and computes everything. InputError on bad input.
ValidationResult validate_run(const ValidateOptions& opt);

}  // namespace modeshift
