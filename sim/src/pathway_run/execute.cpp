// Running a pathway's runs year by year, `jobs` at a time, with resume: a finished run is reused
// only when its key (the scenario's content hash, seed, days, warm start and version) matches.
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include "modeshift/core/error.hpp"
#include "modeshift/core/version.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/pathway_run/pathway_run.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/scenario/scenario.hpp"

namespace modeshift::pathway {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyFile = "pathway-run-key.json";

/// What a run depends on besides the code: if any of it changed, an earlier result is stale. A
/// warm start is part of the input, so the key holds the warm-start run's own key (a chain back
/// to the first year): a changed 2026 run makes every 2030 run that starts from it stale.
std::string run_key(const PathwayRun& r) {
    std::string warm_key;
    std::error_code ec;
    if (!r.warm_start.empty() && fs::exists(r.warm_start / kKeyFile, ec))
        warm_key = read_file_bytes(r.warm_start / kKeyFile);
    const Json key = {
        {"scenario_hash", load_scenario(r.scenario).hash},
        {"seed", r.seed},
        {"iterations", r.iterations ? *r.iterations : 0},
        {"warm_start",
         r.warm_start.empty() ? std::string() : r.warm_start.lexically_normal().string()},
        {"warm_start_key", warm_key},
        {"version", kVersion},
    };
    return key.dump(1) + "\n";
}

/// Why a finished run cannot be reused, or "" when it can.
std::string stale_reason(const PathwayRun& r, const std::string& key) {
    if (!is_valid_summary(r.out_dir / kSummaryFile)) return "not finished";
    std::error_code ec;
    if (!fs::exists(r.out_dir / kKeyFile, ec)) return "no run key";
    if (read_file_bytes(r.out_dir / kKeyFile) != key) return "its inputs changed";
    return "";
}

}  // namespace

RunFigures figures_of(const RunSummary& s) {
    RunFigures f;
    f.city_co2_t = s.co2_kg_total / 1000.0;
    f.study_co2_t = s.study_area.co2_kg_total / 1000.0;
    for (std::size_t m = 0; m < kModeCount; ++m) {
        f.city_vkt_km += s.modes[m].vkt_km;
        f.study_vkt_km += s.study_area.modes[m].vkt_km;
        f.city_share[m] = s.modes[m].share;
        f.study_share[m] = s.study_area.modes[m].share;
    }
    return f;
}

std::vector<RunFigures> execute_runs(const std::vector<PathwayRun>& runs,
                                     const PathwayRunOptions& opt, const PathwayRunFunction& run,
                                     const std::function<void(const std::string&)>& progress) {
    std::vector<RunFigures> out(runs.size());
    std::vector<std::string> errors(runs.size());
    std::vector<std::exception_ptr> failures(runs.size());
    std::mutex mu;
    std::size_t done = 0;
    auto say = [&](const std::string& line) {
        std::lock_guard lock(mu);
        ++done;
        if (!progress) return;
        if (opt.ranks > 1)  // each process counts its own share
            progress(fmt::format("process {}/{} [{}] {}", opt.rank, opt.ranks, done, line));
        else
            progress(fmt::format("[{}/{}] {}", done, runs.size(), line));
    };
    auto one = [&](std::size_t i) {
        const PathwayRun& r = runs[i];
        const std::string name = fmt::format("{} {} seed {}", r.year, r.variant, r.seed);
        try {
            const std::string key = run_key(r);
            const std::string why = stale_reason(r, key);
            if (why.empty()) {
                out[i] = figures_of(read_summary_json(r.out_dir / kSummaryFile));
                say(name + ": done earlier with the same inputs, reused");
                return;
            }
            // Whatever is there is an interrupted or stale run: start clean, key first, so a
            // folder with a summary but another key is never taken for this run.
            std::error_code ec;
            fs::remove_all(r.out_dir, ec);
            fs::create_directories(r.out_dir);
            write_text_atomic(r.out_dir / kKeyFile, key);
            const auto t0 = std::chrono::steady_clock::now();
            out[i] = figures_of(run(r));
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            say(fmt::format("{}: ran in {:.1f} s ({}), Seo-gu CO2 {:.1f} t/day", name, s,
                            why == "not finished" ? "new" : why, out[i].study_co2_t));
        } catch (const std::exception& e) {
            errors[i] = e.what();
            failures[i] = std::current_exception();
            std::error_code ec;
            fs::remove(r.out_dir / kSummaryFile, ec);
            say(fmt::format("{}: FAILED: {}", name, e.what()));
        }
    };
    // Year by year: a year's runs warm-start from the previous year's.
    std::map<int, std::vector<std::size_t>> by_year;
    for (std::size_t i = 0; i < runs.size(); ++i) by_year[runs[i].year].push_back(i);
    tbb::task_arena arena(std::max(1, opt.jobs));
    for (const auto& year_runs : by_year) {
        // This process's share of the year (all of it without MPI), dealt round robin. A plain
        // vector: clang 14 cannot capture structured bindings in the lambda below.
        std::vector<std::size_t> idx;
        for (std::size_t k = 0; k < year_runs.second.size(); ++k)
            if (static_cast<int>(k % static_cast<std::size_t>(opt.ranks)) == opt.rank)
                idx.push_back(year_runs.second[k]);
        // libtbb is not instrumented for ThreadSanitizer: the release/acquire hand-off makes
        // oneTBB's ordering (set-up -> workers -> results) visible to it, as in the sweep.
        std::atomic<std::size_t> handoff{0};
        handoff.store(0, std::memory_order_release);
        arena.execute([&] {
            tbb::parallel_for(
                tbb::blocked_range<std::size_t>(0, idx.size(), 1),
                [&](const tbb::blocked_range<std::size_t>& range) {
                    for (std::size_t k = range.begin(); k != range.end(); ++k) {
                        handoff.load(std::memory_order_acquire);
                        one(idx[k]);
                        handoff.fetch_add(1, std::memory_order_acq_rel);
                    }
                },
                tbb::simple_partitioner{});
        });
        handoff.load(std::memory_order_acquire);
        // Under MPI every process passes this point once per year, failed or not, so that none
        // waits for a process that gave up; the next year starts from the runs of all of them.
        const bool ok_here =
            std::all_of(idx.begin(), idx.end(), [&](std::size_t i) { return errors[i].empty(); });
        if (opt.ranks > 1 && !opt.all_ok(ok_here) && ok_here)
            throw std::runtime_error(fmt::format(
                "pathway: a run of {} failed in another process of the MPI job (the finished "
                "runs are kept; rerun the same command to resume)",
                year_runs.first));
        for (std::size_t i : idx) {
            if (errors[i].empty()) continue;
            // Bad input (a measure's policy the scenario reader refuses) stays an input error.
            try {
                std::rethrow_exception(failures[i]);
            } catch (const InputError&) {
                throw;
            } catch (...) {
            }
            throw std::runtime_error(
                fmt::format("pathway run {} {} seed {} failed: {} (the finished runs "
                            "are kept; rerun the same command to resume)",
                            runs[i].year, runs[i].variant, runs[i].seed, errors[i]));
        }
    }
    return out;
}

}  // namespace modeshift::pathway
