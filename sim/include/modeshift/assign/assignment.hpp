#pragma once
/// Static user-equilibrium (Wardrop) traffic assignment with BPR link costs: Frank-Wolfe,
/// conjugate and bi-conjugate Frank-Wolfe (Mitradjieva & Lindberg 2013, Transportation
/// Science 47(2):280-293). All-or-nothing loads run in parallel over origins with a
/// deterministic reduction, so results are bit-identical for any thread count.
/// Definitions (relative gap, objective, generalized cost): docs/assignment.md.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/network/network.hpp"

namespace modeshift {

/// The equilibrium algorithm.
enum class AssignAlgorithm : std::uint8_t {
    FrankWolfe,
    ConjugateFrankWolfe,
    BiconjugateFrankWolfe
};
/// "fw", "cfw", "bfw".
std::string_view algorithm_name(AssignAlgorithm a);
std::optional<AssignAlgorithm> parse_algorithm(std::string_view s);

/// What a route costs: BPR travel time only, or time plus toll and distance terms.
enum class AssignCost : std::uint8_t { Time, Generalized };

/// Weights of the generalized cost, in seconds. Defaults: the Chicago Sketch definition of the
/// TransportationNetworks README, cost (min) = t + 0.02 * toll (cents) + 0.04 * length (miles),
/// i.e. 1.2 s per toll unit and 2.4 s per mile.
struct GeneralizedCostWeights {
    double toll_s_per_unit = 0.02 * 60.0;
    double distance_s_per_m = 0.04 * 60.0 / 1609.344;
};

struct AssignmentOptions {
    AssignAlgorithm algorithm = AssignAlgorithm::BiconjugateFrankWolfe;
    AssignCost cost = AssignCost::Time;
    GeneralizedCostWeights weights;
    double target_gap = 1e-5;  ///< stop when the relative gap is <= this
    std::uint32_t max_iterations = 10'000;
    int threads = 0;                         ///< 0 = all cores oneTBB sees
    std::string demand_origin = "<demand>";  ///< names the demand in error messages
};

struct AssignmentResult {
    std::vector<double> flow_veh;     ///< per link (LinkId index)
    std::vector<double> time_s;       ///< BPR travel time at flow_veh
    std::vector<double> cost_s;       ///< generalized (or time) cost at flow_veh
    double tstt_veh_s = 0;            ///< sum flow * cost (cost = the assigned cost)
    double tstt_time_only_veh_s = 0;  ///< sum flow * BPR time
    double sptt_veh_s = 0;            ///< sum demand * shortest-path cost at flow_veh
    double beckmann_veh_s = 0;        ///< Beckmann objective sum of integral_0^v cost
    double relative_gap = 0;          ///< (tstt - sptt) / tstt
    std::uint32_t iterations = 0;     ///< all-or-nothing loads, the initial one included
    bool converged = false;
    double wall_s = 0;
    double total_demand_veh = 0;
    std::vector<double> gap_history;  ///< relative gap at each iteration
    AssignAlgorithm algorithm = AssignAlgorithm::BiconjugateFrankWolfe;
};

/// Link cost functions t(v) = fft (1 + alpha (v / cap)^beta) plus a fixed generalized term.
class BprCosts {
  public:
    BprCosts(const Network& net, AssignCost cost, const GeneralizedCostWeights& w);
    std::size_t size() const { return fft_s_.size(); }
    /// BPR travel time (s) at flow v.
    double time_s(std::size_t l, double v) const;
    /// Cost (s) at flow v: time plus the fixed generalized term.
    double cost_s(std::size_t l, double v) const { return time_s(l, v) + fixed_s_[l]; }
    /// d cost / d v.
    double slope(std::size_t l, double v) const;
    /// Beckmann term: integral of cost from 0 to v (veh s).
    double integral(std::size_t l, double v) const;

  private:
    std::vector<double> fft_s_, alpha_, beta_, cap_, fixed_s_;
};

/// Solves the user equilibrium for the zone-to-zone demand `od_veh` (row-major, zone_count^2,
/// zone i loaded at net.zone(i).centroid). Throws InputError (file = opt.demand_origin) for a
/// wrongly sized matrix, negative or non-finite demand or an OD pair without a path.
AssignmentResult assign_user_equilibrium(const Network& net, std::span<const double> od_veh,
                                         const AssignmentOptions& opt);

}  // namespace modeshift
