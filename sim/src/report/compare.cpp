#include "modeshift/report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

namespace modeshift {

std::optional<double> Delta::pct() const {
    if (base == 0) return std::nullopt;
    return (policy - base) / std::abs(base) * 100.0;
}

RunOutputs read_run_outputs(const std::filesystem::path& dir) {
    RunOutputs r;
    r.dir = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) throw InputError(dir.string(), 0, "", "not a run directory");
    r.summary = read_summary_json(dir / kSummaryFile);
    r.links = read_links_csv(dir / "links.csv");
    r.dongs = read_by_dong_csv(dir / "by_dong.csv");
    r.hourly = read_hourly_by_mode_csv(dir / "hourly_by_mode.csv");
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
        if (j.contains("network") && j["network"].is_string()) return (dir / j["network"].get<std::string>()).lexically_normal();
        if (j.contains("extends") && j["extends"].is_string())
            return network_of_scenario((dir / j["extends"].get<std::string>()).lexically_normal(), depth + 1);
    } catch (const std::exception&) {
    }
    return {};
}

std::shared_ptr<const Network> load_map_network(const RunOutputs& run, const std::optional<std::filesystem::path>& over,
                                                std::vector<std::string>& notes) {
    if (over) {
        // Asked for by name (--network): a file that is missing or unreadable is an error, not a note.
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*over, ec))
            throw InputError(over->string(), 0, "--network", "network file not found");
        auto net = std::make_shared<const Network>(read_network(*over), over->string());
        if (!run.summary.network_hash.empty() && hex64(net->content_hash()) != run.summary.network_hash)
            notes.push_back(fmt::format("map: network file {} has hash {} but the run used {} / 지도: 네트워크 해시 불일치",
                                        over->string(), hex64(net->content_hash()), run.summary.network_hash));
        return net;
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
            auto net = std::make_shared<const Network>(read_network(c), c.string());
            if (!run.summary.network_hash.empty() && hex64(net->content_hash()) != run.summary.network_hash)
                notes.push_back(fmt::format("map: network file {} has hash {} but the run used {} / 지도: 네트워크 해시 불일치",
                                            c.string(), hex64(net->content_hash()), run.summary.network_hash));
            return net;
        } catch (const std::exception& e) {
            notes.push_back(fmt::format("map: cannot read network {}: {}", c.string(), e.what()));
            return nullptr;
        }
    }
    notes.push_back(fmt::format("map: network file not found: {} / 지도: 네트워크 파일을 찾을 수 없음", p.string()));
    return nullptr;
}

void match_links(Comparison& c) {
    const auto& a = c.base.links;
    const auto& b = c.policy.links;
    bool same_network = !c.base.summary.network_hash.empty() &&
                        c.base.summary.network_hash == c.policy.summary.network_hash && a.size() == b.size();
    if (same_network) {
        c.link_match = "by link id (same network) / 링크 번호로 대응 (동일 네트워크)";
        for (std::size_t i = 0; i < b.size(); ++i)
            c.links.push_back({b[i].link, b[i].road_name, {a[i].co2_kg, b[i].co2_kg}, {a[i].vehicles, b[i].vehicles}});
        return;
    }
    // Different networks (e.g. a road diet edited links): match by the source-data id when unique.
    std::map<std::string, std::size_t> ext;
    bool unique = true;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!a[i].external_id.empty() && !ext.emplace(a[i].external_id, i).second) unique = false;
    if (!unique || ext.empty()) {
        c.link_match = "not matched: the networks differ and links have no unique external ids / 링크 대응 불가";
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
        c.dongs.push_back({d.code, d.name, d.name_en, {d.co2_kg, p ? p->co2_kg : 0.0}, {d.vkt_km, p ? p->vkt_km : 0.0},
                           {d.trips_from, p ? p->trips_from : 0.0}});
        seen[d.code] = true;
    }
    for (const auto& d : c.policy.dongs)
        if (!seen.count(d.code))
            c.dongs.push_back({d.code, d.name, d.name_en, {0.0, d.co2_kg}, {0.0, d.vkt_km}, {0.0, d.trips_from}});
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

Comparison compare_runs(const std::filesystem::path& base_dir, const std::filesystem::path& policy_dir,
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
        c.hourly_co2_kg.push_back({h < c.base.hourly.size() ? c.base.hourly[h][kModeCount] : 0.0,
                                   h < c.policy.hourly.size() ? c.policy.hourly[h][kModeCount] : 0.0});
    if (a.study_area.present && b.study_area.present) {
        auto& st = c.study;
        st.present = true;
        st.name = b.study_area.name;
        st.co2_t = {a.study_area.co2_kg_total / 1000.0, b.study_area.co2_kg_total / 1000.0};
        st.trips = {a.study_area.trips, b.study_area.trips};
        for (std::size_t m = 0; m < kModeCount; ++m) {
            st.mode_share_pct[m] = {a.study_area.modes[m].share * 100.0, b.study_area.modes[m].share * 100.0};
            st.mode_co2_t[m] = {a.study_area.modes[m].co2_kg / 1000.0, b.study_area.modes[m].co2_kg / 1000.0};
        }
    }
    match_links(c);
    match_dongs(c);
    if (a.seed != b.seed) c.notes.push_back(fmt::format("the runs use different seeds ({} vs {}) / 두 실행의 시드가 다름", a.seed, b.seed));
    if (a.sample_fraction != b.sample_fraction)
        c.notes.push_back("the runs use different sample fractions / 표본 비율이 다름");
    if (a.version != b.version) c.notes.push_back("the runs were made by different modeshift versions / 버전이 다름");
    c.network = load_map_network(c.policy, network_override, c.notes);
    return c;
}

