// The comparison of two scenarios from their run folders: one or several seeds per side, runs
// paired by seed, every figure the mean over the pairs with the band of its change, the network
// for the map, and the completeness of tables whose summary.json predates the row counts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "compare_model.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/core/intervals.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/tables.hpp"

namespace modeshift {

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- the map network

/// The "network" path of a scenario file, following "extends" (relative to each file's folder).
fs::path network_of_scenario(const fs::path& file, int depth = 0) {
    std::error_code ec;
    if (depth > 16 || !fs::is_regular_file(file, ec)) return {};
    try {
        Json j = read_json_file(file);
        auto dir = file.parent_path();
        if (j.contains("network") && j["network"].is_string())
            return (dir / j["network"].get<std::string>()).lexically_normal();
        if (j.contains("extends") && j["extends"].is_string())
            return network_of_scenario((dir / j["extends"].get<std::string>()).lexically_normal(),
                                       depth + 1);
    } catch (const std::exception&) {
    }
    return {};
}

/// Reads a network for the map; a note if it is not the one the run used.
std::shared_ptr<const Network> read_map_network(const fs::path& file, const RunOutputs& run,
                                                std::vector<std::string>& notes) {
    auto net = std::make_shared<const Network>(read_network(file), file.string());
    if (!run.summary.network_hash.empty() && hex64(net->content_hash()) != run.summary.network_hash)
        notes.push_back(fmt::format(
            "map: network file {} has hash {} but the run used {} / 지도: 네트워크 해시 불일치",
            file.string(), hex64(net->content_hash()), run.summary.network_hash));
    return net;
}

/// The network the summary names (or, for older summaries, its scenario file names).
fs::path network_path_of(const RunOutputs& run) {
    fs::path p = run.summary.network_file;
    if (p.empty() && !run.summary.scenario_file.empty()) {
        fs::path sc = run.summary.scenario_file;
        p = network_of_scenario(sc);
        if (p.empty() && sc.is_relative()) p = network_of_scenario(run.dir / sc);
    }
    return p;
}

std::shared_ptr<const Network> load_map_network(const RunOutputs& run,
                                                const std::optional<fs::path>& over,
                                                std::vector<std::string>& notes) {
    if (over) {
        // Asked for by name (--network): a file that is missing or unreadable is an error, not a
        // note.
        std::error_code ec;
        if (!fs::is_regular_file(*over, ec))
            throw InputError(over->string(), 0, "--network", "network file not found");
        return read_map_network(*over, run, notes);
    }
    const fs::path p = network_path_of(run);
    if (p.empty()) {
        notes.push_back("map: summary.json names no network file / 지도: 네트워크 파일 정보 없음");
        return nullptr;
    }
    // A relative path is tried relative to the run directory, then to the working directory.
    std::vector<fs::path> candidates;
    if (p.is_relative()) candidates.push_back(run.dir / p);
    candidates.push_back(p);
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!fs::is_regular_file(c, ec)) continue;
        try {
            return read_map_network(c, run, notes);
        } catch (const std::exception& e) {
            notes.push_back(fmt::format("map: cannot read network {}: {}", c.string(), e.what()));
            return nullptr;
        }
    }
    notes.push_back(fmt::format(
        "map: network file not found: {} / 지도: 네트워크 파일을 찾을 수 없음", p.string()));
    return nullptr;
}

/// A run whose summary.json predates the row counts: its tables must hold a row per link and per
/// dong of its network, when that network is at hand (else a note says nothing was checked).
void check_rows_against_network(const RunOutputs& r, const Network* net,
                                std::vector<std::string>& notes) {
    if (!r.summary.table_rows.empty()) return;  // read_run_outputs checked the counts
    if (!net || hex64(net->content_hash()) != r.summary.network_hash) {
        notes.push_back(fmt::format(
            "{}: its summary.json records no row counts (an older run) and its network is not at "
            "hand, so its tables could not be checked for completeness / 표의 완전성 미확인",
            r.dir.string()));
        return;
    }
    auto refuse = [](const fs::path& file, std::size_t rows, std::size_t want, const char* what) {
        throw InputError(file.string(), 0, "rows",
                         fmt::format("{} rows, but the run's network has {} {}: the table is "
                                     "incomplete",
                                     rows, want, what));
    };
    if (r.links.size() != net->link_count())
        refuse(r.dir / kLinksTable.file, r.links.size(), net->link_count(), "links");
    if (r.dongs.size() != net->zone_count())
        refuse(r.dir / kByDongTable.file, r.dongs.size(), net->zone_count(), "zones");
}

