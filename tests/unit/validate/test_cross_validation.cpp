// The model-free profile predictor, peak-hour junction counts, and k-fold cross-validation of the
// choice among candidate runs: small cases whose answers are known by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>

#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/validate/cross_validation.hpp"
#include "modeshift/validate/junctions.hpp"
#include "modeshift/validate/outputs.hpp"
#include "modeshift/validate/profile.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

/// A segment direction with observed / simulated km/h by hour (nullopt = none).
SegmentResult segment(
    const std::string& id, const std::string& dir,
    const std::map<int, std::pair<std::optional<double>, std::optional<double>>>& hours) {
    SegmentResult s;
    s.segment_id = id;
    s.direction = dir;
    s.key = id + "_" + dir;
    for (int h = 0; h < kObservedHours; ++h) s.hours[static_cast<std::size_t>(h)].hour = h;
    for (const auto& kv : hours) {
        auto& sh = s.hours[static_cast<std::size_t>(kv.first)];
        sh.observed_kmh = kv.second.first;
        sh.simulated_kmh = kv.second.second;
    }
    return s;
}

template <class F>
InputError expect_input_error(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "expected an InputError";
    return InputError("", 0, "", "none");
}

}  // namespace

// ---------------------------------------------------------------- profile predictor

TEST(ValidateProfile, LeavesTheWholeSegmentOutAndScoresTheModelsHours) {
    const std::vector<SegmentResult> segs = {
        segment("SEG_A", "AB", {{8, {20.0, 25.0}}, {3, {40.0, 38.0}}}),
        segment("SEG_A", "BA", {{8, {22.0, 22.0}}}),
        segment("SEG_B", "AB", {{8, {30.0, 28.0}}, {3, {36.0, 30.0}}}),
        segment("SEG_C", "AB", {{8, {40.0, std::nullopt}}}),  // the model has no speed here
    };
    // Without SEG_A, hour 8: mean of SEG_B 30 and SEG_C 40 (SEG_C counts though the model
    // missed it: the profile only sees observations); hour 3: SEG_B 36.
    const HourlyProfile no_a = observed_profile(segs, {"SEG_A"});
    EXPECT_DOUBLE_EQ(*no_a[8], 35.0);
    EXPECT_DOUBLE_EQ(*no_a[3], 36.0);
    EXPECT_FALSE(no_a[12].has_value());
    // Without SEG_B, hour 8: SEG_A's two directions and SEG_C: (20 + 22 + 40) / 3.
    EXPECT_DOUBLE_EQ(*observed_profile(segs, {"SEG_B"})[8], 82.0 / 3.0);

    // Scored: A AB h8 35 vs 20, A BA h8 35 vs 22, B h8 27.33 vs 30, A AB h3 36 vs 40,
    // B h3 40 vs 36. C h8 is not (the model was not compared there).
    const ProfileFit fit = profile_predictor(segs);
    const double b8 = 82.0 / 3.0 - 30.0;
    ASSERT_EQ(fit.overall.n, 5u);
    EXPECT_NEAR(fit.overall.rmse, std::sqrt((15.0 * 15 + 13.0 * 13 + b8 * b8 + 16 + 16) / 5),
                1e-12);
    EXPECT_NEAR(fit.overall.bias, (15.0 + 13.0 + b8 - 4 + 4) / 5, 1e-12);
    ASSERT_EQ(fit.daytime.n, 3u);  // hour 3 is before 05 h
    EXPECT_NEAR(fit.daytime.rmse, std::sqrt((15.0 * 15 + 13.0 * 13 + b8 * b8) / 3), 1e-12);
}

// ---------------------------------------------------------------- junction counts