// ---------------------------------------------------------------- JSON and CSV

namespace {

Json delta_json(const Delta& d) {
    Json j = {{"base", d.base}, {"policy", d.policy}, {"delta", d.delta()}};
    auto p = d.pct();
    j["delta_pct"] = p ? Json(*p) : Json(nullptr);
    return j;
}

Json mode_deltas(const std::array<Delta, kModeCount>& a) {
    Json j = Json::object();
    for (Mode m : kAllModes) j[std::string(mode_name(m))] = delta_json(a[mode_index(m)]);
    return j;
}

Json run_json(const RunOutputs& r) {
    const RunSummary& s = r.summary;
    return {{"dir", r.dir.string()},        {"scenario", s.scenario},       {"scenario_file", s.scenario_file},
            {"scenario_hash", s.scenario_hash}, {"seed", s.seed},           {"version", s.version},
            {"network", s.network},         {"network_hash", s.network_hash}, {"network_file", s.network_file},
            {"emission_factors_hash", s.emission_factors_hash}, {"threads", s.threads},
            {"iterations", s.iterations},   {"sample_fraction", s.sample_fraction}, {"events", s.events},
            {"event_hash", s.event_hash},   {"wall_s", s.wall_s},           {"policies", s.policies}};
}

}  // namespace

std::string comparison_json(const Comparison& c) {
    Json j;
    j["format"] = "modeshift-comparison";
    j["schema_version"] = 1;
    j["base"] = run_json(c.base);
    j["policy"] = run_json(c.policy);
    j["co2_t_per_day"] = delta_json(c.co2_t);
    j["co2_t_split"] = {{"tailpipe", delta_json(c.co2_tailpipe_t)}, {"grid", delta_json(c.co2_grid_t)},
                        {"hydrogen", delta_json(c.co2_hydrogen_t)}};
    j["vkt_km"] = delta_json(c.vkt_km);
    j["pkt_km"] = delta_json(c.pkt_km);
    j["trips"] = delta_json(c.trips);
    j["co2_g_per_pkm"] = delta_json(c.co2_g_per_pkm);
    j["mean_travel_time_min"] = delta_json(c.mean_travel_time_min);
    j["mode_co2_t"] = mode_deltas(c.mode_co2_t);
    j["mode_share_pct"] = mode_deltas(c.mode_share_pct);
    j["mode_vkt_km"] = mode_deltas(c.mode_vkt_km);
    j["mode_pkt_km"] = mode_deltas(c.mode_pkt_km);
    j["mode_travel_time_min"] = mode_deltas(c.mode_travel_time_min);
    j["mode_trips"] = mode_deltas(c.mode_trips);
    j["scope"] = "whole city unless under study_area";
    if (c.study.present)
        j["study_area"] = {{"name", c.study.name},
                           {"co2_t_per_day", delta_json(c.study.co2_t)},
                           {"trips", delta_json(c.study.trips)},
                           {"mode_share_pct", mode_deltas(c.study.mode_share_pct)},
                           {"mode_co2_t", mode_deltas(c.study.mode_co2_t)}};
    Json hourly = Json::array();
    for (std::size_t h = 0; h < c.hourly_co2_kg.size(); ++h) {
        Json d = delta_json(c.hourly_co2_kg[h]);
        d["hour"] = h;
        hourly.push_back(d);
    }
    j["hourly_co2_kg"] = hourly;
    Json dongs = Json::array();
    for (const auto& d : c.dongs)
        dongs.push_back({{"code", d.code}, {"name_ko", d.name}, {"name_en", d.name_en}, {"co2_kg", delta_json(d.co2_kg)},
                         {"vkt_km", delta_json(d.vkt_km)}, {"trips_from", delta_json(d.trips_from)}});
    j["dongs"] = dongs;
    j["link_match"] = c.link_match;
    Json links = Json::array();
    for (const auto& l : c.links)
        if (l.co2_kg.base != 0 || l.co2_kg.policy != 0)
            links.push_back({{"link_id", l.link}, {"road_name", l.road_name}, {"co2_kg", delta_json(l.co2_kg)},
                             {"vehicles", delta_json(l.vehicles)}});
    j["links"] = links;
    j["notes"] = c.notes;
    return j.dump(2) + "\n";
}

