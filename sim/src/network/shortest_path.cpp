#include "modeshift/network/shortest_path.hpp"

#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <boost/property_map/function_property_map.hpp>

#include <algorithm>

namespace modeshift {

ShortestPathWorkspace::ShortestPathWorkspace(const Network& net)
    : net_(&net), dist_(net.node_count(), kUnreachable), pred_(net.node_count()) {}

namespace {
/// Records the link by which each vertex was last relaxed (parallel links make vertex
/// predecessors ambiguous, so we keep link predecessors).
struct PredLinkRecorder : boost::default_dijkstra_visitor {
    std::vector<LinkId>* pred;
    template <class Edge, class Graph>
    void edge_relaxed(const Edge& e, const Graph& g) {
        (*pred)[boost::target(e, g)] = LinkId(g[e].link);
    }
};
}  // namespace

void ShortestPathWorkspace::run(NodeId source, std::span<const double> link_cost, Mode mode) {
    run_impl(source, link_cost, mode_bit(mode));
}

void ShortestPathWorkspace::run_all_links(NodeId source, std::span<const double> link_cost) {
    run_impl(source, link_cost, 0);
}

void ShortestPathWorkspace::run_impl(NodeId source, std::span<const double> link_cost,
                                     ModeMask required) {
    const Network& net = *net_;
    const RoadGraph& g = net.graph();
    source_ = source;
    std::fill(dist_.begin(), dist_.end(), kUnreachable);
    std::fill(pred_.begin(), pred_.end(), LinkId{});
    dist_[source.index()] = 0.0;

    const auto& modes = net.data().links.modes;
    const std::uint32_t first_thru = net.data().first_thru_node;
    const std::uint32_t src = source.value();
    auto weight = boost::make_function_property_map<RoadGraph::edge_descriptor, double>(
        [&](const RoadGraph::edge_descriptor& e) {
            const std::uint32_t l = g[e].link;
            if (required != 0 && (modes[l] & required) == 0) return kUnreachable;
            const std::uint32_t u = static_cast<std::uint32_t>(boost::source(e, g));
            if (u != src && u < first_thru)
                return kUnreachable;  // zone centroids are not through nodes
            return link_cost[l];
        });
    PredLinkRecorder vis;
    vis.pred = &pred_;
    boost::dijkstra_shortest_paths_no_color_map_no_init(
        g, src, boost::dummy_property_map(), dist_.data(), weight,
        boost::get(boost::vertex_index, g), std::less<double>(),
        boost::closed_plus<double>(kUnreachable), kUnreachable, 0.0, vis);
}

std::vector<LinkId> ShortestPathWorkspace::path_to(NodeId target) const {
    std::vector<LinkId> path;
    if (dist_[target.index()] == kUnreachable) return path;
    NodeId n = target;
    while (n != source_) {
        const LinkId l = pred_[n.index()];
        if (!l.valid()) return {};
        path.push_back(l);
        n = net_->from(l);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace modeshift
