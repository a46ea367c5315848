#include "modeshift/assign/assignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "modeshift/assign/all_or_nothing.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/threads.hpp"

namespace modeshift {

std::string_view algorithm_name(AssignAlgorithm a) {
    constexpr std::string_view kNames[] = {"fw", "cfw", "bfw"};  // in enum order
    const auto i = static_cast<std::size_t>(a);
    return i < std::size(kNames) ? kNames[i] : "unknown";
}

std::optional<AssignAlgorithm> parse_algorithm(std::string_view s) {
    if (s == "fw") return AssignAlgorithm::FrankWolfe;
    if (s == "cfw") return AssignAlgorithm::ConjugateFrankWolfe;
    if (s == "bfw") return AssignAlgorithm::BiconjugateFrankWolfe;
    return std::nullopt;
}

namespace {

/// Largest weight of the previous target in the conjugate combination; below 1 so the new
/// all-or-nothing point always contributes (Mitradjieva & Lindberg 2013, sec. 3: alpha <= 1 -
/// delta).
constexpr double kMaxConjugateWeight = 1.0 - 1e-5;

constexpr std::uint32_t kMaxIterations = 1'000'000;

void check_demand(const Network& net, std::span<const double> od, const std::string& origin) {
    const std::size_t z = net.zone_count();
    if (z == 0) throw InputError(origin, 0, "zones", "the network has no zones to load demand at");
    if (od.size() != z * z)
        throw InputError(origin, 0, "zones",
                         fmt::format("demand matrix has {} cells, the network's {} zones need {}",
                                     od.size(), z, z * z));
    for (std::size_t i = 0; i < od.size(); ++i)
        if (!std::isfinite(od[i]) || od[i] < 0)
            throw InputError(
                origin, 0,
                fmt::format("origin {} destination {}", net.zone(ZoneId::from_index(i / z)).code,
                            net.zone(ZoneId::from_index(i % z)).code),
                "demand must be a finite number >= 0");
}

/// Every number of the options in its range, before any work: the command line may hand over
/// anything its parser accepts.
void check_options(const AssignmentOptions& opt) {
    const auto bad = [](const char* option, const std::string& message) {
        throw InputError("<command line>", 0, option, message);
    };
    // The relative gap (TSTT - SPTT) / TSTT lies in [0, 1]: a target of 1 or more stops at once.
    if (!(opt.target_gap >= 0 && opt.target_gap < 1))
        bad("--gap", fmt::format("{} is not a relative gap: must be in [0, 1)", opt.target_gap));
    // The gap history keeps one number per iteration: a million is 8 MB, and FW on the largest
    // TNTP networks needs far fewer.
    if (opt.max_iterations < 1 || opt.max_iterations > kMaxIterations)
        bad("--max-iter",
            fmt::format("{} iterations: must be 1 to {}", opt.max_iterations, kMaxIterations));
    const auto& w = opt.weights;
    if (!(std::isfinite(w.toll_s_per_unit) && w.toll_s_per_unit >= 0))
        bad("--toll-s", "must be a finite number >= 0");
    if (!(std::isfinite(w.distance_s_per_m) && w.distance_s_per_m >= 0))
        bad("--distance-s-per-km", "must be a finite number >= 0");
    checked_thread_count(opt.threads, "--threads");
}

/// The iterate and the search history of the conjugate methods.
class Solver {
  public:
    Solver(const Network& net, std::span<const double> od, const AssignmentOptions& opt)
        : opt_(opt),
          costs_(net, opt.cost, opt.weights),
          aon_(net, od, opt.threads, opt.demand_origin),
          n_(net.link_count()) {}

    AssignmentResult run();

  private:
    void update_costs();
    /// Target point s_k of the search direction d = s - x (FW, CFW or BFW).
    void choose_target();
    void conjugate_target();
    void biconjugate_target();
    /// Step length in [0, 1] minimising the Beckmann objective along x + tau (s - x).
    double line_search() const;
    double directional_derivative(double tau) const;

