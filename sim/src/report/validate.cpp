#include "modeshift/report/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift {

namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

// ---------------------------------------------------------------- geometry helpers

double bearing_deg(XY a, XY b) {
    double d = std::atan2(b.x_m - a.x_m, b.y_m - a.y_m) * 180.0 / kPi;
    return d < 0 ? d + 360.0 : d;
}

/// Smallest angle between two bearings, in [0, 180].
double angle_between(double a, double b) { return std::fabs(std::remainder(a - b, 360.0)); }

double dist(XY a, XY b) { return std::hypot(a.x_m - b.x_m, a.y_m - b.y_m); }

std::vector<XY> project(const Network& net, std::span<const LatLon> pts) {
    std::vector<XY> out;
    out.reserve(pts.size());
    for (const auto& p : pts) out.push_back(net.projection().to_xy(p));
    return out;
}

struct Nearest {
    double distance_m = std::numeric_limits<double>::infinity();
    double bearing = 0;     ///< of the polyline piece holding the nearest point
    double chainage_m = 0;  ///< along the polyline to the foot of q (see nearest_on)
};

/// Nearest point of a polyline to q; pieces of zero length are skipped (first piece wins ties).
/// The chainage is measured to the foot of q on the nearest piece, with the first and last pieces
/// extended beyond the ends (below 0, or beyond the length): a link overhanging a segment end is
/// seen to overhang.
Nearest nearest_on(std::span<const XY> line, XY q) {
    std::size_t first = line.size(), last = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i)
        if (dist(line[i], line[i + 1]) > 0) {
            first = std::min(first, i);
            last = i;
        }
    Nearest best;
    double along = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        XY a = line[i], b = line[i + 1];
        double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m, len2 = dx * dx + dy * dy;
        if (len2 <= 0) continue;
        const double t_free = ((q.x_m - a.x_m) * dx + (q.y_m - a.y_m) * dy) / len2;
        const double t = std::clamp(t_free, 0.0, 1.0);
        const double d = dist(q, {a.x_m + t * dx, a.y_m + t * dy});
        const double len = std::sqrt(len2);
        if (d < best.distance_m) {
            const double lo = i == first ? -std::numeric_limits<double>::infinity() : 0.0;
            const double hi = i == last ? std::numeric_limits<double>::infinity() : 1.0;
            best = {d, bearing_deg(a, b), along + std::clamp(t_free, lo, hi) * len};
        }
        along += len;
    }
    return best;
}

double xy_length_m(std::span<const XY> line) {
    double total = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) total += dist(line[i], line[i + 1]);
    return total;
}

struct LinkShape {
    XY mid;
    double bearing = 0;  ///< first to last point
};

LinkShape link_shape(const Network& net, LinkId l) {
    auto g = net.link_geometry(l);
    auto xy = project(net, g);
    return {polyline_midpoint(xy), xy.size() >= 2 ? bearing_deg(xy.front(), xy.back()) : 0.0};
}

// ---------------------------------------------------------------- geometry parsing

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

void check_lonlat(const JsonCursor& at, double lon, double lat) {
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
        at.fail(fmt::format("coordinate ({}, {}) is not a WGS84 longitude, latitude pair", lon, lat));
}

/// Appends the points of one part, skipping a first point equal to the previous last one.
void append_part(std::vector<LatLon>& out, const std::vector<LatLon>& part) {
    for (std::size_t i = 0; i < part.size(); ++i) {
        if (i == 0 && !out.empty() && out.back().lat == part[0].lat && out.back().lon == part[0].lon) continue;
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
        std::vector<LatLon> part;
        std::string_view body(u.data() + pos, end - pos);
        std::size_t s = 0;
        while (s <= body.size()) {
            auto c = body.find(',', s);
            std::string tok = trim(body.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s));
            auto sp = tok.find_first_of(" \t");
            auto lon = sp == std::string::npos ? std::nullopt : parse_double(tok.substr(0, sp));
            auto lat = sp == std::string::npos ? std::nullopt : parse_double(trim(tok.substr(sp)));
            if (!lon || !lat) at.fail(fmt::format("bad WKT position '{}'", tok));
            check_lonlat(at, *lon, *lat);
            part.push_back({*lat, *lon});
            if (c == std::string_view::npos) break;
            s = c + 1;
        }
        append_part(out, part);
        pos = end + 1;
    }
    return out;
}

std::vector<LatLon> read_geometry(const JsonCursor& g) {
    if (g.json().is_string()) {
        const std::string s = g.string();
        Json parsed = Json::parse(s, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object()) return geojson_line(JsonCursor(parsed, g.file(), g.path()));
        return wkt_line(g, s);
    }
    return geojson_line(g);
}

// ---------------------------------------------------------------- small helpers

std::string hour_column(int h) { return fmt::format("h{:02}", h); }

