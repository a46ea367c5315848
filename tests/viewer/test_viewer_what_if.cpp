// The live what-if: the panel's choices, the child process, the job's failure paths (fake
// children, no display needed) and, under a display, a scripted what-if end to end with the real
// `modeshift` binary: the right pane shows the new run, the written scenario reproduces its event
// hash from the CLI, and killing the child leaves the viewer running with a message.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>
#include <SFML/Graphics/Image.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "modeshift/core/error.hpp"
#include "src/app.hpp"
#include "src/child_process.hpp"
#include "src/measures_panel.hpp"
#include "src/what_if.hpp"

using namespace modeshift;
using namespace modeshift::viewer;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const fs::path kSource = MODESHIFT_SOURCE_DIR;
const fs::path kMeasures = kSource / "scenarios" / "measures.json";

fs::path scratch(const std::string& name) {
    const auto d = fs::temp_directory_path() / "modeshift_test_viewer_what_if" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

/// An executable shell script standing in for `modeshift` (the job's failure paths).
fs::path fake_modeshift(const fs::path& dir, const std::string& body) {
    const auto p = dir / "fake-modeshift";
    write(p, "#!/bin/sh\n" + body + "\n");
    fs::permissions(p, fs::perms::owner_all);
    return p;
}

WhatIfSetup setup_in(const fs::path& dir, const fs::path& bin) {
    WhatIfSetup w;
    w.modeshift = bin;
    w.base_scenario = kSource / "scenarios" / "seogu-baseline.json";
    w.measures = kMeasures;
    w.out_root = dir / "what-if";
    w.iterations = 2;
    return w;
}

/// Runs the job to its end (or 20 s).
void finish(WhatIfJob& job) {
    const auto until = std::chrono::steady_clock::now() + 20s;
    while ((job.busy() || job.child_pid() > 0) && std::chrono::steady_clock::now() < until) {
        job.update();
        std::this_thread::sleep_for(10ms);
    }
    job.update();
}

bool has(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

}  // namespace

// --- the panel's choices ------------------------------------------------------------------------

TEST(WhatIfChoices, TogglesAndSlidersBecomeTheCliArguments) {
    MeasureChoices c(load_measures(kMeasures));
    EXPECT_FALSE(c.any());
    EXPECT_EQ(c.slug(), "baseline");
    std::size_t tram = 0, bus = 0, parking = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c.measure(i).key == "tram_line2") tram = i;
        if (c.measure(i).key == "bus_frequency") bus = i;
        if (c.measure(i).key == "parking_charge") parking = i;
    }
    c.toggle(tram);
    c.toggle(bus);  // a slider toggles to its package value
    EXPECT_DOUBLE_EQ(c.value(bus), c.measure(bus).preset);
    for (int k = 0; k < 3; ++k) c.step(bus, +1);  // 1.5 + 3 x 0.1, no binary noise
    EXPECT_EQ(c.set_args(), (std::vector<std::string>{"tram_line2", "bus_frequency=1.8"}));
    EXPECT_EQ(c.slug(), "tram_line2+bus_frequency-1.8");
    for (int k = 0; k < 50; ++k) c.step(bus, +1);
    EXPECT_DOUBLE_EQ(c.value(bus), c.measure(bus).max);  // clamped
    c.set_fraction(parking, 0.43);                       // 0..5000 step 500: snaps to 2000
    EXPECT_EQ(MeasureChoices::format_value(c.measure(parking), c.value(parking)), "2,000 KRW");
    c.toggle(bus);  // back to "off": adds nothing
    c.toggle(tram);
    EXPECT_EQ(c.set_args(), (std::vector<std::string>{"parking_charge=2000"}));
    c.reset();
    EXPECT_FALSE(c.any());
}

