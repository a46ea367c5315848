// report.html of `modeshift compare`: headline cards, tables, charts, the CO2 change map and the
// provenance of both runs, built from the report helpers (html.hpp, svg_chart.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compare_map.hpp"
#include "compare_text.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/html.hpp"
#include "modeshift/report/svg_chart.hpp"

namespace modeshift {

namespace {

using html::change_class;
using html::escape;
using html::grouped;
using html::signed_num;
using html::td;
using html::th;

std::string pct_text(const Delta& d) {
    auto p = d.pct();
    return p ? signed_num(*p, 1) + " %" : "–";
}

/// The colour of a change: better, worse, or grey when it cannot be told from seed noise.
std::string change_css(const Delta& d, bool lower_is_better = true) {
    if (d.band.includes_zero()) return "same";
    return lower_is_better ? change_class(d.delta()) : change_class(-d.delta());
}

/// The band of a change (named, unless a column header names it) and, when it holds 0, the flag
/// (html).
std::string band_html(const Delta& d, int decimals, const std::string& unit, bool named = true) {
    if (d.band.kind == Band::Kind::None) return {};
    std::string o = compare_text::band_range(d.band, decimals, unit);
    if (named) o = escape(compare_text::band_name(d.band)) + ": " + o;
    if (d.band.includes_zero())
        o += fmt::format("<br><span class=\"noise\">{} / {}</span>", compare_text::kNoiseKo,
                         compare_text::kNoiseEn);
    return o;
}

/// The class of a change as shown with `decimals`: a change that rounds to 0 is no change.
std::string shown_class(double delta, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return change_class(std::round(delta * scale) / scale);
}

/// "-9.0 % · 706.3 → 642.9 t/day"
std::string tonnes_detail(const Delta& d) {
    return pct_text(d) + " · " + grouped(d.base, 1) + " → " + grouped(d.policy, 1) + " t/day";
}

std::string share_detail(const Delta& d) {
    return fmt::format("{:.1f}% → {:.1f}%", d.base, d.policy);
}

/// A headline card: the change with its unit in big, then the details and the band.
html::Card change_card(const std::string& label, const Delta& d, const std::string& value,
                       std::string detail, int decimals, const std::string& unit) {
    const std::string band = band_html(d, decimals, unit);
    if (!band.empty()) detail += "<br>" + band;
    return {label, value, change_css(d), detail};
}

/// The CO2 card: t/day in big, the year beside it (a planner's unit), then the band.
html::Card co2_card(const std::string& label, const Delta& day, double days_per_year) {
    const Delta year = day.scaled(days_per_year);
    return change_card(label, day, signed_num(day.delta(), 2) + " t/day",
                       tonnes_detail(day) + "<br>연간 / per year: <b>" +
                           signed_num(year.delta(), 0) + " t/year</b>",
                       2, "t/day");
}

std::string headline_cards(const Comparison& c) {
    std::vector<html::Card> cards;
    const auto car = mode_index(Mode::Car);
    if (c.study.present) {
        const auto& st = c.study;
        const std::string name = escape(st.name);
        cards.push_back(
            co2_card(name + " 도로 CO2 / CO2 on " + name + "'s roads", st.co2_t, c.annual.days));
        const Delta& share = st.mode_share_pct[car];
        cards.push_back(change_card(
            name + " 관련 통행 승용차 분담률 / car share, trips to, from or through " + name, share,
            signed_num(share.delta(), 1) + " pp", share_detail(share), 1, "pp"));
    }
    const std::string city = c.study.present ? "시 전체 / whole city: " : "";
    cards.push_back(co2_card(city + "CO2 배출량 / CO2 emissions", c.co2_t, c.annual.days));
    const Delta& share = c.mode_share_pct[car];
    cards.push_back(change_card(city + "승용차 분담률 / car mode share", share,
                                signed_num(share.delta(), 1) + " pp", share_detail(share), 1,
                                "pp"));
    cards.push_back(change_card(city + "차량 주행거리 / vehicle-km", c.vkt_km,
                                signed_num(c.vkt_km.delta(), 0) + " km/day", pct_text(c.vkt_km), 0,
                                "km/day"));
    const Delta& time = c.mean_travel_time_min;
    cards.push_back(change_card(
        city + "평균 통행시간 / mean travel time", time, signed_num(time.delta(), 1) + " min",
        fmt::format("{:.1f} → {:.1f} min", time.base, time.policy), 1, "min"));
    return html::cards(cards);
}

/// Every headline figure with its unit; with several seeds, the band of each change.
std::string key_figures(const Comparison& c) {
    const bool bands = c.runs_per_side() > 1;
    html::Row head = {th(""), th("기준안 / base"), th("정책안 / policy"), th("변화 / change"),
                      th("%")};
    if (bands)
        head.push_back(th("변화의 범위 / band of the change: " +
                          escape(compare_text::band_name(c.co2_t.band))));
    std::vector<html::Row> rows = {head};
    for (const auto& f : compare_text::headline_figures(c)) {
        const Delta& d = f.value;
        const std::string unit = " " + escape(f.unit);
        // A share changes in percentage points.
        const std::string delta_unit = f.unit == "%" ? std::string("pp") : f.unit;
        const std::string cls = change_css(d, f.lower_is_better);
        html::Row r = {th(escape(f.ko) + " / " + escape(f.en) + " (" + escape(f.unit) + ")"),
                       td(grouped(d.base, f.decimals) + unit),
                       td(grouped(d.policy, f.decimals) + unit),
                       td(signed_num(d.delta(), f.decimals) + " " + escape(delta_unit), cls),
                       td(pct_text(d), cls)};
        if (bands) r.push_back(td(band_html(d, f.decimals, delta_unit, false)));
        rows.push_back(std::move(r));
    }
    return html::table(rows) +
           "<p class=\"lbl\">표의 값은 대전시 전체 (모든 시민의 통행, 화물차, 시계 유출입 교통), "
           "연구지역 행 제외 / figures are for the whole city (every resident's trips, freight, "
           "traffic across the boundary) except the study-area rows: CO2 on links inside it, "
           "trips that start, end or pass through it. 하루 = 시뮬레이션한 평일 하루 / a day is "
           "the simulated weekday; t/year: see Method.</p>";
}

std::string by_mode_table(const Comparison& c) {
    std::vector<html::Row> rows = {{th("수단 / mode"), th("분담률 / share (base → policy)"),
                                    th("Δ pp"), th("CO2 t/day (base → policy)"), th("CO2 Δ t/year"),
                                    th("VKT km/day (base → policy)"),
                                    th("통행시간 / travel time min")}};
    for (Mode m : kAllModes) {
        auto i = mode_index(m);
        const auto& s = c.mode_share_pct[i];
        const auto& co = c.mode_co2_t[i];
        const auto& v = c.mode_vkt_km[i];
        const auto& t = c.mode_travel_time_min[i];
        // A larger share of cars and taxis is worse, of every other mode better.
        const bool car_like = m == Mode::Car || m == Mode::Taxi;
        rows.push_back(
            {td(escape(html::mode_label(m))), td(share_detail(s)),
             td(signed_num(s.delta(), 1), change_class(car_like ? s.delta() : -s.delta())),
             td(fmt::format("{} → {} <span class=\"{}\">({})</span>", grouped(co.base, 2),
                            grouped(co.policy, 2), shown_class(co.delta(), 2),
                            signed_num(co.delta(), 2))),
             td(signed_num(co.delta() * c.annual.days, 0),
                shown_class(co.delta() * c.annual.days, 0)),
             td(grouped(v.base) + " → " + grouped(v.policy)),
             td(fmt::format("{:.1f} → {:.1f}", t.base, t.policy))});
    }
    return html::table(rows);
}

std::string mode_share_chart(const Comparison& c) {
    svg::BarChart chart;
    chart.aria_label = "mode share";
    chart.frame = {720, 280, 50, 10, 20, 60};
    chart.y.step = 10;
    chart.y.tick_label = [](double v) { return fmt::format("{:.0f}%", v); };
    chart.value_label = [](double v) { return fmt::format("{:.1f}%", v); };
    svg::BarSeries base, policy;
    base.name = "base";
    base.colors = {"#b0b7bf"};
    policy.name = "policy";
    for (Mode m : kAllModes) {
        const Delta& d = c.mode_share_pct[mode_index(m)];
        base.values.push_back(d.base);
        policy.values.push_back(d.policy);
        policy.colors.push_back(html::mode_color(m));
        chart.groups.push_back({{std::string(mode_name_ko(m)), html::mode_name_en(m)},
                                signed_num(d.delta(), 1) + "pp"});
    }
    chart.series = {base, policy};
    const std::vector<html::KeyItem> key = {{"#b0b7bf", "기준안 / base"},
                                            {"#2e86de", "정책안 / policy (수단 색 / mode colour)"}};
    return html::key(key) + svg::bar_chart(chart);
}

std::string hourly_chart(const Comparison& c) {
    svg::LineChart chart;
    chart.aria_label = "hourly CO2";
    chart.y.tick_label = [](double kg) { return grouped(kg / 1000.0, kg / 1000.0 < 10 ? 1 : 0); };
    chart.y.title = "t CO2 / h";
    svg::LineSeries base, policy;
    base.css_class = "base";
    policy.css_class = "policy";
    for (std::size_t h = 0; h < c.hourly_co2_kg.size(); ++h) {
        chart.x_labels.push_back(h % 3 == 0 ? fmt::format("{}h", h) : std::string());
        base.values.push_back(c.hourly_co2_kg[h].base);
        policy.values.push_back(c.hourly_co2_kg[h].policy);
    }
    chart.series = {base, policy};
    const std::vector<html::KeyItem> key = {{"#8a939c", "기준안 / base"},
                                            {"#1a7f37", "정책안 / policy"}};
    return html::key(key) + svg::line_chart(chart);
}

/// Dongs by CO2 change, largest absolute change first.
std::string dong_table(const Comparison& c) {
    std::vector<const DongDelta*> ds;
    for (const auto& d : c.dongs) ds.push_back(&d);
    std::stable_sort(ds.begin(), ds.end(), [](const DongDelta* p, const DongDelta* q) {
        return std::abs(p->co2_kg.delta()) > std::abs(q->co2_kg.delta());
    });
    std::vector<html::Row> rows = {{th("행정동 / dong"), th("CO2 kg/day (base → policy)"),
                                    th("Δ kg/day"), th("%"), th("Δ t/year"), th("VKT Δ km/day"),
                                    th("출발 통행 / trips from")}};
    for (const DongDelta* d : ds) {
        const std::string cls = change_class(d->co2_kg.delta());
        rows.push_back({td(escape(d->code) + " " + escape(d->name) + " / " + escape(d->name_en)),
                        td(grouped(d->co2_kg.base) + " → " + grouped(d->co2_kg.policy)),
                        td(signed_num(d->co2_kg.delta(), 0), cls), td(pct_text(d->co2_kg), cls),
                        td(signed_num(d->co2_kg.delta() * c.annual.days / 1000, 1), cls),
                        td(signed_num(d->vkt_km.delta(), 0)),
                        td(grouped(d->trips_from.base) + " → " + grouped(d->trips_from.policy))});
    }
    return html::table(rows);
}

std::string policy_lists(const Comparison& c) {
    std::string o;
    auto pols = [&](const char* label, const std::vector<std::string>& p) {
        std::vector<std::string> items = html::escape_all(p);
        if (items.empty()) items.push_back("없음 / none");
        o += fmt::format("<p><b>{}</b></p>", label) + html::list(items, "pol");
    };
    pols("정책안 / policy", c.policy.summary.policies);
    pols("기준안 / base", c.base.summary.policies);
    return o;
}

/// The seed of one run, or the seeds of every run of a side (both sides have the same).
std::string seeds_text(const Comparison& c, const RunOutputs& first) {
    if (c.runs_per_side() <= 1) return std::to_string(first.summary.seed);
    return fmt::format("{} runs: {}", c.runs_per_side(), fmt::join(c.seeds, ", "));
}

std::string dirs_text(const std::vector<std::filesystem::path>& dirs) {
    std::string o;
    for (const auto& d : dirs) o += (o.empty() ? "" : "; ") + d.string();
    return o;
}

std::string provenance(const Comparison& c) {
    const RunSummary& a = c.base.summary;
    const RunSummary& b = c.policy.summary;
    std::vector<html::Row> rows = {{th(""), th("기준안 / base"), th("정책안 / policy")}};
    auto row = [&](const char* label, const std::string& x, const std::string& y) {
        rows.push_back({th(label), td(escape(x)), td(escape(y))});
    };
    row("시나리오 / scenario", a.scenario, b.scenario);
    row("시나리오 파일 / scenario file", a.scenario_file, b.scenario_file);
    row("시나리오 해시 / scenario hash", a.scenario_hash, b.scenario_hash);
    row("시드 / seed", seeds_text(c, c.base), seeds_text(c, c.policy));
    row("버전 / version", a.version, b.version);
    row("네트워크 / network", a.network + " " + a.network_hash, b.network + " " + b.network_hash);
    row("배출계수 해시 / emission factors hash", a.emission_factors_hash, b.emission_factors_hash);
    row("표본 비율 / sample fraction", fmt::format("{}", a.sample_fraction),
        fmt::format("{}", b.sample_fraction));
    row("반복 / iterations", std::to_string(a.iterations), std::to_string(b.iterations));
    row("스레드 / threads", std::to_string(a.threads), std::to_string(b.threads));
    // Events and wall time are those of the first (lowest) seed when there are several.
    row("이벤트 / events", std::to_string(a.events) + " (" + a.event_hash + ")",
        std::to_string(b.events) + " (" + b.event_hash + ")");
    row("실행 시간 / wall time", fmt::format("{:.1f} s", a.wall_s),
        fmt::format("{:.1f} s", b.wall_s));
    row("실행 폴더 / run directory", dirs_text(c.base_dirs), dirs_text(c.policy_dirs));
    std::string o = html::table(rows, "prov") +
                    "<details><summary>배출계수 출처 / emission factor sources</summary>" +
                    html::list(html::escape_all(b.emission_factor_sources)) + "</details>";
    if (!b.nox_available && !b.pm_available)
        o += "<p class=\"note\">NOx/PM: 사용된 차종에 대한 출처 있는 계수가 없어 보고하지 않음 / "
             "not reported: no sourced factors for the vehicle classes in use.</p>";
    return o;
}

}  // namespace

std::string comparison_html(const Comparison& c) {
    const RunSummary& a = c.base.summary;
    const RunSummary& b = c.policy.summary;
    const std::string seeds = c.runs_per_side() > 1
                                  ? fmt::format(" — 시드 {}개 평균 / mean of {} seeds",
                                                c.runs_per_side(), c.runs_per_side())
                                  : std::string();
    std::string o = html::page_begin(
        {b.scenario + " vs " + a.scenario + " — modeshift 비교 보고서 / comparison report",
         "정책 비교 보고서 / Policy comparison report",
         escape(b.scenario) + " (정책안 / policy) vs " + escape(a.scenario) +
             " (기준안 / base) — " + escape(b.network) + seeds});
    o += html::section("핵심 변화 / Headline changes", headline_cards(c));
    if (!c.notes.empty())
        o += html::section("참고 / Notes", html::list(html::escape_all(c.notes), {}, "note"));
    o += html::section("주요 지표 / Key figures", key_figures(c));
    o += html::section("수단별 / By mode", by_mode_table(c));
    o += html::section("수단 분담률 / Mode share", mode_share_chart(c));
    o += html::section("시간대별 CO2 배출량 / Hourly CO2 emissions", hourly_chart(c));
    o += html::section("CO2 변화 지도 / Map of CO2 change",
                       "<p class=\"lbl\">동별 면 색: 행정동 CO2 변화, 선: 링크별 변화 / areas: "
                       "change per dong, lines: change per link. " +
                           escape(c.link_match) + "</p>" + comparison_map(c));
    o += html::section("행정동별 변화 / Change by dong", dong_table(c));
    o += html::section("방법 / Method", html::list(html::escape_all(comparison_method(c))));
    o += html::section("정책 / Policies of the scenario", policy_lists(c));
    o += html::section("출처 및 재현 정보 / Provenance", provenance(c));
    return o + html::page_end();
}

}  // namespace modeshift
