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
#include "hud.hpp"
#include "measures_panel.hpp"
#include "scene.hpp"
#include "what_if.hpp"

namespace modeshift::viewer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::array<double, 11> kSpeeds = {1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600};


TimeMs parse_time(const std::string& s) {
    try {
        return parse_clock(s);
    } catch (const std::exception&) {
        throw CLI::ValidationError("time", "expected HH:MM or HH:MM:SS, got '" + s + "'");
    }
}

struct Viewer {
    explicit Viewer(const Options& o) : opt(o) {}
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
    // The live what-if: the panel's choices, the child-process job, and whether the next drawn
    // frame is the first with its result (for the click-to-playing figure).
    std::unique_ptr<MeasuresPanel> panel;
    WhatIfSetup setup;
    WhatIfJob job;
    WhatIfJob::State seen_state = WhatIfJob::State::Idle;
    bool report_playing = false;

    void start_what_if() {
        if (!panel || !panel->choices() || job.busy()) return;
        job.start(setup, *panel->choices(), panel->describe());
        seen_state = WhatIfJob::State::Idle;
        if (job.child_pid() > 0) std::cout << "what-if: started " << setup.modeshift.string() << " (pid " << job.child_pid() << ")" << std::endl;
    }

    /// Polls the job (every frame); puts a finished run into the right pane.
    void update_what_if() {
        job.update();
        const auto st = job.state();
        if (st != seen_state) {
            if (st == WhatIfJob::State::Failed || st == WhatIfJob::State::Cancelled) {
                std::cerr << "modeshift-viewer: what-if: " << job.message() << "\n";
                if (panel) panel->open = true;  // the message stays on screen
            }
            seen_state = st;
        }
        if (st != WhatIfJob::State::Done) return;
        auto result = job.take_result();
        if (!result) return;
        if (scenes.size() == 1) cam_set = false;  // the map now shares the window with a second pane
        scenes.resize(2);
        scenes[1] = std::move(result);
        for (const auto& sc : scenes) t_max = std::max(t_max, sc->replay().end_ms());
        if (panel) panel->open = false;  // both panes' counters visible
        report_playing = true;
    }

    /// After the frame that first shows a what-if's result: the click-to-playing figure.
    void after_frame() {
        if (!report_playing) return;
        report_playing = false;
        std::cout << fmt::format("what-if: click-to-playing {:.1f} s (simulation {:.1f} s, loading {:.1f} s, {} days), "
                                 "event hash {}, reproduce: sh {}\n",
                                 job.elapsed_s(), job.child_s(), job.total_s() - job.child_s(), job.iterations(),
                                 job.event_hash(), (job.out_dir() / "reproduce.sh").string())
                  << std::flush;
    }

    /// While a what-if runs with the panel closed: a strip with its progress, top right.
    void draw_what_if_banner(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
        if (!job.busy()) return;
        const float s = hud.s, w = 520 * s, x = static_cast<float>(size.x) - w - 16 * s, y = 16 * s;
        Hud::rect(tg, {x, y, w, 64 * s}, sf::Color(12, 14, 20, 235));
        Hud::rect(tg, {x, y + 56 * s, w * static_cast<float>(job.fraction()), 8 * s}, {255, 210, 120});
        const std::string what = job.iteration() > 0 ? fmt::format("{}일째 / {}일 · day {} of {}", job.iteration(),
                                                                   job.iterations(), job.iteration(), job.iterations())
                                                     : std::string("시작 중 · starting");
        hud.put(tg, hud.fitted("정책 실험 계산 중 · what-if: " + what, 20, sf::Color::White, true, w - 24 * s), x + 12 * s, y + 14 * s);
    }

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
        if (panel && panel->open) panel->draw(tg, font, bold, size, s, timeline_top(size), job);
        else draw_what_if_banner(tg, hud, size);
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

