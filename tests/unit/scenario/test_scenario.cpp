// Whole runs of the bundled Seo-gu scenario on a 1 % sample: outputs, determinism, a policy
// that changes nothing, warm starts and bad scenario files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/measures/measures.hpp"
#include "modeshift/record/run_file.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/scenario/model.hpp"
#include "modeshift/scenario/runner.hpp"
#include "modeshift/scenario/scenario.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
const fs::path kSrc = MODESHIFT_SOURCE_DIR;
// One folder per test process: ctest runs the tests of this file as separate processes at once,
// and each computes its own baseline run (a locked output folder refuses a second writer).
const fs::path kDir =
    fs::temp_directory_path() / ("modeshift_test_scenario_" + std::to_string(::getpid()));

fs::path write_scenario(const std::string& name, const std::string& extra) {
    fs::create_directories(kDir);
    const fs::path p = kDir / (name + ".json");
    std::ofstream(p) << R"({"extends": ")" << (kSrc / "scenarios/seogu-baseline.json").string()
                     << R"(", "name": ")" << name
                     << R"(", "sample_fraction": 0.01, "iterations": 2)" << extra << "}";
    return p;
}

RunSummary run(const fs::path& scenario, const std::string& out, int threads = 2,
               const fs::path& warm = {}) {
    RunOptions o;
    o.out_dir = kDir / out;
    o.threads = threads;
    o.quiet = true;
    o.warm_start = warm;
    o.write_trips = true;
    return run_scenario(scenario, o);
}

const RunSummary& baseline() {
    static const RunSummary s = run(write_scenario("base", ""), "base");
    return s;
}
}  // namespace

TEST(Scenario, RunWritesEveryOutput) {
    const auto& s = baseline();
    for (const char* f :
         {"summary.json", "run.msrun", "links.geojson", "link_hourly.csv", "hourly_by_mode.csv",
          "by_dong.csv", "link_times.csv", "transit_lines.csv", "stop_boardings.csv"})
        EXPECT_TRUE(fs::exists(kDir / "base" / f)) << f;
    const RunSummary back = read_summary_json(kDir / "base" / "summary.json");
    EXPECT_EQ(back.event_hash, s.event_hash);
    EXPECT_EQ(back.iterations, 2);
    EXPECT_EQ(s.history.size(), 2u);
    EXPECT_GT(s.trips, 0.8e6);  // full-population equivalent
    EXPECT_GT(s.co2_kg_total, 0);
    double share = 0;
    for (const auto& m : s.modes) share += m.share;
    EXPECT_NEAR(share, 1.0, 1e-9);
    const RunFile rf = read_run_file(kDir / "base" / "run.msrun");
    EXPECT_EQ(rf.scenario, "base");
    EXPECT_GT(rf.movements.traversal_count(), 1000u);
}

TEST(Scenario, WholeCityRunAccountsForEveryTripAndLabelsTheStudyArea) {
    const auto& s = baseline();
    EXPECT_EQ(s.demand_scope, "city");
    // Every resident's trip, every freight and boundary vehicle trip is in trips.csv once and
    // in the summary once (completed or stuck): nothing is lost between plans and outputs.
    std::ifstream in(kDir / "base" / "trips.csv");
    std::string line;
    std::size_t rows = 0, personless = 0;
    std::getline(in, line);
    while (std::getline(in, line)) {
        ++rows;
        if (line.find(",,") == line.find(',')) ++personless;  // empty person field
    }
    const auto sampled = [](double full) {
        return static_cast<std::size_t>(std::llround(full * 0.01));
    };
    EXPECT_EQ(rows, sampled(s.trips) + sampled(s.freight_trips) + sampled(s.external_trips));
    EXPECT_EQ(personless, sampled(s.freight_trips) + sampled(s.external_trips));
    // About 1.45 M residents x 1.68 trips; freight and boundary traffic come on top.
    EXPECT_GT(s.trips, 2.2e6);
    EXPECT_GT(s.freight_trips, 5e4);
    EXPECT_GT(s.external_trips, 1e5);
    EXPECT_GT(s.modes[mode_index(Mode::Truck)].co2_kg, 0);
    EXPECT_EQ(s.modes[mode_index(Mode::Truck)].share, 0) << "trucks are no person's mode";
    // The study area (Seo-gu): its residents, the trips touching it and the CO2 on its links.
    ASSERT_TRUE(s.study_area.present);
    EXPECT_EQ(s.study_area.name, "서구");
    EXPECT_NEAR(s.study_area.residents, 467866, 5000);
    EXPECT_GT(s.study_area.trips, 0.4 * s.trips);
    EXPECT_LT(s.study_area.trips, 0.8 * s.trips);
    EXPECT_GT(s.study_area.co2_kg_total, 0.15 * s.co2_kg_total);
    EXPECT_LT(s.study_area.co2_kg_total, 0.6 * s.co2_kg_total);
    double share = 0;
    for (const auto& m : s.study_area.modes) share += m.share;
    EXPECT_NEAR(share, 1.0, 1e-9);
    const RunSummary back = read_summary_json(kDir / "base" / "summary.json");
    EXPECT_EQ(back.study_area.co2_kg_total, s.study_area.co2_kg_total);
    EXPECT_EQ(back.freight_trips, s.freight_trips);
}

