// The JSON form of network files (*.msnet.json): readable, diffable and hand-editable.
#include <fmt/format.h>

#include <algorithm>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/content_hash.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "network_legacy.hpp"

namespace modeshift {
namespace {

constexpr const char* kJsonFormat = "modeshift-network";

Json modes_to_json(ModeMask m) {
    Json a = Json::array();
    for (Mode md : kAllModes)
        if (allows(m, md)) a.push_back(mode_name(md));
    return a;
}

ModeMask modes_from_json(const JsonCursor& c) {
    ModeMask m = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const auto s = c.at(i).string();
        auto md = parse_mode(s);
        if (!md) c.at(i).fail(fmt::format("unknown mode '{}'", s));
        m |= mode_bit(*md);
    }
    return m;
}

LanesSource lanes_source_from(const JsonCursor& c) {
    const auto s = c.string();
    for (int i = 0; i <= static_cast<int>(kLastLanesSource); ++i)
        if (lanes_source_name(static_cast<LanesSource>(i)) == s) return static_cast<LanesSource>(i);
    c.fail(
        fmt::format("unknown lanes source '{}' (unspecified, rule, etri_doan2022, "
                    "etri_dunsan, published)",
                    s));
}

RoadClass road_class_from(const JsonCursor& c) {
    const auto s = c.string();
    for (int i = 0; i <= static_cast<int>(RoadClass::Other); ++i)
        if (road_class_name(static_cast<RoadClass>(i)) == s) return static_cast<RoadClass>(i);
    c.fail(fmt::format("unknown road class '{}'", s));
}

Json points_json(const std::vector<double>& lat, const std::vector<double>& lon, std::size_t b,
                 std::size_t e) {
    Json a = Json::array();
    for (auto i = b; i < e; ++i) a.push_back({lat[i], lon[i]});
    return a;
}

void points_from(const JsonCursor& c, std::vector<double>& lat, std::vector<double>& lon) {
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto p = c.at(i);
        if (p.size() != 2) p.fail("expected [lat, lon]");
        lat.push_back(p.at(0).number());
        lon.push_back(p.at(1).number());
    }
}

