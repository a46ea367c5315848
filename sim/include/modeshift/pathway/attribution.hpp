#pragma once
/// Wedges: how much of the plan's saving each measure makes, by Energy Innovation's Energy
/// Policy Simulator method (EPS documentation, "Calculating Wedge Diagrams and Cost Curves",
/// docs.energypolicy.solutions/calculating-wedge-diagrams-and-cost-curves; the scaling step is
/// github.com/EnergyInnovation/eps-us issue #119, step 10, and the overlap case issue #228).
/// Each measure is tested by leaving it out of the full plan, not by adding it to BAU alone:
///
///   loo_k     = plan_without_k - plan            (its leave-one-out effect, t CO2)
///   total     = bau - plan                       (the plan's saving)
///   scale     = total / sum_k loo_k              (EPS's "package scaling factor")
///   wedge_k   = loo_k x scale                    (so sum_k wedge_k == total exactly)
///   interaction = total - sum_k loo_k
///
/// The interaction's sign: with two measures it is S_A + S_B - S_AB (S = saving of A alone, B
/// alone, both), so > 0 means the measures overlap (each one's leave-one-out effect is smaller
/// because the other already does part of its work) and < 0 means they reinforce each other.
///
/// When sum_k loo_k is about 0 or of the other sign than the total, the scale would divide by
/// about 0 or flip every wedge; the total is then split by |loo_k| shares (or equally when
/// every loo_k is about 0) and the result is flagged. The trend wedge (base-year CO2 minus BAU
/// CO2: population, fleet turnover, grid) is shown apart from the measures' wedges.
#include <string>
#include <vector>

namespace modeshift::pathway {

enum class WedgeMethod {
    Scaled,          ///< wedge_k = loo_k x total / sum loo (EPS)
    AbsoluteShares,  ///< fallback: wedge_k = total x |loo_k| / sum |loo|
    EqualShares,     ///< fallback: wedge_k = total / n (every loo_k about 0)
};

const char* wedge_method_name(WedgeMethod m);

struct Wedges {
    double total = 0;        ///< bau - plan
    double sum_loo = 0;      ///< sum of the leave-one-out effects
    double scale = 1;        ///< total / sum_loo (Scaled); 0 in a fallback
    double interaction = 0;  ///< total - sum_loo: > 0 overlap, < 0 reinforcement
    std::vector<double> loo, wedge;
    WedgeMethod method = WedgeMethod::Scaled;
    bool flagged = false;  ///< a fallback was used, or the scale is far from 1
    std::string note;      ///< why, for the report
};

/// Relative size below which a sum of effects counts as 0 (of max(|total|, sum |loo|)).
inline constexpr double kWedgeZeroTolerance = 1e-6;
/// A scale outside [1/kWedgeScaleFlag, kWedgeScaleFlag] is flagged (large interaction).
inline constexpr double kWedgeScaleFlag = 2.0;

/// The wedges of one year (or one day): CO2 of BAU, of the plan and of the plan with measure k
/// left out, all in the same unit.
Wedges attribute(double bau, double plan, const std::vector<double>& plan_without);

/// The trend wedge: what the trends alone save from the base year to this year's BAU.
inline double trend_wedge(double base_year_co2, double bau_co2) {
    return base_year_co2 - bau_co2;
}

/// A value at a simulated year.
struct YearValue {
    int year = 0;
    double value = 0;
};

/// Annual values for every calendar year first..last: linear between the simulated years
/// (which must be strictly increasing and cover first..last; InvariantError otherwise).
std::vector<YearValue> annual_values(const std::vector<YearValue>& simulated, int first, int last);

/// Cumulative tonnes first..last: the sum over every calendar year of the linearly
/// interpolated annual values (the trapezoid rule between simulated years, with each
/// calendar year counted once), e.g. 2024-2034 from runs of 2024, 2026, ..., 2034.
double cumulative(const std::vector<YearValue>& simulated, int first, int last);

}  // namespace modeshift::pathway
