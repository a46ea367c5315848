// `modeshift import etri-signals --etri DIR --network NET --out FILE.csv`: reads ETRI's real
// signal plans, matches their junctions and approaches to the network and writes the
// matched-plans file that scenarios/data/road_traffic.json names (docs/importers.md).
#include <fmt/format.h>

#include "commands.hpp"
#include "modeshift/import_etri/etri.hpp"
#include "modeshift/import_etri/etri_match.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/traffic/real_signals.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct EtriArgs {
    std::string etri, network, out;
    etri::MatchOptions opt;
};

void run(const EtriArgs& a) {
    check_out_file(a.out, {a.network});
    const etri::EtriData d = etri::read_etri(a.etri);
    fmt::print("read {}: {} signals, {} nodes, {} edges, {} controlled connections\n", a.etri,
               d.signals.size(), d.nodes.size(), d.edges.size(), d.connections.size());
    const Network net(read_network(a.network), a.network);
    etri::MatchReport rep;
    const auto rows = etri::match_signals(d, net, a.opt, &rep);
    for (const std::string& line : rep.lines) fmt::print("{}\n", line);
    write_real_signals(a.out, rows, etri::matched_file_preamble(rep, a.opt, net.name()));
    fmt::print("wrote {} ({} rows)\n", a.out, rows.size());
}

}  // namespace

void add_import_etri(CLI::App& import_cmd) {
    auto* cmd = import_cmd.add_subcommand(
        "etri-signals",
        "Match ETRI's real signal plans (tss/node/edge/connection XML) to a network");
    auto a = std::make_shared<EtriArgs>();
    cmd->add_option("--etri", a->etri, "folder with tss.xml, node.xml, edge.xml, connection.xml")
        ->required();
    cmd->add_option("--network", a->network, "network to match to (.msnet or .msnet.json)")
        ->required();
    add_out_option(cmd, a->out, "matched-plans file (.csv)");
    cmd->add_option("--max-node-m", a->opt.max_node_m,
                    "a junction matches the nearest road node within this distance (m)")
        ->check(CLI::Range(1.0, 1000.0));
    cmd->add_option("--max-heading-deg", a->opt.max_heading_deg,
                    "an approach matches the plan's incoming edge within this heading difference")
        ->check(CLI::Range(1.0, 90.0));
    cmd->callback([a] { run(*a); });
}

}  // namespace modeshift::cli
