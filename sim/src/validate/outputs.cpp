#include "modeshift/validate/outputs.hpp"

#include <fmt/format.h>

#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift {

namespace fs = std::filesystem;

namespace {

template <class T>
Json opt_json(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

/// The metrics, null where nothing was compared.
Json stats_json(const ErrorStats& s) {
    auto value = [&](double v) { return s.n == 0 ? Json(nullptr) : Json(v); };
    return Json{{"n", s.n},
                {"rmse_kmh", value(s.rmse)},
                {"bias_kmh", value(s.bias)},
                {"mae_kmh", value(s.mae)},
                {"correlation", opt_json(s.correlation)},
                {"mean_observed_kmh", value(s.mean_observed)},
                {"mean_simulated_kmh", value(s.mean_simulated)}};
}

std::string num(const std::optional<double>& v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

std::string link_list(std::span<const LinkId> links) {
    std::string s;
    for (auto l : links) {
        if (!s.empty()) s += ';';
        s += std::to_string(l.value());
    }
    return s;
}

Json links_json(std::span<const LinkId> links) {
    Json j = Json::array();
    for (auto l : links) j.push_back(l.value());
    return j;
}

Json rules_json() {
    return {
        {"match_distance_m", kMatchDistanceM},
        {"match_angle_deg", kMatchAngleDeg},
        {"low_coverage_share", kLowCoverageShare},
        {"simulated_speed",
         "the segment cut at every matched link end; each piece driven over the links with traffic "
         "in the "
         "hour that cover it, their lengths and travel times averaged by the links' vehicles; "
         "speed = total "
         "length / total time (links in a row: length-weighted harmonic mean; links side by side: "
         "vehicle-weighted)"},
        {"bias", "simulated - observed, km/h"},
        {"count_ratio_band", {kCountRatioLow, kCountRatioHigh}},
        {"junction_count",
         fmt::format("vehicles on the road links entering the circle (end point within radius_m, "
                     "start point outside) in the busiest hour of hours {}-{} (am) / {}-{} (pm) of "
                     "link_hourly.csv; am_pm_peak = the two summed",
                     kAmPeakHours[0], kAmPeakHours[1], kPmPeakHours[0], kPmPeakHours[1])},
        {"profile_predictor",
         "per segment direction and hour, the mean observed speed of that hour over the other "
         "segments (both directions of its own segment left out), on the model's compared "
         "segment-hours"}};
}

Json segment_json(const SegmentResult& s) {
    Json links = Json::array(), spans = Json::array();
    for (const auto& m : s.links) {
        links.push_back(m.link.value());
        // Where each link lies along the segment: how the simulated speed was driven.
        spans.push_back({{"link", m.link.value()},
                         {"from_m", m.from_m},
                         {"to_m", m.to_m},
                         {"inside_m", m.inside_m}});
    }
    Json st = stats_json(s.stats);
    return {{"key", s.key},
            {"segment_id", s.segment_id},
            {"direction", s.direction},
            {"road_name", s.road_name},
            {"from", s.from_name},
            {"to", s.to_name},
            {"segment_length_m", s.segment_length_m},
            {"matched_length_m", s.matched_length_m},
            {"coverage", s.coverage},
            {"low_coverage", s.low_coverage},
            {"links", links},
            {"link_spans", spans},
            {"hours_compared", s.stats.n},
            {"hours_missing", s.hours_missing},
            {"rmse_kmh", st["rmse_kmh"]},
            {"bias_kmh", st["bias_kmh"]}};
}

Json speeds_json(const ValidationResult& r) {
    Json speeds;
    Json overall = stats_json(r.overall);
    overall["missing"] = r.missing;
    overall["missing_too_few_vehicles"] = r.sparse;
    overall["min_sampled_vehicles"] = r.min_sampled_vehicles;
    speeds["overall"] = overall;
    Json day = stats_json(r.daytime);
    day["hours"] = fmt::format("{:02}-23", kDaytimeFirstHour);
    speeds["daytime"] = day;
    Json profile_day = stats_json(r.profile_daytime);
    profile_day["hours"] = day["hours"];
    speeds["profile_predictor"] = {{"overall", stats_json(r.profile_overall)},
                                   {"daytime", profile_day}};
    Json hours = Json::array();
    for (const auto& h : r.hours) {
        Json hj = stats_json(h.stats);
        hj["hour"] = h.hour;
        hj["missing"] = h.missing;
        hours.push_back(hj);
    }
    speeds["hours"] = hours;
    Json segs = Json::array(), low = Json::array();
    for (const auto& s : r.segments) {
        segs.push_back(segment_json(s));
        if (s.low_coverage) low.push_back(s.key);
    }
    speeds["segments"] = segs;
    speeds["low_coverage"] = low;
    return speeds;
}

Json count_json(const CountResult& c) {
    return {{"count_id", c.count.count_id},
            {"road_name", c.count.road_name},
            {"observed_veh_per_day", c.count.observed_veh_per_day},
            {"simulated_veh_per_day", opt_json(c.simulated_veh_per_day)},
            {"ratio", opt_json(c.ratio)},
            {"year", opt_json(c.count.year)},
            {"what", c.count.what},
            {"source", c.count.source},
            {"links", links_json(c.links)},
            {"note", c.note}};
}

Json counts_json(const ValidationResult& r) {
    if (r.counts_file.empty()) return nullptr;
    Json rows = Json::array();
    for (const auto& c : r.counts) rows.push_back(count_json(c));
    return {{"n", r.counts.size()},
            {"compared", r.counts_compared},
            {"mean_ratio", opt_json(r.mean_ratio)},
            {"within_band", r.within},
            {"share_within_band", opt_json(r.share_within)},
            {"rows", rows}};
}

Json junction_json(const JunctionResult& c) {
    return {{"count_id", c.count.count_id},
            {"junction", c.count.junction},
            {"period", peak_period_name(c.count.period)},
            {"lat", c.count.lat},
            {"lon", c.count.lon},
            {"radius_m", c.count.radius_m},
            {"observed_veh", c.count.observed_veh},
            {"simulated_veh", opt_json(c.simulated_veh)},
            {"ratio", opt_json(c.ratio)},
            {"am_hour", opt_json(c.am_hour)},
            {"pm_hour", opt_json(c.pm_hour)},
            {"year", opt_json(c.count.year)},
            {"located_by", c.count.located_by},
            {"source", c.count.source},
            {"links", links_json(c.links)},
            {"note", c.note}};
}

Json junctions_json(const ValidationResult& r) {
    if (r.junction_counts_file.empty()) return nullptr;
    Json rows = Json::array();
    for (const auto& c : r.junctions) rows.push_back(junction_json(c));
    return {{"n", r.junctions.size()},
            {"compared", r.junctions_compared},
            {"mean_ratio", opt_json(r.junctions_mean_ratio)},
            {"within_band", r.junctions_within},
            {"rows", rows}};
}

Json ridership_json(const ValidationResult& r) {
    if (r.ridership_file.empty()) return nullptr;
    Json rows = Json::array();
    for (const auto& x : r.ridership)
        rows.push_back({{"mode", x.figure.mode},
                        {"day_type", x.figure.day_type},
                        {"year", x.figure.year ? Json(*x.figure.year) : Json(nullptr)},
                        {"observed_boardings_per_day", x.figure.observed_boardings_per_day},
                        {"simulated_boardings_per_day", opt_json(x.simulated_boardings_per_day)},
                        {"ratio", opt_json(x.ratio)},
                        {"derivation", x.figure.derivation},
                        {"source", x.figure.source}});
    return {{"band", {kRidershipRatioLow, kRidershipRatioHigh}}, {"rows", rows}};
}

}  // namespace

std::string validation_json(const ValidationResult& r) {
    Json j;
    j["format"] = "modeshift-validation";
    j["schema_version"] = 1;
    j["run_dir"] = r.run_dir.string();
    j["scenario"] = r.scenario;
    j["network_file"] = r.network_file.string();
    j["inputs"] = {
        {"speeds", r.speeds_file.string()},
        {"speed_sources", r.speed_sources},
        {"segments", r.segments_file.string()},
        {"counts", r.counts_file.empty() ? Json(nullptr) : Json(r.counts_file.string())},
        {"junction_counts",
         r.junction_counts_file.empty() ? Json(nullptr) : Json(r.junction_counts_file.string())},
        {"ridership", r.ridership_file.empty() ? Json(nullptr) : Json(r.ridership_file.string())}};
    j["rules"] = rules_json();
    j["speeds"] = speeds_json(r);
    j["counts"] = counts_json(r);
    j["junction_counts"] = junctions_json(r);
    j["ridership"] = ridership_json(r);
    j["notes"] = r.notes;
    return j.dump(2) + "\n";
}

std::string validation_speeds_csv(const ValidationResult& r) {
    std::string o =
        "segment,direction,road_name,hour,observed_kmh,simulated_kmh,diff_kmh,links_matched,links_"
        "with_traffic,matched_length_m\n";
    for (const auto& s : r.segments)
        for (const auto& h : s.hours) {
            std::optional<double> diff;
            if (h.observed_kmh && h.simulated_kmh) diff = *h.simulated_kmh - *h.observed_kmh;
            o += fmt::format("{},{},{},{},{},{},{},{},{},{:.1f}\n", csv_field(s.key), s.direction,
                             csv_field(s.road_name), h.hour, num(h.observed_kmh, 1),
                             num(h.simulated_kmh, 2), num(diff, 2), s.links.size(),
                             h.links_with_traffic, s.matched_length_m);
        }
    return o;
}

std::string validation_counts_csv(const ValidationResult& r) {
    std::string o =
        "count_id,road_name,observed_veh_per_day,simulated_veh_per_day,ratio,year,links,note\n";
    for (const auto& c : r.counts)
        o += fmt::format("{},{},{:.0f},{},{},{},{},{}\n", csv_field(c.count.count_id),
                         csv_field(c.count.road_name), c.count.observed_veh_per_day,
                         num(c.simulated_veh_per_day, 0), num(c.ratio, 3),
                         c.count.year ? std::to_string(*c.count.year) : std::string(),
                         link_list(c.links), csv_field(c.note));
    return o;
}

std::string validation_junctions_csv(const ValidationResult& r) {
    std::string o =
        "count_id,junction,period,observed_veh,simulated_veh,ratio,am_hour,pm_hour,year,links,"
        "note\n";
    auto hour = [](const std::optional<std::uint32_t>& h) {
        return h ? std::to_string(*h) : std::string();
    };
    for (const auto& c : r.junctions)
        o += fmt::format("{},{},{},{:.0f},{},{},{},{},{},{},{}\n", csv_field(c.count.count_id),
                         csv_field(c.count.junction), peak_period_name(c.count.period),
                         c.count.observed_veh, num(c.simulated_veh, 0), num(c.ratio, 3),
                         hour(c.am_hour), hour(c.pm_hour),
                         c.count.year ? std::to_string(*c.count.year) : std::string(),
                         link_list(c.links), csv_field(c.note));
    return o;
}

std::string validation_table(const ValidationResult& r) {
    std::string o;
    const auto& a = r.overall;
    o += fmt::format(
        "corridor speeds: {} segment directions, {} segment-hours compared, {} missing ({} with "
        "fewer than {:g} "
        "simulated vehicles)\n",
        r.segments.size(), a.n, r.missing, r.sparse, r.min_sampled_vehicles);
    auto line = [&](const char* label, const ErrorStats& e) {
        if (e.n > 0)
            o += fmt::format(
                "  {:<17} RMSE {:.1f} km/h  bias {:+.1f} km/h (simulated - observed)  MAE {:.1f} "
                "km/h  r {}\n",
                label, e.rmse, e.bias, e.mae,
                e.correlation ? fmt::format("{:.2f}", *e.correlation) : std::string("n/a"));
    };
    line("overall", a);
    line(fmt::format("{:02}-23 h", kDaytimeFirstHour).c_str(), r.daytime);
    // The model-free yardstick on the same segment-hours (profile.hpp).
    line("profile, all h", r.profile_overall);
    line(fmt::format("profile, {:02}-23 h", kDaytimeFirstHour).c_str(), r.profile_daytime);
    o += "  hour   n  observed  simulated   bias   RMSE  (mean km/h over segments)\n";
    for (const auto& h : r.hours) {
        if (h.stats.n == 0) {
            o += fmt::format("  {:02}   {:>2}  {:>8}  {:>9}  (missing {})\n", h.hour, 0, "-", "-",
                             h.missing);
            continue;
        }
        o +=
            fmt::format("  {:02}   {:>2}  {:8.1f}  {:9.1f}  {:+5.1f}  {:5.1f}\n", h.hour, h.stats.n,
                        h.stats.mean_observed, h.stats.mean_simulated, h.stats.bias, h.stats.rmse);
    }
    std::string low;
    for (const auto& s : r.segments)
        if (s.low_coverage)
            low += fmt::format("{}{} {:.1f} %", low.empty() ? "" : ", ", s.key, 100 * s.coverage);
    if (!low.empty())
        o += fmt::format("  low coverage (< {:.0f} % of the segment matched): {}\n",
                         100 * kLowCoverageShare, low);
    if (!r.counts_file.empty()) {
        o += fmt::format("counts: {} of {} located", r.counts_compared, r.counts.size());
        if (r.mean_ratio)
            o += fmt::format("; mean ratio {:.2f}, {} of {} within [{}, {}]", *r.mean_ratio,
                             r.within, r.counts_compared, kCountRatioLow, kCountRatioHigh);
        o += "\n";
        for (const auto& c : r.counts)
            o += fmt::format("  {:<24} {:<10} observed {:>7.0f}  simulated {:>7}  ratio {}\n",
                             c.count.count_id, c.count.road_name, c.count.observed_veh_per_day,
                             c.simulated_veh_per_day ? num(c.simulated_veh_per_day, 0) : "n/a",
                             c.ratio ? num(c.ratio, 2) : "n/a");
    }
    if (!r.junction_counts_file.empty()) {
        o += fmt::format("junction peak-hour counts: {} of {} located", r.junctions_compared,
                         r.junctions.size());
        if (r.junctions_mean_ratio)
            o += fmt::format("; mean ratio {:.2f}, {} of {} within [{}, {}]",
                             *r.junctions_mean_ratio, r.junctions_within, r.junctions_compared,
                             kCountRatioLow, kCountRatioHigh);
        o += "\n";
        for (const auto& c : r.junctions)
            o +=
                fmt::format("  {:<24} {:<10} observed {:>7.0f}  simulated {:>7}  ratio {}\n",
                            c.count.count_id, peak_period_name(c.count.period),
                            c.count.observed_veh, c.simulated_veh ? num(c.simulated_veh, 0) : "n/a",
                            c.ratio ? num(c.ratio, 2) : "n/a");
    }
    if (!r.ridership.empty()) {
        o += fmt::format("ridership (boardings per weekday, band [{}, {}]):\n", kRidershipRatioLow,
                         kRidershipRatioHigh);
        for (const auto& x : r.ridership)
            o += fmt::format(
                "  {:<8} observed {:>9.0f}  simulated {:>9}  ratio {}\n", x.figure.mode,
                x.figure.observed_boardings_per_day,
                x.simulated_boardings_per_day ? num(x.simulated_boardings_per_day, 0) : "n/a",
                x.ratio ? num(x.ratio, 2) : "n/a");
    }
    for (const auto& n : r.notes) o += fmt::format("note: {}\n", n);
    return o;
}

std::vector<fs::path> write_validation(const ValidationResult& r, const fs::path& dir) {
    fs::create_directories(dir);
    std::vector<fs::path> out = {dir / "validation_speeds.csv"};
    write_text_atomic(out.back(), validation_speeds_csv(r));
    if (!r.counts_file.empty()) {
        out.push_back(dir / "validation_counts.csv");
        write_text_atomic(out.back(), validation_counts_csv(r));
    } else {
        // Not validated against counts this time: an earlier table must not stand beside it.
        std::error_code ec;
        fs::remove(dir / "validation_counts.csv", ec);
    }
    if (!r.junction_counts_file.empty()) {
        out.push_back(dir / "validation_junctions.csv");
        write_text_atomic(out.back(), validation_junctions_csv(r));
    } else {
        std::error_code ec;
        fs::remove(dir / "validation_junctions.csv", ec);
    }
    out.push_back(dir / "validation.json");
    write_text_atomic(out.back(), validation_json(r));
    return out;
}

}  // namespace modeshift
