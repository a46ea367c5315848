#include "modeshift/pathway/attribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"

namespace modeshift::pathway {

const char* wedge_method_name(WedgeMethod m) {
    // In the order of the enum.
    static constexpr const char* kNames[] = {"scaled leave-one-out",
                                             "split by |leave-one-out| shares", "split equally"};
    return kNames[static_cast<int>(m)];
}

namespace {

void flag(Wedges& w, std::string note) {
    w.flagged = true;
    w.note = std::move(note);
}

/// The fallback when the leave-one-out effects cannot be scaled: the total split by the
/// sizes of the effects, or equally when they are all about 0.
void split_total(Wedges& w, double sum_abs, double tol, const std::string& why) {
    const std::size_t n = w.loo.size();
    w.scale = 0;
    if (sum_abs > tol) {
        w.method = WedgeMethod::AbsoluteShares;
        for (std::size_t k = 0; k < n; ++k) w.wedge[k] = w.total * std::abs(w.loo[k]) / sum_abs;
    } else {
        w.method = WedgeMethod::EqualShares;
        for (std::size_t k = 0; k < n; ++k) w.wedge[k] = w.total / double(n);
    }
    flag(w, fmt::format("{}: the plan's saving ({:.6g}) is {}", why, w.total,
                        wedge_method_name(w.method)));
}

}  // namespace

Wedges attribute(double bau, double plan, const std::vector<double>& plan_without) {
    Wedges w;
    const std::size_t n = plan_without.size();
    w.total = bau - plan;
    w.loo.resize(n);
    w.wedge.assign(n, 0.0);
    double sum_abs = 0;
    for (std::size_t k = 0; k < n; ++k) {
        w.loo[k] = plan_without[k] - plan;
        w.sum_loo += w.loo[k];
        sum_abs += std::abs(w.loo[k]);
    }
    w.interaction = w.total - w.sum_loo;
    if (n == 0) {
        w.scale = 0;
        w.note = "no measure is active";
        return w;
    }
    const double tol = kWedgeZeroTolerance * std::max(std::abs(w.total), sum_abs);
    if (std::abs(w.total) <= tol) {
        // Nothing to share out: every wedge is 0 whatever the effects were.
        w.scale = 0;
        if (sum_abs > tol)
            flag(w, fmt::format("the plan saves nothing although the leave-one-out effects add to "
                                "{:.6g}: they cancel out",
                                w.sum_loo));
    } else if (std::abs(w.sum_loo) <= tol) {
        split_total(w, sum_abs, tol, "the leave-one-out effects add to about 0");
    } else if ((w.sum_loo > 0) != (w.total > 0)) {
        split_total(w, sum_abs, tol,
                    fmt::format("the leave-one-out effects add to {:.6g}, of the other sign than "
                                "the plan's saving",
                                w.sum_loo));
    } else {
        w.scale = w.total / w.sum_loo;
        for (std::size_t k = 0; k < n; ++k) w.wedge[k] = w.loo[k] * w.scale;
        if (w.scale > kWedgeScaleFlag || w.scale < 1 / kWedgeScaleFlag)
            flag(w, fmt::format("large interaction: the leave-one-out effects are scaled by {:.3g} "
                                "to add to the plan's saving",
                                w.scale));
    }
    return w;
}

std::vector<YearValue> annual_values(const std::vector<YearValue>& simulated, int first, int last) {
    MS_ASSERT(!simulated.empty() && first <= last, "simulated years and a range");
    for (std::size_t i = 1; i < simulated.size(); ++i)
        MS_ASSERT(simulated[i].year > simulated[i - 1].year, "simulated years strictly increase");
    MS_ASSERT(simulated.front().year <= first && simulated.back().year >= last,
              fmt::format("the simulated years {}..{} cover {}..{}", simulated.front().year,
                          simulated.back().year, first, last));
    std::vector<YearValue> out;
    std::size_t i = 0;
    for (int y = first; y <= last; ++y) {
        while (simulated[i].year < y) ++i;  // simulated[i] is the first point at or after y
        if (simulated[i].year == y) {
            out.push_back({y, simulated[i].value});
            continue;
        }
        const YearValue& a = simulated[i - 1];
        const YearValue& b = simulated[i];
        const double f = double(y - a.year) / double(b.year - a.year);
        out.push_back({y, a.value + f * (b.value - a.value)});
    }
    return out;
}

double cumulative(const std::vector<YearValue>& simulated, int first, int last) {
    double sum = 0;
    for (const YearValue& v : annual_values(simulated, first, last)) sum += v.value;
    return sum;
}

}  // namespace modeshift::pathway
