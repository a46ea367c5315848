#pragma once
/// Reader for Eclipse SUMO network (*.net.xml) and route (*.rou.xml) files, plain or gzipped, so
/// modeshift can simulate exactly the trips of a SUMO scenario on the same roads. Every malformed
/// record throws InputError(file, line, field, ...).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/network/network_data.hpp"
#include "modeshift/travel_plan/plan_set.hpp"
#include "modeshift/travel_plan/signal_plan.hpp"

namespace modeshift::sumo {

/// Flow capacity per lane when the net file gives none (SUMO nets carry no capacity).
/// 1,800 veh/h/lane: saturation flow of a through lane, Highway Capacity Manual 2010, ch. 18
/// (base 1,900 pc/h/ln less the usual adjustments), the figure the importer documents in
/// docs/sumo.md. SUMO meso itself derives ~1,800-3,200 veh/h/lane from its headway parameters.
inline constexpr double kDefaultLaneCapacityVph = 1800.0;

struct SumoImportOptions {
    std::string name = "sumo";                           ///< NetworkData::name
    double lane_capacity_vph = kDefaultLaneCapacityVph;  ///< per lane, all edges
};

/// Reads a whole file, decompressing gzip transparently (by magic bytes). A truncated or corrupt
/// gzip stream throws InputError naming the file.
std::string read_maybe_gz(const std::filesystem::path& path);

/// Parses the text of a SUMO net file: every non-internal <edge> becomes a link (length = mean
/// lane length, speed = max lane speed, lanes = lane count, external_id = edge id), every
/// non-internal <junction> a node. Planar x/y (metres, after netOffset) map to a pseudo lat/lon
/// around (0, 0) with the local equirectangular projection; recorded in the notes.
/// Junctions of type traffic_light* become NodeControl::Signal, all others NodeControl::None.
/// With `signals`, the fixed-time programs (<tlLogic> phases and the <connection> linkIndexes)
/// are turned into per-link timings: cycle = sum of phase durations, effective green = the
/// longest cyclic run of phases where the approach's through connections show green or yellow.
NetworkData parse_net(std::string xml, const std::string& origin, const SumoImportOptions& opt = {},
                      SignalPlan* signals = nullptr);
NetworkData read_net(const std::filesystem::path& path, const SumoImportOptions& opt = {},
                     SignalPlan* signals = nullptr);

/// Demand read from a route file.
struct SumoDemand {
    PlanSet plans;                         ///< one Drive trip per vehicle (vehicle type 0, car)
    std::vector<std::string> vehicle_ids;  ///< by trip index
    std::size_t route_edges = 0;           ///< sum of route lengths in edges (= link traversals)
};

/// Parses the text of a SUMO route file: <vehicle depart=".." [route="id"]> with an embedded
/// <route edges=".."/> or a reference to a top-level <route id=".." edges=".."/>. Edges are
/// looked up by id in `net` (links' external_id). `copies` > 1 adds copies of each vehicle
/// departing `copy_offset_s` apart (for a congested variant of the same demand). The text is
/// taken by value and parsed in place (move a large file in rather than copying it).
SumoDemand parse_routes(std::string xml, const std::string& origin, const NetworkData& net,
                        int copies = 1, double copy_offset_s = 0);
SumoDemand read_routes(const std::filesystem::path& path, const NetworkData& net, int copies = 1,
                       double copy_offset_s = 0);

/// The vehicle types the imported plans refer to: 0 = a passenger car (SUMO's default vType
/// "DEFAULT_VEHTYPE": passenger class, max speed 55.55 m/s).
std::vector<VehicleType> vehicle_types();

}  // namespace modeshift::sumo
