#pragma once
/// Observed transit ridership (boardings per day by mode) against the run's transit_lines.csv.
///
/// Both sides count boardings: a trip with a transfer boards twice. The observed figures are of
/// a weekday (the simulated day is one), derived in the data file from the published annual
/// or all-day means with the published weekend factors (scenarios/data/ridership.csv).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace modeshift {

/// Default ridership file, relative to the scenario data folder.
inline constexpr const char* kDefaultRidershipFile = "ridership.csv";

/// Band of simulated / observed boardings reported as "within" (±25 %).
inline constexpr double kRidershipRatioLow = 0.75;
inline constexpr double kRidershipRatioHigh = 1.25;

struct RidershipFigure {
    std::string mode;  ///< a transit mode name as transit_lines.csv writes it (bus, metro, tram)
    double observed_boardings_per_day = 0;
    std::string day_type;  ///< "weekday": the simulated day
    std::optional<long long> year;
    std::string derivation, source;
    std::uint64_t line = 0;
};

/// Reads mode, observed_boardings_per_day, day_type, year, derivation, source. Throws InputError
/// naming the file, line and field (unknown mode, a day type other than weekday, a duplicate
/// mode, a missing source).
std::vector<RidershipFigure> read_ridership(const std::filesystem::path& path);

/// Boardings per day by mode: the sum of transit_lines.csv's boardings_per_day over the lines of
/// each mode, in the order modes first appear. Throws InputError naming file, line and column.
std::vector<std::pair<std::string, double>> simulated_boardings(
    const std::filesystem::path& transit_lines_csv);

struct RidershipResult {
    RidershipFigure figure;
    std::optional<double> simulated_boardings_per_day;  ///< nullopt = the run has no such line
    std::optional<double> ratio;                        ///< simulated / observed
};

/// Each observed figure beside the simulated boardings of its mode.
std::vector<RidershipResult> compare_ridership(
    const std::vector<RidershipFigure>& observed,
    const std::vector<std::pair<std::string, double>>& simulated);

}  // namespace modeshift
