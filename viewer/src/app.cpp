// The viewer's start: loads the runs and the fonts, sets up the what-if panel, then renders off
// screen (--screenshot, --frames) or opens the window.
#include "app.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <thread>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "viewer.hpp"

namespace modeshift::viewer {
namespace {

namespace fs = std::filesystem;

/// Loads the runs in parallel (side by side: baseline and policy at once); prints the problem and
/// returns nothing if one is unreadable or the two are of different networks.
std::optional<std::vector<RunFile>> load_runs(const Options& opt) {
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
            return std::nullopt;
        }
        runs.push_back(std::move(*loaded[i]));
    }
    if (runs.size() == 2 && runs[0].network_hash != runs[1].network_hash) {
        std::cerr << fmt::format(
            "modeshift-viewer: the two runs use different networks ('{}' {} vs '{}' {}); side by "
            "side "
            "needs runs of the same network\n",
            runs[0].network_name, hex64(runs[0].network_hash), runs[1].network_name,
            hex64(runs[1].network_hash));
        return std::nullopt;
    }
    return runs;
}

/// The Hangul font and its bold face (the regular one if there is no "<name>Bold" beside it).
bool load_fonts(Viewer& v, const Options& opt) {
    const auto font_path = find_font(opt.font);
    if (font_path.empty()) {
        std::cerr << "modeshift-viewer: no Hangul font found. Install fonts-nanum (apt-get install "
                     "fonts-nanum), "
                     "or pass --font PATH / set MODESHIFT_FONT\n";
        return false;
    }
    if (!v.font.loadFromFile(font_path.string())) {
        std::cerr << "modeshift-viewer: cannot load font " << font_path.string() << "\n";
        return false;
    }
    auto bold_path = font_path.parent_path() /
                     (font_path.stem().string() + "Bold" + font_path.extension().string());
    if (!fs::exists(bold_path) || !v.bold.loadFromFile(bold_path.string())) v.bold = v.font;
    return true;
}

/// The scenes (built in parallel), the clock and the colouring from the options.
void set_up(Viewer& v, const Options& opt, std::vector<RunFile>& runs) {
    v.scenes.resize(runs.size());
    {
        std::vector<std::thread> th;
        for (std::size_t i = 0; i < runs.size(); ++i)
            th.emplace_back(
                [&, i] { v.scenes[i] = std::make_unique<RunScene>(std::move(runs[i])); });
        for (auto& x : th) x.join();
    }
    v.t_min = 0;
    v.t_max = kMsPerDay;
    for (const auto& s : v.scenes) v.t_max = std::max(v.t_max, s->replay().end_ms());
    v.speed = opt.speed;
    v.present = opt.present;
    v.loop_from = opt.from_ms;
    v.loop_to = opt.to_ms;
    v.t = opt.present ? opt.from_ms : opt.at_ms;
    v.layers.colouring = opt.colouring == "volume"  ? LinkColouring::Volume
                         : opt.colouring == "speed" ? LinkColouring::Speed
                         : opt.colouring == "co2"   ? LinkColouring::Co2
                                                    : LinkColouring::Plain;
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

int run_viewer(const Options& opt) {
    Viewer v(opt);
    const auto t0 = Clock::now();
    const auto c0 = std::clock();
    auto runs = load_runs(opt);
    if (!runs || !load_fonts(v, opt)) return 2;
    set_up(v, opt, *runs);
    const double load_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double load_cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::cerr << fmt::format(
        "loaded {} run(s) in {:.2f} s wall, {:.2f} s CPU all threads "
        "({} vehicles, {} link traversals)\n",
        v.scenes.size(), load_s, load_cpu_s, v.scenes[0]->run().movements.vehicle_count(),
        v.scenes[0]->run().movements.traversal_count());
    v.setup = what_if_setup(opt, v.scenes[0]->run());
    v.panel = make_panel(v.setup, v.scenes[0]->run());
    try {
        if (opt.what_if && !v.panel->choices())
            throw InputError(opt.what_if->string(), 0, "set",
                             "no measure catalogue to choose from");
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
