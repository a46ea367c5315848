#pragma once
/// What the engine simulates: trips made of legs, stored flat (struct of arrays) so a million
/// trips cost a few tens of bytes each plus their routes. Built by demand/choice, read by the
/// engine.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/core/time.hpp"

namespace modeshift {

/// How a leg moves.
enum class LegKind : std::uint8_t {
    Walk = 0,     ///< on foot: over `route` links if given, else teleported over distance_m
    Bike = 1,     ///< by bike: same rules as Walk, at bike speed
    Drive = 2,    ///< a private vehicle of `vehicle_type` over `route` in road traffic
    Transit = 3,  ///< wait at board stop, ride `line` from stop index board to alight
};

/// A vehicle type: how much road it takes and how fast it may go. Emission class is a key into
/// the emission factor table (the engine does not interpret it).
struct VehicleType {
    std::string name;  ///< e.g. "car_gasoline", "bus_cng", "bike"
    Mode mode = Mode::Car;
    double pce = 1.0;            ///< passenger-car equivalents in queues
    double max_speed_mps = 50;   ///< cap on link free-flow speed
    std::string emission_class;  ///< e.g. "passenger_medium_gasoline", "electric"
};
using VehicleTypeId = std::uint16_t;

/// All trips of one simulated day. Trip t has legs [trip_first_leg[t], trip_first_leg[t+1]);
/// leg g has route links [leg_first_link[g], leg_first_link[g+1]).
struct PlanSet {
    // --- per trip ---
    std::vector<AgentId> trip_person;
    std::vector<TimeMs> trip_depart_ms;
    std::vector<Mode> trip_mode;  ///< main mode (for shares and reports)
    std::vector<ZoneId> trip_origin_zone;
    std::vector<ZoneId> trip_dest_zone;
    std::vector<std::uint32_t> trip_first_leg = {0};
    // --- per leg ---
    std::vector<LegKind> leg_kind;
    std::vector<std::uint32_t> leg_first_link = {0};
    std::vector<float> leg_distance_m;  ///< teleported walk/bike distance (ignored if route given)
    std::vector<float> leg_speed_mps;   ///< walk/bike speed
    std::vector<VehicleTypeId> leg_vehicle_type;  ///< Drive (and Bike: the bike type)
    std::vector<LineId> leg_line;                 ///< Transit
    std::vector<std::uint16_t> leg_board_index;   ///< Transit: index into the line's stops
    std::vector<std::uint16_t> leg_alight_index;
    // --- route pool ---
    std::vector<LinkId> route_links;

    std::size_t trip_count() const { return trip_person.size(); }
    std::size_t leg_count() const { return leg_kind.size(); }
    std::span<const LinkId> leg_route(std::size_t leg) const {
        return {route_links.data() + leg_first_link[leg],
                route_links.data() + leg_first_link[leg + 1]};
    }

    /// Starts a trip; add its legs next, in travel order.
    TripId begin_trip(AgentId person, TimeMs depart, Mode main_mode, ZoneId from, ZoneId to);
    void add_walk(float distance_m, float speed_mps, std::span<const LinkId> route = {});
    void add_bike(float distance_m, float speed_mps, VehicleTypeId type,
                  std::span<const LinkId> route = {});
    void add_drive(VehicleTypeId type, std::span<const LinkId> route);
    void add_transit(LineId line, std::uint16_t board_index, std::uint16_t alight_index);
    /// Closes the current trip.
    void end_trip();
    /// Reserves room for the sizes of `other` and a little more (the previous day's plans): the
    /// vectors then do not grow by doubling, which copied them and faulted in fresh pages twice.
    void reserve_like(const PlanSet& other);
    /// Bytes held (for the memory report).
    std::size_t memory_bytes() const;

    template <class A>
    void serialize(A& ar) {
        ar(trip_person, trip_depart_ms, trip_mode, trip_origin_zone, trip_dest_zone, trip_first_leg,
           leg_kind, leg_first_link, leg_distance_m, leg_speed_mps, leg_vehicle_type, leg_line,
           leg_board_index, leg_alight_index, route_links);
    }
};

}  // namespace modeshift