std::string comparison_csv(const Comparison& c) {
    std::ostringstream o;
    o << "section,item,mode,base,policy,delta,delta_pct\n";
    auto row = [&](std::string_view sec, std::string_view item, std::string_view mode, const Delta& d) {
        auto p = d.pct();
        o << sec << ',' << csv_field(item) << ',' << mode << ',' << fmt::format("{:.6g}", d.base) << ','
          << fmt::format("{:.6g}", d.policy) << ',' << fmt::format("{:.6g}", d.delta()) << ','
          << (p ? fmt::format("{:.4g}", *p) : std::string()) << '\n';
    };
    row("headline", "co2_t_per_day", "all", c.co2_t);
    row("headline", "co2_tailpipe_t", "all", c.co2_tailpipe_t);
    row("headline", "co2_grid_t", "all", c.co2_grid_t);
    row("headline", "co2_hydrogen_t", "all", c.co2_hydrogen_t);
    row("headline", "vkt_km", "all", c.vkt_km);
    row("headline", "pkt_km", "all", c.pkt_km);
    row("headline", "trips", "all", c.trips);
    row("headline", "co2_g_per_pkm", "all", c.co2_g_per_pkm);
    row("headline", "mean_travel_time_min", "all", c.mean_travel_time_min);
    for (Mode m : kAllModes) {
        auto i = mode_index(m);
        row("mode", "co2_t", mode_name(m), c.mode_co2_t[i]);
        row("mode", "share_pct", mode_name(m), c.mode_share_pct[i]);
        row("mode", "vkt_km", mode_name(m), c.mode_vkt_km[i]);
        row("mode", "pkt_km", mode_name(m), c.mode_pkt_km[i]);
        row("mode", "mean_travel_time_min", mode_name(m), c.mode_travel_time_min[i]);
        row("mode", "trips", mode_name(m), c.mode_trips[i]);
    }
    if (c.study.present) {
        row("study_area", "co2_t_per_day", "all", c.study.co2_t);
        row("study_area", "trips", "all", c.study.trips);
        for (Mode m : kAllModes) {
            row("study_area", "share_pct", mode_name(m), c.study.mode_share_pct[mode_index(m)]);
            row("study_area", "co2_t", mode_name(m), c.study.mode_co2_t[mode_index(m)]);
        }
    }
    for (std::size_t h = 0; h < c.hourly_co2_kg.size(); ++h) row("hour", std::to_string(h), "all", c.hourly_co2_kg[h]);
    for (const auto& d : c.dongs) row("dong_co2_kg", d.code + " " + d.name, "all", d.co2_kg);
    for (const auto& l : c.links)
        if (l.co2_kg.base != 0 || l.co2_kg.policy != 0)
            row("link_co2_kg", std::to_string(l.link) + " " + l.road_name, "all", l.co2_kg);
    return o.str();
}

// ---------------------------------------------------------------- HTML

namespace {

std::string esc(std::string_view s) {
    std::string o;
    for (char ch : s) {
        switch (ch) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += ch;
        }
    }
    return o;
}

/// 1234567.8 -> "1,234,568" (digits = decimals kept).
std::string grouped(double v, int decimals = 0) {
    std::string s = fmt::format("{:.{}f}", std::abs(v), decimals);
    std::size_t dot = s.find('.');
    std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot);
    std::string out;
    for (std::size_t i = 0; i < ip.size(); ++i) {
        if (i && (ip.size() - i) % 3 == 0) out += ',';
        out += ip[i];
    }
    bool neg = v < 0 && std::abs(v) >= 0.5 * std::pow(10.0, -decimals);
    return (neg ? "-" : "") + out + fp;
}

std::string signed_num(double v, int decimals) {
    std::string s = grouped(v, decimals);
    return (v > 0 && s.find_first_not_of("0.,") != std::string::npos ? "+" : "") + s;
}

std::string pct_text(const Delta& d) {
    auto p = d.pct();
    return p ? signed_num(*p, 1) + " %" : "–";
}

/// CSS class of a change where lower is better (CO2, VKT, times).
std::string good_if_down(double delta) { return delta < 0 ? "down" : delta > 0 ? "up" : "same"; }

const char* kModeLabelEn[] = {"Car", "Bus", "Metro", "Tram", "Bike", "Walk", "Taxi"};
std::string mode_label(Mode m) {
    std::size_t i = mode_index(m);
    std::string en = i < std::size(kModeLabelEn) ? kModeLabelEn[i] : std::string(mode_name(m));
    return std::string(mode_name_ko(m)) + " / " + en;
}

const char* kModeColor[] = {"#d9534f", "#2e86de", "#8e44ad", "#16a085", "#f39c12", "#7f8c8d", "#e67e22"};
std::string mode_color(Mode m) {
    std::size_t i = mode_index(m);
    return i < std::size(kModeColor) ? kModeColor[i] : "#555";
}

