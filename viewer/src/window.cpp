// The interactive window: (re)opening it, the event loop, and --bench's frame timings.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "input.hpp"
#include "viewer.hpp"

namespace modeshift::viewer {
namespace {

/// Fullscreen on the desktop's mode, else a window of --size.
void open_window(sf::RenderWindow& win, const Options& opt, bool fullscreen) {
    sf::ContextSettings cs;
    cs.antialiasingLevel = 4;
    if (fullscreen)
        win.create(sf::VideoMode::getDesktopMode(), "modeshift", sf::Style::Fullscreen, cs);
    else
        win.create(sf::VideoMode(opt.width, opt.height), "modeshift — 교통 탄소 재생 replay",
                   sf::Style::Default, cs);
    win.setVerticalSyncEnabled(opt.bench_s <= 0);
    win.setKeyRepeatEnabled(true);
}

/// --bench: where a frame's time goes, summed over the frames, printed after bench_s seconds.
struct Bench {
    Clock::time_point start = Clock::now();
    long frames = 0;
    double update_s_sum = 0, draw_s_sum = 0, display_s_sum = 0;

    /// Adds one frame (drawn from d0 to d1, then displayed); returns true when the time is up.
    bool add(const Viewer& v, Clock::time_point d0, Clock::time_point d1, double bench_s) {
        ++frames;
        draw_s_sum += std::chrono::duration<double>(d1 - d0).count();
        display_s_sum += std::chrono::duration<double>(Clock::now() - d1).count();
        for (const auto& sc : v.scenes) update_s_sum += sc->last_vehicle_update_s();
        if (std::chrono::duration<double>(Clock::now() - start).count() < bench_s) return false;
        std::cout << fmt::format(
            "fps: {:.1f} over {} frames, {} vehicles drawn in the last frame; per frame: vehicle "
            "positions + vertex array {:.1f} ms, draw calls issued {:.1f} ms, "
            "rasterise + present {:.1f} ms\n",
            static_cast<double>(frames) /
                std::chrono::duration<double>(Clock::now() - start).count(),
            frames, v.last_drawn, 1e3 * update_s_sum / frames, 1e3 * draw_s_sum / frames,
            1e3 * display_s_sum / frames);
        return true;
    }
};

}  // namespace

int interactive(Viewer& v, const Options& opt) {
    WindowInput in;
    in.fullscreen = opt.fullscreen || opt.present;
    sf::RenderWindow win;
    Bench bench;
    while (!in.quit) {
        if (!win.isOpen()) open_window(win, opt, in.fullscreen);
        auto last = Clock::now();
        while (win.isOpen() && !in.quit) {
            sf::Event e;
            while (win.pollEvent(e)) handle_event(v, e, win, in);
            if (!win.isOpen() || in.quit) break;
            const auto now = Clock::now();
            const double dt = std::chrono::duration<double>(now - last).count();
            last = now;
            v.advance(dt);
            v.update_what_if();
            win.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(win.getSize().x),
                                               static_cast<float>(win.getSize().y))));
            const auto d0 = Clock::now();
            v.draw(win);
            const auto d1 = Clock::now();
            win.display();
            v.after_frame();
            if (opt.bench_s > 0 && bench.add(v, d0, d1, opt.bench_s)) in.quit = true;
        }
    }
    return 0;
}

}  // namespace modeshift::viewer