Json opt_json(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json stats_json(const ErrorStats& s) {
    if (s.n == 0)
        return Json{{"n", 0},           {"rmse_kmh", nullptr}, {"bias_kmh", nullptr},        {"mae_kmh", nullptr},
                    {"correlation", nullptr}, {"mean_observed_kmh", nullptr}, {"mean_simulated_kmh", nullptr}};
    return Json{{"n", s.n},
                {"rmse_kmh", s.rmse},
                {"bias_kmh", s.bias},
                {"mae_kmh", s.mae},
                {"correlation", opt_json(s.correlation)},
                {"mean_observed_kmh", s.mean_observed},
                {"mean_simulated_kmh", s.mean_simulated}};
}

std::string num(const std::optional<double>& v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

std::string link_list(std::span<const LinkId> links) {
    std::string s;
    for (auto l : links) {
        if (!s.empty()) s += ';';
        s += std::to_string(l.value());
    }
    return s;
}

bool file_exists(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

/// A relative path from summary.json: tried relative to the run directory, then as given.
fs::path resolve_from_run(const fs::path& p, const fs::path& run_dir) {
    if (p.is_relative() && file_exists(run_dir / p)) return run_dir / p;
    return p;
}

}  // namespace

// ---------------------------------------------------------------- readers

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
        if (!ids.insert(cs.segment_id).second) s.at("segment_id").fail(fmt::format("duplicate segment id '{}'", cs.segment_id));
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
                s.at("directions").fail(fmt::format("direction key '{}' is empty or used twice", *k));
        cs.line = read_geometry(s.at("geometry"));
        if (cs.line.size() < 2 || polyline_length_m(cs.line) <= 0)
            s.at("geometry").fail("needs at least two distinct points");
        out.push_back(std::move(cs));
    }
    if (out.empty()) segs.fail("no segments");
    return out;
}

std::vector<ObservedSpeeds> read_observed_speeds(const fs::path& path, const std::vector<CorridorSegment>& segments) {
    std::unordered_map<std::string, std::pair<std::size_t, bool>> by_key;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        by_key[segments[i].key_ab] = {i, false};
        by_key[segments[i].key_ba] = {i, true};
    }
    CsvReader c(path);
    std::vector<std::string> required = {"segment_key", "source"};
    for (int h = 0; h < kObservedHours; ++h) required.push_back(hour_column(h));
    for (const auto& col : required)
        if (!c.has_column(col)) throw InputError(c.file(), 1, col, "required column is missing from the header");
    std::vector<ObservedSpeeds> out;
    std::set<std::string> seen;
    while (c.next()) {
        ObservedSpeeds o;
        o.line = c.line();
        o.key = trim(c.get("segment_key"));
        auto it = by_key.find(o.key);
        if (it == by_key.end())
            c.fail("segment_key", fmt::format("unknown segment key '{}': no segment direction of that key in the segments file", o.key));
        if (!seen.insert(o.key).second) c.fail("segment_key", fmt::format("duplicate segment key '{}'", o.key));
        o.segment = it->second.first;
        o.reverse = it->second.second;
        o.from_name = c.get_opt("from_name").value_or("");
        o.to_name = c.get_opt("to_name").value_or("");
        o.source = trim(c.get("source"));
        if (o.source.empty()) c.fail("source", "every row needs a source");
        for (int h = 0; h < kObservedHours; ++h) {
            auto col = hour_column(h);
            auto v = c.get_double_opt(col);
            if (v && (*v <= 0 || *v > 200)) c.fail(col, fmt::format("speed {} km/h is outside (0, 200]", *v));
            o.kmh[static_cast<std::size_t>(h)] = v;
        }
        out.push_back(std::move(o));
    }
    if (out.empty()) throw InputError(c.file(), 0, "", "no observed speeds");
    return out;
}

