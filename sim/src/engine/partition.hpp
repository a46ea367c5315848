#pragma once
/// Spatial partitioning of the network for the conservative parallel engine (internal).
#include <cstdint>
#include <vector>

#include "modeshift/core/time.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift::engine_detail {

/// Node -> partition, plus the synchronisation window the cut allows.
struct Partitioning {
    std::vector<std::uint16_t> node_part;  ///< indexed by node
    std::uint32_t parts = 1;
    /// Minimum latency (ms) of any interaction across a cut link: min over cut links of
    /// min(free-flow time, length / backward wave speed), capped at max_window_ms.
    TimeMs window_ms = 0;
};

/// Latency of a link in ms: the earliest any effect can cross it (a vehicle needs the
/// free-flow time, freed space needs length / backward wave speed).
TimeMs link_latency_ms(const Network& net, LinkId l, double backward_wave_speed_mps);

/// Partitions the nodes into `parts` spatially compact groups. Links whose latency is below a
/// threshold are never cut (their end nodes are contracted first), so the window stays long.
/// Groups are balanced by node weight: 1 + degree + `node_load[v]` (expected work at the node,
/// e.g. planned link exits; empty = none), so a busy centre is split finer than the suburbs.
/// Depends only on the network and the arguments: never on the thread count.
Partitioning partition_network(const Network& net, std::uint32_t parts,
                               double backward_wave_speed_mps, TimeMs max_window_ms,
                               const std::vector<double>& node_load = {});

/// Default partition count for a network: enough for load balance on a few cores.
std::uint32_t default_partitions(const Network& net);

}  // namespace modeshift::engine_detail