Json to_json(const NetworkData& d) {
    Json j;
    j["format"] = kJsonFormat;
    j["schema_version"] = kNetworkSchemaVersion;
    j["content_hash"] = hex64(network_content_hash(d));
    j["name"] = d.name;
    j["source"] = d.source;
    j["ref"] = {{"lat", d.ref_lat}, {"lon", d.ref_lon}};
    j["first_thru_node"] = d.first_thru_node;
    j["names"] = d.names;
    j["notes"] = d.notes;
    Json nodes = Json::array();
    for (std::size_t i = 0; i < d.nodes.size(); ++i) {
        Json n = {
            {"lat", d.nodes.lat[i]}, {"lon", d.nodes.lon[i]}, {"ext", d.nodes.external_id[i]}};
        if (d.nodes.control[i] == NodeControl::None) n["control"] = "none";
        if (d.nodes.control[i] == NodeControl::Signal) n["control"] = "signal";
        nodes.push_back(std::move(n));
    }
    j["nodes"] = std::move(nodes);
    const auto& L = d.links;
    Json links = Json::array();
    for (std::size_t i = 0; i < L.size(); ++i) {
        Json link = {{"from", L.from[i].value()},
                     {"to", L.to[i].value()},
                     {"length_m", L.length_m[i]},
                     {"speed_mps", L.freeflow_speed_mps[i]},
                     {"freeflow_time_s", L.freeflow_time_s[i]},
                     {"lanes", L.lanes[i]},
                     {"capacity_vph", L.capacity_vph[i]},
                     {"storage_pce", L.storage_pce[i]},
                     {"modes", modes_to_json(L.modes[i])},
                     {"class", road_class_name(L.road_class[i])},
                     {"name", L.name[i]},
                     {"bus_lane", L.bus_lane[i] != 0},
                     {"bike_lane", L.bike_lane[i] != 0},
                     {"bpr_alpha", L.bpr_alpha[i]},
                     {"bpr_beta", L.bpr_beta[i]},
                     {"toll", L.toll[i]},
                     {"ext", L.external_id[i]},
                     {"geometry",
                      points_json(L.geom_lat, L.geom_lon, L.geom_first[i], L.geom_first[i + 1])}};
        // Like a node's control: only said when known, so networks without it stay as they were.
        if (L.lanes_source[i] != LanesSource::Unspecified)
            link["lanes_source"] = lanes_source_name(L.lanes_source[i]);
        links.push_back(std::move(link));
    }
    j["links"] = std::move(links);
    Json zones = Json::array();
    for (const auto& z : d.zones) {
        Json rings = Json::array();
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r)
            rings.push_back(
                points_json(z.ring_lat, z.ring_lon, z.ring_first[r], z.ring_first[r + 1]));
        // Pairs, not an object: a JSON object's members have no order (nlohmann::json sorts
        // them), and the order is part of the content and so of its hash.
        Json attrs = Json::array();
        for (std::size_t a = 0; a < z.attr_names.size(); ++a)
            attrs.push_back({z.attr_names[a], z.attr_values[a]});
        zones.push_back({{"code", z.code},
                         {"name", z.name},
                         {"name_en", z.name_en},
                         {"district", z.district},
                         {"study_area", z.study_area},
                         {"centroid", z.centroid.value()},
                         {"lat", z.lat},
                         {"lon", z.lon},
                         {"population", z.population},
                         {"households", z.households},
                         {"area_km2", z.area_km2},
                         {"attributes", attrs},
                         {"boundary", rings}});
    }
    j["zones"] = std::move(zones);
    Json stops = Json::array();
    for (const auto& s : d.stops)
        stops.push_back({{"code", s.code},
                         {"name", s.name},
                         {"lat", s.lat},
                         {"lon", s.lon},
                         {"node", s.node.value()},
                         {"modes", modes_to_json(s.modes)}});
    j["stops"] = std::move(stops);
    Json lines = Json::array();
    for (const auto& ln : d.lines) {
        Json st = Json::array(), lk = Json::array();
        for (auto s : ln.stops) st.push_back(s.value());
        for (auto l : ln.links) lk.push_back(l.value());
        lines.push_back({{"code", ln.code},
                         {"name", ln.name},
                         {"mode", mode_name(ln.mode)},
                         {"active", ln.active},
                         {"stops", st},
                         {"links", lk},
                         {"stop_link_pos", ln.stop_link_pos},
                         {"headway_peak_s", ln.headway_peak_s},
                         {"headway_offpeak_s", ln.headway_offpeak_s},
                         {"service_start_s", ln.service_start_s},
                         {"service_end_s", ln.service_end_s},
                         {"vehicle_capacity", ln.vehicle_capacity},
                         {"vehicle_pce", ln.vehicle_pce},
                         {"fare_krw", ln.fare_krw},
                         {"departures_s", ln.departures_s},
                         {"source", ln.source}});
    }
    j["lines"] = std::move(lines);
    Json bikes = Json::array();
    for (const auto& b : d.bike_stations)
        bikes.push_back({{"code", b.code},
                         {"name", b.name},
                         {"lat", b.lat},
                         {"lon", b.lon},
                         {"node", b.node.value()},
                         {"docks", b.docks}});
    j["bike_stations"] = std::move(bikes);
    return j;
}

template <class IdT>
IdT id_from(const JsonCursor& c) {
    const long long v = c.integer();
    if (v < 0 || v >= static_cast<long long>(IdT::kInvalid)) c.fail("id out of range");
    return IdT(static_cast<typename IdT::rep_type>(v));
}

std::vector<std::string> strings_from(const JsonCursor& c) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < c.size(); ++i) out.push_back(c.at(i).string());
    return out;
}

void links_from(const JsonCursor& c, NetworkData& d) {
    auto& L = d.links;
    L.geom_first.push_back(0);
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto e = c.at(i);
        L.from.push_back(id_from<NodeId>(e.at("from")));
        L.to.push_back(id_from<NodeId>(e.at("to")));
        L.length_m.push_back(e.number("length_m"));
        L.freeflow_speed_mps.push_back(e.number("speed_mps"));
        L.freeflow_time_s.push_back(e.number("freeflow_time_s"));
        L.lanes.push_back(static_cast<float>(e.number("lanes")));
        L.capacity_vph.push_back(e.number("capacity_vph"));
        L.storage_pce.push_back(e.number("storage_pce"));
        L.modes.push_back(modes_from_json(e.at("modes")));
        L.road_class.push_back(road_class_from(e.at("class")));
        const long long nm = e.integer("name");
        if (nm < 0 || nm >= static_cast<long long>(d.names.size()))
            e.at("name").fail("name index out of range");
        L.name.push_back(static_cast<std::uint32_t>(nm));
        L.bus_lane.push_back(e.boolean_or("bus_lane", false) ? 1 : 0);
        L.bike_lane.push_back(e.boolean_or("bike_lane", false) ? 1 : 0);
        L.bpr_alpha.push_back(e.number_or("bpr_alpha", 0.15));
        L.bpr_beta.push_back(e.number_or("bpr_beta", 4.0));
        L.toll.push_back(e.number_or("toll", 0.0));
        L.external_id.push_back(e.string_or("ext", ""));
        L.lanes_source.push_back(e.has("lanes_source") ? lanes_source_from(e.at("lanes_source"))
                                                       : LanesSource::Unspecified);
        if (e.has("geometry")) points_from(e.at("geometry"), L.geom_lat, L.geom_lon);
        L.geom_first.push_back(static_cast<std::uint32_t>(L.geom_lat.size()));
    }
}

