#include "app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <iostream>
#include <memory>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/record/run_file.hpp"
#include "scene.hpp"

namespace modeshift::viewer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::array<double, 11> kSpeeds = {1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600};

sf::String utf8(const std::string& s) { return sf::String::fromUtf8(s.begin(), s.end()); }

TimeMs parse_time(const std::string& s) {
    try {
        return parse_clock(s);
    } catch (const std::exception&) {
        throw CLI::ValidationError("time", "expected HH:MM or HH:MM:SS, got '" + s + "'");
    }
}

/// Everything drawn on top of the map, in window pixels.
struct Hud {
    const sf::Font& font;
    const sf::Font& bold;
    float s;  // ui scale

    sf::Text text(const std::string& str, float px, sf::Color col, bool strong = false) const {
        sf::Text t(utf8(str), strong ? bold : font, static_cast<unsigned>(std::round(px * s)));
        t.setFillColor(col);
        return t;
    }
    static void rect(sf::RenderTarget& tg, sf::FloatRect r, sf::Color col) {
        sf::RectangleShape sh({r.width, r.height});
        sh.setPosition(r.left, r.top);
        sh.setFillColor(col);
        tg.draw(sh);
    }
    /// Like text(), shortened with "…" to at most max_w pixels (long scenario names).
    sf::Text fitted(const std::string& str, float px, sf::Color col, bool strong, float max_w) const {
        sf::Text t = text(str, px, col, strong);
        sf::String s32 = t.getString();
        while (s32.getSize() > 1 && t.getLocalBounds().width > max_w) {
            s32.erase(s32.getSize() - 1);
            t.setString(s32 + sf::String(L"\u2026"));
        }
        return t;
    }
    void put(sf::RenderTarget& tg, sf::Text t, float x, float y, int align = 0) const {
        const auto b = t.getLocalBounds();
        const float ax = align == 0 ? x : (align == 1 ? x - b.width / 2 : x - b.width);
        t.setPosition(std::round(ax - b.left), std::round(y));
        tg.draw(t);
    }

    /// Side-by-side counters: a two-column strip across the top of a pane; returns its height.
    float counters_strip(sf::RenderTarget& tg, sf::FloatRect pane, const RunScene& sc, TimeMs t, std::size_t vehicles) const {
        const float pad = 16 * s, x = pane.left + pad, w = pane.width - 2 * pad, y = pane.top + pad;
        const float h = 290 * s;
        const auto c = sc.counters_at(t);
        rect(tg, {x, y, w, h}, sf::Color(12, 14, 20, 225));
        const auto& run = sc.run();
        float cy = y + pad;
        put(tg, fitted(run.label.empty() ? run.scenario : run.label, 26, sf::Color::White, true, w - 2 * pad), x + pad, cy);
        cy += 40 * s;
        if (c.has_co2) {
            put(tg, text("누적 CO2 · cumulative", 17, {180, 185, 200}), x + pad, cy);
            put(tg, text(format_tonnes(c.total_t) + " t", 54, sf::Color::White, true), x + pad, cy + 20 * s);
            put(tg, text(fmt::format("배출률 rate  {:.1f} t/h", c.rate_t_per_h), 21, {255, 210, 120}), x + pad, cy + 92 * s);
            const float mx = x + w * 0.52f, mw = w * 0.48f - pad;
            float my = cy;
            for (Mode m : kAllModes) {
                if (m == Mode::Walk) continue;
                rect(tg, {mx, my + 5 * s, 15 * s, 15 * s}, mode_colour(m));
                put(tg, text(fmt::format("{} {}", mode_name_ko(m), mode_name(m)), 18, {225, 228, 235}), mx + 24 * s, my);
                put(tg, text(format_tonnes(c.co2_t[mode_index(m)]) + " t", 18, sf::Color::White, true), mx + mw, my, 2);
                my += 25 * s;
            }
        } else {
            put(tg, text("CO2 카운터 없음 (no CO2 counters in run file)", 18, {220, 180, 120}), x + pad, cy);
        }
        const float by = y + h - 50 * s, bw = w - 2 * pad, bh = 24 * s;
        float bx = x + pad;
        put(tg, text(fmt::format("수단 분담률 · mode share      지도 위 차량 vehicles: {}", vehicles), 15, {170, 175, 190}), bx,
            by - 22 * s);
        for (Mode m : kAllModes) {
            const float sw = static_cast<float>(c.shares[mode_index(m)]) * bw;
            if (sw <= 0) continue;
            rect(tg, {bx, by, sw, bh}, mode_colour(m));
            if (c.shares[mode_index(m)] >= 0.06)
                put(tg, text(fmt::format("{:.0f}%", 100 * c.shares[mode_index(m)]), 15, {10, 10, 10}, true), bx + sw / 2,
                    by + 2 * s, 1);
            bx += sw;
        }
        return h;
    }

