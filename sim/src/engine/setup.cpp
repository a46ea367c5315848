// Setting up a run: plan validation, the partitioning, the link state, the transit timetables
// and vehicles, and the trips with their private vehicles and departures.
#include <algorithm>
#include <cmath>
#include <string>

#include "modeshift/core/error.hpp"
#include "run.hpp"

namespace modeshift::engine_detail {

namespace {

bool is_peak(TimeMs t) {
    const int h = hour_of(t);
    return (h >= 7 && h < 9) || (h >= 17 && h < 19);
}

std::uint16_t to_centi_pce(double pce) {
    const double c = std::round(pce * 100.0);
    return static_cast<std::uint16_t>(std::clamp(c, 1.0, 65535.0));
}

}  // namespace

Run::Run(const Network& net, const std::vector<VehicleType>& types, const EngineConfig& cfg,
         const PlanSet& plans, std::span<Observer* const> observers)
    : net_(net), types_(types), cfg_(cfg), plans_(plans), observers_(observers) {
    validate_plans();
    const std::uint32_t np =
        cfg.partitions ? cfg.partitions : engine_detail::default_partitions(net);
    parts_ = engine_detail::partition_network(net, np, cfg.backward_wave_speed_mps,
                                              cfg.max_window_ms, node_load());
    window_ms_ = parts_.window_ms;
    part_.resize(parts_.parts);
    for (std::uint32_t i = 0; i < parts_.parts; ++i) {
        part_[i].index = i;
        for (auto& boxes : part_[i].outbox) boxes.resize(parts_.parts);
        part_[i].hash = StreamHash(cfg.seed ^ (0x9e37ULL * (i + 1)));
    }
    setup_links();
    setup_transit();
    setup_trips();
}

std::vector<double> Run::node_load() const {
    // Expected work per node: planned link exits into it (private routes, and transit lines
    // times their vehicles). Traffic concentrates in a district's centre; balancing partitions
    // by it, rather than by node count, is what lets two threads share a day evenly.
    std::vector<double> load(net_.node_count(), 0.0);
    for (LinkId l : plans_.route_links) load[net_.to(l).index()] += 1.0;
    for (const TransitLine& line : net_.data().lines) {
        if (!line.active || line.links.empty()) continue;
        double vehicles = static_cast<double>(line.departures_s.size());
        if (vehicles == 0 && line.headway_peak_s > 0 && line.service_end_s > line.service_start_s)
            vehicles = (line.service_end_s - line.service_start_s) / line.headway_peak_s;
        for (LinkId l : line.links) load[net_.to(l).index()] += vehicles;
    }
    return load;
}

void Run::validate_plans() const {
    const auto fail = [](std::size_t rec, const std::string& field, const std::string& msg) {
        throw InputError("plans", rec + 1, field, msg);
    };
    const std::size_t nt = plans_.trip_count(), ng = plans_.leg_count();
    if (plans_.trip_first_leg.size() != nt + 1 || plans_.trip_depart_ms.size() != nt ||
        plans_.trip_mode.size() != nt)
        fail(0, "trip_first_leg", "trip arrays are inconsistent (unfinished trip?)");
    if (plans_.leg_first_link.size() != ng + 1 || plans_.leg_distance_m.size() != ng ||
        plans_.leg_speed_mps.size() != ng || plans_.leg_vehicle_type.size() != ng ||
        plans_.leg_line.size() != ng || plans_.leg_board_index.size() != ng ||
        plans_.leg_alight_index.size() != ng)
        fail(0, "leg_kind", "leg arrays are inconsistent");
    if (plans_.leg_first_link.back() != plans_.route_links.size())
        fail(0, "route_links", "route pool size does not match leg_first_link");
    for (std::size_t t = 0; t < nt; ++t) {
        if (plans_.trip_first_leg[t] > plans_.trip_first_leg[t + 1] ||
            plans_.trip_first_leg[t + 1] > ng)
            fail(t, "trip_first_leg", "bad leg range");
        if (plans_.trip_first_leg[t] == plans_.trip_first_leg[t + 1])
            fail(t, "legs", "trip has no legs");
        if (plans_.trip_first_leg[t + 1] - plans_.trip_first_leg[t] > 255)
            fail(t, "legs", "more than 255 legs");
    }
    for (std::size_t g = 0; g < ng; ++g) {
        const auto route = plans_.leg_route(g);
        for (std::size_t i = 0; i < route.size(); ++i) {
            if (!route[i].valid() || route[i].index() >= net_.link_count())
                fail(g, "route_links", "leg " + std::to_string(g) + " uses an unknown link");
            if (i > 0 && net_.to(route[i - 1]) != net_.from(route[i]))
                fail(g, "route_links",
                     "leg " + std::to_string(g) + " route is not contiguous at position " +
                         std::to_string(i));
        }
        const LegKind k = plans_.leg_kind[g];
        if ((k == LegKind::Drive || k == LegKind::Bike) &&
            plans_.leg_vehicle_type[g] >= types_.size())
            fail(g, "leg_vehicle_type",
                 "unknown vehicle type " + std::to_string(plans_.leg_vehicle_type[g]));
        if ((k == LegKind::Walk || k == LegKind::Bike) && route.empty() &&
            (!(plans_.leg_distance_m[g] >= 0) || !std::isfinite(plans_.leg_distance_m[g])))
            fail(g, "leg_distance_m", "teleported leg needs a finite distance >= 0");
        if (k == LegKind::Transit) {
            const LineId line = plans_.leg_line[g];
            if (!line.valid() || line.index() >= net_.data().lines.size())
                fail(g, "leg_line", "unknown transit line");
            const TransitLine& tl = net_.line(line);
            if (!tl.active) fail(g, "leg_line", "line " + tl.name + " is not active");
            if (tl.links.empty()) fail(g, "leg_line", "line " + tl.name + " has no route links");
            if (plans_.leg_alight_index[g] >= tl.stops.size() ||
                plans_.leg_board_index[g] >= plans_.leg_alight_index[g])
                fail(g, "leg_alight_index", "stop indices out of range for line " + tl.name);
        }
    }
}

void Run::setup_links() {
    nl_ = net_.link_count();
    const auto& L = net_.data().links;
    const double sf = cfg_.sample_fraction;
    lk_.assign(nl_, LinkHot{});
    bus_q_.assign(nl_, Queue{});
    bike_lane_.assign(nl_, 0);
    // The storage floor: the largest vehicle that will enter the link (any private vehicle
    // in the plans; transit vehicles on their lines' links), so no vehicle can never fit.
    std::vector<std::uint8_t> used_type(types_.size(), 0);
    for (std::size_t g = 0; g < plans_.leg_count(); ++g)
        if (plans_.leg_kind[g] == LegKind::Drive) used_type[plans_.leg_vehicle_type[g]] = 1;
    double private_pce = 0.01;
    for (std::size_t i = 0; i < types_.size(); ++i)
        if (used_type[i]) private_pce = std::max(private_pce, types_[i].pce);
    std::vector<std::int32_t> floor_c(nl_, to_centi_pce(private_pce));
    for (const auto& line : net_.data().lines) {
        if (!line.active) continue;
        const std::int32_t c = to_centi_pce(std::max(0.01, line.vehicle_pce * sf));
        for (LinkId l : line.links) floor_c[l.index()] = std::max(floor_c[l.index()], c);
    }
    for (std::size_t l = 0; l < nl_; ++l) {
        const LinkId id = LinkId::from_index(l);
        lk_[l].up_part = parts_.node_part[net_.from(id).index()];
        lk_[l].down_part = parts_.node_part[net_.to(id).index()];
        lk_[l].ff_ms =
            static_cast<std::int32_t>(seconds_to_ms(std::max(0.0, L.freeflow_time_s[l])));
        lk_[l].bw_ms =
            static_cast<std::int32_t>(seconds_to_ms(L.length_m[l] / cfg_.backward_wave_speed_mps));
        lk_[l].length_m = static_cast<float>(L.length_m[l]);
        lk_[l].bus_lane = l < L.bus_lane.size() ? L.bus_lane[l] : 0;
        bike_lane_[l] = l < L.bike_lane.size() ? L.bike_lane[l] : 0;
        lk_[l].signal =
            cfg_.signals.general.empty() || cfg_.signals.general[l].cycle_ms == 0 ? 0 : 1;
        const double cap = L.capacity_vph[l] * sf;
        // Non-positive capacity means "no flow limit" (e.g. rail track given without one).
        lk_[l].headway_fp =
            L.capacity_vph[l] > 0
                ? std::llround(3.6e6 / std::max(cap, 1.0) * static_cast<double>(1 << kFlowFracBits))
                : 0;
        if (L.storage_pce[l] > 0) {
            const double s = std::round(L.storage_pce[l] * sf * 100.0);
            lk_[l].storage_c = std::max(
                floor_c[l], static_cast<std::int32_t>(std::min(s, double(kUnlimitedStorage))));
        } else {
            lk_[l].storage_c = kUnlimitedStorage;
        }
    }
    for (LinkHot& lh : lk_) lh.space_c = lh.storage_c;
    dep_head_.assign(nl_, kNone);
    dep_tail_.assign(nl_, kNone);
    dep_block_start_.assign(nl_, 0);
    block_start_.assign(2 * nl_, 0);
    pocket_.assign(nl_, Pocket{});
    if (cfg_.turn_pockets)
        for (std::size_t l = 0; l < nl_; ++l) {
            const auto lanes = static_cast<std::int32_t>(std::floor(L.lanes[l]));
            if (lanes >= 2) pocket_[l].capacity_c = std::max(1, lk_[l].storage_c / lanes);
        }
    frees_.resize(nl_);
    node_draws_.assign(net_.node_count(), 0);
}

void Run::setup_transit() {
    const auto& lines = net_.data().lines;
    const double sf = cfg_.sample_fraction;
    veh_first_.assign(lines.size() + 1, 0);
    line_stop_base_.assign(lines.size() + 1, 0);
    line_sched_off_.resize(lines.size());
    line_cum_len_.resize(lines.size());
    line_cap_.assign(lines.size(), 1);
    line_type_.assign(lines.size(), 0);
    std::vector<std::vector<TimeMs>> deps(lines.size());
    for (std::size_t li = 0; li < lines.size(); ++li)
        line_stop_base_[li + 1] =
            line_stop_base_[li] + static_cast<std::uint32_t>(lines[li].stops.size());
    line_stop_node_.assign(line_stop_base_.back(), 0);
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const TransitLine& line = lines[li];
        if (li < cfg_.line_vehicle_type.size() && cfg_.line_vehicle_type[li] < types_.size()) {
            line_type_[li] = cfg_.line_vehicle_type[li];
        } else {
            auto it = std::find_if(types_.begin(), types_.end(),
                                   [&](const VehicleType& t) { return t.mode == line.mode; });
            MS_ASSERT(it != types_.end(),
                      "no vehicle type for a transit mode (Simulation adds defaults)");
            line_type_[li] = static_cast<VehicleTypeId>(it - types_.begin());
        }
        if (!line.active || line.stops.size() < 2) continue;
        if (line.stop_link_pos.size() != line.stops.size() || line.links.empty() ||
            !std::is_sorted(line.stop_link_pos.begin(), line.stop_link_pos.end()) ||
            line.stop_link_pos.back() > line.links.size() ||
            line.stop_link_pos.front() == line.stop_link_pos.back())
            throw InputError("network", li + 1, "lines.stop_link_pos",
                             "line " + line.name + ": stop positions do not match its links");
        line_cap_[li] = static_cast<std::uint16_t>(
            std::clamp(std::llround(line.vehicle_capacity * sf), 1LL, 65535LL));
        // Nominal timetable: free-flow running times plus the nominal dwell at each stop.
        const bool rail = line.mode == Mode::Metro || line.mode == Mode::Tram;
        const TimeMs dwell = seconds_to_ms(rail ? cfg_.rail_dwell_s : cfg_.bus_dwell_base_s);
        auto& off = line_sched_off_[li];
        // Vehicles serve a stop at the route node at its position (robust to a stop record
        // whose node differs from the route's: the route is what vehicles drive).
        for (std::size_t k = 0; k < line.stops.size(); ++k) {
            const std::uint32_t pos = line.stop_link_pos[k];
            line_stop_node_[line_stop_base_[li] + k] = pos < line.links.size()
                                                           ? net_.from(line.links[pos]).value()
                                                           : net_.to(line.links[pos - 1]).value();
        }
        auto& cum = line_cum_len_[li];
        cum.assign(line.links.size() + 1, 0.0);
        for (std::size_t i = 0; i < line.links.size(); ++i)
            cum[i + 1] = cum[i] + net_.length_m(line.links[i]);
        off.assign(line.stops.size(), 0);
        TimeMs t = 0;
        std::size_t pos = line.stop_link_pos[0];
        for (std::size_t k = 0; k < line.stops.size(); ++k) {
            for (; pos < line.stop_link_pos[k]; ++pos)
                t += link_time_ms(line.links[pos], line_type_[li]);
            off[k] = t;
            t += dwell;
        }
        std::vector<TimeMs>& d = deps[li];
        if (!line.departures_s.empty()) {
            for (double s : line.departures_s) d.push_back(seconds_to_ms(s));
            std::sort(d.begin(), d.end());
        } else {
            if (!(line.headway_peak_s > 0) || !(line.headway_offpeak_s > 0))
                throw InputError("network", li + 1, "lines.headway",
                                 "line " + line.name + ": headways must be > 0");
            const TimeMs end = seconds_to_ms(line.service_end_s);
            for (TimeMs td = seconds_to_ms(line.service_start_s); td < end;)
                d.push_back(td),
                    td += seconds_to_ms(is_peak(td) ? line.headway_peak_s : line.headway_offpeak_s);
        }
        std::erase_if(d, [&](TimeMs x) { return x < 0 || x >= cfg_.end_ms; });
    }
    for (std::size_t li = 0; li < lines.size(); ++li)
        veh_first_[li + 1] = veh_first_[li] + static_cast<std::uint32_t>(deps[li].size());
    n_transit_ = veh_first_.back();
    // One allocation for all vehicles (transit now, at most one private vehicle per trip later):
    // growing a huge-page array by doubling would leave its discarded copies in the heap.
    vh_.reserve(n_transit_ + plans_.trip_count());
    waiting_.resize(line_stop_base_.back());
    riders_.resize(n_transit_);
    veh_stop_.assign(n_transit_, 0);
    veh_dep_ms_.resize(n_transit_);
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const TransitLine& line = lines[li];
        const std::uint16_t pce = to_centi_pce(std::max(0.01, line.vehicle_pce * sf));
        for (std::size_t k = 0; k < deps[li].size(); ++k) {
            const std::uint32_t v = veh_first_[li] + static_cast<std::uint32_t>(k);
            MS_ASSERT(v == veh_type_.size(), "transit vehicle ids out of order");
            veh_type_.push_back(line_type_[li]);
            veh_line_.push_back(LineId::from_index(li));
            veh_trip_.push_back(TripId{});
            VehHot h;
            h.route = line.links.data();
            h.pos = line.stop_link_pos.front();
            h.end = line.stop_link_pos.back();
            h.pce_c = pce;
            h.type = line_type_[li];
            h.is_bus = line.mode == Mode::Bus ? 1 : 0;
            vh_.push_back(h);
            veh_dep_ms_[v] = deps[li][k];
            const std::uint32_t part = parts_.node_part[line_stop_node_[line_stop_base_[li]]];
            schedule(part_[part], deps[li][k], EvType::TransitStart, v);
        }
    }
}

