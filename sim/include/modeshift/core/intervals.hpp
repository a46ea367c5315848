#pragma once
/// Uncertainty over seeds: the mean of n runs and a two-sided interval of that mean from
/// Student's t with n - 1 degrees of freedom (90 % by default). Differences between two
/// scenarios run with the same seeds (common random numbers: the same persons make the same
/// tours) are taken per seed first and the interval is that of the mean difference, which is
/// much narrower than two separate intervals would suggest.
#include <string>
#include <vector>

namespace modeshift {

inline constexpr double kDefaultIntervalLevel = 0.90;

struct Interval {
    std::size_t n = 0;
    double level = kDefaultIntervalLevel;
    double mean = 0;
    double sd = 0;              ///< sample standard deviation (n - 1); 0 for n = 1
    bool has_interval = false;  ///< false for n < 2: one run says nothing about the spread
    double half_width = 0;      ///< t_{(1+level)/2, n-1} x sd / sqrt(n)
    double lo = 0, hi = 0;      ///< mean -+ half_width (both = mean without an interval)
    std::string note;           ///< why there is no interval
};

/// The quantile of Student's t with `dof` degrees of freedom: P(T <= t) = p, 0 < p < 1.
double student_t_quantile(double p, double dof);

/// Mean and interval of the values (one per seed). InvariantError for no value, level
/// outside (0, 1) or a non-finite value.
Interval mean_interval(const std::vector<double>& values, double level = kDefaultIntervalLevel);

/// The interval of the mean of a[i] - b[i] (paired by seed; the sizes must match).
Interval paired_difference_interval(const std::vector<double>& a, const std::vector<double>& b,
                                    double level = kDefaultIntervalLevel);

/// The difference is told apart from 0: an interval that excludes 0. Without an interval
/// (one seed) nothing is distinguishable.
bool distinguishable(const Interval& i);

}  // namespace modeshift
