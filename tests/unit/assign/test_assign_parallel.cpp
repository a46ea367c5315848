// Determinism of the parallel all-or-nothing: 1 and 2 threads give bit-identical results.
#include <gtest/gtest.h>

#include <cstring>

#include "modeshift/assign/assignment.hpp"
#include "tntp_fixture.hpp"

namespace modeshift {
namespace {

bool bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(AssignParallel, OneAndTwoThreadsGiveBitIdenticalFlows) {
    MODESHIFT_REQUIRE_TNTP("Anaheim");
    const auto c = testing::load_case("Anaheim");  // 38 origins: several blocks of origins
    AssignmentOptions opt;
    opt.target_gap = 0;
    opt.max_iterations = 25;
    opt.threads = 1;
    const auto one = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
    opt.threads = 2;
    const auto two = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
    EXPECT_TRUE(bit_identical(one.flow_veh, two.flow_veh));
    EXPECT_TRUE(bit_identical(one.gap_history, two.gap_history));
    EXPECT_EQ(std::memcmp(&one.tstt_veh_s, &two.tstt_veh_s, sizeof(double)), 0);
}

}  // namespace
}  // namespace modeshift
