// report.xlsx of `modeshift compare` (one sheet per table, Korean and English headers with the
// units, then the method and the notes), and the writing of every file of a report.
#include <fmt/format.h>

#include "compare_text.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/workbook.hpp"

namespace modeshift {

namespace {

using sheet::Cell;
using sheet::Table;

/// Empty when the change has no band (one seed).
Cell band_lo(const Delta& d) {
    return d.band.kind == Band::Kind::None ? Cell() : Cell(d.band.lo);
}
Cell band_hi(const Delta& d) {
    return d.band.kind == Band::Kind::None ? Cell() : Cell(d.band.hi);
}
Cell pct(const Delta& d) {
    const auto p = d.pct();
    return p ? Cell(*p) : Cell();
}

Table headline_sheet(const Comparison& c) {
    Table t{"headline",
            {{"scope", "범위", "scope"},
             {"item", "항목 키", "item (report.csv)"},
             {"name_ko", "지표", "figure (Korean)"},
             {"name_en", "지표 (영문)", "figure"},
             {"unit", "단위", "unit"},
             {"base", "기준안", "base"},
             {"policy", "정책안", "policy"},
             {"delta", "변화", "change (policy - base)"},
             {"delta_pct", "변화율 (%)", "change (%)"},
             {"delta_lo", "변화 하한", "change, band low"},
             {"delta_hi", "변화 상한", "change, band high"},
             {"band", "범위 종류", "band (t90: 90 % t interval, range: min-max)"},
             {"seeds", "시드 수", "seeds"},
             {"noise", "잡음과 구별 안 됨", "not distinguishable from noise"}},
            {}};
    for (const auto& f : compare_text::headline_figures(c)) {
        const Delta& d = f.value;
        t.rows.push_back({std::string(f.study_area ? "study_area" : "city"), f.key, f.ko, f.en,
                          f.unit, d.base, d.policy, d.delta(), pct(d), band_lo(d), band_hi(d),
                          compare_text::band_key(d.band), double(d.band.n),
                          d.band.includes_zero() ? Cell(std::string("yes")) : Cell()});
    }
    return t;
}

Table mode_sheet(const Comparison& c) {
    Table t{
        "by_mode",
        {{"mode", "수단 키", "mode"},
         {"name_ko", "수단", "mode (Korean)"},
         {"share_base_pct", "분담률 기준안 (%)", "share, base (%)"},
         {"share_policy_pct", "분담률 정책안 (%)", "share, policy (%)"},
         {"share_delta_pp", "분담률 변화 (%p)", "share change (pp)"},
         {"co2_base_t_per_day", "CO2 기준안 (t/일)", "CO2, base (t/day)"},
         {"co2_policy_t_per_day", "CO2 정책안 (t/일)", "CO2, policy (t/day)"},
         {"co2_delta_t_per_day", "CO2 변화 (t/일)", "CO2 change (t/day)"},
         {"co2_delta_t_per_year", "CO2 변화 (t/년)", "CO2 change (t/year)"},
         {"vkt_base_km_per_day", "차량주행거리 기준안 (km/일)", "vehicle-km, base (km/day)"},
         {"vkt_policy_km_per_day", "차량주행거리 정책안 (km/일)", "vehicle-km, policy (km/day)"},
         {"time_base_min", "통행시간 기준안 (분)", "travel time, base (min)"},
         {"time_policy_min", "통행시간 정책안 (분)", "travel time, policy (min)"}},
        {}};
    for (Mode m : kAllModes) {
        const auto i = mode_index(m);
        const Delta &s = c.mode_share_pct[i], &co = c.mode_co2_t[i], &v = c.mode_vkt_km[i],
                    &tt = c.mode_travel_time_min[i];
        t.rows.push_back({std::string(mode_name(m)), std::string(mode_name_ko(m)), s.base, s.policy,
                          s.delta(), co.base, co.policy, co.delta(), co.delta() * c.annual.days,
                          v.base, v.policy, tt.base, tt.policy});
    }
    return t;
}

Table dong_sheet(const Comparison& c) {
    Table t{"by_dong",
            {{"dong_code", "행정동 코드", "dong code"},
             {"name_ko", "행정동", "dong (Korean)"},
             {"name_en", "행정동 (영문)", "dong"},
             {"co2_base_kg_per_day", "CO2 기준안 (kg/일)", "CO2, base (kg/day)"},
             {"co2_policy_kg_per_day", "CO2 정책안 (kg/일)", "CO2, policy (kg/day)"},
             {"co2_delta_kg_per_day", "CO2 변화 (kg/일)", "CO2 change (kg/day)"},
             {"co2_delta_pct", "CO2 변화율 (%)", "CO2 change (%)"},
             {"co2_delta_t_per_year", "CO2 변화 (t/년)", "CO2 change (t/year)"},
             {"vkt_delta_km_per_day", "차량주행거리 변화 (km/일)", "vehicle-km change (km/day)"},
             {"trips_from_base", "출발 통행 기준안 (통행/일)", "trips from, base (trips/day)"},
             {"trips_from_policy", "출발 통행 정책안 (통행/일)", "trips from, policy (trips/day)"}},
            {}};
    for (const DongDelta& d : c.dongs)
        t.rows.push_back({d.code, d.name, d.name_en, d.co2_kg.base, d.co2_kg.policy,
                          d.co2_kg.delta(), pct(d.co2_kg), d.co2_kg.delta() * c.annual.days / 1000,
                          d.vkt_km.delta(), d.trips_from.base, d.trips_from.policy});
    return t;
}

Table hour_sheet(const Comparison& c) {
    Table t{"hourly",
            {{"hour", "시", "hour"},
             {"co2_base_kg", "CO2 기준안 (kg/시)", "CO2, base (kg/h)"},
             {"co2_policy_kg", "CO2 정책안 (kg/시)", "CO2, policy (kg/h)"},
             {"co2_delta_kg", "CO2 변화 (kg/시)", "CO2 change (kg/h)"}},
            {}};
    for (std::size_t h = 0; h < c.hourly_co2_kg.size(); ++h) {
        const Delta& d = c.hourly_co2_kg[h];
        t.rows.push_back({double(h), d.base, d.policy, d.delta()});
    }
    return t;
}

/// Links with CO2 in either run.
Table link_sheet(const Comparison& c) {
    Table t{"links",
            {{"link_id", "링크 번호", "link id (policy network)"},
             {"road_name", "도로명", "road name"},
             {"co2_base_kg_per_day", "CO2 기준안 (kg/일)", "CO2, base (kg/day)"},
             {"co2_policy_kg_per_day", "CO2 정책안 (kg/일)", "CO2, policy (kg/day)"},
             {"co2_delta_kg_per_day", "CO2 변화 (kg/일)", "CO2 change (kg/day)"},
             {"vehicles_base", "차량 기준안 (대/일)", "vehicles, base (per day)"},
             {"vehicles_policy", "차량 정책안 (대/일)", "vehicles, policy (per day)"}},
            {}};
    for (const LinkDelta& l : c.links)
        if (l.co2_kg.base != 0 || l.co2_kg.policy != 0)
            t.rows.push_back({double(l.link), l.road_name, l.co2_kg.base, l.co2_kg.policy,
                              l.co2_kg.delta(), l.vehicles.base, l.vehicles.policy});
    return t;
}

}  // namespace

std::vector<std::filesystem::path> comparison_files(const std::filesystem::path& html_path) {
    MS_ASSERT(html_path.extension() == ".html", "a report's page ends in .html");
    std::vector<std::filesystem::path> files = {html_path};
    for (const char* ext : {".json", ".csv", ".xlsx"}) {
        auto f = html_path;
        files.push_back(f.replace_extension(ext));
    }
    return files;
}

void write_comparison(const Comparison& c, const std::filesystem::path& html_path) {
    const auto files = comparison_files(html_path);
    if (html_path.has_parent_path()) std::filesystem::create_directories(html_path.parent_path());
    write_text_atomic(files[1], comparison_json(c));
    write_text_atomic(files[2], comparison_csv(c));
    std::vector<std::string> method = comparison_method(c);
    for (const auto& n : c.notes) method.push_back("참고 / note: " + n);
    sheet::write_xlsx(
        files[3], {headline_sheet(c), mode_sheet(c), dong_sheet(c), hour_sheet(c), link_sheet(c)},
        method);
    // The page last: it is what a reader opens, and it names the other files.
    write_text_atomic(files[0], comparison_html(c));
}

}  // namespace modeshift
