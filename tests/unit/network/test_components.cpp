#include <gtest/gtest.h>

#include <vector>

#include "modeshift/network/builder.hpp"
#include "modeshift/network/components.hpp"

using namespace modeshift;

namespace {

// Nodes 0 <-> 1 <-> 2 form a cycle of four links; 3 -> 4 -> 3 a cycle of two; 5 hangs off 2.
NetworkData two_cycles() {
    NetworkBuilder b("cycles");
    std::vector<NodeId> n;
    for (int i = 0; i < 6; ++i) n.push_back(b.add_node({36.0 + 0.01 * i, 127.0}));
    auto link = [&](int f, int t) {
        LinkSpec s;
        s.from = n[static_cast<std::size_t>(f)];
        s.to = n[static_cast<std::size_t>(t)];
        s.length_m = 100;
        s.speed_mps = 10;
        s.capacity_vph = 1000;
        b.add_link(s);
    };
    link(0, 1);
    link(1, 0);
    link(1, 2);
    link(2, 1);
    link(3, 4);
    link(4, 3);
    link(2, 5);
    return b.finish();
}

}  // namespace

TEST(Components, LargestComponentCountsItsLinks) {
    const auto d = two_cycles();
    const auto c = largest_strong_component(d, std::vector<char>(d.links.size(), 1));
    EXPECT_EQ(c.links, 4u);
    EXPECT_EQ(c.nodes, (std::vector<char>{1, 1, 1, 0, 0, 0}));
}

TEST(Components, FilterDecidesWhichLinksCount) {
    const auto d = two_cycles();
    std::vector<char> use(d.links.size(), 1);
    use[1] = 0;  // 1 -> 0 closed: the first cycle shrinks to 1 <-> 2, a tie with 3 <-> 4
    const auto c = largest_strong_component(d, use);
    EXPECT_EQ(c.links, 2u);
    EXPECT_EQ(c.nodes[1], c.nodes[2]);
    EXPECT_EQ(c.nodes[3], c.nodes[4]);
    EXPECT_NE(c.nodes[1], c.nodes[3]);
    EXPECT_EQ(c.nodes[0] + c.nodes[5], 0);
}

TEST(Components, NoUsableLinkGivesAnEmptyComponent) {
    const auto d = two_cycles();
    const auto c = largest_strong_component(d, std::vector<char>(d.links.size(), 0));
    EXPECT_EQ(c.links, 0u);
    EXPECT_EQ(c.nodes.size(), d.nodes.size());
}
