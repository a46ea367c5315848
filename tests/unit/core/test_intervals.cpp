#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "modeshift/core/error.hpp"
#include "modeshift/core/intervals.hpp"

using namespace modeshift;

namespace {
/// Standard normal draws from Box-Muller on mt19937_64, whose output the standard fixes, so
/// the test draws the same numbers with every standard library.
class Normal {
  public:
    explicit Normal(std::uint64_t seed) : rng_(seed) {}
    double operator()() {
        const double u1 = (double(rng_() >> 11) + 0.5) / 9007199254740992.0;  // (0, 1)
        const double u2 = double(rng_() >> 11) / 9007199254740992.0;
        return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }

  private:
    std::mt19937_64 rng_;
};
}  // namespace

TEST(Intervals, StudentTQuantilesMatchTables) {
    EXPECT_NEAR(student_t_quantile(0.95, 1), 6.313751515, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.95, 2), 2.919985580, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.95, 4), 2.131846786, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.95, 9), 1.833112933, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.95, 29), 1.699127027, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.975, 5), 2.570581836, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.95, 1e7), 1.644853627, 1e-6);  // the normal limit
    EXPECT_NEAR(student_t_quantile(0.05, 4), -2.131846786, 1e-8);
    EXPECT_DOUBLE_EQ(student_t_quantile(0.5, 3), 0);
}

TEST(Intervals, MeanAndIntervalByHand) {
    // Mean 2, sd 1, t(0.95, 2) = 2.919986: half width 2.919986 / sqrt(3) = 1.685854.
    const Interval i = mean_interval({1, 2, 3});
    EXPECT_TRUE(i.has_interval);
    EXPECT_DOUBLE_EQ(i.mean, 2);
    EXPECT_DOUBLE_EQ(i.sd, 1);
    EXPECT_NEAR(i.half_width, 1.685854, 1e-6);
    EXPECT_NEAR(i.lo, 2 - 1.685854, 1e-6);
    EXPECT_TRUE(distinguishable(i));
    EXPECT_FALSE(distinguishable(mean_interval({-1, 1, 2})));
}

TEST(Intervals, OneSeedGivesNoInterval) {
    const Interval i = mean_interval({42});
    EXPECT_FALSE(i.has_interval);
    EXPECT_DOUBLE_EQ(i.mean, 42);
    EXPECT_NE(i.note.find("one seed"), std::string::npos);
    EXPECT_FALSE(distinguishable(i));
    EXPECT_THROW(mean_interval({}), InvariantError);
    EXPECT_THROW(mean_interval({1, 2}, 1.0), InvariantError);
}

TEST(Intervals, PairedDifferencesAreNarrowerWithCommonRandomNumbers) {
    // Seeds move both runs together; the difference is steady.
    const std::vector<double> base = {100, 112, 95, 104}, plan = {91, 102.5, 86.2, 95.1};
    const Interval d = paired_difference_interval(base, plan);
    EXPECT_NEAR(d.mean, (9 + 9.5 + 8.8 + 8.9) / 4, 1e-12);
    EXPECT_TRUE(distinguishable(d));
    // Taken apart, the two intervals overlap.
    const Interval a = mean_interval(base), b = mean_interval(plan);
    EXPECT_LT(a.lo, b.hi);
    EXPECT_THROW(paired_difference_interval({1, 2}, {1}), InvariantError);
}

// 4,000 synthetic experiments of 5 seeds each from N(3, 2^2): the 90 % interval of the mean
// covers 3 in 90 % +- 2 % of them.
TEST(Intervals, CoverageOfTheNinetyPercentInterval) {
    Normal z(20240601);
    int covered = 0;
    constexpr int kReps = 4000;
    for (int r = 0; r < kReps; ++r) {
        std::vector<double> x(5);
        for (double& v : x) v = 3 + 2 * z();
        const Interval i = mean_interval(x);
        covered += i.lo <= 3 && 3 <= i.hi;
    }
    const double coverage = double(covered) / kReps;
    EXPECT_NEAR(coverage, 0.90, 0.02) << covered;
}

// Paired runs: a shared seed effect (sd 5) plus small run noise (sd 0.5) around means 50 and
// 47. The interval of the mean difference covers 3 about 90 % of the time and is far narrower
// than an unpaired one would be.
TEST(Intervals, CoverageOfPairedDifferences) {
    Normal z(7);
    int covered = 0;
    double paired_width = 0, unpaired_width = 0;
    constexpr int kReps = 4000;
    for (int r = 0; r < kReps; ++r) {
        std::vector<double> a(4), b(4);
        for (std::size_t s = 0; s < a.size(); ++s) {
            const double seed_effect = 5 * z();
            a[s] = 50 + seed_effect + 0.5 * z();
            b[s] = 47 + seed_effect + 0.5 * z();
        }
        const Interval d = paired_difference_interval(a, b);
        covered += d.lo <= 3 && 3 <= d.hi;
        paired_width += d.half_width;
        unpaired_width += mean_interval(a).half_width + mean_interval(b).half_width;
    }
    EXPECT_NEAR(double(covered) / kReps, 0.90, 0.02) << covered;
    EXPECT_LT(paired_width * 5, unpaired_width);
}
