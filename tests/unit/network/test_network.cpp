#include <gtest/gtest.h>

#include "modeshift/core/error.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/shortest_path.hpp"

using namespace modeshift;

namespace {
// 0 -> 1 -> 3 (cost 2), 0 -> 2 -> 3 (cost 3), plus a rail link 1 -> 3 (cost 0.5) for metro only.
NetworkData diamond() {
    NetworkBuilder b("diamond");
    auto n0 = b.add_node({36.30, 127.30});
    auto n1 = b.add_node({36.31, 127.30});
    auto n2 = b.add_node({36.30, 127.31});
    auto n3 = b.add_node({36.31, 127.31});
    auto link = [&](NodeId f, NodeId t, double len, ModeMask m) {
        LinkSpec s;
        s.from = f;
        s.to = t;
        s.length_m = len;
        s.speed_mps = 10;
        s.capacity_vph = 1800;
        s.modes = m;
        return b.add_link(s);
    };
    link(n0, n1, 10, kRoadModes);
    link(n1, n3, 10, kRoadModes);
    link(n0, n2, 10, kRoadModes);
    link(n2, n3, 20, kRoadModes);
    link(n1, n3, 5, mode_bit(Mode::Metro));
    return b.finish();
}
}  // namespace

TEST(Network, BuildsAdjacencyFromBoostCsr) {
    Network net(diamond());
    EXPECT_EQ(net.node_count(), 4u);
    EXPECT_EQ(net.link_count(), 5u);
    EXPECT_EQ(net.out_links(NodeId(0)).size(), 2u);
    EXPECT_EQ(net.in_links(NodeId(3)).size(), 3u);
    EXPECT_EQ(boost::num_edges(net.graph()), 5u);
    EXPECT_TRUE(net.find_link(NodeId(0), NodeId(1)).valid());
    EXPECT_FALSE(net.find_link(NodeId(3), NodeId(0)).valid());
    EXPECT_DOUBLE_EQ(net.freeflow_time_s(LinkId(0)), 1.0);
    EXPECT_GE(net.storage_pce(LinkId(0)), 1.0);
}

TEST(Network, ShortestPathRespectsModes) {
    Network net(diamond());
    std::vector<double> cost(net.link_count());
    for (std::size_t i = 0; i < cost.size(); ++i)
        cost[i] = net.freeflow_time_s(LinkId::from_index(i));
    ShortestPathWorkspace ws(net);
    ws.run(NodeId(0), cost, Mode::Car);
    EXPECT_DOUBLE_EQ(ws.dist(NodeId(3)), 2.0);
    auto path = ws.path_to(NodeId(3));
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(path[0], LinkId(0));
    EXPECT_EQ(path[1], LinkId(1));
    ws.run_all_links(NodeId(0), cost);
    EXPECT_DOUBLE_EQ(ws.dist(NodeId(3)), 1.5);  // uses the rail link
    EXPECT_EQ(ws.path_to(NodeId(3)).back(), LinkId(4));
}

TEST(Network, NonThroughNodesAreNotPassedThrough) {
    auto d = diamond();
    d.first_thru_node = 2;  // nodes 0 and 1 are zone centroids
    Network net(std::move(d));
    std::vector<double> cost(net.link_count(), 1.0);
    ShortestPathWorkspace ws(net);
    ws.run(NodeId(0), cost, Mode::Car);
    auto path = ws.path_to(NodeId(3));
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(net.to(path[0]), NodeId(2));  // may not pass through centroid 1
}

TEST(Network, ValidationNamesTheRecord) {
    auto d = diamond();
    d.links.length_m[2] = -1;
    try {
        Network net(std::move(d), "test.msnet");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "test.msnet");
        EXPECT_EQ(e.field(), "links[2].length_m");
    }
}

TEST(Network, ContentHashTracksContent) {
    Network a(diamond()), b(diamond());
    EXPECT_EQ(a.content_hash(), b.content_hash());
    auto d = diamond();
    d.links.capacity_vph[0] = 1700;
    EXPECT_NE(Network(std::move(d)).content_hash(), a.content_hash());
}

TEST(Network, EndHeadingLooksPastAKinkAtTheNode) {
    // A road heading east whose digitised geometry turns north for its last 3 m (a typical
    // snapping artefact at a junction): it still arrives heading east.
    NetworkBuilder b("kink");
    const NodeId w = b.add_node({36.35, 127.37});
    const NodeId e = b.add_node({36.35003, 127.38});
    LinkSpec s;
    s.from = w;
    s.to = e;
    s.length_m = 900;
    s.speed_mps = 10;
    s.capacity_vph = 1800;
    s.geometry = {{36.35, 127.37}, {36.35, 127.37997}, {36.35003, 127.38}};
    b.add_link(s);
    const Network net(b.finish());
    const LinkId l = LinkId(0);
    EXPECT_NEAR(net.end_heading(l, true), 0.0, 0.1);  // east, within 6 degrees
    EXPECT_NEAR(net.end_heading(l, false), 0.0, 0.01);
    // Reaching only the last metre sees the kink (about 50 degrees north of east).
    EXPECT_GT(net.end_heading(l, true, 1.0), 0.6);
}
