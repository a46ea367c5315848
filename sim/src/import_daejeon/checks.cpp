// Acceptance checks of the bundled network: SCC share, contiguous bus lines, zone-to-zone
// reachability by car (Dijkstra) and by transit + walking (stop graph breadth-first search).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

#include "internal.hpp"
#include "modeshift/network/components.hpp"
#include "modeshift/network/shortest_path.hpp"

namespace modeshift::daejeon {
namespace {

bool is_road_car_link(const NetworkData& d, std::size_t i) {
    return allows(d.links.modes[i], Mode::Car) && d.links.road_class[i] != RoadClass::Connector;
}

void check_scc(const NetworkData& d, CheckResult& r) {
    std::vector<char> use(d.links.size(), 0);
    for (std::size_t i = 0; i < d.links.size(); ++i) use[i] = is_road_car_link(d, i) ? 1 : 0;
    const auto mask = largest_strong_component(d, use).nodes;
    for (std::size_t i = 0; i < d.links.size(); ++i) {
        if (!use[i]) continue;
        const bool in = mask[d.links.from[i].index()] && mask[d.links.to[i].index()];
        const bool dj = is_daejeon_bis_code(d.links.external_id[i]);
        ++r.road_links_total;
        r.road_links_in_largest_scc += in ? 1 : 0;
        r.daejeon_road_links += dj ? 1 : 0;
        r.daejeon_links_in_largest_scc += (dj && in) ? 1 : 0;
    }
    r.scc_share = r.daejeon_road_links ? static_cast<double>(r.daejeon_links_in_largest_scc) /
                                             static_cast<double>(r.daejeon_road_links)
                                       : 0.0;
    if (r.scc_share < 0.975)
        r.problems.push_back(fmt::format("largest SCC holds only {:.2f} % of Daejeon road links",
                                         100 * r.scc_share));
}

void check_lines(const NetworkData& d, CheckResult& r) {
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
        const auto& ln = d.lines[i];
        if (ln.mode != Mode::Bus) continue;
        ++r.bus_lines;
        bool ok = !ln.links.empty() && ln.stops.size() >= 2;
        for (std::size_t k = 1; ok && k < ln.links.size(); ++k)
            ok = d.links.to[ln.links[k - 1].index()] == d.links.from[ln.links[k].index()];
        for (std::size_t k = 1; ok && k < ln.stop_link_pos.size(); ++k)
            ok = ln.stop_link_pos[k - 1] <= ln.stop_link_pos[k];
        if (!ok) {
            ++r.noncontiguous_lines;
            if (r.problems.size() < 10)
                r.problems.push_back(fmt::format("bus line {} is not a contiguous path", ln.code));
        }
    }
}

void check_car(const Network& net, CheckResult& r) {
    const auto& d = net.data();
    ShortestPathWorkspace ws(net);
    std::vector<double> cost(d.links.freeflow_time_s.begin(), d.links.freeflow_time_s.end());
    for (std::size_t a = 0; a < d.zones.size(); ++a) {
        ws.run(d.zones[a].centroid, cost, Mode::Car);
        for (std::size_t z = 0; z < d.zones.size(); ++z) {
            if (z == a) continue;
            if (!std::isfinite(ws.dist(d.zones[z].centroid))) {
                ++r.car_unreachable_pairs;
                if (r.problems.size() < 10)
                    r.problems.push_back(
                        fmt::format("no car path {} -> {}", d.zones[a].name, d.zones[z].name));
            }
        }
    }
}

/// Stops reachable by walking from each zone: inside the zone or within `walk_m` of its boundary.
std::vector<std::vector<std::uint32_t>> zone_access(const NetworkData& d,
                                                    const LocalProjection& proj, double walk_m) {
    std::vector<std::vector<std::uint32_t>> acc(d.zones.size());
    const double margin_deg = walk_m / 80'000.0;
    for (std::size_t z = 0; z < d.zones.size(); ++z) {
        const auto& zn = d.zones[z];
        const auto [la0, la1] = std::minmax_element(zn.ring_lat.begin(), zn.ring_lat.end());
        const auto [lo0, lo1] = std::minmax_element(zn.ring_lon.begin(), zn.ring_lon.end());
        for (std::size_t s = 0; s < d.stops.size(); ++s) {
            const auto& st = d.stops[s];
            if (st.lat < *la0 - margin_deg || st.lat > *la1 + margin_deg ||
                st.lon < *lo0 - margin_deg || st.lon > *lo1 + margin_deg)
                continue;
            if (detail::distance_to_zone_m(proj, zn, {st.lat, st.lon}) <= walk_m)
                acc[z].push_back(static_cast<std::uint32_t>(s));
        }
    }
    return acc;
}

/// Stop graph: consecutive calls of active lines plus walking transfers within `transfer_m`.
std::vector<std::vector<std::uint32_t>> stop_graph(const NetworkData& d, double transfer_m) {
    std::vector<std::vector<std::uint32_t>> g(d.stops.size());
    for (const auto& ln : d.lines) {
        if (!ln.active) continue;
        for (std::size_t k = 1; k < ln.stops.size(); ++k)
            g[ln.stops[k - 1].index()].push_back(ln.stops[k].value());
    }
    const double cell = transfer_m / 100'000.0;
    std::map<std::pair<long, long>, std::vector<std::uint32_t>> grid;
    auto key = [&](const Stop& s) {
        return std::pair<long, long>{static_cast<long>(std::floor(s.lat / cell)),
                                     static_cast<long>(std::floor(s.lon / cell))};
    };
    for (std::size_t s = 0; s < d.stops.size(); ++s)
        grid[key(d.stops[s])].push_back(static_cast<std::uint32_t>(s));
    for (std::size_t s = 0; s < d.stops.size(); ++s) {
        const auto c = key(d.stops[s]);
        for (long dy = -2; dy <= 2; ++dy)
            for (long dx = -2; dx <= 2; ++dx) {
                auto it = grid.find({c.first + dy, c.second + dx});
                if (it == grid.end()) continue;
                for (auto t : it->second)
                    if (t != s && haversine_m({d.stops[s].lat, d.stops[s].lon},
                                              {d.stops[t].lat, d.stops[t].lon}) <= transfer_m)
                        g[s].push_back(t);
            }
    }
    return g;
}

void check_transit(const NetworkData& d, CheckResult& r) {
    const LocalProjection proj(LatLon{36.35, 127.38});
    const auto acc = zone_access(d, proj, r.walk_access_m);
    const auto g = stop_graph(d, r.transfer_walk_m);
    std::vector<char> seen(d.stops.size());
    for (std::size_t a = 0; a < d.zones.size(); ++a) {
        std::fill(seen.begin(), seen.end(), 0);
        std::deque<std::uint32_t> q;
        for (auto s : acc[a]) {
            seen[s] = 1;
            q.push_back(s);
        }
        while (!q.empty()) {
            const auto u = q.front();
            q.pop_front();
            for (auto v : g[u])
                if (!seen[v]) {
                    seen[v] = 1;
                    q.push_back(v);
                }
        }
        for (std::size_t z = 0; z < d.zones.size(); ++z) {
            if (z == a) continue;
            const bool ok = std::any_of(acc[z].begin(), acc[z].end(),
                                        [&](std::uint32_t s) { return seen[s] != 0; });
            if (!ok) {
                ++r.transit_unreachable_pairs;
                if (r.problems.size() < 10)
                    r.problems.push_back(fmt::format("no transit+walk path {} -> {}",
                                                     d.zones[a].name, d.zones[z].name));
            }
        }
    }
}

}  // namespace

bool CheckResult::ok() const {
    return scc_share >= 0.975 && noncontiguous_lines == 0 && car_unreachable_pairs == 0 &&
           transit_unreachable_pairs == 0 && bus_lines > 0;
}

CheckResult check_network(const Network& net, double walk_access_m, double transfer_walk_m) {
    CheckResult r;
    r.walk_access_m = walk_access_m;
    r.transfer_walk_m = transfer_walk_m;
    const auto& d = net.data();
    check_scc(d, r);
    check_lines(d, r);
    r.zone_pairs = d.zones.size() * (d.zones.size() - 1);
    check_car(net, r);
    check_transit(d, r);
    return r;
}

}  // namespace modeshift::daejeon
