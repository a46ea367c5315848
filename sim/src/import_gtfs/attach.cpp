// Stop patterns -> transit lines on a network: stops snap to the given road network's bus nodes
// (or get nodes of their own), bus hops follow the shortest road path, other hops get direct links.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "internal.hpp"
#include "modeshift/core/geo.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift::gtfs {
namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Mean gap between departures in 7-9 h (peak) and outside it; a day's span if too few.
std::pair<double, double> headways(const std::vector<double>& deps) {
    double peak_sum = 0, off_sum = 0, all_sum = 0;
    int peak_n = 0, off_n = 0, all_n = 0;
    for (std::size_t k = 1; k < deps.size(); ++k) {
        const double gap = deps[k] - deps[k - 1];
        if (gap <= 0) continue;
        all_sum += gap;
        ++all_n;
        const double h = std::fmod(deps[k - 1], 86400.0);
        if (h >= 7 * 3600 && h < 9 * 3600) {
            peak_sum += gap;
            ++peak_n;
        } else {
            off_sum += gap;
            ++off_n;
        }
    }
    const double all = all_n ? all_sum / all_n : 86400.0;
    return {peak_n ? peak_sum / peak_n : all, off_n ? off_sum / off_n : all};
}

}  // namespace

void GtfsImporter::attach() {
    auto& d = builder_.data();
    std::optional<Network> net;
    if (opt_.network) {
        // Start from the given network: its nodes and links keep their ids, new ones append.
        const auto name = d.name;
        const auto source = d.source;
        auto notes = d.notes;
        d = *opt_.network;
        d.name = name;
        d.source = opt_.network->source + "; transit: " + source;
        d.notes.insert(d.notes.end(), notes.begin(), notes.end());
        net.emplace(*opt_.network, opt_.network_origin);
        spw_.emplace(*net);
        free_time_ = opt_.network->links.freeflow_time_s;
    }
    // Modes serving each stop on the chosen day.
    std::vector<ModeMask> served(stops_.size(), 0);
    for (const auto& p : patterns_)
        for (auto s : p.stops) served[s] |= mode_bit(routes_[p.route].mode);
    std::vector<NodeId> node_of(stops_.size());
    std::vector<std::uint8_t> on_network(stops_.size(), 0);
    for (std::size_t i = 0; i < stops_.size(); ++i) {
        auto& s = stops_[i];
        if (s.location_type != 0) continue;
        const LatLon p{s.lat, s.lon};
        if (net && (served[i] & mode_bit(Mode::Bus))) {
            const auto n = net->nearest_node(p, Mode::Bus);
            if (n.valid() && haversine_m(p, net->node_latlon(n)) <= opt_.max_snap_m) {
                node_of[i] = n;
                on_network[i] = 1;
                ++rep_.stops_snapped;
            }
        }
        if (!node_of[i].valid()) {
            node_of[i] = builder_.add_node(p, "gtfs:" + s.id);
            if (net && served[i]) ++rep_.stops_own_node;
        }
        s.out = StopId::from_index(d.stops.size());
        d.stops.push_back(Stop{s.id, s.name, s.lat, s.lon, node_of[i], served[i]});
    }
    if (net && rep_.stops_own_node)
        rep_.warnings[fmt::format(
            "served stop farther than {} m from a bus node (or rail/tram): own node",
            opt_.max_snap_m)] += rep_.stops_own_node;
    for (const auto& p : patterns_) make_line(p, node_of, on_network);
}

void GtfsImporter::make_line(const Pattern& p, const std::vector<NodeId>& node_of,
                             const std::vector<std::uint8_t>& on_network) {
    auto& d = builder_.data();
    const auto& route = routes_[p.route];
    const auto& def = defaults_.at(route.mode);
    TransitLine ln;
    ln.code = fmt::format("{}:{}:{}", route.id, p.direction.empty() ? "-" : p.direction,
                          trips_[p.first_trip].id);
    ln.name = !route.short_name.empty() ? route.short_name : route.long_name;
    ln.mode = route.mode;
    for (std::size_t k = 0; k < p.stops.size(); ++k) {
        ln.stops.push_back(stops_[p.stops[k]].out);
        ln.stop_link_pos.push_back(static_cast<std::uint32_t>(ln.links.size()));
        if (k + 1 == p.stops.size()) break;
        const auto a = node_of[p.stops[k]], b = node_of[p.stops[k + 1]];
        if (a == b) continue;
        const double hop_s = median(p.hop_times_s[k]);
        if (route.mode == Mode::Bus && spw_ && on_network[p.stops[k]] &&
            on_network[p.stops[k + 1]]) {
            if (spw_->source() != a || !spw_ran_) {
                spw_->run(a, free_time_, Mode::Bus);
                spw_ran_ = true;
            }
            auto path = spw_->path_to(b);
            if (!path.empty()) {
                ln.links.insert(ln.links.end(), path.begin(), path.end());
                ++rep_.hops_routed;
                continue;
            }
            ++rep_.warnings
                  ["bus hop with no road path between its stops: direct bus-only link added"];
        }
        ln.links.push_back(direct_link(a, b, route.mode, hop_s, def));
        ++rep_.hops_direct;
    }
    if (ln.links.empty()) {
        ++rep_.warnings["pattern whose stops all share one node skipped"];
        return;
    }
    ln.departures_s = p.departures_s;
    ln.service_start_s = p.departures_s.front();
    ln.service_end_s = p.departures_s.back();
    const auto [peak, offpeak] = headways(p.departures_s);
    ln.headway_peak_s = peak;
    ln.headway_offpeak_s = offpeak;
    ln.vehicle_capacity = def.vehicle_capacity;
    ln.vehicle_pce = route.mode == Mode::Bus ? def.vehicle_pce : 0;
    ln.source = fmt::format("{} route {} on {}; departures from the feed; vehicles: {}", d.source,
                            route.id, rep_.service_date, def.source);
    d.lines.push_back(std::move(ln));
    ++rep_.lines;
}

LinkId GtfsImporter::direct_link(NodeId a, NodeId b, Mode mode, double hop_s,
                                 const GtfsModeDefaults& def) {
    const auto key = std::tuple{a.value(), b.value(), static_cast<int>(mode)};
    if (auto it = direct_.find(key); it != direct_.end()) return it->second;
    auto& d = builder_.data();
    LinkSpec s;
    s.from = a;
    s.to = b;
    const LatLon pa{d.nodes.lat[a.index()], d.nodes.lon[a.index()]},
        pb{d.nodes.lat[b.index()], d.nodes.lon[b.index()]};
    s.length_m = haversine_m(pa, pb);
    // Scheduled time between the stops (dwell included); a zero-minute hop (times rounded
    // to the minute) gets 30 s so that vehicles still take time to move.
    const double t = hop_s > 0 ? hop_s : 30.0;
    s.freeflow_time_s = t;
    s.speed_mps = s.length_m / t;
    s.lanes = 1;
    s.capacity_vph = def.link_capacity_vph;
    s.modes = mode_bit(mode);
    s.road_class = mode == Mode::Metro  ? RoadClass::Rail
                   : mode == Mode::Tram ? RoadClass::Tram
                                        : RoadClass::Other;
    s.external_id =
        fmt::format("gtfs:{}>{}", d.nodes.external_id[a.index()], d.nodes.external_id[b.index()]);
    s.bus_lane = mode == Mode::Bus;
    const auto id = builder_.add_link(s);
    direct_.emplace(key, id);
    ++rep_.links_added;
    return id;
}

}  // namespace modeshift::gtfs