/// Diverging colour for t in [-1, 1]: blue (decrease) - light grey - red (increase).
std::string diverging(double t) {
    t = std::clamp(t, -1.0, 1.0);
    auto mix = [](double a, double b, double f) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    double f = std::abs(t);
    if (t < 0) return fmt::format("#{:02x}{:02x}{:02x}", mix(235, 33, f), mix(235, 102, f), mix(235, 172, f));
    return fmt::format("#{:02x}{:02x}{:02x}", mix(235, 178, f), mix(235, 24, f), mix(235, 43, f));
}

std::string headline_row(const std::string& label, const Delta& d, int decimals, const std::string& unit,
                         bool lower_is_better = true) {
    std::string cls = lower_is_better ? good_if_down(d.delta()) : good_if_down(-d.delta());
    return fmt::format("<tr><th>{}</th><td>{} {}</td><td>{} {}</td><td class=\"{}\">{} {}</td><td class=\"{}\">{}</td></tr>\n",
                       label, grouped(d.base, decimals), unit, grouped(d.policy, decimals), unit, cls,
                       signed_num(d.delta(), decimals), unit, cls, pct_text(d));
}

std::string svg_mode_share(const Comparison& c) {
    const double W = 720, H = 280, L = 50, B = 60, T = 20;
    double maxv = 1;
    for (const auto& d : c.mode_share_pct) maxv = std::max({maxv, d.base, d.policy});
    maxv = std::ceil(maxv / 10.0) * 10.0;
    std::ostringstream o;
    o << fmt::format("<svg viewBox=\"0 0 {} {}\" class=\"chart\" role=\"img\" aria-label=\"mode share\">", W, H);
    double plot_h = H - B - T, group = (W - L - 10) / kModeCount, bw = group * 0.35;
    for (int g = 0; g <= 4; ++g) {
        double v = maxv * g / 4, y = T + plot_h - plot_h * v / maxv;
        o << fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"end\">{:.0f}%</text>",
                         L, W - 10, y, y, L - 4, y + 4, v);
    }
    for (Mode m : kAllModes) {
        std::size_t i = mode_index(m);
        double x0 = L + group * static_cast<double>(i) + group * 0.12;
        const Delta& d = c.mode_share_pct[i];
        double hb = plot_h * d.base / maxv, hp = plot_h * d.policy / maxv;
        o << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#b0b7bf\"><title>base {:.1f}%</title></rect>",
                         x0, T + plot_h - hb, bw, hb, d.base);
        o << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>policy {:.1f}%</title></rect>",
                         x0 + bw, T + plot_h - hp, bw, hp, mode_color(m), d.policy);
        o << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"middle\">{}</text>", x0 + bw,
                         T + plot_h + 16, esc(std::string(mode_name_ko(m))));
        o << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"middle\">{}</text>", x0 + bw,
                         T + plot_h + 30, esc(kModeLabelEn[std::min<std::size_t>(i, std::size(kModeLabelEn) - 1)]));
        o << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"val\" text-anchor=\"middle\">{}pp</text>", x0 + bw,
                         T + plot_h + 46, signed_num(d.delta(), 1));
    }
    o << "</svg>";
    return o.str();
}

std::string svg_hourly(const Comparison& c) {
    const double W = 720, H = 280, L = 60, B = 40, T = 20, R = 10;
    std::size_t n = c.hourly_co2_kg.size();
    double maxv = 1;
    for (const auto& d : c.hourly_co2_kg) maxv = std::max({maxv, d.base, d.policy});
    double step = std::pow(10.0, std::floor(std::log10(maxv)));
    maxv = std::ceil(maxv / step) * step;
    double plot_w = W - L - R, plot_h = H - B - T;
    auto x = [&](std::size_t h) { return L + (n > 1 ? plot_w * static_cast<double>(h) / static_cast<double>(n - 1) : 0.0); };
    auto y = [&](double v) { return T + plot_h - plot_h * v / maxv; };
    std::ostringstream o;
    o << fmt::format("<svg viewBox=\"0 0 {} {}\" class=\"chart\" role=\"img\" aria-label=\"hourly CO2\">", W, H);
    for (int g = 0; g <= 4; ++g) {
        double v = maxv * g / 4;
        o << fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"end\">{}</text>",
                         L, W - R, y(v), y(v), L - 4, y(v) + 4, grouped(v / 1000.0, v / 1000.0 < 10 ? 1 : 0));
    }
    for (std::size_t h = 0; h < n; h += 3)
        o << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"middle\">{}h</text>", x(h), H - B + 16, h);
    o << fmt::format("<text x=\"12\" y=\"{}\" class=\"ax\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">t CO2 / h</text>",
                     T + plot_h / 2, T + plot_h / 2);
    auto line = [&](bool policy, const char* cls) {
        o << "<polyline class=\"" << cls << "\" points=\"";
        for (std::size_t h = 0; h < n; ++h) {
            double v = policy ? c.hourly_co2_kg[h].policy : c.hourly_co2_kg[h].base;
            o << fmt::format("{:.1f},{:.1f} ", x(h), y(v));
        }
        o << "\"/>";
    };
    line(false, "base");
    line(true, "policy");
    o << "</svg>";
    return o.str();
}