std::uint32_t Run::trip_start_part(std::uint32_t trip) const {
    for (std::uint32_t g = plans_.trip_first_leg[trip]; g < plans_.trip_first_leg[trip + 1]; ++g) {
        const LegKind k = plans_.leg_kind[g];
        if (k == LegKind::Transit || (k == LegKind::Drive && !plans_.leg_route(g).empty()))
            return leg_part(trip, g, 0);
    }
    return trip % parts_.parts;
}

void Run::setup_trips() {
    // Drive-leg lengths once, in route order, rather than walking the route at every arrival.
    drive_leg_m_.assign(plans_.leg_count(), 0.0f);
    for (std::size_t g = 0; g < plans_.leg_count(); ++g) {
        if (plans_.leg_kind[g] != LegKind::Drive) continue;
        float m = 0;
        for (LinkId l : plans_.leg_route(g)) m += static_cast<float>(net_.length_m(l));
        drive_leg_m_[g] = m;
    }
    const std::size_t nt = plans_.trip_count();
    th_.assign(nt, TripHot{});
    for (std::uint32_t t = 0; t < nt; ++t) {
        th_[t].leg = plans_.trip_first_leg[t];
        // One private vehicle per trip with a drive or routed bike leg.
        for (std::uint32_t g = plans_.trip_first_leg[t]; g < plans_.trip_first_leg[t + 1]; ++g) {
            const LegKind k = plans_.leg_kind[g];
            if (k == LegKind::Drive || (k == LegKind::Bike && !plans_.leg_route(g).empty())) {
                th_[t].vehicle = static_cast<std::uint32_t>(veh_type_.size());
                veh_type_.push_back(plans_.leg_vehicle_type[g]);
                veh_line_.push_back(LineId{});
                veh_trip_.push_back(TripId(t));
                VehHot h;
                h.pce_c = to_centi_pce(types_[plans_.leg_vehicle_type[g]].pce);
                h.type = plans_.leg_vehicle_type[g];
                h.is_bus = types_[plans_.leg_vehicle_type[g]].mode == Mode::Bus ? 1 : 0;
                vh_.push_back(h);
                break;
            }
        }
        const TimeMs dep = plans_.trip_depart_ms[t];
        const std::uint32_t part = trip_start_part(t);
        th_[t].part = static_cast<std::uint16_t>(part);
        if (dep >= 0 && dep < cfg_.end_ms) part_[part].departures.emplace_back(dep, t);
    }
    for (Part& p : part_) std::sort(p.departures.begin(), p.departures.end());
}

}  // namespace modeshift::engine_detail
