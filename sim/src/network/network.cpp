#include "modeshift/network/network.hpp"

#include <fmt/format.h>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/network/content_hash.hpp"

namespace modeshift {

std::string_view road_class_name(RoadClass c) {
    static constexpr std::string_view names[] = {"motorway", "trunk",       "primary", "secondary",
                                                 "tertiary", "residential", "service", "connector",
                                                 "rail",     "tram",        "path",    "other"};
    const auto i = static_cast<std::size_t>(c);
    return i < std::size(names) ? names[i] : "unknown";
}

std::string_view lanes_source_name(LanesSource s) {
    static constexpr std::string_view names[] = {"unspecified", "rule", "etri_doan2022",
                                                 "etri_dunsan", "published"};
    const auto i = static_cast<std::size_t>(s);
    return i < std::size(names) ? names[i] : "unknown";
}

std::uint64_t network_content_hash(const NetworkData& d) {
    std::ostringstream os(std::ios::binary);
    {
        cereal::PortableBinaryOutputArchive ar(os);
        ar(d);
    }
    const std::string bytes = os.str();
    return hash_bytes(bytes.data(), bytes.size());
}

namespace {

void check(bool ok, const std::string& origin, const std::string& field, const std::string& msg) {
    if (!ok) throw InputError(origin, 0, field, msg);
}

template <class V>
void check_size(const V& v, std::size_t n, const std::string& origin, const char* field) {
    check(v.size() == n, origin, field,
          fmt::format("has {} entries, expected {} (one per record)", v.size(), n));
}

void validate_links(const NetworkData& d, const std::string& origin) {
    const auto& L = d.links;
    const std::size_t n = L.size();
    check_size(L.to, n, origin, "links.to");
    check_size(L.length_m, n, origin, "links.length_m");
    check_size(L.freeflow_speed_mps, n, origin, "links.freeflow_speed_mps");
    check_size(L.freeflow_time_s, n, origin, "links.freeflow_time_s");
    check_size(L.lanes, n, origin, "links.lanes");
    check_size(L.capacity_vph, n, origin, "links.capacity_vph");
    check_size(L.storage_pce, n, origin, "links.storage_pce");
    check_size(L.modes, n, origin, "links.modes");
    check_size(L.road_class, n, origin, "links.road_class");
    check_size(L.name, n, origin, "links.name");
    check_size(L.bus_lane, n, origin, "links.bus_lane");
    check_size(L.bike_lane, n, origin, "links.bike_lane");
    check_size(L.bpr_alpha, n, origin, "links.bpr_alpha");
    check_size(L.bpr_beta, n, origin, "links.bpr_beta");
    check_size(L.toll, n, origin, "links.toll");
    check_size(L.external_id, n, origin, "links.external_id");
    check_size(L.lanes_source, n, origin, "links.lanes_source");
    check_size(L.geom_first, n + 1, origin, "links.geom_first");
    check(L.geom_lat.size() == L.geom_lon.size(), origin, "links.geom_lat",
          "geometry latitude and longitude arrays differ in length");
    const auto nodes = d.nodes.size();
    for (std::size_t i = 0; i < n; ++i) {
        auto field = [&](const char* f) { return fmt::format("links[{}].{}", i, f); };
        check(L.from[i].index() < nodes, origin, field("from"), "unknown node");
        check(L.to[i].index() < nodes, origin, field("to"), "unknown node");
        check(std::isfinite(L.length_m[i]) && L.length_m[i] >= 0, origin, field("length_m"),
              "must be a finite number >= 0");
        check(std::isfinite(L.freeflow_time_s[i]) && L.freeflow_time_s[i] >= 0, origin,
              field("freeflow_time_s"), "must be a finite number >= 0");
        check(std::isfinite(L.capacity_vph[i]) && L.capacity_vph[i] >= 0, origin,
              field("capacity_vph"), "must be a finite number >= 0");
        check(std::isfinite(L.storage_pce[i]) && L.storage_pce[i] >= 0, origin,
              field("storage_pce"), "must be a finite number >= 0");
        check(std::isfinite(L.freeflow_speed_mps[i]) && L.freeflow_speed_mps[i] >= 0, origin,
              field("freeflow_speed_mps"), "must be a finite number >= 0");
        check(L.name[i] < d.names.size(), origin, field("name"), "name index out of range");
        check(L.geom_first[i] <= L.geom_first[i + 1] && L.geom_first[i + 1] <= L.geom_lat.size(),
              origin, field("geom_first"), "geometry range out of order or out of bounds");
        check(static_cast<unsigned>(L.road_class[i]) <= static_cast<unsigned>(RoadClass::Other),
              origin, field("road_class"), "unknown road class");
        check(std::isfinite(L.lanes[i]) && L.lanes[i] >= 0, origin, field("lanes"),
              "must be a finite number >= 0");
        check(std::isfinite(L.bpr_alpha[i]) && std::isfinite(L.bpr_beta[i]) &&
                  std::isfinite(L.toll[i]),
              origin, field("bpr"), "BPR coefficients and toll must be finite");
        check(L.bus_lane[i] <= 1 && L.bike_lane[i] <= 1, origin, field("bus_lane"),
              "bus_lane and bike_lane are 0 or 1");
        check(L.lanes_source[i] <= kLastLanesSource, origin, field("lanes_source"),
              "unknown lanes source");
    }
    // What the JSON form cannot hold is refused here, so that both forms hold the same content
    // (and hash): geometry points no link uses, a name table without "" first.
    check(L.geom_first.empty() || L.geom_first[0] == 0, origin, "links.geom_first",
          "must start at 0");
    check(L.geom_first.empty() || L.geom_first.back() == L.geom_lat.size(), origin,
          "links.geom_first", "must end at the number of geometry points (every point used)");
    check(!d.names.empty() && d.names[0].empty(), origin, "names",
          "the road-name table must start with \"\" (unnamed)");
    for (std::size_t k = 0; k < L.geom_lat.size(); ++k)
        check(std::isfinite(L.geom_lat[k]) && std::isfinite(L.geom_lon[k]), origin,
              "links.geometry", "coordinates must be finite");
}

void validate_transit(const NetworkData& d, const std::string& origin) {
    for (std::size_t i = 0; i < d.stops.size(); ++i)
        check(d.stops[i].node.index() < d.nodes.size(), origin, fmt::format("stops[{}].node", i),
              "unknown node");
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
        const auto& ln = d.lines[i];
        check(static_cast<std::size_t>(ln.mode) < kModeCount, origin,
              fmt::format("lines[{}].mode", i), "unknown mode");
        for (auto s : ln.stops)
            check(s.index() < d.stops.size(), origin, fmt::format("lines[{}].stops", i),
                  "unknown stop");
        for (std::size_t k = 0; k < ln.links.size(); ++k) {
            check(ln.links[k].index() < d.links.size(), origin,
                  fmt::format("lines[{}].links[{}]", i, k), "unknown link");
            if (k > 0)
                check(d.links.to[ln.links[k - 1].index()] == d.links.from[ln.links[k].index()],
                      origin, fmt::format("lines[{}].links[{}]", i, k), "route is not contiguous");
        }
        check(ln.stop_link_pos.size() == ln.stops.size(), origin,
              fmt::format("lines[{}].stop_link_pos", i), "needs one entry per stop");
        for (auto p : ln.stop_link_pos)
            check(p <= ln.links.size(), origin, fmt::format("lines[{}].stop_link_pos", i),
                  "position beyond the route");
        check(ln.headway_peak_s > 0 && ln.headway_offpeak_s > 0 &&
                  std::isfinite(ln.headway_peak_s) && std::isfinite(ln.headway_offpeak_s),
              origin, fmt::format("lines[{}].headway", i), "headways must be finite and > 0");
        check(std::isfinite(ln.service_start_s) && std::isfinite(ln.service_end_s) &&
                  std::isfinite(ln.fare_krw) && std::isfinite(ln.vehicle_pce) &&
                  std::isfinite(ln.vehicle_capacity),
              origin, fmt::format("lines[{}]", i),
              "service times, fare, PCE and capacity must be finite");
        for (double t : ln.departures_s)
            check(std::isfinite(t) && std::abs(t) <= 1e7, origin,
                  fmt::format("lines[{}].departures_s", i),
                  "departures must be finite times within 1e7 s");
        check(ln.vehicle_capacity > 0, origin, fmt::format("lines[{}].vehicle_capacity", i),
              "must be > 0");
    }
    for (std::size_t i = 0; i < d.zones.size(); ++i) {
        const Zone& z = d.zones[i];
        check(z.centroid.index() < d.nodes.size(), origin, fmt::format("zones[{}].centroid", i),
              "unknown node");
        check(z.attr_names.size() == z.attr_values.size(), origin,
              fmt::format("zones[{}].attributes", i),
              "attribute names and values differ in number");
        check(z.ring_lat.size() == z.ring_lon.size(), origin, fmt::format("zones[{}].boundary", i),
              "ring latitude and longitude arrays differ in length");
        for (std::size_t r = 0; r < z.ring_first.size(); ++r)
            check(z.ring_first[r] <= z.ring_lat.size() &&
                      (r == 0 || z.ring_first[r - 1] <= z.ring_first[r]) &&
                      (r + 1 < z.ring_first.size() || z.ring_first[r] == z.ring_lat.size()),
                  origin, fmt::format("zones[{}].boundary", i),
                  "ring ranges out of order or out of bounds");
        check(z.ring_first.empty() ? z.ring_lat.empty() : z.ring_first[0] == 0, origin,
              fmt::format("zones[{}].boundary", i),
              "ring ranges must start at 0 and cover every point");
        check(z.ring_first.size() != 1, origin, fmt::format("zones[{}].boundary", i),
              "no rings is an empty range list, not [0]");
        for (std::size_t a = 0; a < z.attr_names.size(); ++a)
            check(std::find(z.attr_names.begin(), z.attr_names.begin() + a, z.attr_names[a]) ==
                      z.attr_names.begin() + a,
                  origin, fmt::format("zones[{}].attributes", i),
                  fmt::format("'{}' is given twice", z.attr_names[a]));
        for (std::size_t k = 0; k < z.ring_lat.size(); ++k)
            check(std::isfinite(z.ring_lat[k]) && std::isfinite(z.ring_lon[k]), origin,
                  fmt::format("zones[{}].boundary", i), "coordinates must be finite");
        check(std::isfinite(z.lat) && std::isfinite(z.lon) && std::isfinite(z.population) &&
                  std::isfinite(z.households) && std::isfinite(z.area_km2) && z.population >= 0 &&
                  z.households >= 0 && z.area_km2 >= 0,
              origin, fmt::format("zones[{}]", i),
              "position, population, households and area must be finite (and >= 0)");
    }
    for (std::size_t i = 0; i < d.stops.size(); ++i)
        check(std::isfinite(d.stops[i].lat) && std::isfinite(d.stops[i].lon), origin,
              fmt::format("stops[{}]", i), "coordinates must be finite");
    for (std::size_t i = 0; i < d.bike_stations.size(); ++i)
        check(d.bike_stations[i].node.index() < d.nodes.size(), origin,
              fmt::format("bike_stations[{}].node", i), "unknown node");
}

}  // namespace