// ---------------------------------------------------------------- the runs of a side

[[noreturn]] void refuse_run(const RunOutputs& r, const char* field, const std::string& why) {
    throw InputError((r.dir / kSummaryFile).string(), 0, field, why);
}

/// The runs of one side, by seed: one scenario on one network and sample, each seed once.
std::vector<RunOutputs> read_side(const std::vector<fs::path>& dirs, const char* side) {
    std::vector<RunOutputs> runs;
    for (const fs::path& d : dirs) runs.push_back(read_run_outputs(d));
    std::stable_sort(runs.begin(), runs.end(), [](const RunOutputs& a, const RunOutputs& b) {
        return a.summary.seed < b.summary.seed;
    });
    const RunSummary& first = runs.front().summary;
    for (std::size_t i = 1; i < runs.size(); ++i) {
        const RunOutputs& r = runs[i];
        const RunSummary& s = r.summary;
        if (s.seed == runs[i - 1].summary.seed)
            refuse_run(r, "seed",
                       fmt::format("seed {} is also the seed of {}: each {} run needs its own seed",
                                   s.seed, runs[i - 1].dir.string(), side));
        if (s.scenario != first.scenario)
            refuse_run(r, "scenario",
                       fmt::format("the {} runs must be of one scenario: '{}' here, '{}' in {}",
                                   side, s.scenario, first.scenario, runs.front().dir.string()));
        if (s.network_hash != first.network_hash)
            refuse_run(r, "network_hash",
                       fmt::format("the {} runs must share a network: {} here, {} in {}", side,
                                   s.network_hash, first.network_hash, runs.front().dir.string()));
        if (s.sample_fraction != first.sample_fraction)
            refuse_run(
                r, "sample_fraction",
                fmt::format("the {} runs must share a sample fraction: {} here, {} in {}", side,
                            s.sample_fraction, first.sample_fraction, runs.front().dir.string()));
    }
    return runs;
}

/// Several runs per side are paired by seed: both sides need the same seeds.
void check_same_seeds(const std::vector<RunOutputs>& base, const std::vector<RunOutputs>& policy) {
    if (base.size() == 1 && policy.size() == 1) return;  // one pair: a note names other seeds
    auto seeds = [](const std::vector<RunOutputs>& runs) {
        std::set<std::uint64_t> s;
        for (const auto& r : runs) s.insert(r.summary.seed);
        return s;
    };
    const auto a = seeds(base), b = seeds(policy);
    auto unpaired = [](const std::vector<RunOutputs>& runs, const std::set<std::uint64_t>& other,
                       const char* side, const char* other_side) {
        for (const auto& r : runs)
            if (!other.count(r.summary.seed))
                refuse_run(r, "seed",
                           fmt::format("seed {} has a {} run but no {} run: give both sides runs "
                                       "of the same seeds (the change is taken seed by seed)",
                                       r.summary.seed, side, other_side));
    };
    unpaired(base, b, "base", "policy");
    unpaired(policy, a, "policy", "base");
}

// ---------------------------------------------------------------- combining the pairs

/// Calls f on every Delta of a comparison, always in the same order.
template <class F>
void for_each_delta(Comparison& c, F f) {
    for (Delta* d : {&c.co2_t, &c.co2_tailpipe_t, &c.co2_grid_t, &c.co2_hydrogen_t, &c.vkt_km,
                     &c.pkt_km, &c.trips, &c.co2_g_per_pkm, &c.mean_travel_time_min})
        f(*d);
    for (auto* per_mode : {&c.mode_co2_t, &c.mode_share_pct, &c.mode_vkt_km, &c.mode_pkt_km,
                           &c.mode_travel_time_min, &c.mode_trips})
        for (Delta& d : *per_mode) f(d);
    if (c.study.present) {
        f(c.study.co2_t);
        f(c.study.trips);
        for (auto* per_mode : {&c.study.mode_share_pct, &c.study.mode_co2_t})
            for (Delta& d : *per_mode) f(d);
    }
    for (Delta& d : c.hourly_co2_kg) f(d);
    for (LinkDelta& l : c.links) {
        f(l.co2_kg);
        f(l.vehicles);
    }
    for (DongDelta& d : c.dongs) {
        f(d.co2_kg);
        f(d.vkt_km);
        f(d.trips_from);
    }
}