std::vector<TrafficCount> read_traffic_counts(const fs::path& path) {
    CsvReader c(path);
    for (const char* col : {"count_id", "road_name", "observed_veh_per_day", "source"})
        if (!c.has_column(col)) throw InputError(c.file(), 1, col, "required column is missing from the header");
    std::vector<TrafficCount> out;
    std::set<std::string> ids;
    while (c.next()) {
        TrafficCount t;
        t.line = c.line();
        t.count_id = trim(c.get("count_id"));
        if (t.count_id.empty()) c.fail("count_id", "empty count id");
        if (!ids.insert(t.count_id).second) c.fail("count_id", fmt::format("duplicate count id '{}'", t.count_id));
        t.road_name = trim(c.get("road_name"));
        if (t.road_name.empty()) c.fail("road_name", "empty road name");
        t.observed_veh_per_day = c.get_double("observed_veh_per_day");
        if (t.observed_veh_per_day <= 0) c.fail("observed_veh_per_day", "must be > 0");
        t.lat = c.get_double_opt("lat");
        t.lon = c.get_double_opt("lon");
        t.radius_m = c.get_double_opt("radius_m");
        if (t.lat.has_value() != t.lon.has_value()) c.fail(t.lat ? "lon" : "lat", "give both lat and lon, or neither");
        if (t.lat && (*t.lat < -90 || *t.lat > 90)) c.fail("lat", "latitude outside [-90, 90]");
        if (t.lon && (*t.lon < -180 || *t.lon > 180)) c.fail("lon", "longitude outside [-180, 180]");
        if (t.lat && !t.radius_m) c.fail("radius_m", "a count with lat/lon needs a search radius");
        if (!t.lat && t.radius_m) c.fail("radius_m", "a radius without lat/lon (leave all three empty for the busiest cross-section)");
        if (t.radius_m && *t.radius_m <= 0) c.fail("radius_m", "must be > 0");
        if (auto y = c.get_opt("year")) {
            auto v = parse_int(trim(*y));
            if (!v) c.fail("year", fmt::format("expected an integer, got '{}'", *y));
            t.year = v;
        }
        t.what = c.get_opt("what").value_or("");
        t.source = trim(c.get("source"));
        if (t.source.empty()) c.fail("source", "every count needs a source");
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<LinkHour> read_link_hourly(const fs::path& path, const Network& net) {
    CsvReader c(path);
    for (const char* col : {"link_id", "hour", "vehicles", "mean_speed_kmh"})
        if (!c.has_column(col)) throw InputError(c.file(), 1, col, "required column is missing from the header");
    const bool has_ext = c.has_column("external_id");
    std::vector<LinkHour> out;
    std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (link, hour) -> line
    while (c.next()) {
        long long id = c.get_int("link_id");
        if (id < 0 || static_cast<std::size_t>(id) >= net.link_count())
            c.fail("link_id", fmt::format("link {} is not in the network ({} links): was the run made on another network?", id,
                                          net.link_count()));
        LinkHour r;
        r.link = LinkId::from_index(id);
        if (has_ext) {
            const auto& want = net.data().links.external_id[r.link.index()];
            if (c.get("external_id") != want)
                c.fail("external_id", fmt::format("link {} is '{}' in the network but '{}' here: the run used another network",
                                                  id, want, c.get("external_id")));
        }
        long long h = c.get_int("hour");
        if (h < 0 || h > 1000) c.fail("hour", fmt::format("hour {} out of range", h));
        r.hour = static_cast<std::uint32_t>(h);
        r.vehicles = c.get_double("vehicles");
        if (r.vehicles < 0) c.fail("vehicles", "must be >= 0");
        r.mean_speed_kmh = c.get_double("mean_speed_kmh");
        if (r.mean_speed_kmh < 0) c.fail("mean_speed_kmh", "must be >= 0");
        auto key = (static_cast<std::uint64_t>(r.link.value()) << 32) | r.hour;
        if (auto [it, fresh] = seen.try_emplace(key, c.line()); !fresh)
            c.fail("hour", fmt::format("link {} hour {} already given on line {}", id, h, it->second));
        out.push_back(r);
    }
    return out;
}

// ---------------------------------------------------------------- building blocks

bool is_road_link(const Network& net, LinkId l) {
    const RoadClass rc = net.data().links.road_class[l.index()];
    if (rc == RoadClass::Connector || rc == RoadClass::Rail || rc == RoadClass::Tram || rc == RoadClass::Path) return false;
    return allows(net.modes(l), Mode::Car);
}

XY polyline_midpoint(std::span<const XY> line) {
    if (line.empty()) return {};
    double want = xy_length_m(line) / 2;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        double d = dist(line[i], line[i + 1]);
        if (d > 0 && want <= d) {
            double f = want / d;
            return {line[i].x_m + f * (line[i + 1].x_m - line[i].x_m), line[i].y_m + f * (line[i + 1].y_m - line[i].y_m)};
        }
        want -= d;
    }
    return line.back();
}

std::vector<LinkMatch> match_corridor_links(const Network& net, std::span<const LatLon> line, bool reverse,
                                            double max_distance_m, double max_angle_deg) {
    const auto seg = project(net, line);
    const double seg_len = xy_length_m(seg);
    std::vector<LinkMatch> out;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        LinkId l = LinkId::from_index(i);
        if (!is_road_link(net, l)) continue;
        const auto shape = project(net, net.link_geometry(l));
        if (shape.size() < 2) continue;
        Nearest n = nearest_on(seg, polyline_midpoint(shape));
        if (!(n.distance_m <= max_distance_m)) continue;
        double dir = reverse ? std::fmod(n.bearing + 180.0, 360.0) : n.bearing;
        double a = angle_between(bearing_deg(shape.front(), shape.back()), dir);
        if (!(a <= max_angle_deg)) continue;
        // Where the link's ends fall along the segment, in the segment direction.
        auto along = [&](XY p) {
            const double c = nearest_on(seg, p).chainage_m;
            return reverse ? seg_len - c : c;
        };
        LinkMatch m{l, n.distance_m, a};
        const double raw_from = along(shape.front()), raw_to = along(shape.back());
        if (raw_to > raw_from) {
            m.from_m = std::clamp(raw_from, 0.0, seg_len);
            m.to_m = std::clamp(raw_to, 0.0, seg_len);
            m.inside_m = net.length_m(l) * (m.to_m - m.from_m) / (raw_to - raw_from);
        }
        out.push_back(m);
    }
    return out;
}

