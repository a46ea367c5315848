#include <gtest/gtest.h>

#include <set>

#include "input_error.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/pathway/fleet_stock.hpp"

using namespace modeshift;
using namespace modeshift::pathway;

namespace {
CarFleetTrend toy_trend() {
    CarFleetTrend t;
    t.total_stock.points = {{2024, 1000}, {2025, 1020}, {2026, 1000}, {2027, 1010}};
    t.base_shares = {{"car_gasoline", 0.6}, {"car_diesel", 0.3}, {"car_electric", 0.1}};
    t.scrappage_rate = 0.1;
    t.sales_shares.points = {
        {2024, {{"car_gasoline", 0.5}, {"car_hybrid", 0.2}, {"car_electric", 0.3}}}};
    return t;
}
}  // namespace

// By hand, rate 0.1:
// 2025: scrapped 100, sales 1020 - 1000 + 100 = 120; gasoline 540 + 60 = 600, diesel 270,
//       hybrid 24, electric 90 + 36 = 126 (sum 1020).
// 2026: scrapped 102, sales 1000 - 1020 + 102 = 82; gasoline 540 + 41 = 581, diesel 243,
//       hybrid 21.6 + 16.4 = 38, electric 113.4 + 24.6 = 138 (sum 1000).
// 2027: scrapped 100, sales 110; gasoline 522.9 + 55 = 577.9, diesel 218.7,
//       hybrid 34.2 + 22 = 56.2, electric 124.2 + 33 = 157.2 (sum 1010).
TEST(FleetStock, AThreeYearTurnoverByHand) {
    const FleetPath p = run_stock_turnover(toy_trend(), 2024, 2027, "toy.json");
    ASSERT_EQ(p.years.size(), 4u);
    const auto& y25 = p.at(2025);
    EXPECT_NEAR(y25.scrapped, 100, 1e-9);
    EXPECT_NEAR(y25.sales, 120, 1e-9);
    EXPECT_NEAR(y25.stock.at("car_gasoline"), 600, 1e-9);
    EXPECT_NEAR(y25.stock.at("car_diesel"), 270, 1e-9);
    EXPECT_NEAR(y25.stock.at("car_hybrid"), 24, 1e-9);
    EXPECT_NEAR(y25.stock.at("car_electric"), 126, 1e-9);
    EXPECT_NEAR(y25.stock.at("car_lpg"), 0, 1e-12);
    const auto& y26 = p.at(2026);
    EXPECT_NEAR(y26.sales, 82, 1e-9);
    EXPECT_NEAR(y26.stock.at("car_gasoline"), 581, 1e-9);
    EXPECT_NEAR(y26.stock.at("car_hybrid"), 38, 1e-9);
    EXPECT_NEAR(y26.stock.at("car_electric"), 138, 1e-9);
    const auto& y27 = p.at(2027);
    EXPECT_NEAR(y27.sales, 110, 1e-9);
    EXPECT_NEAR(y27.stock.at("car_gasoline"), 577.9, 1e-9);
    EXPECT_NEAR(y27.stock.at("car_diesel"), 218.7, 1e-9);
    EXPECT_NEAR(y27.stock.at("car_hybrid"), 56.2, 1e-9);
    EXPECT_NEAR(y27.stock.at("car_electric"), 157.2, 1e-9);
    EXPECT_NEAR(y27.shares.at("car_electric"), 157.2 / 1010, 1e-12);
}

TEST(FleetStock, VehiclesAreConservedEveryYear) {
    const FleetPath p = run_stock_turnover(toy_trend(), 2024, 2027, "toy.json");
    for (std::size_t i = 1; i < p.years.size(); ++i) {
        const FleetYear& a = p.years[i - 1];
        const FleetYear& b = p.years[i];
        EXPECT_NEAR(b.total, a.total - b.scrapped + b.sales, 1e-9);
        EXPECT_NEAR(b.total, toy_trend().total_stock.at(b.year), 1e-9);
        double shares = 0;
        for (const auto& [k, s] : b.shares) shares += s;
        EXPECT_NEAR(shares, 1, 1e-12);
    }
}

TEST(FleetStock, NegativeSalesAreRefusedNamingTheSeries) {
    CarFleetTrend t = toy_trend();
    t.total_stock.points[2025] = 800;  // falls by 200 while only 100 are scrapped
    const auto e =
        test_support::input_error_of([&] { run_stock_turnover(t, 2024, 2027, "toy.json"); });
    ASSERT_TRUE(e) << "negative sales";
    EXPECT_EQ(e->file(), "toy.json");
    EXPECT_EQ(e->field(), "$.trends.car_fleet.total_stock");
    EXPECT_NE(std::string(e->what()).find("2025"), std::string::npos) << e->what();
}

TEST(FleetStock, SalesSharesAreInterpolatedBetweenYears) {
    ShareSeries s;
    s.points = {{2024, {{"car_gasoline", 1.0}}}, {2026, {{"car_electric", 1.0}}}};
    const auto mid = s.at(2025);
    EXPECT_DOUBLE_EQ(mid.at("car_gasoline"), 0.5);
    EXPECT_DOUBLE_EQ(mid.at("car_electric"), 0.5);
    EXPECT_DOUBLE_EQ(s.at(2020).at("car_gasoline"), 1.0);  // flat before
    EXPECT_DOUBLE_EQ(s.at(2040).at("car_electric"), 1.0);  // and after
}

TEST(FleetStock, ZevComparisonScalesTheNationalTarget) {
    const FleetPath p = run_stock_turnover(toy_trend(), 2024, 2027, "toy.json");
    ZevCheck z;
    z.year = 2027;
    z.national_target = 1000;
    z.national_registrations = 10000;
    z.city_registrations = 1000;
    const ZevComparison c = compare_zev(p, z);
    EXPECT_NEAR(c.modelled_zev_cars, 157.2, 1e-9);
    EXPECT_NEAR(c.target_zev_vehicles, 100, 1e-9);
    EXPECT_NEAR(c.target_zev_share, 0.1, 1e-12);
    EXPECT_NEAR(c.ratio, 1.572, 1e-9);
    EXPECT_NE(c.line.find("2027"), std::string::npos);
    z.year = 2030;  // beyond the path
    EXPECT_THROW(compare_zev(p, z), InvariantError);
}

// The powertrains of the model are the car types of the bundled fleet's car_mix.
TEST(FleetStock, PowertrainsAreTheFleetFilesCarTypes) {
    const Json fleet =
        read_json_file(std::filesystem::path(MODESHIFT_SOURCE_DIR) / "scenarios/data/fleet.json");
    std::set<std::string> car_mix, bus_mix, model(kCarPowertrains.begin(), kCarPowertrains.end()),
        buses(kBusTypes.begin(), kBusTypes.end());
    for (auto it = fleet["car_mix"]["shares"].begin(); it != fleet["car_mix"]["shares"].end(); ++it)
        car_mix.insert(it.key());
    for (auto it = fleet["bus_mix"]["shares"].begin(); it != fleet["bus_mix"]["shares"].end(); ++it)
        bus_mix.insert(it.key());
    EXPECT_EQ(car_mix, model);
    EXPECT_EQ(bus_mix, buses);
}
