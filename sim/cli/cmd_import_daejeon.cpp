// `modeshift import daejeon --data DIR --out FILE`: builds the bundled Daejeon / Seo-gu network
// from the shared public data and the sourced rules in networks/daejeon/, then runs its checks.
#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "commands.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/import_daejeon/daejeon.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct DaejeonArgs {
    std::string data, params, out, svg;
    bool no_checks = false;
};

void print_checks(const daejeon::CheckResult& c) {
    fmt::print(
        "check: largest SCC holds {} of {} Daejeon road links ({:.2f} %, need >= 97.5 %); all road "
        "links {} of {}\n",
        c.daejeon_links_in_largest_scc, c.daejeon_road_links, 100.0 * c.scc_share,
        c.road_links_in_largest_scc, c.road_links_total);
    fmt::print("check: {} bus lines, {} not contiguous\n", c.bus_lines, c.noncontiguous_lines);
    fmt::print(
        "check: zone pairs {}: unreachable by car {}, by transit+walk {} (walk access {} m, "
        "transfers {} m)\n",
        c.zone_pairs, c.car_unreachable_pairs, c.transit_unreachable_pairs, c.walk_access_m,
        c.transfer_walk_m);
    for (const auto& p : c.problems) fmt::print("  problem: {}\n", p);
    fmt::print("checks {}\n", c.ok() ? "passed" : "FAILED");
}

int run(const DaejeonArgs& a) {
    check_out_file(a.out, {});
    daejeon::ImportOptions opt;
    opt.data_dir = a.data;
    opt.params_dir = a.params.empty() ? std::filesystem::path(a.out).parent_path()
                                      : std::filesystem::path(a.params);
    daejeon::ImportReport rep;
    NetworkData d = daejeon::build_daejeon_network(opt, &rep);
    for (const auto& line : rep.lines) fmt::print("note: {}\n", line);
    for (const auto& [k, v] : rep.counts) fmt::print("{:<48} {}\n", k, v);
    const auto params = daejeon::read_params(opt.params_dir);
    const Network net(d, a.out);
    write_network(d, a.out);
    fmt::print("wrote {} (content hash {}, {} bytes)\n", a.out, hex64(net.content_hash()),
               std::filesystem::file_size(a.out));
    if (!a.svg.empty()) {
        write_text_atomic(a.svg, daejeon::render_svg(d, 1200));
        fmt::print("wrote {}\n", a.svg);
    }
    if (a.no_checks) return kOk;
    const auto c =
        daejeon::check_network(net, params.get("walk_access_m"), params.get("transfer_walk_m"));
    print_checks(c);
    return c.ok() ? kOk : kRuntimeError;
}

}  // namespace

void add_import_daejeon(CLI::App& import_cmd) {
    auto* cmd = import_cmd.add_subcommand("daejeon",
                                          "Build the bundled Daejeon / Seo-gu network from the "
                                          "shared public data (BIS, dongs, metro, tram, Tashu)");
    auto a = std::make_shared<DaejeonArgs>();
    cmd->add_option("--data", a->data, "directory with the Daejeon data (shared/data/daejeon)")
        ->required();
    cmd->add_option(
        "--params", a->params,
        "directory with road_rules.csv and parameters.csv (default: the output file's directory)");
    add_out_option(cmd, a->out, kNetworkOutHelp);
    cmd->add_option("--svg", a->svg, "also render the network as an SVG picture");
    cmd->add_flag("--no-checks", a->no_checks, "skip the connectivity checks");
    cmd->callback([a] {
        // A failed check is a runtime failure (exit 3): the network was written for inspection.
        if (run(*a) != kOk) throw std::runtime_error("the network checks failed (see above)");
    });
}

}  // namespace modeshift::cli
