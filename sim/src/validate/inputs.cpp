#include "modeshift/validate/inputs.hpp"

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/report/tables.hpp"

namespace modeshift {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

namespace {

// ---------------------------------------------------------------- text

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

// ---------------------------------------------------------------- segment geometry

void check_lonlat(const JsonCursor& at, double lon, double lat) {
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
        at.fail(
            fmt::format("coordinate ({}, {}) is not a WGS84 longitude, latitude pair", lon, lat));
}

/// Appends the points of one part, skipping a first point equal to the previous last one.
void append_part(std::vector<LatLon>& out, const std::vector<LatLon>& part) {
    for (std::size_t i = 0; i < part.size(); ++i) {
        if (i == 0 && !out.empty() && out.back().lat == part[0].lat &&
            out.back().lon == part[0].lon)
            continue;
        out.push_back(part[i]);
    }
}

std::vector<LatLon> geojson_line(const JsonCursor& g) {
    g.expect_object();
    const std::string type = g.string("type");
    auto coords = g.at("coordinates");
    std::vector<LatLon> out;
    auto read_part = [&](const JsonCursor& part) {
        std::vector<LatLon> pts;
        for (std::size_t i = 0; i < part.size(); ++i) {
            auto p = part.at(i);
            if (p.size() < 2) p.fail("a position needs a longitude and a latitude");
            double lon = p.at(0).number(), lat = p.at(1).number();
            check_lonlat(p, lon, lat);
            pts.push_back({lat, lon});
        }
        append_part(out, pts);
    };
    if (type == "LineString") {
        read_part(coords);
    } else if (type == "MultiLineString") {
        for (std::size_t i = 0; i < coords.size(); ++i) read_part(coords.at(i));
    } else {
        g.at("type").fail(fmt::format("expected LineString or MultiLineString, got '{}'", type));
    }
    return out;
}

/// The "x y, x y, ..." positions of one WKT part.
std::vector<LatLon> wkt_part(const JsonCursor& at, std::string_view body) {
    std::vector<LatLon> part;
    std::size_t s = 0;
    while (s <= body.size()) {
        auto c = body.find(',', s);
        std::string tok =
            trim(body.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s));
        auto sp = tok.find_first_of(" \t");
        auto lon = sp == std::string::npos ? std::nullopt : parse_double(tok.substr(0, sp));
        auto lat = sp == std::string::npos ? std::nullopt : parse_double(trim(tok.substr(sp)));
        if (!lon || !lat) at.fail(fmt::format("bad WKT position '{}'", tok));
        check_lonlat(at, *lon, *lat);
        part.push_back({*lat, *lon});
        if (c == std::string_view::npos) break;
        s = c + 1;
    }
    return part;
}

/// WKT "LINESTRING (x y, ...)" or "MULTILINESTRING ((x y, ...), (...))".
std::vector<LatLon> wkt_line(const JsonCursor& at, const std::string& text) {
    std::string u = upper(trim(text));
    if (!u.starts_with("LINESTRING") && !u.starts_with("MULTILINESTRING"))
        at.fail("geometry string is neither GeoJSON nor a WKT LINESTRING / MULTILINESTRING");
    std::vector<LatLon> out;
    std::size_t pos = 0;
    while ((pos = u.find('(', pos)) != std::string::npos) {
        ++pos;
        if (pos < u.size() && u[pos] == '(') continue;  // the outer parenthesis of a multi
        auto end = u.find(')', pos);
        if (end == std::string::npos) at.fail("unbalanced parentheses in WKT geometry");
        append_part(out, wkt_part(at, std::string_view(u.data() + pos, end - pos)));
        pos = end + 1;
    }
    return out;
}

std::vector<LatLon> read_geometry(const JsonCursor& g) {
    if (g.json().is_string()) {
        const std::string s = g.string();
        Json parsed = Json::parse(s, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object())
            return geojson_line(JsonCursor(parsed, g.file(), g.path()));
        return wkt_line(g, s);
    }
    return geojson_line(g);
}

// ---------------------------------------------------------------- CSV rows

std::string hour_column(int h) {
    return fmt::format("h{:02}", h);
}

/// The records of a table keyed by `key_column` (trimmed; a key an earlier row had fails, named
/// `what`): `read_row(row, key)` fills each row, whose line is set.
template <class Row, class ReadRow>
std::vector<Row> read_keyed_rows(CsvReader& c, std::string_view key_column, std::string_view what,
                                 ReadRow read_row) {
    std::vector<Row> rows;
    std::set<std::string> seen;
    while (c.next()) {
        Row row;
        row.line = c.line();
        std::string key = trim(c.get(key_column));
        if (!seen.insert(key).second)
            c.fail(key_column, fmt::format("duplicate {} '{}'", what, key));
        read_row(row, std::move(key));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

std::vector<CorridorSegment> read_corridor_segments(const fs::path& path) {
    Json j = read_json_file(path);
    JsonCursor root(j, path.string());
    root.expect_object();
    auto segs = root.at("segments");
    std::vector<CorridorSegment> out;
    std::set<std::string> ids, keys;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        auto s = segs.at(i);
        s.expect_object();
        CorridorSegment cs;
        cs.segment_id = s.string("segment_id");
        if (cs.segment_id.empty()) s.at("segment_id").fail("empty segment id");
        if (!ids.insert(cs.segment_id).second)
            s.at("segment_id").fail(fmt::format("duplicate segment id '{}'", cs.segment_id));
        cs.road_name = s.string_or("road_name", "");
        cs.from_name = s.string_or("from_station_name", "");
        cs.to_name = s.string_or("to_station_name", "");
        if (s.has("directions")) {
            auto d = s.at("directions");
            d.expect_object();
            d.only_keys({"AB", "BA"});
            cs.key_ab = d.string("AB");
            cs.key_ba = d.string("BA");
        } else {
            cs.key_ab = cs.segment_id + "_AB";
            cs.key_ba = cs.segment_id + "_BA";
        }
        for (const auto* k : {&cs.key_ab, &cs.key_ba})
            if (k->empty() || !keys.insert(*k).second)
                s.at("directions")
                    .fail(fmt::format("direction key '{}' is empty or used twice", *k));
        cs.line = read_geometry(s.at("geometry"));
        if (cs.line.size() < 2 || polyline_length_m(cs.line) <= 0)
            s.at("geometry").fail("needs at least two distinct points");
        out.push_back(std::move(cs));
    }
    if (out.empty()) segs.fail("no segments");
    return out;
}

std::vector<ObservedSpeeds> read_observed_speeds(const fs::path& path,
                                                 const std::vector<CorridorSegment>& segments) {
    std::unordered_map<std::string, std::pair<std::size_t, bool>> by_key;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        by_key[segments[i].key_ab] = {i, false};
        by_key[segments[i].key_ba] = {i, true};
    }
    CsvReader c(path);
    std::vector<std::string> required = {"segment_key", "source"};
    for (int h = 0; h < kObservedHours; ++h) required.push_back(hour_column(h));
    c.require_columns(required);
    auto out = read_keyed_rows<ObservedSpeeds>(
        c, "segment_key", "segment key", [&](ObservedSpeeds& o, std::string key) {
            auto it = by_key.find(key);
            if (it == by_key.end())
                c.fail("segment_key", fmt::format("unknown segment key '{}': no segment direction "
                                                  "of that key in the segments file",
                                                  key));
            o.key = std::move(key);
            o.segment = it->second.first;
            o.reverse = it->second.second;
            o.from_name = c.get_opt("from_name").value_or("");
            o.to_name = c.get_opt("to_name").value_or("");
            o.source = trim(c.get("source"));
            if (o.source.empty()) c.fail("source", "every row needs a source");
            for (int h = 0; h < kObservedHours; ++h) {
                auto col = hour_column(h);
                auto v = c.get_double_opt(col);
                if (v && (*v <= 0 || *v > 200))
                    c.fail(col, fmt::format("speed {} km/h is outside (0, 200]", *v));
                o.kmh[static_cast<std::size_t>(h)] = v;
            }
        });
    if (out.empty()) throw InputError(c.file(), 0, "", "no observed speeds");
    return out;
}

namespace {

/// lat, lon and radius_m of a count: all three, or none (the busiest cross-section).
void read_count_place(const CsvReader& c, TrafficCount& t) {
    t.lat = c.get_double_opt("lat");
    t.lon = c.get_double_opt("lon");
    t.radius_m = c.get_double_opt("radius_m");
    if (t.lat.has_value() != t.lon.has_value())
        c.fail(t.lat ? "lon" : "lat", "give both lat and lon, or neither");
    if (t.lat && (*t.lat < -90 || *t.lat > 90)) c.fail("lat", "latitude outside [-90, 90]");
    if (t.lon && (*t.lon < -180 || *t.lon > 180)) c.fail("lon", "longitude outside [-180, 180]");
    if (t.lat && !t.radius_m) c.fail("radius_m", "a count with lat/lon needs a search radius");
    if (!t.lat && t.radius_m)
        c.fail("radius_m",
               "a radius without lat/lon (leave all three empty for the busiest cross-section)");
    if (t.radius_m && *t.radius_m <= 0) c.fail("radius_m", "must be > 0");
}

}  // namespace

std::vector<TrafficCount> read_traffic_counts(const fs::path& path) {
    CsvReader c(path);
    c.require_columns({"count_id", "road_name", "observed_veh_per_day", "source"});
    return read_keyed_rows<TrafficCount>(
        c, "count_id", "count id", [&](TrafficCount& t, std::string id) {
            t.count_id = std::move(id);
            if (t.count_id.empty()) c.fail("count_id", "empty count id");
            t.road_name = trim(c.get("road_name"));
            if (t.road_name.empty()) c.fail("road_name", "empty road name");
            t.observed_veh_per_day = c.get_double("observed_veh_per_day");
            if (t.observed_veh_per_day <= 0) c.fail("observed_veh_per_day", "must be > 0");
            read_count_place(c, t);
            if (auto y = c.get_opt("year")) {
                auto v = parse_int(trim(*y));
                if (!v) c.fail("year", fmt::format("expected an integer, got '{}'", *y));
                t.year = v;
            }
            t.what = c.get_opt("what").value_or("");
            t.source = trim(c.get("source"));
            if (t.source.empty()) c.fail("source", "every count needs a source");
        });
}

std::vector<LinkHour> read_link_hourly(const fs::path& path, const Network& net) {
    const auto& t = kLinkHourlyTable;
    CsvReader c(path);
    c.require_columns({t.link_id, t.hour, t.vehicles, t.mean_speed_kmh});
    const bool has_ext = c.has_column(t.external_id);
    std::vector<LinkHour> out;
    std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (link, hour) -> line
    while (c.next()) {
        long long id = c.get_int(t.link_id);
        if (id < 0 || static_cast<std::size_t>(id) >= net.link_count())
            c.fail(t.link_id, fmt::format("link {} is not in the network ({} links): was the run "
                                          "made on another network?",
                                          id, net.link_count()));
        LinkHour r;
        r.link = LinkId::from_index(id);
        if (has_ext) {
            const auto& want = net.data().links.external_id[r.link.index()];
            if (c.get(t.external_id) != want)
                c.fail(t.external_id, fmt::format("link {} is '{}' in the network but '{}' here: "
                                                  "the run used another network",
                                                  id, want, c.get(t.external_id)));
        }
        long long h = c.get_int(t.hour);
        if (h < 0 || h > 1000) c.fail(t.hour, fmt::format("hour {} out of range", h));
        r.hour = static_cast<std::uint32_t>(h);
        r.vehicles = c.get_double(t.vehicles);
        if (r.vehicles < 0) c.fail(t.vehicles, "must be >= 0");
        r.mean_speed_kmh = c.get_double(t.mean_speed_kmh);
        if (r.mean_speed_kmh < 0) c.fail(t.mean_speed_kmh, "must be >= 0");
        auto key = (static_cast<std::uint64_t>(r.link.value()) << 32) | r.hour;
        if (auto [it, fresh] = seen.try_emplace(key, c.line()); !fresh)
            c.fail(t.hour,
                   fmt::format("link {} hour {} already given on line {}", id, h, it->second));
        out.push_back(r);
    }
    return out;
}

}  // namespace modeshift
