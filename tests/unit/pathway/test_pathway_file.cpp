#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "input_error.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/pathway/pathway_file.hpp"

using namespace modeshift;
using namespace modeshift::pathway;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {
const fs::path kScenarios = fs::path(MODESHIFT_SOURCE_DIR) / "scenarios";
const fs::path kBundled = kScenarios / "seogu-plan-2034.json";

const PathwayFile& bundled() {
    static const PathwayFile p = load_pathway(kBundled);
    return p;
}

/// The bundled file edited by `edit`, written to a temporary folder (its relative paths made
/// absolute), and the field of the InputError reading it raises.
std::string error_field(const std::function<void(json&)>& edit) {
    json j = read_json_file(kBundled);
    j["base_scenario"] = (kScenarios / "seogu-baseline.json").string();
    j["annualisation"]["holidays"] = (kScenarios / "data/korea_public_holidays.csv").string();
    edit(j);
    // One file per test: ctest runs the cases as parallel processes.
    const fs::path file =
        fs::temp_directory_path() /
        (std::string("modeshift_pathway_") +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
    std::ofstream(file) << j.dump(1);
    const auto e = test_support::input_error_of([&] { load_pathway(file); });
    if (!e) return "<no error>";
    EXPECT_EQ(e->file(), file.string());
    const std::string what = e->what();
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find(e->field()), std::string::npos) << what;
    return e->field();
}
}  // namespace

TEST(PathwayFile, ReadsTheBundledPlan) {
    const PathwayFile& p = bundled();
    EXPECT_EQ(p.name, "seogu-plan-2034");
    EXPECT_EQ(p.base_year, 2024);
    EXPECT_EQ(p.years, (std::vector<int>{2024, 2026, 2028, 2030, 2032, 2034}));
    EXPECT_EQ(p.base_scenario, (kScenarios / "seogu-baseline.json").lexically_normal());
    EXPECT_DOUBLE_EQ(p.discount_rate, 0.045);
    ASSERT_EQ(p.measures.size(), 9u);
    const Measure* tram = p.find_measure("tram_line2");
    ASSERT_TRUE(tram);
    EXPECT_EQ(tram->start_year, 2029);
    EXPECT_DOUBLE_EQ(*tram->costs.capex_krw, 1.4782e12);
    EXPECT_EQ(*tram->costs.lifetime_years, 30);
    // 1.4782e12 x CRF(4.5 %, 30) + 29.97e9 opex = about 120.7 billion KRW a year.
    EXPECT_NEAR(annual_cost_krw(tram->costs, p.discount_rate), 120.72e9, 0.01e9);
    EXPECT_EQ(p.wedge_order.size(), p.measures.size());
    ASSERT_EQ(p.targets.size(), 3u);
    EXPECT_EQ(p.targets[0].reference_year, 2018);
    EXPECT_DOUBLE_EQ(target_level(p.targets[1], 1000), 600);
    EXPECT_DOUBLE_EQ(*p.targets[2].target_t_co2, 61.0e6);
    // No measure sets the EV share: the fleet trend does.
    for (const Measure& m : p.measures)
        for (const auto& pol : m.policies) EXPECT_NE(pol["kind"], "ev_share") << m.id;
}

