// `modeshift what-if --set tram_line2 --set bus_frequency=1.8 --out DIR`: writes DIR/scenario.json
// (the baseline plus the chosen measures of scenarios/measures.json) and runs it into DIR/run.
// The written scenario is kept, so `modeshift run DIR/scenario.json` reproduces the what-if.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "commands.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/output_folder.hpp"
#include "modeshift/measures/measures.hpp"
#include "modeshift/scenario/runner.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct WhatIfArgs {
    std::string base = "scenarios/seogu-baseline.json";
    std::string measures;
    std::vector<std::string> set;
    std::string out;
    std::string warm_start;
    int iterations = 0;
    int threads = 0;
    double sample = 0;
    bool progress = false;
    bool list = false;
};

void list_measures(const MeasureCatalogue& cat) {
    for (const auto& m : cat.measures) {
        if (m.slider)
            fmt::print("{:<18} slider {}..{}{} step {}, off {}, package {}  {} / {}\n", m.key,
                       m.min, m.max, m.unit, m.step, m.off, m.preset, m.label_ko, m.label_en);
        else
            fmt::print("{:<18} toggle  {} / {}\n", m.key, m.label_ko, m.label_en);
    }
}

void run(const WhatIfArgs& a) {
    const std::filesystem::path base = a.base;
    const std::filesystem::path measures = a.measures.empty() ? base.parent_path() / "measures.json"
                                                              : std::filesystem::path(a.measures);
    const MeasureCatalogue cat = load_measures(measures);
    if (a.list) {
        list_measures(cat);
        return;
    }
    std::vector<MeasureChoice> choices;
    for (const auto& s : a.set) choices.push_back(parse_measure_choice(s, "--set"));
    const std::filesystem::path out = a.out;
    // reproduce.sh is the what-if's completion mark: written after the run.
    std::vector<std::filesystem::path> inputs = {base, measures};
    if (!a.warm_start.empty()) inputs.emplace_back(a.warm_start);
    OutputFolder folder = OutputFolder::open(out, "reproduce.sh", inputs);
    Json scenario = what_if_scenario(cat, choices, base, out, "--set");
    if (a.sample > 0)
        scenario["sample_fraction"] = a.sample;  // recorded in the scenario: reproducible
    const auto scenario_file = out / "scenario.json";
    write_text_atomic(scenario_file, scenario.dump(2) + "\n");
    // The exact command that gives the same event hash (the warm start and the day count are run
    // options, not part of the scenario).
    const auto quoted = [](const std::string& p) {
        return "'" + p + "'";
    };  // paths may hold spaces
    std::string again =
        fmt::format("\"${{MODESHIFT:-modeshift}}\" run {} --out {}", quoted(scenario_file.string()),
                    quoted((out / "run-again").string()));
    if (!a.warm_start.empty()) again += " --warm-start " + quoted(a.warm_start);
    if (a.iterations > 0) again += fmt::format(" --iterations {}", a.iterations);
    RunOptions o;
    o.out_dir = out / "run";
    o.threads = a.threads;
    o.quiet = true;  // the runner's terminal progress; --progress gives parseable lines instead
    o.warm_start = a.warm_start;
    if (a.iterations > 0) o.iterations = a.iterations;
    const auto t0 = std::chrono::steady_clock::now();
    if (a.progress) {
        // One line per simulated day, for the viewer's progress bar (stdout, flushed).
        o.on_iteration = [t0](const IterationFigures& f, int total) {
            const double el =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const double left =
                f.iteration > 0 ? el / f.iteration * std::max(0, total - f.iteration) : 0.0;
            fmt::print(
                "progress iteration={} of={} share_change={:.4f} elapsed_s={:.1f} "
                "eta_max_s={:.1f}\n",
                f.iteration, total, f.mode_share_change, el, left);
            std::fflush(stdout);
        };
    }
    const RunSummary s = run_scenario(scenario_file, o);
    folder.complete(
        "#!/bin/sh\n# Re-runs this what-if (MODESHIFT: the binary, default modeshift on PATH);\n"
        "# run-again/summary.json's event_hash equals run/summary.json's.\n" +
        again + "\n");
    fmt::print(
        "done scenario={} run={} event_hash={} co2_t={:.1f} study_area_co2_t={:.1f} "
        "wall_s={:.1f}\n",
        scenario_file.string(), o.out_dir.string(), s.event_hash, s.co2_kg_total / 1000,
        s.study_area.co2_kg_total / 1000, s.wall_s);
}

}  // namespace

void add_what_if_command(CLI::App& app) {
    auto a = std::make_shared<WhatIfArgs>();
    auto* cmd = app.add_subcommand(
        "what-if",
        "Run the baseline plus chosen measures (scenarios/measures.json); keeps the scenario file");
    cmd->add_option("--base", a->base, "baseline scenario (default scenarios/seogu-baseline.json)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--measures", a->measures,
                    "measure catalogue (default: measures.json beside the baseline)");
    cmd->add_option("--set", a->set,
                    "a measure: KEY for a toggle, KEY=VALUE for a slider (repeat)");
    add_out_option(cmd, a->out, "output folder: scenario.json and the run in run/", false);
    cmd->add_option("--warm-start", a->warm_start,
                    "start from this run folder's link times (the baseline run)")
        ->check(CLI::ExistingDirectory);
    add_iterations_option(cmd, a->iterations, "iteration limit (default: the scenario's)");
    add_threads_option(cmd, a->threads);
    add_sample_option(cmd, a->sample,
                      "sample fraction written into the scenario (default: the baseline's)");
    cmd->add_flag("--progress", a->progress,
                  "print one 'progress ...' line per simulated day on stdout");
    cmd->add_flag("--list", a->list, "list the measures and exit");
    cmd->callback([a] {
        if (!a->list && a->out.empty()) throw CLI::RequiredError("--out");
        run(*a);
    });
}

}  // namespace modeshift::cli
