#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "modeshift/core/version.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/record/run_file.hpp"
#include "src/app.hpp"
#include "src/input.hpp"
#include "src/scene.hpp"
#include "src/synthetic.hpp"

using namespace modeshift;
using namespace modeshift::viewer;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
    auto d = fs::temp_directory_path() / "modeshift_test_viewer";
    fs::create_directories(d);
    return d;
}

/// A small recorded run with 4000 cars on the road around 08:10.
fs::path write_run(const std::string& name, double shift, std::uint32_t grid = 40) {
    SyntheticSpec spec;
    spec.car_trips = 4000;
    spec.bike_trips = 600;
    spec.grid_cols = grid;
    spec.grid_rows = grid * 3 / 4;
    spec.bus_lines = 6;
    spec.car_shift = shift;
    spec.label = name;
    spec.burst_from_ms = 8 * kMsPerHour;
    spec.burst_to_ms = 8 * kMsPerHour + 10 * 60'000;
    const auto path = temp_dir() / name / "run.msrun";
    write_run_file(path, make_synthetic_run(spec));
    return path;
}

Options options(std::vector<fs::path> runs, const fs::path& png) {
    Options o;
    o.runs = std::move(runs);
    o.screenshot = png;
    o.at_ms = 8 * kMsPerHour + 8 * 60'000;
    o.width = 1280;
    o.height = 720;
    return o;
}

bool near(sf::Color a, sf::Color b, int tol = 12) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

/// Pixels of `img` in [x0, x1) x [y0, y1) close to `c`.
std::size_t count(const sf::Image& img, sf::Color c, unsigned x0, unsigned y0, unsigned x1,
                  unsigned y1, int tol = 12) {
    std::size_t n = 0;
    for (unsigned y = y0; y < y1; ++y)
        for (unsigned x = x0; x < x1; ++x) n += near(img.getPixel(x, y), c, tol) ? 1 : 0;
    return n;
}

bool have_display() {
    return std::getenv("DISPLAY") != nullptr;
}

}  // namespace

