#pragma once
/// Road traffic rules a scenario applies to its network: running speeds between junctions
/// (HCM 2010 urban-street free-flow speed instead of the posted limit) and fixed-time signal
/// plans at signalised junctions. Every number comes from a data file with sources
/// (scenarios/data/road_traffic.json).
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/network/network.hpp"
#include "modeshift/traffic/real_signals.hpp"
#include "modeshift/travel_plan/signal_plan.hpp"

namespace modeshift {

struct RunningSpeedParams {
    bool enabled = false;
    double base_mph = 25.6;             ///< HCM 2010 Eq. 17-1 constant
    double limit_coef = 0.47;           ///< HCM 2010 Eq. 17-1 speed-limit coefficient
    double cross_section_mph = 0;       ///< f_CS, HCM 2010 Eq. 17-2
    double access_points_per_mile = 0;  ///< D_a (both sides), for f_A = -0.078 D_a / N_th
    double length_coef = 4.7;           ///< HCM 2010 Eq. 17-3
    double max_posted_kmh = 60;         ///< urban streets only (HCM ch. 17 scope)
};

struct TimeOfDayParams {
    std::string name;
    std::vector<std::pair<double, double>>
        windows_h;  ///< [begin, end) hours of the day; may wrap midnight
    std::vector<std::pair<RoadClass, double>> cycle_s;  ///< cycle by the junction's major class
};

struct SignalParams {
    bool enabled = false;
    int min_neighbours = 3;                ///< a junction joins at least this many road nodes
    std::vector<RoadClass> major_classes;  ///< the rule signalises junctions on these roads
    std::vector<std::pair<RoadClass, double>> cycle_s;  ///< cycle by the junction's major class
    double lost_time_per_phase_s = 4;
    int phases_per_axis = 2;         ///< through + protected left turn
    double left_phase_share = 0.25;  ///< share of an axis' green taken by its left-turn phase
    double min_green_s = 15;
    /// Neighbouring junctions' cycles differ by at least this share (0 = one cycle per road class).
    double cycle_spread = 0;
    /// Seed of the junctions' offsets (not known; drawn per junction).
    std::uint64_t offset_seed = 0x5167a1;
    /// Time-of-day plans (night, shoulder, ...): other cycle lengths, the same split rule, in
    /// their windows of the day; the day plan runs the rest of the day.
    std::vector<TimeOfDayParams> time_of_day;
    /// Real plans matched to the network's junctions (the file named by "real_plans", read with
    /// the rules); they replace the rule's timings on the approaches the network has.
    std::vector<RealApproachTiming> real_plans;
    std::string real_plans_file;
};

struct RoadTrafficParams {
    RunningSpeedParams running;
    SignalParams signals;
    /// Speed at which space freed at a link's downstream end reaches its upstream end (the
    /// congested branch of the fundamental diagram); 0 = the engine's default.
    double backward_wave_kmh = 0;
    std::string source_file;
};

/// Loads the rules; InputError names the file, JSON path and field.
RoadTrafficParams load_road_traffic(const std::filesystem::path& file);

/// Sets freeflow_time_s of urban road links from the HCM 2010 free-flow speed. Returns the
/// number of links changed.
std::size_t apply_running_speeds(NetworkData& d, const RunningSpeedParams& p);

struct SignalPlanStats {
    std::size_t signalised_nodes = 0;
    std::size_t signalised_approaches = 0;
    double mean_cycle_s = 0;
    double mean_green_ratio = 0;  ///< mean g/C over signalised approaches
    std::vector<std::pair<std::string, double>> time_of_day_mean_cycle_s;  ///< per time-of-day plan
    RealPlanUse real;  ///< where real plans run (empty cross_no_of_link: none given)
};

/// Fixed-time plans for the network's signalised junctions: nodes marked NodeControl::Signal,
/// plus, for NodeControl::Unknown, the rule of `p`. Deterministic (offsets from the node index).
/// Approaches with a real plan in `p.real_plans` run it instead (apply_real_plans).
SignalPlan build_signal_plan(const Network& net, const SignalParams& p,
                             SignalPlanStats* stats = nullptr);

/// signals.csv: one row per signalised approach (link, junction node, road name, then cycle,
/// green start and green in seconds of the day plan and of each time-of-day plan, then `plan`:
/// "rule" or "real <crossNo>" from `stats`), so planners can see and check the timings the run
/// used. Written atomically.
void write_signal_plan_csv(const std::filesystem::path& path, const SignalPlan& plan,
                           const Network& net, const SignalPlanStats* stats = nullptr);

/// Extends the green of the signalised ends of `links` by `extension_s` (capped at the cycle).
/// buses_only: only the bus lanes' timing (bus priority; the plan gains a bus-lane timing).
/// Otherwise the extra green is taken from the start of the crossing approaches' green at the
/// same junction (never below `min_green_s`). Returns the approaches changed.
std::size_t extend_green(SignalPlan& plan, const Network& net,
                         const std::vector<std::uint32_t>& links, double extension_s,
                         bool buses_only, double min_green_s);

}  // namespace modeshift
