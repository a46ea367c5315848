// Sourced default tables of the OSM importer and the maxspeed parser.
#include <fmt/format.h>

#include <cctype>

#include "modeshift/core/error.hpp"
#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift {
namespace {

RoadClass parse_road_class(const CsvReader& r, const std::string& s) {
    for (int i = 0; i <= static_cast<int>(RoadClass::Other); ++i) {
        const auto c = static_cast<RoadClass>(i);
        if (road_class_name(c) == s) return c;
    }
    r.fail("road_class", fmt::format("unknown road class '{}'", s));
}

ModeMask parse_modes(const CsvReader& r, const std::string& s) {
    ModeMask m = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto end = std::min(s.find('|', start), s.size());
        const auto tok = s.substr(start, end - start);
        const auto mode = parse_mode(tok);
        if (!mode) r.fail("modes", fmt::format("unknown mode '{}'", tok));
        m |= mode_bit(*mode);
        start = end + 1;
    }
    return m;
}

double positive(const CsvReader& r, const char* col) {
    const double v = r.get_double(col);
    if (!(v > 0)) r.fail(col, "must be > 0");
    return v;
}

}  // namespace

std::filesystem::path default_osm_tables_dir() {
    return std::filesystem::path(MODESHIFT_OSM_TABLES_DIR);
}

OsmTables read_osm_tables(const std::filesystem::path& dir) {
    OsmTables t;
    {
        CsvReader r(dir / "osm_defaults.csv");
        while (r.next()) {
            const auto& tag = r.get("tag");
            if (tag.find('=') == std::string::npos) r.fail("tag", "expected key=value");
            r.get_nonempty("source", "every default needs a source");
            OsmWayDefaults d;
            d.road_class = parse_road_class(r, r.get("road_class"));
            d.lanes_per_direction = static_cast<float>(positive(r, "lanes_per_direction"));
            d.speed_kmh = positive(r, "speed_kmh");
            d.capacity_per_lane_vph = positive(r, "capacity_per_lane_vph");
            d.oneway = r.get_int("oneway") != 0;
            d.modes = parse_modes(r, r.get("modes"));
            if (!t.ways.emplace(tag, d).second)
                r.fail("tag", fmt::format("duplicate tag '{}'", tag));
        }
    }
    {
        CsvReader r(dir / "osm_maxspeed_zones.csv");
        while (r.next()) {
            r.get_nonempty("source", "every value needs a source");
            if (!t.maxspeed_zones_kmh.emplace(r.get("zone"), positive(r, "speed_kmh")).second)
                r.fail("zone", "duplicate zone");
        }
    }
    {
        CsvReader r(dir / "osm_transit_defaults.csv");
        while (r.next()) {
            OsmTransitDefaults d;
            const auto mode = parse_mode(r.get("mode"));
            if (!mode || !(*mode == Mode::Bus || *mode == Mode::Metro || *mode == Mode::Tram))
                r.fail("mode", "expected bus, metro or tram");
            d.mode = *mode;
            d.headway_peak_s = positive(r, "headway_peak_s");
            d.headway_offpeak_s = positive(r, "headway_offpeak_s");
            d.vehicle_capacity = positive(r, "vehicle_capacity");
            d.vehicle_pce = r.get_double("vehicle_pce");
            d.source = r.get_nonempty("source", "every default needs a source");
            if (!t.transit.emplace(r.get("route"), d).second) r.fail("route", "duplicate route");
        }
    }
    return t;
}

std::optional<double> parse_maxspeed_kmh(const std::string& value, const OsmTables& tables) {
    std::string v = value;
    // "50;70" (several limits): the first one applies to the whole way.
    if (auto semi = v.find(';'); semi != std::string::npos) v.resize(semi);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
    if (v.empty()) return std::nullopt;
    if (auto it = tables.maxspeed_zones_kmh.find(v); it != tables.maxspeed_zones_kmh.end())
        return it->second;
    // "KR:zone30" style.
    if (auto colon = v.find(":zone"); colon != std::string::npos) {
        auto n = parse_double(v.substr(colon + 5));
        if (n && *n > 0) return *n;
    }
    double factor = 1.0;
    if (v.size() > 3 && v.substr(v.size() - 3) == "mph") {
        factor = 1.609344;
        v.resize(v.size() - 3);
    } else if (v.size() > 4 && v.substr(v.size() - 4) == "km/h") {
        v.resize(v.size() - 4);
    } else if (v.size() > 3 && v.substr(v.size() - 3) == "kmh") {
        v.resize(v.size() - 3);
    } else if (v.size() > 5 && v.substr(v.size() - 5) == "knots") {
        factor = 1.852;
        v.resize(v.size() - 5);
    }
    const auto n = parse_double(v);
    if (!n || *n <= 0 || *n > 400) return std::nullopt;
    return *n * factor;
}

}  // namespace modeshift
