// Metro line 1 (in service), tram line 2 (inactive until it opens in 2028) and the Tashu
// bike-share stations.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"

namespace modeshift::daejeon::detail {
namespace {

constexpr double kKmhToMps = 1000.0 / 3600.0;

struct Station {
    std::string no, name, name_en;
    LatLon p;
    NodeId node;
    StopId stop;
};

/// Walk link pair between a station node and the nearest road node of the car SCC.
void add_access(Build& b, const Station& s, double extra_m, const char* kind) {
    auto& d = b.builder.data();
    const NodeId road = nearest_masked_node(d, b.in_scc, s.p);
    const double len =
        haversine_m(s.p, {d.nodes.lat[road.index()], d.nodes.lon[road.index()]}) + extra_m;
    for (int dir = 0; dir < 2; ++dir) {
        LinkSpec l;
        l.from = dir == 0 ? s.node : road;
        l.to = dir == 0 ? road : s.node;
        l.length_m = std::max(1.0, len);
        l.speed_mps = b.p("walk_speed_mps");
        l.capacity_vph = 0;
        l.modes = mode_bit(Mode::Walk);
        l.road_class = RoadClass::Path;
        l.external_id = fmt::format("{}-access:{}:{}", kind, s.no, dir == 0 ? "out" : "in");
        b.builder.add_link(l);
    }
    b.count(fmt::format("{}_access_links", kind), 2);
}

Station& make_station(Build& b, std::vector<Station>& v, std::string no, std::string name, LatLon p,
                      Mode m) {
    auto& d = b.builder.data();
    Station s;
    s.no = std::move(no);
    s.name = std::move(name);
    s.p = p;
    s.node = b.builder.add_node(p, fmt::format("{}:{}", mode_name(m), s.no));
    Stop st;
    st.code = fmt::format("{}:{}", mode_name(m), s.no);
    st.name = s.name;
    st.lat = p.lat;
    st.lon = p.lon;
    st.node = s.node;
    st.modes = mode_bit(m);
    s.stop = StopId::from_index(d.stops.size());
    d.stops.push_back(st);
    v.push_back(std::move(s));
    return v.back();
}

LinkId add_track(Build& b, NodeId from, NodeId to, double len, Mode m, double speed_kmh,
                 std::vector<LatLon> geom, std::string ext, const std::string& name) {
    LinkSpec l;
    l.from = from;
    l.to = to;
    l.length_m = len;
    l.speed_mps = speed_kmh * kKmhToMps;
    l.lanes = 1;
    l.capacity_vph = b.p(m == Mode::Metro ? "metro_track_capacity_tph" : "tram_track_capacity_tph");
    l.modes = mode_bit(m);
    l.road_class = m == Mode::Metro ? RoadClass::Rail : RoadClass::Tram;
    l.geometry = std::move(geom);
    l.external_id = std::move(ext);
    l.name = name;
    return b.builder.add_link(l);
}

/// A line through `stations` (in order) using `links` (links[k] joins stations k and k+1).
TransitLine make_line(Build& b, const std::string& prefix, std::string code, std::string name,
                      const std::vector<const Station*>& st, const std::vector<LinkId>& links,
                      bool active) {
    TransitLine ln;
    ln.code = std::move(code);
    ln.name = std::move(name);
    ln.mode = prefix == "metro" ? Mode::Metro : Mode::Tram;
    ln.active = active;
    for (std::size_t k = 0; k < st.size(); ++k) {
        ln.stops.push_back(st[k]->stop);
        ln.stop_link_pos.push_back(static_cast<std::uint32_t>(k));
    }
    ln.links = links;
    ln.headway_peak_s = b.p(prefix + "_headway_peak_s");
    ln.headway_offpeak_s = b.p(prefix + "_headway_offpeak_s");
    ln.service_start_s = b.p(prefix + "_service_start_s");
    ln.service_end_s = b.p(prefix + "_service_end_s");
    ln.vehicle_capacity = b.p(prefix + "_capacity");
    ln.vehicle_pce = 0;  // own track: no road space used
    ln.fare_krw = b.p(prefix + "_fare_krw");
    return ln;
}

void add_metro(Build& b) {
    const auto path = b.opt.data_dir / "metro_line1_stations.csv";
    CsvReader r(path);
    std::vector<Station> st;
    st.reserve(32);
    while (r.next()) {
        auto& s = make_station(b, st, r.get("station_no"), r.get("name_ko"),
                               {r.get_double("lat"), r.get_double("lon")}, Mode::Metro);
        s.name_en = r.get("name_en");
        if (st.size() > 1 && std::stoi(st[st.size() - 2].no) + 1 != std::stoi(s.no))
            r.fail("station_no", "stations must be listed in line order 101, 102, ...");
    }
    if (st.size() < 2)
        throw InputError(path.string(), 0, "station_no", "need at least two stations");
    double straight = 0;
    for (std::size_t k = 1; k < st.size(); ++k) straight += haversine_m(st[k - 1].p, st[k].p);
    const double scale = b.p("metro_official_length_km") * 1000.0 / straight;
    const double speed = b.p("metro_speed_kmh");
    std::vector<LinkId> fwd, bwd;
    for (std::size_t k = 1; k < st.size(); ++k) {
        const double len = haversine_m(st[k - 1].p, st[k].p) * scale;
        fwd.push_back(add_track(b, st[k - 1].node, st[k].node, len, Mode::Metro, speed, {},
                                fmt::format("metro:{}-{}", st[k - 1].no, st[k].no),
                                "대전 도시철도 1호선"));
        bwd.push_back(add_track(b, st[k].node, st[k - 1].node, len, Mode::Metro, speed, {},
                                fmt::format("metro:{}-{}", st[k].no, st[k - 1].no),
                                "대전 도시철도 1호선"));
    }
    std::reverse(bwd.begin(), bwd.end());
    std::vector<const Station*> order;
    for (const auto& s : st) order.push_back(&s);
    auto& d = b.builder.data();
    const std::string src =
        "metro_line1_stations.csv (data.go.kr 15013205); lengths scaled to the official "
        "22.74 km; headways, speed, capacity: networks/daejeon/parameters.csv";
    d.lines.push_back(make_line(b, "metro", "metro:1:down", "1호선 (반석 방면)", order, fwd, true));
    d.lines.back().source = src;
    std::reverse(order.begin(), order.end());
    d.lines.push_back(make_line(b, "metro", "metro:1:up", "1호선 (판암 방면)", order, bwd, true));
    d.lines.back().source = src;
    for (const auto& s : st) add_access(b, s, b.p("station_access_extra_m"), "metro");
    b.count("metro_stations", static_cast<double>(st.size()));
    b.count("metro_length_scale", scale);
}

void add_tram(Build& b) {
    std::vector<Station> st;
    st.reserve(64);
    CsvReader r(b.opt.data_dir / "tram_line2_stations.csv");
    while (r.next())
        make_station(b, st, r.get("station_no"), r.get("name_ko"),
                     {r.get_double("lat"), r.get_double("lon")}, Mode::Tram);
    std::map<int, const Station*> by_no;
    for (const auto& s : st) by_no[std::stoi(s.no)] = &s;
    const double speed = b.p("tram_speed_kmh");
    // Segment geometry (station to station along the mapped roads) is longer than the official
    // route length; scale like metro line 1 so the track totals the official figure.
    double geom_m = 0;
    for (const auto& seg : b.tram) geom_m += polyline_length_m(seg.pts);
    const double scale = b.p("tram_official_length_km") * 1000.0 / geom_m;
    b.count("tram_geometry_km", geom_m / 1000.0);
    b.count("tram_length_scale", scale);
    std::map<std::string, std::vector<std::pair<LinkId, LinkId>>>
        branch_links;  // branch -> (ab, ba)
    std::map<std::string, std::vector<const Station*>> branch_stations;
    for (const auto& seg : b.tram) {
        const auto* a = by_no.at(seg.from_no);
        const auto* c = by_no.at(seg.to_no);
        auto rev = seg.pts;
        std::reverse(rev.begin(), rev.end());
        const double len = polyline_length_m(seg.pts) * scale;
        const LinkId ab = add_track(b, a->node, c->node, len, Mode::Tram, speed, seg.pts,
                                    seg.id + ":AB", seg.road_name);
        const LinkId ba = add_track(b, c->node, a->node, len, Mode::Tram, speed, rev,
                                    seg.id + ":BA", seg.road_name);
        auto& bs = branch_stations[seg.branch];
        if (bs.empty())
            bs.push_back(a);
        else if (bs.back() != a)
            throw InputError((b.opt.data_dir / "tram_line2_segments.csv").string(), 0, seg.id,
                             "segments of a branch must follow each other");
        bs.push_back(c);
        branch_links[seg.branch].push_back({ab, ba});
        b.count("tram_track_km", len / 1000.0);
    }
    auto& d = b.builder.data();
    const std::string src =
        "tram_line2_stations.csv / tram_line2_segments.csv (github "
        "nynji/daejeon-tram-analysis@ed23e87); "
        "opens Dec 2028 (inactive in the baseline); headways, speed, capacity: "
        "networks/daejeon/parameters.csv";
    for (const auto& [branch, links] : branch_links) {
        std::vector<LinkId> fwd, bwd;
        for (const auto& [ab, ba] : links) {
            fwd.push_back(ab);
            bwd.push_back(ba);
        }
        std::reverse(bwd.begin(), bwd.end());
        auto order = branch_stations[branch];
        const auto name =
            branch == "main_loop" ? std::string("2호선 트램 순환") : "2호선 트램 " + branch;
        d.lines.push_back(
            make_line(b, "tram", "tram:2:" + branch + ":a", name + " (A)", order, fwd, false));
        d.lines.back().source = src;
        std::reverse(order.begin(), order.end());
        d.lines.push_back(
            make_line(b, "tram", "tram:2:" + branch + ":b", name + " (B)", order, bwd, false));
        d.lines.back().source = src;
    }
    for (const auto& s : st) add_access(b, s, 0.0, "tram");
    b.count("tram_stations", static_cast<double>(st.size()));
}

}  // namespace

namespace {
/// Chains the parts of a MultiLineString into one polyline starting near `from`: each next part
/// is the remaining one with an end nearest to the current end (reversed if needed).
std::vector<LatLon> chain_parts(const std::vector<std::vector<LatLon>>& parts, LatLon from,
                                LatLon to) {
    std::vector<LatLon> out{from};
    std::vector<char> used(parts.size(), 0);
    for (std::size_t n = 0; n < parts.size(); ++n) {
        std::size_t best = 0;
        bool rev = false;
        double bd = INFINITY;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (used[i]) continue;
            const double d0 = haversine_m(out.back(), parts[i].front()),
                         d1 = haversine_m(out.back(), parts[i].back());
            if (d0 < bd) {
                bd = d0;
                best = i;
                rev = false;
            }
            if (d1 < bd) {
                bd = d1;
                best = i;
                rev = true;
            }
        }
        used[best] = 1;
        const auto& part = parts[best];
        for (std::size_t k = 0; k < part.size(); ++k) {
            const LatLon q = rev ? part[part.size() - 1 - k] : part[k];
            if (out.back().lat != q.lat || out.back().lon != q.lon) out.push_back(q);
        }
    }
    out.push_back(to);
    return out;
}
}  // namespace