TEST(Scenario, SameSeedSameResultAnyThreadCount) {
    const auto one = run(write_scenario("base", ""), "base_1thread", 1);
    EXPECT_EQ(one.event_hash, baseline().event_hash);
    const auto four = run(write_scenario("base", ""), "base_4threads", 4);
    EXPECT_EQ(four.event_hash, baseline().event_hash);
    EXPECT_EQ(four.study_area.co2_kg_total, baseline().study_area.co2_kg_total);
    EXPECT_EQ(one.co2_kg_total, baseline().co2_kg_total);
    for (std::size_t k = 0; k < kModeCount; ++k)
        EXPECT_EQ(one.modes[k].share, baseline().modes[k].share);
    for (const char* f : {"transit_lines.csv", "stop_boardings.csv"}) {
        const auto text = [&](const char* dir) {
            std::ifstream in(kDir / dir / f, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        EXPECT_GT(text("base").size(), 200u) << f;
        EXPECT_EQ(text("base_1thread"), text("base")) << f;
    }
}

TEST(Scenario, PolicyThatChangesNothingGivesTheBaselineExactly) {
    const auto s =
        run(write_scenario(
                "zero",
                R"(, "policies": [{"kind": "parking_charge", "zones": ["둔산1동"], "krw": 0}])"),
            "zero");
    EXPECT_EQ(s.event_hash, baseline().event_hash);
    EXPECT_EQ(s.co2_kg_total, baseline().co2_kg_total);
    EXPECT_EQ(s.policies.size(), 1u);
}

TEST(Scenario, OtherSeedOtherResult) {
    const auto s = run(write_scenario("seed7", R"(, "seed": 7)"), "seed7");
    EXPECT_NE(s.event_hash, baseline().event_hash);
}

TEST(Scenario, WarmStartReadsTheBaselineTimes) {
    baseline();
    const auto s = run(write_scenario("warm", ""), "warm", 2, kDir / "base");
    // Same demand and seed, different first-day times: a different day.
    EXPECT_NE(s.event_hash, baseline().event_hash);
    fs::create_directories(kDir / "badwarm");
    std::ofstream(kDir / "badwarm" / kLinkTimesFile)
        << "# network " << baseline().network_hash
        << " rows 1\nlink,bin,mean_s,vehicles\n999999,3,10,1\n";
    try {
        run(write_scenario("warm2", ""), "warm2", 2, kDir / "badwarm");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.field(), "link");
    }
}

TEST(Scenario, BadScenarioFilesNameFileAndPath) {
    auto field_of = [](const std::string& extra) {
        try {
            load_scenario(write_scenario("bad", extra));
        } catch (const InputError& e) {
            return e.field();
        }
        return std::string("<no error>");
    };
    EXPECT_EQ(field_of(R"(, "sample_fractoin": 0.5)"), "$.sample_fractoin");
    EXPECT_EQ(field_of(R"(, "sample_fraction": 0)"), "$.sample_fraction");
    EXPECT_EQ(field_of(R"(, "demand": "missing.json")"), "$.demand");
    EXPECT_EQ(field_of(R"(, "iterations": "ten")"), "$.iterations");
    // A policy error surfaces when the run applies it, naming this file and the policy's path.
    try {
        run(write_scenario(
                "badpolicy",
                R"(, "policies": [{"kind": "fare", "modes": ["bus"], "factor": 0.5}, {"kind": "magic"}])"),
            "badpolicy");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (kDir / "badpolicy.json").string());
        EXPECT_EQ(e.field(), "$.policies[1].kind");
    }
    // A cycle of extends.
    std::ofstream(kDir / "cycle_a.json") << R"({"extends": "cycle_b.json"})";
    std::ofstream(kDir / "cycle_b.json") << R"({"extends": "cycle_a.json"})";
    EXPECT_THROW(load_scenario(kDir / "cycle_a.json"), InputError);
}

