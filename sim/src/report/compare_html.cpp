// report.html of `modeshift compare`: headline cards, tables, charts, the CO2 change map and the
// provenance of both runs, built from the report helpers (html.hpp, svg_chart.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compare_map.hpp"
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

html::Row headline_row(const std::string& label, const Delta& d, int decimals,
                       const std::string& unit, bool lower_is_better = true) {
    const std::string cls = lower_is_better ? change_class(d.delta()) : change_class(-d.delta());
    return {th(label), td(grouped(d.base, decimals) + " " + unit),
            td(grouped(d.policy, decimals) + " " + unit),
            td(signed_num(d.delta(), decimals) + " " + unit, cls), td(pct_text(d), cls)};
}

/// "-9.0 % · 706.3 → 642.9 t"
std::string tonnes_detail(const Delta& d) {
    return pct_text(d) + " · " + grouped(d.base, 1) + " → " + grouped(d.policy, 1) + " t";
}

std::string share_detail(const Delta& d) {
    return fmt::format("{:.1f}% → {:.1f}%", d.base, d.policy);
}

html::Card change_card(const std::string& label, const std::string& value, double delta,
                       const std::string& detail) {
    return {label, value, change_class(delta), detail};
}

std::string headline_cards(const Comparison& c) {
    std::vector<html::Card> cards;
    const auto car = mode_index(Mode::Car);
    if (c.study.present) {
        const auto& st = c.study;
        const std::string name = escape(st.name);
        cards.push_back(change_card(name + " 도로 CO2 / CO2 on " + name + "'s roads (t/day)",
                                    signed_num(st.co2_t.delta(), 2) + " t", st.co2_t.delta(),
                                    tonnes_detail(st.co2_t)));
        const Delta& share = st.mode_share_pct[car];
        cards.push_back(change_card(
            name + " 관련 통행 승용차 분담률 / car share, trips to, from or through " + name,
            signed_num(share.delta(), 1) + " pp", share.delta(), share_detail(share)));
    }
    const std::string city = c.study.present ? "시 전체 / whole city: " : "";
    cards.push_back(change_card(city + "CO2 배출량 / CO2 emissions (t/day)",
                                signed_num(c.co2_t.delta(), 2) + " t", c.co2_t.delta(),
                                tonnes_detail(c.co2_t)));
    const Delta& share = c.mode_share_pct[car];
    cards.push_back(change_card(city + "승용차 분담률 / car mode share",
                                signed_num(share.delta(), 1) + " pp", share.delta(),
                                share_detail(share)));
    cards.push_back(change_card(city + "차량 주행거리 / vehicle-km",
                                signed_num(c.vkt_km.delta(), 0) + " km", c.vkt_km.delta(),
                                pct_text(c.vkt_km)));
    const Delta& time = c.mean_travel_time_min;
    cards.push_back(change_card(city + "평균 통행시간 / mean travel time",
                                signed_num(time.delta(), 1) + " min", time.delta(),
                                fmt::format("{:.1f} → {:.1f} min", time.base, time.policy)));
    return html::cards(cards);
}

std::string key_figures(const Comparison& c) {
    std::vector<html::Row> rows = {
        {th(""), th("기준안 / base"), th("정책안 / policy"), th("변화 / change"), th("%")},
        headline_row("CO2 배출량 / CO2 emissions (t/day)", c.co2_t, 2, "t"),
        headline_row("&nbsp;· 배기구 / tailpipe", c.co2_tailpipe_t, 2, "t"),
        headline_row("&nbsp;· 전력 / grid electricity", c.co2_grid_t, 2, "t"),
        headline_row("&nbsp;· 수소 생산 / hydrogen production", c.co2_hydrogen_t, 2, "t"),
        headline_row("인·km당 CO2 / CO2 per person-km", c.co2_g_per_pkm, 1, "g"),
        headline_row("차량 주행거리 / vehicle-km (VKT)", c.vkt_km, 0, "km"),
        headline_row("인 주행거리 / person-km (PKT)", c.pkt_km, 0, "km", false),
        headline_row("통행 수 / trips", c.trips, 0, "", false),
        headline_row("평균 통행시간 / mean travel time", c.mean_travel_time_min, 1, "min")};
    if (!c.study.present) return html::table(rows);
    const std::string name = escape(c.study.name);
    rows.push_back(headline_row(name + " 도로 CO2 / CO2 on " + name + "'s roads (t/day)",
                                c.study.co2_t, 2, "t"));
    rows.push_back(
        headline_row(name + " 관련 통행 / trips touching " + name, c.study.trips, 0, "", false));
    return html::table(rows) +
           "<p class=\"lbl\">표의 값은 대전시 전체 (모든 시민의 통행, 화물차, 시계 유출입 교통) / "
           "figures are for the whole city (every resident's trips, freight, traffic across the "
           "boundary) except the " +
           name + " rows: CO2 on links inside " + name +
           ", trips that start, end or pass through it.</p>";
}