LengthAndTime drive_segment(std::span<const LinkMatch> links, std::span<const double> weight,
                            std::span<const double> speed_kmh) {
    MS_ASSERT(links.size() == weight.size() && links.size() == speed_kmh.size(), "links, weights and speeds differ in size");
    auto used = [&](std::size_t i) { return weight[i] > 0 && links[i].to_m > links[i].from_m && links[i].inside_m > 0; };
    std::vector<double> cuts;
    for (std::size_t i = 0; i < links.size(); ++i)
        if (used(i)) {
            cuts.push_back(links[i].from_m);
            cuts.push_back(links[i].to_m);
        }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    LengthAndTime r;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        double w = 0, len = 0, time = 0;
        for (std::size_t i = 0; i < links.size(); ++i) {
            if (!used(i) || links[i].from_m > cuts[k] || links[i].to_m < cuts[k + 1]) continue;
            // The link's own length over this piece (its geometry may be longer or shorter than
            // the chainage it spans), driven at its speed.
            const double piece = links[i].inside_m * (cuts[k + 1] - cuts[k]) / (links[i].to_m - links[i].from_m);
            w += weight[i];
            len += weight[i] * piece;
            time += weight[i] * piece / speed_kmh[i];
        }
        if (w <= 0) continue;
        r.length_m += len / w;
        r.time += time / w;
    }
    return r;
}

std::optional<double> segment_speed_kmh(std::span<const LinkMatch> links, std::span<const std::optional<LinkTraffic>> traffic) {
    MS_ASSERT(links.size() == traffic.size(), "links and traffic differ in size");
    std::vector<double> weight(links.size(), 0.0), speed(links.size(), 1.0);
    for (std::size_t i = 0; i < links.size(); ++i)
        if (traffic[i] && traffic[i]->vehicles > 0 && traffic[i]->speed_kmh > 0) {
            weight[i] = traffic[i]->vehicles;
            speed[i] = traffic[i]->speed_kmh;
        }
    const LengthAndTime d = drive_segment(links, weight, speed);
    if (!(d.time > 0)) return std::nullopt;
    return d.length_m / d.time;
}

ErrorStats error_stats(std::span<const double> observed, std::span<const double> simulated) {
    MS_ASSERT(observed.size() == simulated.size(), "observed and simulated differ in size");
    ErrorStats s;
    s.n = observed.size();
    if (s.n == 0) return s;
    const double n = static_cast<double>(s.n);
    double se = 0, sd = 0, sa = 0, so = 0, ss = 0;
    for (std::size_t i = 0; i < s.n; ++i) {
        double d = simulated[i] - observed[i];
        se += d * d;
        sd += d;
        sa += std::fabs(d);
        so += observed[i];
        ss += simulated[i];
    }
    s.rmse = std::sqrt(se / n);
    s.bias = sd / n;
    s.mae = sa / n;
    s.mean_observed = so / n;
    s.mean_simulated = ss / n;
    if (s.n >= 2) {
        double cov = 0, vo = 0, vs = 0;
        for (std::size_t i = 0; i < s.n; ++i) {
            double a = observed[i] - s.mean_observed, b = simulated[i] - s.mean_simulated;
            cov += a * b;
            vo += a * a;
            vs += b * b;
        }
        if (vo > 0 && vs > 0) s.correlation = cov / std::sqrt(vo * vs);
    }
    return s;
}

std::vector<double> daily_vehicles(const Network& net, std::span<const LinkHour> rows) {
    std::vector<double> d(net.link_count(), 0.0);
    for (const auto& r : rows)
        if (r.link.index() < d.size()) d[r.link.index()] += r.vehicles;
    return d;
}

