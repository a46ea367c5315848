// `modeshift network info FILE` and `modeshift network convert IN OUT`.
#include <fmt/format.h>

#include <map>

#include "commands.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

void print_info(const Network& net) {
    const auto& d = net.data();
    double km = 0;
    std::map<std::string, std::pair<int, double>> by_class;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        km += d.links.length_m[i] / 1000.0;
        auto& e = by_class[std::string(road_class_name(d.links.road_class[i]))];
        e.first += 1;
        e.second += d.links.length_m[i] / 1000.0;
    }
    fmt::print("network       {}\n", d.name);
    fmt::print("content hash  {}\n", hex64(net.content_hash()));
    fmt::print("nodes         {}\nlinks         {} ({:.1f} km)\n", net.node_count(),
               net.link_count(), km);
    for (const auto& [cls, e] : by_class)
        fmt::print("  {:<12} {:>6} links {:>8.1f} km\n", cls, e.first, e.second);
    std::size_t active = 0;
    for (const auto& ln : d.lines) active += ln.active ? 1 : 0;
    fmt::print(
        "zones         {}\nstops         {}\nlines         {} ({} active)\nbike stations {}\n",
        d.zones.size(), d.stops.size(), d.lines.size(), active, d.bike_stations.size());
    if (!d.source.empty()) fmt::print("source        {}\n", d.source);
}

}  // namespace

void add_network_commands(CLI::App& app) {
    auto* net = app.add_subcommand("network", "Inspect or convert network files");
    net->require_subcommand(1);

    auto* info = net->add_subcommand("info", "Print counts and the content hash of a network");
    auto info_file = std::make_shared<std::string>();
    info->add_option("file", *info_file, "network file (.msnet or .msnet.json)")->required();
    info->callback([info_file] { print_info(Network(read_network(*info_file), *info_file)); });

    auto* conv =
        net->add_subcommand("convert", "Convert between the binary and the JSON network form");
    auto in = std::make_shared<std::string>(), out = std::make_shared<std::string>();
    conv->add_option("input", *in, "input network")->required();
    conv->add_option("output", *out, "output network (.json = JSON form, else binary)")->required();
    conv->callback([in, out] {
        check_out_file(*out, {*in});
        auto d = read_network(*in);
        write_network(d, *out);
        fmt::print("wrote {}\n", *out);
    });
}

}  // namespace modeshift::cli
