// `modeshift validate RUN_DIR`: compares a run with observed corridor speeds and daily counts.
// Parses the arguments only; the work is in the validate module (modeshift/validate/).
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "modeshift/io/output_folder.hpp"
#include "modeshift/validate/outputs.hpp"
#include "modeshift/validate/validate.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct ValidateArgs {
    std::string run_dir, speeds, segments, counts, junction_counts, ridership, out, network;
    bool no_counts = false;
    double min_vehicles = 5;
};

void run_validate(const ValidateArgs& a) {
    ValidateOptions o;
    o.run_dir = a.run_dir;
    o.speeds = a.speeds;
    o.segments = a.segments;
    o.counts = a.counts;
    o.junction_counts = a.junction_counts;
    o.ridership = a.ridership;
    o.use_counts = !a.no_counts;
    o.min_sampled_vehicles = a.min_vehicles;
    o.network = a.network;
    // Checked and locked before the work; validation.json, written last, marks it complete. The
    // run folder itself is the default output, so only the observed data count as inputs here.
    const std::filesystem::path out = a.out.empty() ? o.run_dir : std::filesystem::path(a.out);
    std::vector<std::filesystem::path> inputs;
    for (const auto& in :
         {a.speeds, a.segments, a.counts, a.junction_counts, a.ridership, a.network})
        if (!in.empty()) inputs.emplace_back(in);
    const OutputFolder folder = OutputFolder::open(out, "validation.json", inputs);
    const ValidationResult r = validate_run(o);
    fmt::print("{}", validation_table(r));
    const auto written = write_validation(r, out);
    for (std::size_t i = 0; i < written.size(); ++i)
        fmt::print("{}{}\n", i ? "      " : "wrote ", written[i].string());
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto a = std::make_shared<ValidateArgs>();
    auto* cmd = app.add_subcommand(
        "validate",
        "Compare a run with observed corridor speeds, daily traffic counts and junction counts");
    add_input_folder(cmd, "run_dir", a->run_dir, "run directory (summary.json, link_hourly.csv)");
    cmd->add_option("--speeds", a->speeds,
                    fmt::format("observed hourly speeds CSV (default: scenario data folder/{})",
                                kDefaultSpeedsFile))
        ->check(CLI::ExistingFile);
    cmd->add_option("--segments", a->segments,
                    fmt::format("corridor segment geometry JSON (default: scenario data folder/{})",
                                kDefaultSegmentsFile))
        ->check(CLI::ExistingFile);
    cmd->add_option(
           "--counts", a->counts,
           fmt::format("daily traffic counts CSV (default: scenario data folder/{}, if present)",
                       kDefaultCountsFile))
        ->check(CLI::ExistingFile);
    cmd->add_option("--junction-counts", a->junction_counts,
                    fmt::format("peak-hour junction counts CSV (default: scenario data folder/{}, "
                                "if present)",
                                kDefaultJunctionCountsFile))
        ->check(CLI::ExistingFile);
    cmd->add_option("--ridership", a->ridership,
                    fmt::format("observed weekday boardings by transit mode CSV (default: "
                                "scenario data folder/{}, if present)",
                                kDefaultRidershipFile))
        ->check(CLI::ExistingFile);
    cmd->add_flag("--no-counts", a->no_counts, "skip the counts (daily, junction, ridership)");
    add_min_vehicles_option(cmd, a->min_vehicles);
    cmd->add_option("--network", a->network,
                    "network file (default: the one named in summary.json)")
        ->check(CLI::ExistingFile);
    add_out_option(cmd, a->out, "output folder (default: RUN_DIR)", false);
    cmd->callback([a] { run_validate(*a); });
}

}  // namespace modeshift::cli
