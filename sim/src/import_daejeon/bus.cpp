// Bus lines from the BIS link sequences (busroute.txt) and stop sequences (busno.txt): one
// TransitLine per route direction, gaps repaired by a counted shortest-path rule, stops aligned
// to positions along the route by a monotone least-distance alignment.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>

#include "internal.hpp"
#include "modeshift/core/error.hpp"

namespace modeshift::daejeon::detail {
namespace {

/// Shortest road path (by length) from `a` to `b` over the BIS road links; empty if none.
std::vector<LinkId> road_path(Build& b, const std::vector<std::vector<std::uint32_t>>& out,
                              NodeId a, NodeId t, double& length_m) {
    const auto& L = b.builder.data().links;
    const std::size_t n = b.builder.data().nodes.size();
    std::vector<double> dist(n, INFINITY);
    std::vector<std::int64_t> pred(n, -1);
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
    dist[a.index()] = 0;
    pq.push({0.0, a.value()});
    while (!pq.empty()) {
        const auto [du, u] = pq.top();
        pq.pop();
        if (du > dist[u]) continue;
        if (u == t.value()) break;
        for (auto li : out[u]) {
            const auto v = L.to[li].index();
            const double nd = du + L.length_m[li];
            if (nd < dist[v]) {
                dist[v] = nd;
                pred[v] = li;
                pq.push({nd, static_cast<std::uint32_t>(v)});
            }
        }
    }
    length_m = dist[t.index()];
    std::vector<LinkId> path;
    if (!std::isfinite(length_m)) return path;
    for (auto v = t.index(); v != a.index();) {
        const auto li = static_cast<std::size_t>(pred[v]);
        path.push_back(LinkId::from_index(li));
        v = L.from[li].index();
    }
    std::reverse(path.begin(), path.end());
    return path;
}

struct LineDraft {
    std::vector<LinkId> links;
    std::string drop_reason;
    int gaps_filled = 0;
    int bridges = 0;
    int links_trimmed = 0;
    double filled_m = 0;
};

/// A road link from `a` to `t` that a bus route proves exists but the BIS geometry lacks; it
/// copies the attributes of the route's previous link `like`.
LinkId add_bridge(Build& b, std::vector<std::vector<std::uint32_t>>& out, NodeId a, NodeId t,
                  LinkId like, const std::string& next_code) {
    auto& d = b.builder.data();
    const auto i = like.index();
    LinkSpec s;
    s.from = a;
    s.to = t;
    s.length_m = std::max(1.0, haversine_m({d.nodes.lat[a.index()], d.nodes.lon[a.index()]},
                                           {d.nodes.lat[t.index()], d.nodes.lon[t.index()]}));
    s.speed_mps = d.links.freeflow_speed_mps[i];
    s.lanes = d.links.lanes[i];
    s.capacity_vph = d.links.capacity_vph[i];
    s.lanes_source = d.links.lanes_source[i];
    s.modes = d.links.modes[i];
    s.road_class = d.links.road_class[i];
    s.external_id = fmt::format("bridge:{}>{}", d.links.external_id[i], next_code);
    const LinkId id = b.builder.add_link(s);
    out.resize(d.nodes.size());
    out[a.index()].push_back(id.value());
    return id;
}

/// Maps a BIS link sequence onto network links. A gap is filled by the shortest road path if
/// that path is plausible (gap <= gap_fill_max_straight_m, path <= detour x gap + 500 m), else
/// bridged by a new link if gap <= gap_bridge_max_m, else the direction is dropped.
LineDraft map_route(Build& b, std::vector<std::vector<std::uint32_t>>& out, const BisRoute& r) {
    LineDraft ld;
    std::vector<LinkId> seq;
    for (int bl : r.links) {
        const int li = b.bis_link[static_cast<std::size_t>(bl)];
        if (li < 0) continue;
        if (!seq.empty() && seq.back().index() == static_cast<std::size_t>(li)) continue;
        seq.push_back(LinkId::from_index(li));
    }
    ld.links_trimmed = static_cast<int>(r.links.size() - seq.size());
    if (seq.empty() || ld.links_trimmed * 4 > static_cast<int>(r.links.size())) {
        ld.drop_reason =
            "more than a quarter of its links are placeholders or outside the kept network";
        return ld;
    }
    const double max_straight = b.p("gap_fill_max_straight_m"), detour = b.p("gap_fill_max_detour");
    const double bridge_max = b.p("gap_bridge_max_m");
    ld.links.push_back(seq[0]);
    for (std::size_t k = 1; k < seq.size(); ++k) {
        const auto& d = b.builder.data();
        const NodeId end = d.links.to[ld.links.back().index()],
                     start = d.links.from[seq[k].index()];
        if (end != start) {
            const double gap =
                haversine_m({d.nodes.lat[end.index()], d.nodes.lon[end.index()]},
                            {d.nodes.lat[start.index()], d.nodes.lon[start.index()]});
            double len = 0;
            const auto fill = road_path(b, out, end, start, len);
            if (gap <= max_straight && !fill.empty() && len <= detour * gap + 500.0) {
                ld.links.insert(ld.links.end(), fill.begin(), fill.end());
                ++ld.gaps_filled;
                ld.filled_m += len;
                if (gap > 1000.0)
                    b.notes.push_back(fmt::format(
                        "bus {} {} ({}): {:.0f} m gap before {} filled by a {:.0f} m road path",
                        r.route_no, r.direction, r.route_id, gap,
                        d.links.external_id[seq[k].index()], len));
            } else if (gap <= bridge_max) {
                const std::string next = d.links.external_id[seq[k].index()];
                ld.links.push_back(add_bridge(b, out, end, start, ld.links.back(), next));
                ++ld.bridges;
            } else {
                ld.drop_reason =
                    fmt::format("gap of {:.0f} m before link {} cannot be filled (path {:.0f} m)",
                                gap, d.links.external_id[seq[k].index()], len);
                return ld;
            }
        }
        ld.links.push_back(seq[k]);
    }
    double total = 0;
    for (auto l : ld.links) total += b.builder.data().links.length_m[l.index()];
    if (ld.filled_m > b.p("gap_fill_max_share") * total)
        ld.drop_reason =
            fmt::format("fill-in paths make up {:.0f} % of its {:.1f} km (link order unreliable)",
                        100.0 * ld.filled_m / total, total / 1000.0);
    return ld;
}

/// Monotone alignment of stops to route positions (node of position p = from(links[p]), or the
/// last link's end for p = links.size()) minimising the summed stop-to-node distance.
std::vector<std::uint32_t> align_stops(const NetworkData& d, const std::vector<LinkId>& links,
                                       const std::vector<LatLon>& stops,
                                       std::vector<double>& dist_out) {
    const std::size_t P = links.size() + 1, S = stops.size();
    auto node_at = [&](std::size_t p) {
        const NodeId n =
            p < links.size() ? d.links.from[links[p].index()] : d.links.to[links.back().index()];
        return LatLon{d.nodes.lat[n.index()], d.nodes.lon[n.index()]};
    };
    std::vector<LatLon> pos(P);
    for (std::size_t p = 0; p < P; ++p) pos[p] = node_at(p);
    std::vector<double> cost(S * P), prefix(P);
    std::vector<std::uint32_t> arg(S * P);
    for (std::size_t s = 0; s < S; ++s) {
        double best = INFINITY;
        std::uint32_t best_p = 0;
        for (std::size_t p = 0; p < P; ++p) {
            const double prev = s == 0 ? 0.0 : cost[(s - 1) * P + p];
            if (prev < best) {
                best = prev;
                best_p = static_cast<std::uint32_t>(p);
            }
            prefix[p] = best;
            arg[s * P + p] = best_p;  // best position of stop s-1 at or before p
        }
        for (std::size_t p = 0; p < P; ++p)
            cost[s * P + p] = prefix[p] + haversine_m(stops[s], pos[p]);
    }
    std::vector<std::uint32_t> out(S);
    std::size_t p = static_cast<std::size_t>(
        std::min_element(cost.begin() + static_cast<long>((S - 1) * P), cost.end()) -
        (cost.begin() + static_cast<long>((S - 1) * P)));
    for (std::size_t s = S; s-- > 0;) {
        out[s] = static_cast<std::uint32_t>(p);
        if (s > 0) p = arg[s * P + p];
    }
    dist_out.resize(S);
    for (std::size_t s = 0; s < S; ++s) dist_out[s] = haversine_m(stops[s], pos[out[s]]);
    return out;
}

/// The polyline a line drives (end nodes and link geometry).
std::vector<LatLon> line_shape(const NetworkData& d, const std::vector<LinkId>& links) {
    std::vector<LatLon> pts;
    for (auto l : links) {
        const auto i = l.index();
        pts.push_back({d.nodes.lat[d.links.from[i].index()], d.nodes.lon[d.links.from[i].index()]});
        for (auto k = d.links.geom_first[i]; k < d.links.geom_first[i + 1]; ++k)
            pts.push_back({d.links.geom_lat[k], d.links.geom_lon[k]});
        pts.push_back({d.nodes.lat[d.links.to[i].index()], d.nodes.lon[d.links.to[i].index()]});
    }
    return pts;
}

const char* headway_class(int route_type) {
    switch (route_type) {
        case 1:
            return "express";
        case 2:
        case 3:
            return "city";
        default:
            return "feeder";
    }
}

}  // namespace

void map_bus_routes(Build& b) {
    auto& d = b.builder.data();
    std::vector<std::vector<std::uint32_t>> out(d.nodes.size());
    for (std::size_t i = 0; i < b.road_link_end; ++i)
        out[d.links.from[i].index()].push_back(static_cast<std::uint32_t>(i));
    const std::size_t before = d.links.size();
    for (const auto& r : b.bis.routes) {
        LineDraft ld = map_route(b, out, r);
        if (!ld.drop_reason.empty()) {
            b.notes.push_back(fmt::format("bus {} {} ({}): dropped, {}", r.route_no, r.direction,
                                          r.route_id, ld.drop_reason));
            b.count(r.route_id.starts_with("3030") ? "bus_directions_dropped_daejeon"
                                                   : "bus_directions_dropped_outside",
                    1);
            ld.links.clear();
        } else {
            b.count("bus_gaps_filled_by_path", ld.gaps_filled);
            b.count("bus_gaps_filled_by_path_km", ld.filled_m / 1000.0);
            b.count("bus_gaps_bridged", ld.bridges);
            b.count("bus_links_trimmed", ld.links_trimmed);
        }
        b.route_links.push_back(std::move(ld.links));
    }
    b.road_link_end = b.builder.data().links.size();
    b.count("road_links_bridges", static_cast<double>(b.road_link_end - before));
}

void add_bus(Build& b) {
    auto& d = b.builder.data();
    std::map<std::string, const BisStop*> stop_by_ref;
    for (const auto& s : b.bis.stops) stop_by_ref.emplace(s.ref, &s);
    // Distinct stops in order of first use by a kept line; node votes decide each stop's node.
    std::map<std::string, std::uint32_t> stop_id;
    std::vector<std::map<std::uint32_t, int>> node_votes;
    const auto bisfile = (b.opt.data_dir / "bis" / "busno.txt").string();
    int far_stops = 0;
    const LocalProjection proj(LatLon{36.35, 127.38});
    const double max_offset = b.p("stop_max_offset_m");
    for (std::size_t ri = 0; ri < b.bis.routes.size(); ++ri) {
        const auto& r = b.bis.routes[ri];
        if (b.route_links[ri].empty()) continue;
        LineDraft ld;
        ld.links = b.route_links[ri];
        std::vector<LatLon> sp;
        std::vector<const BisStop*> sv;
        for (std::size_t k = 0; k < r.stop_refs.size(); ++k) {
            auto it = stop_by_ref.find(r.stop_refs[k]);
            if (it == stop_by_ref.end())
                throw InputError(bisfile, r.line, fmt::format("stopRef {}", k + 1),
                                 fmt::format("stop '{}' is not in busstop.txt", r.stop_refs[k]));
            sp.push_back(it->second->p);
            sv.push_back(it->second);
        }
        if (sp.size() < 2) {
            b.count("bus_directions_dropped_few_stops", 1);
            continue;
        }
        std::vector<double> dist;
        const auto pos = align_stops(d, ld.links, sp, dist);
        const auto shape = line_shape(d, ld.links);
        TransitLine ln;
        for (std::size_t k = 0; k < sv.size(); ++k) {
            if (distance_to_polyline_m(proj, sp[k], shape) >
                max_offset) {  // stop off its own route
                ++far_stops;
                continue;
            }
            auto [it, fresh] =
                stop_id.emplace(sv[k]->ref, static_cast<std::uint32_t>(stop_id.size()));
            if (fresh) {
                Stop st;
                st.code = sv[k]->ref;
                st.name = sv[k]->name;
                st.lat = sv[k]->p.lat;
                st.lon = sv[k]->p.lon;
                st.modes = mode_bit(Mode::Bus);
                d.stops.push_back(st);
                node_votes.emplace_back();
            }
            const auto p = pos[k];
            const NodeId n = p < ld.links.size() ? d.links.from[ld.links[p].index()]
                                                 : d.links.to[ld.links.back().index()];
            ++node_votes[it->second][n.value()];
            ln.stops.push_back(StopId(it->second));
            ln.stop_link_pos.push_back(p);
        }
        if (ln.stops.size() < 2) {
            b.count("bus_directions_dropped_few_stops", 1);
            continue;
        }
        const std::string hc = headway_class(r.route_type);
        ln.code = fmt::format("bus:{}:{}", r.route_id, r.direction);
        ln.name = fmt::format("{} ({} 방면)", r.route_no, r.terminus);
        ln.mode = Mode::Bus;
        ln.links = std::move(ld.links);
        ln.headway_peak_s = b.p(fmt::format("bus_headway_{}_peak_s", hc));
        ln.headway_offpeak_s = b.p(fmt::format("bus_headway_{}_offpeak_s", hc));
        ln.service_start_s = b.p("bus_service_start_s");
        ln.service_end_s = b.p("bus_service_end_s");
        ln.vehicle_capacity = b.p("bus_capacity");
        ln.vehicle_pce = b.p("bus_pce");
        ln.fare_krw = b.p("bus_fare_krw");
        ln.source = fmt::format(
            "Daejeon BIS via github spspwl12/DaejeonBus@3ce9d36 (busroute.txt/busno.txt line {}; "
            "route type {}); headway class '{}' and vehicle data: networks/daejeon/parameters.csv",
            r.line, r.route_type, hc);
        b.count(fmt::format("bus_directions_{}", hc), 1);
        d.lines.push_back(std::move(ln));
    }
    for (std::size_t s = 0; s < d.stops.size(); ++s) {
        // The node most lines serve the stop at (ties: lower node index, as std::map orders).
        int best = -1;
        for (const auto& [node, votes] : node_votes[s])
            if (votes > best) {
                best = votes;
                d.stops[s].node = NodeId(node);
            }
    }
    b.count("bus_stops", static_cast<double>(d.stops.size()));
    b.count("bus_stop_calls_dropped_far_from_route", far_stops);
    b.count("bus_directions", static_cast<double>(d.lines.size()));
}

}  // namespace modeshift::daejeon::detail
