#pragma once
/// The bundled Daejeon / Seo-gu network recipe: BIS road links, bus lines and stops, metro line 1,
/// tram line 2 (inactive), Tashu stations and the 82 admin dongs as zones, with documented rules.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "modeshift/network/network.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift::daejeon {

/// Where the recipe reads its inputs.
struct ImportOptions {
    std::filesystem::path data_dir;    ///< shared/data/daejeon (bis/, *.csv, *.geojson, raw/)
    std::filesystem::path params_dir;  ///< networks/daejeon (road_rules.csv, parameters.csv)
};

/// A named numeric parameter with its source (networks/daejeon/parameters.csv).
struct Parameter {
    double value = 0;
    std::string unit;
    std::string source;
    bool estimated = false;
};

/// One row of networks/daejeon/road_rules.csv: lanes/speed/capacity by area and bus-line count.
struct RoadRule {
    std::string rule_id;
    std::string area;       ///< "daejeon" (BIS code with sigungu 30xxx) or "outside"
    int min_bus_lines = 0;  ///< inclusive
    int max_bus_lines = 0;  ///< inclusive
    RoadClass road_class = RoadClass::Other;
    float lanes = 1;  ///< per direction (per directed link)
    double speed_kmh = 50;
    double sat_flow_pcphgpl = 2200;
    std::string source;
};

/// Parameters and road rules as read from params_dir.
struct RecipeParams {
    std::map<std::string, Parameter> values;
    std::vector<RoadRule> road_rules;
    /// The value of `key`; throws InputError naming parameters.csv if absent.
    double get(const std::string& key) const;
    const Parameter& param(const std::string& key) const;
    std::string params_file;
};

/// Reads parameters.csv and road_rules.csv (InputError with file/line/field on bad rows).
RecipeParams read_params(const std::filesystem::path& params_dir);

/// Counts reported by the recipe (also written into NetworkData::notes).
struct ImportReport {
    std::map<std::string, double>
        counts;                      ///< sorted by name, e.g. "road_links", "bus_lines_dropped"
    std::vector<std::string> lines;  ///< human-readable summary lines
};

/// Builds the network deterministically (same inputs => same content hash).
NetworkData build_daejeon_network(const ImportOptions& opt, ImportReport* report = nullptr);

/// Results of the acceptance checks on a built network.
struct CheckResult {
    std::size_t daejeon_road_links = 0;  ///< car links with a Daejeon BIS code
    std::size_t daejeon_links_in_largest_scc = 0;
    double scc_share = 0;  ///< of Daejeon road links, in [0, 1]
    std::size_t road_links_total = 0;
    std::size_t road_links_in_largest_scc = 0;
    std::size_t bus_lines = 0;
    std::size_t noncontiguous_lines = 0;
    std::size_t zone_pairs = 0;
    std::size_t car_unreachable_pairs = 0;
    std::size_t transit_unreachable_pairs = 0;
    double walk_access_m = 0;           ///< zone-to-stop walking distance used
    double transfer_walk_m = 0;         ///< stop-to-stop transfer distance used
    std::vector<std::string> problems;  ///< first few failures, for messages
    bool ok() const;
};

/// Runs the checks of issue 8: SCC share, contiguous bus lines, zone-to-zone reachability by car
/// (Dijkstra over car links) and by transit + walk (stops within `walk_access_m` of a zone).
CheckResult check_network(const Network& net, double walk_access_m, double transfer_walk_m);

/// True if an external id is a Daejeon BIS link code (A|F + N/S/E/W + sigungu 30xxx + serial).
bool is_daejeon_bis_code(const std::string& code);

/// Renders links (coloured by class), stations and zone outlines as an SVG picture.
std::string render_svg(const NetworkData& d, int width_px);

}  // namespace modeshift::daejeon
