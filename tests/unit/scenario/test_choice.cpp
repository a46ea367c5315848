// Mode choice on the real Seo-gu network and demand: shares respond to policies in the right
// direction. Choice-only (no simulation) so the tests are quick; congestion effects are covered
// by the whole-day runs in test_scenario.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "modeshift/scenario/calibrate.hpp"
#include "modeshift/scenario/model.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
const fs::path kSrc = MODESHIFT_SOURCE_DIR;

/// Writes a scenario extending the bundled baseline with a small sample and extra policies.
fs::path scenario_with(const std::string& name, const std::string& policies_json,
                       double sample = 0.01) {
    const fs::path dir = fs::temp_directory_path() / "modeshift_test_choice";
    fs::create_directories(dir);
    const fs::path p = dir / (name + ".json");
    std::ofstream(p) << R"({"extends": ")" << (kSrc / "scenarios/seogu-baseline.json").string()
                     << R"(", "name": ")" << name << R"(", "sample_fraction": )" << sample
                     << R"(, "policies": )" << policies_json << "}";
    return p;
}

/// Shares of all trips (walk included) after one full choice on free-flow skims.
std::array<double, kModeCount> shares(const fs::path& scenario) {
    Model m = load_model(scenario, -1, 2);
    Skims skims(*m.network, m.choice, m.setup.context);
    skims.update([&](LinkId l, TimeMs) { return m.network->freeflow_time_s(l); });
    TourModes modes;
    std::vector<std::uint8_t> replanned;
    choose_modes(m, skims, 0, 1.0, true, modes, replanned);
    std::array<double, kModeCount> s{};
    for (Mode md : modes) s[mode_index(md)] += 1.0 / static_cast<double>(modes.size());
    return s;
}

const std::array<double, kModeCount>& base() {
    static const auto s = shares(scenario_with("base", "[]"));
    return s;
}
double transit(const std::array<double, kModeCount>& s) {
    return s[mode_index(Mode::Bus)] + s[mode_index(Mode::Metro)] + s[mode_index(Mode::Tram)];
}
}  // namespace

TEST(Choice, FareCutRaisesTransitShare) {
    const auto s =
        shares(scenario_with("fare", R"([{"kind":"fare","modes":["bus","metro"],"factor":0.0}])"));
    EXPECT_GT(transit(s), transit(base()) + 0.005);
    EXPECT_LT(s[mode_index(Mode::Car)], base()[mode_index(Mode::Car)]);
}

TEST(Choice, ParkingChargeLowersCarShare) {
    const auto s = shares(scenario_with(
        "parking",
        R"([{"kind":"parking_charge","zones":["둔산1동","둔산2동","둔산3동","탄방동","월평1동"],"krw":5000}])"));
    EXPECT_LT(s[mode_index(Mode::Car)], base()[mode_index(Mode::Car)] - 0.005);
}

TEST(Choice, RemovingTheMetroLowersItsShareToZero) {
    ASSERT_GT(base()[mode_index(Mode::Metro)], 0.01);
    const auto s =
        shares(scenario_with("nometro", R"([{"kind":"deactivate_line","mode":"metro"}])"));
    EXPECT_EQ(s[mode_index(Mode::Metro)], 0.0);
}

TEST(Choice, TramOpensOnlyWithItsPolicy) {
    EXPECT_EQ(base()[mode_index(Mode::Tram)], 0.0);
    const auto s = shares(scenario_with("tram", R"([{"kind":"activate_line","mode":"tram"}])"));
    EXPECT_GT(s[mode_index(Mode::Tram)], 0.002);
}

TEST(Choice, ZeroChargeIsExactlyTheBaseline) {
    const auto s =
        shares(scenario_with("zero", R"([{"kind":"parking_charge","zones":["둔산1동"],"krw":0}])"));
    EXPECT_EQ(s, base());
}

TEST(Choice, SameSeedSameShares) {
    EXPECT_EQ(shares(scenario_with("base2", "[]")), base());
}

TEST(Calibration, ProcedureReproducesTheObservedShares) {
    // Calibrate on a 1 % sample with free-flow times, then check that a fresh simulated choice
    // (with its own random draws) lands within the tolerance of every published share.
    const fs::path dir = fs::temp_directory_path() / "modeshift_test_choice";
    CalibrationOptions o;
    o.targets_file = kSrc / "scenarios/data/calibration_targets.json";
    o.out_file = dir / "asc.json";
    o.outer_loops = 1;
    o.threads = 2;
    o.quiet = true;
    const auto r = calibrate_scenario(scenario_with("cal", "[]"), o);
    EXPECT_LT(r.max_abs_error_pp, 0.5);
    const fs::path p = dir / "calibrated.json";
    std::ofstream(p) << R"({"extends": ")" << (dir / "cal.json").string() << R"(", "asc": ")"
                     << o.out_file.string() << R"("})";
    const auto s = shares(p);
    double tol_pp = 0;
    const auto target = load_share_targets(o.targets_file, &tol_pp);
    // The 2014 survey counts shares of trips excluding walking.
    const double non_walk = 1.0 - s[mode_index(Mode::Walk)];
    const double target_non_walk = 1.0 - target[mode_index(Mode::Walk)];
    for (Mode m : {Mode::Car, Mode::Bus, Mode::Metro, Mode::Taxi, Mode::Bike})
        EXPECT_NEAR(100 * s[mode_index(m)] / non_walk,
                    100 * target[mode_index(m)] / target_non_walk, tol_pp)
            << mode_name(m);
    EXPECT_NEAR(100 * s[mode_index(Mode::Walk)], 100 * target[mode_index(Mode::Walk)], tol_pp);
}
