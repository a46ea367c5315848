#include "modeshift/pathway/abatement_cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"

namespace modeshift::pathway {

double capital_recovery_factor(double rate, int years) {
    MS_ASSERT(rate >= 0 && years >= 1, "CRF needs rate >= 0 and at least one year");
    if (rate == 0) return 1.0 / years;
    const double g = std::pow(1 + rate, years);
    return rate * g / (g - 1);
}

double annual_cost_krw(const MeasureCosts& c, double discount_rate) {
    double cost = 0;
    if (c.capex_krw) {
        MS_ASSERT(c.lifetime_years.has_value(), "a capital cost comes with a lifetime");
        cost += *c.capex_krw * capital_recovery_factor(discount_rate, *c.lifetime_years);
    }
    return cost + c.opex_krw_per_year.value_or(0) - c.revenue_krw_per_year.value_or(0);
}

CostPerTonne cost_per_tonne(double annual_cost_krw, double tonnes_avoided, bool distinguishable) {
    CostPerTonne r;
    r.annual_cost_krw = annual_cost_krw;
    r.tonnes_avoided = tonnes_avoided;
    if (tonnes_avoided <= 0)
        r.reason = fmt::format("avoids no CO2 ({:.1f} t): no cost per tonne", tonnes_avoided);
    else if (!distinguishable)
        r.reason = "the saving is not distinguishable from 0 over the seeds: no cost per tonne";
    else
        r.krw_per_t = annual_cost_krw / tonnes_avoided;
    return r;
}

MacCurve mac_curve(const std::vector<MacInput>& measures) {
    MacCurve curve;
    for (const MacInput& m : measures) {
        if (!m.has_costs) {
            curve.left_out.push_back({m.id, "no cost source"});
            continue;
        }
        const CostPerTonne c =
            cost_per_tonne(m.annual_cost_krw, m.tonnes_avoided, m.distinguishable);
        if (!c.krw_per_t) {
            curve.left_out.push_back({m.id, c.reason});
            continue;
        }
        curve.blocks.push_back({m.id, *c.krw_per_t, m.tonnes_avoided, 0, 0});
    }
    std::sort(curve.blocks.begin(), curve.blocks.end(), [](const MacBlock& a, const MacBlock& b) {
        return a.krw_per_t != b.krw_per_t ? a.krw_per_t < b.krw_per_t : a.id < b.id;
    });
    double x = 0;
    for (MacBlock& b : curve.blocks) {
        b.x_from = x;
        x += b.width_t;
        b.x_to = x;
    }
    return curve;
}

}  // namespace modeshift::pathway