    /// The counters panel of one run; returns its height.
    float counters(sf::RenderTarget& tg, float x, float y, const RunScene& sc, TimeMs t, std::size_t vehicles,
                   bool minimal) const {
        const float w = 440 * s, pad = 18 * s;
        const auto c = sc.counters_at(t);
        const float h = (minimal ? 400 : 460) * s;
        rect(tg, {x, y, w, h}, sf::Color(12, 14, 20, 215));
        float cy = y + pad;
        const auto& run = sc.run();
        put(tg, fitted(run.label.empty() ? run.scenario : run.label, 26, sf::Color::White, true, w - 2 * pad), x + pad, cy);
        cy += 40 * s;
        if (!c.has_co2) {
            put(tg, text("CO2 카운터 없음 (no CO2 counters in run file)", 18, {220, 180, 120}), x + pad, cy);
            cy += 30 * s;
        } else {
            put(tg, text("누적 CO2 · cumulative", 18, {180, 185, 200}), x + pad, cy);
            cy += 24 * s;
            put(tg, text(format_tonnes(c.total_t) + " t", 56, sf::Color::White, true), x + pad, cy);
            cy += 70 * s;
            put(tg, text(fmt::format("배출률 rate  {:.1f} t/h", c.rate_t_per_h), 22, {255, 210, 120}), x + pad, cy);
            cy += 36 * s;
            for (Mode m : kAllModes) {
                if (m == Mode::Walk) continue;
                rect(tg, {x + pad, cy + 5 * s, 16 * s, 16 * s}, mode_colour(m));
                put(tg, text(fmt::format("{} {}", mode_name_ko(m), mode_name(m)), 20, {225, 228, 235}), x + pad + 26 * s, cy);
                put(tg, text(format_tonnes(c.co2_t[mode_index(m)]) + " t", 20, sf::Color::White, true), x + w - pad, cy, 2);
                cy += 27 * s;
            }
        }
        cy += 8 * s;
        put(tg, text("수단 분담률 · mode share", 18, {180, 185, 200}), x + pad, cy);
        cy += 26 * s;
        const float bw = w - 2 * pad, bh = 26 * s;
        float bx = x + pad;
        for (Mode m : kAllModes) {
            const float sw = static_cast<float>(c.shares[mode_index(m)]) * bw;
            if (sw <= 0) continue;
            rect(tg, {bx, cy, sw, bh}, mode_colour(m));
            if (c.shares[mode_index(m)] >= 0.06)
                put(tg, text(fmt::format("{:.0f}%", 100 * c.shares[mode_index(m)]), 16, {10, 10, 10}, true), bx + sw / 2,
                    cy + 2 * s, 1);
            bx += sw;
        }
        cy += bh + 10 * s;
        if (!minimal)
            put(tg, text(fmt::format("지도 위 차량 vehicles on map: {}", vehicles), 16, {160, 165, 180}), x + pad, cy);
        return h;
    }
};

struct Viewer {
    const Options& opt;
    std::vector<std::unique_ptr<RunScene>> scenes;
    sf::Font font, bold;
    Layers layers;
    Camera cam;
    bool cam_set = false;
    TimeMs t = 0, t_min = 0, t_max = kMsPerDay;
    bool playing = true, help = false, present = false;
    double speed = 60;
    TimeMs loop_from = 0, loop_to = 0;
    std::size_t last_drawn = 0;

    float ui_scale(sf::Vector2u size) const {
        const float base = std::min(static_cast<float>(size.x) / 1920.0f, static_cast<float>(size.y) / 1080.0f);
        return std::max(0.55f, base * (present ? 1.3f : 1.0f));
    }

    std::vector<sf::FloatRect> panes(sf::Vector2u size) const {
        const auto w = static_cast<float>(size.x), h = static_cast<float>(size.y);
        if (scenes.size() == 1) return {{0, 0, w, h}};
        return {{0, 0, w / 2 - 2, h}, {w / 2 + 2, 0, w / 2 - 2, h}};
    }

