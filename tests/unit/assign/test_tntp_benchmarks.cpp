// Acceptance against the published TransportationNetworks solutions (SOURCES.md section 1):
// relative gap <= 1e-4 and TSTT (Chicago Sketch: Beckmann objective with the generalized cost)
// within 0.05 % of the best-known value. Labelled `slow`: release runs only.
#include <gtest/gtest.h>

#include "modeshift/assign/assignment.hpp"
#include "tntp_fixture.hpp"

namespace modeshift {
namespace {

constexpr double kTolerance = 5e-4;  // 0.05 %

AssignmentResult solve(const testing::TntpCase& c, AssignCost cost = AssignCost::Time) {
    AssignmentOptions opt;
    opt.target_gap = 1e-4;
    opt.cost = cost;
    // The case is read with time unit = 1 s, so the weights are in the file's unit (minutes):
    // Chicago Sketch README: 0.02 min per cent of toll, 0.04 min per mile.
    opt.weights.toll_s_per_unit = 0.02;
    opt.weights.distance_s_per_m = 0.04 / 1609.344;
    return assign_user_equilibrium(c.net, c.od.demand_veh, opt);
}

void expect_tstt(const char* name, double best_known) {
    const auto c = testing::load_case(name);
    const auto r = solve(c);
    ASSERT_TRUE(r.converged) << name << " gap " << r.relative_gap;
    EXPECT_LE(r.relative_gap, 1e-4);
    EXPECT_NEAR(r.tstt_veh_s, best_known, best_known * kTolerance) << name;
    ::testing::Test::RecordProperty("iterations", static_cast<int>(r.iterations));
}

TEST(TntpBenchmarks, Anaheim) {
    MODESHIFT_REQUIRE_TNTP("Anaheim");
    expect_tstt("Anaheim", 1'419'913.85);
}

TEST(TntpBenchmarks, Barcelona) {
    MODESHIFT_REQUIRE_TNTP("Barcelona");
    expect_tstt("Barcelona", 1'365'715.68);
}

TEST(TntpBenchmarks, Winnipeg) {
    MODESHIFT_REQUIRE_TNTP("Winnipeg");
    expect_tstt("Winnipeg", 925'828.07);
}

TEST(TntpBenchmarks, ChicagoSketchGeneralizedCostObjective) {
    MODESHIFT_REQUIRE_TNTP("ChicagoSketch");
    const auto c = testing::load_case("ChicagoSketch");
    const auto r = solve(c, AssignCost::Generalized);
    ASSERT_TRUE(r.converged) << r.relative_gap;
    EXPECT_LE(r.relative_gap, 1e-4);
    constexpr double kObjective = 17'313'018.7387;
    EXPECT_NEAR(r.beckmann_veh_s, kObjective, kObjective * kTolerance);
}

}  // namespace
}  // namespace modeshift
