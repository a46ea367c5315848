// `modeshift cross-validate RUN_DIR RUN_DIR... --folds K`: k-fold cross-validation of the choice
// among candidate runs (settings of global parameters). Parses the arguments only; the work is in
// the validate module (modeshift/validate/cross_validation.hpp).
#include <fmt/format.h>

#include <filesystem>
#include <vector>

#include "commands.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/validate/cross_validation.hpp"
#include "modeshift/validate/validate.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct CrossValidateArgs {
    std::vector<std::string> runs;
    int folds = 5;
    std::string out;
    double min_vehicles = 5;
};

void run_cross_validate(const CrossValidateArgs& a) {
    // A bad --out is refused before the runs are read (the run folders are folders: an --out
    // naming one is refused as a folder).
    if (!a.out.empty()) check_out_file(a.out, {});
    std::vector<ValidationResult> results;
    for (const auto& run : a.runs) {
        ValidateOptions o;
        o.run_dir = run;
        o.min_sampled_vehicles = a.min_vehicles;
        results.push_back(validate_run(o));
    }
    const CrossValidation cv = cross_validate(results, static_cast<std::size_t>(a.folds));
    fmt::print("{}", cross_validation_table(cv));
    if (!a.out.empty()) {
        write_text_atomic(a.out, cross_validation_json(cv));
        fmt::print("wrote {}\n", a.out);
    }
}

}  // namespace

void add_cross_validate_command(CLI::App& app) {
    auto a = std::make_shared<CrossValidateArgs>();
    auto* cmd = app.add_subcommand(
        "cross-validate",
        "K-fold cross-validation of the choice among candidate runs (corridor speeds and counts)");
    cmd->add_option("run_dirs", a->runs,
                    "candidate run directories (summary.json, link_hourly.csv), e.g. a sweep over "
                    "one global parameter")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--folds,-k", a->folds,
                    "folds: segments (and count points) sorted by id, dealt round robin")
        ->required()
        ->check(CLI::Range(2, 1000));
    add_min_vehicles_option(cmd, a->min_vehicles);
    add_out_option(cmd, a->out, "JSON file for the results (default: print only)", false);
    cmd->callback([a] { run_cross_validate(*a); });
}

}  // namespace modeshift::cli