void read_tram(Build& b) {
    const auto csv = b.opt.data_dir / "tram_line2_segments.csv";
    const auto js = b.opt.data_dir / "raw" / "tram_line2_segments_nynji.json";
    const Json j = read_json_file(js);
    const JsonCursor segs = JsonCursor(j, js.string()).at("segments");
    std::map<std::string, std::vector<std::vector<LatLon>>> geom;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto s = segs.at(i);
        std::vector<std::vector<LatLon>> parts;
        const auto ps = s.at("geometry").at("coordinates");
        for (std::size_t p = 0; p < ps.size(); ++p) {
            parts.emplace_back();
            for (std::size_t k = 0; k < ps.at(p).size(); ++k) {
                const auto c = ps.at(p).at(k);
                parts.back().push_back(
                    {c.at(std::size_t{1}).number(), c.at(std::size_t{0}).number()});
            }
            if (parts.back().empty()) parts.pop_back();
        }
        geom[s.string("segment_id")] = std::move(parts);
    }
    std::map<int, LatLon> station;
    CsvReader sr(b.opt.data_dir / "tram_line2_stations.csv");
    while (sr.next())
        station[static_cast<int>(sr.get_int("station_no"))] = {sr.get_double("lat"),
                                                               sr.get_double("lon")};
    CsvReader r(csv);
    while (r.next()) {
        TramSegment t;
        t.id = r.get("segment_id");
        t.branch = r.get("branch");
        t.from_no = static_cast<int>(r.get_int("from_station_no"));
        t.to_no = static_cast<int>(r.get_int("to_station_no"));
        t.road_name = r.get("road_name");
        t.max_speed_kmh = r.get_double("max_speed_kmh");
        auto it = geom.find(t.id);
        if (it == geom.end() || it->second.empty())
            r.fail("segment_id", "no geometry in " + js.filename().string());
        if (!station.contains(t.from_no)) r.fail("from_station_no", "unknown tram station");
        if (!station.contains(t.to_no)) r.fail("to_station_no", "unknown tram station");
        // The track runs from station to station along the mapped road geometry.
        t.pts = chain_parts(it->second, station[t.from_no], station[t.to_no]);
        b.tram.push_back(std::move(t));
    }
}

void add_rail(Build& b) {
    add_metro(b);
    add_tram(b);
}

void add_tashu(Build& b) {
    auto& d = b.builder.data();
    CsvReader r(b.opt.data_dir / "tashu_stations.csv");
    double max_snap = 0;
    while (r.next()) {
        BikeStation s;
        s.code = r.get("station_id");
        s.name = r.get("name");
        s.lat = r.get_double("lat");
        s.lon = r.get_double("lon");
        s.node = nearest_masked_node(d, b.in_scc, {s.lat, s.lon});
        s.docks = b.p("tashu_docks");
        max_snap = std::max(max_snap, haversine_m({s.lat, s.lon}, {d.nodes.lat[s.node.index()],
                                                                   d.nodes.lon[s.node.index()]}));
        d.bike_stations.push_back(s);
    }
    b.count("tashu_stations", static_cast<double>(d.bike_stations.size()));
    b.count("tashu_max_snap_m", std::round(max_snap));
}

}  // namespace modeshift::daejeon::detail
