#pragma once
// Internal pieces of the Daejeon recipe shared between its translation units.
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/import_daejeon/daejeon.hpp"
#include "modeshift/network/builder.hpp"

namespace modeshift::daejeon::detail {

/// One line of bis/route.txt.
struct BisLink {
    int idx = 0;
    std::string code;
    std::vector<LatLon> pts;
};

/// One line of bis/busroute.txt joined with the same line of bis/busno.txt.
struct BisRoute {
    std::string direction;  ///< "UP" or "DOWN"
    std::string route_id;
    std::string route_no;
    int route_type = 0;
    std::string terminus;
    std::vector<int> links;
    std::vector<std::string> stop_refs;
    std::uint64_t line = 0;  ///< line in busroute.txt (1-based)
};

/// One line of bis/busstop.txt.
struct BisStop {
    std::string ref;  ///< stop number, or "U" + BIS node id when the stop has no number
    std::string node_id;
    LatLon p;
    std::string name;
};

struct BisData {
    std::vector<BisLink> links;
    std::vector<BisRoute> routes;
    std::vector<BisStop> stops;
};

/// Reads the four BIS files (InputError with file, line and field on malformed records).
BisData read_bis(const std::filesystem::path& bis_dir);

/// True for the 391 placeholder links (FORMAT.md) and single-point links.
bool is_placeholder(const BisLink& l);

/// Polyline length by haversine (m).

/// Distance from p to a polyline in a local projection (m).
double distance_to_polyline_m(const LocalProjection& proj, LatLon p,
                              const std::vector<LatLon>& line);

/// Distance from p to the zone boundary (0 if inside).
double distance_to_zone_m(const LocalProjection& proj, const Zone& z, LatLon p);

/// Splits a line at commas (no quoting: the BIS files have none).
std::vector<std::string> split_commas(const std::string& s, std::size_t max_fields = 0);

/// One tram line 2 segment: attributes from tram_line2_segments.csv, geometry from the raw JSON.
struct TramSegment {
    std::string id;
    std::string branch;
    int from_no = 0, to_no = 0;
    std::string road_name;
    double max_speed_kmh = 0;
    std::vector<LatLon> pts;  ///< oriented from -> to
};

/// Mutable state of one recipe run.
struct Build {
    ImportOptions opt;
    RecipeParams params;
    NetworkBuilder builder{"daejeon"};
    ImportReport report;
    BisData bis;
    std::vector<int> bis_link;      ///< route.txt idx -> LinkId index, or -1 if dropped
    std::vector<char> in_scc;       ///< per node: in the largest car SCC
    std::size_t road_link_end = 0;  ///< links [0, road_link_end) are BIS road links
    std::vector<std::string> notes;
    std::vector<std::vector<LinkId>> route_links;  ///< per BIS route row; empty = dropped
    std::vector<TramSegment> tram;  ///< read once, used for road names and tram links
    /// Per BIS road link: id of the tram segment it runs along ("" if none), which locates
    /// the published lane counts of road sections.
    std::vector<std::string> road_tram_segment;

    void count(const std::string& key, double v) { report.counts[key] += v; }
    double p(const std::string& key) const { return params.get(key); }
};

/// Reads tram_line2_segments.csv + raw/tram_line2_segments_nynji.json into b.tram.
void read_tram(Build& b);
void add_zones(Build& b);       // zones + centroid nodes (must run first: nodes 0..81)
void add_roads(Build& b);       // BIS road links (nodes snapped)
void set_road_lanes(Build& b);  // lanes from ETRI and published sections, the rule elsewhere
void map_bus_routes(Build& b);  // bus link sequences onto road links (may add bridge links)
void finish_roads(Build& b);    // walk reverse links, largest SCC
void add_connectors(Build& b);  // zone connectors
void add_bus(Build& b);         // bus stops and lines
void add_rail(Build& b);        // metro line 1 and tram line 2
void add_tashu(Build& b);       // bike-share stations

/// Nearest node among those with mask[n] != 0 (linear scan; ties -> lower index).
NodeId nearest_masked_node(const NetworkData& d, const std::vector<char>& mask, LatLon p);

}  // namespace modeshift::daejeon::detail