struct MapFrame {
    LocalProjection proj;
    double x0 = 0, y0 = 0, scale = 1, w = 760, h = 560;
    std::pair<double, double> px(LatLon p) const {
        XY q = proj.to_xy(p);
        return {(q.x_m - x0) * scale + 10, h - ((q.y_m - y0) * scale + 10)};
    }
};

std::string svg_map(const Comparison& c) {
    if (!c.network) return "<p class=\"note\">지도 없음 / no map: the network file could not be loaded (see notes).</p>";
    const Network& net = *c.network;
    const auto& zones = net.data().zones;
    // Frame: study-area zones if any, else all zones, else all links.
    bool any_study = std::any_of(zones.begin(), zones.end(), [](const Zone& z) { return z.study_area; });
    double lat0 = 1e9, lat1 = -1e9, lon0 = 1e9, lon1 = -1e9;
    auto extend = [&](double la, double lo) {
        lat0 = std::min(lat0, la); lat1 = std::max(lat1, la); lon0 = std::min(lon0, lo); lon1 = std::max(lon1, lo);
    };
    for (const auto& z : zones)
        if (!any_study || z.study_area)
            for (std::size_t i = 0; i < z.ring_lat.size(); ++i) extend(z.ring_lat[i], z.ring_lon[i]);
    if (lat0 > lat1)
        for (std::size_t n = 0; n < net.node_count(); ++n) {
            LatLon p = net.node_latlon(NodeId::from_index(n));
            extend(p.lat, p.lon);
        }
    if (lat0 > lat1) return "<p class=\"note\">지도 없음 / no map: empty network.</p>";
    MapFrame f;
    f.proj = LocalProjection({(lat0 + lat1) / 2, (lon0 + lon1) / 2});
    XY a = f.proj.to_xy({lat0, lon0}), b = f.proj.to_xy({lat1, lon1});
    f.x0 = a.x_m;
    f.y0 = a.y_m;
    double span_x = std::max(1.0, b.x_m - a.x_m), span_y = std::max(1.0, b.y_m - a.y_m);
    f.scale = std::min((f.w - 20) / span_x, (f.h - 20) / span_y);
    f.w = span_x * f.scale + 20;
    f.h = span_y * f.scale + 20;

    std::map<std::string, const DongDelta*> dong_by_code;
    double dong_max = 0;
    for (const auto& d : c.dongs) {
        dong_by_code[d.code] = &d;
        dong_max = std::max(dong_max, std::abs(d.co2_kg.delta()));
    }
    double link_max = 0;
    for (const auto& l : c.links) link_max = std::max(link_max, std::abs(l.co2_kg.delta()));

    std::ostringstream o;
    o << fmt::format("<svg viewBox=\"0 0 {:.0f} {:.0f}\" class=\"map\" role=\"img\" aria-label=\"CO2 change map\">", f.w, f.h);
    for (const auto& z : zones) {
        if (any_study && !z.study_area) continue;
        auto it = dong_by_code.find(z.code);
        double d = it == dong_by_code.end() ? 0.0 : it->second->co2_kg.delta();
        std::string fill = dong_max > 0 ? diverging(d / dong_max) : "#ebebeb";
        o << "<path class=\"dong\" fill=\"" << fill << "\" d=\"";
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r) {
            for (std::size_t i = z.ring_first[r]; i < z.ring_first[r + 1]; ++i) {
                auto [x, y] = f.px({z.ring_lat[i], z.ring_lon[i]});
                o << (i == z.ring_first[r] ? "M" : "L") << fmt::format("{:.1f} {:.1f}", x, y);
            }
            o << "Z";
        }
        o << fmt::format("\"><title>{} {} / {}: {} kg CO2</title></path>", esc(z.code), esc(z.name), esc(z.name_en),
                         signed_num(d, 0));
    }
    // Links: largest changes drawn last (on top).
    std::vector<const LinkDelta*> ls;
    for (const auto& l : c.links)
        if (l.link < net.link_count() && (l.co2_kg.base != 0 || l.co2_kg.policy != 0)) ls.push_back(&l);
    std::stable_sort(ls.begin(), ls.end(), [](const LinkDelta* p, const LinkDelta* q) {
        return std::abs(p->co2_kg.delta()) < std::abs(q->co2_kg.delta());
    });
    for (const LinkDelta* l : ls) {
        double d = l->co2_kg.delta();
        double t = link_max > 0 ? d / link_max : 0.0;
        auto g = net.link_geometry(LinkId(l->link));
        o << fmt::format("<polyline class=\"link\" stroke=\"{}\" stroke-width=\"{:.2f}\" points=\"",
                         d == 0 ? "#9aa0a6" : diverging(t), 0.6 + 2.4 * std::abs(t));
        for (const auto& p : g) {
            auto [x, y] = f.px(p);
            o << fmt::format("{:.1f},{:.1f} ", x, y);
        }
        o << fmt::format("\"><title>{} {}: {} kg CO2</title></polyline>", l->link, esc(l->road_name), signed_num(d, 1));
    }
    o << "</svg>";
    o << fmt::format("<div class=\"legend\"><span style=\"background:{}\"></span> 감소 / decrease (max {} kg per dong, {} kg per link) "
                     "<span style=\"background:#ebebeb\"></span> 변화 없음 / no change "
                     "<span style=\"background:{}\"></span> 증가 / increase</div>",
                     diverging(-1), grouped(dong_max), grouped(link_max, 1), diverging(1));
    return o.str();
}

