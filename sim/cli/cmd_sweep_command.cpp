// `modeshift sweep SCENARIO... [--seeds 1,2,3] --out DIR [--jobs N]`: batch runs with resume.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "modeshift/report/sweep.hpp"
#include "modeshift/scenario/runner.hpp"
#include "modeshift/scenario/scenario.hpp"
#include "options.hpp"
#ifdef MODESHIFT_HAVE_MPI
#include "modeshift/distributed/mpi_sweep.hpp"
#endif

namespace modeshift::cli {
namespace {

struct SweepArgs {
    std::vector<std::string> scenarios;
    std::vector<std::uint64_t> seeds = {1};
    std::string out;
    int jobs = 1;
    int threads = 0;
    int iterations = 0;
    double rank_timeout_s = 30;
    bool quiet = false;
};

void report_sweep(const SweepResult& res, const SweepOptions& opt);

void run_sweep_command(const SweepArgs& a) {
    SweepOptions opt;
    opt.out_dir = a.out;
    opt.seeds = a.seeds;
    opt.jobs = a.jobs;
    // Share the machine between concurrent runs unless told otherwise.
    opt.threads_per_run = threads_per_job(a.threads, a.jobs);
    if (a.iterations > 0) opt.iterations = a.iterations;
    // A finished run is reused only if made from the same scenario content and day limit.
    opt.key_of = [](const std::filesystem::path& scenario, std::optional<int> iterations) {
        const Scenario sc = load_scenario(scenario);
        return SweepRunKey{sc.hash, iterations ? *iterations : sc.iterations};
    };
    std::vector<std::filesystem::path> scenarios(a.scenarios.begin(), a.scenarios.end());
    auto runner = [](const SweepRequest& r) {
        RunOptions o;
        o.out_dir = r.out_dir;
        o.threads = r.threads;
        o.seed = r.seed;
        o.iterations = r.iterations;
        o.quiet = true;  // the sweep prints one line per run instead of per-run progress bars
        return run_scenario(r.scenario, o);
    };
    auto progress = [&](const std::string& line) {
        if (!a.quiet) std::cerr << line << std::endl;
    };
    if (!a.quiet)
        std::cerr << fmt::format(
            "sweep: {} scenario(s) x {} seed(s), {} at a time, {} thread(s) each -> {}\n",
            scenarios.size(), opt.seeds.size(), opt.jobs, opt.threads_per_run, a.out);
#ifdef MODESHIFT_HAVE_MPI
    if (launched_as_mpi_job()) {
        // mpirun -np N modeshift sweep ...: run i goes to rank i mod N; rank 0 writes the tables.
        int rank = 0;
        const SweepResult share =
            run_sweep_mpi(scenarios, opt, runner, progress, {a.rank_timeout_s}, rank);
        if (rank != 0) {
            if (!a.quiet)
                std::cerr << fmt::format("rank {}: {} ran, {} skipped, {} failed\n", rank,
                                         share.ran, share.skipped, share.failed);
            return;
        }
        report_sweep(share, opt);
        return;
    }
#endif
    report_sweep(run_sweep(scenarios, opt, runner, progress), opt);
}

/// The closing lines of a sweep and its exit status: 2 if every failure was bad input, 1 if
/// any run failed otherwise.
void report_sweep(const SweepResult& res, const SweepOptions& opt) {
    fmt::print("sweep: {} ran, {} skipped (done earlier), {} failed\nwrote {}\n      {}\n", res.ran,
               res.skipped, res.failed, (opt.out_dir / "sweep.csv").string(),
               (opt.out_dir / "sweep_summary.csv").string());
    // Every failure bad input (a scenario file with an error): exit as for bad input, naming it.
    if (res.failed > 0 && res.failed == res.failed_on_input)
        for (const auto& r : res.runs)
            if (r.input_error) throw *r.input_error;
    if (res.failed > 0)
        throw std::runtime_error(
            fmt::format("{} run(s) failed (see the error column of sweep.csv); "
                        "run the same command again to retry them",
                        res.failed));
}

}  // namespace

void add_sweep_command(CLI::App& app) {
    auto args = std::make_shared<SweepArgs>();
    auto* cmd = app.add_subcommand(
        "sweep", "Run scenarios x seeds in parallel; resumes an interrupted sweep");
    add_input_file(cmd, "scenarios", args->scenarios, "scenario files");
    cmd->add_option("--seeds", args->seeds, "comma-separated seeds (whole numbers >= 0)")
        ->delimiter(',')
        ->check(kNonNegative)
        ->capture_default_str();
    add_out_option(cmd, args->out, "output folder (one sub-folder per run)");
    add_jobs_option(cmd, args->jobs);
    add_threads_option(cmd, args->threads, "engine threads per run (default: cores / jobs)");
    add_iterations_option(cmd, args->iterations, "override the scenarios' iteration limit");
    add_quiet_flag(cmd, args->quiet);
    cmd->add_option("--rank-timeout", args->rank_timeout_s,
                    "under mpirun: seconds without a heartbeat after which a rank counts as gone "
                    "(default 30)")
        ->check(CLI::Range(1.0, 86400.0));
    cmd->callback([args] { run_sweep_command(*args); });
}

}  // namespace modeshift::cli