CountResult evaluate_count(const Network& net, std::span<const double> daily, const TrafficCount& c) {
    MS_ASSERT(daily.size() == net.link_count(), "daily volumes do not match the network");
    CountResult res;
    res.count = c;
    std::vector<LinkId> named;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        LinkId l = LinkId::from_index(i);
        if (is_road_link(net, l) && net.link_name(l) == c.road_name) named.push_back(l);
    }
    if (named.empty()) {
        res.note = fmt::format("no road link named '{}' in the network", c.road_name);
        return res;
    }
    auto vol = [&](LinkId l) { return daily[l.index()]; };
    if (c.lat && c.lon) {
        const XY q = net.projection().to_xy({*c.lat, *c.lon});
        const double radius = c.radius_m.value_or(0);
        std::vector<std::pair<LinkId, LinkShape>> shapes;
        for (auto l : named) shapes.emplace_back(l, link_shape(net, l));
        const std::pair<LinkId, LinkShape>* first = nullptr;
        for (const auto& s : shapes)
            if (dist(s.second.mid, q) <= radius && (!first || dist(s.second.mid, q) < dist(first->second.mid, q))) first = &s;
        if (!first) {
            res.note = fmt::format("no '{}' link has its midpoint within {:.0f} m of ({}, {})", c.road_name, radius, *c.lat, *c.lon);
            return res;
        }
        const std::pair<LinkId, LinkShape>* opposite = nullptr;
        for (const auto& s : shapes) {
            if (angle_between(s.second.bearing, first->second.bearing) <= 90.0) continue;
            if (dist(s.second.mid, q) <= radius && (!opposite || dist(s.second.mid, q) < dist(opposite->second.mid, q)))
                opposite = &s;
        }
        res.links.push_back(first->first);
        double v = vol(first->first);
        if (opposite) {
            res.links.push_back(opposite->first);
            v += vol(opposite->first);
        }
        res.simulated_veh_per_day = v;
        res.note = fmt::format("point: link {} ({:.0f} m from the point){}", first->first.value(), dist(first->second.mid, q),
                               opposite ? fmt::format(" + opposite link {} ({:.0f} m)", opposite->first.value(),
                                                      dist(opposite->second.mid, q))
                                        : std::string(" (no opposite-direction link within the radius: one direction only)"));
    } else {
        double best = -1;
        std::vector<LinkId> best_links;
        for (auto l : named) {
            LinkId rev;
            for (LinkId o : net.out_links(net.to(l)))
                if (net.to(o) == net.from(l) && is_road_link(net, o) && (!rev.valid() || net.link_name(o) == c.road_name)) rev = o;
            double v = vol(l) + (rev.valid() ? vol(rev) : 0.0);
            if (v > best) {
                best = v;
                best_links = {l};
                if (rev.valid()) best_links.push_back(rev);
            }
        }
        res.simulated_veh_per_day = best;
        res.links = best_links;
        res.note = fmt::format("busiest cross-section of {} '{}' links: link {}{}", named.size(), c.road_name,
                               best_links[0].value(),
                               best_links.size() > 1 ? fmt::format(" + reverse link {}", best_links[1].value())
                                                     : std::string(" (no reverse link: one direction only)"));
    }
    res.ratio = *res.simulated_veh_per_day / c.observed_veh_per_day;
    return res;
}

// ---------------------------------------------------------------- the command

std::vector<fs::path> default_data_dirs(const RunSummary& s, const fs::path& run_dir) {
    std::vector<fs::path> dirs;
    if (!s.scenario_file.empty()) {
        fs::path sc = s.scenario_file;
        dirs.push_back((sc.parent_path() / "data").lexically_normal());
        if (sc.is_relative()) dirs.push_back((run_dir / sc.parent_path() / "data").lexically_normal());
    }
    dirs.push_back(fs::path("scenarios") / "data");
    // The repository the network file lives in: networks/<name>/<file> -> scenarios/data.
    if (!s.network_file.empty()) {
        fs::path n = fs::path(s.network_file).lexically_normal();
        if (n.has_parent_path() && n.parent_path().has_parent_path() && n.parent_path().parent_path().filename() == "networks")
            dirs.push_back(n.parent_path().parent_path().parent_path() / "scenarios" / "data");
    }
    return dirs;
}

