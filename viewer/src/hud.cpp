#include "hud.hpp"

#include <fmt/format.h>

#include "scene.hpp"

namespace modeshift::viewer {
namespace {

/// The mode share bar in `bar`: a segment per mode, its percentage written on it where it is wide
/// enough (6 % and more) to hold the number.
void share_bar(const Hud& hud, sf::RenderTarget& tg, sf::FloatRect bar, const CounterSnapshot& c,
               float label_px) {
    float bx = bar.left;
    for (Mode m : kAllModes) {
        const double share = c.shares[mode_index(m)];
        const float sw = static_cast<float>(share) * bar.width;
        if (sw <= 0) continue;
        Hud::rect(tg, {bx, bar.top, sw, bar.height}, mode_colour(m));
        if (share >= 0.06)
            hud.put(tg, hud.text(fmt::format("{:.0f}%", 100 * share), label_px, {10, 10, 10}, true),
                    bx + sw / 2, bar.top + 2 * hud.s, 1);
        bx += sw;
    }
}

}  // namespace

/// Side-by-side counters: a two-column strip across the top of a pane; returns its height.
float Hud::counters_strip(sf::RenderTarget& tg, sf::FloatRect pane, const RunScene& sc, TimeMs t,
                          std::size_t vehicles) const {
    const float pad = 16 * s, x = pane.left + pad, w = pane.width - 2 * pad, y = pane.top + pad;
    const float h = 290 * s;
    const auto c = sc.counters_at(t);
    rect(tg, {x, y, w, h}, sf::Color(12, 14, 20, 225));
    const auto& run = sc.run();
    float cy = y + pad;
    put(tg,
        fitted(run.label.empty() ? run.scenario : run.label, 26, sf::Color::White, true,
               w - 2 * pad),
        x + pad, cy);
    cy += 40 * s;
    if (c.has_co2) {
        put(tg, text("누적 CO2 · cumulative", 17, {180, 185, 200}), x + pad, cy);
        put(tg, text(format_tonnes(c.total_t) + " t", 54, sf::Color::White, true), x + pad,
            cy + 20 * s);
        put(tg, text(fmt::format("배출률 rate  {:.1f} t/h", c.rate_t_per_h), 21, {255, 210, 120}),
            x + pad, cy + 92 * s);
        const float mx = x + w * 0.52f, mw = w * 0.48f - pad;
        float my = cy;
        for (Mode m : kAllModes) {
            if (m == Mode::Walk) continue;
            rect(tg, {mx, my + 5 * s, 15 * s, 15 * s}, mode_colour(m));
            put(tg, text(fmt::format("{} {}", mode_name_ko(m), mode_name(m)), 18, {225, 228, 235}),
                mx + 24 * s, my);
            put(tg, text(format_tonnes(c.co2_t[mode_index(m)]) + " t", 18, sf::Color::White, true),
                mx + mw, my, 2);
            my += 25 * s;
        }
    } else {
        put(tg, text("CO2 카운터 없음 (no CO2 counters in run file)", 18, {220, 180, 120}), x + pad,
            cy);
    }
    const float by = y + h - 50 * s;
    put(tg,
        text(fmt::format("수단 분담률 · mode share      지도 위 차량 vehicles: {}", vehicles), 15,
             {170, 175, 190}),
        x + pad, by - 22 * s);
    share_bar(*this, tg, {x + pad, by, w - 2 * pad, 24 * s}, c, 15);
    return h;
}

/// The counters panel of one run; returns its height.
float Hud::counters(sf::RenderTarget& tg, float x, float y, const RunScene& sc, TimeMs t,
                    std::size_t vehicles, bool minimal) const {
    const float w = 440 * s, pad = 18 * s;
    const auto c = sc.counters_at(t);
    const float h = (minimal ? 400 : 460) * s;
    rect(tg, {x, y, w, h}, sf::Color(12, 14, 20, 215));
    float cy = y + pad;
    const auto& run = sc.run();
    put(tg,
        fitted(run.label.empty() ? run.scenario : run.label, 26, sf::Color::White, true,
               w - 2 * pad),
        x + pad, cy);
    cy += 40 * s;
    if (!c.has_co2) {
        put(tg, text("CO2 카운터 없음 (no CO2 counters in run file)", 18, {220, 180, 120}), x + pad,
            cy);
        cy += 30 * s;
    } else {
        put(tg, text("누적 CO2 · cumulative", 18, {180, 185, 200}), x + pad, cy);
        cy += 24 * s;
        put(tg, text(format_tonnes(c.total_t) + " t", 56, sf::Color::White, true), x + pad, cy);
        cy += 70 * s;
        put(tg, text(fmt::format("배출률 rate  {:.1f} t/h", c.rate_t_per_h), 22, {255, 210, 120}),
            x + pad, cy);
        cy += 36 * s;
        for (Mode m : kAllModes) {
            if (m == Mode::Walk) continue;
            rect(tg, {x + pad, cy + 5 * s, 16 * s, 16 * s}, mode_colour(m));
            put(tg, text(fmt::format("{} {}", mode_name_ko(m), mode_name(m)), 20, {225, 228, 235}),
                x + pad + 26 * s, cy);
            put(tg, text(format_tonnes(c.co2_t[mode_index(m)]) + " t", 20, sf::Color::White, true),
                x + w - pad, cy, 2);
            cy += 27 * s;
        }
    }
    cy += 8 * s;
    put(tg, text("수단 분담률 · mode share", 18, {180, 185, 200}), x + pad, cy);
    cy += 26 * s;
    const float bh = 26 * s;
    share_bar(*this, tg, {x + pad, cy, w - 2 * pad, bh}, c, 16);
    cy += bh + 10 * s;
    if (!minimal)
        put(tg,
            text(fmt::format("지도 위 차량 vehicles on map: {}", vehicles), 16, {160, 165, 180}),
            x + pad, cy);
    return h;
}

}  // namespace modeshift::viewer
