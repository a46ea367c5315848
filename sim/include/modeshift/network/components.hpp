#pragma once
/// Connectivity of a network under construction: the largest strongly connected component.
#include <cstddef>
#include <vector>

#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// The largest strongly connected component of the links that pass a filter.
struct StrongComponent {
    std::vector<char> nodes;  ///< per node of the network: 1 inside the component
    std::size_t links = 0;    ///< filtered links with both ends inside
};

/// Among the links with use_link[i] != 0, the strongly connected component holding the most of
/// them (a single node holds none; ties go to the component Boost numbers first).
StrongComponent largest_strong_component(const NetworkData& d, const std::vector<char>& use_link);

}  // namespace modeshift
