// `modeshift pathway PATHWAY --out DIR [--seeds N] [--jobs N]`: the climate plan year by year —
// BAU, the plan and every measure left out, annual tonnes, wedges, intervals, cost per tonne.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "commands.hpp"
#ifdef MODESHIFT_HAVE_MPI
#include "modeshift/distributed/mpi_session.hpp"
#include "modeshift/distributed/mpi_sweep.hpp"
#endif
#include "modeshift/pathway_run/pathway_tables.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/scenario/runner.hpp"
#include "options.hpp"

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
    opt.threads_per_run = threads_per_job(a.threads, a.jobs);
    if (a.iterations > 0) opt.iterations = a.iterations;
    if (a.sample > 0) opt.sample_fraction = a.sample;
    opt.years = a.years;
    opt.quiet = a.quiet;
    opt.seed_count = a.seeds;
    auto runner = [](const pathway::PathwayRun& r) {
        RunOptions o;
        o.out_dir = r.out_dir;
        o.threads = r.threads;
        o.seed = r.seed;
        o.iterations = r.iterations;
        o.quiet = true;       // one line per run instead of per-run progress bars
        o.save_plans = true;  // the next year warm-starts from this one
        if (!r.warm_start.empty() && std::filesystem::exists(r.warm_start / kSummaryFile))
            o.warm_start = r.warm_start;
        return run_scenario(r.scenario, o);
    };
    auto progress = [&](const std::string& line) {
        if (!a.quiet) std::cerr << line << std::endl;
    };
#ifdef MODESHIFT_HAVE_MPI
    // mpirun -np N modeshift pathway ...: each year's runs are dealt over the processes.
    std::optional<MpiSession> mpi;
    if (launched_as_mpi_job()) {
        mpi.emplace();
        opt.rank = mpi->rank();
        opt.ranks = mpi->size();
        opt.all_ok = [&mpi](bool ok) { return mpi->all_ok(ok); };
    }
#endif
    pathway::run_pathway(a.file, opt, runner, progress);
    if (opt.rank != 0) return;  // process 0 wrote the tables
    fmt::print(
        "pathway: wrote {}/pathway.html\n"
        "         tables: pathway.csv, wedges.csv, targets.csv, pathway.xlsx, pathway.json\n",
        a.out);
}

}  // namespace

void add_pathway_command(CLI::App& app) {
    auto args = std::make_shared<PathwayArgs>();
    auto* cmd = app.add_subcommand("pathway",
                                   "The climate plan year by year: BAU, plan and each measure left "
                                   "out; annual tonnes and wedges");
    add_input_file(cmd, "pathway", args->file,
                   "pathway file (e.g. scenarios/seogu-plan-2034.json)");
    add_out_option(cmd, args->out, "output folder");
    cmd->add_option("--seeds", args->seeds,
                    "number of seeds (the base scenario's seed and the next ones)")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    add_jobs_option(cmd, args->jobs);
    add_threads_option(cmd, args->threads, "engine threads per run (default: cores / jobs)");
    add_iterations_option(cmd, args->iterations, "days per run (default: the scenario's)");
    add_sample_option(cmd, args->sample);
    cmd->add_option("--years", args->years, "comma-separated subset of the pathway's years")
        ->delimiter(',');
    add_quiet_flag(cmd, args->quiet);
    cmd->callback([args] { run_pathway_command(*args); });
}

}  // namespace modeshift::cli
