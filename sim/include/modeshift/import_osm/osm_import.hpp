#pragma once
/// OpenStreetMap importer: highways, railways and public-transport route relations of an
/// .osm / .osm.gz / .osm.bz2 / .osm.pbf file become a multimodal NetworkData.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Default attributes of one OSM way class (a row of networks/osm/osm_defaults.csv).
struct OsmWayDefaults {
    RoadClass road_class = RoadClass::Other;
    float lanes_per_direction = 1;
    double speed_kmh = 50;
    double capacity_per_lane_vph = 600;
    bool oneway = false;
    ModeMask modes = kRoadModes;
};

/// Default service of a route relation type (a row of networks/osm/osm_transit_defaults.csv).
struct OsmTransitDefaults {
    Mode mode = Mode::Bus;
    double headway_peak_s = 600;
    double headway_offpeak_s = 900;
    double vehicle_capacity = 80;
    double vehicle_pce = 2.5;
    std::string source;
};

/// The sourced tables the importer needs.
struct OsmTables {
    std::map<std::string, OsmWayDefaults> ways;         ///< key "highway=primary", "railway=tram"
    std::map<std::string, double> maxspeed_zones_kmh;   ///< key "KR:urban", "walk"
    std::map<std::string, OsmTransitDefaults> transit;  ///< key = route value ("bus", "tram")
};

/// Reads osm_defaults.csv, osm_maxspeed_zones.csv and osm_transit_defaults.csv from `dir`.
OsmTables read_osm_tables(const std::filesystem::path& dir);
/// The tables bundled with the source tree (networks/osm).
std::filesystem::path default_osm_tables_dir();

/// Parses an OSM maxspeed value to km/h: "50", "50 km/h", "30 mph", "KR:urban", "walk".
/// nullopt for "none", "signals", "variable" or unparseable values (the class default applies).
std::optional<double> parse_maxspeed_kmh(const std::string& value, const OsmTables& tables);

/// A study-area boundary: polygons (outer ring + holes) from a GeoJSON file.
class Boundary {
  public:
    /// Reads Polygon / MultiPolygon geometries of a GeoJSON FeatureCollection, Feature or bare
    /// geometry. `where` = "key=value" keeps only features whose property matches (e.g. "gu=서구").
    static Boundary read_geojson(const std::filesystem::path& path, const std::string& where = {});
    /// Even-odd point-in-polygon over all rings of each polygon.
    bool contains(LatLon p) const;
    std::size_t polygon_count() const { return polys_.size(); }
    /// Rings that were not closed in the file and were closed by the reader.
    std::size_t repaired_rings() const { return repaired_rings_; }

  private:
    struct Ring {
        std::vector<LatLon> pts;
    };
    struct Polygon {
        std::vector<Ring> rings;
        double min_lat, max_lat, min_lon, max_lon;
    };
    std::vector<Polygon> polys_;
    std::size_t repaired_rings_ = 0;
};

struct OsmImportOptions {
    std::string name = "osm";
    std::optional<Boundary> boundary;  ///< keep only what lies inside
    bool import_routes = true;         ///< route relations -> transit lines
    double max_stop_snap_m = 150;      ///< stops farther than this from their line are dropped
};

/// What the importer read and repaired; every warning is counted by kind.
struct OsmImportReport {
    std::uint64_t nodes_read = 0, ways_read = 0, relations_read = 0;
    std::uint64_t highway_ways = 0;     ///< ways with a highway tag (any value)
    std::uint64_t road_ways_used = 0;   ///< highway ways that produced links
    std::uint64_t rail_ways_used = 0;   ///< railway ways that produced links
    std::uint64_t route_relations = 0;  ///< type=route with a supported route value
    std::uint64_t lines = 0, lines_split = 0, lines_dropped = 0, line_gaps = 0;
    std::uint64_t stops = 0;
    double road_km = 0;  ///< centreline km of ways open to cars (each piece once)
    double car_scc_share =
        0;  ///< share of car links inside the largest strongly connected component
    std::map<std::string, std::uint64_t> warnings;
    /// One line per counter, for the CLI and the network notes.
    std::vector<std::string> summary() const;
};

/// Imports `file`. Throws InputError naming the file (and the object) on unreadable input.
NetworkData import_osm(const std::filesystem::path& file, const OsmTables& tables,
                       const OsmImportOptions& options, OsmImportReport& report);

}  // namespace modeshift