TEST(ViewerErrors, MissingCorruptAndMismatchedRunsExitWith2) {
    const auto dir = temp_dir();
    EXPECT_EQ(run_viewer(options({dir / "nope" / "run.msrun"}, dir / "x.png")), 2);
    const auto bad = dir / "corrupt.msrun";
    {
        std::ofstream os(bad, std::ios::binary);
        os << "MSRUNBIN garbage that is not a run file";
    }
    EXPECT_EQ(run_viewer(options({bad}, dir / "x.png")), 2);
    const auto a = write_run("grid40", 0.0, 40);
    const auto bytes = read_file_bytes(a);
    const auto cut = dir / "truncated.msrun";
    {
        std::ofstream os(cut, std::ios::binary);
        os.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    EXPECT_EQ(run_viewer(options({cut}, dir / "x.png")), 2);
    const auto b = write_run("grid44", 0.0, 44);
    EXPECT_EQ(run_viewer(options({a, b}, dir / "x.png")), 2);  // different networks
    EXPECT_FALSE(fs::exists(dir / "x.png"));
}

TEST(ViewerErrors, BadOptionsAreUsageErrors) {
    Options o;
    const char* argv1[] = {"modeshift-viewer", "--at",         "8h30",
                           "run.msrun",        "--screenshot", "x.png"};
    EXPECT_EQ(parse_options(6, const_cast<char**>(argv1), o), 1);
    const char* argv2[] = {"modeshift-viewer", "a", "b", "c"};
    EXPECT_EQ(parse_options(4, const_cast<char**>(argv2), o), 1);
    const char* argv3[] = {"modeshift-viewer", "a", "--at", "08:30", "--size", "1280x720"};
    EXPECT_EQ(parse_options(6, const_cast<char**>(argv3), o), 0);
    EXPECT_EQ(o.at_ms, 8 * kMsPerHour + 30 * 60'000);
    EXPECT_EQ(o.width, 1280u);
}

TEST(ViewerOptions, VersionIsTheProjectVersion) {
    Options o;
    const char* argv[] = {"modeshift-viewer", "--version"};
    testing::internal::CaptureStdout();
    EXPECT_EQ(parse_options(2, const_cast<char**>(argv), o), -1);  // exit 0 now
    EXPECT_EQ(testing::internal::GetCapturedStdout(),
              std::string("modeshift-viewer ") + kVersion + "\n");
}

// Keys that need no run loaded: the clock, the speed ladder, layers, help and presentation mode.
TEST(ViewerInput, KeysDriveTheClockLayersAndPresentationMode) {
    // sf::RenderWindow needs a display even unopened.
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run -a)";
    using K = sf::Keyboard;
    Options o;
    Viewer v(o);
    // Never opened: keys that switch fullscreen close it (the loop reopens it).
    sf::RenderWindow win;
    WindowInput in;
    auto key = [&](K::Key k, bool shift = false) {
        sf::Event e;
        e.type = sf::Event::KeyPressed;
        e.key = {k, false, false, shift, false};
        handle_event(v, e, win, in);
    };
    key(K::Space);
    EXPECT_FALSE(v.playing);
    key(K::RBracket);
    EXPECT_EQ(v.speed, 120);
    key(K::LBracket);
    key(K::LBracket);
    EXPECT_EQ(v.speed, 30);
    key(K::Num0);
    key(K::Num8);
    EXPECT_EQ(v.t, 8 * kMsPerHour);
    key(K::Right, true);
    EXPECT_EQ(v.t, 8 * kMsPerHour + 10 * 60'000);
    key(K::End);
    EXPECT_EQ(v.t, v.t_max);
    key(K::C);
    EXPECT_EQ(v.layers.colouring, LinkColouring::Volume);
    key(K::P);
    EXPECT_TRUE(v.present && v.playing && in.fullscreen);
    // Presentation mode loops --from..--to.
    v.loop_from = 7 * kMsPerHour;
    v.loop_to = 9 * kMsPerHour;
    v.t = v.loop_to - 1000;
    v.advance(1.0);
    EXPECT_EQ(v.t, v.loop_from);
    key(K::H);
    key(K::Escape);  // closes the help
    EXPECT_TRUE(!v.help && v.present);
    key(K::Escape);  // leaves presentation mode and fullscreen
    EXPECT_TRUE(!v.present && !in.fullscreen && !in.quit);
    v.t = v.t_max - 1000;
    v.advance(1.0);  // outside presentation mode playing stops at the end
    EXPECT_TRUE(v.t == v.t_max && !v.playing);
    key(K::Escape);
    EXPECT_TRUE(in.quit);
}

TEST(ViewerErrors, FontIsFoundOrReportedMissing) {
    EXPECT_TRUE(find_font(fs::path("/nonexistent/font.ttf")).empty());
    if (find_font(std::nullopt).empty()) GTEST_SKIP() << "fonts-nanum not installed";
    EXPECT_TRUE(fs::exists(find_font(std::nullopt)));
}

TEST(ViewerRender, ScreenshotShowsMapVehiclesAndCounters) {
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run -a)";
    const auto run = write_run("baseline", 0.0);
    const auto png = temp_dir() / "single.png";
    fs::remove(png);
    ASSERT_EQ(run_viewer(options({run}, png)), 0);
    sf::Image img;
    ASSERT_TRUE(img.loadFromFile(png.string()));
    const auto w = img.getSize().x, h = img.getSize().y;
    ASSERT_EQ(w, 1280u);
    ASSERT_EQ(h, 720u);
    // Not blank: many pixels differ from the background.
    std::size_t non_bg = 0;
    for (unsigned y = 0; y < h; y += 2)
        for (unsigned x = 0; x < w; x += 2)
            non_bg += near(img.getPixel(x, y), {18, 21, 28}, 6) ? 0 : 1;
    EXPECT_GT(non_bg, w * h / 4 / 10);
    // Vehicles of each recorded mode in their colours (map area right of the counters panel).
    const unsigned mx = w * 36 / 100;
    EXPECT_GT(count(img, mode_colour(Mode::Car), mx, 0, w, h - 40), 300u);
    EXPECT_GT(count(img, mode_colour(Mode::Bus), mx, 0, w, h - 40), 20u);
    EXPECT_GT(count(img, mode_colour(Mode::Bike), mx, 0, w, h - 40), 20u);
    EXPECT_GT(count(img, mode_colour(Mode::Metro), 0, 0, w, h - 40), 20u);
    // Counters panel: dark panel with white text in the top-left corner.
    const unsigned pw = w * 20 / 100, ph = h * 25 / 100;
    EXPECT_GT(count(img, sf::Color::White, 10, 10, 10 + pw, 10 + ph), 200u);
    EXPECT_GT(count(img, mode_colour(Mode::Car), 10, 10, 10 + pw, 10 + h / 2),
              100u);  // swatch + share bar
}

TEST(ViewerRender, SideBySideRendersTwoPanesAndTheDifference) {
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run -a)";
    const auto base = write_run("base", 0.0);
    const auto policy = write_run("policy", 0.3);
    const auto png = temp_dir() / "side.png";
    fs::remove(png);
    ASSERT_EQ(run_viewer(options({base, policy}, png)), 0);
    sf::Image img;
    ASSERT_TRUE(img.loadFromFile(png.string()));
    const auto w = img.getSize().x, h = img.getSize().y;
    const auto car = mode_colour(Mode::Car);
    const auto left = count(img, car, 0, h / 3, w / 2 - 4, h * 3 / 4);
    const auto right = count(img, car, w / 2 + 4, h / 3, w, h * 3 / 4);
    EXPECT_GT(left, 200u);
    EXPECT_GT(right, 200u);
    EXPECT_LT(right, left);  // the policy run shifted 30 % of car trips
    EXPECT_TRUE(near(img.getPixel(w / 2, h / 2), {90, 95, 110}, 4));  // the divider
    // The difference banner: a saving is drawn in green.
    EXPECT_GT(count(img, {120, 240, 140}, 0, h * 3 / 4, w, h, 20), 100u);
}
