#pragma once
/// One-to-all shortest paths with Boost.Graph Dijkstra over per-link costs.
/// A workspace is per thread; the network stays const and shared.
#include <limits>
#include <span>
#include <vector>

#include "modeshift/network/network.hpp"

namespace modeshift {

inline constexpr double kUnreachable = std::numeric_limits<double>::infinity();

class ShortestPathWorkspace {
  public:
    explicit ShortestPathWorkspace(const Network& net);

    /// Shortest-path tree from `source` with cost link_cost[l] (>= 0; +inf = closed), over links
    /// that allow `mode`. Links out of non-through nodes (other than the source) are not used.
    void run(NodeId source, std::span<const double> link_cost, Mode mode);
    /// Same, but no mode filter (every link allowed; used by static assignment).
    void run_all_links(NodeId source, std::span<const double> link_cost);

    double dist(NodeId n) const { return dist_[n.index()]; }
    /// Last link of the shortest path to n (invalid for the source and unreachable nodes).
    LinkId pred_link(NodeId n) const { return pred_[n.index()]; }
    /// Links from the source to `target` in travel order (empty if unreachable or target ==
    /// source).
    std::vector<LinkId> path_to(NodeId target) const;
    NodeId source() const { return source_; }
    const std::vector<double>& distances() const { return dist_; }

  private:
    void run_impl(NodeId source, std::span<const double> link_cost, ModeMask required);

    const Network* net_;
    NodeId source_;
    std::vector<double> dist_;
    std::vector<LinkId> pred_;
};

}  // namespace modeshift
