// pathway.html: one self-contained page (inline CSS and SVG), Korean and English: headline
// cards, the trajectory with its interval bands and target lines, the stacked wedges, the
// per-measure table, the MAC curve, the targets and the method box.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/pathway_run/pathway_tables.hpp"
#include "modeshift/report/html.hpp"
#include "modeshift/report/svg_chart.hpp"

namespace modeshift::pathway {
namespace {

using html::escape;
using html::grouped;

// Wedge colours (colour-blind-safe Okabe-Ito order), the trend in grey.
const char* kWedgeColors[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                              "#D55E00", "#F0E442", "#000000", "#999933", "#882255"};
std::string wedge_color(std::size_t k) {
    return kWedgeColors[k % std::size(kWedgeColors)];
}

std::string tonnes(const Interval& i) {
    if (!i.has_interval) return grouped(i.mean);
    return fmt::format("{} <small>({} – {})</small>", grouped(i.mean), grouped(i.lo),
                       grouped(i.hi));
}

std::string scope_title(Scope s) {
    return s == Scope::City ? "대전시 전체 도로 / Whole city (Daejeon roads)"
                            : "서구 도로 / Seo-gu roads (study area)";
}

std::string trajectory(const ScopeResult& s) {
    svg::LineChart c;
    c.aria_label = "CO2 per year, BAU and plan";
    c.y.title = "t CO2 / 년 (year)";
    c.y.tick_label = [](double v) { return grouped(v); };
    svg::LineSeries bau{"", "#888888", {}, {}, {}}, plan{"", "#009E73", {}, {}, {}};
    for (const ScopeYear& y : s.years) {
        c.x_labels.push_back(std::to_string(y.year));
        bau.values.push_back(y.bau_t.mean);
        plan.values.push_back(y.plan_t.mean);
        if (y.bau_t.has_interval) {
            bau.band_low.push_back(y.bau_t.lo);
            bau.band_high.push_back(y.bau_t.hi);
            plan.band_low.push_back(y.plan_t.lo);
            plan.band_high.push_back(y.plan_t.hi);
        }
    }
    c.series = {bau, plan};
    std::vector<html::KeyItem> key = {{"#888888", "BAU (추세만 / trends only)"},
                                      {"#009E73", "계획 / plan"}};
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const TargetLine& t = s.targets[i];
        const std::string color = i == 0 ? "#D55E00" : i == 1 ? "#CC79A7" : "#0072B2";
        c.series.push_back({"", color, std::vector<double>(s.years.size(), t.level_t), {}, {}});
        key.push_back({color, fmt::format("{} {} ({}: {} t)", t.target->label_ko,
                                          t.target->label_en, t.target->year, grouped(t.level_t))});
    }
    return html::key(key) + svg::line_chart(c);
}

/// Stacked bars of the wedges per year (EPS's wedge diagram as bars: each measure's share of
/// BAU - plan); a negative wedge hangs below the axis.
std::string wedge_chart(const ScopeResult& s, const PathwayFile& p) {
    const double W = 720, H = 300, L = 70, R = 10, T = 20, B = 40;
    double top = 1, bottom = 0;
    for (const ScopeYear& y : s.years) {
        double up = 0, down = 0;
        for (const MeasureYear& m : y.measures)
            (m.avoided_t.mean >= 0 ? up : down) += m.avoided_t.mean;
        top = std::max(top, up);
        bottom = std::min(bottom, down);
    }
    const double span = top - bottom;
    auto ypos = [&](double v) { return T + (top - v) / span * (H - T - B); };
    const double slot = (W - L - R) / double(std::max<std::size_t>(1, s.years.size()));
    std::string out = fmt::format(
        R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="wedges">)", W, H);
    for (int g = 0; g <= 4; ++g) {
        const double v = bottom + span * g / 4;
        out += fmt::format(R"(<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>)", L,
                           W - R, ypos(v), ypos(v));
        out += fmt::format(R"(<text class="ax" x="{}" y="{:.1f}" text-anchor="end">{}</text>)",
                           L - 4, ypos(v) + 4, grouped(v));
    }
    for (std::size_t i = 0; i < s.years.size(); ++i) {
        const ScopeYear& y = s.years[i];
        const double x = L + slot * double(i) + slot * 0.2, w = slot * 0.6;
        double up = 0, down = 0;
        for (const MeasureYear& m : y.measures) {
            const std::size_t k =
                std::size_t(std::find_if(p.measures.begin(), p.measures.end(),
                                         [&](const Measure& d) { return d.id == m.id; }) -
                            p.measures.begin());
            double& base = m.avoided_t.mean >= 0 ? up : down;
            const double from = base, to = base + m.avoided_t.mean;
            base = to;
            out += fmt::format(
                R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"{}><title>{} {}: {} t/yr</title></rect>)",
                x, ypos(std::max(from, to)), w, std::abs(ypos(from) - ypos(to)), wedge_color(k),
                m.distinguishable ? "" : R"( fill-opacity="0.35")", escape(m.id), y.year,
                grouped(m.avoided_t.mean));
        }
        out += fmt::format(R"(<text class="ax" x="{:.1f}" y="{}" text-anchor="middle">{}</text>)",
                           x + w / 2, H - B + 16, y.year);
    }
    out += "</svg>";
    std::vector<html::KeyItem> key;
    for (std::size_t k = 0; k < p.measures.size(); ++k)
        key.push_back({wedge_color(k), p.measures[k].label_ko + " / " + p.measures[k].label_en});
    return html::key(key) + out +
           "<p class=\"note\">흐린 막대: 잡음과 구별되지 않음 / faded: not distinguishable from "
           "noise at this sample.</p>";
}

/// The MAC curve: blocks cheapest first, width = tonnes avoided, height = KRW per tonne.
std::string mac_chart(const ScopeResult& s, int year) {
    if (s.mac.blocks.empty())
        return "<p>비용 자료가 있는 사업이 없음 / no measure with costs and a distinguishable "
               "saving.</p>";
    const double W = 720, H = 280, L = 90, R = 10, T = 20, B = 40;
    double hi = 0, lo = 0;
    const double width = s.mac.blocks.back().x_to;
    for (const MacBlock& b : s.mac.blocks) {
        hi = std::max(hi, b.krw_per_t);
        lo = std::min(lo, b.krw_per_t);
    }
    hi = std::max(hi, 1.0);
    auto ypos = [&](double v) { return T + (hi - v) / (hi - lo) * (H - T - B); };
    auto xpos = [&](double t) { return L + t / std::max(width, 1.0) * (W - L - R); };
    std::string out = fmt::format(
        R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="MAC curve">)", W, H);
    for (std::size_t i = 0; i < s.mac.blocks.size(); ++i) {
        const MacBlock& b = s.mac.blocks[i];
        out += fmt::format(
            R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}: {} KRW/t, {} t/yr</title></rect>)",
            xpos(b.x_from), ypos(std::max(0.0, b.krw_per_t)),
            std::max(1.0, xpos(b.x_to) - xpos(b.x_from)), std::abs(ypos(b.krw_per_t) - ypos(0)),
            wedge_color(i), escape(b.id), grouped(b.krw_per_t), grouped(b.width_t));
    }
    out += fmt::format(R"(<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>)", L, W - R,
                       ypos(0), ypos(0));
    out += fmt::format(R"(<text class="ax" x="{}" y="{:.1f}" text-anchor="end">{}</text>)", L - 4,
                       ypos(hi) + 4, grouped(hi));
    out +=
        fmt::format(R"(<text class="ax" x="{}" y="{}">{} t/yr avoided in {} / {}년 감축량</text>)",
                    L, H - B + 16, grouped(width), year, year);
    out += "</svg>";
    std::vector<std::string> left;
    for (const auto& l : s.mac.left_out) left.push_back(escape(l.id + ": " + l.reason));
    return out +
           (left.empty() ? std::string() : "<p>곡선에서 제외 / left out:</p>" + html::list(left));
}

