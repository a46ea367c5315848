// `modeshift run SCENARIO --out DIR` and `modeshift calibrate SCENARIO --targets T --out ASC`.
#include <fmt/format.h>

#include <optional>

#include "commands.hpp"
#include "modeshift/scenario/calibrate.hpp"
#include "modeshift/scenario/runner.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct RunArgs {
    std::string scenario;
    std::string out;
    int threads = 0;
    int iterations = 0;
    long long seed = -1;
    bool quiet = false;
    std::string warm_start;
    bool trips = false;
    bool save_plans = false;
};

struct CalArgs {
    std::string scenario;
    std::string targets;
    std::string out;
    std::string warm_start;
    int threads = 0;
    int loops = 3;
    bool quiet = false;
};

void run(const RunArgs& a) {
    RunOptions o;
    o.out_dir = a.out;
    o.threads = a.threads;
    if (a.iterations > 0) o.iterations = a.iterations;
    if (a.seed >= 0) o.seed = static_cast<std::uint64_t>(a.seed);
    o.quiet = a.quiet;
    o.warm_start = a.warm_start;
    o.write_trips = a.trips;
    o.save_plans = a.save_plans;
    const RunSummary s = run_scenario(a.scenario, o);
    if (!a.quiet) {
        fmt::print(
            "scenario {} ({} demand): {} iterations, {:.0f} persons, {:.0f} trips/day, {:.0f} "
            "freight and {:.0f} "
            "boundary vehicle trips/day\n",
            s.scenario, s.demand_scope, s.iterations, s.persons, s.trips, s.freight_trips,
            s.external_trips);
        fmt::print("mode share:");
        for (Mode m : kPersonModes)
            fmt::print(" {} {:.1f} %", mode_name(m), 100 * s.modes[mode_index(m)].share);
        fmt::print("\nCO2 {:.1f} t/day (tailpipe {:.1f}, grid {:.1f}); event hash {}; {:.1f} s\n",
                   s.co2_kg_total / 1000, s.co2_kg_tailpipe / 1000, s.co2_kg_grid / 1000,
                   s.event_hash, s.wall_s);
        if (s.study_area.present) {
            fmt::print(
                "study area: {:.0f} trips touching it, car {:.1f} %, CO2 on its links {:.1f} "
                "t/day\n",
                s.study_area.trips, 100 * s.study_area.modes[mode_index(Mode::Car)].share,
                s.study_area.co2_kg_total / 1000);
        }
        double iter_s = 0, sim_s = 0, link_events = 0;
        for (const auto& it : s.history)
            iter_s += it.wall_s, sim_s += it.simulate_s, link_events += it.link_events;
        if (!s.history.empty() && sim_s > 0) {
            const auto n = static_cast<double>(s.history.size());
            fmt::print(
                "per iteration: {:.2f} s ({:.2f} s simulating {:.2f} M link events: {:.1f} M link "
                "events/s, {} threads)\n",
                iter_s / n, sim_s / n, link_events / n / 1e6, link_events / sim_s / 1e6, s.threads);
        }
        fmt::print("outputs in {}\n", a.out);
    }
}

}  // namespace

void add_run_command(CLI::App& app) {
    auto a = std::make_shared<RunArgs>();
    auto* cmd = app.add_subcommand(
        "run", "Run a scenario: demand, iterated mode/route choice, simulation, emissions");
    add_input_file(cmd, "scenario", a->scenario, "scenario file (JSON)");
    add_out_option(cmd, a->out, "output folder (created; locked while the run writes)");
    add_threads_option(cmd, a->threads);
    add_iterations_option(cmd, a->iterations);
    add_seed_option(cmd, a->seed);
    add_quiet_flag(cmd, a->quiet);
    cmd->add_option("--warm-start", a->warm_start,
                    "start from the congested link times of an earlier run's output folder (e.g. "
                    "the baseline)")
        ->check(CLI::ExistingDirectory);
    cmd->add_flag("--trips-csv", a->trips,
                  "also write trips.csv (every trip with its experienced times)");
    cmd->add_flag(
        "--save-plans", a->save_plans,
        "also write plans.bin (the last day's modes and routes) for --warm-start of what-ifs");
    cmd->callback([a] { run(*a); });

    auto c = std::make_shared<CalArgs>();
    auto* cal = app.add_subcommand("calibrate", "Calibrate mode constants to observed shares");
    add_input_file(cal, "scenario", c->scenario, "baseline scenario file");
    add_input_file(cal, "--targets", c->targets, "targets file (shares with sources)");
    add_out_option(cal, c->out, "constants file to write");
    add_threads_option(cal, c->threads, "worker threads (0 = all cores)");
    cal->add_option("--loops", c->loops, "outer loops (a simulated day between loops)")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    cal->add_option("--warm-start", c->warm_start,
                    "fit on the congested link times of a converged run's folder (then --loops 1: "
                    "a day re-chosen all at once is not the converged day)")
        ->check(CLI::ExistingDirectory);
    add_quiet_flag(cal, c->quiet);
    cal->callback([c] {
        check_out_file(c->out, {c->scenario, c->targets});
        CalibrationOptions o;
        o.warm_start = c->warm_start;
        o.targets_file = c->targets;
        o.out_file = c->out;
        o.threads = c->threads;
        o.outer_loops = c->loops;
        o.quiet = c->quiet;
        const auto r = calibrate_scenario(c->scenario, o);
        for (Mode m : kPersonModes)
            fmt::print("{:<6} target {:5.1f} %  achieved {:5.1f} %  constant {:+.3f}\n",
                       mode_name(m), 100 * r.target[mode_index(m)], 100 * r.achieved[mode_index(m)],
                       r.asc[mode_index(m)]);
        fmt::print("max error {:.2f} pp; written to {}\n", r.max_abs_error_pp, c->out);
    });
}

}  // namespace modeshift::cli