/// [["schools", 3], ...] in the stored order (what modeshift writes), or an object
/// {"schools": 3, ...} (hand-written; its members in name order, as JSON keeps no order).
void attributes_from(const JsonCursor& a, Zone& z) {
    if (a.json().is_object()) {
        for (auto it = a.json().begin(); it != a.json().end(); ++it) {
            z.attr_names.push_back(it.key());
            z.attr_values.push_back(a.number(it.key()));
        }
        return;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto pair = a.at(i);
        if (pair.size() != 2 || !pair.json()[0].is_string())
            pair.fail("expected a [name, value] pair");
        z.attr_names.push_back(pair.at(0).string());
        z.attr_values.push_back(pair.at(1).number());
    }
}

void zones_from(const JsonCursor& c, NetworkData& d) {
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto e = c.at(i);
        Zone z;
        z.code = e.string("code");
        z.name = e.string_or("name", "");
        z.name_en = e.string_or("name_en", "");
        z.district = e.string_or("district", "");
        z.study_area = e.boolean_or("study_area", false);
        z.centroid = id_from<NodeId>(e.at("centroid"));
        z.lat = e.number_or("lat", 0);
        z.lon = e.number_or("lon", 0);
        z.population = e.number_or("population", 0);
        z.households = e.number_or("households", 0);
        z.area_km2 = e.number_or("area_km2", 0);
        if (e.has("attributes")) attributes_from(e.at("attributes"), z);
        z.ring_first.push_back(0);
        if (e.has("boundary")) {
            auto rings = e.at("boundary");
            for (std::size_t r = 0; r < rings.size(); ++r) {
                points_from(rings.at(r), z.ring_lat, z.ring_lon);
                z.ring_first.push_back(static_cast<std::uint32_t>(z.ring_lat.size()));
            }
        }
        if (z.ring_first.size() == 1) z.ring_first.clear();
        d.zones.push_back(std::move(z));
    }
}

void transit_from(const JsonCursor& j, NetworkData& d) {
    if (j.has("stops")) {
        auto c = j.at("stops");
        for (std::size_t i = 0; i < c.size(); ++i) {
            auto e = c.at(i);
            d.stops.push_back({e.string("code"), e.string_or("name", ""), e.number("lat"),
                               e.number("lon"), id_from<NodeId>(e.at("node")),
                               modes_from_json(e.at("modes"))});
        }
    }
    if (j.has("lines")) {
        auto c = j.at("lines");
        for (std::size_t i = 0; i < c.size(); ++i) {
            auto e = c.at(i);
            TransitLine ln;
            ln.code = e.string("code");
            ln.name = e.string_or("name", ln.code);
            auto md = parse_mode(e.string("mode"));
            if (!md) e.at("mode").fail("unknown mode");
            ln.mode = *md;
            ln.active = e.boolean_or("active", true);
            auto st = e.at("stops");
            for (std::size_t k = 0; k < st.size(); ++k)
                ln.stops.push_back(id_from<StopId>(st.at(k)));
            auto lk = e.at("links");
            for (std::size_t k = 0; k < lk.size(); ++k)
                ln.links.push_back(id_from<LinkId>(lk.at(k)));
            auto sp = e.at("stop_link_pos");
            for (std::size_t k = 0; k < sp.size(); ++k)
                ln.stop_link_pos.push_back(static_cast<std::uint32_t>(sp.at(k).integer()));
            ln.headway_peak_s = e.number("headway_peak_s");
            ln.headway_offpeak_s = e.number("headway_offpeak_s");
            ln.service_start_s = e.number("service_start_s");
            ln.service_end_s = e.number("service_end_s");
            ln.vehicle_capacity = e.number("vehicle_capacity");
            ln.vehicle_pce = e.number_or("vehicle_pce", 2.5);
            ln.fare_krw = e.number_or("fare_krw", 0);
            if (e.has("departures_s")) {
                auto dep = e.at("departures_s");
                for (std::size_t k = 0; k < dep.size(); ++k)
                    ln.departures_s.push_back(dep.at(k).number());
            }
            ln.source = e.string_or("source", "");
            d.lines.push_back(std::move(ln));
        }
    }
    if (j.has("bike_stations")) {
        auto c = j.at("bike_stations");
        for (std::size_t i = 0; i < c.size(); ++i) {
            auto e = c.at(i);
            d.bike_stations.push_back({e.string("code"), e.string_or("name", ""), e.number("lat"),
                                       e.number("lon"), id_from<NodeId>(e.at("node")),
                                       e.number_or("docks", 0)});
        }
    }
}

