// GeoJSON study-area boundaries and point-in-polygon tests.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift {
namespace {

struct RingReader {
    std::size_t repaired = 0;

    std::vector<LatLon> ring(const JsonCursor& c) {
        c.expect_array();
        std::vector<LatLon> pts;
        for (std::size_t i = 0; i < c.size(); ++i) {
            const auto p = c.at(i);
            if (p.size() < 2) p.fail("a position needs [lon, lat]");
            const double lon = p.at(std::size_t{0}).number();
            const double lat = p.at(std::size_t{1}).number();
            if (std::abs(lat) > 90 || std::abs(lon) > 180)
                p.fail(fmt::format("coordinate ({}, {}) is outside WGS84 range", lon, lat));
            pts.push_back({lat, lon});
        }
        // Consecutive duplicates carry no area; drop them before counting vertices.
        pts.erase(std::unique(pts.begin(), pts.end(),
                              [](LatLon a, LatLon b) { return a.lat == b.lat && a.lon == b.lon; }),
                  pts.end());
        if (pts.size() >= 2 &&
            (pts.front().lat != pts.back().lat || pts.front().lon != pts.back().lon)) {
            pts.push_back(
                pts.front());  // GeoJSON requires closed rings; closing is the obvious repair
            ++repaired;
        }
        if (pts.size() < 4) c.fail("a polygon ring needs at least 3 distinct points");
        return pts;
    }
};

}  // namespace

Boundary Boundary::read_geojson(const std::filesystem::path& path, const std::string& where) {
    const Json doc = read_json_file(path);
    const JsonCursor root(doc, path.string());
    std::string key, value;
    if (!where.empty()) {
        const auto eq = where.find('=');
        if (eq == std::string::npos || eq == 0)
            throw InputError(path.string(), 0, "--boundary-where",
                             "expected key=value, e.g. gu=서구");
        key = where.substr(0, eq);
        value = where.substr(eq + 1);
    }
    Boundary b;
    RingReader rr;
    auto add_polygon = [&](const JsonCursor& rings) {
        rings.expect_array();
        if (rings.size() == 0) rings.fail("a polygon needs at least one ring");
        Polygon poly;
        poly.min_lat = poly.min_lon = 1e9;
        poly.max_lat = poly.max_lon = -1e9;
        for (std::size_t r = 0; r < rings.size(); ++r) {
            Ring ring{rr.ring(rings.at(r))};
            for (auto p : ring.pts) {
                poly.min_lat = std::min(poly.min_lat, p.lat);
                poly.max_lat = std::max(poly.max_lat, p.lat);
                poly.min_lon = std::min(poly.min_lon, p.lon);
                poly.max_lon = std::max(poly.max_lon, p.lon);
            }
            poly.rings.push_back(std::move(ring));
        }
        b.polys_.push_back(std::move(poly));
    };
    auto add_geometry = [&](const JsonCursor& g) {
        const auto type = g.string("type");
        if (type == "Polygon") {
            add_polygon(g.at("coordinates"));
        } else if (type == "MultiPolygon") {
            const auto c = g.at("coordinates");
            for (std::size_t i = 0; i < c.size(); ++i) add_polygon(c.at(i));
        } else {
            g.at("type").fail(
                fmt::format("geometry type '{}' is not an area (Polygon or MultiPolygon)", type));
        }
    };
    auto matches = [&](const JsonCursor& f) {
        if (key.empty()) return true;
        if (!f.has("properties") || !f.json()["properties"].is_object()) return false;
        const auto& props = f.json()["properties"];
        if (!props.contains(key)) return false;
        const auto& v = props[key];
        return v.is_string() ? v.get<std::string>() == value : v.dump() == value;
    };
    const auto type = root.string("type");
    if (type == "FeatureCollection") {
        const auto feats = root.at("features");
        for (std::size_t i = 0; i < feats.size(); ++i) {
            const auto f = feats.at(i);
            if (matches(f)) add_geometry(f.at("geometry"));
        }
    } else if (type == "Feature") {
        if (matches(root)) add_geometry(root.at("geometry"));
    } else {
        if (!key.empty())
            throw InputError(path.string(), 0, where,
                             "a bare geometry has no properties to select by");
        add_geometry(root);
    }
    if (b.polys_.empty())
        throw InputError(path.string(), 0, where.empty() ? "features" : where,
                         "no polygon selected: the boundary would be empty");
    b.repaired_rings_ = rr.repaired;
    return b;
}

bool Boundary::contains(LatLon p) const {
    for (const auto& poly : polys_) {
        if (p.lat < poly.min_lat || p.lat > poly.max_lat || p.lon < poly.min_lon ||
            p.lon > poly.max_lon)
            continue;
        // Even-odd over all rings of the polygon: a point in a hole is outside.
        bool inside = false;
        for (const auto& ring : poly.rings)
            if (ring_contains(ring.pts, p)) inside = !inside;
        if (inside) return true;
    }
    return false;
}

}  // namespace modeshift
