#include <gtest/gtest.h>

#include "modeshift/record/replay.hpp"
#include "record_fixture.hpp"

using namespace modeshift;
using namespace modeshift::test;

namespace {

RunFile run_with(const Network& net, std::vector<Traversal> trav) {
    const auto types = vehicle_types();
    RunRecorder rec;
    rec.begin(run_info(net, types, 1));
    rec.on_traversals(0, trav);
    rec.end();
    return rec.make_run_file(net, {"t", "t", 1}, CounterSeries{});
}

const VehiclePosition* find(const std::vector<VehiclePosition>& ps, std::uint32_t vehicle) {
    for (const auto& p : ps)
        if (p.vehicle == vehicle) return &p;
    return nullptr;
}

}  // namespace

TEST(Replay, PositionsExactAtLinkEndsAndMidpoints) {
    const auto net = square_network();
    const TimeMs t0 = 8 * kMsPerHour;
    const auto run = run_with(net, {{t0, t0 + 100'000, LinkId(0), VehicleId(1), 1, 1},
                                    {t0 + 100'000, t0 + 200'000, LinkId(1), VehicleId(1), 1, 1}});
    Replay rp(run);
    const auto& g = run.geometry;
    const auto a = net.node_xy(NodeId(0)), b = net.node_xy(NodeId(1)), c = net.node_xy(NodeId(2));
    std::vector<VehiclePosition> ps;
    rp.positions_at(t0, ps);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_FLOAT_EQ(ps[0].x_m, static_cast<float>(a.x_m));
    EXPECT_FLOAT_EQ(ps[0].y_m, static_cast<float>(a.y_m));
    EXPECT_EQ(ps[0].mode, Mode::Car);
    rp.positions_at(t0 + 50'000, ps);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_NEAR(ps[0].x_m, (a.x_m + b.x_m) / 2, 1e-3);
    EXPECT_NEAR(ps[0].y_m, (a.y_m + b.y_m) / 2, 1e-3);
    EXPECT_NEAR(ps[0].dir_x, 1.0f, 1e-5);  // heading east
    rp.positions_at(t0 + 100'000, ps);     // end of link 0 = start of link 1
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_NEAR(ps[0].x_m, b.x_m, 1e-3);
    EXPECT_NEAR(ps[0].y_m, b.y_m, 1e-3);
    rp.positions_at(t0 + 150'000, ps);
    EXPECT_NEAR(ps[0].y_m, (b.y_m + c.y_m) / 2, 1e-3);
    EXPECT_NEAR(ps[0].dir_y, 1.0f, 1e-5);  // heading north
    rp.positions_at(t0 + 200'000, ps);     // left its last link
    EXPECT_TRUE(ps.empty());
    rp.positions_at(t0 - 1, ps);
    EXPECT_TRUE(ps.empty());
    // Exact last point via point_on_link(1.0).
    float x, y, dx, dy;
    rp.point_on_link(1, 1.0, x, y, dx, dy);
    EXPECT_EQ(x, g.point_x_m[g.link_first[2] - 1]);
    EXPECT_EQ(y, g.point_y_m[g.link_first[2] - 1]);
}

TEST(Replay, MidpointOfBentLinkIsByLength) {
    const auto net = square_network();
    const TimeMs t0 = 8 * kMsPerHour;
    const auto run = run_with(net, {{t0, t0 + 60'000, LinkId(4), VehicleId(2), 1, 1}});
    Replay rp(run);
    const auto& g = run.geometry;
    const auto p0 = g.link_first[4];
    // Link 4 goes east then north: its length-midpoint lies on the first leg when that leg is
    // longer.
    const float leg1 =
        std::hypot(g.point_x_m[p0 + 1] - g.point_x_m[p0], g.point_y_m[p0 + 1] - g.point_y_m[p0]);
    const float leg2 = std::hypot(g.point_x_m[p0 + 2] - g.point_x_m[p0 + 1],
                                  g.point_y_m[p0 + 2] - g.point_y_m[p0 + 1]);
    std::vector<VehiclePosition> ps;
    rp.positions_at(t0 + 30'000, ps);
    ASSERT_EQ(ps.size(), 1u);
    const float half = (leg1 + leg2) / 2;
    if (half <= leg1) {
        EXPECT_NEAR(ps[0].x_m, g.point_x_m[p0] + half, 0.05);
        EXPECT_NEAR(ps[0].y_m, g.point_y_m[p0], 0.05);
    } else {
        EXPECT_NEAR(ps[0].x_m, g.point_x_m[p0 + 1], 0.05);
        EXPECT_NEAR(ps[0].y_m, g.point_y_m[p0 + 1] + (half - leg1), 0.05);
    }
}

TEST(Replay, DwellingBusStaysAtStopWithLoad) {
    const auto net = square_network();
    const auto run = run_with(net, day_traversals());
    Replay rp(run);
    std::vector<VehiclePosition> ps;
    const TimeMs dwell = 8 * kMsPerHour + 100'000;  // between its two links (30 s dwell)
    rp.positions_at(dwell, ps);
    const auto* bus = find(ps, 0);
    ASSERT_NE(bus, nullptr);
    EXPECT_EQ(bus->mode, Mode::Bus);
    EXPECT_EQ(bus->passengers, 12);
    EXPECT_FLOAT_EQ(bus->load_ratio, 12.0f / 50.0f);
    const auto b = net.node_xy(NodeId(1));
    EXPECT_NEAR(bus->x_m, b.x_m, 1e-3);
    // Cars between their two trips (gap > hold) are not drawn.
    rp.positions_at(7 * kMsPerHour + 37'123 + 400'000, ps);
    EXPECT_EQ(find(ps, 1), nullptr);
}

TEST(Replay, ManyVehiclesAllFoundAtTheirTime) {
    const auto net = square_network();
    std::vector<Traversal> trav;
    for (std::uint32_t v = 1; v <= 5000; ++v) {
        const TimeMs t = 6 * kMsPerHour + v * 997;
        trav.push_back({t, t + 250'000, LinkId(v % 4), VehicleId(v), 1, 1});
    }
    const auto run = run_with(net, trav);
    Replay rp(run);
    std::vector<VehiclePosition> ps;
    const TimeMs at = 6 * kMsPerHour + 2500 * 997;
    rp.positions_at(at, ps);
    std::size_t expected = 0;
    for (const auto& t : trav) expected += (t.enter_ms <= at && at < t.leave_ms) ? 1 : 0;
    EXPECT_EQ(ps.size(), expected);
    EXPECT_GT(expected, 200u);
}

TEST(Replay, VehiclesStuckForHoursAreDrawnInOrderWithoutPerMinuteCopies) {
    // Traversals longer than an hour go to one list checked at every frame; the frame must list the
    // same vehicles in the same (traversal) order as if every traversal sat in its minute buckets.
    const auto net = square_network();
    const TimeMs t0 = 6 * kMsPerHour;
    std::vector<Traversal> trav;
    trav.push_back({t0, t0 + 40 * kMsPerHour, LinkId(2), VehicleId(1), 1, 1});  // stuck 40 h
    for (std::uint32_t v = 2; v <= 40; ++v) {
        const TimeMs t = t0 + v * 60'000;
        trav.push_back(
            {t, t + (v % 3 == 0 ? 3 * kMsPerHour : 120'000), LinkId(v % 4), VehicleId(v), 1, 1});
    }
    const auto run = run_with(net, trav);
    Replay rp(run);
    EXPECT_EQ(rp.end_ms(), t0 + 40 * kMsPerHour);
    std::vector<VehiclePosition> ps;
    for (const TimeMs at : {t0 + 10 * 60'000 + 1, t0 + 2 * kMsPerHour, t0 + 39 * kMsPerHour}) {
        rp.positions_at(at, ps);
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < run.movements.vehicle_count(); ++i) {
            const auto b = run.movements.vehicle_first[i];
            if (run.movements.enter_ms[b] <= at && at < run.movements.leave_ms[b])
                expected.push_back(i);
        }
        std::vector<std::uint32_t> got;
        for (const auto& p : ps) got.push_back(p.vehicle);
        EXPECT_EQ(got, expected) << "at " << at;
        EXPECT_FALSE(got.empty());
    }
}

TEST(Replay, DerivedLinkTablesCountVehiclesAndSpeed) {
    const auto net = square_network();
    const TimeMs t0 = 8 * kMsPerHour;
    const auto run = run_with(net, {{t0, t0 + 89'500, LinkId(0), VehicleId(1), 1, 1},
                                    {t0, t0 + 89'500, LinkId(0), VehicleId(2), 1, 1}});
    const auto tables = derived_link_tables(run);
    ASSERT_EQ(tables.size(), 2u);
    const auto nl = run.geometry.link_count();
    EXPECT_FLOAT_EQ(tables[0].values[8 * nl + 0], 2.0f);
    EXPECT_NEAR(tables[1].values[8 * nl + 0], 895.0 / 89.5 * 3.6, 1e-3);
    EXPECT_FLOAT_EQ(tables[0].values[9 * nl + 0], 0.0f);
}
