// Road network from the BIS link geometry: snap link ends into junction nodes, classify links by
// documented rules (road_rules.csv), name them from the tram-segment road names, add walk-only
// reverse links, find the largest strongly connected car component and connect the zones.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/network/components.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift::daejeon::detail {
namespace {

constexpr double kKmhToMps = 1000.0 / 3600.0;

int find_root(std::vector<int>& parent, int i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/// Clusters end coordinates within `tol_m`; returns the cluster id per input point and the
/// cluster representatives (lexicographically smallest coordinate), in sorted order.
std::vector<int> snap_points(const std::vector<LatLon>& pts, double tol_m,
                             const std::vector<std::pair<std::size_t, std::size_t>>& joins,
                             std::vector<LatLon>& reps) {
    std::vector<std::pair<double, double>> uniq;
    for (const auto& p : pts) uniq.emplace_back(p.lat, p.lon);
    std::sort(uniq.begin(), uniq.end());
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    std::vector<int> parent(uniq.size());
    std::iota(parent.begin(), parent.end(), 0);
    const double cell_lat = tol_m / 111'000.0, cell_lon = tol_m / 89'000.0;  // ~36.3 N
    std::map<std::pair<long, long>, std::vector<int>> grid;
    auto cell = [&](double la, double lo) {
        return std::pair<long, long>{static_cast<long>(std::floor(la / cell_lat)),
                                     static_cast<long>(std::floor(lo / cell_lon))};
    };
    for (std::size_t i = 0; i < uniq.size(); ++i)
        grid[cell(uniq[i].first, uniq[i].second)].push_back(static_cast<int>(i));
    for (std::size_t i = 0; i < uniq.size(); ++i) {
        const auto c = cell(uniq[i].first, uniq[i].second);
        for (long dy = -1; dy <= 1; ++dy)
            for (long dx = -1; dx <= 1; ++dx) {
                auto it = grid.find({c.first + dy, c.second + dx});
                if (it == grid.end()) continue;
                for (int j : it->second) {
                    if (j <= static_cast<int>(i)) continue;
                    if (haversine_m({uniq[i].first, uniq[i].second},
                                    {uniq[j].first, uniq[j].second}) > tol_m)
                        continue;
                    const int a = find_root(parent, static_cast<int>(i)), bb = find_root(parent, j);
                    if (a != bb)
                        parent[std::max(a, bb)] = std::min(a, bb);  // root = smallest coordinate
                }
            }
    }
    auto uniq_index = [&](const LatLon& p) {
        return static_cast<int>(
            std::lower_bound(uniq.begin(), uniq.end(), std::pair<double, double>{p.lat, p.lon}) -
            uniq.begin());
    };
    for (const auto& [a, c] : joins) {  // ends a bus drives between: the same junction
        const int ra = find_root(parent, uniq_index(pts[a])),
                  rc = find_root(parent, uniq_index(pts[c]));
        if (ra != rc) parent[std::max(ra, rc)] = std::min(ra, rc);
    }
    std::vector<int> cluster_of_uniq(uniq.size(), -1);
    for (std::size_t i = 0; i < uniq.size(); ++i) {
        const int r = find_root(parent, static_cast<int>(i));
        if (cluster_of_uniq[r] < 0) {
            cluster_of_uniq[r] = static_cast<int>(reps.size());
            reps.push_back({uniq[r].first, uniq[r].second});
        }
        cluster_of_uniq[i] = cluster_of_uniq[r];
    }
    std::vector<int> out;
    for (const auto& p : pts)
        out.push_back(cluster_of_uniq[static_cast<std::size_t>(uniq_index(p))]);
    return out;
}

/// Number of distinct bus routes (route ids) using each route.txt link.
std::vector<int> bus_lines_per_link(const BisData& bis) {
    std::vector<std::set<std::string>> s(bis.links.size());
    for (const auto& r : bis.routes)
        for (int l : r.links) s[static_cast<std::size_t>(l)].insert(r.route_id);
    std::vector<int> out;
    for (const auto& x : s) out.push_back(static_cast<int>(x.size()));
    return out;
}

const RoadRule& rule_for(const RecipeParams& P, bool daejeon, int bus_lines) {
    for (const auto& r : P.road_rules)
        if (r.area == (daejeon ? "daejeon" : "outside") && bus_lines >= r.min_bus_lines &&
            bus_lines <= r.max_bus_lines)
            return r;
    MS_ASSERT(false, "road rules were checked to cover every bus-line count");
    return P.road_rules.front();
}

/// The tram segment whose road this link runs along (start, middle and end within 30 m, link
/// at least 50 m long), or nullptr. Gives the road name and the posted speed limit.
const TramSegment* tram_road_match(const Build& b, const LocalProjection& proj, const BisLink& l,
                                   double len) {
    if (len < 50) return nullptr;
    const LatLon probes[3] = {l.pts.front(), l.pts[l.pts.size() / 2], l.pts.back()};
    const TramSegment* best = nullptr;
    double best_d = 30.0 * 3;
    for (const auto& s : b.tram) {
        double sum = 0;
        bool ok = true;
        for (const auto& q : probes) {
            const double dd = distance_to_polyline_m(proj, q, s.pts);
            if (dd > 30.0) {
                ok = false;
                break;
            }
            sum += dd;
        }
        if (ok && sum < best_d) {
            best_d = sum;
            best = &s;
        }
    }
    return best;
}

void add_road_link(Build& b, const BisLink& l, NodeId from, NodeId to, int bus_lines,
                   const LocalProjection& proj) {
    const bool dj = is_daejeon_bis_code(l.code);
    const auto& rule = rule_for(b.params, dj, bus_lines);
    LinkSpec s;
    s.from = from;
    s.to = to;
    s.length_m = polyline_length_m(l.pts);
    s.speed_mps = rule.speed_kmh * kKmhToMps;
    s.lanes = rule.lanes;
    // Capacity = saturation flow of all lanes: the scenario's signal plans (road_traffic.json)
    // decide how much of each cycle a signalised approach may use.
    s.capacity_vph = rule.lanes * rule.sat_flow_pcphgpl;
    s.road_class = rule.road_class;
    s.modes = kRoadModes;
    s.lanes_source = LanesSource::Rule;  // set_road_lanes replaces it where a source has lanes
    s.external_id = l.code;
    if (l.pts.size() > 2) s.geometry = l.pts;
    const auto* t = tram_road_match(b, proj, l, s.length_m);
    const std::size_t index = b.builder.data().links.size();  // the link added below
    b.road_tram_segment.resize(index + 1);
    b.road_tram_segment[index] = t ? t->id : std::string();
    if (t) {
        s.name = t->road_name;
        s.speed_mps =
            t->max_speed_kmh * kKmhToMps;  // posted limit of the standard node-link network
        b.count("road_links_named_from_tram_segments", 1);
    }
    b.count(fmt::format("road_links_rule_{}", rule.rule_id), 1);
    b.bis_link[static_cast<std::size_t>(l.idx)] = static_cast<int>(b.builder.data().links.size());
    b.builder.add_link(s);
}

void add_walk_reverse_links(Build& b) {
    auto& L = b.builder.data().links;
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t i = 0; i < b.road_link_end; ++i)
        pairs.insert({L.from[i].value(), L.to[i].value()});
    int two_way = 0, added = 0;
    const std::size_t n = b.road_link_end;
    for (std::size_t i = 0; i < n; ++i) {
        if (pairs.contains({L.to[i].value(), L.from[i].value()})) {
            ++two_way;
            continue;
        }
        if (b.p("walk_reverse_links") == 0) continue;
        LinkSpec s;
        s.from = L.to[i];
        s.to = L.from[i];
        s.length_m = L.length_m[i];
        s.speed_mps = L.freeflow_speed_mps[i];
        s.lanes = 1;
        s.capacity_vph = 0;  // pedestrians only: no vehicle capacity
        s.modes = mode_bit(Mode::Walk);
        s.road_class = RoadClass::Path;
        s.name = b.builder.data().names[L.name[i]];
        s.external_id = L.external_id[i] + ":walk-reverse";
        for (auto k = L.geom_first[i + 1]; k > L.geom_first[i]; --k)
            s.geometry.push_back({L.geom_lat[k - 1], L.geom_lon[k - 1]});
        b.builder.add_link(s);
        ++added;
    }
    b.count("road_links_two_way_pairs", two_way / 2.0);
    b.count("road_links_one_way_or_single_digitised", n - static_cast<std::size_t>(two_way));
    b.count("walk_reverse_links", added);
}

}  // namespace

