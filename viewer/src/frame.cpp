// One frame: where the panes go, the camera that frames the network, and the overlays drawn over
// the map (counters, clock, the difference of two runs, timeline, status, panel or banner, help).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "viewer.hpp"

namespace modeshift::viewer {

float Viewer::ui_scale(sf::Vector2u size) const {
    const float base =
        std::min(static_cast<float>(size.x) / 1920.0f, static_cast<float>(size.y) / 1080.0f);
    return std::max(0.55f, base * (present ? 1.3f : 1.0f));
}

std::vector<sf::FloatRect> Viewer::panes(sf::Vector2u size) const {
    const auto w = static_cast<float>(size.x), h = static_cast<float>(size.y);
    if (scenes.size() == 1) return {{0, 0, w, h}};
    return {{0, 0, w / 2 - 2, h}, {w / 2 + 2, 0, w / 2 - 2, h}};
}

void Viewer::ensure_camera(sf::Vector2u size) {
    if (cam_set) return;
    // Frame the network in the part of the pane not covered by the counters and the timeline.
    const auto p = panes(size)[0];
    const float s = ui_scale(size);
    const bool side = scenes.size() == 2;
    const float left = layers.counters && !side ? 470 * s : 0;
    const float top = layers.counters && side ? 320 * s : 0;
    const float bottom = 50 * s + (side ? 120 * s : 0);
    cam = scenes[0]->fit(p.width - left, p.height - bottom - top);
    cam.cx_m -= left / 2 * cam.m_per_px;
    cam.cy_m -= (bottom - top) / 2 * cam.m_per_px;
    cam_set = true;
}

float Viewer::timeline_top(sf::Vector2u size) const {
    return static_cast<float>(size.y) - 46 * ui_scale(size);
}

void Viewer::draw(sf::RenderTarget& tg) {
    const auto size = tg.getSize();
    ensure_camera(size);
    tg.clear(kMapBackground);
    const float s = ui_scale(size);
    const auto ps = panes(size);
    std::vector<std::size_t> drawn(scenes.size());
    for (std::size_t i = 0; i < scenes.size(); ++i)
        drawn[i] = scenes[i]->draw_world(tg, cam, ps[i], layers, t, font, s);
    last_drawn = 0;
    for (auto d : drawn) last_drawn += d;
    tg.setView(
        sf::View(sf::FloatRect(0, 0, static_cast<float>(size.x), static_cast<float>(size.y))));
    const Hud hud{font, bold, s};
    if (scenes.size() == 2)
        Hud::rect(tg, {static_cast<float>(size.x) / 2 - 2, 0, 4, static_cast<float>(size.y)},
                  {90, 95, 110});
    if (layers.counters)
        for (std::size_t i = 0; i < scenes.size(); ++i) {
            if (scenes.size() == 2)
                hud.counters_strip(tg, ps[i], *scenes[i], t, drawn[i]);
            else
                hud.counters(tg, ps[i].left + 16 * s, ps[i].top + 16 * s, *scenes[i], t, drawn[i],
                             present);
        }
    draw_clock(tg, hud, size);
    if (scenes.size() == 2) draw_difference(tg, hud, size);
    draw_timeline(tg, hud, size);
    if (!present) draw_status(tg, hud, size);
    if (panel && panel->open)
        panel->draw(tg, font, bold, size, s, timeline_top(size), job);
    else
        draw_what_if_banner(tg, hud, size);
    if (help) draw_help(tg, hud, size);
}

/// Bottom right, above the timeline: the road colouring and where the help is (not presenting).
void Viewer::draw_status(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    const float s = hud.s;
    const std::string status =
        fmt::format("색: {}   ·   H / F1 도움말 help", colouring_name(layers.colouring));
    hud.put(tg, hud.text(status, 16, {170, 175, 190}), static_cast<float>(size.x) - 16 * s,
            timeline_top(size) - 28 * s, 2);
    if (layers.colouring == LinkColouring::Co2 && !scenes[0]->has_link_co2())
        hud.put(tg,
                hud.text("이 실행 파일에 링크별 CO2 없음 (no per-link CO2 in run file)", 16,
                         {230, 180, 110}),
                static_cast<float>(size.x) - 16 * s, timeline_top(size) - 52 * s, 2);
}

/// One clock (panes are synchronised): top centre, or above the difference when side by side.
void Viewer::draw_clock(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    const float s = hud.s;
    const bool side = scenes.size() == 2;
    const float cxm = side ? 166 * s : static_cast<float>(size.x) / 2;
    const float cy0 = side ? timeline_top(size) - 112 * s : 10 * s;
    Hud::rect(tg, {cxm - 150 * s, cy0, 300 * s, 96 * s}, sf::Color(12, 14, 20, 225));
    hud.put(tg, hud.text(format_clock(t).substr(0, 5), 64, sf::Color::White, true), cxm,
            cy0 + 4 * s, 1);
    hud.put(tg,
            hud.text(fmt::format("{}  ×{:g}", playing ? "재생 play" : "일시정지 pause", speed), 18,
                     {190, 195, 210}),
            cxm, cy0 + 74 * s, 1);
}

void Viewer::draw_difference(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    const auto a = scenes[0]->counters_at(t), b = scenes[1]->counters_at(t);
    if (!a.has_co2 || !b.has_co2) return;
    const double d = b.total_t - a.total_t;
    const double pct = a.total_t > 0 ? 100.0 * d / a.total_t : 0.0;
    const std::string sign = d < 0 ? "-" : "+";
    const std::string line = fmt::format("{}{} t CO2 지금까지 so far   ({}{:.1f} %)", sign,
                                         format_tonnes(std::abs(d)), sign, std::abs(pct));
    const float s = hud.s, cx = static_cast<float>(size.x) / 2 + 120 * s,
                y = timeline_top(size) - 90 * s;
    auto txt =
        hud.text(line, 40, d <= 0 ? sf::Color(120, 240, 140) : sf::Color(255, 130, 110), true);
    const auto bw = txt.getLocalBounds().width + 48 * s;
    Hud::rect(tg, {cx - bw / 2, y - 8 * s, bw, 66 * s}, sf::Color(12, 14, 20, 230));
    hud.put(tg, txt, cx, y, 1);
    hud.put(tg, hud.text("정책 - 기준 · policy - baseline", 15, {170, 175, 190}), cx, y - 30 * s,
            1);
}

void Viewer::draw_timeline(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    const float s = hud.s, top = timeline_top(size), w = static_cast<float>(size.x);
    Hud::rect(tg, {0, top, w, static_cast<float>(size.y) - top}, sf::Color(12, 14, 20, 235));
    const float x0 = 60 * s, x1 = w - 60 * s, y = top + 20 * s;
    Hud::rect(tg, {x0, y, x1 - x0, 6 * s}, {70, 75, 90});
    const auto span = static_cast<float>(std::max<TimeMs>(t_max - t_min, 1));
    auto xt = [&](TimeMs tt) { return x0 + (x1 - x0) * static_cast<float>(tt - t_min) / span; };
    // Presentation mode marks the --from..--to loop it plays.
    if (present && loop_to > loop_from)
        Hud::rect(tg, {xt(loop_from), y, xt(loop_to) - xt(loop_from), 6 * s}, {90, 120, 200});
    Hud::rect(tg, {x0, y, xt(t) - x0, 6 * s}, {255, 200, 80});
    for (TimeMs h = (t_min + kMsPerHour - 1) / kMsPerHour * kMsPerHour; h <= t_max;
         h += kMsPerHour) {
        Hud::rect(tg, {xt(h), y - 4 * s, 1.5f * s, 14 * s}, {150, 155, 170});
        if ((h / kMsPerHour) % 3 == 0)
            hud.put(tg, hud.text(fmt::format("{}", h / kMsPerHour), 13, {150, 155, 170}), xt(h),
                    y + 10 * s, 1);
    }
    Hud::rect(tg, {xt(t) - 3 * s, y - 8 * s, 6 * s, 22 * s}, sf::Color::White);
}

}  // namespace modeshift::viewer