TEST(WhatIfChoices, ScriptedChoicesNameTheFileAndMeasure) {
    MeasureChoices c(load_measures(kMeasures));
    c.apply({"tram_line2", "ev_share=30"}, "script.json");
    EXPECT_EQ(c.set_args(), (std::vector<std::string>{"tram_line2", "ev_share=30"}));
    try {
        c.apply({"metro_line3"}, "script.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_TRUE(has(e.what(), "script.json")) << e.what();
        EXPECT_TRUE(has(e.what(), "metro_line3")) << e.what();
    }
    EXPECT_THROW(c.apply({"tram_line2=1"}, "script.json"), InputError);   // a toggle takes no value
    EXPECT_THROW(c.apply({"bus_frequency"}, "script.json"), InputError);  // a slider needs one
    const auto dir = scratch("script");
    write(dir / "bad.json", R"({"set": ["tram_line2", 3]})");
    try {
        (void)read_what_if_script(dir / "bad.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_TRUE(has(e.what(), "bad.json")) << e.what();
        EXPECT_TRUE(has(e.what(), "set")) << e.what();
    }
    write(dir / "ok.json", R"({"set": ["bike_lanes"], "cancel_after_s": 2})");
    const auto s = read_what_if_script(dir / "ok.json");
    EXPECT_EQ(s.set, std::vector<std::string>{"bike_lanes"});
    EXPECT_DOUBLE_EQ(s.cancel_after_s, 2.0);
}

TEST(MeasuresPanel, KeyboardChoosesAndSimulateCancelsWhenBusy) {
    MeasuresPanel panel(MeasureChoices(load_measures(kMeasures)), "", "note");
    panel.open = true;
    auto& c = *panel.choices();
    ASSERT_EQ(c.measure(0).key, "tram_line2");
    ASSERT_EQ(c.measure(1).key, "bus_frequency");
    using K = sf::Keyboard;
    MeasuresPanel::Action act{};
    EXPECT_TRUE(panel.key(K::Space, false, act));  // row 0: the tram toggle
    EXPECT_TRUE(c.on(0));
    EXPECT_TRUE(panel.key(K::Down, false, act));
    EXPECT_TRUE(panel.key(K::Right, false, act));  // bus frequency 1 -> 1.1
    EXPECT_DOUBLE_EQ(c.value(1), 1.1);
    EXPECT_TRUE(panel.key(K::Up, false, act));
    EXPECT_TRUE(panel.key(K::Up, false, act));  // wraps to Reset
    EXPECT_TRUE(panel.key(K::Up, false, act));  // Simulate
    EXPECT_TRUE(panel.key(K::Return, false, act));
    EXPECT_EQ(act, MeasuresPanel::Action::Simulate);
    EXPECT_TRUE(panel.key(K::Return, true, act));  // while a what-if runs the button cancels
    EXPECT_EQ(act, MeasuresPanel::Action::Cancel);
    EXPECT_FALSE(panel.key(K::C, false, act));  // other keys stay the viewer's
    EXPECT_EQ(panel.describe(), "트램 2호선 + 버스 증편 1.1×");
    // Mouse: inside the panel is the panel's (no map drag), outside is not.
    const sf::Vector2u size{1920, 1080};
    EXPECT_TRUE(panel.press(size, 1.0f, 1030, 1900, 40, false, act));
    EXPECT_EQ(act, MeasuresPanel::Action::None);
    EXPECT_FALSE(panel.press(size, 1.0f, 1030, 100, 500, false, act));
    panel.open = false;
    EXPECT_FALSE(panel.press(size, 1.0f, 1030, 1900, 40, false, act));
}

// --- the child process ---------------------------------------------------------------------------

TEST(ChildProcess, ReadsLinesAndTheExitCode) {
    ChildProcess c;
    std::string err;
    ASSERT_TRUE(c.start({"/bin/sh", "-c", "echo one; echo two; echo oops >&2; exit 3"}, err))
        << err;
    std::vector<std::string> lines;
    std::optional<ChildExit> ex;
    for (int i = 0; i < 500 && !ex; ++i) {
        for (auto& l : c.read_lines()) lines.push_back(l);
        ex = c.poll();
        std::this_thread::sleep_for(5ms);
    }
    for (auto& l : c.read_lines()) lines.push_back(l);
    ASSERT_TRUE(ex);
    EXPECT_FALSE(ex->signalled);
    EXPECT_EQ(ex->code, 3);
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(c.stderr_tail(), std::vector<std::string>{"oops"});
}

TEST(ChildProcess, MissingBinaryIsReportedAndTerminateStopsTheGroup) {
    ChildProcess missing;
    std::string err;
    EXPECT_FALSE(missing.start({"/nonexistent/modeshift", "what-if"}, err));
    EXPECT_TRUE(has(err, "/nonexistent/modeshift")) << err;
    ChildProcess c;
    ASSERT_TRUE(c.start({"/bin/sh", "-c", "sleep 30 & sleep 30"}, err)) << err;
    c.terminate(200);
    std::optional<ChildExit> ex;
    for (int i = 0; i < 400 && !ex; ++i) {
        ex = c.poll();
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(ex);
    EXPECT_TRUE(ex->signalled);
    EXPECT_TRUE(has(ex->describe(), "signal")) << ex->describe();
}

// --- the job's failure paths
// ------------------------------------------------------------------------

TEST(WhatIfJob, ProgressLinesDriveTheBarAndAMissingRunIsAnError) {
    const auto dir = scratch("progress");
    const auto bin = fake_modeshift(
        dir,
        "echo 'progress iteration=1 of=2 share_change=0.0123 elapsed_s=1.0 eta_max_s=1.0'\n"
        "echo 'progress iteration=2 of=2 share_change=0.0040 elapsed_s=2.0 eta_max_s=0.0'\n"
        "echo 'done scenario=x run=y event_hash=00112233aabbccdd co2_t=1 study_area_co2_t=1 "
        "wall_s=2'");
    MeasureChoices c(load_measures(kMeasures));
    c.apply({"bike_lanes"}, "test");
    WhatIfJob job;
    job.start(setup_in(dir, bin), c, "bike lanes");
    EXPECT_TRUE(job.busy());
    finish(job);
    EXPECT_EQ(job.iteration(), 2);
    EXPECT_NEAR(job.share_change(), 0.0040, 1e-9);
    EXPECT_EQ(job.event_hash(), "00112233aabbccdd");
    // The fake wrote no run file: loading fails with the reader's message, on screen.
    EXPECT_EQ(job.state(), WhatIfJob::State::Failed);
    EXPECT_TRUE(has(job.message(), "run.msrun")) << job.message();
    EXPECT_EQ(job.out_dir(), dir / "what-if" / "bike_lanes");
}

TEST(WhatIfJob, CrashMissingBinaryAndBadSliderAreShownNotThrown) {
    const auto dir = scratch("fail");
    MeasureChoices c(load_measures(kMeasures));
    c.apply({"tram_line2"}, "test");
    WhatIfJob crash;
    crash.start(setup_in(dir, fake_modeshift(dir, "echo 'bad things' >&2; kill -9 $$")), c, "");
    finish(crash);
    EXPECT_EQ(crash.state(), WhatIfJob::State::Failed);
    EXPECT_TRUE(has(crash.message(), "signal 9")) << crash.message();
    EXPECT_TRUE(has(crash.message(), "bad things")) << crash.message();

    WhatIfJob missing;
    missing.start(setup_in(dir, "/nonexistent/modeshift"), c, "");
    EXPECT_EQ(missing.state(), WhatIfJob::State::Failed);
    EXPECT_TRUE(has(missing.message(), "/nonexistent/modeshift")) << missing.message();

    c.apply({"bus_frequency=9"}, "test");  // outside the slider's range: refused before starting
    WhatIfJob bad;
    bad.start(setup_in(dir, fake_modeshift(dir, "touch started")), c, "");
    EXPECT_EQ(bad.state(), WhatIfJob::State::Failed);
    EXPECT_TRUE(has(bad.message(), "outside")) << bad.message();
    EXPECT_EQ(bad.child_pid(), -1);

    c.apply({"tram_line2"}, "test");
    WhatIfJob cancelled;
    cancelled.start(setup_in(dir, fake_modeshift(dir, "sleep 30")), c, "");
    cancelled.cancel();
    finish(cancelled);
    EXPECT_EQ(cancelled.state(), WhatIfJob::State::Cancelled);
    EXPECT_EQ(cancelled.child_pid(), -1);  // reaped
}

// --- end to end under a display, with the real modeshift
// ------------------------------------------------

namespace {

bool have_display() {
    return std::getenv("DISPLAY") != nullptr;
}

int sh(const std::string& cmd) {
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/// A 1 % baseline of the bundled scenario, two days, with saved plans (made once per binary).
const fs::path& baseline_run() {
    static const fs::path dir = [] {
        const auto d =
            scratch("baseline_" + std::to_string(::getpid()));  // ctest runs tests in parallel
        nlohmann::json sc = {{"extends", (kSource / "scenarios" / "seogu-baseline.json").string()},
                             {"name", "test-baseline"},
                             {"sample_fraction", 0.01}};
        write(d / "scenario.json", sc.dump(2));
        const int rc = sh(std::string(MODESHIFT_BINARY) + " run " + (d / "scenario.json").string() +
                          " --iterations 2 --quiet --save-plans --out " + (d / "run").string() +
                          " >" + (d / "log.txt").string() + " 2>&1");
        EXPECT_EQ(rc, 0) << slurp(d / "log.txt");
        return d;
    }();
    return dir;
}

Options what_if_options(const fs::path& dir, const fs::path& script) {
    Options o;
    o.runs = {baseline_run() / "run"};
    o.screenshot = dir / "frame.png";
    o.at_ms = 8 * kMsPerHour;
    o.width = 1280;
    o.height = 720;
    o.what_if = script;
    o.modeshift_bin = MODESHIFT_BINARY;
    o.base_scenario = baseline_run() / "scenario.json";
    o.measures = kMeasures;
    o.what_if_out = dir / "what-if";
    o.what_if_iterations = 2;
    return o;
}

std::size_t bright(const sf::Image& img, unsigned x0, unsigned y0, unsigned x1, unsigned y1) {
    std::size_t n = 0;
    for (unsigned y = y0; y < y1; ++y)
        for (unsigned x = x0; x < x1; ++x) {
            const auto p = img.getPixel(x, y);
            n += p.r > 235 && p.g > 235 && p.b > 235 ? 1 : 0;
        }
    return n;
}

}  // namespace

TEST(ViewerWhatIf, ScriptedWhatIfFillsTheRightPaneAndReproducesFromTheCli) {
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run -a)";
    const auto dir = scratch("scripted");
    write(dir / "script.json", R"({"set": ["tram_line2", "bus_frequency=1.8"]})");
    testing::internal::CaptureStdout();
    const int rc = run_viewer(what_if_options(dir, dir / "script.json"));
    const std::string out = testing::internal::GetCapturedStdout();
    ASSERT_EQ(rc, 0) << out;
    EXPECT_TRUE(has(out, "what-if: day 2 of 2")) << out;
    EXPECT_TRUE(has(out, "click-to-playing")) << out;
    const auto wi = dir / "what-if" / "tram_line2+bus_frequency-1.8";
    ASSERT_TRUE(fs::exists(wi / "run" / "run.msrun"));
    // Side by side: both panes carry their counters strip (white type at the top of each half).
    sf::Image img;
    ASSERT_TRUE(img.loadFromFile((dir / "frame.png").string()));
    const unsigned w = img.getSize().x, h = img.getSize().y;
    EXPECT_GT(bright(img, 0, 0, w / 2 - 4, h / 4), 400u);
    EXPECT_GT(bright(img, w / 2 + 4, 0, w, h / 4), 400u);
    // The kept scenario reproduces the event hash from the command line (reproduce.sh holds the
    // warm start and the day count, which are run options).
    const auto at = out.find("event hash ");
    ASSERT_NE(at, std::string::npos) << out;
    const std::string hash = out.substr(at + 11, 16);
    const auto first = nlohmann::json::parse(slurp(wi / "run" / "summary.json"));
    EXPECT_EQ(first["event_hash"].get<std::string>(), hash);
    const std::string script = slurp(wi / "reproduce.sh");
    EXPECT_TRUE(has(script, "--warm-start")) << script;
    ASSERT_EQ(sh("MODESHIFT=" + std::string(MODESHIFT_BINARY) + " sh " +
                 (wi / "reproduce.sh").string() + " >/dev/null 2>&1"),
              0);
    const auto again = nlohmann::json::parse(slurp(wi / "run-again" / "summary.json"));
    EXPECT_EQ(again["event_hash"].get<std::string>(), hash);
}

TEST(ViewerWhatIf, KillingTheChildLeavesTheViewerRunningWithAMessage) {
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run -a)";
    const auto dir = scratch("killed");
    write(dir / "script.json", R"({"set": ["bike_lanes"]})");
    (void)baseline_run();
    // Kill what the viewer starts as soon as it appears: a child of this process named modeshift
    // (the baseline above was made through a shell, so this is the what-if).
    std::atomic<bool> stop{false}, killed{false};
    std::thread killer([&] {
        const std::string me = std::to_string(::getpid());
        while (!stop && !killed) {
            for (const auto& e : fs::directory_iterator("/proc")) {
                const std::string stat = slurp(e.path() / "stat");
                const auto close = stat.rfind(')');
                if (close == std::string::npos || !has(stat.substr(0, close), "modeshift"))
                    continue;
                std::istringstream rest(stat.substr(close + 2));
                std::string state, ppid;
                rest >> state >> ppid;
                if (ppid == me) {
                    ::kill(std::stoi(e.path().filename().string()), SIGKILL);
                    killed = true;
                }
            }
            std::this_thread::sleep_for(5ms);
        }
    });
    testing::internal::CaptureStderr();
    const int rc = run_viewer(what_if_options(dir, dir / "script.json"));
    const std::string err = testing::internal::GetCapturedStderr();
    stop = true;
    killer.join();
    ASSERT_TRUE(killed);
    EXPECT_EQ(rc, 4) << err;  // the what-if failed; the viewer did not
    EXPECT_TRUE(has(err, "killed by signal 9")) << err;
    ASSERT_TRUE(
        fs::exists(dir / "frame.png"));  // and it still rendered the baseline with the message
    sf::Image img;
    ASSERT_TRUE(img.loadFromFile((dir / "frame.png").string()));
    std::size_t warn = 0;  // the panel's message colour
    for (unsigned y = 0; y < img.getSize().y; ++y)
        for (unsigned x = img.getSize().x / 2; x < img.getSize().x; ++x) {
            const auto p = img.getPixel(x, y);
            warn += std::abs(p.r - 255) < 20 && std::abs(p.g - 150) < 25 && std::abs(p.b - 120) < 25
                        ? 1
                        : 0;
        }
    EXPECT_GT(warn, 50u);
}
