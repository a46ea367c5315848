// `modeshift import gtfs DIR|FILE.zip [--network X.msnet] [--date YYYYMMDD] --out Y.msnet`
#include "commands.hpp"
#include "import_output.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct GtfsArgs {
    std::string feed, out, network, date, defaults, name = "gtfs";
    double max_snap_m = 300;
};

/// The importer's options; with --network, `base` holds the road network the lines attach to.
GtfsImportOptions import_options(const GtfsArgs& a, NetworkData& base) {
    GtfsImportOptions opt;
    opt.name = a.name;
    opt.date = a.date;
    opt.max_snap_m = a.max_snap_m;
    if (!a.network.empty()) {
        base = read_network(a.network);
        opt.network = &base;
        opt.network_origin = a.network;
    }
    return opt;
}

}  // namespace

void add_import_gtfs(CLI::App& import_cmd) {
    auto a = std::make_shared<GtfsArgs>();
    auto* cmd = import_cmd.add_subcommand(
        "gtfs", "Import transit lines from a GTFS feed (directory or .zip)");
    cmd->add_option("feed", a->feed, "GTFS directory or zip file")->required();
    add_out_option(cmd, a->out, kNetworkOutHelp);
    cmd->add_option(
        "--network", a->network,
        "road network to attach to (stops snap to its nodes, buses route over its roads)");
    cmd->add_option("--date", a->date,
                    "service day YYYYMMDD (default: the day with the most trips)");
    cmd->add_option("--max-snap-m", a->max_snap_m,
                    "stops farther than this from a bus node get their own node");
    cmd->add_option("--defaults", a->defaults,
                    "gtfs_mode_defaults.csv (default: the bundled networks/gtfs one)");
    cmd->add_option("--name", a->name, "network name (without --network)");
    cmd->callback([a] {
        check_out_file(a->out, {a->feed, a->network, a->defaults});
        const auto defaults =
            read_gtfs_mode_defaults(given_or(a->defaults, default_gtfs_mode_defaults()));
        NetworkData base;
        GtfsImportReport report;
        const auto data = import_gtfs(a->feed, defaults, import_options(*a, base), report);
        write_imported_network(data, a->feed, a->out, report.summary());
    });
}

}  // namespace modeshift::cli