namespace {

/// Junction J at (36.35, 127.35); W 300 m west, E 300 m east, N 300 m north, I 50 m east of J.
/// Links: 0 W->J (enters), 1 J->W (leaves), 2 N->J (enters), 3 J->I (inside), 4 I->E (leaves),
/// 5 E->I (enters: I is inside), 6 tram W->J (not a road link).
NetworkData junction_network() {
    NetworkBuilder b("junction");
    const double lon_m = 1.0 / (111'320.0 * std::cos(36.35 * std::numbers::pi / 180.0));
    auto j = b.add_node({36.35, 127.35}), w = b.add_node({36.35, 127.35 - 300 * lon_m}),
         e = b.add_node({36.35, 127.35 + 300 * lon_m}),
         n = b.add_node({36.35 + 300 / 111'195.0, 127.35}),
         i = b.add_node({36.35, 127.35 + 50 * lon_m});
    auto add = [&](NodeId f, NodeId t, double len, RoadClass rc, ModeMask modes) {
        LinkSpec s;
        s.from = f;
        s.to = t;
        s.length_m = len;
        s.road_class = rc;
        s.modes = modes;
        s.capacity_vph = 1800;
        b.add_link(s);
    };
    add(w, j, 300, RoadClass::Primary, kRoadModes);
    add(j, w, 300, RoadClass::Primary, kRoadModes);
    add(n, j, 300, RoadClass::Secondary, kRoadModes);
    add(j, i, 50, RoadClass::Primary, kRoadModes);
    add(i, e, 250, RoadClass::Primary, kRoadModes);
    add(e, i, 250, RoadClass::Primary, kRoadModes);
    add(w, j, 300, RoadClass::Tram, mode_bit(Mode::Tram));
    return b.finish();
}

JunctionCount junction(PeakPeriod p) {
    JunctionCount c;
    c.count_id = "j";
    c.junction = "J";
    c.lat = 36.35;
    c.lon = 127.35;
    c.radius_m = 120;
    c.observed_veh = 1000;
    c.period = p;
    c.located_by = c.source = "test";
    return c;
}

}  // namespace

TEST(ValidateJunctions, SumsTheLinksEnteringTheCircleInTheBusiestHour) {
    const Network net(junction_network());
    EXPECT_EQ(links_entering(net, {36.35, 127.35}, 120),
              (std::vector<LinkId>{LinkId(0), LinkId(2), LinkId(5)}));
    auto row = [](std::uint32_t l, std::uint32_t h, double v) {
        return LinkHour{LinkId(l), h, v, 30.0};
    };
    const std::vector<LinkHour> hourly = {
        // Morning: hour 7 sums to 350 (100 + 200 + 50), hour 8 to 330 though link 0 alone is
        // busiest at 8: the junction's busiest hour is picked, not each link's.
        row(0, 7, 100), row(2, 7, 200), row(5, 7, 50), row(0, 8, 300), row(2, 8, 10), row(5, 8, 20),
        // Leaving, inside and tram links carry a lot and count for nothing.
        row(1, 8, 1000), row(3, 8, 1000), row(4, 8, 1000), row(6, 8, 1000),
        // Before the window: not a peak hour.
        row(0, 6, 5000),
        // Evening: 17 h 10, 18 h 500, 19 h 100.
        row(0, 17, 10), row(0, 18, 400), row(2, 18, 100), row(5, 19, 100)};
    const JunctionResult am = evaluate_junction(net, hourly, junction(PeakPeriod::Am));
    ASSERT_TRUE(am.simulated_veh.has_value());
    EXPECT_DOUBLE_EQ(*am.simulated_veh, 350.0);
    EXPECT_EQ(am.am_hour, 7u);
    EXPECT_FALSE(am.pm_hour.has_value());
    const JunctionResult pm = evaluate_junction(net, hourly, junction(PeakPeriod::Pm));
    EXPECT_DOUBLE_EQ(*pm.simulated_veh, 500.0);
    EXPECT_EQ(pm.pm_hour, 18u);
    const JunctionResult both = evaluate_junction(net, hourly, junction(PeakPeriod::AmPm));
    EXPECT_DOUBLE_EQ(*both.simulated_veh, 850.0);
    EXPECT_DOUBLE_EQ(*both.ratio, 0.85);

    // A circle nothing enters.
    JunctionCount far = junction(PeakPeriod::Am);
    far.lat = 36.40;
    const JunctionResult none = evaluate_junction(net, hourly, far);
    EXPECT_FALSE(none.simulated_veh.has_value());
    EXPECT_FALSE(none.ratio.has_value());
}

TEST(ValidateJunctions, BadRowsNameFileLineAndField) {
    const fs::path dir = fs::temp_directory_path() / "ms_validate_junction_rows";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string header =
        "count_id,junction,lat,lon,radius_m,observed_veh,period,year,located_by,source\n";
    const std::string good = "a,J,36.35,127.35,120,1000,am_peak,2021,stops,http://x\n";
    auto check = [&](const std::string& name, const std::string& text, std::uint64_t line,
                     const std::string& field) {
        const fs::path p = dir / name;
        std::ofstream(p, std::ios::binary) << text;
        const InputError e = expect_input_error([&] { read_junction_counts(p); });
        EXPECT_EQ(e.file(), p.string()) << name;
        EXPECT_EQ(e.line(), line) << name;
        EXPECT_EQ(e.field(), field) << name << ": " << e.what();
    };
    check("period.csv", header + good + "b,J,36.35,127.35,120,1000,noon,2021,stops,http://x\n", 3,
          "period");
    check("radius.csv", header + "b,J,36.35,127.35,0,1000,am_peak,2021,stops,http://x\n", 2,
          "radius_m");
    check("lat.csv", header + "b,J,north,127.35,120,1000,am_peak,2021,stops,http://x\n", 2, "lat");
    check("veh.csv", header + "b,J,36.35,127.35,120,-1,pm_peak,2021,stops,http://x\n", 2,
          "observed_veh");
    check("dup.csv", header + good + good, 3, "count_id");
    check("source.csv", header + "b,J,36.35,127.35,120,1000,am_pm_peak,2021,stops,\n", 2, "source");
    check("located.csv", header + "b,J,36.35,127.35,120,1000,am_pm_peak,2021,,http://x\n", 2,
          "located_by");
    check("year.csv", header + "b,J,36.35,127.35,120,1000,am_peak,soon,stops,http://x\n", 2,
          "year");
    check("nosource.csv",
          "count_id,junction,lat,lon,radius_m,observed_veh,period,year,located_by\n" +
              good.substr(0, good.rfind(',')) + "\n",
          1, "source");
    std::ofstream(dir / "ok.csv", std::ios::binary) << header + good;
    const auto ok = read_junction_counts(dir / "ok.csv");
    ASSERT_EQ(ok.size(), 1u);
    EXPECT_EQ(ok[0].period, PeakPeriod::Am);
    EXPECT_EQ(ok[0].year, 2021);
}

// ---------------------------------------------------------------- cross-validation

namespace {

/// Four segments SEG_1..SEG_4 observed at 20 / 30 / 40 / 50 km/h in hours 5 and 6; the candidate
/// is off by err[i] on segment i. With 2 folds: {SEG_1, SEG_3} and {SEG_2, SEG_4}.
ValidationResult candidate(const std::string& run, std::array<double, 4> err,
                           std::array<double, 4> log_ratio) {
    ValidationResult r;
    r.run_dir = run;
    std::vector<double> obs, sim;
    for (int i = 0; i < 4; ++i) {
        const double o = 20.0 + 10.0 * i, s = o + err[static_cast<std::size_t>(i)];
        // Hour 3 is outside 05-23 h: a huge error there must not matter.
        r.segments.push_back(segment(fmt::format("SEG_{}", i + 1), "AB",
                                     {{3, {o, o + 100}}, {5, {o, s}}, {6, {o, s}}}));
        for (int k = 0; k < 2; ++k) {
            obs.push_back(o);
            sim.push_back(s);
        }
        CountResult c;
        c.count.count_id = fmt::format("c{}", i + 1);
        c.ratio = std::exp(log_ratio[static_cast<std::size_t>(i)]);
        r.counts.push_back(c);
    }
    r.daytime = error_stats(obs, sim);
    return r;
}

}  // namespace

TEST(ValidateCrossValidation, EachFoldPicksTheCandidateBestOutsideIt) {
    // X is exact on folds 1 (SEG_1, SEG_3) and 10 km/h off on fold 2; Y is 2 km/h off
    // everywhere. Fold 1 held out: Y wins outside it (2 < 10) and scores 2 on it. Fold 2: X wins
    // outside it (0 < 2) and scores 10. Pooled: sqrt((4 * 4 + 100 * 4) / 8) = sqrt(52).
    const std::vector<ValidationResult> runs = {candidate("X", {0, 10, 0, 10}, {0, 1, 0, 1}),
                                                candidate("Y", {2, 2, 2, 2}, {0.2, 0.2, 0.2, 0.2})};
    const CrossValidation cv = cross_validate(runs, 2);
    ASSERT_EQ(cv.speeds.folds.size(), 2u);
    EXPECT_EQ(cv.speeds.folds[0].held_out, (std::vector<std::string>{"SEG_1", "SEG_3"}));
    EXPECT_EQ(cv.speeds.folds[0].chosen, 1u);
    EXPECT_DOUBLE_EQ(*cv.speeds.folds[0].test_error, 2.0);
    EXPECT_EQ(cv.speeds.folds[1].chosen, 0u);
    EXPECT_DOUBLE_EQ(*cv.speeds.folds[1].test_error, 10.0);
    EXPECT_EQ(cv.speeds.n, 8u);
    EXPECT_NEAR(*cv.speeds.error, std::sqrt(52.0), 1e-12);
    EXPECT_NEAR(*cv.speeds.bias, 6.0, 1e-12);
    // In sample X is sqrt(50) and Y 2: Y would be chosen on all data.
    EXPECT_NEAR(cv.candidates[0].daytime.rmse, std::sqrt(50.0), 1e-12);
    EXPECT_EQ(cv.candidates[0].picked_speeds, 1u);
    EXPECT_EQ(cv.candidates[1].picked_speeds, 1u);
    // The profile of fold 1 is the mean of SEG_2 and SEG_4 (40): off by 20 on SEG_1, 0 on SEG_3;
    // of fold 2 the mean of SEG_1 and SEG_3 (30): 0 on SEG_2, 20 on SEG_4.
    EXPECT_NEAR(*cv.speeds.profile, std::sqrt(200.0), 1e-12);

    // Counts, the same pattern with |ln ratio|: fold 1 -> Y (0.2), fold 2 -> X (1): mean 0.6.
    EXPECT_EQ(cv.counts.folds[0].held_out, (std::vector<std::string>{"daily:c1", "daily:c3"}));
    EXPECT_EQ(cv.counts.folds[0].chosen, 1u);
    EXPECT_EQ(cv.counts.folds[1].chosen, 0u);
    EXPECT_NEAR(*cv.counts.error, 0.6, 1e-12);
    EXPECT_NEAR(*cv.candidates[0].count_error, 0.5, 1e-12);

    // Deterministic, and the outputs carry the picks.
    EXPECT_EQ(cross_validation_json(cv), cross_validation_json(cross_validate(runs, 2)));
    const Json j = Json::parse(cross_validation_json(cv));
    EXPECT_EQ(j["speeds"]["folds"][0]["chosen"], "Y");
    EXPECT_NE(cross_validation_table(cv).find("fold 2: picked #1"), std::string::npos);
}

TEST(ValidateCrossValidation, OneCandidateIsItsOwnErrorSplitByFolds) {
    const std::vector<ValidationResult> runs = {candidate("X", {0, 10, 0, 10}, {0, 1, 0, 1})};
    const CrossValidation cv = cross_validate(runs, 2);
    EXPECT_NEAR(*cv.speeds.error, runs[0].daytime.rmse, 1e-12);
    EXPECT_NE(cross_validation_table(cv).find("one candidate: nothing selected"),
              std::string::npos);
    // Other observations than the first run's: refused, naming the run.
    std::vector<ValidationResult> other = {runs[0], candidate("Z", {0, 0, 0, 0}, {0, 0, 0, 0})};
    other[1].segments[0].hours[5].observed_kmh = 21.0;
    EXPECT_EQ(expect_input_error([&] { cross_validate(other, 2); }).file(), "Z");
    EXPECT_EQ(expect_input_error([&] { cross_validate(runs, 1); }).field(), "folds");
}

TEST(ValidateRealData, BundledJunctionCounts) {
    const fs::path f =
        fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data" / kDefaultJunctionCountsFile;
    const auto rows = read_junction_counts(f);
    EXPECT_EQ(rows.size(), 7u);
    for (const auto& r : rows) {
        EXPECT_FALSE(r.source.empty()) << r.count_id;
        EXPECT_FALSE(r.located_by.empty()) << r.count_id;
        // Inside Daejeon.
        EXPECT_GT(r.lat, 36.2);
        EXPECT_LT(r.lat, 36.5);
        EXPECT_GT(r.lon, 127.2);
        EXPECT_LT(r.lon, 127.6);
    }
}
