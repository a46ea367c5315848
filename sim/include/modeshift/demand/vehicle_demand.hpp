#pragma once
/// Vehicle trips that no resident chooses: freight (vans, light and heavy trucks) and traffic
/// entering or leaving the city at its boundary. They have a fixed vehicle type and choose only
/// their route, so they carry tolls and congestion but no mode shift. Every trip is drawn from its
/// own Rng stream (seed, purpose, zone or gateway, index): the same for any thread count.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/core/time.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {

/// One freight vehicle class: its trip rate and how far its trips reach.
struct FreightClass {
    std::string name;                ///< e.g. "light_truck"
    std::string vehicle_type;        ///< fleet vehicle type of this class
    double trips_per_household = 0;  ///< daily trip ends (origins) per household
    double friction_per_min = 0.08;  ///< gravity deterrence exp(-b * minutes)
};

struct FreightParams {
    std::vector<FreightClass> classes;
    double volume_factor = 1.0;     ///< global factor on every class's trips (calibrated)
    double gravity_speed_kmh = 30;  ///< converts crow-fly km to minutes for the friction term
    std::vector<std::string> attraction_attrs;  ///< destination attraction (zone attributes)
    std::vector<double> attraction_weights;
    std::vector<double> depart_hour_share;  ///< 24 shares
    std::string source_file;
};

/// A point where roads cross the city boundary, with its daily counts.
struct Gateway {
    std::string name;
    LatLon at;
    double inbound_per_day = 0;   ///< vehicles entering the city
    double outbound_per_day = 0;  ///< vehicles leaving
};

struct ExternalParams {
    std::vector<Gateway> gateways;
    double volume_factor = 1.0;  ///< global factor on the counts (calibrated)
    double snap_max_m = 3000;    ///< a gateway further than this from a road node is an error
    std::vector<std::string> vehicle_types;  ///< mix of the boundary traffic
    std::vector<double> vehicle_shares;
    std::vector<std::string>
        attraction_attrs;  ///< where entering vehicles go / leaving ones come from
    std::vector<double> attraction_weights;
    double distance_decay_per_km = 0.1;
    std::vector<double> inbound_hour_share;   ///< 24 shares of entering vehicles
    std::vector<double> outbound_hour_share;  ///< 24 shares of leaving vehicles
    std::string source_file;
};

FreightParams load_freight_params(const std::filesystem::path& file);
ExternalParams load_external_params(const std::filesystem::path& file);

/// Vehicle trips as a struct of arrays.
struct VehicleTrips {
    std::vector<std::string> type_names;  ///< distinct vehicle type names (index = `type`)
    std::vector<TripSegment> segment;
    std::vector<std::uint8_t> type;
    std::vector<ZoneId> origin;  ///< zone (gateway trips: the zone nearest the gateway)
    std::vector<ZoneId> dest;
    /// Gateway end of the trip (index into gateway_nodes), or -1 for zone-to-zone trips;
    /// `inbound` says whether the gateway is the origin.
    std::vector<std::int32_t> gateway;
    std::vector<std::uint8_t> inbound;
    std::vector<TimeMs> depart_ms;
    std::vector<NodeId> gateway_nodes;  ///< road node of each gateway
    std::size_t size() const { return segment.size(); }
};

/// Adds freight trips: per zone and class, households x rate x volume factor x sample fraction
/// trips (stochastic rounding), destination by gravity over the attraction.
void generate_freight(const Network& net, const FreightParams& p, std::uint64_t seed,
                      double sample_fraction, VehicleTrips& out);

/// Adds boundary trips: per gateway, inbound and outbound counts x volume factor x sample
/// fraction; the city end by gravity from the gateway. Throws InputError (naming the file and the
/// gateway) if a gateway has no road node within snap_max_m.
void generate_external(const Network& net, const ExternalParams& p, std::uint64_t seed,
                       double sample_fraction, VehicleTrips& out);

}  // namespace modeshift
