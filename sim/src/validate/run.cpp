#include "modeshift/validate/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/tables.hpp"
#include "modeshift/report/transit_outputs.hpp"
#include "modeshift/validate/profile.hpp"

namespace modeshift {

namespace fs = std::filesystem;

ErrorStats error_stats(std::span<const double> observed, std::span<const double> simulated) {
    MS_ASSERT(observed.size() == simulated.size(), "observed and simulated differ in size");
    ErrorStats s;
    s.n = observed.size();
    if (s.n == 0) return s;
    const double n = static_cast<double>(s.n);
    double se = 0, sd = 0, sa = 0, so = 0, ss = 0;
    for (std::size_t i = 0; i < s.n; ++i) {
        double d = simulated[i] - observed[i];
        se += d * d;
        sd += d;
        sa += std::fabs(d);
        so += observed[i];
        ss += simulated[i];
    }
    s.rmse = std::sqrt(se / n);
    s.bias = sd / n;
    s.mae = sa / n;
    s.mean_observed = so / n;
    s.mean_simulated = ss / n;
    if (s.n >= 2) {
        double cov = 0, vo = 0, vs = 0;
        for (std::size_t i = 0; i < s.n; ++i) {
            double a = observed[i] - s.mean_observed, b = simulated[i] - s.mean_simulated;
            cov += a * b;
            vo += a * a;
            vs += b * b;
        }
        if (vo > 0 && vs > 0) s.correlation = cov / std::sqrt(vo * vs);
    }
    return s;
}

std::vector<fs::path> default_data_dirs(const RunSummary& s, const fs::path& run_dir) {
    std::vector<fs::path> dirs;
    if (!s.scenario_file.empty()) {
        fs::path sc = s.scenario_file;
        dirs.push_back((sc.parent_path() / "data").lexically_normal());
        if (sc.is_relative())
            dirs.push_back((run_dir / sc.parent_path() / "data").lexically_normal());
    }
    dirs.push_back(fs::path("scenarios") / "data");
    // The repository the network file lives in: networks/<name>/<file> -> scenarios/data.
    if (!s.network_file.empty()) {
        fs::path n = fs::path(s.network_file).lexically_normal();
        if (n.has_parent_path() && n.parent_path().has_parent_path() &&
            n.parent_path().parent_path().filename() == "networks")
            dirs.push_back(n.parent_path().parent_path().parent_path() / "scenarios" / "data");
    }
    return dirs;
}

namespace {

bool file_exists(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

/// The run's network: --network, else summary.json's network_file (a relative path tried
/// relative to the run directory, then as given).
fs::path network_file_of(const ValidateOptions& opt, const RunSummary& summary) {
    fs::path p = opt.network;
    if (p.empty()) {
        p = summary.network_file;
        if (p.is_relative() && file_exists(opt.run_dir / p)) p = opt.run_dir / p;
    }
    const std::string summary_file = (opt.run_dir / kSummaryFile).string();
    if (p.empty())
        throw InputError(summary_file, 0, "$.provenance.network_file",
                         "names no network file: pass --network");
    if (!file_exists(p))
        throw InputError(summary_file, 0, "$.provenance.network_file",
                         fmt::format("network file '{}' not found: pass --network", p.string()));
    return p;
}

/// The observation files: as given, else the defaults in the scenario data folders.
void find_inputs(const ValidateOptions& opt, const RunSummary& summary, ValidationResult& r) {
    const auto dirs = default_data_dirs(summary, opt.run_dir);
    auto find_default = [&](const char* rel) -> fs::path {
        for (const auto& d : dirs)
            if (file_exists(d / rel)) return d / rel;
        return {};
    };
    auto input = [&](const fs::path& given, const char* rel, const char* flag) -> fs::path {
        if (!given.empty()) return given;
        fs::path p = find_default(rel);
        if (p.empty()) {
            std::string tried;
            for (const auto& d : dirs) {
                if (!tried.empty()) tried += ", ";
                tried += (d / rel).string();
            }
            throw InputError(
                rel, 0, flag,
                fmt::format("default file not found (tried {}): pass {}", tried, flag));
        }
        return p;
    };
    r.speeds_file = input(opt.speeds, kDefaultSpeedsFile, "--speeds");
    r.segments_file = input(opt.segments, kDefaultSegmentsFile, "--segments");
    if (opt.use_counts) {
        r.counts_file = opt.counts.empty() ? find_default(kDefaultCountsFile) : opt.counts;
        if (r.counts_file.empty())
            r.notes.push_back(
                "no counts file found (scenarios/data/traffic_counts.csv): counts skipped");
        r.junction_counts_file = opt.junction_counts.empty()
                                     ? find_default(kDefaultJunctionCountsFile)
                                     : opt.junction_counts;
        if (r.junction_counts_file.empty())
            r.notes.push_back(
                "no junction counts file found (scenarios/data/junction_counts.csv): junction "
                "counts skipped");
        r.ridership_file =
            opt.ridership.empty() ? find_default(kDefaultRidershipFile) : opt.ridership;
        if (r.ridership_file.empty())
            r.notes.push_back(
                "no ridership file found (scenarios/data/ridership.csv): ridership skipped");
    }
}

/// link_hourly.csv rows by (link, hour).
class LinkHourIndex {
  public:
    explicit LinkHourIndex(std::span<const LinkHour> rows) {
        for (const auto& h : rows) cells_[key(h.link, h.hour)] = &h;
    }
    const LinkHour* find(LinkId l, std::uint32_t hour) const {
        auto it = cells_.find(key(l, hour));
        return it == cells_.end() ? nullptr : it->second;
    }

  private:
    static std::uint64_t key(LinkId l, std::uint32_t hour) {
        return (static_cast<std::uint64_t>(l.value()) << 32) | hour;
    }
    std::unordered_map<std::uint64_t, const LinkHour*> cells_;
};

/// Observed and simulated speeds of compared segment-hours, in the order they were compared.
struct SpeedPairs {
    std::vector<double> observed, simulated;
    void add(double o, double s) {
        observed.push_back(o);
        simulated.push_back(s);
    }
    void append(const SpeedPairs& o) {
        observed.insert(observed.end(), o.observed.begin(), o.observed.end());
        simulated.insert(simulated.end(), o.simulated.begin(), o.simulated.end());
    }
    ErrorStats stats() const { return error_stats(observed, simulated); }
};

struct SpeedContext {
    const Network& net;
    const LinkHourIndex& cells;
    double sample_fraction = 1;
    double min_sampled_vehicles = 0;
};

/// One hour of a segment direction: the matched links' traffic and the speed driven over them.
void simulate_hour(const SpeedContext& x, const SegmentResult& s, SegmentHour& sh) {
    std::vector<std::optional<LinkTraffic>> traffic;
    for (const auto& m : s.links) {
        const LinkHour* lh = x.cells.find(m.link, static_cast<std::uint32_t>(sh.hour));
        std::optional<LinkTraffic> t;
        if (lh && lh->vehicles > 0 && lh->mean_speed_kmh > 0) {
            ++sh.links_with_traffic;
            if (lh->vehicles * x.sample_fraction >= x.min_sampled_vehicles - 1e-9)
                t = LinkTraffic{lh->vehicles, lh->mean_speed_kmh};
        }
        traffic.push_back(t);
    }
    sh.simulated_kmh = segment_speed_kmh(s.links, traffic);
}

/// Pairs of the compared hours go to `all` (in segment order) and `by_hour`.
SegmentResult compare_segment(const SpeedContext& x, const CorridorSegment& cs,
                              const ObservedSpeeds& o, ValidationResult& r, SpeedPairs& all,
                              std::array<SpeedPairs, kObservedHours>& by_hour) {
    SegmentResult s;
    s.key = o.key;
    s.segment_id = cs.segment_id;
    s.road_name = cs.road_name;
    s.direction = o.reverse ? "BA" : "AB";
    s.from_name = o.from_name.empty() ? (o.reverse ? cs.to_name : cs.from_name) : o.from_name;
    s.to_name = o.to_name.empty() ? (o.reverse ? cs.from_name : cs.to_name) : o.to_name;
    s.segment_length_m = polyline_length_m(cs.line);
    s.links = match_corridor_links(x.net, cs.line, o.reverse);
    const std::vector<double> ones(s.links.size(), 1.0);
    s.matched_length_m = drive_segment(s.links, ones, ones).length_m;
    s.coverage = s.segment_length_m > 0 ? s.matched_length_m / s.segment_length_m : 0.0;
    s.low_coverage = s.coverage < kLowCoverageShare;
    SpeedPairs pairs;
    for (int h = 0; h < kObservedHours; ++h) {
        const auto hi = static_cast<std::size_t>(h);
        SegmentHour& sh = s.hours[hi];
        sh.hour = h;
        sh.observed_kmh = o.kmh[hi];
        simulate_hour(x, s, sh);
        if (!sh.observed_kmh) continue;
        if (!sh.simulated_kmh) {
            if (sh.links_with_traffic > 0) ++r.sparse;
            ++s.hours_missing;
            ++r.missing;
            ++r.hours[hi].missing;
            continue;
        }
        pairs.add(*sh.observed_kmh, *sh.simulated_kmh);
        by_hour[hi].add(*sh.observed_kmh, *sh.simulated_kmh);
    }
    s.stats = pairs.stats();
    all.append(pairs);
    return s;
}

/// Every observed segment direction against the run; the statistics overall, by hour and over
/// the daytime hours.
void compare_speeds(const SpeedContext& x, std::span<const CorridorSegment> segments,
                    std::span<const ObservedSpeeds> observed, ValidationResult& r) {
    SpeedPairs all;
    std::array<SpeedPairs, kObservedHours> by_hour;
    for (const auto& o : observed) {
        SegmentResult s = compare_segment(x, segments[o.segment], o, r, all, by_hour);
        if (s.links.empty())
            r.notes.push_back(fmt::format("{}: no road link matches the segment", s.key));
        r.segments.push_back(std::move(s));
    }
    SpeedPairs day;
    for (int h = 0; h < kObservedHours; ++h) {
        const auto hi = static_cast<std::size_t>(h);
        r.hours[hi].hour = h;
        r.hours[hi].stats = by_hour[hi].stats();
        if (h >= kDaytimeFirstHour) day.append(by_hour[hi]);
    }
    r.overall = all.stats();
    r.daytime = day.stats();
}

/// The simulated / observed ratios of the counts compared, daily and junction counts alike.
struct RatioTally {
    std::size_t compared = 0, within = 0;  ///< within: in [kCountRatioLow, kCountRatioHigh]
    double sum = 0;

    std::optional<double> mean() const {
        if (compared == 0) return std::nullopt;
        return sum / static_cast<double>(compared);
    }
};

/// Each count's result by `evaluate` into `results`, its ratio tallied; a count without a ratio
/// gets a note "<what> <count_id>: <why>".
template <class Count, class Result, class Evaluate>
RatioTally compare_each(const std::vector<Count>& counts, Evaluate evaluate, std::string_view what,
                        std::vector<Result>& results, std::vector<std::string>& notes) {
    RatioTally tally;
    for (const Count& c : counts) {
        Result res = evaluate(c);
        if (res.ratio) {
            ++tally.compared;
            tally.sum += *res.ratio;
            if (*res.ratio >= kCountRatioLow && *res.ratio <= kCountRatioHigh) ++tally.within;
        } else {
            notes.push_back(fmt::format("{} {}: {}", what, c.count_id, res.note));
        }
        results.push_back(std::move(res));
    }
    return tally;
}

void compare_counts(const Network& net, std::span<const LinkHour> hourly, ValidationResult& r) {
    const auto daily = daily_vehicles(net, hourly);
    const RatioTally tally = compare_each(
        read_traffic_counts(r.counts_file),
        [&](const TrafficCount& c) { return evaluate_count(net, daily, c); }, "count", r.counts,
        r.notes);
    r.counts_compared = tally.compared;
    r.within = tally.within;
    r.mean_ratio = tally.mean();
    if (tally.compared > 0)
        r.share_within = static_cast<double>(tally.within) / static_cast<double>(tally.compared);
}

void compare_junctions(const Network& net, std::span<const LinkHour> hourly, ValidationResult& r) {
    const RatioTally tally = compare_each(
        read_junction_counts(r.junction_counts_file),
        [&](const JunctionCount& c) { return evaluate_junction(net, hourly, c); }, "junction count",
        r.junctions, r.notes);
    r.junctions_compared = tally.compared;
    r.junctions_within = tally.within;
    r.junctions_mean_ratio = tally.mean();
}

}  // namespace

ValidationResult validate_run(const ValidateOptions& opt) {
    if (!std::isfinite(opt.min_sampled_vehicles) || opt.min_sampled_vehicles < 0 ||
        opt.min_sampled_vehicles > 1e6)
        throw InputError(
            "--min-vehicles", 0, "min_sampled_vehicles",
            fmt::format("{} is not a vehicle count in [0, 1e6]", opt.min_sampled_vehicles));
    ValidationResult r;
    r.run_dir = opt.run_dir;
    const RunSummary summary = read_summary_json(opt.run_dir / kSummaryFile);
    r.scenario = summary.scenario;
    r.network_file = network_file_of(opt, summary);
    const Network net(read_network(r.network_file), r.network_file.string());
    if (!summary.network_hash.empty() && hex64(net.content_hash()) != summary.network_hash)
        r.notes.push_back(fmt::format("network file {} has content hash {} but the run used {}",
                                      r.network_file.string(), hex64(net.content_hash()),
                                      summary.network_hash));
    find_inputs(opt, summary, r);

    const auto segments = read_corridor_segments(r.segments_file);
    const auto observed = read_observed_speeds(r.speeds_file, segments);
    for (const auto& o : observed)
        if (std::find(r.speed_sources.begin(), r.speed_sources.end(), o.source) ==
            r.speed_sources.end())
            r.speed_sources.push_back(o.source);
    const auto hourly = read_link_hourly(opt.run_dir / kLinkHourlyTable.file, net);
    const auto late = std::count_if(hourly.begin(), hourly.end(),
                                    [](const LinkHour& h) { return h.hour >= kObservedHours; });
    if (late > 0)
        r.notes.push_back(fmt::format(
            "{} link-hours after midnight (hour >= 24) are not compared with the observed speeds",
            late));

    r.min_sampled_vehicles = opt.min_sampled_vehicles;
    const LinkHourIndex cells(hourly);
    compare_speeds({net, cells, summary.sample_fraction, opt.min_sampled_vehicles}, segments,
                   observed, r);
    const ProfileFit profile = profile_predictor(r.segments);
    r.profile_overall = profile.overall;
    r.profile_daytime = profile.daytime;
    if (!r.counts_file.empty()) compare_counts(net, hourly, r);
    if (!r.junction_counts_file.empty()) compare_junctions(net, hourly, r);
    if (!r.ridership_file.empty()) {
        const auto figures = read_ridership(r.ridership_file);
        const fs::path lines = opt.run_dir / kTransitLinesFile;
        if (file_exists(lines))
            r.ridership = compare_ridership(figures, simulated_boardings(lines));
        else
            r.notes.push_back(fmt::format("ridership: the run has no {}", lines.string()));
    }
    return r;
}

}  // namespace modeshift
