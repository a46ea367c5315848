#pragma once
/// Low-carbon policies. A policy edits the scenario's copy of the network (links, lines),
/// the choice context (charges, fares, restrictions) or the fleet; policies compose in order.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "modeshift/choice/choice.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network_data.hpp"
#include "modeshift/policy/fleet.hpp"

namespace modeshift {

/// A change to the signal plans, applied once the plans are derived (see traffic/road_traffic.hpp).
struct SignalEdit {
    std::vector<std::uint32_t> links;  ///< approaches (link indices) whose green is extended
    double green_extension_s = 0;
    bool buses_only = false;  ///< true: only the bus lane's green (bus priority)
};

/// Everything a scenario's policies may change.
/// A low-emission zone's ban on a vehicle type that nobody chooses (a freight or boundary vehicle):
/// trips of that type with an end in the zones are made with `replacement` instead (a compliant
/// vehicle of the operator), since freight has no mode to shift to.
struct VehicleBan {
    std::string type, replacement;
    std::vector<std::uint8_t> zone;  ///< by zone index: 1 = banned there
};

/// What several policies of one kind have added up to on one target, so that together they stay
/// within the range of a single policy (docs/scenarios.md, "Policies that add up").
struct PolicyTotals {
    std::map<std::size_t, double> line_frequency;     ///< by line: product of frequency factors
    std::map<std::size_t, double> cordon_krw;         ///< by link: sum of congestion charges
    std::map<std::size_t, double> green_extension_s;  ///< by link: sum of green extensions
    std::array<bool, kModeCount> group_fare_set{};    ///< the fare group's fare given, by mode
    double tashu_coverage = 1;                        ///< product of station density factors
};

struct ScenarioSetup {
    NetworkData network;
    ChoiceContext context;
    FleetParams fleet;
    double fare_group_share = 0;  ///< share of persons in fare group 1 (e.g. seniors)
    std::string fare_group_name;
    std::vector<std::string> descriptions;  ///< one line per applied policy
    std::vector<SignalEdit> signal_edits;
    std::vector<VehicleBan> vehicle_bans;
    PolicyTotals totals;
};

/// The policy kinds this build knows, for error messages and docs.
const std::vector<std::string>& policy_kinds();

/// Applies one policy object (`c` points at it, for errors naming file and JSON path).
void apply_policy(const JsonCursor& c, ScenarioSetup& setup);

/// Sets defaults that depend on the network (e.g. Tashu coverage per zone) before policies run.
void init_context(ScenarioSetup& setup, double tashu_access_m);

}  // namespace modeshift