void validate_network_data(const NetworkData& d, const std::string& origin) {
    check(d.nodes.lon.size() == d.nodes.size(), origin, "nodes.lon",
          "length differs from nodes.lat");
    check(d.nodes.external_id.size() == d.nodes.size(), origin, "nodes.external_id",
          "length differs from nodes.lat");
    check(d.nodes.control.size() == d.nodes.size(), origin, "nodes.control",
          "length differs from nodes.lat");
    for (std::size_t i = 0; i < d.nodes.size(); ++i)
        check(
            static_cast<unsigned>(d.nodes.control[i]) <= static_cast<unsigned>(NodeControl::Signal),
            origin, fmt::format("nodes[{}].control", i),
            "unknown node control (0 unknown, 1 none, 2 signal)");
    for (std::size_t i = 0; i < d.nodes.size(); ++i)
        check(std::isfinite(d.nodes.lat[i]) && std::isfinite(d.nodes.lon[i]), origin,
              fmt::format("nodes[{}]", i), "coordinates must be finite");
    check(d.first_thru_node <= d.nodes.size(), origin, "first_thru_node",
          fmt::format("{} is beyond the {} nodes", d.first_thru_node, d.nodes.size()));
    check(d.links.from.size() == d.links.size(), origin, "links.from", "inconsistent length");
    validate_links(d, origin);
    validate_transit(d, origin);
}