TEST(PathwayFile, TheBundledTrends) {
    const PathwayFile& p = bundled();
    EXPECT_DOUBLE_EQ(p.trends.population.index(2024), 1.0);
    EXPECT_NEAR(p.trends.population.index(2030), 1 - 0.0501 * 3 / 12, 1e-4);
    EXPECT_DOUBLE_EQ(p.trends.population.index(2030, "탄방동"),
                     p.trends.population.dongs.at("탄방동").at(2030));
    EXPECT_NEAR(p.trends.grid_t_per_mwh.at(2030), 0.2344, 1e-9);
    EXPECT_DOUBLE_EQ(p.trends.grid_t_per_mwh.at(2034), 0.2344);  // flat after the last point
    EXPECT_DOUBLE_EQ(p.trends.hydrogen_kg_co2_per_kg.at(2030), 9.35);
    const auto bus = p.trends.bus_fleet.at(2032);
    EXPECT_NEAR(bus.at("bus_cng") + bus.at("bus_electric") + bus.at("bus_hydrogen"), 1, 1e-9);
    const FleetPath fleet = run_stock_turnover(p.trends.car_fleet, p.base_year, p.last_year(), "x");
    EXPECT_NEAR(fleet.at(2024).shares.at("car_electric"), 0.022, 1e-6);
    EXPECT_NEAR(fleet.at(2030).total, 640000, 1e-6);
    // The turnover model moves the stock slowly: about 8 % electric cars in 2030 with a third of
    // sales electric by then, well below the national 4.5 M path scaled to Daejeon (17 %).
    const double ev2030 = fleet.at(2030).shares.at("car_electric");
    EXPECT_GT(ev2030, 0.06);
    EXPECT_LT(ev2030, 0.12);
    const ZevComparison z = compare_zev(fleet, *p.trends.car_fleet.zev_check);
    EXPECT_NEAR(z.target_zev_vehicles, 4.5e6 * 723374 / 25949000, 1);
    EXPECT_LT(z.ratio, 1);
    // About 355 weekday-equivalent days of road traffic a year.
    EXPECT_NEAR(p.annualisation.road_factor(2024), 355.65, 1e-9);
    ASSERT_TRUE(p.annualisation.transit_ridership);
    EXPECT_DOUBLE_EQ(p.annualisation.transit_ridership->saturday, 0.7);
}

TEST(PathwayFile, ActiveMeasuresAndTheirPhaseIn) {
    const PathwayFile& p = bundled();
    const MeasureSet s2024 = active_measures(p, 2024);
    ASSERT_EQ(s2024.active.size(), 1u);  // the fare refund (K-Pass, May 2024)
    EXPECT_TRUE(s2024.contains("fare_refund"));
    const MeasureSet s2028 = active_measures(p, 2028);
    EXPECT_FALSE(s2028.contains("tram_line2"));
    // Bus frequency: start 2025, 5 phase-in years -> 4/6 of the way in 2028.
    EXPECT_NEAR(s2028.find("bus_frequency")->fraction, 4.0 / 6, 1e-12);
    // Charges: start 2027, 2 phase-in years -> 2/3 in 2028.
    EXPECT_NEAR(s2028.find("parking_cordon_charge")->fraction, 2.0 / 3, 1e-12);
    const json plan = plan_policies(s2028);
    double parking = -1, cordon = -1, buses = -1;
    for (const auto& pol : plan) {
        if (pol["kind"] == "parking_charge") parking = pol["krw"];
        if (pol["kind"] == "congestion_charge") cordon = pol["krw"];
        if (pol["kind"] == "bus_frequency") buses = pol["frequency_factor"];
    }
    EXPECT_NEAR(parking, 2000, 1e-9);
    EXPECT_NEAR(cordon, 2000.0 * 2 / 3, 1e-9);
    EXPECT_NEAR(buses, 1 + 0.5 * 4 / 6, 1e-12);
    const MeasureSet s2034 = active_measures(p, 2034);
    EXPECT_EQ(s2034.active.size(), 9u);
    for (const ActiveMeasure& a : s2034.active) EXPECT_DOUBLE_EQ(a.fraction, 1.0) << a.measure->id;
    // Leaving a measure out drops exactly its policies.
    const std::size_t all = plan_policies(s2034).size();
    EXPECT_EQ(plan_policies(s2034, "bus_lanes_priority").size(), all - 2);
    EXPECT_EQ(plan_policies(s2034, "tram_line2").size(), all - 1);
    EXPECT_THROW(plan_policies(s2028, "tram_line2"), InvariantError);  // not active in 2028
}

