// report.json and report.csv of `modeshift compare`: the comparison's numbers as tables.
#include <fmt/format.h>

#include <sstream>

#include "compare_text.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/workbook.hpp"

namespace modeshift {

namespace {

Json delta_json(const Delta& d) {
    Json j = {{"base", d.base}, {"policy", d.policy}, {"delta", d.delta()}};
    auto p = d.pct();
    j["delta_pct"] = p ? Json(*p) : Json(nullptr);
    if (d.band.kind != Band::Kind::None)
        j["band"] = {{"kind", compare_text::band_key(d.band)},
                     {"seeds", d.band.n},
                     {"delta_lo", d.band.lo},
                     {"delta_hi", d.band.hi},
                     {"includes_zero", d.band.includes_zero()}};
    return j;
}

Json mode_deltas(const std::array<Delta, kModeCount>& a, double k = 1) {
    Json j = Json::object();
    for (Mode m : kAllModes) j[std::string(mode_name(m))] = delta_json(a[mode_index(m)].scaled(k));
    return j;
}

Json paths_json(const std::vector<std::filesystem::path>& dirs) {
    Json j = Json::array();
    for (const auto& d : dirs) j.push_back(d.string());
    return j;
}

/// How many runs, which seeds, which band, and how a day becomes a year.
void method_json(Json& j, const Comparison& c) {
    const std::size_t n = c.runs_per_side();
    j["runs"] = {{"per_side", n},
                 {"seeds", c.seeds},
                 {"base_dirs", paths_json(c.base_dirs)},
                 {"policy_dirs", paths_json(c.policy_dirs)},
                 {"band", n >= 3   ? "t90"
                          : n == 2 ? "range"
                                   : "none"}};
    j["annualisation"] = {{"weekday_equivalent_days_per_year", c.annual.days},
                          {"method_ko", c.annual.method_ko},
                          {"method_en", c.annual.method_en}};
    j["method"] = comparison_method(c);
}

Json run_json(const RunOutputs& r) {
    const RunSummary& s = r.summary;
    return {{"dir", r.dir.string()},
            {"scenario", s.scenario},
            {"scenario_file", s.scenario_file},
            {"scenario_hash", s.scenario_hash},
            {"seed", s.seed},
            {"version", s.version},
            {"network", s.network},
            {"network_hash", s.network_hash},
            {"network_file", s.network_file},
            {"emission_factors_hash", s.emission_factors_hash},
            {"threads", s.threads},
            {"iterations", s.iterations},
            {"sample_fraction", s.sample_fraction},
            {"events", s.events},
            {"event_hash", s.event_hash},
            {"wall_s", s.wall_s},
            {"policies", s.policies}};
}

}  // namespace

std::string comparison_json(const Comparison& c) {
    Json j;
    j["format"] = "modeshift-comparison";
    j["schema_version"] = 2;  // 2: several seeds per side with bands, t/year, runs, method
    j["base"] = run_json(c.base);
    j["policy"] = run_json(c.policy);
    method_json(j, c);
    j["co2_t_per_day"] = delta_json(c.co2_t);
    j["co2_t_per_year"] = delta_json(c.co2_t.scaled(c.annual.days));
    j["co2_t_split"] = {{"tailpipe", delta_json(c.co2_tailpipe_t)},
                        {"grid", delta_json(c.co2_grid_t)},
                        {"hydrogen", delta_json(c.co2_hydrogen_t)}};
    j["vkt_km"] = delta_json(c.vkt_km);
    j["pkt_km"] = delta_json(c.pkt_km);
    j["trips"] = delta_json(c.trips);
    j["co2_g_per_pkm"] = delta_json(c.co2_g_per_pkm);
    j["mean_travel_time_min"] = delta_json(c.mean_travel_time_min);
    j["mode_co2_t"] = mode_deltas(c.mode_co2_t);
    j["mode_co2_t_per_year"] = mode_deltas(c.mode_co2_t, c.annual.days);
    j["mode_share_pct"] = mode_deltas(c.mode_share_pct);
    j["mode_vkt_km"] = mode_deltas(c.mode_vkt_km);
    j["mode_pkt_km"] = mode_deltas(c.mode_pkt_km);
    j["mode_travel_time_min"] = mode_deltas(c.mode_travel_time_min);
    j["mode_trips"] = mode_deltas(c.mode_trips);
    j["scope"] = "whole city unless under study_area";
    if (c.study.present)
        j["study_area"] = {{"name", c.study.name},
                           {"co2_t_per_day", delta_json(c.study.co2_t)},
                           {"co2_t_per_year", delta_json(c.study.co2_t.scaled(c.annual.days))},
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
        dongs.push_back({{"code", d.code},
                         {"name_ko", d.name},
                         {"name_en", d.name_en},
                         {"co2_kg", delta_json(d.co2_kg)},
                         {"co2_t_per_year", delta_json(d.co2_kg.scaled(c.annual.days / 1000))},
                         {"vkt_km", delta_json(d.vkt_km)},
                         {"trips_from", delta_json(d.trips_from)}});
    j["dongs"] = dongs;
    j["link_match"] = c.link_match;
    Json links = Json::array();
    for (const auto& l : c.links)
        if (l.co2_kg.base != 0 || l.co2_kg.policy != 0)
            links.push_back({{"link_id", l.link},
                             {"road_name", l.road_name},
                             {"co2_kg", delta_json(l.co2_kg)},
                             {"vehicles", delta_json(l.vehicles)}});
    j["links"] = links;
    j["notes"] = c.notes;
    return j.dump(2) + "\n";
}

std::string comparison_csv(const Comparison& c) {
    std::ostringstream o;
    o << sheet::kUtf8Bom
      << "section,item,mode,base,policy,delta,delta_pct,unit,delta_lo,delta_hi,band,seeds\n";
    auto row = [&](std::string_view sec, std::string_view item, std::string_view mode,
                   std::string_view unit, const Delta& d) {
        auto p = d.pct();
        const bool band = d.band.kind != Band::Kind::None;
        o << sec << ',' << csv_field(item) << ',' << mode << ',' << fmt::format("{:.6g}", d.base)
          << ',' << fmt::format("{:.6g}", d.policy) << ',' << fmt::format("{:.6g}", d.delta())
          << ',' << (p ? fmt::format("{:.4g}", *p) : std::string()) << ',' << unit << ','
          << (band ? fmt::format("{:.6g},{:.6g}", d.band.lo, d.band.hi) : std::string(",")) << ','
          << compare_text::band_key(d.band) << ',' << d.band.n << '\n';
    };
    const double days = c.annual.days;
    for (const auto& f : compare_text::headline_figures(c))
        row(f.study_area ? "study_area" : "headline", f.key, "all", f.unit, f.value);
    for (Mode m : kAllModes) {
        auto i = mode_index(m);
        row("mode", "co2_t", mode_name(m), "t/day", c.mode_co2_t[i]);
        row("mode", "co2_t_per_year", mode_name(m), "t/year", c.mode_co2_t[i].scaled(days));
        row("mode", "share_pct", mode_name(m), "%", c.mode_share_pct[i]);
        row("mode", "vkt_km", mode_name(m), "km/day", c.mode_vkt_km[i]);
        row("mode", "pkt_km", mode_name(m), "km/day", c.mode_pkt_km[i]);
        row("mode", "mean_travel_time_min", mode_name(m), "min", c.mode_travel_time_min[i]);
        row("mode", "trips", mode_name(m), "trips/day", c.mode_trips[i]);
    }
    if (c.study.present)
        for (Mode m : kAllModes) {
            row("study_area", "share_pct", mode_name(m), "%",
                c.study.mode_share_pct[mode_index(m)]);
            row("study_area", "co2_t", mode_name(m), "t/day", c.study.mode_co2_t[mode_index(m)]);
        }
    for (std::size_t h = 0; h < c.hourly_co2_kg.size(); ++h)
        row("hour", std::to_string(h), "all", "kg/h", c.hourly_co2_kg[h]);
    for (const auto& d : c.dongs) {
        row("dong_co2_kg", d.code + " " + d.name, "all", "kg/day", d.co2_kg);
        row("dong_co2_t_per_year", d.code + " " + d.name, "all", "t/year",
            d.co2_kg.scaled(days / 1000));
    }
    for (const auto& l : c.links)
        if (l.co2_kg.base != 0 || l.co2_kg.policy != 0)
            row("link_co2_kg", std::to_string(l.link) + " " + l.road_name, "all", "kg/day",
                l.co2_kg);
    return o.str();
}

}  // namespace modeshift