    void ensure_camera(sf::Vector2u size) {
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

    float timeline_top(sf::Vector2u size) const { return static_cast<float>(size.y) - 46 * ui_scale(size); }

    /// Renders one complete frame.
    void draw(sf::RenderTarget& tg) {
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
        tg.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(size.x), static_cast<float>(size.y))));
        const Hud hud{font, bold, s};
        if (scenes.size() == 2) Hud::rect(tg, {static_cast<float>(size.x) / 2 - 2, 0, 4, static_cast<float>(size.y)}, {90, 95, 110});
        if (layers.counters)
            for (std::size_t i = 0; i < scenes.size(); ++i) {
                if (scenes.size() == 2) hud.counters_strip(tg, ps[i], *scenes[i], t, drawn[i]);
                else hud.counters(tg, ps[i].left + 16 * s, ps[i].top + 16 * s, *scenes[i], t, drawn[i], present);
            }
        // One clock (panes are synchronised): top centre, or above the difference when side by side.
        const bool side = scenes.size() == 2;
        const float cxm = side ? 166 * s : static_cast<float>(size.x) / 2;
        const float cy0 = side ? timeline_top(size) - 112 * s : 10 * s;
        Hud::rect(tg, {cxm - 150 * s, cy0, 300 * s, 96 * s}, sf::Color(12, 14, 20, 225));
        hud.put(tg, hud.text(format_clock(t).substr(0, 5), 64, sf::Color::White, true), cxm, cy0 + 4 * s, 1);
        hud.put(tg, hud.text(fmt::format("{}  ×{:g}", playing ? "재생 play" : "일시정지 pause", speed), 18, {190, 195, 210}),
                cxm, cy0 + 74 * s, 1);
        if (scenes.size() == 2) draw_difference(tg, hud, size);
        if (!present || true) draw_timeline(tg, hud, size);
        if (!present) {
            const std::string status = fmt::format("색: {}   ·   H / F1 도움말 help", colouring_name(layers.colouring));
            hud.put(tg, hud.text(status, 16, {170, 175, 190}), static_cast<float>(size.x) - 16 * s, timeline_top(size) - 28 * s, 2);
            if (layers.colouring == LinkColouring::Co2 && !scenes[0]->has_link_co2())
                hud.put(tg, hud.text("이 실행 파일에 링크별 CO2 없음 (no per-link CO2 in run file)", 16, {230, 180, 110}),
                        static_cast<float>(size.x) - 16 * s, timeline_top(size) - 52 * s, 2);
        }
        if (help) draw_help(tg, hud, size);
    }

    void draw_difference(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
        const auto a = scenes[0]->counters_at(t), b = scenes[1]->counters_at(t);
        if (!a.has_co2 || !b.has_co2) return;
        const double d = b.total_t - a.total_t;
        const double pct = a.total_t > 0 ? 100.0 * d / a.total_t : 0.0;
        const std::string sign = d < 0 ? "-" : "+";
        const std::string line = fmt::format("{}{} t CO2 지금까지 so far   ({}{:.1f} %)", sign, format_tonnes(std::abs(d)), sign,
                                             std::abs(pct));
        const float s = hud.s, cx = static_cast<float>(size.x) / 2 + 120 * s, y = timeline_top(size) - 90 * s;
        auto txt = hud.text(line, 40, d <= 0 ? sf::Color(120, 240, 140) : sf::Color(255, 130, 110), true);
        const auto bw = txt.getLocalBounds().width + 48 * s;
        Hud::rect(tg, {cx - bw / 2, y - 8 * s, bw, 66 * s}, sf::Color(12, 14, 20, 230));
        hud.put(tg, txt, cx, y, 1);
        hud.put(tg, hud.text("정책 - 기준 · policy - baseline", 15, {170, 175, 190}), cx, y - 30 * s, 1);
    }

    void draw_timeline(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
        const float s = hud.s, top = timeline_top(size), w = static_cast<float>(size.x);
        Hud::rect(tg, {0, top, w, static_cast<float>(size.y) - top}, sf::Color(12, 14, 20, 235));
        const float x0 = 60 * s, x1 = w - 60 * s, y = top + 20 * s;
        Hud::rect(tg, {x0, y, x1 - x0, 6 * s}, {70, 75, 90});
        const auto span = static_cast<float>(std::max<TimeMs>(t_max - t_min, 1));
        auto xt = [&](TimeMs tt) { return x0 + (x1 - x0) * static_cast<float>(tt - t_min) / span; };
        if (present && loop_to > loop_from) Hud::rect(tg, {xt(loop_from), y, xt(loop_to) - xt(loop_from), 6 * s}, {90, 120, 200});
        Hud::rect(tg, {x0, y, xt(t) - x0, 6 * s}, {255, 200, 80});
        for (TimeMs h = (t_min + kMsPerHour - 1) / kMsPerHour * kMsPerHour; h <= t_max; h += kMsPerHour) {
            Hud::rect(tg, {xt(h), y - 4 * s, 1.5f * s, 14 * s}, {150, 155, 170});
            if ((h / kMsPerHour) % 3 == 0) hud.put(tg, hud.text(fmt::format("{}", h / kMsPerHour), 13, {150, 155, 170}), xt(h), y + 10 * s, 1);
        }
        Hud::rect(tg, {xt(t) - 3 * s, y - 8 * s, 6 * s, 22 * s}, sf::Color::White);
    }

    void draw_help(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
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
            {"", ""},
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

    void seek(TimeMs to) { t = std::clamp(to, t_min, t_max); }
    void advance(double real_s) {
        if (!playing) return;
        t += static_cast<TimeMs>(real_s * speed * 1000.0);
        if (present && loop_to > loop_from) {
            if (t >= loop_to || t < loop_from) t = loop_from;
        } else if (t >= t_max) {
            t = t_max;
            playing = false;
        }
    }
};