std::string provenance_table(const Comparison& c) {
    const RunSummary& a = c.base.summary;
    const RunSummary& b = c.policy.summary;
    std::ostringstream o;
    o << "<table class=\"prov\"><tr><th></th><th>기준안 / base</th><th>정책안 / policy</th></tr>\n";
    auto row = [&](const char* label, const std::string& x, const std::string& y) {
        o << "<tr><th>" << label << "</th><td>" << esc(x) << "</td><td>" << esc(y) << "</td></tr>\n";
    };
    row("시나리오 / scenario", a.scenario, b.scenario);
    row("시나리오 파일 / scenario file", a.scenario_file, b.scenario_file);
    row("시나리오 해시 / scenario hash", a.scenario_hash, b.scenario_hash);
    row("시드 / seed", std::to_string(a.seed), std::to_string(b.seed));
    row("버전 / version", a.version, b.version);
    row("네트워크 / network", a.network + " " + a.network_hash, b.network + " " + b.network_hash);
    row("배출계수 해시 / emission factors hash", a.emission_factors_hash, b.emission_factors_hash);
    row("표본 비율 / sample fraction", fmt::format("{}", a.sample_fraction), fmt::format("{}", b.sample_fraction));
    row("반복 / iterations", std::to_string(a.iterations), std::to_string(b.iterations));
    row("스레드 / threads", std::to_string(a.threads), std::to_string(b.threads));
    row("이벤트 / events", std::to_string(a.events) + " (" + a.event_hash + ")",
        std::to_string(b.events) + " (" + b.event_hash + ")");
    row("실행 시간 / wall time", fmt::format("{:.1f} s", a.wall_s), fmt::format("{:.1f} s", b.wall_s));
    row("실행 폴더 / run directory", c.base.dir.string(), c.policy.dir.string());
    o << "</table>";
    return o.str();
}

