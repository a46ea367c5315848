// `modeshift import osm FILE [--boundary area.geojson [--boundary-where key=value]] --out X`
#include <fmt/format.h>

#include "commands.hpp"
#include "import_output.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct OsmArgs {
    std::string input, out, boundary, where, tables, name = "osm";
    bool no_routes = false;
    double max_stop_snap_m = 150;
};

/// The importer's options; reads the --boundary file and says what it holds.
OsmImportOptions import_options(const OsmArgs& a) {
    OsmImportOptions opt;
    opt.name = a.name;
    opt.import_routes = !a.no_routes;
    opt.max_stop_snap_m = a.max_stop_snap_m;
    if (!a.boundary.empty()) {
        opt.boundary = Boundary::read_geojson(a.boundary, a.where);
        fmt::print("boundary: {} polygon(s) from {}{}\n", opt.boundary->polygon_count(), a.boundary,
                   opt.boundary->repaired_rings()
                       ? fmt::format(" ({} unclosed rings closed)", opt.boundary->repaired_rings())
                       : "");
    } else if (!a.where.empty()) {
        throw CLI::ValidationError("--boundary-where", "needs --boundary");
    }
    return opt;
}

}  // namespace

void add_import_osm(CLI::App& import_cmd) {
    auto a = std::make_shared<OsmArgs>();
    auto* cmd = import_cmd.add_subcommand("osm",
                                          "Import roads, rail and transit routes from "
                                          "OpenStreetMap (.osm, .osm.pbf, .osm.gz, .osm.bz2)");
    cmd->add_option("file", a->input, "OSM file")->required();
    add_out_option(cmd, a->out, kNetworkOutHelp);
    cmd->add_option("--boundary", a->boundary,
                    "GeoJSON Polygon/MultiPolygon: keep only what lies inside");
    cmd->add_option("--boundary-where", a->where,
                    "only boundary features whose property matches key=value (e.g. gu=서구)");
    cmd->add_option("--tables", a->tables,
                    "directory with osm_defaults.csv, osm_maxspeed_zones.csv, "
                    "osm_transit_defaults.csv (default: the bundled networks/osm)");
    cmd->add_option("--name", a->name, "network name");
    cmd->add_option("--max-stop-snap-m", a->max_stop_snap_m,
                    "route stops farther than this from their line's path are dropped");
    cmd->add_flag("--no-routes", a->no_routes, "skip route relations (roads and tracks only)");
    cmd->callback([a] {
        check_out_file(a->out, {a->input, a->boundary});
        const auto tables = read_osm_tables(given_or(a->tables, default_osm_tables_dir()));
        OsmImportReport report;
        const auto data = import_osm(a->input, tables, import_options(*a), report);
        if (data.links.size() == 0)
            throw InputError(a->input, 0, "ways",
                             "no highway or railway ways usable: the network would be empty");
        write_imported_network(data, a->input, a->out, report.summary());
    });
}

}  // namespace modeshift::cli