    const AssignmentOptions& opt_;
    BprCosts costs_;
    AllOrNothing aon_;
    std::size_t n_;
    std::vector<double> x_, y_, s_, s_prev_, s_prev2_, cost_, hess_;
    double tau_prev_ = 1.0;
    int since_restart_ = 0;  // conjugate steps since the last plain Frank-Wolfe step
};

void Solver::update_costs() {
    for (std::size_t l = 0; l < n_; ++l) cost_[l] = costs_.cost_s(l, x_[l]);
}

double Solver::directional_derivative(double tau) const {
    double g = 0;
    for (std::size_t l = 0; l < n_; ++l) {
        const double d = s_[l] - x_[l];
        if (d != 0) g += d * costs_.cost_s(l, x_[l] + tau * d);
    }
    return g;
}

double Solver::line_search() const {
    // The Beckmann objective is convex along the segment, so its derivative is increasing:
    // bracket the root in [0, 1] and shrink it with Newton steps, bisecting when Newton leaves it.
    if (directional_derivative(0.0) >= 0) return 0.0;
    if (directional_derivative(1.0) <= 0) return 1.0;
    double lo = 0, hi = 1, tau = 0.5;
    for (int it = 0; it < 100 && hi - lo > 1e-15; ++it) {
        double g = 0, h = 0;
        for (std::size_t l = 0; l < n_; ++l) {
            const double d = s_[l] - x_[l];
            if (d == 0) continue;
            const double v = x_[l] + tau * d;
            g += d * costs_.cost_s(l, v);
            h += d * d * costs_.slope(l, v);
        }
        if (g == 0) return tau;
        (g < 0 ? lo : hi) = tau;
        const double newton = h > 0 ? tau - g / h : -1.0;
        tau = (newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
    }
    return tau;
}

void Solver::conjugate_target() {
    double num = 0, den = 0;
    for (std::size_t l = 0; l < n_; ++l) {
        const double a = (s_prev_[l] - x_[l]) * hess_[l];
        num += a * (y_[l] - x_[l]);
        den += a * (y_[l] - s_prev_[l]);
    }
    double alpha = den != 0 ? num / den : 0.0;
    alpha = std::clamp(alpha, 0.0, kMaxConjugateWeight);
    for (std::size_t l = 0; l < n_; ++l) s_[l] = alpha * s_prev_[l] + (1.0 - alpha) * y_[l];
}

void Solver::biconjugate_target() {
    // Mitradjieva & Lindberg (2013), eq. (21)-(23): directions conjugate to the two previous ones.
    const double t = tau_prev_;
    double mu_num = 0, mu_den = 0, nu_num = 0, nu_den = 0;
    for (std::size_t l = 0; l < n_; ++l) {
        const double d1 = s_prev_[l] - x_[l];
        const double d2 = t * s_prev_[l] - x_[l] + (1.0 - t) * s_prev2_[l];
        const double yx = y_[l] - x_[l];
        mu_num += d2 * hess_[l] * yx;
        mu_den += d2 * hess_[l] * (s_prev2_[l] - s_prev_[l]);
        nu_num += d1 * hess_[l] * yx;
        nu_den += d1 * hess_[l] * d1;
    }
    const double mu = mu_den != 0 ? std::max(0.0, -mu_num / mu_den) : 0.0;
    const double nu = nu_den != 0 ? std::max(0.0, -nu_num / nu_den + mu * t / (1.0 - t)) : 0.0;
    const double b0 = 1.0 / (1.0 + mu + nu), b1 = nu * b0, b2 = mu * b0;
    for (std::size_t l = 0; l < n_; ++l) s_[l] = b0 * y_[l] + b1 * s_prev_[l] + b2 * s_prev2_[l];
}

void Solver::choose_target() {
    const auto alg = opt_.algorithm;
    if (alg == AssignAlgorithm::FrankWolfe || since_restart_ == 0) {
        s_ = y_;
    } else {
        for (std::size_t l = 0; l < n_; ++l) hess_[l] = costs_.slope(l, x_[l]);
        if (alg == AssignAlgorithm::ConjugateFrankWolfe || since_restart_ == 1)
            conjugate_target();
        else
            biconjugate_target();
        // A conjugate combination that is not a descent direction falls back to Frank-Wolfe.
        if (directional_derivative(0.0) >= 0) {
            s_ = y_;
            since_restart_ = 0;
        }
    }
}

AssignmentResult Solver::run() {
    const auto t0 = std::chrono::steady_clock::now();
    AssignmentResult r;
    r.algorithm = opt_.algorithm;
    x_.assign(n_, 0.0);
    cost_.assign(n_, 0.0);
    hess_.assign(n_, 0.0);
    update_costs();
    aon_.load(cost_, x_);  // free-flow all-or-nothing start
    for (;;) {
        update_costs();
        const double sptt = aon_.load(cost_, y_);
        double tstt = 0;
        for (std::size_t l = 0; l < n_; ++l) tstt += x_[l] * cost_[l];
        r.relative_gap = tstt > 0 ? (tstt - sptt) / tstt : 0.0;
        r.tstt_veh_s = tstt;
        r.sptt_veh_s = sptt;
        r.gap_history.push_back(r.relative_gap);
        ++r.iterations;
        r.converged = r.relative_gap <= opt_.target_gap;
        if (r.converged || r.iterations >= opt_.max_iterations) break;
        choose_target();
        const double tau = line_search();
        for (std::size_t l = 0; l < n_; ++l) x_[l] += tau * (s_[l] - x_[l]);
        // A full or a null step leaves nothing to be conjugate to: restart with Frank-Wolfe.
        if (tau >= 1.0 || tau <= 0.0) {
            since_restart_ = 0;
        } else {
            s_prev2_ = std::move(s_prev_);
            s_prev_ = s_;
            tau_prev_ = tau;
            ++since_restart_;
        }
    }
    r.flow_veh = x_;
    r.cost_s = cost_;
    r.time_s.resize(n_);
    for (std::size_t l = 0; l < n_; ++l) {
        r.time_s[l] = costs_.time_s(l, x_[l]);
        r.tstt_time_only_veh_s += x_[l] * r.time_s[l];
        r.beckmann_veh_s += costs_.integral(l, x_[l]);
    }
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

}  // namespace

AssignmentResult assign_user_equilibrium(const Network& net, std::span<const double> od_veh,
                                         const AssignmentOptions& opt) {
    check_options(opt);
    check_demand(net, od_veh, opt.demand_origin);
    Solver solver(net, od_veh, opt);
    AssignmentResult r = solver.run();
    for (double v : od_veh) r.total_demand_veh += v;
    return r;
}

}  // namespace modeshift