// A pathway year sets its energy factors and population through the scenario file.
TEST(Scenario, YearInputsSetEnergyFactorsAndScaleZonePopulations) {
    const std::string year = R"(, "energy": {
        "grid_t_per_mwh": {"value": 0.25, "source": "test grid path"},
        "hydrogen_kg_co2_per_kg": {"value": 4.0, "source": "test hydrogen path"}},
      "population": {"factor": {"value": 0.5, "source": "test index"},
                     "by_zone": {"둔산1동": {"value": 2.0, "source": "test dong"}}})";
    const Scenario s = load_scenario(write_scenario("year", year));
    ASSERT_TRUE(s.grid_t_per_mwh.has_value());
    EXPECT_DOUBLE_EQ(*s.grid_t_per_mwh, 0.25);
    EXPECT_EQ(s.grid_source, "test grid path");
    EXPECT_DOUBLE_EQ(*s.hydrogen_kg_co2_per_kg, 4.0);
    EXPECT_DOUBLE_EQ(s.population_factor, 0.5);

    const Model base = load_model(write_scenario("year_base", ""), -1, 2);
    const Model scaled = load_model(write_scenario("year", year), -1, 2);
    const auto& zb = base.network->data().zones;
    const auto& zs = scaled.network->data().zones;
    ASSERT_EQ(zb.size(), zs.size());
    for (std::size_t z = 0; z < zb.size(); ++z)
        EXPECT_DOUBLE_EQ(zs[z].population, zb[z].population * (zb[z].name == "둔산1동" ? 2.0 : 0.5))
            << zb[z].name;
    EXPECT_LT(scaled.demand.persons.size(), base.demand.persons.size());

    auto field_of = [](const std::string& name, const std::string& extra) {
        try {
            load_model(write_scenario(name, extra), -1, 2);
        } catch (const InputError& e) {
            return e.field();
        }
        return std::string("<no error>");
    };
    EXPECT_EQ(field_of("year_zone",
                       R"(, "population": {"by_zone": {"없는동": {"value": 1.1, "source": "x"}}})"),
              "$.population.by_zone.없는동");
    EXPECT_EQ(field_of("year_grid", R"(, "energy": {"grid_t_per_mwh": {"value": 0.3}})"),
              "$.energy.grid_t_per_mwh");
    EXPECT_EQ(field_of("year_factor", R"(, "population": {"factor": {"value": 0, "source": "x"}})"),
              "$.population.factor.value");
    EXPECT_EQ(field_of("year_key", R"(, "energy": {"grid": 0.3})"), "$.energy.grid");
}

