// Transit vehicles at their stops: alighting, boarding in arrival order up to the capacity
// (the rest are left behind), dwell times, and leaving the stop onto the next link.
#include <algorithm>
#include <vector>

#include "modeshift/core/error.hpp"
#include "run.hpp"

namespace modeshift::engine_detail {

void Run::serve_stop(Part& p, std::uint32_t v, std::uint32_t k, TimeMs t) {
    const std::uint32_t li = veh_line_[v].value();
    const TransitLine& line = net_.line(veh_line_[v]);
    veh_stop_[v] = k;
    auto& riders = riders_[v];
    // Alight.
    std::uint32_t alighted = 0;
    std::size_t keep = 0;
    std::vector<std::uint32_t>& leaving = p.leaving;
    leaving.clear();
    for (const Rider& r : riders) {
        if (r.alight == k)
            leaving.push_back(r.trip), ++alighted;
        else
            riders[keep++] = r;
    }
    riders.resize(keep);
    // Board in arrival order while there is room; the rest are left behind.
    StopQueue& sq = waiting_[line_stop_base_[li] + k];
    std::uint32_t boarded = 0;
    while (sq.head < sq.trips.size() && riders.size() < line_cap_[li]) {
        const std::uint32_t trip = sq.trips[sq.head++];
        const std::uint32_t g = th_[trip].leg;
        TripHot& o = th_[trip];
        o.wait_s += static_cast<float>(ms_to_seconds(t - th_[trip].mark));
        if (o.boardings < 255) ++o.boardings;
        th_[trip].mark = t;
        riders.push_back(Rider{trip, plans_.leg_alight_index[g]});
        ++boarded;
    }
    const auto left = static_cast<std::uint32_t>(sq.trips.size() - sq.head);
    for (std::size_t i = sq.head; i < sq.trips.size(); ++i) {
        TripHot& o = th_[sq.trips[i]];
        if (o.left_behind < 255) ++o.left_behind;
    }
    if (sq.head == sq.trips.size()) sq.trips.clear(), sq.head = 0;
    p.left_behind += left;
    p.boardings += boarded;
    const bool rail = line.mode == Mode::Metro || line.mode == Mode::Tram;
    const TimeMs dwell = rail ? seconds_to_ms(cfg_.rail_dwell_s)
                              : seconds_to_ms(cfg_.bus_dwell_base_s +
                                              cfg_.bus_dwell_per_pax_s * (boarded + alighted));
    const bool last = k + 1 >= line.stops.size();
    const TimeMs dep = last ? t : t + dwell;
    p.stop_calls.push_back(
        StopCall{t, dep, veh_line_[v], VehicleId(v), line.stops[k], static_cast<std::uint16_t>(k),
                 static_cast<std::uint16_t>(boarded), static_cast<std::uint16_t>(alighted),
                 static_cast<std::uint16_t>(riders.size()),
                 static_cast<std::uint16_t>(std::min<std::uint32_t>(left, 65535)),
                 veh_dep_ms_[v] + line_sched_off_[li][k]});
    for (std::uint32_t trip : leaving) {
        TripHot& o = th_[trip];
        const std::uint32_t g = th_[trip].leg;
        o.in_vehicle_s += static_cast<float>(ms_to_seconds(dep - th_[trip].mark));
        const auto& cum = line_cum_len_[li];
        o.distance_m += static_cast<float>(cum[line.stop_link_pos[plans_.leg_alight_index[g]]] -
                                           cum[line.stop_link_pos[plans_.leg_board_index[g]]]);
        ++th_[trip].leg;
        continue_trip(p, trip, dep);
    }
    if (!last)
        schedule(p, dep, EvType::DwellEnd, v);
    else
        MS_ASSERT(riders.empty(), "riders left on board at the terminus");
}

void Run::on_dwell_end(Part& p, std::uint32_t v, TimeMs t) {
    const TransitLine& line = net_.line(veh_line_[v]);
    const std::uint32_t k = veh_stop_[v] + 1;
    if (line.stop_link_pos[k] == vh_[v].pos) {
        serve_stop(p, v, k, t);  // next stop at the same node
        return;
    }
    depart_vehicle(p, v, route_link(v, vh_[v].pos).value(), t);
}

}  // namespace modeshift::engine_detail
