#pragma once
/// Real signal plans matched to a network's junctions (a matched-plans file such as
/// networks/daejeon/signals_etri.csv, written by `modeshift import etri-signals`): one row per
/// matched approach and period of the day, plus one row per junction or approach that did not
/// match, saying why. build_signal_plan runs these plans where the network has the link and the
/// rule everywhere else.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/network/network.hpp"
#include "modeshift/travel_plan/signal_plan.hpp"

namespace modeshift {

/// One approach's timing in one period, in seconds: green is [green_begin_s, green_begin_s +
/// green_s) modulo cycle_s, measured from midnight (the controller's cycle runs from the offset).
/// The ETRI importer computes it (import_etri/etri.hpp), a matched-plans row carries it.
struct ApproachTiming {
    double start_s = 0;  ///< the period's start, seconds after midnight (0: default plan)
    std::string schedule;
    double cycle_s = 0, green_begin_s = 0, green_s = 0;
    double green2_begin_s = 0, green2_s = 0;  ///< the second-longest green run (0 s: none)
    int stages = 0;  ///< green stages of the schedule (phases with a G or g light, merged when
                     ///< consecutive phases keep the same movements green)
};

/// A row of a matched-plans file: where the approach matched (or why not) and its timing.
struct RealApproachTiming : ApproachTiming {
    std::string cross_no;               ///< the police junction number (crossNo)
    std::string cross_name;             ///< its Korean name
    std::string source_node;            ///< the junction's node id in the source data
    double node_lat = 0, node_lon = 0;  ///< the matched network node (0, 0 when not matched)
    double match_m = -1;                ///< junction to network node distance (-1: none near)
    std::string link;         ///< external id of the network link entering it (empty: unmatched)
    std::string link_class;   ///< the link's road class (primary, secondary, ...)
    std::string source_edge;  ///< the source's incoming edge
    double heading_diff_deg = -1;  ///< between the two approaches' arrival headings
    std::string movement;          ///< the movement whose lights are the approach's: through, left
    std::string note;              ///< why not matched (rows with an empty link)
    std::uint64_t line = 0;        ///< where read
    bool matched() const { return !link.empty(); }
};

/// Reads a matched-plans file ('#' lines before the header say where it came from). InputError
/// names file, line and column.
std::vector<RealApproachTiming> read_real_signals(const std::filesystem::path& path);

/// Writes rows (in the given order) atomically after the `#` lines of `preamble`.
void write_real_signals(const std::filesystem::path& path,
                        const std::vector<RealApproachTiming>& rows,
                        const std::vector<std::string>& preamble);

struct RealPlanUse {
    std::size_t junctions = 0;  ///< network nodes running a real plan
    std::size_t approaches = 0;
    std::size_t rows_without_link = 0;  ///< matched rows whose link this network does not have
    /// By link: the crossNo of the real plan it runs, empty for the rule's (or no) signal.
    std::vector<std::string> cross_no_of_link;
};

/// Replaces the timings of `plan` (the rule's day plan and time-of-day plans) on every link of
/// `rows` that `net` has (by external id) with the real plan's. The day is cut at every real
/// switch time and every window edge of the rule's plans; the plan at noon becomes the day plan
/// and every other part of the day with different timings a time-of-day plan named after the
/// rule's plan it lies in and its start ("day_0700", "night_2300", ...). Without a usable row the
/// plan is left as it is.
RealPlanUse apply_real_plans(SignalPlan& plan, const Network& net,
                             const std::vector<RealApproachTiming>& rows);

}  // namespace modeshift
