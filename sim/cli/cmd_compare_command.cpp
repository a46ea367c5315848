// `modeshift compare BASE_DIR POLICY_DIR --out report.html`: self-contained comparison report.
#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "modeshift/report/compare.hpp"

namespace modeshift::cli {
namespace {

struct CompareArgs {
    std::string base, policy, out = "report.html", network;
};

void run_compare(const CompareArgs& a) {
    std::optional<std::filesystem::path> net;
    if (!a.network.empty()) net = a.network;
    Comparison c = compare_runs(a.base, a.policy, net);
    write_comparison(c, a.out);
    auto pct = c.co2_t.pct();
    fmt::print("CO2 배출량 / CO2 emissions: {:.2f} -> {:.2f} t/day ({:+.2f} t, {})\n", c.co2_t.base,
               c.co2_t.policy, c.co2_t.delta(),
               pct ? fmt::format("{:+.1f} %", *pct) : std::string("n/a"));
    for (Mode m : kAllModes) {
        const auto& s = c.mode_share_pct[mode_index(m)];
        if (s.base == 0 && s.policy == 0) continue;
        fmt::print("  {:<6} share {:5.1f}% -> {:5.1f}% ({:+.1f} pp)\n", mode_name(m), s.base,
                   s.policy, s.delta());
    }
    for (const auto& n : c.notes) fmt::print("note: {}\n", n);
    std::filesystem::path html = std::filesystem::absolute(a.out);
    auto json = html, csv = html;
    fmt::print("wrote {}\n      {}\n      {}\n", html.string(),
               json.replace_extension(".json").string(), csv.replace_extension(".csv").string());
}

}  // namespace

void add_compare_command(CLI::App& app) {
    auto args = std::make_shared<CompareArgs>();
    auto* cmd =
        app.add_subcommand("compare", "Compare two run directories: HTML report (+ JSON, CSV)");
    cmd->add_option("base", args->base, "run directory of the base scenario")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("policy", args->policy, "run directory of the policy scenario")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out,-o", args->out,
                    "report file (report.json and report.csv are written next to it)")
        ->capture_default_str();
    cmd->add_option("--network", args->network,
                    "network file for the map (default: the one named in summary.json)");
    cmd->callback([args] { run_compare(*args); });
}

}  // namespace modeshift::cli
