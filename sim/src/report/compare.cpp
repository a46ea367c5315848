#include "modeshift/report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/tables.hpp"

namespace modeshift {

std::optional<double> Delta::pct() const {
    if (base == 0) return std::nullopt;
    return (policy - base) / std::abs(base) * 100.0;
}

RunOutputs read_run_outputs(const std::filesystem::path& dir) {
    RunOutputs r;
    r.dir = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw InputError(dir.string(), 0, "", "not a run directory");
    r.summary = read_summary_json(dir / kSummaryFile);
    r.links = read_links_csv(dir / kLinksTable.file);
    r.dongs = read_by_dong_csv(dir / kByDongTable.file);
    r.hourly = read_hourly_by_mode_csv(dir / kHourlyByModeTable.file);
    return r;
}

// ---------------------------------------------------------------- comparison

namespace {

/// The "network" path of a scenario file, following "extends" (relative to each file's folder).
std::filesystem::path network_of_scenario(const std::filesystem::path& file, int depth = 0) {
    std::error_code ec;
    if (depth > 16 || !std::filesystem::is_regular_file(file, ec)) return {};
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
std::shared_ptr<const Network> read_map_network(const std::filesystem::path& file,
                                                const RunOutputs& run,
                                                std::vector<std::string>& notes) {
    auto net = std::make_shared<const Network>(read_network(file), file.string());
    if (!run.summary.network_hash.empty() && hex64(net->content_hash()) != run.summary.network_hash)
        notes.push_back(fmt::format(
            "map: network file {} has hash {} but the run used {} / 지도: 네트워크 해시 불일치",
            file.string(), hex64(net->content_hash()), run.summary.network_hash));
    return net;
}

std::shared_ptr<const Network> load_map_network(const RunOutputs& run,
                                                const std::optional<std::filesystem::path>& over,
                                                std::vector<std::string>& notes) {
    if (over) {
        // Asked for by name (--network): a file that is missing or unreadable is an error, not a
        // note.
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*over, ec))
            throw InputError(over->string(), 0, "--network", "network file not found");
        return read_map_network(*over, run, notes);
    }
    std::filesystem::path p = run.summary.network_file;
    if (p.empty() && !run.summary.scenario_file.empty()) {
        // Older summaries name only the scenario: take the network from it.
        std::filesystem::path sc = run.summary.scenario_file;
        p = network_of_scenario(sc);
        if (p.empty() && sc.is_relative()) p = network_of_scenario(run.dir / sc);
    }
    if (p.empty()) {
        notes.push_back("map: summary.json names no network file / 지도: 네트워크 파일 정보 없음");
        return nullptr;
    }
    // A relative path is tried relative to the run directory, then to the working directory.
    std::vector<std::filesystem::path> candidates;
    if (p.is_relative()) candidates.push_back(run.dir / p);
    candidates.push_back(p);
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(c, ec)) continue;
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

void match_links(Comparison& c) {
    const auto& a = c.base.links;
    const auto& b = c.policy.links;
    bool same_network = !c.base.summary.network_hash.empty() &&
                        c.base.summary.network_hash == c.policy.summary.network_hash &&
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

void match_dongs(Comparison& c) {
    std::map<std::string, const DongRow*> pol;
    for (const auto& d : c.policy.dongs) pol.emplace(d.code, &d);
    std::map<std::string, bool> seen;
    for (const auto& d : c.base.dongs) {
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
    for (const auto& d : c.policy.dongs)
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

}  // namespace

Comparison compare_runs(const std::filesystem::path& base_dir,
                        const std::filesystem::path& policy_dir,
                        const std::optional<std::filesystem::path>& network_override) {
    Comparison c;
    c.base = read_run_outputs(base_dir);
    c.policy = read_run_outputs(policy_dir);
    const RunSummary& a = c.base.summary;
    const RunSummary& b = c.policy.summary;
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
    std::size_t hours = std::max(c.base.hourly.size(), c.policy.hourly.size());
    for (std::size_t h = 0; h < hours; ++h)
        c.hourly_co2_kg.push_back(
            {h < c.base.hourly.size() ? c.base.hourly[h][kModeCount] : 0.0,
             h < c.policy.hourly.size() ? c.policy.hourly[h][kModeCount] : 0.0});
    if (a.study_area.present && b.study_area.present) {
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
    match_links(c);
    match_dongs(c);
    if (a.seed != b.seed)
        c.notes.push_back(fmt::format(
            "the runs use different seeds ({} vs {}) / 두 실행의 시드가 다름", a.seed, b.seed));
    if (a.sample_fraction != b.sample_fraction)
        c.notes.push_back("the runs use different sample fractions / 표본 비율이 다름");
    if (a.version != b.version)
        c.notes.push_back("the runs were made by different modeshift versions / 버전이 다름");
    c.network = load_map_network(c.policy, network_override, c.notes);
    return c;
}

}  // namespace modeshift
