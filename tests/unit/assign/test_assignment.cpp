// Static assignment: BPR functions, the Braess network solved by hand, error handling, and the
// Sioux Falls acceptance figure (small enough for the sanitizer runs).
#include <gtest/gtest.h>

#include <cmath>

#include "modeshift/assign/all_or_nothing.hpp"
#include "modeshift/assign/assignment.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "tntp_fixture.hpp"

namespace modeshift {
namespace {

using testing::load_case;

/// The Braess example of TransportationNetworks (Braess_net.tntp), inlined so the test does not
/// depend on the shared data. t13 = t42 = 1e-8 + 10 v, t14 = t32 = 50 + v, t34 = 10 + v; 6 trips
/// 1->2.
constexpr const char* kBraessNet =
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 4\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 5\n"
    "<END OF METADATA>\n"
    "~ init term cap len fft b power speed toll type ;\n"
    "1 3 1 100 0.00000001 1000000000 1 0 0 1 ;\n"
    "1 4 1 100 50 0.02 1 0 0 1 ;\n"
    "3 2 1 100 50 0.02 1 0 0 1 ;\n"
    "3 4 1 100 10 0.1 1 0 0 1 ;\n"
    "4 2 1 100 0.00000001 1000000000 1 0 0 1;\n";

Network braess() {
    tntp::TntpUnits u;
    u.time_unit_s = 1.0;
    return Network(tntp::parse_net(kBraessNet, "braess", "Braess", u), "braess");
}

TEST(Bpr, TimeSlopeAndIntegralAgree) {
    const Network net = braess();
    const BprCosts c(net, AssignCost::Time, {});
    // Link 1->4: 50 (1 + 0.02 v).
    EXPECT_DOUBLE_EQ(c.time_s(1, 0), 50.0);
    EXPECT_DOUBLE_EQ(c.time_s(1, 2), 52.0);
    EXPECT_DOUBLE_EQ(c.slope(1, 2), 1.0);
    EXPECT_DOUBLE_EQ(c.integral(1, 2), 102.0);
    // Numerical derivative of the integral equals the cost, of the cost equals the slope.
    const double h = 1e-4, v = 3.0;
    EXPECT_NEAR((c.integral(3, v + h) - c.integral(3, v - h)) / (2 * h), c.cost_s(3, v), 1e-6);
    EXPECT_NEAR((c.cost_s(3, v + h) - c.cost_s(3, v - h)) / (2 * h), c.slope(3, v), 1e-6);
}

TEST(Bpr, GeneralizedCostAddsTollAndDistance) {
    const Network net = braess();
    GeneralizedCostWeights w;
    w.toll_s_per_unit = 0;
    w.distance_s_per_m = 0.5 / 1609.344;  // 0.5 per mile; every link is 100 miles long
    const BprCosts c(net, AssignCost::Generalized, w);
    EXPECT_NEAR(c.cost_s(1, 2), 52.0 + 50.0, 1e-9);
    EXPECT_NEAR(c.integral(1, 2), 102.0 + 100.0, 1e-9);
}

class BraessAlgorithms : public ::testing::TestWithParam<AssignAlgorithm> {};

TEST_P(BraessAlgorithms, SolvesTheHandComputedEquilibrium) {
    // By hand: all three routes carry 2 trips and cost 92, so links 1-3 and 4-2 carry 4 and the
    // others 2; TSTT = 6 * 92 = 552; Beckmann = 80 + 102 + 102 + 22 + 80 = 386 (+1e-8 terms).
    const Network net = braess();
    const std::vector<double> od = {0, 6, 0, 0};
    AssignmentOptions opt;
    opt.algorithm = GetParam();
    opt.target_gap = 1e-9;
    opt.max_iterations = 100'000;
    const auto r = assign_user_equilibrium(net, od, opt);
    ASSERT_TRUE(r.converged) << r.relative_gap;
    const double expected[] = {4, 2, 2, 2, 4};
    for (std::size_t l = 0; l < 5; ++l)
        EXPECT_NEAR(r.flow_veh[l], expected[l], 1e-4) << "link " << l;
    EXPECT_NEAR(r.tstt_veh_s, 552.0, 1e-4);
    EXPECT_NEAR(r.beckmann_veh_s, 386.0, 1e-4);
    EXPECT_NEAR(r.sptt_veh_s, 552.0, 1e-4);
    EXPECT_EQ(r.gap_history.size(), r.iterations);
}

INSTANTIATE_TEST_SUITE_P(All, BraessAlgorithms,
                         ::testing::Values(AssignAlgorithm::FrankWolfe,
                                           AssignAlgorithm::ConjugateFrankWolfe,
                                           AssignAlgorithm::BiconjugateFrankWolfe));

TEST(AllOrNothing, LoadsShortestPathsAndReportsSptt) {
    const Network net = braess();
    const std::vector<double> od = {0, 6, 0, 0};
    AllOrNothing aon(net, od, 1, "od");
    std::vector<double> flow;
    // Free flow: 1-3-4-2 costs 10 (+2e-8), the cheapest route.
    const std::vector<double> cost = {1e-8, 50, 50, 10, 1e-8};
    EXPECT_NEAR(aon.load(cost, flow), 6 * (10 + 2e-8), 1e-9);
    EXPECT_EQ(flow, (std::vector<double>{6, 0, 0, 6, 6}));
}

TEST(Assignment, RejectsBadDemand) {
    const Network net = braess();
    AssignmentOptions opt;
    opt.demand_origin = "trips.tntp";
    EXPECT_THROW(assign_user_equilibrium(net, std::vector<double>{0, 1, 0}, opt), InputError);
    EXPECT_THROW(assign_user_equilibrium(net, std::vector<double>{0, -1, 0, 0}, opt), InputError);
    EXPECT_THROW(assign_user_equilibrium(net, std::vector<double>{0, NAN, 0, 0}, opt), InputError);
}

TEST(Assignment, UnconnectedOdPairIsAnInputErrorNamingThePair) {
    // Zone 2 cannot reach zone 1 (all links lead towards node 2).
    const Network net = braess();
    AssignmentOptions opt;
    opt.demand_origin = "trips.tntp";
    try {
        assign_user_equilibrium(net, std::vector<double>{0, 1, 5, 0}, opt);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "trips.tntp");
        EXPECT_EQ(e.field(), "origin 2 destination 1");
    }
}

TEST(Assignment, StopsAtTheIterationLimit) {
    const Network net = braess();
    AssignmentOptions opt;
    opt.algorithm = AssignAlgorithm::FrankWolfe;
    opt.target_gap = 0;
    opt.max_iterations = 3;
    const auto r = assign_user_equilibrium(net, std::vector<double>{0, 6, 0, 0}, opt);
    EXPECT_FALSE(r.converged);
    EXPECT_EQ(r.iterations, 3u);
}

/// Sioux Falls: best-known TSTT 7,480,225.345 (SOURCES.md section 1, recomputed from the
/// published SiouxFalls_flow.tntp).
TEST(SiouxFalls, ReachesTheBestKnownTstt) {
    MODESHIFT_REQUIRE_TNTP("SiouxFalls");
    const auto c = load_case("SiouxFalls");
    AssignmentOptions opt;
    // At gap 1e-4 Sioux Falls' TSTT is still 0.08 % below the best-known value (TSTT is not the
    // minimised quantity and converges more slowly than the gap); 1e-5 brings it within 0.02 %.
    opt.target_gap = 1e-5;
    const auto r = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
    ASSERT_TRUE(r.converged);
    EXPECT_LE(r.relative_gap, 1e-4);
    EXPECT_NEAR(r.tstt_veh_s, 7'480'225.345, 7'480'225.345 * 5e-4);
    EXPECT_NEAR(r.beckmann_veh_s, 4'231'335.287, 4'231'335.287 * 5e-4);
    EXPECT_DOUBLE_EQ(r.total_demand_veh, 360'600.0);
}

TEST(SiouxFalls, ConjugateMethodsNeedFewerIterationsThanFrankWolfe) {
    MODESHIFT_REQUIRE_TNTP("SiouxFalls");
    const auto c = load_case("SiouxFalls");
    AssignmentOptions opt;
    opt.target_gap = 1e-3;
    opt.algorithm = AssignAlgorithm::FrankWolfe;
    const auto fw = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
    opt.algorithm = AssignAlgorithm::BiconjugateFrankWolfe;
    const auto bfw = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
    ASSERT_TRUE(fw.converged && bfw.converged);
    EXPECT_LT(bfw.iterations, fw.iterations);
    EXPECT_NEAR(fw.tstt_veh_s, bfw.tstt_veh_s, 7'480'225.345 * 5e-3);
}

// Regression: --gap -1 reached the library and printed a 309-digit bound, --threads 65537 crashed
// in the all-or-nothing arena. The library refuses every option out of range, naming it.
TEST(Assignment, OptionsOutOfRangeAreRefusedNamingTheOption) {
    const Network net = braess();
    const std::vector<double> od = {0, 6, 0, 0};
    auto option_refused = [&](auto edit) {
        AssignmentOptions opt;
        edit(opt);
        try {
            assign_user_equilibrium(net, od, opt);
        } catch (const InputError& e) {
            return e.field();
        }
        return std::string("<accepted>");
    };
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.target_gap = -1; }), "--gap");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.target_gap = 1; }), "--gap");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.target_gap = std::nan(""); }), "--gap");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.max_iterations = 0; }), "--max-iter");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.max_iterations = 2'000'000; }),
              "--max-iter");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.threads = 65537; }), "--threads");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.threads = -2; }), "--threads");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.weights.toll_s_per_unit = -1; }),
              "--toll-s");
    EXPECT_EQ(option_refused([](AssignmentOptions& o) { o.target_gap = 0.5; }), "<accepted>");
    EXPECT_THROW(AllOrNothing(net, od, 65537, "od"), InputError);
}

}  // namespace
}  // namespace modeshift