NodeId nearest_masked_node(const NetworkData& d, const std::vector<char>& mask, LatLon p) {
    double best = INFINITY;
    NodeId out;
    // The mask may predate nodes added later (stations): those are not candidates.
    for (std::size_t i = 0; i < std::min(d.nodes.size(), mask.size()); ++i) {
        if (!mask[i]) continue;
        const double dd = haversine_m(p, {d.nodes.lat[i], d.nodes.lon[i]});
        if (dd < best) {
            best = dd;
            out = NodeId::from_index(i);
        }
    }
    return out;
}

void add_roads(Build& b) {
    const auto lines = bus_lines_per_link(b.bis);
    std::vector<char> used_by_daejeon_route(b.bis.links.size(), 0);
    for (const auto& r : b.bis.routes)
        if (r.route_id.starts_with("3030"))
            for (int l : r.links) used_by_daejeon_route[static_cast<std::size_t>(l)] = 1;
    std::vector<const BisLink*> keep;
    int placeholders = 0, outside_unused = 0;
    for (const auto& l : b.bis.links) {
        if (is_placeholder(l)) {
            ++placeholders;
            continue;
        }
        if (!is_daejeon_bis_code(l.code) &&
            !used_by_daejeon_route[static_cast<std::size_t>(l.idx)]) {
            ++outside_unused;
            continue;
        }
        keep.push_back(&l);
    }
    b.count("bis_links_read", static_cast<double>(b.bis.links.size()));
    b.count("bis_links_dropped_placeholder_or_single_point", placeholders);
    b.count("bis_links_dropped_outside_daejeon_unused", outside_unused);

    std::vector<LatLon> ends;
    std::vector<int> keep_index(b.bis.links.size(), -1);
    for (const auto* l : keep) {
        keep_index[static_cast<std::size_t>(l->idx)] = static_cast<int>(ends.size() / 2);
        ends.push_back(l->pts.front());
        ends.push_back(l->pts.back());
    }
    const double snap = b.p("snap_tolerance_m"), join = b.p("route_join_tolerance_m");
    std::vector<std::pair<std::size_t, std::size_t>> joins;
    for (const auto& r : b.bis.routes)
        for (std::size_t k = 1; k < r.links.size(); ++k) {
            const int ka = keep_index[static_cast<std::size_t>(r.links[k - 1])];
            const int kb = keep_index[static_cast<std::size_t>(r.links[k])];
            if (ka < 0 || kb < 0 || ka == kb) continue;
            const auto ea = 2 * static_cast<std::size_t>(ka) + 1,
                       sb = 2 * static_cast<std::size_t>(kb);
            const double gap = haversine_m(ends[ea], ends[sb]);
            if (gap > snap && gap <= join) joins.emplace_back(ea, sb);
        }
    std::sort(joins.begin(), joins.end());
    joins.erase(std::unique(joins.begin(), joins.end()), joins.end());
    b.count("junction_joins_from_bus_routes", static_cast<double>(joins.size()));
    std::vector<LatLon> reps;
    const auto cluster = snap_points(ends, snap, joins, reps);
    const NodeId first = NodeId::from_index(b.builder.data().nodes.size());
    for (const auto& r : reps) b.builder.add_node(r);
    b.count("road_nodes", static_cast<double>(reps.size()));

    const LocalProjection proj(LatLon{36.35, 127.38});
    b.bis_link.assign(b.bis.links.size(), -1);
    int self_loops = 0;
    for (std::size_t k = 0; k < keep.size(); ++k) {
        const NodeId from =
            NodeId::from_index(first.index() + static_cast<std::size_t>(cluster[2 * k]));
        const NodeId to =
            NodeId::from_index(first.index() + static_cast<std::size_t>(cluster[2 * k + 1]));
        if (from == to) {  // both ends snapped together (e.g. link 3128, which doubles back)
            ++self_loops;
            continue;
        }
        add_road_link(b, *keep[k], from, to, lines[static_cast<std::size_t>(keep[k]->idx)], proj);
    }
    b.road_link_end = b.builder.data().links.size();
    b.count("road_links_from_bis", static_cast<double>(b.road_link_end));
    b.count("bis_links_dropped_closed_loop", self_loops);
}

