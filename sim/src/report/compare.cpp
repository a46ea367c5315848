// The comparison of one base run with one policy run: reading and checking a run folder, the
// headline figures, and links and dongs matched between the runs. Several seeds per side, the
// bands and the map network: compare_runs.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "compare_model.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/tables.hpp"

namespace modeshift {

std::optional<double> Delta::pct() const {
    if (base == 0) return std::nullopt;
    return (policy - base) / std::abs(base) * 100.0;
}

Delta Delta::scaled(double k) const {
    Delta d(base * k, policy * k);
    d.band = band;
    d.band.lo *= k;
    d.band.hi *= k;
    if (k < 0) std::swap(d.band.lo, d.band.hi);
    return d;
}

namespace {

/// A table holds as many rows as its summary.json records (a table cut at a line end parses but
/// is short). Summaries written before the counts were added are checked against the network
/// instead (compare_runs.cpp).
void check_rows(const RunSummary& s, const std::filesystem::path& file, std::size_t rows) {
    const auto it = s.table_rows.find(file.filename().string());
    if (it == s.table_rows.end() || rows == it->second) return;
    throw InputError(
        file.string(), 0, "rows",
        rows < it->second
            ? fmt::format("cut short: {} of the {} rows its run's summary.json "
                          "records",
                          rows, it->second)
            : fmt::format("{} rows, but its run's summary.json records {}", rows, it->second));
}

}  // namespace

RunOutputs read_run_outputs(const std::filesystem::path& dir) {
    RunOutputs r;
    r.dir = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw InputError(dir.string(), 0, "", "not a run directory");
    r.summary = read_summary_json(dir / kSummaryFile);
    r.links = read_links_csv(dir / kLinksTable.file);
    check_rows(r.summary, dir / kLinksTable.file, r.links.size());
    r.dongs = read_by_dong_csv(dir / kByDongTable.file);
    check_rows(r.summary, dir / kByDongTable.file, r.dongs.size());
    r.hourly = read_hourly_by_mode_csv(dir / kHourlyByModeTable.file);
    check_rows(r.summary, dir / kHourlyByModeTable.file, r.hourly.size());
    return r;
}

// ---------------------------------------------------------------- one pair of runs

namespace {

void match_links(Comparison& c, const RunOutputs& base, const RunOutputs& policy) {
    const auto& a = base.links;
    const auto& b = policy.links;
    bool same_network = !base.summary.network_hash.empty() &&
                        base.summary.network_hash == policy.summary.network_hash &&
                        a.size() == b.size();
    if (same_network) {
        c.link_match = "by link id (same network) / 링크 번호로 대응 (동일 네트워크)";
        for (std::size_t i = 0; i < b.size(); ++i)
            c.links.push_back({b[i].link,
                               b[i].road_name,
                               {a[i].co2_kg, b[i].co2_kg},
                               {a[i].vehicles, b[i].vehicles}});
        return;
    }
    // Different networks (e.g. a road diet edited links): match by the source-data id when unique.
    std::map<std::string, std::size_t> ext;
    bool unique = true;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!a[i].external_id.empty() && !ext.emplace(a[i].external_id, i).second) unique = false;
    if (!unique || ext.empty()) {
        c.link_match =
            "not matched: the networks differ and links have no unique external ids / 링크 대응 "
            "불가";
        return;
    }
    c.link_match = "by external id (networks differ) / 원자료 링크 ID로 대응 (네트워크 상이)";
    for (const auto& l : b) {
        auto it = ext.find(l.external_id);
        double base_co2 = it == ext.end() ? 0.0 : a[it->second].co2_kg;
        double base_veh = it == ext.end() ? 0.0 : a[it->second].vehicles;
        c.links.push_back({l.link, l.road_name, {base_co2, l.co2_kg}, {base_veh, l.vehicles}});
    }
}

void match_dongs(Comparison& c, const RunOutputs& base, const RunOutputs& policy) {
    std::map<std::string, const DongRow*> pol;
    for (const auto& d : policy.dongs) pol.emplace(d.code, &d);
    std::map<std::string, bool> seen;
    for (const auto& d : base.dongs) {
        auto it = pol.find(d.code);
        const DongRow* p = it == pol.end() ? nullptr : it->second;
        c.dongs.push_back({d.code,
                           d.name,
                           d.name_en,
                           {d.co2_kg, p ? p->co2_kg : 0.0},
                           {d.vkt_km, p ? p->vkt_km : 0.0},
                           {d.trips_from, p ? p->trips_from : 0.0}});
        seen[d.code] = true;
    }
    for (const auto& d : policy.dongs)
        if (!seen.count(d.code))
            c.dongs.push_back(
                {d.code, d.name, d.name_en, {0.0, d.co2_kg}, {0.0, d.vkt_km}, {0.0, d.trips_from}});
}

double total_travel_time_min(const RunSummary& s) {
    double t = 0, n = 0;
    for (const auto& m : s.modes) {
        t += m.mean_travel_time_min * m.trips;
        n += m.trips;
    }
    return n > 0 ? t / n : 0.0;
}

/// The headline figures of the whole city.
void city_figures(Comparison& c, const RunSummary& a, const RunSummary& b) {
    c.co2_t = {a.co2_kg_total / 1000.0, b.co2_kg_total / 1000.0};
    c.co2_tailpipe_t = {a.co2_kg_tailpipe / 1000.0, b.co2_kg_tailpipe / 1000.0};
    c.co2_grid_t = {a.co2_kg_grid / 1000.0, b.co2_kg_grid / 1000.0};
    c.co2_hydrogen_t = {a.co2_kg_hydrogen / 1000.0, b.co2_kg_hydrogen / 1000.0};
    c.trips = {a.trips, b.trips};
    c.co2_g_per_pkm = {a.co2_g_per_pkm, b.co2_g_per_pkm};
    c.mean_travel_time_min = {total_travel_time_min(a), total_travel_time_min(b)};
    for (std::size_t m = 0; m < kModeCount; ++m) {
        const auto& x = a.modes[m];
        const auto& y = b.modes[m];
        c.mode_co2_t[m] = {x.co2_kg / 1000.0, y.co2_kg / 1000.0};
        c.mode_share_pct[m] = {x.share * 100.0, y.share * 100.0};
        c.mode_vkt_km[m] = {x.vkt_km, y.vkt_km};
        c.mode_pkt_km[m] = {x.pkt_km, y.pkt_km};
        c.mode_travel_time_min[m] = {x.mean_travel_time_min, y.mean_travel_time_min};
        c.mode_trips[m] = {x.trips, y.trips};
        c.vkt_km.base += x.vkt_km;
        c.vkt_km.policy += y.vkt_km;
        c.pkt_km.base += x.pkt_km;
        c.pkt_km.policy += y.pkt_km;
    }
}

void study_area_figures(Comparison& c, const RunSummary& a, const RunSummary& b) {
    if (!a.study_area.present || !b.study_area.present) return;
    auto& st = c.study;
    st.present = true;
    st.name = b.study_area.name;
    st.co2_t = {a.study_area.co2_kg_total / 1000.0, b.study_area.co2_kg_total / 1000.0};
    st.trips = {a.study_area.trips, b.study_area.trips};
    for (std::size_t m = 0; m < kModeCount; ++m) {
        st.mode_share_pct[m] = {a.study_area.modes[m].share * 100.0,
                                b.study_area.modes[m].share * 100.0};
        st.mode_co2_t[m] = {a.study_area.modes[m].co2_kg / 1000.0,
                            b.study_area.modes[m].co2_kg / 1000.0};
    }
}

/// What the reader of the report must know about how the two runs differ besides the policy.
void pair_notes(Comparison& c, const RunSummary& a, const RunSummary& b) {
    if (a.seed != b.seed)
        c.notes.push_back(fmt::format(
            "the runs use different seeds ({} vs {}) / 두 실행의 시드가 다름", a.seed, b.seed));
    if (a.sample_fraction != b.sample_fraction)
        c.notes.push_back("the runs use different sample fractions / 표본 비율이 다름");
    if (a.version != b.version)
        c.notes.push_back("the runs were made by different modeshift versions / 버전이 다름");
    if (a.network_hash != b.network_hash)
        c.notes.push_back(fmt::format(
            "the runs used different networks ({} vs {}): links are matched by their source-data "
            "id and dongs by code, and a link or dong of only one run counts as 0 in the other / "
            "두 실행의 네트워크가 다름: 링크는 원자료 ID, 행정동은 코드로 대응",
            a.network_hash.empty() ? "?" : a.network_hash,
            b.network_hash.empty() ? "?" : b.network_hash));
}

}  // namespace

Comparison compare_pair(const RunOutputs& base, const RunOutputs& policy) {
    Comparison c;
    const RunSummary& a = base.summary;
    const RunSummary& b = policy.summary;
    city_figures(c, a, b);
    std::size_t hours = std::max(base.hourly.size(), policy.hourly.size());
    for (std::size_t h = 0; h < hours; ++h)
        c.hourly_co2_kg.emplace_back(h < base.hourly.size() ? base.hourly[h][kModeCount] : 0.0,
                                     h < policy.hourly.size() ? policy.hourly[h][kModeCount] : 0.0);
    study_area_figures(c, a, b);
    match_links(c, base, policy);
    match_dongs(c, base, policy);
    pair_notes(c, a, b);
    return c;
}

}  // namespace modeshift
