#include "input.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace modeshift::viewer {
namespace {

/// The measures panel, when open, takes the arrows, Space and Enter; returns true if it used `k`.
bool panel_key(Viewer& v, const sf::Event::KeyEvent& k) {
    using K = sf::Keyboard;
    if (!v.panel || !v.panel->open) return false;
    if (k.code == K::Escape || k.code == K::M) {
        v.panel->open = false;
        return true;
    }
    MeasuresPanel::Action act = MeasuresPanel::Action::None;
    if (!v.panel->key(k.code, v.job.busy(), act)) return false;
    v.act(act);
    return true;
}

/// Two digits typed within 1.5 s jump to that hour ("0 8": 08:00).
void hour_digit(Viewer& v, int digit, WindowInput& in) {
    if (Clock::now() - in.digit_time > std::chrono::milliseconds(1500)) in.hour_digits.clear();
    in.hour_digits.push_back(static_cast<char>('0' + digit));
    in.digit_time = Clock::now();
    if (in.hour_digits.size() == 2) {
        v.seek(std::stoi(in.hour_digits) * kMsPerHour);
        in.hour_digits.clear();
    }
}

/// P: presentation mode plays fullscreen.
void toggle_presentation(Viewer& v, sf::RenderWindow& win, WindowInput& in) {
    v.present = !v.present;
    if (v.present) {
        v.playing = true;
        if (!in.fullscreen) {
            in.fullscreen = true;
            win.close();
        }
    }
}

/// Esc closes the help, else leaves presentation mode or fullscreen, else quits.
void escape(Viewer& v, sf::RenderWindow& win, WindowInput& in) {
    if (v.help)
        v.help = false;
    else if (v.present || in.fullscreen) {
        v.present = false;
        in.fullscreen = false;
        win.close();
    } else
        in.quit = true;
}

void handle_key(Viewer& v, const sf::Event::KeyEvent& k, sf::RenderWindow& win, WindowInput& in) {
    using K = sf::Keyboard;
    const float pan = 120.0f * v.cam.m_per_px;
    if (panel_key(v, k)) return;
    if (k.code == K::M) {
        if (v.panel) v.panel->open = true;
        return;
    }
    if (k.code >= K::Num0 && k.code <= K::Num9) {
        hour_digit(v, k.code - K::Num0, in);
        return;
    }
    // One line a binding, so the switch reads as a table.
    // clang-format off
    switch (k.code) {
        case K::Space: v.playing = !v.playing; break;
        case K::RBracket: v.step_speed(+1); break;
        case K::LBracket: v.step_speed(-1); break;
        case K::Right: v.seek(v.t + (k.shift ? 600'000 : 60'000)); break;
        case K::Left: v.seek(v.t - (k.shift ? 600'000 : 60'000)); break;
        case K::PageUp: v.seek(v.t + kMsPerHour); break;
        case K::PageDown: v.seek(v.t - kMsPerHour); break;
        case K::Home: v.seek(v.t_min); break;
        case K::End: v.seek(v.t_max); break;
        case K::W: v.cam.cy_m += pan; break;
        case K::S: v.cam.cy_m -= pan; break;
        case K::A: v.cam.cx_m -= pan; break;
        case K::D: v.cam.cx_m += pan; break;
        case K::Equal: case K::Add: v.cam.m_per_px /= 1.25f; break;
        case K::Hyphen: case K::Subtract: v.cam.m_per_px *= 1.25f; break;
        case K::BackSpace: v.cam_set = false; break;
        case K::C: v.layers.colouring = static_cast<LinkColouring>((static_cast<int>(v.layers.colouring) + 1) % 4); break;
        case K::R: v.layers.roads = !v.layers.roads; break;
        case K::L: v.layers.transit_lines = !v.layers.transit_lines; break;
        case K::Z: v.layers.zones = !v.layers.zones; break;
        case K::N: v.layers.zone_names = !v.layers.zone_names; break;
        case K::T: v.layers.stops = !v.layers.stops; break;
        case K::B: v.layers.bike_stations = !v.layers.bike_stations; break;
        case K::V: v.layers.vehicles = !v.layers.vehicles; break;
        case K::K: v.layers.counters = !v.layers.counters; break;
        case K::H: case K::F1: v.help = !v.help; break;
        case K::F: case K::F11: in.fullscreen = !in.fullscreen; win.close(); break;  // reopened by the loop
        case K::P: toggle_presentation(v, win, in); break;
        case K::Escape: escape(v, win, in); break;
        case K::Q: in.quit = true; break;
        default: break;
    }
    // clang-format on
}

/// The wheel zooms about the cursor: the world point under it stays fixed.
void zoom(Viewer& v, const sf::Event::MouseWheelScrollEvent& w, sf::Vector2u size) {
    const float f = w.delta > 0 ? 1 / 1.2f : 1.2f;
    const auto pane = v.panes(size)[0];
    // Side by side, the right pane's x starts at the middle of the window.
    const bool right_pane = w.x > static_cast<int>(size.x / 2) && v.scenes.size() == 2;
    const float mx = static_cast<float>(w.x) - (right_pane ? static_cast<float>(size.x) / 2 : 0.0f);
    const float dx = mx - pane.width / 2, dy = static_cast<float>(w.y) - pane.height / 2;
    v.cam.cx_m += dx * v.cam.m_per_px * (1 - f);
    v.cam.cy_m -= dy * v.cam.m_per_px * (1 - f);
    v.cam.m_per_px *= f;
}

/// A left press: on the panel, on the timeline (seek there), else it starts panning the map.
void press(Viewer& v, const sf::Event::MouseButtonEvent& b, sf::Vector2u size, WindowInput& in) {
    MeasuresPanel::Action act = MeasuresPanel::Action::None;
    if (v.panel &&
        v.panel->press(size, v.ui_scale(size), v.timeline_top(size), static_cast<float>(b.x),
                       static_cast<float>(b.y), v.job.busy(), act)) {
        v.act(act);
    } else if (static_cast<float>(b.y) >= v.timeline_top(size)) {
        const float s = v.ui_scale(size), x0 = 60 * s, x1 = static_cast<float>(size.x) - 60 * s;
        const float u = std::clamp((static_cast<float>(b.x) - x0) / (x1 - x0), 0.0f, 1.0f);
        v.seek(v.t_min + static_cast<TimeMs>(u * static_cast<float>(v.t_max - v.t_min)));
    } else {
        in.dragging = true;
        in.drag_from = {b.x, b.y};
    }
}

}  // namespace

