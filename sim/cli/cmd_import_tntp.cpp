// `modeshift import tntp`: a TransportationNetworks TNTP network (+ nodes, + trips check) to a
// modeshift network file.
#include <fmt/format.h>

#include <iostream>

#include "commands.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct ImportTntpArgs {
    std::string net, trips, nodes, out;
    tntp::TntpUnits units;
};

void run_import_tntp(const ImportTntpArgs& a) {
    check_out_file(a.out, {a.net, a.trips, a.nodes});
    std::vector<std::string> warnings;
    NetworkData d = tntp::read_net(a.net, a.units);
    if (!a.nodes.empty()) tntp::read_nodes(a.nodes, d, a.units, warnings);
    const Network net(d, a.net);  // validates before anything is written
    if (!a.trips.empty()) {
        const auto od = tntp::read_trips(a.trips, warnings);
        if (od.zones != net.zone_count())
            throw InputError(
                a.trips, 0, "<NUMBER OF ZONES>",
                fmt::format("{} zones, but the network has {}", od.zones, net.zone_count()));
        fmt::print("trips         {} zones, {:.2f} trips (checked; read again by `assign`)\n",
                   od.zones, od.total());
    }
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    write_network(d, a.out);
    fmt::print("network       {} ({} nodes, {} links, {} zones, first through node {})\n", d.name,
               net.node_count(), net.link_count(), net.zone_count(), d.first_thru_node + 1);
    fmt::print("warnings      {}\nwrote         {}\n", warnings.size(), a.out);
}

}  // namespace

void add_import_tntp(CLI::App& import_cmd) {
    auto a = std::make_shared<ImportTntpArgs>();
    auto* c = import_cmd.add_subcommand("tntp", "Import a TransportationNetworks (TNTP) network");
    c->add_option("--net", a->net, "X_net.tntp")->required();
    c->add_option("--trips", a->trips, "X_trips.tntp: checked against the network (not stored)");
    c->add_option("--nodes", a->nodes, "X_node.tntp: node coordinates");
    c->add_option("--time-unit-s", a->units.time_unit_s, "seconds per TNTP time unit")
        ->default_val(60.0)
        ->check(CLI::PositiveNumber);
    c->add_option("--length-unit-m", a->units.length_unit_m, "metres per TNTP length unit (miles)")
        ->default_val(1609.344)
        ->check(CLI::PositiveNumber);
    c->add_option("--coord-unit-m", a->units.coord_unit_m,
                  "metres per planar node-coordinate unit (state-plane feet)")
        ->default_val(0.3048)
        ->check(CLI::PositiveNumber);
    add_out_option(c, a->out, kNetworkOutHelp);
    c->callback([a] { run_import_tntp(*a); });
}

}  // namespace modeshift::cli