const char* kCss = R"(
body{font-family:"Noto Sans KR","Nanum Gothic","Malgun Gothic",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:16px 28px}section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px;color:#1f3b57}table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}
.prov td,.prov th{text-align:left;font-size:13px;word-break:break-all}.down{color:#1a7f37;font-weight:600}.up{color:#b3261e;font-weight:600}.same{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{flex:1 1 200px;background:#f3f6f9;border-radius:6px;padding:10px 14px}
.card .big{font-size:26px;font-weight:700}.card .lbl{font-size:13px;color:#555}
svg.chart{width:100%;height:auto;background:#fff}svg.map{width:100%;height:auto;background:#fdfdfd;border:1px solid #eee}
.grid{stroke:#e5e5e5}.ax{font-size:11px;fill:#555}.val{font-size:11px;fill:#222;font-weight:600}
polyline.base{fill:none;stroke:#8a939c;stroke-width:2;stroke-dasharray:5 3}polyline.policy{fill:none;stroke:#1a7f37;stroke-width:2.5}
polyline.link{fill:none;stroke-linecap:round}path.dong{stroke:#fff;stroke-width:1;fill-opacity:.5}
.legend{font-size:12px;margin-top:6px}.legend span{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.key span{display:inline-block;width:18px;height:3px;margin:0 6px 3px 12px;vertical-align:middle}
.note{color:#8a5a00;font-size:13px}ul.pol li{margin:2px 0}details{font-size:12px}
)";

}  // namespace

std::string comparison_html(const Comparison& c) {
    const RunSummary& a = c.base.summary;
    const RunSummary& b = c.policy.summary;
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>" << esc(b.scenario) << " vs " << esc(a.scenario) << " — modeshift 비교 보고서 / comparison report</title>"
      << "<style>" << kCss << "</style></head><body>\n";
    o << "<header><h1>정책 비교 보고서 / Policy comparison report</h1><p>" << esc(b.scenario) << " (정책안 / policy) vs "
      << esc(a.scenario) << " (기준안 / base) — " << esc(b.network) << "</p></header><main>\n";

    // Headline cards.
    o << "<section><h2>핵심 변화 / Headline changes</h2><div class=\"cards\">";
    auto card = [&](const std::string& label, const std::string& big, const std::string& cls, const std::string& sub) {
        o << "<div class=\"card\"><div class=\"lbl\">" << label << "</div><div class=\"big " << cls << "\">" << big
          << "</div><div class=\"lbl\">" << sub << "</div></div>";
    };
    const auto car = mode_index(Mode::Car);
    if (c.study.present) {
        const auto& st = c.study;
        card(esc(st.name) + " 도로 CO2 / CO2 on " + esc(st.name) + "'s roads (t/day)", signed_num(st.co2_t.delta(), 2) + " t",
             good_if_down(st.co2_t.delta()),
             pct_text(st.co2_t) + " · " + grouped(st.co2_t.base, 1) + " → " + grouped(st.co2_t.policy, 1) + " t");
        card(esc(st.name) + " 관련 통행 승용차 분담률 / car share, trips to, from or through " + esc(st.name),
             signed_num(st.mode_share_pct[car].delta(), 1) + " pp", good_if_down(st.mode_share_pct[car].delta()),
             fmt::format("{:.1f}% → {:.1f}%", st.mode_share_pct[car].base, st.mode_share_pct[car].policy));
    }
    const std::string city = c.study.present ? "시 전체 / whole city: " : "";
    card(city + "CO2 배출량 / CO2 emissions (t/day)", signed_num(c.co2_t.delta(), 2) + " t", good_if_down(c.co2_t.delta()),
         pct_text(c.co2_t) + " · " + grouped(c.co2_t.base, 1) + " → " + grouped(c.co2_t.policy, 1) + " t");
    card(city + "승용차 분담률 / car mode share", signed_num(c.mode_share_pct[car].delta(), 1) + " pp",
         good_if_down(c.mode_share_pct[car].delta()),
         fmt::format("{:.1f}% → {:.1f}%", c.mode_share_pct[car].base, c.mode_share_pct[car].policy));
    card(city + "차량 주행거리 / vehicle-km", signed_num(c.vkt_km.delta(), 0) + " km", good_if_down(c.vkt_km.delta()),
         pct_text(c.vkt_km));
    card(city + "평균 통행시간 / mean travel time", signed_num(c.mean_travel_time_min.delta(), 1) + " min",
         good_if_down(c.mean_travel_time_min.delta()),
         fmt::format("{:.1f} → {:.1f} min", c.mean_travel_time_min.base, c.mean_travel_time_min.policy));
    o << "</div></section>\n";
    if (!c.notes.empty()) {
        o << "<section><h2>참고 / Notes</h2><ul>";
        for (const auto& n : c.notes) o << "<li class=\"note\">" << esc(n) << "</li>";
        o << "</ul></section>\n";
    }

    // Table of headline numbers.
    o << "<section><h2>주요 지표 / Key figures</h2><table><tr><th></th><th>기준안 / base</th><th>정책안 / policy</th>"
         "<th>변화 / change</th><th>%</th></tr>\n";
    o << headline_row("CO2 배출량 / CO2 emissions (t/day)", c.co2_t, 2, "t");
    o << headline_row("&nbsp;· 배기구 / tailpipe", c.co2_tailpipe_t, 2, "t");
    o << headline_row("&nbsp;· 전력 / grid electricity", c.co2_grid_t, 2, "t");
    o << headline_row("&nbsp;· 수소 생산 / hydrogen production", c.co2_hydrogen_t, 2, "t");
    o << headline_row("인·km당 CO2 / CO2 per person-km", c.co2_g_per_pkm, 1, "g");
    o << headline_row("차량 주행거리 / vehicle-km (VKT)", c.vkt_km, 0, "km");
    o << headline_row("인 주행거리 / person-km (PKT)", c.pkt_km, 0, "km", false);
    o << headline_row("통행 수 / trips", c.trips, 0, "", false);
    o << headline_row("평균 통행시간 / mean travel time", c.mean_travel_time_min, 1, "min");
    if (c.study.present) {
        o << headline_row(esc(c.study.name) + " 도로 CO2 / CO2 on " + esc(c.study.name) + "'s roads (t/day)", c.study.co2_t, 2, "t");
        o << headline_row(esc(c.study.name) + " 관련 통행 / trips touching " + esc(c.study.name), c.study.trips, 0, "", false);
    }
    o << "</table>";
    if (c.study.present)
        o << "<p class=\"lbl\">표의 값은 대전시 전체 (모든 시민의 통행, 화물차, 시계 유출입 교통) / figures are for the whole city "
             "(every resident's trips, freight, traffic across the boundary) except the "
          << esc(c.study.name) << " rows: CO2 on links inside " << esc(c.study.name)
          << ", trips that start, end or pass through it.</p>";
    o << "</section>\n";

    // By mode.
    o << "<section><h2>수단별 / By mode</h2><table><tr><th>수단 / mode</th><th>분담률 / share (base → policy)</th>"
         "<th>Δ pp</th><th>CO2 t (base → policy)</th><th>VKT km (base → policy)</th><th>통행시간 / travel time min</th></tr>\n";
    for (Mode m : kAllModes) {
        auto i = mode_index(m);
        const auto& s = c.mode_share_pct[i];
        const auto& co = c.mode_co2_t[i];
        const auto& v = c.mode_vkt_km[i];
        const auto& t = c.mode_travel_time_min[i];
        o << fmt::format("<tr><td>{}</td><td>{:.1f}% → {:.1f}%</td><td class=\"{}\">{}</td><td>{} → {} <span class=\"{}\">({})</span></td>"
                         "<td>{} → {}</td><td>{:.1f} → {:.1f}</td></tr>\n",
                         esc(mode_label(m)), s.base, s.policy, m == Mode::Car || m == Mode::Taxi ? good_if_down(s.delta()) : good_if_down(-s.delta()),
                         signed_num(s.delta(), 1), grouped(co.base, 2), grouped(co.policy, 2), good_if_down(co.delta()),
                         signed_num(co.delta(), 2), grouped(v.base), grouped(v.policy), t.base, t.policy);
    }
    o << "</table></section>\n";

    o << "<section><h2>수단 분담률 / Mode share</h2><div class=\"key\"><span style=\"background:#b0b7bf\"></span>기준안 / base"
         "<span style=\"background:#2e86de\"></span>정책안 / policy (수단 색 / mode colour)</div>"
      << svg_mode_share(c) << "</section>\n";
    o << "<section><h2>시간대별 CO2 배출량 / Hourly CO2 emissions</h2><div class=\"key\"><span style=\"background:#8a939c\"></span>기준안 / base"
         "<span style=\"background:#1a7f37\"></span>정책안 / policy</div>"
      << svg_hourly(c) << "</section>\n";
    o << "<section><h2>CO2 변화 지도 / Map of CO2 change</h2><p class=\"lbl\">동별 면 색: 행정동 CO2 변화, 선: 링크별 변화 / "
         "areas: change per dong, lines: change per link. " << esc(c.link_match) << "</p>"
      << svg_map(c) << "</section>\n";

    // Dong table, largest absolute change first.
    std::vector<const DongDelta*> ds;
    for (const auto& d : c.dongs) ds.push_back(&d);
    std::stable_sort(ds.begin(), ds.end(), [](const DongDelta* p, const DongDelta* q) {
        return std::abs(p->co2_kg.delta()) > std::abs(q->co2_kg.delta());
    });
    o << "<section><h2>행정동별 변화 / Change by dong</h2><table><tr><th>행정동 / dong</th><th>CO2 kg (base → policy)</th>"
         "<th>Δ kg</th><th>%</th><th>VKT Δ km</th><th>출발 통행 / trips from</th></tr>\n";
    for (const DongDelta* d : ds)
        o << fmt::format("<tr><td>{} {} / {}</td><td>{} → {}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td><td>{}</td><td>{} → {}</td></tr>\n",
                         esc(d->code), esc(d->name), esc(d->name_en), grouped(d->co2_kg.base), grouped(d->co2_kg.policy),
                         good_if_down(d->co2_kg.delta()), signed_num(d->co2_kg.delta(), 0), good_if_down(d->co2_kg.delta()),
                         pct_text(d->co2_kg), signed_num(d->vkt_km.delta(), 0), grouped(d->trips_from.base),
                         grouped(d->trips_from.policy));
    o << "</table></section>\n";

    o << "<section><h2>정책 / Policies of the scenario</h2>";
    auto pols = [&](const char* label, const std::vector<std::string>& p) {
        o << "<p><b>" << label << "</b></p><ul class=\"pol\">";
        if (p.empty()) o << "<li>없음 / none</li>";
        for (const auto& x : p) o << "<li>" << esc(x) << "</li>";
        o << "</ul>";
    };
    pols("정책안 / policy", b.policies);
    pols("기준안 / base", a.policies);
    o << "</section>\n";

    o << "<section><h2>출처 및 재현 정보 / Provenance</h2>" << provenance_table(c)
      << "<details><summary>배출계수 출처 / emission factor sources</summary><ul>";
    for (const auto& s : b.emission_factor_sources) o << "<li>" << esc(s) << "</li>";
    o << "</ul></details>";
    if (!b.nox_available && !b.pm_available)
        o << "<p class=\"note\">NOx/PM: 사용된 차종에 대한 출처 있는 계수가 없어 보고하지 않음 / not reported: no sourced "
             "factors for the vehicle classes in use.</p>";
    o << "</section>\n</main></body></html>\n";
    return o.str();
}

void write_comparison(const Comparison& c, const std::filesystem::path& html_path) {
    if (html_path.has_parent_path()) std::filesystem::create_directories(html_path.parent_path());
    auto stem = html_path;
    write_text_atomic(stem.replace_extension(".json"), comparison_json(c));
    stem = html_path;
    write_text_atomic(stem.replace_extension(".csv"), comparison_csv(c));
    write_text_atomic(html_path, comparison_html(c));
}

}  // namespace modeshift