ValidationResult validate_run(const ValidateOptions& opt) {
    if (!std::isfinite(opt.min_sampled_vehicles) || opt.min_sampled_vehicles < 0 || opt.min_sampled_vehicles > 1e6)
        throw InputError("--min-vehicles", 0, "min_sampled_vehicles",
                         fmt::format("{} is not a vehicle count in [0, 1e6]", opt.min_sampled_vehicles));
    ValidationResult r;
    r.run_dir = opt.run_dir;
    const RunSummary summary = read_summary_json(opt.run_dir / kSummaryFile);
    r.scenario = summary.scenario;

    // --- the network of the run
    fs::path net_file = opt.network.empty() ? resolve_from_run(summary.network_file, opt.run_dir) : opt.network;
    if (net_file.empty())
        throw InputError((opt.run_dir / kSummaryFile).string(), 0, "$.provenance.network_file",
                         "names no network file: pass --network");
    if (!file_exists(net_file))
        throw InputError((opt.run_dir / kSummaryFile).string(), 0, "$.provenance.network_file",
                         fmt::format("network file '{}' not found: pass --network", net_file.string()));
    r.network_file = net_file;
    const Network net(read_network(net_file), net_file.string());
    if (!summary.network_hash.empty() && hex64(net.content_hash()) != summary.network_hash)
        r.notes.push_back(fmt::format("network file {} has content hash {} but the run used {}", net_file.string(),
                                      hex64(net.content_hash()), summary.network_hash));

    // --- inputs (defaults from the scenario data folder)
    const auto dirs = default_data_dirs(summary, opt.run_dir);
    auto find_default = [&](const char* rel) -> fs::path {
        for (const auto& d : dirs)
            if (file_exists(d / rel)) return d / rel;
        return {};
    };
    auto input = [&](const fs::path& given, const char* rel, const char* flag) -> fs::path {
        if (!given.empty()) return given;
        fs::path p = find_default(rel);
        if (p.empty()) {
            std::string tried;
            for (const auto& d : dirs) {
                if (!tried.empty()) tried += ", ";
                tried += (d / rel).string();
            }
            throw InputError(rel, 0, flag, fmt::format("default file not found (tried {}): pass {}", tried, flag));
        }
        return p;
    };
    r.speeds_file = input(opt.speeds, kDefaultSpeedsFile, "--speeds");
    r.segments_file = input(opt.segments, kDefaultSegmentsFile, "--segments");
    if (opt.use_counts) {
        r.counts_file = opt.counts.empty() ? find_default(kDefaultCountsFile) : opt.counts;
        if (r.counts_file.empty()) r.notes.push_back("no counts file found (scenarios/data/traffic_counts.csv): counts skipped");
    }

    const auto segments = read_corridor_segments(r.segments_file);
    const auto observed = read_observed_speeds(r.speeds_file, segments);
    for (const auto& o : observed)
        if (std::find(r.speed_sources.begin(), r.speed_sources.end(), o.source) == r.speed_sources.end())
            r.speed_sources.push_back(o.source);
    const auto hourly = read_link_hourly(opt.run_dir / "link_hourly.csv", net);

    std::unordered_map<std::uint64_t, const LinkHour*> cell;
    std::size_t late = 0;
    for (const auto& h : hourly) {
        if (h.hour >= kObservedHours) ++late;
        cell[(static_cast<std::uint64_t>(h.link.value()) << 32) | h.hour] = &h;
    }
    if (late > 0)
        r.notes.push_back(fmt::format("{} link-hours after midnight (hour >= 24) are not compared with the observed speeds", late));

    // --- corridor speeds
    r.min_sampled_vehicles = opt.min_sampled_vehicles;
    std::vector<double> all_obs, all_sim, day_obs, day_sim;
    std::array<std::vector<double>, kObservedHours> hour_obs, hour_sim;
    for (const auto& o : observed) {
        const CorridorSegment& cs = segments[o.segment];
        SegmentResult s;
        s.key = o.key;
        s.segment_id = cs.segment_id;
        s.road_name = cs.road_name;
        s.direction = o.reverse ? "BA" : "AB";
        s.from_name = o.from_name.empty() ? (o.reverse ? cs.to_name : cs.from_name) : o.from_name;
        s.to_name = o.to_name.empty() ? (o.reverse ? cs.from_name : cs.to_name) : o.to_name;
        s.segment_length_m = polyline_length_m(cs.line);
        s.links = match_corridor_links(net, cs.line, o.reverse);
        s.matched_length_m = drive_segment(s.links, std::vector<double>(s.links.size(), 1.0),
                                           std::vector<double>(s.links.size(), 1.0)).length_m;
        s.coverage = s.segment_length_m > 0 ? s.matched_length_m / s.segment_length_m : 0.0;
        s.low_coverage = s.coverage < kLowCoverageShare;
        std::vector<double> so, ss;
        for (int h = 0; h < kObservedHours; ++h) {
            const auto hi = static_cast<std::size_t>(h);
            SegmentHour& sh = s.hours[hi];
            sh.hour = h;
            sh.observed_kmh = o.kmh[hi];
            std::vector<std::optional<LinkTraffic>> traffic;
            for (const auto& m : s.links) {
                auto it = cell.find((static_cast<std::uint64_t>(m.link.value()) << 32) | static_cast<std::uint32_t>(h));
                std::optional<LinkTraffic> t;
                if (it != cell.end() && it->second->vehicles > 0 && it->second->mean_speed_kmh > 0) {
                    ++sh.links_with_traffic;
                    if (it->second->vehicles * summary.sample_fraction >= opt.min_sampled_vehicles - 1e-9)
                        t = LinkTraffic{it->second->vehicles, it->second->mean_speed_kmh};
                }
                traffic.push_back(t);
            }
            sh.simulated_kmh = segment_speed_kmh(s.links, traffic);
            if (!sh.observed_kmh) continue;
            if (!sh.simulated_kmh) {
                if (sh.links_with_traffic > 0) ++r.sparse;
                ++s.hours_missing;
                ++r.missing;
                ++r.hours[hi].missing;
                continue;
            }
            so.push_back(*sh.observed_kmh);
            ss.push_back(*sh.simulated_kmh);
            hour_obs[hi].push_back(*sh.observed_kmh);
            hour_sim[hi].push_back(*sh.simulated_kmh);
        }
        s.stats = error_stats(so, ss);
        all_obs.insert(all_obs.end(), so.begin(), so.end());
        all_sim.insert(all_sim.end(), ss.begin(), ss.end());
        if (s.links.empty()) r.notes.push_back(fmt::format("{}: no road link matches the segment", s.key));
        r.segments.push_back(std::move(s));
    }
    for (int h = 0; h < kObservedHours; ++h) {
        const auto hi = static_cast<std::size_t>(h);
        r.hours[hi].hour = h;
        r.hours[hi].stats = error_stats(hour_obs[hi], hour_sim[hi]);
    }
    r.overall = error_stats(all_obs, all_sim);
    for (int h = kDaytimeFirstHour; h < kObservedHours; ++h) {
        const auto hi = static_cast<std::size_t>(h);
        day_obs.insert(day_obs.end(), hour_obs[hi].begin(), hour_obs[hi].end());
        day_sim.insert(day_sim.end(), hour_sim[hi].begin(), hour_sim[hi].end());
    }
    r.daytime = error_stats(day_obs, day_sim);

    // --- counts
    if (!r.counts_file.empty()) {
        const auto counts = read_traffic_counts(r.counts_file);
        const auto daily = daily_vehicles(net, hourly);
        double ratio_sum = 0;
        for (const auto& c : counts) {
            CountResult cr = evaluate_count(net, daily, c);
            if (cr.ratio) {
                ++r.counts_compared;
                ratio_sum += *cr.ratio;
                if (*cr.ratio >= kCountRatioLow && *cr.ratio <= kCountRatioHigh) ++r.within;
            } else {
                r.notes.push_back(fmt::format("count {}: {}", c.count_id, cr.note));
            }
            r.counts.push_back(std::move(cr));
        }
        if (r.counts_compared > 0) {
            r.mean_ratio = ratio_sum / static_cast<double>(r.counts_compared);
            r.share_within = static_cast<double>(r.within) / static_cast<double>(r.counts_compared);
        }
    }
    return r;
}

