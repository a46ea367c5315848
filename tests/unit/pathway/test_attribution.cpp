#include <gtest/gtest.h>

#include <numeric>

#include "modeshift/core/error.hpp"
#include "modeshift/pathway/attribution.hpp"

using namespace modeshift;
using namespace modeshift::pathway;

namespace {
double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}
}  // namespace

// Additive measures: each one's leave-one-out effect is its one-at-a-time effect, they add to
// the total, the scale is 1 and there is no interaction.
TEST(Attribution, AdditiveMeasuresKeepTheirOwnEffects) {
    // BAU 100; the measures save 10, 20 and 5 whatever else runs: plan 65.
    const Wedges w = attribute(100, 65, {75, 85, 70});
    EXPECT_EQ(w.method, WedgeMethod::Scaled);
    EXPECT_DOUBLE_EQ(w.total, 35);
    EXPECT_DOUBLE_EQ(w.scale, 1);
    EXPECT_DOUBLE_EQ(w.interaction, 0);
    EXPECT_EQ(w.wedge, (std::vector<double>{10, 20, 5}));
    EXPECT_FALSE(w.flagged);
}

// Two overlapping measures: each alone saves 20 of BAU 100, both together 30. Leaving one out
// leaves the other's 20, so each leave-one-out effect is 10; the wedges are scaled by 30 / 20.
TEST(Attribution, OverlappingPairIsScaledToTheTotal) {
    const Wedges w = attribute(100, 70, {80, 80});
    EXPECT_EQ(w.loo, (std::vector<double>{10, 10}));
    EXPECT_DOUBLE_EQ(w.scale, 1.5);
    EXPECT_DOUBLE_EQ(w.interaction, 10);  // S_A + S_B - S_AB = 20 + 20 - 30 > 0: overlap
    EXPECT_EQ(w.wedge, (std::vector<double>{15, 15}));
    EXPECT_DOUBLE_EQ(sum(w.wedge), w.total);
}

// Two reinforcing measures: alone 10 each, together 30 (a bus lane makes more frequent buses
// worth more). Each leave-one-out effect is 20; they add to 40 > 30.
TEST(Attribution, ReinforcingPairHasANegativeInteraction) {
    const Wedges w = attribute(100, 70, {90, 90});
    EXPECT_DOUBLE_EQ(w.interaction, -10);
    EXPECT_DOUBLE_EQ(w.scale, 0.75);
    EXPECT_DOUBLE_EQ(sum(w.wedge), 30);
    // Unequal effects keep their proportions.
    const Wedges u = attribute(200, 140, {170, 160, 150});  // loo 30, 20, 10; total 60
    EXPECT_DOUBLE_EQ(u.scale, 1);
    const Wedges v = attribute(200, 150, {170, 160, 150 + 20});  // loo 20, 10, 20; total 50
    EXPECT_NEAR(sum(v.wedge), 50, 1e-12);
    EXPECT_NEAR(v.wedge[0] / v.wedge[1], 2, 1e-12);
}

TEST(Attribution, EffectsThatCancelAreSplitByTheirSizes) {
    // loo +10 and -10 add to 0: scaling would divide by 0.
    const Wedges w = attribute(100, 95, {105, 85});
    EXPECT_EQ(w.method, WedgeMethod::AbsoluteShares);
    EXPECT_TRUE(w.flagged);
    EXPECT_FALSE(w.note.empty());
    EXPECT_EQ(w.wedge, (std::vector<double>{2.5, 2.5}));
    EXPECT_DOUBLE_EQ(sum(w.wedge), w.total);
}

TEST(Attribution, EffectsOfTheOtherSignAreSplitByTheirSizes) {
    // The plan saves 10, but leaving either measure out lowers CO2 (loo -5 and -3).
    const Wedges w = attribute(100, 90, {85, 87});
    EXPECT_EQ(w.method, WedgeMethod::AbsoluteShares);
    EXPECT_TRUE(w.flagged);
    EXPECT_NEAR(w.wedge[0], 6.25, 1e-12);
    EXPECT_NEAR(w.wedge[1], 3.75, 1e-12);
    EXPECT_NEAR(sum(w.wedge), 10, 1e-12);
}

TEST(Attribution, NoLeaveOneOutEffectAtAllSplitsEqually) {
    const Wedges w = attribute(100, 94, {94, 94, 94});
    EXPECT_EQ(w.method, WedgeMethod::EqualShares);
    EXPECT_EQ(w.wedge, (std::vector<double>{2, 2, 2}));
}

TEST(Attribution, EdgeCases) {
    // No saving: every wedge is 0, flagged when the effects only cancel.
    const Wedges none = attribute(100, 100, {110, 90});
    EXPECT_EQ(none.wedge, (std::vector<double>{0, 0}));
    EXPECT_TRUE(none.flagged);
    // A plan that adds CO2: negative wedges.
    const Wedges worse = attribute(100, 110, {106, 104});
    EXPECT_EQ(worse.method, WedgeMethod::Scaled);
    EXPECT_EQ(worse.wedge, (std::vector<double>{-4, -6}));
    // No measure.
    const Wedges empty = attribute(100, 100, {});
    EXPECT_TRUE(empty.wedge.empty());
    // A large interaction is scaled but flagged.
    const Wedges big = attribute(100, 70, {75, 75});  // loo 5 + 5 for a saving of 30
    EXPECT_EQ(big.method, WedgeMethod::Scaled);
    EXPECT_DOUBLE_EQ(big.scale, 3);
    EXPECT_TRUE(big.flagged);
    EXPECT_DOUBLE_EQ(trend_wedge(120, 100), 20);
}

TEST(Attribution, CumulativeTonnesInterpolateBetweenSimulatedYears) {
    const std::vector<YearValue> sim = {{2024, 10}, {2026, 20}, {2028, 20}};
    const auto annual = annual_values(sim, 2024, 2028);
    ASSERT_EQ(annual.size(), 5u);
    EXPECT_DOUBLE_EQ(annual[1].value, 15);  // 2025, half way
    EXPECT_EQ(annual[1].year, 2025);
    EXPECT_DOUBLE_EQ(cumulative(sim, 2024, 2028), 10 + 15 + 20 + 20 + 20);
    EXPECT_DOUBLE_EQ(cumulative(sim, 2025, 2027), 15 + 20 + 20);
    EXPECT_THROW(cumulative(sim, 2023, 2028), InvariantError);
    EXPECT_THROW(cumulative({{2026, 1}, {2024, 1}}, 2024, 2026), InvariantError);
}