void nodes_from(const JsonCursor& nodes, NetworkData& d) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        auto n = nodes.at(i);
        d.nodes.lat.push_back(n.number("lat"));
        d.nodes.lon.push_back(n.number("lon"));
        d.nodes.external_id.push_back(n.string_or("ext", ""));
        const std::string control = n.string_or("control", "unknown");
        if (control == "unknown")
            d.nodes.control.push_back(NodeControl::Unknown);
        else if (control == "none")
            d.nodes.control.push_back(NodeControl::None);
        else if (control == "signal")
            d.nodes.control.push_back(NodeControl::Signal);
        else
            n.at("control").fail("must be \"unknown\", \"none\" or \"signal\"");
    }
}

/// name, source, ref, first_thru_node, names and notes.
void header_from(const JsonCursor& j, NetworkData& d) {
    d.name = j.string_or("name", "");
    d.source = j.string_or("source", "");
    if (j.has("ref")) {
        d.ref_lat = j.at("ref").number("lat");
        d.ref_lon = j.at("ref").number("lon");
    }
    if (j.has("first_thru_node")) {
        const long long f = j.integer("first_thru_node");
        if (f < 0 || f > 0xffffffffLL) j.at("first_thru_node").fail("must be a node index >= 0");
        d.first_thru_node = static_cast<std::uint32_t>(f);
    }
    if (j.has("names")) d.names = strings_from(j.at("names"));
    if (d.names.empty() || !d.names[0].empty()) d.names.insert(d.names.begin(), "");
    if (j.has("notes")) d.notes = strings_from(j.at("notes"));
}

void check_content_hash(const JsonCursor& j, const NetworkData& d, long long version) {
    if (!j.has("content_hash")) return;
    const auto stored = j.string("content_hash");
    // Schemas before 4 hashed links without lanes_source (network_legacy.hpp).
    const auto actual = hex64(version < 4 ? legacy::content_hash_v3(d) : network_content_hash(d));
    if (stored == actual) return;
    const bool unordered = version < 3 && std::any_of(d.zones.begin(), d.zones.end(), [](auto& z) {
                               return z.attr_names.size() > 1;
                           });
    j.at("content_hash")
        .fail(fmt::format(
            "stored hash {} does not match the content ({}): the file was changed after it was "
            "written; remove \"content_hash\" to accept hand edits{}",
            stored, actual,
            unordered ? " (a schema 2 file lost the order of the zone attributes: convert the "
                        "binary network again with this version)"
                      : ""));
}

NetworkData from_json(const Json& root, const std::string& file) {
    JsonCursor j(root, file);
    j.expect_object();
    if (!j.has("format") || j.at("format").json() != kJsonFormat)
        throw InputError(file, 0, "$.format",
                         "not a modeshift network file (expected \"modeshift-network\")");
    const long long ver = j.integer("schema_version");
    if (ver < kNetworkSchemaVersionRead || ver > kNetworkSchemaVersion)
        refuse_schema_version(file, "$.schema_version", "network", ver, kNetworkSchemaVersion,
                              "rebuild the network with this version of modeshift");
    NetworkData d;
    header_from(j, d);
    nodes_from(j.at("nodes"), d);
    links_from(j.at("links"), d);
    if (j.has("zones")) zones_from(j.at("zones"), d);
    transit_from(j, d);
    validate_network_data(d, file);
    check_content_hash(j, d, ver);
    return d;
}

}  // namespace

void write_network_json(const NetworkData& d, const std::filesystem::path& path) {
    write_text_atomic(path, to_json(d).dump(1) + "\n");
}

NetworkData read_network_json(const std::filesystem::path& path) {
    return from_json(read_json_file(path), path.string());
}

}  // namespace modeshift
