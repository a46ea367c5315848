// `modeshift pathway PATHWAY --out DIR [--seeds N] [--jobs N]`: the climate plan year by year —
// BAU, the plan and every measure left out, annual tonnes, wedges, intervals, cost per tonne.
#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "commands.hpp"
#include "modeshift/pathway_run/pathway_tables.hpp"
#include "modeshift/scenario/runner.hpp"

namespace modeshift::cli {
namespace {

struct PathwayArgs {
    std::string file, out;
    int seeds = 1;
    int jobs = 1;
    int threads = 0;
    int iterations = 0;
    double sample = 0;
    std::vector<int> years;
    bool quiet = false;
};

void run_pathway_command(const PathwayArgs& a) {
    pathway::PathwayRunOptions opt;
    opt.out_dir = a.out;
    opt.jobs = a.jobs;
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    opt.threads_per_run = a.threads > 0 ? a.threads : std::max(1, hw / opt.jobs);
    if (a.iterations > 0) opt.iterations = a.iterations;
    if (a.sample > 0) opt.sample_fraction = a.sample;
    opt.years = a.years;
    opt.quiet = a.quiet;
    auto runner = [](const pathway::PathwayRun& r) {
        RunOptions o;
        o.out_dir = r.out_dir;
        o.threads = r.threads;
        o.seed = r.seed;
        o.iterations = r.iterations;
        o.quiet = true;       // one line per run instead of per-run progress bars
        o.save_plans = true;  // the next year warm-starts from this one
        if (!r.warm_start.empty() && std::filesystem::exists(r.warm_start / "summary.json"))
            o.warm_start = r.warm_start;
        return run_scenario(r.scenario, o);
    };
    auto progress = [&](const std::string& line) {
        if (!a.quiet) std::cerr << line << std::endl;
    };
    opt.seed_count = a.seeds;
    pathway::run_pathway(a.file, opt, runner, progress);
    fmt::print(
        "pathway: wrote {}/pathway.html\n         tables: pathway.csv, wedges.csv, targets.csv, "
        "pathway.xlsx, "
        "pathway.json\n",
        a.out);
}

}  // namespace

void add_pathway_command(CLI::App& app) {
    auto args = std::make_shared<PathwayArgs>();
    auto* cmd = app.add_subcommand("pathway",
                                   "The climate plan year by year: BAU, plan and each measure left "
                                   "out; annual tonnes and wedges");
    cmd->add_option("pathway", args->file, "pathway file (e.g. scenarios/seogu-plan-2034.json)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--out,-o", args->out, "output folder")->required();
    cmd->add_option("--seeds", args->seeds,
                    "number of seeds (the base scenario's seed and the next ones)")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    cmd->add_option("--jobs,-j", args->jobs, "runs at the same time")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    cmd->add_option("--threads", args->threads, "engine threads per run (default: cores / jobs)")
        ->check(CLI::Range(0, 256));
    cmd->add_option("--iterations", args->iterations, "days per run (default: the scenario's)")
        ->check(CLI::Range(1, 500));
    cmd->add_option("--sample", args->sample,
                    "sample fraction of the population (default: the scenario's)")
        ->check(CLI::Range(1e-4, 1.0));
    cmd->add_option("--years", args->years, "comma-separated subset of the pathway's years")
        ->delimiter(',');
    cmd->add_flag("--quiet,-q", args->quiet, "no progress output");
    cmd->callback([args] { run_pathway_command(*args); });
}

}  // namespace modeshift::cli