std::string measure_table(const ScopeResult& s, const PathwayResult& r) {
    std::vector<html::Row> rows = {
        {html::th("사업 / measure"), html::th("시작 / start"),
         html::th(fmt::format("{} 감축 (t/년) / avoided (t/yr)", r.last_year)),
         html::th(fmt::format("누적 {}–{} (t) / cumulative", r.first_year, r.last_year)),
         html::th("원/t / KRW per t"), html::th("비고 / note")}};
    const ScopeYear& last = s.years.back();
    for (const Measure& m : r.pathway->measures) {
        const MeasureYear* my = nullptr;
        for (const MeasureYear& x : last.measures)
            if (x.id == m.id) my = &x;
        const Interval* cum = nullptr;
        for (const MeasureTotal& t : s.totals)
            if (t.id == m.id) cum = &t.cumulative_t;
        const std::string note = !my ? "not active in " + std::to_string(r.last_year)
                                 : !my->distinguishable
                                     ? "not distinguishable from noise at this sample"
                                 : my->cost.krw_per_t ? std::string()
                                                      : my->cost.reason;
        rows.push_back(
            {html::td(escape(m.label_ko) + "<br><small>" + escape(m.label_en) + "</small>"),
             html::td(std::to_string(m.start_year)), html::td(my ? tonnes(my->avoided_t) : "–"),
             html::td(cum ? tonnes(*cum) : "–"),
             html::td(my && my->cost.krw_per_t ? grouped(*my->cost.krw_per_t) : "–"),
             html::td(escape(note), my && !my->distinguishable ? "same" : "")});
    }
    rows.push_back({html::td("추세 / trend"), html::td("–"), html::td(tonnes(last.trend_t)),
                    html::td(tonnes(s.trend_cumulative_t)), html::td("–"),
                    html::td("population, fleet turnover, grid (BAU vs the first year)")});
    return html::table(rows);
}

