#include "modeshift/report/sweep.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

#include "modeshift/core/error.hpp"
#include "modeshift/core/version.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/output_folder.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift {

std::string scenario_name_of(const std::filesystem::path& scenario) {
    std::string n = scenario.filename().string();
    for (const char* suffix : {".scenario.json", ".json", ".yaml", ".yml"}) {
        std::string s(suffix);
        if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0)
            return n.substr(0, n.size() - s.size());
    }
    return scenario.stem().string();
}

std::vector<SweepRequest> plan_sweep(const std::vector<std::filesystem::path>& scenarios,
                                     const SweepOptions& opt) {
    if (opt.seeds.empty()) throw InputError("sweep", 0, "--seeds", "no seeds given");
    std::map<std::string, std::filesystem::path> names;
    std::vector<SweepRequest> out;
    for (const auto& sc : scenarios) {
        std::string name = scenario_name_of(sc);
        auto [it, fresh] = names.emplace(name, sc);
        if (!fresh)
            throw InputError(
                sc.string(), 0, "scenario",
                "two scenarios are both named '" + name + "' (" + it->second.string() + ")");
        for (std::uint64_t seed : opt.seeds) {
            SweepRequest r;
            r.scenario = sc;
            r.name = name;
            r.seed = seed;
            r.out_dir = opt.out_dir / fmt::format("{}_seed{}", name, seed);
            r.threads = std::max(1, opt.threads_per_run);
            r.iterations = opt.iterations;
            if (opt.key_of) r.key = opt.key_of(sc, opt.iterations);
            out.push_back(std::move(r));
        }
    }
    return out;
}

namespace {

/// Why a finished run's summary cannot stand for the request ("" = it can).
std::string stale_reason(const SweepRequest& r, const RunSummary& s) {
    if (s.seed != r.seed) return fmt::format("it ran seed {}, not {}", s.seed, r.seed);
    if (!r.key) return "";
    if (s.version != kVersion)
        return fmt::format("it was made by modeshift {} (this is {})", s.version, kVersion);
    if (s.scenario_hash != r.key->scenario_hash)
        return "the scenario or a file it reads changed since";
    if (s.iterations_limit != r.key->iterations_limit)
        return fmt::format("it ran with an iteration limit of {}, not {}", s.iterations_limit,
                           r.key->iterations_limit);
    if (!s.warm_start.empty()) return "it was warm-started from " + s.warm_start;
    return "";
}

/// A finished run of this request: a valid summary whose key matches. `why_not` (if given)
/// receives the reason a valid summary was not reused.
bool finished(const SweepRequest& r, RunSummary& out, std::string* why_not = nullptr) {
    auto path = r.out_dir / kSummaryFile;
    if (!is_valid_summary(path)) return false;
    RunSummary s = read_summary_json(path);
    if (std::string why = stale_reason(r, s); !why.empty()) {
        if (why_not) *why_not = std::move(why);
        return false;
    }
    out = std::move(s);
    return true;
}

const char* status_name(SweepStatus s) {
    constexpr const char* kNames[] = {"ran", "skipped", "failed"};  // in enum order
    const auto i = static_cast<std::size_t>(s);
    return i < std::size(kNames) ? kNames[i] : "?";
}

std::string g(double v) {
    return fmt::format("{:.10g}", v);
}

}  // namespace

bool read_finished_run(const SweepRequest& r, RunSummary& out) {
    return finished(r, out);
}

