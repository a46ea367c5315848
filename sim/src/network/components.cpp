// Largest strongly connected component by Boost.Graph's Tarjan, sized by the links it holds.
#include "modeshift/network/components.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>

namespace modeshift {

StrongComponent largest_strong_component(const NetworkData& d, const std::vector<char>& use_link) {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    G g(d.nodes.size());
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (use_link[i]) boost::add_edge(d.links.from[i].index(), d.links.to[i].index(), g);
    std::vector<int> comp(d.nodes.size());
    const int n = boost::strong_components(
        g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
    // Size a component by the links inside it, not its nodes: a lone node is a component too.
    std::vector<std::size_t> links_in(static_cast<std::size_t>(n), 0);
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (use_link[i] && comp[d.links.from[i].index()] == comp[d.links.to[i].index()])
            ++links_in[static_cast<std::size_t>(comp[d.links.from[i].index()])];
    StrongComponent out;
    out.nodes.assign(d.nodes.size(), 0);
    if (links_in.empty()) return out;
    const auto best = std::max_element(links_in.begin(), links_in.end());
    out.links = *best;
    const int best_comp = static_cast<int>(best - links_in.begin());
    for (std::size_t v = 0; v < comp.size(); ++v) out.nodes[v] = comp[v] == best_comp ? 1 : 0;
    return out;
}

}  // namespace modeshift
