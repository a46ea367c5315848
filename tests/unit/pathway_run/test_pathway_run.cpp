// The pathway runner on a toy plan whose wedges are known by construction: a fake run reads the
// generated year scenario and returns CO2 from the policies in it, so the runs, the
// annualisation, the attribution, resume and the outputs are checked without simulating.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/pathway_run/pathway_tables.hpp"
#include "modeshift/report/outputs.hpp"

using namespace modeshift;
using namespace modeshift::pathway;
namespace fs = std::filesystem;

namespace {

const fs::path kSrc = MODESHIFT_SOURCE_DIR;

/// The bundled pathway file with two toy measures: A (more buses) from 2026, B (a fare cut) from
/// 2030, and years 2024, 2026, 2030.
fs::path toy_pathway(const std::string& name, double a_factor = 1.5) {
    const fs::path dir = fs::temp_directory_path() / ("modeshift_test_pathway_run_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    Json p = read_json_file(kSrc / "scenarios/seogu-plan-2034.json");
    p["base_scenario"] = (kSrc / "scenarios/seogu-baseline.json").string();
    p["annualisation"]["holidays"] = (kSrc / "scenarios/data/korea_public_holidays.csv").string();
    p["years"] = {2024, 2026, 2030};
    p.erase("wedge_order");
    p["measures"] = Json::array();
    p["measures"].push_back(
        {{"id", "more_buses"},
         {"label_ko", "버스"},
         {"label_en", "buses"},
         {"start_year", 2026},
         {"rationale", "toy"},
         {"policies",
          {{{"kind", "bus_frequency"}, {"lines", "all"}, {"frequency_factor", a_factor}}}},
         {"cost_note", "toy"}});
    p["measures"].push_back(
        {{"id", "fare_cut"},
         {"label_ko", "요금"},
         {"label_en", "fares"},
         {"start_year", 2030},
         {"rationale", "toy"},
         {"policies", {{{"kind", "fare"}, {"modes", {"bus"}}, {"factor", 0.5}}}},
         {"costs", {{"opex_krw_per_year", {{"value", 1e9}, {"source", "toy"}}}}}});
    write_text_atomic(dir / "plan.json", p.dump(1));
    return dir / "plan.json";
}

/// Study-area CO2 per weekday: 400 t, minus 20 t for the buses, 10 t for the fare cut, and
/// `synergy` t more when both run. The city carries 1,000 t more. Seed k adds k t everywhere
/// (common random numbers: the same persons in every run of a seed).
struct FakeRuns {
    double synergy = 0;
    std::atomic<int> calls{0};
    int fail_at = -1;  ///< throw on this call (a killed pathway)

    RunSummary operator()(const PathwayRun& r) {
        if (calls++ == fail_at) throw std::runtime_error("killed");
        const Json s = read_json_file(r.scenario);
        bool buses = false, fares = false;
        for (const Json& pol : s.at("policies")) {
            buses |= pol.at("kind") == "bus_frequency";
            fares |= pol.at("kind") == "fare";
        }
        const double study = 400 - (buses ? 20 : 0) - (fares ? 10 : 0) -
                             (buses && fares ? synergy : 0) + double(r.seed % 100);
        RunSummary out;
        out.seed = r.seed;
        out.scenario = s.at("name");
        out.co2_kg_total = (study + 1000) * 1000;
        out.study_area.present = true;
        out.study_area.co2_kg_total = study * 1000;
        write_summary_json(r.out_dir / kSummaryFile, out);
        return out;
    }
};

PathwayRunOptions options(const std::string& name, int seeds = 2) {
    PathwayRunOptions o;
    o.out_dir = fs::temp_directory_path() / ("modeshift_test_pathway_run_out_" + name);
    o.seed_count = seeds;
    o.jobs = 2;
    o.quiet = true;
    return o;
}

PathwayResult run(const fs::path& plan, const PathwayRunOptions& o, FakeRuns& fake) {
    return run_pathway(plan, o, [&](const PathwayRun& r) { return fake(r); }, {});
}

const ScopeYear& year_of(const PathwayResult& r, int year) {
    for (const ScopeYear& y : r.scopes[0].years)
        if (y.year == year) return y;
    throw std::logic_error("no such year");
}

const MeasureYear& measure_of(const ScopeYear& y, const std::string& id) {
    for (const MeasureYear& m : y.measures)
        if (m.id == id) return m;
    throw std::logic_error("no such measure");
}

std::string read(const fs::path& p) {
    return read_file_bytes(p);
}

}  // namespace

TEST(PathwayRun, AdditiveMeasuresGetTheirOwnEffectsInTonnesPerYear) {
    const fs::path plan = toy_pathway("additive");
    const PathwayFile p = load_pathway(plan);
    FakeRuns fake;
    const auto o = options("additive");
    fs::remove_all(o.out_dir);
    const PathwayResult r = run(plan, o, fake);
    // 2024: BAU only (2 seeds + the 2018 reference back-cast), 2026: BAU + plan (one measure: no
    // leave-one-out run), 2030: BAU + plan + two leave-one-out runs.
    EXPECT_EQ(fake.calls.load(), 2 * (1 + 1 + 2 + 4));
    const double f2030 = p.annualisation.road_factor(2030);
    const ScopeYear& y = year_of(r, 2030);
    EXPECT_NEAR(measure_of(y, "more_buses").avoided_t.mean, 20 * f2030, 1e-6);
    EXPECT_NEAR(measure_of(y, "fare_cut").avoided_t.mean, 10 * f2030, 1e-6);
    EXPECT_NEAR(y.scale, 1.0, 1e-12);
    EXPECT_NEAR(y.interaction_t, 0.0, 1e-6);
    // Common random numbers: the seed shift cancels in every difference, so the interval is 0 wide
    // and the wedge is distinguishable.
    EXPECT_TRUE(measure_of(y, "more_buses").distinguishable);
    EXPECT_NEAR(measure_of(y, "more_buses").avoided_t.hi - measure_of(y, "more_buses").avoided_t.lo,
                0, 1e-6);
    EXPECT_NEAR(y.reduction_t.mean, 30 * f2030, 1e-6);
    // The fare cut's cost per tonne: 1e9 KRW a year over its tonnes.
    ASSERT_TRUE(measure_of(y, "fare_cut").cost.krw_per_t.has_value());
    EXPECT_NEAR(*measure_of(y, "fare_cut").cost.krw_per_t, 1e9 / (10 * f2030), 1e-3);
    // Cumulative tonnes 2024-2030, by hand: each calendar year's wedge, linear between the runs of
    // 2024 (0: not yet started), 2026 and 2030 (20 t a weekday times that year's factor).
    const double w24 = 0, w26 = 20 * p.annualisation.road_factor(2026), w30 = 20 * f2030;
    const double by_hand = w24 + (w24 + w26) / 2 + w26 + (3 * w26 + w30) / 4 + (w26 + w30) / 2 +
                           (w26 + 3 * w30) / 4 + w30;
    const auto& totals = r.scopes[0].totals;
    ASSERT_EQ(totals.size(), 2u);
    EXPECT_EQ(totals[0].id, "more_buses");
    EXPECT_NEAR(totals[0].cumulative_t.mean, by_hand, 1e-6);
    EXPECT_NEAR(totals[0].cumulative_t.hi - totals[0].cumulative_t.lo, 0, 1e-6);
}

TEST(PathwayRun, InteractingMeasuresSumToTheTotalAndTheInteractionIsReported) {
    const fs::path plan = toy_pathway("interacting");
    const PathwayFile p = load_pathway(plan);
    FakeRuns fake;
    fake.synergy = 6;  // together they save 36 t, alone 20 + 10: they reinforce each other
    const auto o = options("interacting");
    fs::remove_all(o.out_dir);
    const PathwayResult r = run(plan, o, fake);
    const double f = p.annualisation.road_factor(2030);
    const ScopeYear& y = year_of(r, 2030);
    const double a = measure_of(y, "more_buses").avoided_t.mean,
                 b = measure_of(y, "fare_cut").avoided_t.mean;
    EXPECT_NEAR(a + b, 36 * f, 1e-6);
    // Leave-one-out: 26 and 16 (each includes the synergy), sum 42, scaled by 36/42.
    EXPECT_NEAR(measure_of(y, "more_buses").loo_t.mean, 26 * f, 1e-6);
    EXPECT_NEAR(a, 26 * f * 36 / 42, 1e-6);
    EXPECT_NEAR(y.interaction_t, -6 * f, 1e-6);
    EXPECT_NEAR(y.scale, 36.0 / 42.0, 1e-12);
}

TEST(PathwayRun, ResumeReusesWhatMatchesAndRedoesWhatChanged) {
    const fs::path plan = toy_pathway("resume");
    const auto o = options("resume");
    fs::remove_all(o.out_dir);
    FakeRuns first;
    run(plan, o, first);
    const std::string wedges = read(o.out_dir / "wedges.csv");
    FakeRuns again;
    run(plan, o, again);
    EXPECT_EQ(again.calls.load(), 0);
    EXPECT_EQ(read(o.out_dir / "wedges.csv"), wedges);
    // A stronger bus measure changes the scenarios of 2026 and 2030 that contain it, and the
    // 2030 run without it warm-starts from the changed 2026 plan: 4 runs a seed. BAU stays.
    toy_pathway("resume", 2.0);
    FakeRuns changed;
    run(plan, o, changed);
    EXPECT_EQ(changed.calls.load(), 2 * 4);
}

TEST(PathwayRun, AKilledPathwayResumesToTheSameTables) {
    const fs::path plan = toy_pathway("killed");
    const auto whole = options("killed_whole"), killed = options("killed");
    fs::remove_all(whole.out_dir);
    fs::remove_all(killed.out_dir);
    FakeRuns uninterrupted;
    run(plan, whole, uninterrupted);
    FakeRuns dying;
    dying.fail_at = 7;
    EXPECT_THROW(run(plan, killed, dying), std::runtime_error);
    EXPECT_FALSE(fs::exists(killed.out_dir / "pathway.json"));  // clearly incomplete
    FakeRuns resumed;
    run(plan, killed, resumed);
    EXPECT_LT(resumed.calls.load(), uninterrupted.calls.load());
    for (const char* f : {"pathway.csv", "wedges.csv", "targets.csv"})
        EXPECT_EQ(read(killed.out_dir / f), read(whole.out_dir / f)) << f;
}

TEST(PathwayRun, OutputsOpenInKoreanExcelAndNameEveryUnit) {
    const fs::path plan = toy_pathway("outputs");
    const auto o = options("outputs", 1);
    fs::remove_all(o.out_dir);
    FakeRuns fake;
    run(plan, o, fake);
    for (const char* f : {"pathway.csv", "wedges.csv", "targets.csv"})
        EXPECT_EQ(read(o.out_dir / f).rfind(kUtf8Bom, 0), 0u)
            << f << " starts with a byte-order mark";
    const std::string csv = read(o.out_dir / "pathway.csv");
    EXPECT_NE(csv.find("scope,year,scenario,co2_t_per_year,co2_t_per_year_lo,co2_t_per_year_hi"),
              std::string::npos);
    const std::string wedges = read(o.out_dir / "wedges.csv");
    EXPECT_NE(wedges.find(",trend,"), std::string::npos);
    // One seed: no interval, and nothing is called distinguishable.
    EXPECT_NE(wedges.find("not distinguishable from noise at this sample"), std::string::npos);
    const std::string html = read(o.out_dir / "pathway.html");
    for (const char* s : {"<svg", "버스", "Marginal abatement cost", "not counted", "t/yr"})
        EXPECT_NE(html.find(s), std::string::npos) << s;
    EXPECT_GT(fs::file_size(o.out_dir / "pathway.xlsx"), 1000u);
    const Json j = read_json_file(o.out_dir / "pathway.json");
    EXPECT_EQ(j.at("years"), Json({2024, 2026, 2030}));
}

TEST(PathwayRun, BadOptionsAreRefusedBeforeAnyRun) {
    const fs::path plan = toy_pathway("bad");
    FakeRuns fake;
    auto o = options("bad");
    o.years = {2025};
    try {
        run(plan, o, fake);
        FAIL() << "a year outside the file was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "--years");
    }
    o.years = {};
    o.out_dir = plan;  // the pathway file itself
    EXPECT_THROW(run(plan, o, fake), InputError);
    EXPECT_EQ(fake.calls.load(), 0);
}