std::vector<SweepRunResult> run_sweep_requests(
    const std::vector<SweepRequest>& plan, const std::vector<std::size_t>& indices,
    const SweepOptions& opt, const SweepRunFunction& run,
    const std::function<void(const std::string&)>& progress) {
    std::filesystem::create_directories(opt.out_dir);
    std::vector<SweepRunResult> results(plan.size());
    for (std::size_t i = 0; i < plan.size(); ++i) results[i].request = plan[i];
    std::mutex mu;
    std::atomic<std::size_t> done{0};
    const std::size_t total = indices.size();
    auto say = [&](const std::string& line) {
        if (!progress) return;
        std::lock_guard lock(mu);
        progress(line);
    };
    auto one = [&](std::size_t i) {
        SweepRunResult& out = results[i];
        const SweepRequest& r = out.request;
        if (finished(r, out.summary, &out.note)) {
            out.status = SweepStatus::Skipped;
            say(fmt::format("[{}/{}] {} seed {}: done earlier, skipped", ++done, total, r.name,
                            r.seed));
            return;
        }
        if (!out.note.empty()) {
            out.note = "redone: " + out.note;
            say(fmt::format("{} seed {}: {}", r.name, r.seed, out.note));
        }
        // No valid summary of this request: whatever is there is the remains of an interrupted
        // or a stale run.
        std::error_code ec;
        std::filesystem::remove_all(r.out_dir, ec);
        std::filesystem::create_directories(r.out_dir);
        say(fmt::format("{} seed {}: started", r.name, r.seed));
        auto t0 = std::chrono::steady_clock::now();
        try {
            run(r);
            if (!finished(r, out.summary))
                throw std::runtime_error("the run did not leave a valid " +
                                         std::string(kSummaryFile));
            out.status = SweepStatus::Ran;
            double sec =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            say(fmt::format("[{}/{}] {} seed {}: finished in {:.1f} s, CO2 {:.2f} t", ++done, total,
                            r.name, r.seed, sec, out.summary.co2_kg_total / 1000.0));
        } catch (const std::exception& e) {
            out.status = SweepStatus::Failed;
            out.error = e.what();
            if (const auto* input = dynamic_cast<const InputError*>(&e)) out.input_error = *input;
            // Do not keep a half result: a later resume redoes this run.
            std::filesystem::remove(r.out_dir / kSummaryFile, ec);
            say(fmt::format("[{}/{}] {} seed {}: FAILED: {}", ++done, total, r.name, r.seed,
                            e.what()));
        }
    };
    // libtbb is not instrumented for ThreadSanitizer: these release/acquire hand-offs make the
    // ordering that oneTBB guarantees visible to it (set-up -> workers -> results).
    std::atomic<std::size_t> handoff{0};
    handoff.store(0, std::memory_order_release);
    tbb::task_arena arena(std::max(1, opt.jobs));
    arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, indices.size(), 1),
            [&](const tbb::blocked_range<std::size_t>& range) {
                for (std::size_t k = range.begin(); k != range.end(); ++k) {
                    handoff.load(std::memory_order_acquire);  // sees the set-up
                    one(indices[k]);
                    // Publishes results[i] to the reading thread.
                    handoff.fetch_add(1, std::memory_order_acq_rel);
                }
            },
            tbb::simple_partitioner{});
    });
    handoff.load(std::memory_order_acquire);
    return results;
}

SweepResult finish_sweep(std::vector<SweepRunResult> runs, const std::filesystem::path& out_dir) {
    SweepResult result;
    result.runs = std::move(runs);
    for (const auto& r : result.runs) {
        if (r.status == SweepStatus::Ran)
            ++result.ran;
        else if (r.status == SweepStatus::Skipped)
            ++result.skipped;
        else {
            ++result.failed;
            if (r.input_error) ++result.failed_on_input;
        }
    }
    write_text_atomic(out_dir / "sweep.csv", sweep_table_csv(result));
    write_text_atomic(out_dir / "sweep_summary.csv", sweep_summary_csv(result));
    return result;
}

