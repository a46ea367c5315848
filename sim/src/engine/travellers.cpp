// Travellers: a trip's progress leg by leg (teleported and routed walking and cycling, driving,
// waiting for transit), hand-overs to the partition of the next leg, and trip outcomes.
#include <algorithm>

#include "modeshift/core/error.hpp"
#include "run.hpp"

namespace modeshift::engine_detail {

std::uint32_t Run::leg_part(std::uint32_t trip, std::uint32_t leg, std::uint32_t here) const {
    (void)trip;
    switch (plans_.leg_kind[leg]) {
        case LegKind::Drive: {
            const auto r = plans_.leg_route(leg);
            return r.empty() ? here : lk_[r[0].index()].up_part;
        }
        case LegKind::Transit: {
            return parts_.node_part[line_stop_node_[line_stop_base_[plans_.leg_line[leg].index()] +
                                                    plans_.leg_board_index[leg]]];
        }
        default:
            return here;  // walk/bike legs do not interact with anyone: run them where the trip is
    }
}

void Run::vehicle_reached_end(Part& p, std::uint32_t v, TimeMs t) {
    MS_ASSERT(v >= n_transit_, "transit vehicle ended its route between stops");
    const std::uint32_t trip = veh_trip_[v].value();
    const std::uint32_t g = th_[trip].leg;
    TripHot& o = th_[trip];
    o.in_vehicle_s += static_cast<float>(ms_to_seconds(t - th_[trip].mark));
    o.distance_m += drive_leg_m_[g];
    ++th_[trip].leg;
    continue_trip(p, trip, t);
}

void Run::continue_trip(Part& p, std::uint32_t trip, TimeMs due) {
    const std::uint32_t g = th_[trip].leg;
    const std::uint32_t dst =
        g >= plans_.trip_first_leg[trip + 1] ? p.index : leg_part(trip, g, p.index);
    if (dst == p.index) {
        if (due == p.now)
            advance_trip(p, trip, due);
        else
            schedule(p, due, EvType::TripLeg, trip);
        return;
    }
    if (due < p.window_end) ++p.late_handovers;
    send(p, dst, Message{std::max(due, p.window_end), trip, 0, MsgKind::Trip});
}

void Run::advance_trip(Part& p, std::uint32_t trip, TimeMs t) {
    const std::uint32_t end = plans_.trip_first_leg[trip + 1];
    const std::uint32_t g = th_[trip].leg;
    if (g >= end) {
        finish_trip(p, trip, t);
        return;
    }
    TripHot& o = th_[trip];
    const LegKind kind = plans_.leg_kind[g];
    const auto route = plans_.leg_route(g);
    th_[trip].mark = t;
    switch (kind) {
        case LegKind::Walk:
        case LegKind::Bike: {
            if (route.empty()) {
                const double speed = plans_.leg_speed_mps[g] > 0 ? plans_.leg_speed_mps[g]
                                     : kind == LegKind::Walk     ? cfg_.walk_speed_mps
                                                                 : cfg_.bike_speed_mps;
                const double secs = plans_.leg_distance_m[g] / speed;
                (kind == LegKind::Walk ? o.walk_s : o.bike_s) += static_cast<float>(secs);
                o.distance_m += plans_.leg_distance_m[g];
                ++th_[trip].leg;
                continue_trip(p, trip, t + seconds_to_ms(secs));
                return;
            }
            start_active(p, trip, g, t);
            return;
        }
        case LegKind::Drive: {
            if (route.empty()) {
                ++th_[trip].leg;
                continue_trip(p, trip, t);
                return;
            }
            const std::uint32_t v = th_[trip].vehicle;
            vh_[v].route = route.data();
            vh_[v].ahead_base = kNone;
            vh_[v].pos = 0;
            vh_[v].end = static_cast<std::uint32_t>(route.size());
            vh_[v].type = plans_.leg_vehicle_type[g];
            depart_vehicle(p, v, route[0].value(), t);
            return;
        }
        case LegKind::Transit: {
            // Wait at the board stop, first come first served.
            waiting_[line_stop_base_[plans_.leg_line[g].index()] + plans_.leg_board_index[g]]
                .trips.push_back(trip);
            return;
        }
    }
}

TimeMs Run::active_link_ms(std::uint32_t g, LinkId l) const {
    const bool bike = plans_.leg_kind[g] == LegKind::Bike;
    double speed = plans_.leg_speed_mps[g] > 0 ? plans_.leg_speed_mps[g]
                   : bike                      ? cfg_.bike_speed_mps
                                               : cfg_.walk_speed_mps;
    if (bike && bike_lane_[l.index()]) speed *= cfg_.bike_lane_speed_factor;
    return seconds_to_ms(net_.length_m(l) / speed);
}

void Run::start_active(Part& p, std::uint32_t trip, std::uint32_t g, TimeMs t) {
    // trip_pos_ = route-pool index of the link being walked/ridden; no congestion, so only
    // one event per link and no cross-partition interaction.
    const std::uint32_t pos = plans_.leg_first_link[g];
    th_[trip].pos = pos;
    schedule(p, t + active_link_ms(g, plans_.route_links[pos]), EvType::ActiveStep, trip);
}

void Run::on_active_step(Part& p, std::uint32_t trip, TimeMs t) {
    const std::uint32_t g = th_[trip].leg;
    const bool bike = plans_.leg_kind[g] == LegKind::Bike;
    std::uint32_t pos = th_[trip].pos;
    const LinkId l = plans_.route_links[pos];
    TripHot& o = th_[trip];
    const TimeMs enter = th_[trip].mark;
    (bike ? o.bike_s : o.walk_s) += static_cast<float>(ms_to_seconds(t - enter));
    o.distance_m += static_cast<float>(net_.length_m(l));
    ++p.link_events;
    if (bike) {
        const std::uint32_t v = th_[trip].vehicle;
        p.traversals.push_back(Traversal{enter, t, l, VehicleId(v), plans_.leg_vehicle_type[g], 1});
    }
    th_[trip].mark = t;
    if (++pos < plans_.leg_first_link[g + 1]) {
        th_[trip].pos = pos;
        schedule(p, t + active_link_ms(g, plans_.route_links[pos]), EvType::ActiveStep, trip);
        return;
    }
    ++th_[trip].leg;
    continue_trip(p, trip, t);
}

TripOutcome Run::outcome(std::uint32_t trip) const {
    const TripHot& h = th_[trip];
    TripOutcome o;
    o.trip = TripId(trip);
    o.depart_ms = plans_.trip_depart_ms[trip];
    o.in_vehicle_s = h.in_vehicle_s;
    o.wait_s = h.wait_s;
    o.walk_s = h.walk_s;
    o.bike_s = h.bike_s;
    o.distance_m = h.distance_m;
    o.boardings = h.boardings;
    o.left_behind = h.left_behind;
    o.mode = plans_.trip_mode[trip];
    return o;
}

void Run::finish_trip(Part& p, std::uint32_t trip, TimeMs t) {
    MS_ASSERT(!th_[trip].done, "trip finished twice");
    th_[trip].done = 1;
    TripOutcome o = outcome(trip);
    o.arrive_ms = t;
    p.outcomes.push_back(o);
    ++p.completed;
}

}  // namespace modeshift::engine_detail
