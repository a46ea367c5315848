#include <cmath>

#include "modeshift/assign/assignment.hpp"

namespace modeshift {

namespace {
/// (v/c)^p with the common integer powers done by multiplication (the hot path of line search).
double ratio_pow(double r, double p) {
    if (p == 4.0) {
        const double r2 = r * r;
        return r2 * r2;
    }
    if (p == 1.0) return r;
    if (p == 0.0) return 1.0;
    return std::pow(r, p);
}
}  // namespace

BprCosts::BprCosts(const Network& net, AssignCost cost, const GeneralizedCostWeights& w) {
    const auto& L = net.data().links;
    fft_s_ = L.freeflow_time_s;
    alpha_ = L.bpr_alpha;
    beta_ = L.bpr_beta;
    cap_ = L.capacity_vph;
    fixed_s_.assign(L.size(), 0.0);
    if (cost == AssignCost::Generalized)
        for (std::size_t l = 0; l < L.size(); ++l)
            fixed_s_[l] = w.toll_s_per_unit * L.toll[l] + w.distance_s_per_m * L.length_m[l];
    for (std::size_t l = 0; l < L.size(); ++l)
        if (cap_[l] <= 0) alpha_[l] = 0;  // no capacity given: a fixed-time link
}

double BprCosts::time_s(std::size_t l, double v) const {
    if (alpha_[l] == 0) return fft_s_[l];
    return fft_s_[l] * (1.0 + alpha_[l] * ratio_pow(v / cap_[l], beta_[l]));
}

double BprCosts::slope(std::size_t l, double v) const {
    if (alpha_[l] == 0 || beta_[l] == 0 || fft_s_[l] == 0) return 0.0;
    const double b = beta_[l];
    if (b < 1.0 && v <= 0) return 0.0;  // infinite slope at zero flow: no curvature information
    return fft_s_[l] * alpha_[l] * b / cap_[l] * ratio_pow(v / cap_[l], b - 1.0);
}

double BprCosts::integral(std::size_t l, double v) const {
    double t = fft_s_[l] * v;
    if (alpha_[l] != 0) {
        const double b = beta_[l];
        t += fft_s_[l] * alpha_[l] * cap_[l] / (b + 1.0) * ratio_pow(v / cap_[l], b + 1.0);
    }
    return t + fixed_s_[l] * v;
}

}  // namespace modeshift