std::vector<Delta*> deltas_of(Comparison& c) {
    std::vector<Delta*> out;
    for_each_delta(c, [&](Delta& d) { out.push_back(&d); });
    return out;
}

/// The means over the seeds, and the band of the per-seed differences: a 90 % t interval from 3
/// seeds on, the range of the two from 2 (a t interval on one degree of freedom is 6.3 standard
/// errors wide and says little more).
Delta combine(const std::vector<const Delta*>& per_seed) {
    const double n = double(per_seed.size());
    Delta out;
    std::vector<double> diffs;
    for (const Delta* d : per_seed) {
        out.base += d->base / n;
        out.policy += d->policy / n;
        diffs.push_back(d->delta());
    }
    out.band.n = per_seed.size();
    const bool finite =
        std::all_of(diffs.begin(), diffs.end(), [](double v) { return std::isfinite(v); });
    if (per_seed.size() < 2 || !finite) return out;
    if (per_seed.size() == 2) {
        out.band.kind = Band::Kind::Range;
        out.band.lo = std::min(diffs[0], diffs[1]);
        out.band.hi = std::max(diffs[0], diffs[1]);
        return out;
    }
    const Interval i = mean_interval(diffs, kDefaultIntervalLevel);
    out.band.kind = Band::Kind::TInterval;
    out.band.lo = i.lo;
    out.band.hi = i.hi;
    return out;
}

Comparison combine(std::vector<Comparison>& pairs) {
    if (pairs.size() == 1) return pairs.front();
    // A run's hourly table ends with its last hour of traffic: later hours had none.
    std::size_t hours = 0;
    for (const Comparison& p : pairs) hours = std::max(hours, p.hourly_co2_kg.size());
    for (Comparison& p : pairs) p.hourly_co2_kg.resize(hours);
    std::vector<std::vector<Delta*>> all;
    for (Comparison& p : pairs) all.push_back(deltas_of(p));
    Comparison c = pairs.front();
    const std::vector<Delta*> out = deltas_of(c);
    for (const auto& a : all)
        MS_ASSERT(a.size() == out.size(), "the pairs of one network have the same figures");
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::vector<const Delta*> per_seed;
        for (const auto& a : all) per_seed.push_back(a[i]);
        *out[i] = combine(per_seed);
    }
    return c;
}

}  // namespace

Comparison compare_runs(const std::vector<fs::path>& base_dirs,
                        const std::vector<fs::path>& policy_dirs, const CompareOptions& options) {
    MS_ASSERT(options.annual.days > 0, "compare needs the weekday-equivalent days of a year");
    if (base_dirs.empty() || policy_dirs.empty())
        throw InputError("", 0, base_dirs.empty() ? "base" : "policy", "no run folder given");
    std::vector<RunOutputs> base = read_side(base_dirs, "base");
    std::vector<RunOutputs> policy = read_side(policy_dirs, "policy");
    check_same_seeds(base, policy);
    std::vector<Comparison> pairs;
    for (std::size_t i = 0; i < base.size(); ++i) pairs.push_back(compare_pair(base[i], policy[i]));
    Comparison c = combine(pairs);
    c.network = load_map_network(policy.front(), options.network, c.notes);
    for (const auto* side : {&base, &policy})
        for (const RunOutputs& r : *side) check_rows_against_network(r, c.network.get(), c.notes);
    for (const RunOutputs& r : base) c.base_dirs.push_back(r.dir);
    for (const RunOutputs& r : policy) {
        c.policy_dirs.push_back(r.dir);
        c.seeds.push_back(r.summary.seed);
    }
    c.annual = options.annual;
    c.base = std::move(base.front());
    c.policy = std::move(policy.front());
    return c;
}

Comparison compare_runs(const fs::path& base_dir, const fs::path& policy_dir,
                        const CompareOptions& options) {
    return compare_runs(std::vector<fs::path>{base_dir}, std::vector<fs::path>{policy_dir},
                        options);
}

}  // namespace modeshift