void finish_roads(Build& b) {
    b.count("road_links", static_cast<double>(b.road_link_end));
    add_walk_reverse_links(b);

    const auto& d = b.builder.data();
    std::vector<char> car(d.links.size(), 0);
    for (std::size_t i = 0; i < b.road_link_end; ++i) car[i] = 1;
    auto scc = largest_strong_component(d, car);
    b.in_scc = std::move(scc.nodes);
    b.count("road_links_in_largest_scc", static_cast<double>(scc.links));
}

void add_connectors(Build& b) {
    auto& d = b.builder.data();
    const LocalProjection proj(LatLon{36.35, 127.38});
    const auto k = static_cast<std::size_t>(b.p("connector_k"));
    const double circuity = b.p("connector_circuity");
    const double speed = b.p("connector_speed_kmh") * kKmhToMps;
    const double cap = b.p("connector_capacity_vph");
    int n_links = 0, outside = 0;
    for (std::size_t zi = 0; zi < d.zones.size(); ++zi) {
        const Zone z = d.zones[zi];
        const LatLon c{z.lat, z.lon};
        std::vector<std::pair<double, std::size_t>> inside, all;
        for (std::size_t n = 0; n < b.in_scc.size(); ++n) {
            if (!b.in_scc[n]) continue;
            const LatLon p{d.nodes.lat[n], d.nodes.lon[n]};
            const double dist = haversine_m(c, p);
            all.emplace_back(dist, n);
            if (zone_contains(z, p)) inside.emplace_back(dist, n);
        }
        std::sort(inside.begin(), inside.end());
        std::sort(all.begin(), all.end());
        std::vector<std::pair<double, std::size_t>> chosen(
            inside.begin(), inside.begin() + static_cast<long>(std::min(k, inside.size())));
        for (const auto& e : all) {
            if (chosen.size() >= k) break;
            if (std::find(chosen.begin(), chosen.end(), e) == chosen.end()) {
                chosen.push_back(e);
                ++outside;
            }
        }
        for (std::size_t j = 0; j < chosen.size(); ++j) {
            const NodeId node = NodeId::from_index(chosen[j].second);
            for (int dir = 0; dir < 2; ++dir) {
                LinkSpec s;
                s.from = dir == 0 ? z.centroid : node;
                s.to = dir == 0 ? node : z.centroid;
                s.length_m = std::max(50.0, chosen[j].first * circuity);
                s.speed_mps = speed;
                s.lanes = 1;
                s.capacity_vph = cap;
                s.modes = mode_bit(Mode::Car) | mode_bit(Mode::Bike) | mode_bit(Mode::Walk);
                s.road_class = RoadClass::Connector;
                s.external_id =
                    fmt::format("connector:{}:{}:{}", z.code, j, dir == 0 ? "out" : "in");
                b.builder.add_link(s);
                ++n_links;
            }
        }
    }
    b.count("connector_links", n_links);
    b.count("connector_nodes_outside_zone", outside);
}

}  // namespace modeshift::daejeon::detail
