// Rendering without a window (--screenshot, --frames): an off-screen target written to PNGs.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "viewer.hpp"

namespace modeshift::viewer {
namespace {

namespace fs = std::filesystem;

bool save_png(const sf::RenderTexture& rt, const fs::path& path) {
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
    }
    return rt.getTexture().copyToImage().saveToFile(path.string());
}

int screenshot(Viewer& v, const Options& opt, sf::RenderTexture& rt) {
    v.seek(opt.at_ms);
    v.draw(rt);
    rt.display();
    v.after_frame();
    if (!save_png(rt, *opt.screenshot)) {
        std::cerr << "modeshift-viewer: cannot write " << opt.screenshot->string() << "\n";
        return 3;
    }
    std::cout << "wrote " << opt.screenshot->string() << " (" << format_clock(v.t) << ", "
              << v.last_drawn << " vehicles)\n";
    return 0;
}

/// --from..--to at --fps frames per video second, each --speed simulated seconds per second apart.
int frames(Viewer& v, const Options& opt, sf::RenderTexture& rt) {
    v.playing = true;  // frames show a playing clock
    const double step_ms = opt.speed * 1000.0 / opt.fps;
    const auto n =
        static_cast<long>(std::floor(static_cast<double>(opt.to_ms - opt.from_ms) / step_ms)) + 1;
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
    std::cout << fmt::format(
        "wrote {} frames to {} ({:.1f} s); make a video with:\n"
        "  ffmpeg -framerate {:g} -i {}/frame_%06d.png -c:v libx264 -pix_fmt yuv420p -crf 18 "
        "out.mp4\n",
        n, opt.frames_dir->string(), secs, opt.fps, opt.frames_dir->string());
    return 0;
}

}  // namespace

int headless(Viewer& v, const Options& opt) {
    sf::RenderTexture rt;
    if (!rt.create(opt.width, opt.height)) {
        std::cerr << "modeshift-viewer: cannot create an off-screen render target "
                     "(is a display available? run under `xvfb-run -a`)\n";
        return 3;
    }
    rt.setSmooth(true);
    v.playing = false;
    int what_if_rc = 0;
    if (opt.what_if) what_if_rc = scripted_what_if(v, opt);
    const int rc = opt.screenshot ? screenshot(v, opt, rt) : frames(v, opt, rt);
    return rc != 0 ? rc : what_if_rc;
}

}  // namespace modeshift::viewer