std::optional<RunFile> load_run(const fs::path& given, std::string& error) {
    fs::path p = given;
    std::error_code ec;
    if (fs::is_directory(p, ec)) p /= "run.msrun";
    try {
        return read_run_file(p);
    } catch (const InputError& e) {
        error = e.what();
    } catch (const std::exception& e) {
        error = fmt::format("{}: cannot read run file: {}", p.string(), e.what());
    }
    return std::nullopt;
}

bool save_png(const sf::RenderTexture& rt, const fs::path& path) {
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
    }
    return rt.getTexture().copyToImage().saveToFile(path.string());
}

int headless(Viewer& v, const Options& opt) {
    sf::RenderTexture rt;
    if (!rt.create(opt.width, opt.height)) {
        std::cerr << "modeshift-viewer: cannot create an off-screen render target (is a display available? "
                     "run under `xvfb-run -a`)\n";
        return 3;
    }
    rt.setSmooth(true);
    v.playing = false;
    if (opt.screenshot) {
        v.seek(opt.at_ms);
        v.draw(rt);
        rt.display();
        if (!save_png(rt, *opt.screenshot)) {
            std::cerr << "modeshift-viewer: cannot write " << opt.screenshot->string() << "\n";
            return 3;
        }
        std::cout << "wrote " << opt.screenshot->string() << " (" << format_clock(v.t) << ", " << v.last_drawn
                  << " vehicles)\n";
        return 0;
    }
    v.playing = true;  // frames show a playing clock
    const double step_ms = opt.speed * 1000.0 / opt.fps;
    const auto n = static_cast<long>(std::floor(static_cast<double>(opt.to_ms - opt.from_ms) / step_ms)) + 1;
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) {
        v.t = opt.from_ms + static_cast<TimeMs>(static_cast<double>(i) * step_ms);
        v.draw(rt);
        rt.display();
        const auto file = *opt.frames_dir / fmt::format("frame_{:06d}.png", i);
        if (!save_png(rt, file)) {
            std::cerr << "modeshift-viewer: cannot write " << file.string() << "\n";
            return 3;
        }
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << fmt::format("wrote {} frames to {} ({:.1f} s); make a video with:\n  ffmpeg -framerate {:g} -i {}/frame_%06d.png "
                             "-c:v libx264 -pix_fmt yuv420p -crf 18 out.mp4\n",
                             n, opt.frames_dir->string(), secs, opt.fps, opt.frames_dir->string());
    return 0;
}

