// `modeshift import gtfs DIR|FILE.zip [--network X.msnet] [--date YYYYMMDD] --out Y.msnet`
#include <fmt/format.h>

#include "commands.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

namespace modeshift::cli {

void add_import_gtfs(CLI::App& import_cmd) {
    struct Args {
        std::string feed, out, network, date, defaults, name = "gtfs";
        double max_snap_m = 300;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = import_cmd.add_subcommand("gtfs", "Import transit lines from a GTFS feed (directory or .zip)");
    cmd->add_option("feed", a->feed, "GTFS directory or zip file")->required();
    cmd->add_option("--out,-o", a->out, "output network (.msnet binary, .msnet.json JSON)")->required();
    cmd->add_option("--network", a->network,
                    "road network to attach to (stops snap to its nodes, buses route over its roads)");
    cmd->add_option("--date", a->date, "service day YYYYMMDD (default: the day with the most trips)");
    cmd->add_option("--max-snap-m", a->max_snap_m, "stops farther than this from a bus node get their own node");
    cmd->add_option("--defaults", a->defaults, "gtfs_mode_defaults.csv (default: the bundled networks/gtfs one)");
    cmd->add_option("--name", a->name, "network name (without --network)");
    cmd->callback([a] {
        const auto defaults = read_gtfs_mode_defaults(a->defaults.empty() ? default_gtfs_mode_defaults()
                                                                            : std::filesystem::path(a->defaults));
        GtfsImportOptions opt;
        opt.name = a->name;
        opt.date = a->date;
        opt.max_snap_m = a->max_snap_m;
        NetworkData base;
        if (!a->network.empty()) {
            base = read_network(a->network);
            opt.network = &base;
            opt.network_origin = a->network;
        }
        GtfsImportReport report;
        auto data = import_gtfs(a->feed, defaults, opt, report);
        Network net(data, a->feed);  // validates before anything is written
        write_network(data, a->out);
        for (const auto& s : report.summary()) fmt::print("{}\n", s);
        fmt::print("wrote {}: {} nodes, {} links, {} stops, {} lines\n", a->out, net.node_count(),
                   net.link_count(), data.stops.size(), data.lines.size());
    });
}

}  // namespace modeshift::cli