std::string target_table(const ScopeResult& s) {
    std::vector<html::Row> rows = {{html::th("목표 / target"),
                                    html::th("기준 (t/년) / reference (t/yr)"),
                                    html::th("목표 수준 (t/년) / level"),
                                    html::th("계획 (t/년) / plan"), html::th("방법 / method")}};
    for (const TargetLine& t : s.targets)
        rows.push_back(
            {html::td(escape(t.target->label_ko) + "<br><small>" + escape(t.target->label_en) +
                      "</small>"),
             html::td(grouped(t.reference_t)), html::td(grouped(t.level_t)),
             html::td(t.plan_t ? grouped(*t.plan_t) : "not simulated"),
             html::td("<small>" + escape(t.how + ". " + t.target->method) + "</small>")});
    return html::table(rows);
}

std::string scope_sections(const ScopeResult& s, const PathwayResult& r) {
    const ScopeYear& last = s.years.back();
    const double cut = last.bau_t.mean > 0 ? 100.0 * last.reduction_t.mean / last.bau_t.mean : 0;
    const std::vector<html::Card> cards = {
        {fmt::format("BAU {} (t/년)", last.year), tonnes(last.bau_t), "", "추세만 / trends only"},
        {fmt::format("계획 {} (t/년) / plan", last.year), tonnes(last.plan_t), "",
         "추세 + 사업 / trends + measures"},
        {"사업 감축 / measures avoid", tonnes(last.reduction_t) + " t/yr", "down",
         fmt::format("{:.1f} % of BAU in {}", cut, last.year)}};
    return html::section(
        escape(scope_title(s.scope)),
        html::cards(cards) + "<h3>배출 경로 / Trajectory</h3>" + trajectory(s) +
            "<h3>사업별 감축 쐐기 / Wedges by measure (t/yr)</h3>" + wedge_chart(s, *r.pathway) +
            "<h3>사업표 / Measures</h3>" + measure_table(s, r) +
            fmt::format("<h3>한계감축비용 곡선 {} / Marginal abatement cost curve</h3>",
                        r.mac_year) +
            mac_chart(s, r.mac_year) + "<h3>목표 / Targets</h3>" + target_table(s));
}

}  // namespace

std::string pathway_html(const PathwayResult& r) {
    const PathwayFile& p = *r.pathway;
    std::string body =
        html::page_begin({"modeshift pathway: " + p.name, escape(p.name),
                          escape(fmt::format("탄소중립 경로 {}–{} · seeds {} · {}", r.first_year,
                                             r.last_year, r.seeds.size(), p.description))});
    body += scope_sections(r.scopes[std::size_t(Scope::StudyArea)], r);
    body += scope_sections(r.scopes[std::size_t(Scope::City)], r);
    std::vector<std::string> method;
    for (const std::string& m : r.method) method.push_back(escape(m));
    body += html::section("방법 / Method: what is and is not counted", html::list(method));
    body += html::section("다시 보기 / Replay",
                          escape(fmt::format("The BAU and plan runs of every year are kept under "
                                             "runs/<year>/<bau|plan>/seed<k>/run.msrun: "
                                             "modeshift-viewer runs/2030/bau/seed{0}/run.msrun "
                                             "runs/2030/plan/seed{0}/run.msrun shows "
                                             "2030 without and with the plan side by side.",
                                             r.seeds.empty() ? 0 : r.seeds.front())));
    return body + html::page_end();
}

}  // namespace modeshift::pathway
