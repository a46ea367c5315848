#pragma once
/// Cost per tonne and the marginal-abatement-cost (MAC) curve. A measure's capital cost is
/// spread over its lifetime with the capital recovery factor at the public discount rate,
///
///   CRF(r, n)   = r (1 + r)^n / ((1 + r)^n - 1)        (1 / n when r = 0)
///   annual cost = capex x CRF + opex - revenue          (KRW per year)
///   KRW / t     = annual cost / tonnes avoided in the year,
///
/// and the MAC curve lines the measures up by KRW/t with widths = tonnes avoided.
#include <optional>
#include <string>
#include <vector>

namespace modeshift::pathway {

/// The costs of a measure (pathway file "costs"), each optional; KRW of the source's year.
struct MeasureCosts {
    std::optional<double> capex_krw;
    std::optional<int> lifetime_years;  ///< required with capex
    std::optional<double> opex_krw_per_year;
    std::optional<double> revenue_krw_per_year;
    std::string capex_source, lifetime_source, opex_source, revenue_source;

    bool any() const { return capex_krw || opex_krw_per_year || revenue_krw_per_year; }
};

/// CRF(rate, years); rate >= 0, years >= 1.
double capital_recovery_factor(double rate, int years);

/// capex x CRF + opex - revenue; the missing parts count 0.
double annual_cost_krw(const MeasureCosts& c, double discount_rate);

/// KRW per tonne, or the reason there is none.
struct CostPerTonne {
    std::optional<double> krw_per_t;
    double annual_cost_krw = 0;
    double tonnes_avoided = 0;
    std::string reason;  ///< when krw_per_t is empty
};

/// None when the measure avoids no tonnes (<= 0) or its saving is not distinguishable from 0
/// over the seeds: a cost per tonne of noise would rank measures by chance.
CostPerTonne cost_per_tonne(double annual_cost_krw, double tonnes_avoided, bool distinguishable);

/// One measure for the MAC curve (tonnes in the chosen year).
struct MacInput {
    std::string id;
    bool has_costs = false;
    double annual_cost_krw = 0;
    double tonnes_avoided = 0;
    bool distinguishable = false;
};

struct MacBlock {
    std::string id;
    double krw_per_t = 0;
    double width_t = 0;           ///< tonnes avoided
    double x_from = 0, x_to = 0;  ///< cumulative tonnes at its left and right edge
};

struct MacCurve {
    std::vector<MacBlock> blocks;  ///< cheapest first (ties by id)
    struct LeftOut {
        std::string id, reason;
    };
    std::vector<LeftOut> left_out;  ///< no costs, no saving, or not distinguishable
};

MacCurve mac_curve(const std::vector<MacInput>& measures);

}  // namespace modeshift::pathway