void handle_event(Viewer& v, const sf::Event& e, sf::RenderWindow& win, WindowInput& in) {
    if (e.type == sf::Event::Closed)
        in.quit = true;
    else if (e.type == sf::Event::Resized) {
        // Keep the pixel mapping 1:1; the camera scale stays.
    } else if (e.type == sf::Event::KeyPressed) {
        handle_key(v, e.key, win, in);
    } else if (e.type == sf::Event::MouseWheelScrolled) {
        zoom(v, e.mouseWheelScroll, win.getSize());
    } else if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Left) {
        press(v, e.mouseButton, win.getSize(), in);
    } else if (e.type == sf::Event::MouseButtonReleased) {
        in.dragging = false;
        if (v.panel) v.panel->release();
    } else if (e.type == sf::Event::MouseMoved && v.panel) {
        const auto size = win.getSize();
        v.panel->drag(size, v.ui_scale(size), v.timeline_top(size),
                      static_cast<float>(e.mouseMove.x));
    }
    if (e.type == sf::Event::MouseMoved && in.dragging) {
        v.cam.cx_m -= static_cast<float>(e.mouseMove.x - in.drag_from.x) * v.cam.m_per_px;
        v.cam.cy_m += static_cast<float>(e.mouseMove.y - in.drag_from.y) * v.cam.m_per_px;
        in.drag_from = {e.mouseMove.x, e.mouseMove.y};
    }
}

// The help overlay lists the bindings above; keep the two together.
void Viewer::draw_help(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    static const std::array<std::pair<const char*, const char*>, 17> keys = {{
        {"Space", "재생/일시정지 play / pause"},
        {"[  ]", "속도 speed ×1 … ×3600"},
        {"← →  (Shift)", "1분 (10분) 이동 seek 1 min (10 min)"},
        {"PgUp PgDn", "1시간 이동 seek 1 hour"},
        {"0-9 0-9", "시각으로 이동 jump to hour (e.g. 0 8)"},
        {"Home End", "처음 / 끝 start / end"},
        {"타임라인 클릭", "click timeline to seek"},
        {"마우스 드래그 · 휠", "pan · zoom (mouse)"},
        {"W A S D  ·  = -", "pan · zoom (keys);  0 fit: Backspace"},
        {"C", "도로 색: 기본/교통량/속도/CO2 colour roads"},
        {"R L Z N", "layers: roads, lines, zones, names"},
        {"T B V K", "layers: stops, Tashu, vehicles, counters"},
        {"F / F11", "전체 화면 fullscreen"},
        {"P", "발표 모드 presentation mode"},
        {"H / F1", "도움말 this help"},
        {"Esc / Q", "발표 모드 종료 / 끝내기 leave / quit"},
        {"M", "정책 실험 패널 what-if measures panel"},
    }};
    const float s = hud.s, w = 760 * s, h = 640 * s;
    const float x = (static_cast<float>(size.x) - w) / 2, y = (static_cast<float>(size.y) - h) / 2;
    Hud::rect(tg, {x, y, w, h}, sf::Color(10, 12, 18, 240));
    hud.put(tg, hud.text("키 · keys", 28, sf::Color::White, true), x + 24 * s, y + 18 * s);
    float cy = y + 70 * s;
    for (const auto& [k, d] : keys) {
        if (*k == 0) continue;
        hud.put(tg, hud.text(k, 19, {255, 210, 120}, true), x + 24 * s, cy);
        hud.put(tg, hud.text(d, 19, {225, 228, 235}), x + 250 * s, cy);
        cy += 31 * s;
    }
}

}  // namespace modeshift::viewer