void handle_key(Viewer& v, const sf::Event::KeyEvent& k, sf::RenderWindow& win, bool& fullscreen, bool& quit,
                std::string& hour_digits, Clock::time_point& digit_time) {
    using K = sf::Keyboard;
    const float pan = 120.0f * v.cam.m_per_px;
    auto speed_step = [&](int dir) {
        auto it = std::lower_bound(kSpeeds.begin(), kSpeeds.end(), v.speed);
        auto idx = static_cast<int>(it - kSpeeds.begin()) + dir;
        v.speed = kSpeeds[static_cast<std::size_t>(std::clamp(idx, 0, static_cast<int>(kSpeeds.size()) - 1))];
    };
    if (k.code >= K::Num0 && k.code <= K::Num9) {
        if (Clock::now() - digit_time > std::chrono::milliseconds(1500)) hour_digits.clear();
        hour_digits.push_back(static_cast<char>('0' + (k.code - K::Num0)));
        digit_time = Clock::now();
        if (hour_digits.size() == 2) {
            v.seek(std::stoi(hour_digits) * kMsPerHour);
            hour_digits.clear();
        }
        return;
    }
    switch (k.code) {
        case K::Space: v.playing = !v.playing; break;
        case K::RBracket: speed_step(+1); break;
        case K::LBracket: speed_step(-1); break;
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
        case K::F: case K::F11: fullscreen = !fullscreen; win.close(); break;  // reopened by the loop
        case K::P:
            v.present = !v.present;
            if (v.present) {
                v.playing = true;
                if (!fullscreen) { fullscreen = true; win.close(); }
            }
            break;
        case K::Escape:
            if (v.help) v.help = false;
            else if (v.present || fullscreen) { v.present = false; fullscreen = false; win.close(); }
            else quit = true;
            break;
        case K::Q: quit = true; break;
        default: break;
    }
}

int interactive(Viewer& v, const Options& opt) {
    bool fullscreen = opt.fullscreen || opt.present, quit = false;
    std::string digits;
    auto digit_time = Clock::now();
    sf::RenderWindow win;
    sf::Vector2i drag_from;
    bool dragging = false;
    const auto bench_start = Clock::now();
    long frames = 0;
    double update_s_sum = 0, draw_s_sum = 0, display_s_sum = 0;
    while (!quit) {
        if (!win.isOpen()) {
            sf::ContextSettings cs;
            cs.antialiasingLevel = 4;
            if (fullscreen) win.create(sf::VideoMode::getDesktopMode(), "modeshift", sf::Style::Fullscreen, cs);
            else win.create(sf::VideoMode(opt.width, opt.height), "modeshift — 교통 탄소 재생 replay", sf::Style::Default, cs);
            win.setVerticalSyncEnabled(opt.bench_s <= 0);
            win.setKeyRepeatEnabled(true);
        }
        auto last = Clock::now();
        while (win.isOpen() && !quit) {
            sf::Event e;
            while (win.pollEvent(e)) {
                if (e.type == sf::Event::Closed) quit = true;
                else if (e.type == sf::Event::Resized) {
                    // Keep the pixel mapping 1:1; the camera scale stays.
                } else if (e.type == sf::Event::KeyPressed) {
                    handle_key(v, e.key, win, fullscreen, quit, digits, digit_time);
                } else if (e.type == sf::Event::MouseWheelScrolled) {
                    const float f = e.mouseWheelScroll.delta > 0 ? 1 / 1.2f : 1.2f;
                    // Zoom about the cursor: keep the world point under it fixed.
                    const auto size = win.getSize();
                    const auto pane = v.panes(size)[0];
                    const float mx = static_cast<float>(e.mouseWheelScroll.x) - (e.mouseWheelScroll.x > static_cast<int>(size.x / 2) && v.scenes.size() == 2 ? static_cast<float>(size.x) / 2 : 0.0f);
                    const float dx = mx - pane.width / 2, dy = static_cast<float>(e.mouseWheelScroll.y) - pane.height / 2;
                    v.cam.cx_m += dx * v.cam.m_per_px * (1 - f);
                    v.cam.cy_m -= dy * v.cam.m_per_px * (1 - f);
                    v.cam.m_per_px *= f;
                } else if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Left) {
                    const auto size = win.getSize();
                    if (static_cast<float>(e.mouseButton.y) >= v.timeline_top(size)) {
                        const float s = v.ui_scale(size), x0 = 60 * s, x1 = static_cast<float>(size.x) - 60 * s;
                        const float u = std::clamp((static_cast<float>(e.mouseButton.x) - x0) / (x1 - x0), 0.0f, 1.0f);
                        v.seek(v.t_min + static_cast<TimeMs>(u * static_cast<float>(v.t_max - v.t_min)));
                    } else {
                        dragging = true;
                        drag_from = {e.mouseButton.x, e.mouseButton.y};
                    }
                } else if (e.type == sf::Event::MouseButtonReleased) {
                    dragging = false;
                } else if (e.type == sf::Event::MouseMoved && dragging) {
                    v.cam.cx_m -= static_cast<float>(e.mouseMove.x - drag_from.x) * v.cam.m_per_px;
                    v.cam.cy_m += static_cast<float>(e.mouseMove.y - drag_from.y) * v.cam.m_per_px;
                    drag_from = {e.mouseMove.x, e.mouseMove.y};
                }
            }
            if (!win.isOpen() || quit) break;
            const auto now = Clock::now();
            const double dt = std::chrono::duration<double>(now - last).count();
            last = now;
            v.advance(dt);
            win.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(win.getSize().x), static_cast<float>(win.getSize().y))));
            const auto d0 = Clock::now();
            v.draw(win);
            const auto d1 = Clock::now();
            win.display();
            if (opt.bench_s > 0) {
                ++frames;
                draw_s_sum += std::chrono::duration<double>(d1 - d0).count();
                display_s_sum += std::chrono::duration<double>(Clock::now() - d1).count();
                for (const auto& sc : v.scenes) update_s_sum += sc->last_vehicle_update_s();
                if (std::chrono::duration<double>(Clock::now() - bench_start).count() >= opt.bench_s) {
                    std::cout << fmt::format(
                        "fps: {:.1f} over {} frames, {} vehicles drawn in the last frame; per frame: vehicle "
                        "positions + vertex array {:.1f} ms, draw calls issued {:.1f} ms, "
                        "rasterise + present {:.1f} ms\n",
                        static_cast<double>(frames) / std::chrono::duration<double>(Clock::now() - bench_start).count(),
                        frames, v.last_drawn, 1e3 * update_s_sum / frames,
                        1e3 * draw_s_sum / frames, 1e3 * display_s_sum / frames);
                    quit = true;
                }
            }
        }
    }
    return 0;
}

}  // namespace