TEST(Scenario, LowEmissionZoneReplacesBannedTrucksWithAnEndInIt) {
    const std::string lez =
        R"(, "policies": [{"kind": "low_emission_zone", "zones": ["둔산1동", "둔산2동"],
        "banned_types": ["car_diesel", "truck_heavy"], "replacement_types": {"truck_heavy": "truck_medium"}}])";
    const Model base = load_model(write_scenario("lez_base", ""), -1, 2);
    const Model m = load_model(write_scenario("lez", lez), -1, 2);
    const auto& v = m.vehicle_trips;
    ASSERT_EQ(v.size(), base.vehicle_trips.size()) << "the same trips, only their vehicles change";
    const auto zone = [&](const char* name) {
        for (std::size_t z = 0; z < m.network->zone_count(); ++z)
            if (m.network->zone(ZoneId::from_index(z)).name == name) return ZoneId::from_index(z);
        return ZoneId{};
    };
    const ZoneId d1 = zone("둔산1동"), d2 = zone("둔산2동");
    ASSERT_TRUE(d1.valid() && d2.valid());
    const auto type_of = [](const VehicleTrips& t, std::size_t i) {
        return t.type_names[t.type[i]];
    };
    std::size_t replaced = 0, kept_outside = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (type_of(base.vehicle_trips, i) != "truck_heavy") {
            EXPECT_EQ(type_of(v, i), type_of(base.vehicle_trips, i));
            continue;
        }
        const bool city_end_origin = v.gateway[i] < 0 || !v.inbound[i];
        const bool city_end_dest = v.gateway[i] < 0 || v.inbound[i];
        const bool touches = (city_end_origin && (v.origin[i] == d1 || v.origin[i] == d2)) ||
                             (city_end_dest && (v.dest[i] == d1 || v.dest[i] == d2));
        EXPECT_EQ(type_of(v, i), touches ? "truck_medium" : "truck_heavy") << i;
        (touches ? replaced : kept_outside) += 1;
    }
    EXPECT_GT(replaced, 0u);
    EXPECT_GT(kept_outside, replaced);
    const auto no_replacement =
        R"(, "policies": [{"kind": "low_emission_zone", "zones": ["둔산1동"], "banned_types": ["truck_heavy"]}])";
    EXPECT_THROW(load_model(write_scenario("lez_bad", no_replacement), -1, 2), InputError);
}

// ---------------------------------------------------------------- what-if measures

namespace {
const MeasureCatalogue& catalogue() {
    static const MeasureCatalogue c = load_measures(kSrc / "scenarios/measures.json");
    return c;
}
std::string field_of(const std::vector<MeasureChoice>& choices) {
    try {
        what_if_scenario(catalogue(), choices, kSrc / "scenarios/seogu-baseline.json", kDir,
                         "--set");
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "--set");
        return e.field();
    }
    return "accepted";
}
}  // namespace

TEST(WhatIf, CatalogueHoldsTheBundledMeasures) {
    for (const char* k : {"tram_line2", "bus_frequency", "bus_lanes", "fares", "bike_lanes",
                          "tashu", "parking_charge", "congestion_charge", "lez", "ev_share"})
        EXPECT_NE(catalogue().find(k), nullptr) << k;
    const Measure* parking = catalogue().find("parking_charge");
    ASSERT_TRUE(parking && parking->slider);
    EXPECT_EQ(parking->min, 0);
    EXPECT_EQ(parking->max, 5000);
    EXPECT_FALSE(parking->label_ko.empty());
}

TEST(WhatIf, SlidersSubstituteTheirValueAndOffAddsNothing) {
    const Json j = what_if_scenario(
        catalogue(), {{"ev_share", 30.0}, {"parking_charge", 0.0}, {"tram_line2", {}}},
        kSrc / "scenarios/seogu-baseline.json", kDir, "--set");
    ASSERT_EQ(j["policies"].size(), 2u);  // the parking charge at 0 KRW adds no policy
    EXPECT_EQ(j["policies"][0]["kind"], "ev_share");
    EXPECT_DOUBLE_EQ(j["policies"][0]["share"].get<double>(), 0.30);
    EXPECT_EQ(j["policies"][1]["kind"], "activate_line");
    EXPECT_NE(j["description"].get<std::string>().find("전기차"), std::string::npos);
}

