// The viewer's command line: runs, screenshot and frame export, presentation, the what-if panel.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "app.hpp"
#include "modeshift/core/version.hpp"

namespace modeshift::viewer {
namespace {

TimeMs parse_time(const std::string& s) {
    try {
        return parse_clock(s);
    } catch (const std::exception&) {
        throw CLI::ValidationError("time", "expected HH:MM or HH:MM:SS, got '" + s + "'");
    }
}

}  // namespace

int parse_options(int argc, char** argv, Options& opt) {
    CLI::App app{
        "modeshift-viewer: replay modeshift run files (map, moving vehicles, CO2 counters).\n"
        "One run, or two (baseline, policy) side by side."};
    app.set_version_flag("--version", std::string("modeshift-viewer ") + kVersion);
    std::string at, from, to, size;
    app.add_option("runs", opt.runs,
                   "run file(s) or run directories (DIR/run.msrun); two = side by side")
        ->required()
        ->expected(1, 2);
    app.add_option("--screenshot", opt.screenshot, "render one frame to this PNG and exit");
    app.add_option("--at", at, "time of the screenshot (HH:MM), default 08:00");
    app.add_option("--frames", opt.frames_dir,
                   "write numbered PNG frames to this directory and exit");
    app.add_option("--from", from,
                   "first frame time (HH:MM), default 07:00; start of the presentation loop");
    app.add_option("--to", to,
                   "last frame time (HH:MM), default 09:00; end of the presentation loop");
    app.add_option("--fps", opt.fps, "frames per video second for --frames (default 30)")
        ->check(CLI::Range(1.0, 240.0));
    app.add_option("--speed", opt.speed, "simulated seconds per real second (1..3600, default 60)")
        ->check(CLI::Range(1.0, 3600.0));
    app.add_option("--size", size, "window / image size WxH (default 1920x1080)");
    app.add_option("--font", opt.font, "TTF font with Hangul (default: fonts-nanum NanumGothic)");
    app.add_flag("--present", opt.present,
                 "presentation mode: fullscreen, big type, loop --from..--to");
    app.add_flag("--fullscreen", opt.fullscreen, "start fullscreen");
    app.add_option("--colour", opt.colouring, "road colouring: plain, volume, speed, co2")
        ->check(CLI::IsMember({"plain", "volume", "speed", "co2"}));
    app.add_option("--bench", opt.bench_s,
                   "play this many seconds in the window, print frames per second, exit");
    auto* wi = "What-if (measures panel, key M)";
    app.add_option("--what-if", opt.what_if,
                   "simulate these scripted choices at start: {\"set\": [\"tram_line2\", "
                   "\"bus_frequency=1.8\"]}")
        ->check(CLI::ExistingFile)
        ->group(wi);
    app.add_option("--modeshift", opt.modeshift_bin,
                   "the modeshift binary to start (default: $MODESHIFT_BIN, the build tree's)")
        ->group(wi);
    app.add_option("--base", opt.base_scenario,
                   "baseline scenario a what-if extends (default scenarios/seogu-baseline.json)")
        ->group(wi);
    app.add_option("--measures", opt.measures,
                   "measure catalogue (default: measures.json beside --base)")
        ->group(wi);
    app.add_option("--what-if-out", opt.what_if_out, "folder for what-ifs (default out/what-if)")
        ->group(wi);
    app.add_option("--what-if-iterations", opt.what_if_iterations,
                   "days simulated from the baseline's plans (default 3)")
        ->check(CLI::Range(1, 100))
        ->group(wi);
    app.add_option("--what-if-sample", opt.what_if_sample,
                   "sample fraction for live what-ifs (default: the baseline's)")
        ->check(CLI::Range(1e-4, 1.0))
        ->group(wi);
    try {
        app.parse(argc, argv);
        if (!at.empty()) opt.at_ms = parse_time(at);
        if (!from.empty()) opt.from_ms = parse_time(from);
        if (!to.empty()) opt.to_ms = parse_time(to);
        if (opt.to_ms <= opt.from_ms)
            throw CLI::ValidationError("--to", "must be later than --from");
        if (!size.empty()) {
            unsigned w = 0, h = 0;
            if (std::sscanf(size.c_str(), "%ux%u", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 ||
                h > 8192)
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

}  // namespace modeshift::viewer