fs::path find_font(const std::optional<fs::path>& given) {
    std::vector<fs::path> candidates;
    if (given) return fs::exists(*given) ? *given : fs::path{};
    if (const char* env = std::getenv("MODESHIFT_FONT")) candidates.emplace_back(env);
    for (const char* p : {"/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
                          "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
                          "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                          "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf"})
        candidates.emplace_back(p);
    for (const auto& c : candidates)
        if (fs::exists(c)) return c;
    return {};
}

int parse_options(int argc, char** argv, Options& opt) {
    CLI::App app{"modeshift-viewer: replay modeshift run files (map, moving vehicles, CO2 counters).\n"
                 "One run, or two (baseline, policy) side by side."};
    std::string at, from, to, size, loop;
    app.add_option("runs", opt.runs, "run file(s) or run directories (DIR/run.msrun); two = side by side")
        ->required()->expected(1, 2);
    app.add_option("--screenshot", opt.screenshot, "render one frame to this PNG and exit");
    app.add_option("--at", at, "time of the screenshot (HH:MM), default 08:00");
    app.add_option("--frames", opt.frames_dir, "write numbered PNG frames to this directory and exit");
    app.add_option("--from", from, "first frame time (HH:MM), default 07:00; start of the presentation loop");
    app.add_option("--to", to, "last frame time (HH:MM), default 09:00; end of the presentation loop");
    app.add_option("--fps", opt.fps, "frames per video second for --frames (default 30)")->check(CLI::Range(1.0, 240.0));
    app.add_option("--speed", opt.speed, "simulated seconds per real second (1..3600, default 60)")->check(CLI::Range(1.0, 3600.0));
    app.add_option("--size", size, "window / image size WxH (default 1920x1080)");
    app.add_option("--font", opt.font, "TTF font with Hangul (default: fonts-nanum NanumGothic)");
    app.add_flag("--present", opt.present, "presentation mode: fullscreen, big type, loop --from..--to");
    app.add_flag("--fullscreen", opt.fullscreen, "start fullscreen");
    app.add_option("--colour", opt.colouring, "road colouring: plain, volume, speed, co2")
        ->check(CLI::IsMember({"plain", "volume", "speed", "co2"}));
    app.add_option("--bench", opt.bench_s, "play this many seconds in the window, print frames per second, exit");
    try {
        app.parse(argc, argv);
        if (!at.empty()) opt.at_ms = parse_time(at);
        if (!from.empty()) opt.from_ms = parse_time(from);
        if (!to.empty()) opt.to_ms = parse_time(to);
        if (opt.to_ms <= opt.from_ms) throw CLI::ValidationError("--to", "must be later than --from");
        if (!size.empty()) {
            unsigned w = 0, h = 0;
            if (std::sscanf(size.c_str(), "%ux%u", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192)
                throw CLI::ValidationError("--size", "expected WxH, e.g. 1920x1080");
            opt.width = w;
            opt.height = h;
        }
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? -1 : 1;
    }
    return 0;
}

int run_viewer(const Options& opt) {
    Viewer v{opt, {}, {}, {}, {}, {}, false};
    const auto t0 = Clock::now();
    const auto c0 = std::clock();
    // Runs load in parallel (side by side: baseline and policy at once).
    std::vector<std::optional<RunFile>> loaded(opt.runs.size());
    std::vector<std::string> errors(opt.runs.size());
    {
        std::vector<std::thread> th;
        for (std::size_t i = 0; i < opt.runs.size(); ++i)
            th.emplace_back([&, i] { loaded[i] = load_run(opt.runs[i], errors[i]); });
        for (auto& x : th) x.join();
    }
    std::vector<RunFile> runs;
    for (std::size_t i = 0; i < loaded.size(); ++i) {
        if (!loaded[i]) {
            std::cerr << "modeshift-viewer: " << errors[i] << "\n";
            return 2;
        }
        runs.push_back(std::move(*loaded[i]));
    }
    if (runs.size() == 2 && runs[0].network_hash != runs[1].network_hash) {
        std::cerr << fmt::format("modeshift-viewer: the two runs use different networks ('{}' {} vs '{}' {}); side by side "
                                 "needs runs of the same network\n",
                                 runs[0].network_name, hex64(runs[0].network_hash), runs[1].network_name,
                                 hex64(runs[1].network_hash));
        return 2;
    }
    const auto font_path = find_font(opt.font);
    if (font_path.empty()) {
        std::cerr << "modeshift-viewer: no Hangul font found. Install fonts-nanum (apt-get install fonts-nanum), "
                     "or pass --font PATH / set MODESHIFT_FONT\n";
        return 2;
    }
    if (!v.font.loadFromFile(font_path.string())) {
        std::cerr << "modeshift-viewer: cannot load font " << font_path.string() << "\n";
        return 2;
    }
    auto bold_path = font_path.parent_path() / (font_path.stem().string() + "Bold" + font_path.extension().string());
    if (!fs::exists(bold_path) || !v.bold.loadFromFile(bold_path.string())) v.bold = v.font;
    v.scenes.resize(runs.size());
    {
        std::vector<std::thread> th;
        for (std::size_t i = 0; i < runs.size(); ++i)
            th.emplace_back([&, i] { v.scenes[i] = std::make_unique<RunScene>(std::move(runs[i])); });
        for (auto& x : th) x.join();
    }
    const double load_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double load_cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::cerr << fmt::format("loaded {} run(s) in {:.2f} s wall, {:.2f} s CPU all threads ({} vehicles, {} link traversals)\n",
                             v.scenes.size(), load_s, load_cpu_s,
                             v.scenes[0]->run().movements.vehicle_count(), v.scenes[0]->run().movements.traversal_count());
    v.t_min = 0;
    v.t_max = kMsPerDay;
    for (const auto& s : v.scenes) v.t_max = std::max(v.t_max, s->replay().end_ms());
    v.speed = opt.speed;
    v.present = opt.present;
    v.loop_from = opt.from_ms;
    v.loop_to = opt.to_ms;
    v.t = opt.present ? opt.from_ms : opt.at_ms;
    v.layers.colouring = opt.colouring == "volume" ? LinkColouring::Volume
                         : opt.colouring == "speed" ? LinkColouring::Speed
                         : opt.colouring == "co2"   ? LinkColouring::Co2
                                                    : LinkColouring::Plain;
    if (opt.screenshot || opt.frames_dir) return headless(v, opt);
    return interactive(v, opt);
}

}  // namespace modeshift::viewer