TEST(WhatIf, BadChoicesNameTheMeasure) {
    EXPECT_EQ(field_of({{"metro_line3", {}}}), "metro_line3");
    EXPECT_EQ(field_of({{"tram_line2", 1.0}}), "tram_line2");        // a toggle takes no value
    EXPECT_EQ(field_of({{"bus_frequency", {}}}), "bus_frequency");   // a slider needs one
    EXPECT_EQ(field_of({{"bus_frequency", 3.0}}), "bus_frequency");  // outside 1..2
    EXPECT_EQ(field_of({{"lez", {}}, {"lez", {}}}), "lez");          // twice
    EXPECT_THROW(parse_measure_choice("bus_frequency=fast", "--set"), InputError);
    EXPECT_EQ(parse_measure_choice("bus_frequency=1.5", "--set").value, 1.5);
    EXPECT_FALSE(parse_measure_choice("lez", "--set").value.has_value());
}

TEST(WhatIf, ThePackageValuesReproduceThePackage) {
    // tram + buses x1.5 + bus lanes + fare refund, in the package's order, is seogu-transit.json:
    // the same policies, so the same simulated day (event hash).
    fs::create_directories(kDir);
    const auto small = [](Json j) {
        j["sample_fraction"] = 0.01;
        j["iterations"] = 2;
        return j;
    };
    Json pkg;
    pkg["extends"] = (kSrc / "scenarios/seogu-transit.json").string();
    write_text_atomic(kDir / "pkg.json", small(pkg).dump());
    const Json wi = what_if_scenario(
        catalogue(), {{"tram_line2", {}}, {"bus_frequency", 1.5}, {"bus_lanes", {}}, {"fares", {}}},
        kSrc / "scenarios/seogu-baseline.json", kDir, "--set");
    write_text_atomic(kDir / "what_if.json", small(wi).dump());
    const auto a = run(kDir / "pkg.json", "pkg");
    const auto b = run(kDir / "what_if.json", "what_if");
    EXPECT_EQ(a.event_hash, b.event_hash);
    EXPECT_EQ(a.co2_kg_total, b.co2_kg_total);
    EXPECT_EQ(b.policies.size(), 5u);
}

TEST(Scenario, WarmStartFromSavedPlansStartsFromTheConvergedDay) {
    for (const char* d : {"plans_base", "plans_warm", "times_only", "plans_cold", "plans_other",
                          "plans_other_times"})
        fs::remove_all(kDir /
                       d);  // a previous run's files (a damaged plans.bin below) must not leak in
    const fs::path scenario = write_scenario("plans_base", "");
    RunOptions o;
    o.out_dir = kDir / "plans_base";
    o.threads = 2;
    o.quiet = true;
    o.save_plans = true;
    const RunSummary base = run_scenario(scenario, o);
    ASSERT_TRUE(fs::exists(kDir / "plans_base" / kPlansFile));
    // One day from the saved plans against one day from the link times only.
    RunOptions w = o;
    w.save_plans = false;
    w.iterations = 1;
    w.warm_start = kDir / "plans_base";
    w.out_dir = kDir / "plans_warm";
    const RunSummary warm = run_scenario(scenario, w);
    fs::create_directories(kDir / "times_only");
    fs::copy_file(kDir / "plans_base" / kLinkTimesFile, kDir / "times_only" / kLinkTimesFile,
                  fs::copy_options::overwrite_existing);
    w.warm_start = kDir / "times_only";
    w.out_dir = kDir / "plans_cold";
    const RunSummary times_only = run_scenario(scenario, w);
    const double last = base.history.back().mean_travel_time_min;
    const double from_plans = warm.history.front().mean_travel_time_min;
    const double from_times = times_only.history.front().mean_travel_time_min;
    EXPECT_LT(std::abs(from_plans - last), std::abs(from_times - last));
    EXPECT_NE(warm.event_hash, times_only.event_hash);
    // Plans of other trips (another seed) are not used; a damaged plans file is an input error.
    RunOptions other = w;
    other.seed = 99;
    other.warm_start = kDir / "plans_base";
    other.out_dir = kDir / "plans_other";
    RunOptions other_times = other;
    other_times.warm_start = kDir / "times_only";
    other_times.out_dir = kDir / "plans_other_times";
    EXPECT_EQ(run_scenario(scenario, other).event_hash,
              run_scenario(scenario, other_times).event_hash);
    std::ofstream(kDir / "times_only" / kPlansFile) << "not plans";
    w.warm_start = kDir / "times_only";
    EXPECT_THROW(run_scenario(scenario, w), InputError);
}