    void act(MeasuresPanel::Action a) {
        if (a == MeasuresPanel::Action::Simulate) start_what_if();
        if (a == MeasuresPanel::Action::Cancel) job.cancel();
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

bool save_png(const sf::RenderTexture& rt, const fs::path& path) {
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
    }
    return rt.getTexture().copyToImage().saveToFile(path.string());
}

/// --what-if FILE without a window: simulates the scripted choices as if Simulate had been pressed
/// and waits for the result (or the failure). Returns 0 when the new run is in the right pane, 4
/// when the what-if failed or was cancelled (the frame then shows the message).
int scripted_what_if(Viewer& v, const Options& opt) {
    const WhatIfScript script = read_what_if_script(*opt.what_if);
    v.panel->choices()->apply(script.set, opt.what_if->string());
    v.panel->open = true;
    v.start_what_if();
    int reported = -1;
    while (v.job.busy() || v.job.child_pid() > 0) {
        v.update_what_if();
        if (v.job.iteration() != reported && v.job.state() == WhatIfJob::State::Running) {
            reported = v.job.iteration();
            std::cout << fmt::format("what-if: day {} of {}, share change {:.2f} %, {:.1f} s\n", v.job.iteration(),
                                     v.job.iterations(), 100 * v.job.share_change(), v.job.elapsed_s())
                      << std::flush;
        }
        if (script.cancel_after_s > 0 && v.job.elapsed_s() >= script.cancel_after_s) v.job.cancel();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    v.update_what_if();
    return v.job.state() == WhatIfJob::State::Done ? 0 : 4;
}

WhatIfSetup what_if_setup(const Options& opt, const RunFile& baseline) {
    WhatIfSetup w;
    w.modeshift = opt.modeshift_bin ? *opt.modeshift_bin : default_modeshift_binary();
    w.base_scenario = opt.base_scenario;
    w.measures = opt.measures ? *opt.measures : opt.base_scenario.parent_path() / "measures.json";
    // The baseline run's folder: its saved plans and link times are the warm start.
    std::error_code ec;
    w.warm_start = fs::is_directory(opt.runs[0], ec) ? opt.runs[0] : opt.runs[0].parent_path();
    if (w.warm_start.empty()) w.warm_start = ".";
    w.out_root = opt.what_if_out;
    w.iterations = opt.what_if_iterations;
    w.sample = opt.what_if_sample;
    w.network_hash = baseline.network_hash;
    return w;
}

std::unique_ptr<MeasuresPanel> make_panel(const Options& opt, const WhatIfSetup& w, const RunFile& baseline) {
    const double base_pct = 100 * baseline.sample_fraction;
    const bool plans = fs::exists(w.warm_start / "plans.bin");
    std::string note = fmt::format("{} {}일 · {} days from the baseline's {}   ·   ", plans ? "기준 계획에서" : "기준 통행시간에서",
                                   w.iterations, w.iterations, plans ? "plans" : "link times");
    note += w.sample > 0 ? fmt::format("실시간 표본 live sample {:g} % (기준 baseline {:g} %)", 100 * w.sample, base_pct)
                         : fmt::format("표본 sample {:g} % (= baseline)", base_pct);
    try {
        return std::make_unique<MeasuresPanel>(MeasureChoices(load_measures(w.measures)), std::string{}, note);
    } catch (const std::exception& e) {
        (void)opt;
        return std::make_unique<MeasuresPanel>(std::nullopt, fmt::format("정책 목록 없음 · no measures: {}", e.what()), note);
    }
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
    int what_if_rc = 0;
    if (opt.what_if) what_if_rc = scripted_what_if(v, opt);
    if (opt.screenshot) {
        v.seek(opt.at_ms);
        v.draw(rt);
        rt.display();
        v.after_frame();
        if (!save_png(rt, *opt.screenshot)) {
            std::cerr << "modeshift-viewer: cannot write " << opt.screenshot->string() << "\n";
            return 3;
        }
        std::cout << "wrote " << opt.screenshot->string() << " (" << format_clock(v.t) << ", " << v.last_drawn
                  << " vehicles)\n";
        return what_if_rc;
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
    v.after_frame();
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << fmt::format("wrote {} frames to {} ({:.1f} s); make a video with:\n  ffmpeg -framerate {:g} -i {}/frame_%06d.png "
                             "-c:v libx264 -pix_fmt yuv420p -crf 18 out.mp4\n",
                             n, opt.frames_dir->string(), secs, opt.fps, opt.frames_dir->string());
    return what_if_rc;
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
    if (v.panel && v.panel->open) {  // the panel takes the arrows, Space and Enter
        if (k.code == K::Escape || k.code == K::M) {
            v.panel->open = false;
            return;
        }
        MeasuresPanel::Action act = MeasuresPanel::Action::None;
        if (v.panel->key(k.code, v.job.busy(), act)) {
            v.act(act);
            return;
        }
    }
    if (k.code == K::M) {
        if (v.panel) v.panel->open = true;
        return;
    }
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
                    MeasuresPanel::Action act = MeasuresPanel::Action::None;
                    if (v.panel && v.panel->press(size, v.ui_scale(size), v.timeline_top(size), static_cast<float>(e.mouseButton.x),
                                                  static_cast<float>(e.mouseButton.y), v.job.busy(), act)) {
                        v.act(act);
                    } else if (static_cast<float>(e.mouseButton.y) >= v.timeline_top(size)) {
                        const float s = v.ui_scale(size), x0 = 60 * s, x1 = static_cast<float>(size.x) - 60 * s;
                        const float u = std::clamp((static_cast<float>(e.mouseButton.x) - x0) / (x1 - x0), 0.0f, 1.0f);
                        v.seek(v.t_min + static_cast<TimeMs>(u * static_cast<float>(v.t_max - v.t_min)));
                    } else {
                        dragging = true;
                        drag_from = {e.mouseButton.x, e.mouseButton.y};
                    }
                } else if (e.type == sf::Event::MouseButtonReleased) {
                    dragging = false;
                    if (v.panel) v.panel->release();
                } else if (e.type == sf::Event::MouseMoved && v.panel) {
                    const auto size = win.getSize();
                    v.panel->drag(size, v.ui_scale(size), v.timeline_top(size), static_cast<float>(e.mouseMove.x));
                }
                if (e.type == sf::Event::MouseMoved && dragging) {
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
            v.update_what_if();
            win.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(win.getSize().x), static_cast<float>(win.getSize().y))));
            const auto d0 = Clock::now();
            v.draw(win);
            const auto d1 = Clock::now();
            win.display();
            v.after_frame();
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
    auto* wi = "What-if (measures panel, key M)";
    app.add_option("--what-if", opt.what_if, "simulate these scripted choices at start: {\"set\": [\"tram_line2\", \"bus_frequency=1.8\"]}")
        ->check(CLI::ExistingFile)->group(wi);
    app.add_option("--modeshift", opt.modeshift_bin, "the modeshift binary to start (default: $MODESHIFT_BIN, the build tree's)")
        ->group(wi);
    app.add_option("--base", opt.base_scenario, "baseline scenario a what-if extends (default scenarios/seogu-baseline.json)")
        ->group(wi);
    app.add_option("--measures", opt.measures, "measure catalogue (default: measures.json beside --base)")->group(wi);
    app.add_option("--what-if-out", opt.what_if_out, "folder for what-ifs (default out/what-if)")->group(wi);
    app.add_option("--what-if-iterations", opt.what_if_iterations, "days simulated from the baseline's plans (default 3)")
        ->check(CLI::Range(1, 100))->group(wi);
    app.add_option("--what-if-sample", opt.what_if_sample, "sample fraction for live what-ifs (default: the baseline's)")
        ->check(CLI::Range(1e-4, 1.0))->group(wi);
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
    Viewer v(opt);
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
    v.setup = what_if_setup(opt, v.scenes[0]->run());
    v.panel = make_panel(opt, v.setup, v.scenes[0]->run());
    try {
        if (opt.what_if && !v.panel->choices()) throw InputError(opt.what_if->string(), 0, "set", "no measure catalogue to choose from");
        if (opt.screenshot || opt.frames_dir) return headless(v, opt);
        if (opt.what_if) {  // press Simulate with the scripted choices; the window opens at once
            v.panel->choices()->apply(read_what_if_script(*opt.what_if).set, opt.what_if->string());
            v.panel->open = true;
            v.start_what_if();
        }
    } catch (const InputError& e) {
        std::cerr << "modeshift-viewer: " << e.what() << "\n";
        return 2;
    }
    return interactive(v, opt);
}

}  // namespace modeshift::viewer