TEST(PathwayFile, BadFilesNameFileJsonPathAndField) {
    EXPECT_EQ(error_field([](json&) {}), "<no error>");
    EXPECT_EQ(error_field([](json& j) { j["yeers"] = json::array({2030}); }), "$.yeers");
    EXPECT_EQ(
        error_field([](json& j) { j["measures"][1]["policies"][0]["kind"] = "bus_frequncy"; }),
        "$.measures[1].policies[0].kind");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1]["policies"][0]["frequency"] = 2; }),
              "$.measures[1].policies[0].frequency");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1]["cost"] = 2; }), "$.measures[1].cost");
    // Without "years", the default 2024, 2026, ..., 2034 (which must not start before base_year).
    EXPECT_EQ(error_field([](json& j) { j.erase("years"); }), "<no error>");
    EXPECT_EQ(error_field([](json& j) {
                  j.erase("years");
                  j["base_year"] = 2025;
              }),
              "$.base_year");
    EXPECT_EQ(error_field([](json& j) { j["years"] = {2024, 2070}; }), "$.years[1]");
    EXPECT_EQ(error_field([](json& j) { j["years"] = {2022, 2030}; }), "$.years[0]");
    EXPECT_EQ(error_field([](json& j) { j["years"] = {2024, 2030, 2030}; }), "$.years[2]");
    EXPECT_EQ(error_field([](json& j) { j["targets"][0].erase("reference_year"); }),
              "$.targets[0].reference_year");
    EXPECT_EQ(error_field([](json& j) { j["measures"][0]["costs"]["capex_krw"]["value"] = -1; }),
              "$.measures[0].costs.capex_krw.value");
    EXPECT_EQ(error_field([](json& j) { j["measures"][0]["costs"].erase("lifetime_years"); }),
              "$.measures[0].costs");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1]["id"] = "tram_line2"; }),
              "$.measures[1].id");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1]["id"] = "bau"; }), "$.measures[1].id");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1]["id"] = "Bus-Frequency"; }),
              "$.measures[1].id");
    EXPECT_EQ(error_field([](json& j) { j["measures"][0]["start_year"] = 2040; }),
              "$.measures[0].start_year");
    EXPECT_EQ(error_field([](json& j) { j["measures"][0]["start_year"] = 2020; }),
              "$.measures[0].start_year");
    EXPECT_EQ(error_field([](json& j) { j["measures"][0]["phase_in_years"] = 2; }),
              "$.measures[0].phase_in_years");
    EXPECT_EQ(error_field([](json& j) { j["measures"][1].erase("cost_note"); }), "$.measures[1]");
    EXPECT_EQ(error_field([](json& j) { j["wedge_order"][0] = "tram_line3"; }), "$.wedge_order[0]");
}

TEST(PathwayFile, BadTrendsAndSources) {
    EXPECT_EQ(error_field([](json& j) {
                  j["trends"]["car_fleet"]["sales_shares"]["points"]["2030"]["car_gasoline"] = 0.2;
              }),
              "$.trends.car_fleet.sales_shares.points.2030");
    EXPECT_EQ(error_field([](json& j) {
                  auto& s = j["trends"]["car_fleet"]["base_shares"]["shares"];
                  s["car_petrol"] = s["car_gasoline"];
                  s.erase("car_gasoline");
              }),
              "$.trends.car_fleet.base_shares.shares.car_petrol");
    EXPECT_EQ(
        error_field([](json& j) { j["trends"]["bus_fleet"]["points"]["2030"]["bus_diesel"] = 0; }),
        "$.trends.bus_fleet.points.2030.bus_diesel");
    EXPECT_EQ(error_field([](json& j) {
                  j["trends"]["car_fleet"]["total_stock"]["points"]["2030"] = 400000;
              }),
              "$.trends.car_fleet.total_stock");
    EXPECT_EQ(error_field([](json& j) { j["trends"]["grid_t_per_mwh"]["points"]["20x0"] = 0.3; }),
              "$.trends.grid_t_per_mwh.points.20x0");
    EXPECT_EQ(error_field([](json& j) { j["trends"]["grid_t_per_mwh"].erase("source"); }),
              "$.trends.grid_t_per_mwh");
    EXPECT_EQ(error_field([](json& j) { j["discount_rate"].erase("source"); }), "$.discount_rate");
    EXPECT_EQ(error_field([](json& j) { j["base_scenario"] = "no-such-scenario.json"; }),
              "$.base_scenario");
    EXPECT_EQ(error_field([](json& j) {
                  j["years"] = {2024, 2030, 2036};
              }),
              "$.annualisation.holidays");
    EXPECT_EQ(error_field([](json& j) { j["targets"][0]["scope"] = "region"; }),
              "$.targets[0].scope");
}