std::string by_mode_table(const Comparison& c) {
    std::vector<html::Row> rows = {{th("수단 / mode"), th("분담률 / share (base → policy)"),
                                    th("Δ pp"), th("CO2 t (base → policy)"),
                                    th("VKT km (base → policy)"),
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
                            grouped(co.policy, 2), change_class(co.delta()),
                            signed_num(co.delta(), 2))),
             td(grouped(v.base) + " → " + grouped(v.policy)),
             td(fmt::format("{:.1f} → {:.1f}", t.base, t.policy))});
    }
    return html::table(rows);
}

/// The English line under a mode's bars. Every mode after Taxi has been drawn as "Taxi" (the
/// by-mode table names Truck "truck"); kept until the report's labels are revised.
std::string chart_mode_en(Mode m) {
    return html::mode_name_en(std::min(m, Mode::Taxi));
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
        chart.groups.push_back(
            {{std::string(mode_name_ko(m)), chart_mode_en(m)}, signed_num(d.delta(), 1) + "pp"});
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
    std::vector<html::Row> rows = {{th("행정동 / dong"), th("CO2 kg (base → policy)"), th("Δ kg"),
                                    th("%"), th("VKT Δ km"), th("출발 통행 / trips from")}};
    for (const DongDelta* d : ds) {
        const std::string cls = change_class(d->co2_kg.delta());
        rows.push_back({td(escape(d->code) + " " + escape(d->name) + " / " + escape(d->name_en)),
                        td(grouped(d->co2_kg.base) + " → " + grouped(d->co2_kg.policy)),
                        td(signed_num(d->co2_kg.delta(), 0), cls), td(pct_text(d->co2_kg), cls),
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
    row("시드 / seed", std::to_string(a.seed), std::to_string(b.seed));
    row("버전 / version", a.version, b.version);
    row("네트워크 / network", a.network + " " + a.network_hash, b.network + " " + b.network_hash);
    row("배출계수 해시 / emission factors hash", a.emission_factors_hash, b.emission_factors_hash);
    row("표본 비율 / sample fraction", fmt::format("{}", a.sample_fraction),
        fmt::format("{}", b.sample_fraction));
    row("반복 / iterations", std::to_string(a.iterations), std::to_string(b.iterations));
    row("스레드 / threads", std::to_string(a.threads), std::to_string(b.threads));
    row("이벤트 / events", std::to_string(a.events) + " (" + a.event_hash + ")",
        std::to_string(b.events) + " (" + b.event_hash + ")");
    row("실행 시간 / wall time", fmt::format("{:.1f} s", a.wall_s),
        fmt::format("{:.1f} s", b.wall_s));
    row("실행 폴더 / run directory", c.base.dir.string(), c.policy.dir.string());
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
    std::string o = html::page_begin(
        {b.scenario + " vs " + a.scenario + " — modeshift 비교 보고서 / comparison report",
         "정책 비교 보고서 / Policy comparison report",
         escape(b.scenario) + " (정책안 / policy) vs " + escape(a.scenario) +
             " (기준안 / base) — " + escape(b.network)});
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
    o += html::section("정책 / Policies of the scenario", policy_lists(c));
    o += html::section("출처 및 재현 정보 / Provenance", provenance(c));
    return o + html::page_end();
}

}  // namespace modeshift
