// The pathway's tables, built once and rendered as CSV and as workbook sheets
// (report/workbook.hpp): pathway.csv, wedges.csv, targets.csv and pathway.json (docs/pathway.md).
#include <fmt/format.h>

#include "modeshift/io/json_util.hpp"
#include "modeshift/pathway_run/pathway_tables.hpp"

namespace modeshift::pathway {
namespace {

Cell lo(const Interval& i) {
    return i.has_interval ? Cell(i.lo) : Cell();
}
Cell hi(const Interval& i) {
    return i.has_interval ? Cell(i.hi) : Cell();
}

Json interval_json(const Interval& i) {
    Json j = {{"mean", i.mean}, {"n", i.n}};
    if (i.has_interval) {
        j["lo"] = i.lo;
        j["hi"] = i.hi;
        j["level"] = i.level;
    } else {
        j["note"] = i.note;
    }
    return j;
}

const MeasureTotal& total_of(const ScopeResult& s, const std::string& id) {
    for (const MeasureTotal& t : s.totals)
        if (t.id == id) return t;
    MS_ASSERT(false, "every measure has a total");
}

}  // namespace

Table pathway_table(const PathwayResult& r) {
    Table t{"pathway",
            {{"scope", "범위", "scope"},
             {"year", "연도", "year"},
             {"scenario", "시나리오", "scenario (bau / plan)"},
             {"co2_t_per_year", "CO2 (t/년)", "CO2 (t/year)"},
             {"co2_t_per_year_lo", "CO2 하한 (t/년)", "CO2 90 % low (t/year)"},
             {"co2_t_per_year_hi", "CO2 상한 (t/년)", "CO2 90 % high (t/year)"},
             {"co2_t_per_day", "CO2 (t/평일)", "CO2 (t/weekday)"},
             {"vkt_km_per_day", "차량주행거리 (km/평일)", "vehicle-km (km/weekday)"},
             {"weekday_equivalent_days", "평일 환산 일수", "weekday-equivalent days"},
             {"seeds", "시드 수", "seeds"}},
            {}};
    for (Mode m : kAllModes)
        t.columns.push_back({"share_" + std::string(mode_name(m)),
                             fmt::format("{} 분담률", mode_name(m)),
                             fmt::format("{} share", mode_name(m))});
    for (const ScopeResult& s : r.scopes)
        for (const ScopeYear& y : s.years)
            for (const bool plan : {false, true}) {
                const Interval& c = plan ? y.plan_t : y.bau_t;
                std::vector<Cell> row = {std::string(scope_name(s.scope)),
                                         double(y.year),
                                         std::string(plan ? "plan" : "bau"),
                                         c.mean,
                                         lo(c),
                                         hi(c),
                                         (plan ? y.plan_day_t : y.bau_day_t).mean,
                                         plan ? y.plan_vkt_km : y.bau_vkt_km,
                                         y.annual_factor,
                                         double(c.n)};
                for (Mode m : kAllModes)
                    row.push_back((plan ? y.plan_share : y.bau_share)[mode_index(m)]);
                t.rows.push_back(std::move(row));
            }
    return t;
}

Table wedges_table(const PathwayResult& r) {
    const std::string cum = fmt::format("cumulative_t_{}_{}", r.first_year, r.last_year);
    const std::string cum_label = fmt::format("{}–{}", r.first_year, r.last_year);
    Table t{"wedges",
            {{"scope", "범위", "scope"},
             {"year", "연도", "year"},
             {"measure", "사업", "measure"},
             {"label_ko", "사업명", "name (Korean)"},
             {"label_en", "사업명 (영문)", "name (English)"},
             {"phase_in_fraction", "시행 비율", "phase-in fraction"},
             {"co2_t_per_year_avoided", "감축량 (t/년)", "avoided CO2 (t/year)"},
             {"co2_t_per_year_avoided_lo", "감축량 하한 (t/년)", "avoided, 90 % low (t/year)"},
             {"co2_t_per_year_avoided_hi", "감축량 상한 (t/년)", "avoided, 90 % high (t/year)"},
             {"distinguishable", "잡음과 구별", "distinguishable from noise"},
             {"loo_t_per_year", "제외 효과 (t/년)", "leave-one-out effect (t/year)"},
             {cum, "누적 감축 " + cum_label + " (t)", "cumulative " + cum_label + " (t)"},
             {cum + "_lo", "누적 하한 (t)", "cumulative, 90 % low (t)"},
             {cum + "_hi", "누적 상한 (t)", "cumulative, 90 % high (t)"},
             {"krw_per_t", "감축비용 (원/t)", "cost (KRW/t)"},
             {"note", "비고", "note"}},
            {}};
    for (const ScopeResult& s : r.scopes)
        for (const ScopeYear& y : s.years) {
            const Interval& tc = s.trend_cumulative_t;
            t.rows.push_back({std::string(scope_name(s.scope)), double(y.year),
                              std::string("trend"), std::string("추세 (인구·차량 전환·전력)"),
                              std::string("trend (population, fleet turnover, grid)"), 1.0,
                              y.trend_t.mean, lo(y.trend_t), hi(y.trend_t),
                              std::string(distinguishable(y.trend_t) ? "yes" : "no"), Cell(),
                              tc.mean, lo(tc), hi(tc), Cell(),
                              std::string("BAU of the first year minus BAU of this year")});
            for (const MeasureYear& m : y.measures) {
                const Measure& def = *r.pathway->find_measure(m.id);
                const Interval& c = total_of(s, m.id).cumulative_t;
                const std::string note = !m.distinguishable
                                             ? "not distinguishable from noise at this sample"
                                         : m.cost.krw_per_t ? std::string()
                                                            : m.cost.reason;
                t.rows.push_back(
                    {std::string(scope_name(s.scope)), double(y.year), m.id, def.label_ko,
                     def.label_en, m.fraction, m.avoided_t.mean, lo(m.avoided_t), hi(m.avoided_t),
                     std::string(m.distinguishable ? "yes" : "no"), m.loo_t.mean, c.mean, lo(c),
                     hi(c), m.cost.krw_per_t ? Cell(*m.cost.krw_per_t) : Cell(), note});
            }
        }
    return t;
}

Table targets_table(const PathwayResult& r) {
    Table t{"targets",
            {{"scope", "범위", "scope"},
             {"target", "목표", "target"},
             {"label_ko", "목표명", "name (Korean)"},
             {"label_en", "목표명 (영문)", "name (English)"},
             {"reference_year", "기준연도", "reference year"},
             {"year", "목표연도", "target year"},
             {"cut_pct", "감축률 (%)", "cut (%)"},
             {"reference_t_per_year", "기준연도 배출 (t/년)", "reference-year CO2 (t/year)"},
             {"target_t_per_year", "목표 배출 (t/년)", "target level (t/year)"},
             {"plan_t_per_year", "계획 배출 (t/년)", "plan in the target year (t/year)"},
             {"method", "방법", "method"}},
            {}};
    for (const ScopeResult& s : r.scopes)
        for (const TargetLine& l : s.targets)
            t.rows.push_back({std::string(scope_name(s.scope)), l.target->id, l.target->label_ko,
                              l.target->label_en, double(l.target->reference_year),
                              double(l.target->year), l.target->cut_pct, l.reference_t, l.level_t,
                              l.plan_t ? Cell(*l.plan_t) : Cell(),
                              l.how + "; " + l.target->method});
    return t;
}

std::string pathway_json(const PathwayResult& r) {
    const PathwayFile& p = *r.pathway;
    Json out = {{"format", "modeshift-pathway"},
                {"schema_version", 1},
                {"name", p.name},
                {"pathway_file", p.file.string()},
                {"base_scenario", p.base_scenario.string()},
                {"base_year", p.base_year},
                {"seeds", r.seeds},
                {"years", Json::array()},
                {"method", r.method},
                {"discount_rate", {{"value", p.discount_rate}, {"source", p.discount_rate_source}}},
                {"measures", Json::array()}};
    for (const ScopeYear& y : r.scopes[0].years) out["years"].push_back(y.year);
    for (const ScopeResult& s : r.scopes) {
        Json scope = {{"years", Json::array()},
                      {"targets", Json::array()},
                      {"mac", Json::array()},
                      {"cumulative", Json::object()}};
        for (const ScopeYear& y : s.years) {
            Json jy = {{"year", y.year},
                       {"weekday_equivalent_days", y.annual_factor},
                       {"bau_t_per_year", interval_json(y.bau_t)},
                       {"plan_t_per_year", interval_json(y.plan_t)},
                       {"bau_t_per_day", interval_json(y.bau_day_t)},
                       {"plan_t_per_day", interval_json(y.plan_day_t)},
                       {"reduction_t_per_year", interval_json(y.reduction_t)},
                       {"trend_t_per_year", interval_json(y.trend_t)},
                       {"wedge_scale", y.scale},
                       {"interaction_t_per_year", y.interaction_t},
                       {"wedge_note", y.wedge_note},
                       {"measures", Json::array()}};
            for (const MeasureYear& m : y.measures) {
                Json jm = {{"id", m.id},
                           {"phase_in_fraction", m.fraction},
                           {"avoided_t_per_year", interval_json(m.avoided_t)},
                           {"loo_t_per_year", interval_json(m.loo_t)},
                           {"distinguishable", m.distinguishable},
                           {"annual_cost_krw", m.cost.annual_cost_krw}};
                if (m.cost.krw_per_t)
                    jm["krw_per_t"] = *m.cost.krw_per_t;
                else
                    jm["cost_note"] = m.cost.reason;
                jy["measures"].push_back(jm);
            }
            scope["years"].push_back(jy);
        }
        for (const MeasureTotal& t : s.totals)
            scope["cumulative"][t.id] = interval_json(t.cumulative_t);
        scope["cumulative"]["trend"] = interval_json(s.trend_cumulative_t);
        for (const MacBlock& b : s.mac.blocks)
            scope["mac"].push_back(
                {{"id", b.id}, {"krw_per_t", b.krw_per_t}, {"width_t", b.width_t}});
        for (const TargetLine& t : s.targets) {
            Json jt = {{"id", t.target->id},
                       {"reference_year", t.target->reference_year},
                       {"year", t.target->year},
                       {"cut_pct", t.target->cut_pct},
                       {"reference_t_per_year", t.reference_t},
                       {"level_t_per_year", t.level_t},
                       {"reference_how", t.how},
                       {"method", t.target->method},
                       {"source", t.target->source}};
            if (t.plan_t) jt["plan_t_per_year"] = *t.plan_t;
            scope["targets"].push_back(jt);
        }
        out[scope_name(s.scope)] = scope;
    }
    for (const Measure& m : p.measures)
        out["measures"].push_back({{"id", m.id},
                                   {"label_ko", m.label_ko},
                                   {"label_en", m.label_en},
                                   {"start_year", m.start_year},
                                   {"phase_in_years", m.phase_in_years},
                                   {"source", m.source}});
    if (r.zev) out["zev_check"] = r.zev->line;
    return out.dump(1) + "\n";
}

}  // namespace modeshift::pathway
