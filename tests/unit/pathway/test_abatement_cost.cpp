#include <gtest/gtest.h>

#include "modeshift/core/error.hpp"
#include "modeshift/pathway/abatement_cost.hpp"

using namespace modeshift;
using namespace modeshift::pathway;

// CRF(r, n) = r (1 + r)^n / ((1 + r)^n - 1). By hand: 1.05^10 = 1.628895, so
// CRF(0.05, 10) = 0.05 x 1.628895 / 0.628895 = 0.129505; 1.045^30 = 3.745318, so
// CRF(0.045, 30) = 0.168539 / 2.745318 = 0.061392.
TEST(AbatementCost, CapitalRecoveryFactorByHand) {
    EXPECT_NEAR(capital_recovery_factor(0.05, 10), 0.129505, 1e-6);
    EXPECT_NEAR(capital_recovery_factor(0.045, 30), 0.061392, 1e-6);
    EXPECT_DOUBLE_EQ(capital_recovery_factor(0.0, 10), 0.1);   // no discounting: straight line
    EXPECT_NEAR(capital_recovery_factor(0.1, 1), 1.1, 1e-12);  // one year: repay with interest
    EXPECT_THROW(capital_recovery_factor(0.05, 0), InvariantError);
}

TEST(AbatementCost, AnnualCostAndCostPerTonneByHand) {
    MeasureCosts c;
    c.capex_krw = 1000, c.lifetime_years = 10;  // 1,000 KRW over 10 years
    c.opex_krw_per_year = 50, c.revenue_krw_per_year = 30;
    // 1000 x 0.129505 + 50 - 30 = 149.505 KRW a year.
    const double annual = annual_cost_krw(c, 0.05);
    EXPECT_NEAR(annual, 149.505, 1e-3);
    const CostPerTonne t = cost_per_tonne(annual, 10, true);
    ASSERT_TRUE(t.krw_per_t);
    EXPECT_NEAR(*t.krw_per_t, 14.9505, 1e-4);
    // Operating costs only.
    MeasureCosts opex;
    opex.opex_krw_per_year = 200;
    EXPECT_DOUBLE_EQ(annual_cost_krw(opex, 0.045), 200);
    EXPECT_FALSE(MeasureCosts{}.any());
}

TEST(AbatementCost, NoCostPerTonneWithoutADistinguishableSaving) {
    const CostPerTonne none = cost_per_tonne(100, 0, true);
    EXPECT_FALSE(none.krw_per_t);
    EXPECT_NE(none.reason.find("avoids no CO2"), std::string::npos);
    const CostPerTonne more = cost_per_tonne(100, -5, true);
    EXPECT_FALSE(more.krw_per_t);
    const CostPerTonne noise = cost_per_tonne(100, 5, false);
    EXPECT_FALSE(noise.krw_per_t);
    EXPECT_NE(noise.reason.find("not distinguishable"), std::string::npos);
    // A measure that earns more than it costs has a negative cost per tonne.
    EXPECT_DOUBLE_EQ(*cost_per_tonne(-50, 5, true).krw_per_t, -10);
}

TEST(AbatementCost, MacCurveSortsByCostPerTonne) {
    const std::vector<MacInput> in = {
        {"a", true, 100, 10, true},  // 10 KRW/t
        {"b", true, -50, 5, true},   // -10 KRW/t
        {"c", false, 0, 8, true},    // no costs
        {"d", true, 10, 0, true},    // no saving
        {"e", true, 20, 4, false},   // not distinguishable
        {"f", true, 40, 4, true},    // 10 KRW/t, a tie with a: ordered by id
    };
    const MacCurve m = mac_curve(in);
    ASSERT_EQ(m.blocks.size(), 3u);
    EXPECT_EQ(m.blocks[0].id, "b");
    EXPECT_DOUBLE_EQ(m.blocks[0].krw_per_t, -10);
    EXPECT_DOUBLE_EQ(m.blocks[0].x_from, 0);
    EXPECT_DOUBLE_EQ(m.blocks[0].x_to, 5);
    EXPECT_EQ(m.blocks[1].id, "a");
    EXPECT_DOUBLE_EQ(m.blocks[1].x_from, 5);
    EXPECT_DOUBLE_EQ(m.blocks[1].x_to, 15);
    EXPECT_EQ(m.blocks[2].id, "f");
    EXPECT_DOUBLE_EQ(m.blocks[2].x_to, 19);
    ASSERT_EQ(m.left_out.size(), 3u);
    EXPECT_EQ(m.left_out[0].id, "c");
    EXPECT_EQ(m.left_out[0].reason, "no cost source");
    EXPECT_EQ(m.left_out[1].id, "d");
    EXPECT_EQ(m.left_out[2].id, "e");
}
