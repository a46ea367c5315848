// OSM -> NetworkData: three passes over the file (relations, ways, nodes) so that only the nodes
// the network needs are held in memory, then ways are split at shared nodes into links.
#include "modeshift/import_osm/osm_import.hpp"

#include <fmt/format.h>

#include "internal.hpp"
#include "modeshift/network/components.hpp"

namespace modeshift {
namespace osm {
namespace {

/// Share of car links inside the largest strongly connected component of the car links.
double car_scc_share(const NetworkData& d) {
    std::vector<char> car(d.links.size(), 0);
    std::size_t n = 0;
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (allows(d.links.modes[i], Mode::Car)) {
            car[i] = 1;
            ++n;
        }
    if (n == 0) return 0;
    return static_cast<double>(largest_strong_component(d, car).links) / static_cast<double>(n);
}

}  // namespace

OsmImporter::OsmImporter(const std::filesystem::path& file, const OsmTables& t,
                         const OsmImportOptions& o, OsmImportReport& r)
    : file_(file),
      tables_(t),
      opt_(o),
      report_(r),
      builder_(o.name, "OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0): " +
                           file.filename().string()) {}

NetworkData OsmImporter::run() {
    read_file();
    build_links();
    report_.car_scc_share = car_scc_share(builder_.data());
    if (opt_.import_routes) build_lines();
    auto& notes = builder_.data().notes;
    for (auto& s : report_.summary()) notes.push_back("osm import: " + s);
    return builder_.finish();
}

}  // namespace osm

std::vector<std::string> OsmImportReport::summary() const {
    std::vector<std::string> s;
    s.push_back(fmt::format("read {} nodes, {} ways ({} with highway), {} relations", nodes_read,
                            ways_read, highway_ways, relations_read));
    s.push_back(
        fmt::format("used {} highway ways, {} railway ways; {:.1f} km of road; largest car SCC "
                    "holds {:.1f} % of car links",
                    road_ways_used, rail_ways_used, road_km, 100 * car_scc_share));
    s.push_back(fmt::format(
        "{} route relations -> {} lines ({} split at gaps, {} dropped, {} gaps), {} stops",
        route_relations, lines, lines_split, lines_dropped, line_gaps, stops));
    for (const auto& [k, v] : warnings) s.push_back(fmt::format("warning x{}: {}", v, k));
    return s;
}

NetworkData import_osm(const std::filesystem::path& file, const OsmTables& tables,
                       const OsmImportOptions& options, OsmImportReport& report) {
    osm::OsmImporter imp(file, tables, options, report);
    return imp.run();
}

}  // namespace modeshift