// ---------------------------------------------------------------- outputs

std::string validation_json(const ValidationResult& r) {
    Json j;
    j["format"] = "modeshift-validation";
    j["schema_version"] = 1;
    j["run_dir"] = r.run_dir.string();
    j["scenario"] = r.scenario;
    j["network_file"] = r.network_file.string();
    j["inputs"] = {{"speeds", r.speeds_file.string()},
                   {"speed_sources", r.speed_sources},
                   {"segments", r.segments_file.string()},
                   {"counts", r.counts_file.empty() ? Json(nullptr) : Json(r.counts_file.string())}};
    j["rules"] = {{"match_distance_m", kMatchDistanceM},
                  {"match_angle_deg", kMatchAngleDeg},
                  {"low_coverage_share", kLowCoverageShare},
                  {"simulated_speed", "the segment cut at every matched link end; each piece driven over the links with traffic in the hour that cover it, their lengths and travel times averaged by the links' vehicles; speed = total length / total time (links in a row: length-weighted harmonic mean; links side by side: vehicle-weighted)"},
                  {"bias", "simulated - observed, km/h"},
                  {"count_ratio_band", {kCountRatioLow, kCountRatioHigh}}};

    Json speeds;
    Json overall = stats_json(r.overall);
    overall["missing"] = r.missing;
    overall["missing_too_few_vehicles"] = r.sparse;
    overall["min_sampled_vehicles"] = r.min_sampled_vehicles;
    speeds["overall"] = overall;
    Json day = stats_json(r.daytime);
    day["hours"] = fmt::format("{:02}-23", kDaytimeFirstHour);
    speeds["daytime"] = day;
    Json hours = Json::array();
    for (const auto& h : r.hours) {
        Json hj = stats_json(h.stats);
        hj["hour"] = h.hour;
        hj["missing"] = h.missing;
        hours.push_back(hj);
    }
    speeds["hours"] = hours;
    Json segs = Json::array(), low = Json::array();
    for (const auto& s : r.segments) {
        Json links = Json::array(), spans = Json::array();
        for (const auto& m : s.links) {
            links.push_back(m.link.value());
            // Where each link lies along the segment: how the simulated speed was driven.
            spans.push_back({{"link", m.link.value()}, {"from_m", m.from_m}, {"to_m", m.to_m}, {"inside_m", m.inside_m}});
        }
        Json st = stats_json(s.stats);
        segs.push_back({{"key", s.key},
                        {"segment_id", s.segment_id},
                        {"direction", s.direction},
                        {"road_name", s.road_name},
                        {"from", s.from_name},
                        {"to", s.to_name},
                        {"segment_length_m", s.segment_length_m},
                        {"matched_length_m", s.matched_length_m},
                        {"coverage", s.coverage},
                        {"low_coverage", s.low_coverage},
                        {"links", links},
                        {"link_spans", spans},
                        {"hours_compared", s.stats.n},
                        {"hours_missing", s.hours_missing},
                        {"rmse_kmh", st["rmse_kmh"]},
                        {"bias_kmh", st["bias_kmh"]}});
        if (s.low_coverage) low.push_back(s.key);
    }
    speeds["segments"] = segs;
    speeds["low_coverage"] = low;
    j["speeds"] = speeds;

    if (r.counts_file.empty()) {
        j["counts"] = nullptr;
    } else {
        Json rows = Json::array();
        for (const auto& c : r.counts) {
            Json links = Json::array();
            for (auto l : c.links) links.push_back(l.value());
            rows.push_back({{"count_id", c.count.count_id},
                            {"road_name", c.count.road_name},
                            {"observed_veh_per_day", c.count.observed_veh_per_day},
                            {"simulated_veh_per_day", opt_json(c.simulated_veh_per_day)},
                            {"ratio", opt_json(c.ratio)},
                            {"year", c.count.year ? Json(*c.count.year) : Json(nullptr)},
                            {"what", c.count.what},
                            {"source", c.count.source},
                            {"links", links},
                            {"note", c.note}});
        }
        j["counts"] = {{"n", r.counts.size()},
                       {"compared", r.counts_compared},
                       {"mean_ratio", opt_json(r.mean_ratio)},
                       {"within_band", r.within},
                       {"share_within_band", opt_json(r.share_within)},
                       {"rows", rows}};
    }
    j["notes"] = r.notes;
    return j.dump(2) + "\n";
}

