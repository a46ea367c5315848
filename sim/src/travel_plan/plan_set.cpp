#include "modeshift/travel_plan/plan_set.hpp"

#include "modeshift/core/error.hpp"

namespace modeshift {

TripId PlanSet::begin_trip(AgentId person, TimeMs depart, Mode main_mode, ZoneId from, ZoneId to) {
    MS_ASSERT(trip_first_leg.size() == trip_person.size() + 1,
              "begin_trip before end_trip of previous trip");
    const TripId id = TripId::from_index(trip_person.size());
    trip_person.push_back(person);
    trip_depart_ms.push_back(depart);
    trip_mode.push_back(main_mode);
    trip_origin_zone.push_back(from);
    trip_dest_zone.push_back(to);
    return id;
}

namespace {
template <class V, class T>
void push(V& v, T t) {
    v.push_back(t);
}
}  // namespace

void PlanSet::add_walk(float distance_m, float speed_mps, std::span<const LinkId> route) {
    leg_kind.push_back(LegKind::Walk);
    route_links.insert(route_links.end(), route.begin(), route.end());
    leg_first_link.push_back(static_cast<std::uint32_t>(route_links.size()));
    push(leg_distance_m, distance_m);
    push(leg_speed_mps, speed_mps);
    push(leg_vehicle_type, VehicleTypeId{0});
    push(leg_line, LineId{});
    push(leg_board_index, std::uint16_t{0});
    push(leg_alight_index, std::uint16_t{0});
}

void PlanSet::add_bike(float distance_m, float speed_mps, VehicleTypeId type,
                       std::span<const LinkId> route) {
    add_walk(distance_m, speed_mps, route);
    leg_kind.back() = LegKind::Bike;
    leg_vehicle_type.back() = type;
}

void PlanSet::add_drive(VehicleTypeId type, std::span<const LinkId> route) {
    add_walk(0.0f, 0.0f, route);
    leg_kind.back() = LegKind::Drive;
    leg_vehicle_type.back() = type;
}

void PlanSet::add_transit(LineId line, std::uint16_t board_index, std::uint16_t alight_index) {
    MS_ASSERT(board_index < alight_index, "transit leg must alight after it boards");
    add_walk(0.0f, 0.0f);
    leg_kind.back() = LegKind::Transit;
    leg_line.back() = line;
    leg_board_index.back() = board_index;
    leg_alight_index.back() = alight_index;
}

void PlanSet::end_trip() {
    MS_ASSERT(trip_first_leg.size() == trip_person.size(), "end_trip without begin_trip");
    trip_first_leg.push_back(static_cast<std::uint32_t>(leg_kind.size()));
}

void PlanSet::reserve_like(const PlanSet& other) {
    auto r = [](auto& v, std::size_t n) { v.reserve(n + n / 16); };
    const std::size_t trips = other.trip_count(), legs = other.leg_count();
    r(trip_person, trips);
    r(trip_depart_ms, trips);
    r(trip_mode, trips);
    r(trip_origin_zone, trips);
    r(trip_dest_zone, trips);
    r(trip_first_leg, trips + 1);
    r(leg_kind, legs);
    r(leg_first_link, legs + 1);
    r(leg_distance_m, legs);
    r(leg_speed_mps, legs);
    r(leg_vehicle_type, legs);
    r(leg_line, legs);
    r(leg_board_index, legs);
    r(leg_alight_index, legs);
    r(route_links, other.route_links.size());
}

std::size_t PlanSet::memory_bytes() const {
    auto b = [](const auto& v) {
        return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
    };
    return b(trip_person) + b(trip_depart_ms) + b(trip_mode) + b(trip_origin_zone) +
           b(trip_dest_zone) + b(trip_first_leg) + b(leg_kind) + b(leg_first_link) +
           b(leg_distance_m) + b(leg_speed_mps) + b(leg_vehicle_type) + b(leg_line) +
           b(leg_board_index) + b(leg_alight_index) + b(route_links);
}

}  // namespace modeshift
