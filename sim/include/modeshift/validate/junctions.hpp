#pragma once
/// Observed peak-hour junction counts against the vehicles the run sends into the junction.
///
/// A junction is a circle (lat, lon, radius_m). The simulated count of one peak is the sum, over
/// the road links that enter the circle (end point inside, start point outside), of their
/// link_hourly.csv vehicles in the busiest hour of the peak window: hours 7, 8 and 9 for the
/// morning peak, 17, 18 and 19 for the evening one (the hour index of link_hourly.csv, i.e. the
/// hour starting at 07:00). `am_pm_peak` is the morning figure plus the evening one. Links with
/// both ends inside are the junction itself and are not counted, so a vehicle is counted once as
/// it enters, however the junction is drawn.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/validate/inputs.hpp"

namespace modeshift {

class Network;

/// Default junction count file, relative to the scenario data folder.
inline constexpr const char* kDefaultJunctionCountsFile = "junction_counts.csv";

/// The hours whose busiest one is a peak: hour indices of link_hourly.csv, both ends included.
inline constexpr std::array<std::uint32_t, 2> kAmPeakHours = {7, 9};
inline constexpr std::array<std::uint32_t, 2> kPmPeakHours = {17, 19};

enum class PeakPeriod { Am, Pm, AmPm };
/// "am_peak", "pm_peak", "am_pm_peak".
const char* peak_period_name(PeakPeriod p);

struct JunctionCount {
    std::string count_id, junction;
    double lat = 0, lon = 0, radius_m = 0;
    double observed_veh = 0;  ///< vehicles in the peak hour (am_pm_peak: the two hours summed)
    PeakPeriod period = PeakPeriod::Am;
    std::optional<long long> year;
    std::string located_by, source, note;
    std::uint64_t line = 0;
};

/// Reads count_id, junction, lat, lon, radius_m, observed_veh, period, year, located_by, source
/// (and an optional note). Throws InputError naming the file, line and field.
std::vector<JunctionCount> read_junction_counts(const std::filesystem::path& path);

struct JunctionResult {
    JunctionCount count;
    std::optional<double> simulated_veh;            ///< nullopt = no road link enters the circle
    std::optional<double> ratio;                    ///< simulated / observed
    std::optional<std::uint32_t> am_hour, pm_hour;  ///< the busiest hour picked, per peak used
    std::vector<LinkId> links;                      ///< the links entering the circle
    std::string note;
};

/// The road links entering the circle around (lat, lon): end point within radius_m, start point
/// outside; in link order.
std::vector<LinkId> links_entering(const Network& net, LatLon centre, double radius_m);

/// The simulated peak-hour count of a junction from a run's link_hourly rows.
JunctionResult evaluate_junction(const Network& net, std::span<const LinkHour> hourly,
                                 const JunctionCount& c);

}  // namespace modeshift