Network::Network(NetworkData data, const std::string& origin) : data_(std::move(data)) {
    validate_network_data(data_, origin);
    content_hash_ = network_content_hash(data_);
    build_indices();
}

void Network::build_indices() {
    projection_ = LocalProjection({data_.ref_lat, data_.ref_lon});
    const std::size_t nn = node_count(), nl = link_count();
    node_xy_.resize(nn);
    for (std::size_t i = 0; i < nn; ++i)
        node_xy_[i] = projection_.to_xy({data_.nodes.lat[i], data_.nodes.lon[i]});

    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges(nl);
    std::vector<GraphEdge> props(nl);
    for (std::size_t i = 0; i < nl; ++i) {
        edges[i] = {data_.links.from[i].value(), data_.links.to[i].value()};
        props[i].link = static_cast<std::uint32_t>(i);
    }
    graph_ = RoadGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                       props.begin(), static_cast<std::uint32_t>(nn));

    // Out-links straight from the CSR rows (sorted by source; link order kept within a node).
    first_out_.assign(nn + 1, 0);
    out_link_.clear();
    out_link_.reserve(nl);
    for (std::uint32_t v = 0; v < nn; ++v) {
        first_out_[v] = static_cast<std::uint32_t>(out_link_.size());
        std::vector<std::uint32_t> row;
        for (auto [it, end] = boost::out_edges(v, graph_); it != end; ++it)
            row.push_back(graph_[*it].link);
        std::sort(row.begin(), row.end());  // deterministic order independent of CSR internals
        for (auto l : row) out_link_.push_back(LinkId(l));
    }
    first_out_[nn] = static_cast<std::uint32_t>(out_link_.size());

    first_in_.assign(nn + 1, 0);
    for (std::size_t i = 0; i < nl; ++i) ++first_in_[data_.links.to[i].index() + 1];
    for (std::size_t v = 0; v < nn; ++v) first_in_[v + 1] += first_in_[v];
    in_link_.assign(nl, LinkId{});
    std::vector<std::uint32_t> fill(first_in_.begin(), first_in_.end() - 1);
    for (std::size_t i = 0; i < nl; ++i)
        in_link_[fill[data_.links.to[i].index()]++] = LinkId::from_index(i);
}