std::string validation_speeds_csv(const ValidationResult& r) {
    std::string o = "segment,direction,road_name,hour,observed_kmh,simulated_kmh,diff_kmh,links_matched,links_with_traffic,matched_length_m\n";
    for (const auto& s : r.segments)
        for (const auto& h : s.hours) {
            std::optional<double> diff;
            if (h.observed_kmh && h.simulated_kmh) diff = *h.simulated_kmh - *h.observed_kmh;
            o += fmt::format("{},{},{},{},{},{},{},{},{},{:.1f}\n", csv_field(s.key), s.direction, csv_field(s.road_name), h.hour,
                             num(h.observed_kmh, 1), num(h.simulated_kmh, 2), num(diff, 2), s.links.size(),
                             h.links_with_traffic, s.matched_length_m);
        }
    return o;
}

std::string validation_counts_csv(const ValidationResult& r) {
    std::string o = "count_id,road_name,observed_veh_per_day,simulated_veh_per_day,ratio,year,links,note\n";
    for (const auto& c : r.counts)
        o += fmt::format("{},{},{:.0f},{},{},{},{},{}\n", csv_field(c.count.count_id), csv_field(c.count.road_name),
                         c.count.observed_veh_per_day, num(c.simulated_veh_per_day, 0), num(c.ratio, 3),
                         c.count.year ? std::to_string(*c.count.year) : std::string(), link_list(c.links), csv_field(c.note));
    return o;
}

std::string validation_table(const ValidationResult& r) {
    std::string o;
    const auto& a = r.overall;
    o += fmt::format("corridor speeds: {} segment directions, {} segment-hours compared, {} missing ({} with fewer than {:g} "
                     "simulated vehicles)\n",
                     r.segments.size(), a.n, r.missing, r.sparse, r.min_sampled_vehicles);
    auto line = [&](const char* label, const ErrorStats& e) {
        if (e.n > 0)
            o += fmt::format("  {} RMSE {:.1f} km/h  bias {:+.1f} km/h (simulated - observed)  MAE {:.1f} km/h  r {}\n", label,
                             e.rmse, e.bias, e.mae, e.correlation ? fmt::format("{:.2f}", *e.correlation) : std::string("n/a"));
    };
    line("overall     ", a);
    line(fmt::format("{:02}-23 h     ", kDaytimeFirstHour).c_str(), r.daytime);
    o += "  hour   n  observed  simulated   bias   RMSE  (mean km/h over segments)\n";
    for (const auto& h : r.hours) {
        if (h.stats.n == 0) {
            o += fmt::format("  {:02}   {:>2}  {:>8}  {:>9}  (missing {})\n", h.hour, 0, "-", "-", h.missing);
            continue;
        }
        o += fmt::format("  {:02}   {:>2}  {:8.1f}  {:9.1f}  {:+5.1f}  {:5.1f}\n", h.hour, h.stats.n, h.stats.mean_observed,
                         h.stats.mean_simulated, h.stats.bias, h.stats.rmse);
    }
    std::string low;
    for (const auto& s : r.segments)
        if (s.low_coverage) low += fmt::format("{}{} {:.1f} %", low.empty() ? "" : ", ", s.key, 100 * s.coverage);
    if (!low.empty()) o += fmt::format("  low coverage (< {:.0f} % of the segment matched): {}\n", 100 * kLowCoverageShare, low);
    if (!r.counts_file.empty()) {
        o += fmt::format("counts: {} of {} located", r.counts_compared, r.counts.size());
        if (r.mean_ratio)
            o += fmt::format("; mean ratio {:.2f}, {} of {} within [{}, {}]", *r.mean_ratio, r.within, r.counts_compared,
                             kCountRatioLow, kCountRatioHigh);
        o += "\n";
        for (const auto& c : r.counts)
            o += fmt::format("  {:<24} {:<10} observed {:>7.0f}  simulated {:>7}  ratio {}\n", c.count.count_id, c.count.road_name,
                             c.count.observed_veh_per_day, c.simulated_veh_per_day ? num(c.simulated_veh_per_day, 0) : "n/a",
                             c.ratio ? num(c.ratio, 2) : "n/a");
    }
    for (const auto& n : r.notes) o += fmt::format("note: {}\n", n);
    return o;
}

std::vector<fs::path> write_validation(const ValidationResult& r, const fs::path& dir) {
    fs::create_directories(dir);
    std::vector<fs::path> out = {dir / "validation_speeds.csv"};
    write_text_atomic(out.back(), validation_speeds_csv(r));
    if (!r.counts_file.empty()) {
        out.push_back(dir / "validation_counts.csv");
        write_text_atomic(out.back(), validation_counts_csv(r));
    }
    out.push_back(dir / "validation.json");
    write_text_atomic(out.back(), validation_json(r));
    return out;
}

}  // namespace modeshift