SweepResult run_sweep(const std::vector<std::filesystem::path>& scenarios, const SweepOptions& opt,
                      const SweepRunFunction& run,
                      const std::function<void(const std::string&)>& progress) {
    const std::vector<SweepRequest> plan = plan_sweep(scenarios, opt);
    // One sweep at a time into a folder; its summary table is the completion mark.
    const OutputFolder folder = OutputFolder::open(opt.out_dir, "sweep_summary.csv", scenarios);
    std::vector<std::size_t> all(plan.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    return finish_sweep(run_sweep_requests(plan, all, opt, run, progress), opt.out_dir);
}

const char* sweep_status_name(SweepStatus s) {
    return status_name(s);
}

namespace {

/// The per-run figures tabulated and summarised, in column order.
std::vector<std::pair<std::string, double>> metrics(const RunSummary& s) {
    std::vector<std::pair<std::string, double>> m;
    m.emplace_back("co2_t", s.co2_kg_total / 1000.0);
    m.emplace_back("co2_tailpipe_t", s.co2_kg_tailpipe / 1000.0);
    m.emplace_back("co2_grid_t", s.co2_kg_grid / 1000.0);
    m.emplace_back("co2_hydrogen_t", s.co2_kg_hydrogen / 1000.0);
    m.emplace_back("co2_g_per_pkm", s.co2_g_per_pkm);
    m.emplace_back("persons", s.persons);
    m.emplace_back("trips", s.trips);
    double vkt = 0, pkt = 0;
    for (const auto& x : s.modes) {
        vkt += x.vkt_km;
        pkt += x.pkt_km;
    }
    m.emplace_back("vkt_km", vkt);
    m.emplace_back("pkt_km", pkt);
    for (Mode md : kAllModes)
        m.emplace_back("share_" + std::string(mode_name(md)), s.modes[mode_index(md)].share);
    for (Mode md : kAllModes)
        m.emplace_back("co2_t_" + std::string(mode_name(md)),
                       s.modes[mode_index(md)].co2_kg / 1000.0);
    for (Mode md : kAllModes)
        m.emplace_back("mean_travel_time_min_" + std::string(mode_name(md)),
                       s.modes[mode_index(md)].mean_travel_time_min);
    m.emplace_back("trips_stuck", static_cast<double>(s.trips_stuck));
    m.emplace_back("wall_s", s.wall_s);
    return m;
}

}  // namespace

std::string sweep_table_csv(const SweepResult& r) {
    std::ostringstream o;
    o << "scenario,seed,status,dir";
    for (const auto& [k, v] : metrics(RunSummary{})) o << ',' << k;
    o << ",events,event_hash,error,note\n";
    for (const auto& run : r.runs) {
        o << csv_field(run.request.name) << ',' << run.request.seed << ','
          << status_name(run.status) << ',' << csv_field(run.request.out_dir.string());
        bool ok = run.status != SweepStatus::Failed;
        for (const auto& [k, v] : metrics(run.summary)) o << ',' << (ok ? g(v) : "");
        o << ',' << (ok ? std::to_string(run.summary.events) : "") << ','
          << (ok ? run.summary.event_hash : "") << ',' << csv_field(run.error) << ','
          << csv_field(run.note) << '\n';
    }
    return o.str();
}

std::string sweep_summary_csv(const SweepResult& r) {
    // Scenario order = first appearance in the plan (deterministic).
    std::vector<std::string> order;
    std::map<std::string, std::vector<const RunSummary*>> by;
    for (const auto& run : r.runs) {
        if (!by.count(run.request.name)) order.push_back(run.request.name);
        auto& v = by[run.request.name];
        if (run.status != SweepStatus::Failed) v.push_back(&run.summary);
    }
    std::ostringstream o;
    o << "scenario,metric,runs,mean,std_dev,min,max\n";
    for (const auto& name : order) {
        const auto& runs = by[name];
        auto names = metrics(RunSummary{});
        for (std::size_t k = 0; k < names.size(); ++k) {
            std::vector<double> xs;
            for (const RunSummary* s : runs) xs.push_back(metrics(*s)[k].second);
            o << csv_field(name) << ',' << names[k].first << ',' << xs.size();
            if (xs.empty()) {
                o << ",,,,\n";
                continue;
            }
            double mean = 0;
            for (double x : xs) mean += x;
            mean /= static_cast<double>(xs.size());
            double ss = 0;
            for (double x : xs) ss += (x - mean) * (x - mean);
            // Sample standard deviation over seeds (n - 1); 0 for a single run.
            double sd = xs.size() > 1 ? std::sqrt(ss / static_cast<double>(xs.size() - 1)) : 0.0;
            auto [mn, mx] = std::minmax_element(xs.begin(), xs.end());
            o << ',' << g(mean) << ',' << g(sd) << ',' << g(*mn) << ',' << g(*mx) << '\n';
        }
    }
    return o.str();
}

}  // namespace modeshift