std::vector<LatLon> Network::link_geometry(LinkId l) const {
    const auto& L = data_.links;
    std::vector<LatLon> pts;
    const auto b = L.geom_first[l.index()], e = L.geom_first[l.index() + 1];
    if (b == e) {
        pts.push_back(node_latlon(from(l)));
        pts.push_back(node_latlon(to(l)));
        return pts;
    }
    pts.reserve(e - b);
    for (auto i = b; i < e; ++i) pts.push_back({L.geom_lat[i], L.geom_lon[i]});
    return pts;
}

double Network::end_heading(LinkId l, bool arriving, double reach_m) const {
    const std::vector<LatLon> g = link_geometry(l);
    return polyline_end_heading(g, projection_, arriving, reach_m);
}

LinkId Network::find_link(NodeId a, NodeId b) const {
    for (LinkId l : out_links(a))
        if (to(l) == b) return l;
    return {};
}

NodeId Network::nearest_node(LatLon p, Mode mode) const {
    const XY q = projection_.to_xy(p);
    NodeId best;
    double best_d2 = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < node_count(); ++i) {
        const NodeId n = NodeId::from_index(i);
        bool ok = false;
        for (LinkId l : out_links(n)) ok = ok || allows(modes(l), mode);
        for (LinkId l : in_links(n)) ok = ok || allows(modes(l), mode);
        if (!ok) continue;
        const double dx = node_xy_[i].x_m - q.x_m, dy = node_xy_[i].y_m - q.y_m;
        const double d2 = dx * dx + dy * dy;
        if (d2 < best_d2) {
            best_d2 = d2;
            best = n;
        }
    }
    return best;
}

}  // namespace modeshift
