// `modeshift pathway`: the whole job behind the CLI — check and lock the output folder, write
// the year scenarios, run them with resume, then the figures and the output files.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "modeshift/io/output_folder.hpp"
#include "modeshift/pathway_run/pathway_tables.hpp"
#include "modeshift/scenario/scenario.hpp"

namespace modeshift::pathway {

PathwayResult run_pathway(const std::filesystem::path& file, const PathwayRunOptions& opt,
                          const PathwayRunFunction& run,
                          const std::function<void(const std::string&)>& progress) {
    const PathwayFile p = load_pathway(file);
    const std::uint64_t base_seed = load_scenario(p.base_scenario).seed;
    // Planning the runs checks the options (years) before anything is written.
    const std::vector<PathwayRun> runs = plan_runs(p, opt, base_seed);
    const std::vector<std::filesystem::path> inputs = {file, p.base_scenario};
    // Under MPI, rank 0 alone prepares the folder; the others wait for it (and learn if it failed).
    std::optional<OutputFolder> out;
    if (opt.rank == 0) {
        try {
            out.emplace(OutputFolder::open(opt.out_dir, "pathway.json", inputs));
            write_year_scenarios(p, opt, runs);
        } catch (...) {
            if (opt.ranks > 1) opt.all_ok(false);
            throw;
        }
    }
    if (opt.ranks > 1 && !opt.all_ok(true))
        throw std::runtime_error(
            fmt::format("pathway: process 0 could not prepare {}", opt.out_dir.string()));
    if (progress && opt.rank == 0)
        progress(fmt::format(
            "pathway: {} runs ({} years x BAU, plan and leave-one-out x {} seed(s)), "
            "{} at a time -> {}",
            runs.size(), opt.years.empty() ? p.years.size() : opt.years.size(),
            opt.seeds.empty() ? std::size_t(std::max(1, opt.seed_count)) : opt.seeds.size(),
            opt.jobs, opt.out_dir.string()));
    std::vector<RunFigures> figures = execute_runs(runs, opt, run, progress);
    if (opt.rank != 0) return {};  // rank 0 writes the tables
    if (opt.ranks > 1) {
        // Every run is finished now, most of them elsewhere: one pass in this process reuses
        // them all (their keys match) and reads their figures.
        PathwayRunOptions here = opt;
        here.rank = 0;
        here.ranks = 1;
        figures = execute_runs(runs, here, run, nullptr);
    }
    PathwayResult result = summarise(p, runs, figures);
    result.method = method_lines(p, result);
    write_pathway_outputs(out->path(), result);
    // The outputs hold a pointer into p, which ends here: the caller gets the figures only.
    result.pathway = nullptr;
    return result;
}

}  // namespace modeshift::pathway
