#pragma once
/// Matching ETRI signals to a network: each junction to the nearest road node within a distance,
/// each of the node's incoming road links to the plan's approach with the closest arrival heading.
/// The result is the rows of a matched-plans file (traffic/real_signals.hpp).
#include <string>
#include <vector>

#include "modeshift/import_etri/etri.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/traffic/real_signals.hpp"

namespace modeshift::etri {

struct MatchOptions {
    /// A junction matches the nearest road node within this distance. 50 m: on the bundled
    /// Daejeon network the matched junctions lie 1-41 m from their node (ETRI joins a large
    /// junction's nodes into one cluster at its centre; BIS link ends are 5 m snapped), the
    /// nearest unmatched one 68 m (mid-block crossings and side-street junctions the BIS skeleton
    /// has no node for).
    double max_node_m = 50;
    /// An approach matches the plan's incoming edge whose arrival heading is closest, within this.
    double max_heading_deg = 30;
    /// Headings are taken over this much of each approach before the junction: BIS link ends are
    /// often snapped to a node point a few tens of metres off the road's line, and ETRI cuts
    /// incoming edges at the border of a joined junction, so the last metres do not tell.
    double heading_reach_m = 100;
};

struct MatchReport {
    std::size_t signals = 0, junctions = 0, approaches = 0;
    std::size_t approaches_unmatched = 0;  ///< network approaches of matched junctions without one
    std::vector<std::string> lines;        ///< what was matched and why the rest was not
};

/// Rows in crossNo order: per matched approach one row per period of the day; per junction or
/// approach that did not match one row with an empty link and the reason in `note`.
std::vector<RealApproachTiming> match_signals(const EtriData& d, const Network& net,
                                              const MatchOptions& opt, MatchReport* report);

/// The '#' lines of a matched-plans file: what made it, the rules, the counts (no paths, so the
/// file does not depend on where the inputs were).
std::vector<std::string> matched_file_preamble(const MatchReport& report, const MatchOptions& opt,
                                               const std::string& network_name);

}  // namespace modeshift::etri
