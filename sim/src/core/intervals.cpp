#include "modeshift/core/intervals.hpp"

#include <fmt/format.h>

#include <cmath>

#include "modeshift/core/error.hpp"

namespace modeshift {

namespace {

/// Continued fraction of the regularized incomplete beta function (modified Lentz), which
/// converges fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
    constexpr double kTiny = 1e-300;
    constexpr double kEps = 1e-15;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (std::abs(d) < kTiny) d = kTiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        c = 1 + aa / c;
        if (std::abs(d) < kTiny) d = kTiny;
        if (std::abs(c) < kTiny) c = kTiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        c = 1 + aa / c;
        if (std::abs(d) < kTiny) d = kTiny;
        if (std::abs(c) < kTiny) c = kTiny;
        d = 1 / d;
        const double del = d * c;
        h *= del;
        if (std::abs(del - 1) < kEps) break;
    }
    return h;
}

/// I_x(a, b), the regularized incomplete beta function.
double incomplete_beta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double ln_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return std::exp(ln_front) * beta_continued_fraction(a, b, x) / a;
    return 1 - std::exp(ln_front) * beta_continued_fraction(b, a, 1 - x) / b;
}

/// P(T <= t) for Student's t with `dof` degrees of freedom.
double student_t_cdf(double t, double dof) {
    const double tail = 0.5 * incomplete_beta(dof / 2, 0.5, dof / (dof + t * t));
    return t >= 0 ? 1 - tail : tail;
}

}  // namespace

double student_t_quantile(double p, double dof) {
    MS_ASSERT(p > 0 && p < 1 && dof > 0, "a t quantile needs 0 < p < 1 and dof > 0");
    if (p == 0.5) return 0;
    // Bisection on the monotone cdf: bracket, then halve to double precision.
    double lo = 0, hi = 1;
    const double target = p > 0.5 ? p : 1 - p;
    while (student_t_cdf(hi, dof) < target) hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (student_t_cdf(mid, dof) < target ? lo : hi) = mid;
    }
    const double t = 0.5 * (lo + hi);
    return p > 0.5 ? t : -t;
}

Interval mean_interval(const std::vector<double>& values, double level) {
    MS_ASSERT(!values.empty(), "an interval needs at least one value");
    MS_ASSERT(level > 0 && level < 1, fmt::format("level {} is in (0, 1)", level));
    Interval r;
    r.n = values.size();
    r.level = level;
    for (double v : values) {
        MS_ASSERT(std::isfinite(v), "values are finite");
        r.mean += v;
    }
    r.mean /= double(r.n);
    r.lo = r.hi = r.mean;
    if (r.n < 2) {
        r.note = "one seed: no interval (run more seeds to see the spread)";
        return r;
    }
    double ss = 0;
    for (double v : values) ss += (v - r.mean) * (v - r.mean);
    r.sd = std::sqrt(ss / double(r.n - 1));
    const double t = student_t_quantile(0.5 + level / 2, double(r.n - 1));
    r.half_width = t * r.sd / std::sqrt(double(r.n));
    r.lo = r.mean - r.half_width;
    r.hi = r.mean + r.half_width;
    r.has_interval = true;
    return r;
}

Interval paired_difference_interval(const std::vector<double>& a, const std::vector<double>& b,
                                    double level) {
    MS_ASSERT(a.size() == b.size(), "paired values: one of each per seed");
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return mean_interval(d, level);
}

bool distinguishable(const Interval& i) {
    return i.has_interval && (i.lo > 0 || i.hi < 0);
}

}  // namespace modeshift
