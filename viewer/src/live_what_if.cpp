// The viewer's side of the live what-if: starting the job from the panel, polling it every frame,
// putting its run in the right pane, the progress banner, and the scripted --what-if.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "viewer.hpp"

namespace modeshift::viewer {

namespace fs = std::filesystem;

void Viewer::start_what_if() {
    if (!panel || !panel->choices() || job.busy()) return;
    job.start(setup, *panel->choices(), panel->describe());
    seen_state = WhatIfJob::State::Idle;
    if (job.child_pid() > 0)
        std::cout << "what-if: started " << setup.modeshift.string() << " (pid " << job.child_pid()
                  << ")" << std::endl;
}

void Viewer::update_what_if() {
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

void Viewer::after_frame() {
    if (!report_playing) return;
    report_playing = false;
    std::cout << fmt::format(
                     "what-if: click-to-playing {:.1f} s (simulation {:.1f} s, loading {:.1f} s, "
                     "{} days), event hash {}, reproduce: sh {}\n",
                     job.elapsed_s(), job.child_s(), job.total_s() - job.child_s(),
                     job.iterations(), job.event_hash(), (job.out_dir() / "reproduce.sh").string())
              << std::flush;
}

void Viewer::draw_what_if_banner(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const {
    if (!job.busy()) return;
    const float s = hud.s, w = 520 * s, x = static_cast<float>(size.x) - w - 16 * s, y = 16 * s;
    Hud::rect(tg, {x, y, w, 64 * s}, sf::Color(12, 14, 20, 235));
    Hud::rect(tg, {x, y + 56 * s, w * static_cast<float>(job.fraction()), 8 * s}, {255, 210, 120});
    const std::string what = job.iteration() > 0
                                 ? fmt::format("{}일째 / {}일 · day {} of {}", job.iteration(),
                                               job.iterations(), job.iteration(), job.iterations())
                                 : std::string("시작 중 · starting");
    hud.put(
        tg,
        hud.fitted("정책 실험 계산 중 · what-if: " + what, 20, sf::Color::White, true, w - 24 * s),
        x + 12 * s, y + 14 * s);
}

void Viewer::act(MeasuresPanel::Action a) {
    if (a == MeasuresPanel::Action::Simulate) start_what_if();
    if (a == MeasuresPanel::Action::Cancel) job.cancel();
}

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
            std::cout << fmt::format("what-if: day {} of {}, share change {:.2f} %, {:.1f} s\n",
                                     v.job.iteration(), v.job.iterations(),
                                     100 * v.job.share_change(), v.job.elapsed_s())
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

std::unique_ptr<MeasuresPanel> make_panel(const WhatIfSetup& w, const RunFile& baseline) {
    const double base_pct = 100 * baseline.sample_fraction;
    const bool plans = fs::exists(w.warm_start / "plans.bin");
    std::string note = fmt::format("{} {}일 · {} days from the baseline's {}   ·   ",
                                   plans ? "기준 계획에서" : "기준 통행시간에서", w.iterations,
                                   w.iterations, plans ? "plans" : "link times");
    note += w.sample > 0 ? fmt::format("실시간 표본 live sample {:g} % (기준 baseline {:g} %)",
                                       100 * w.sample, base_pct)
                         : fmt::format("표본 sample {:g} % (= baseline)", base_pct);
    try {
        return std::make_unique<MeasuresPanel>(MeasureChoices(load_measures(w.measures)),
                                               std::string{}, note);
    } catch (const std::exception& e) {
        return std::make_unique<MeasuresPanel>(
            std::nullopt, fmt::format("정책 목록 없음 · no measures: {}", e.what()), note);
    }
}

}  // namespace modeshift::viewer
