#pragma once
/// Observed daily counts against the simulated two-way volume of a road's cross-section.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/validate/inputs.hpp"

namespace modeshift {

class Network;

/// Band of simulated / observed counts reported as "within".
inline constexpr double kCountRatioLow = 0.67;
inline constexpr double kCountRatioHigh = 1.5;

/// Daily vehicles per link (all hours of link_hourly summed), indexed by link.
std::vector<double> daily_vehicles(const Network& net, std::span<const LinkHour> rows);

struct CountResult {
    TrafficCount count;
    std::optional<double> simulated_veh_per_day;  ///< nullopt = could not be located
    std::optional<double> ratio;                  ///< simulated / observed
    std::vector<LinkId> links;                    ///< the links summed
    std::string note;                             ///< how it was located, or why not
};

/// Simulated two-way daily volume at a count's cross-section:
///  - with lat/lon: the road link of that name whose midpoint is nearest the point (within
///    radius_m) plus the nearest link of that name heading the other way (bearing more than 90
///    degrees off; within radius_m of the point);
///  - without: the maximum over road links of that name of (its daily vehicles + those of its
///    reverse link, the road link with from/to swapped, if any).
CountResult evaluate_count(const Network& net, std::span<const double> daily,
                           const TrafficCount& c);

}  // namespace modeshift
