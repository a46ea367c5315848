// Determinism of the parallel engine: identical results for any thread count and repeated runs.
#include <gtest/gtest.h>

#include "engine_fixtures.hpp"
#include "modeshift/core/rng.hpp"
#include "modeshift/engine/link_times.hpp"

namespace modeshift::test {
namespace {

constexpr int kGrid = 12;

/// A congested grid day: cars on Manhattan routes, a bus line on a row with riders, walkers
/// and cyclists, all drawn from the test stream.
struct Scenario {
    Network net;
    PlanSet plans;
};

Scenario make_scenario(bool two_lanes = false, double storage_pce = 12) {
    NetworkData d = grid_data(kGrid, 250, 600, storage_pce);
    // Two-lane links (same storage) get turn pockets: blocked vehicles wait aside.
    if (two_lanes) std::fill(d.links.lanes.begin(), d.links.lanes.end(), 2.0f);
    // A bus line along row 5 (west -> east), a stop at every node.
    TransitLine line;
    line.name = "grid-bus";
    line.mode = Mode::Bus;
    line.vehicle_capacity = 6;  // small: forces left-behind passengers
    line.headway_peak_s = 300;
    line.headway_offpeak_s = 600;
    line.service_start_s = 6 * 3600;
    line.service_end_s = 11 * 3600;
    for (int x = 0; x < kGrid; ++x) {
        Stop st;
        st.node = NodeId(static_cast<std::uint32_t>(5 * kGrid + x));
        line.stops.push_back(StopId(static_cast<std::uint32_t>(d.stops.size())));
        d.stops.push_back(st);
    }
    Network tmp(d);
    for (int x = 0; x + 1 < kGrid; ++x) {
        line.stop_link_pos.push_back(static_cast<std::uint32_t>(line.links.size()));
        line.links.push_back(tmp.find_link(NodeId(static_cast<std::uint32_t>(5 * kGrid + x)),
                                           NodeId(static_cast<std::uint32_t>(5 * kGrid + x + 1))));
    }
    line.stop_link_pos.push_back(static_cast<std::uint32_t>(line.links.size()));
    d.lines.push_back(line);
    Scenario s{Network(std::move(d)), {}};
    const int nodes = kGrid * kGrid;
    for (std::uint32_t i = 0; i < 6000; ++i) {
        Rng rng(11, RngPurpose::Test, i);
        const TimeMs dep = 7 * kMsPerHour + static_cast<TimeMs>(rng.below(2 * kMsPerHour));
        const int kind = static_cast<int>(rng.below(10));
        if (kind < 7) {
            const int o = static_cast<int>(rng.below(nodes)),
                      dd = static_cast<int>(rng.below(nodes));
            const auto r = grid_route(s.net, kGrid, o, dd);
            s.plans.begin_trip(AgentId(i), dep, Mode::Car, ZoneId{}, ZoneId{});
            s.plans.add_walk(50, 1.2f);
            s.plans.add_drive(0, r);
            s.plans.end_trip();
        } else if (kind < 9) {
            const auto b = static_cast<std::uint16_t>(rng.below(kGrid - 1));
            const auto a = static_cast<std::uint16_t>(b + 1 + rng.below(kGrid - 1 - b));
            s.plans.begin_trip(AgentId(i), dep, Mode::Bus, ZoneId{}, ZoneId{});
            s.plans.add_walk(static_cast<float>(rng.below(400)), 1.2f);
            s.plans.add_transit(LineId(0), b, a);
            s.plans.add_walk(100, 1.2f);
            s.plans.end_trip();
        } else {
            const int o = static_cast<int>(rng.below(nodes)),
                      dd = static_cast<int>(rng.below(nodes));
            const auto r = grid_route(s.net, kGrid, o, dd);
            s.plans.begin_trip(AgentId(i), dep, Mode::Bike, ZoneId{}, ZoneId{});
            s.plans.add_bike(0, 4.2f, 1, r);
            s.plans.end_trip();
        }
    }
    return s;
}

struct Result {
    RunStats stats;
    std::vector<TripOutcome> outcomes;
    std::vector<Traversal> traversals;
    double ltt_sample = 0;
};

/// Two-phase fixed-time signals at every grid node: east-west approaches green first, offsets
/// staggered by node so that queues start and stop at different times in every partition.
SignalPlan grid_signals(const Network& net) {
    SignalPlan plan;
    plan.general.resize(net.link_count());
    for (std::size_t l = 0; l < net.link_count(); ++l) {
        const LinkId id = LinkId::from_index(l);
        const NodeId a = net.from(id), b = net.to(id);
        const bool east_west = a.value() / kGrid == b.value() / kGrid;
        const std::int32_t offset = static_cast<std::int32_t>(b.value() % 7) * 9'000;
        plan.general[l] =
            ApproachSignal{90'000, (offset + (east_west ? 0 : 45'000)) % 90'000, 41'000};
    }
    return plan;
}

Result run_with(const Scenario& s, int threads, std::uint64_t seed = 5, bool signals = false) {
    EngineConfig cfg;
    if (signals) cfg.signals = grid_signals(s.net);
    cfg.seed = seed;
    cfg.threads = threads;
    cfg.partitions = 6;
    cfg.stuck_ms = 120 * kMsPerSecond;
    Simulation sim(s.net, test_types(), cfg);
    Recorder rec;
    LinkTravelTimes ltt;
    Observer* obs[] = {&rec, &ltt};
    Result r;
    r.stats = sim.run(s.plans, obs);
    r.outcomes = rec.outcomes(s.plans.trip_count());
    r.traversals = rec.traversals();
    r.ltt_sample = ltt.time_s(LinkId(40), 8 * kMsPerHour);
    EXPECT_TRUE(rec.ordered());
    return r;
}

void expect_same(const Result& a, const Result& b) {
    EXPECT_EQ(a.stats.event_hash, b.stats.event_hash);
    EXPECT_EQ(a.stats.events, b.stats.events);
    EXPECT_EQ(a.stats.link_events, b.stats.link_events);
    EXPECT_EQ(a.stats.trips_completed, b.stats.trips_completed);
    EXPECT_EQ(a.stats.gridlock_pushes, b.stats.gridlock_pushes);
    EXPECT_EQ(a.stats.left_behind, b.stats.left_behind);
    ASSERT_EQ(a.outcomes.size(), b.outcomes.size());
    for (std::size_t i = 0; i < a.outcomes.size(); ++i) {
        EXPECT_EQ(a.outcomes[i].arrive_ms, b.outcomes[i].arrive_ms) << i;
        EXPECT_EQ(a.outcomes[i].wait_s, b.outcomes[i].wait_s) << i;
        EXPECT_EQ(a.outcomes[i].stuck, b.outcomes[i].stuck) << i;
    }
    ASSERT_EQ(a.traversals.size(), b.traversals.size());
    for (std::size_t i = 0; i < a.traversals.size(); ++i) {
        EXPECT_EQ(a.traversals[i].leave_ms, b.traversals[i].leave_ms);
        EXPECT_EQ(a.traversals[i].vehicle, b.traversals[i].vehicle);
    }
    EXPECT_EQ(a.ltt_sample, b.ltt_sample);
}

TEST(EngineDeterminism, SameSeedTwiceGivesSameHash) {
    const Scenario s = make_scenario();
    const Result a = run_with(s, 2), b = run_with(s, 2);
    expect_same(a, b);
    EXPECT_EQ(a.stats.partitions, 6u);
    EXPECT_GT(a.stats.cross_messages, 0u);  // the partitions really interact
    EXPECT_GT(a.stats.left_behind, 0u);
    EXPECT_GT(a.stats.trips_completed, 5000u);
    EXPECT_EQ(a.stats.trips_completed + a.stats.trips_stuck, 6000u);
}

TEST(EngineDeterminism, OneTwoFourThreadsGiveIdenticalResults) {
    const Scenario s = make_scenario();
    const Result r1 = run_with(s, 1);
    const Result r2 = run_with(s, 2);
    const Result r4 = run_with(s, 4);
    expect_same(r1, r2);
    expect_same(r1, r4);
}

TEST(EngineDeterminism, OneTwoFourThreadsGiveIdenticalResultsWithSignals) {
    const Scenario s = make_scenario();
    const Result r1 = run_with(s, 1, 5, true);
    const Result r2 = run_with(s, 2, 5, true);
    const Result r4 = run_with(s, 4, 5, true);
    expect_same(r1, r2);
    expect_same(r1, r4);
    EXPECT_EQ(r1.stats.trips_completed + r1.stats.trips_stuck,
              6000u);  // every trip is accounted for
    // Red time is delay: the signalised day is slower than the uncontrolled one.
    const Result free = run_with(s, 2);
    EXPECT_NE(free.stats.event_hash, r1.stats.event_hash);
    double t_sig = 0, t_free = 0;
    for (std::size_t i = 0; i < r1.outcomes.size(); ++i) {
        if (r1.outcomes[i].mode != Mode::Car || r1.outcomes[i].stuck || free.outcomes[i].stuck)
            continue;
        t_sig += static_cast<double>(r1.outcomes[i].arrive_ms - r1.outcomes[i].depart_ms);
        t_free += static_cast<double>(free.outcomes[i].arrive_ms - free.outcomes[i].depart_ms);
    }
    EXPECT_GT(t_sig, 1.1 * t_free);
    // No car or bus leaves a link during its red, except pushes out of a gridlock (cyclists
    // ride their routes outside the vehicle queues).
    const SignalPlan plan = grid_signals(s.net);
    std::size_t in_red = 0, motor = 0;
    for (const Traversal& t : r1.traversals) {
        if (t.vehicle_type != 0 && t.vehicle_type != 2) continue;
        ++motor;
        if (!is_green(plan.general[t.link.index()], t.leave_ms)) ++in_red;
    }
    EXPECT_GT(motor, 10'000u);
    EXPECT_LE(in_red, r1.stats.gridlock_pushes);
}

TEST(EngineDeterminism, OneTwoFourThreadsGiveIdenticalResultsWithTurnPockets) {
    // Short links (4 PCE) so that next links fill up and vehicles wait for them.
    const Scenario s = make_scenario(true, 4);
    const Result r1 = run_with(s, 1, 5, true);
    const Result r2 = run_with(s, 2, 5, true);
    const Result r4 = run_with(s, 4, 5, true);
    expect_same(r1, r2);
    expect_same(r1, r4);
    EXPECT_EQ(r1.stats.trips_completed + r1.stats.trips_stuck, 6000u);
    // The pockets change the day: the same demand on one-lane links runs differently.
    const Result one_lane = run_with(make_scenario(false, 4), 2, 5, true);
    EXPECT_NE(one_lane.stats.event_hash, r1.stats.event_hash);
}

TEST(EngineDeterminism, SeedChangesIntersectionDraws) {
    const Scenario s = make_scenario();
    const Result a = run_with(s, 2, 5), b = run_with(s, 2, 6);
    EXPECT_NE(a.stats.event_hash, b.stats.event_hash);
    EXPECT_EQ(a.stats.trips_completed + a.stats.trips_stuck,
              b.stats.trips_completed + b.stats.trips_stuck);
}

TEST(EnginePartitions, SpillbackAcrossPartitionCutsIsExact) {
    // A corridor of 8 links with a bottleneck at the end: the queue spills back through every
    // partition cut. Without intersections there are no ties to order, so the conservative
    // windows must reproduce the single-partition run exactly.
    auto b = chain_builder(9);
    std::vector<LinkId> route;
    for (int i = 0; i < 8; ++i) {
        const bool last = i == 7;
        route.push_back(b.add_link(spec(i, i + 1, 300, 12, last ? 400 : 1800, last ? 6 : 40)));
    }
    const Network net(b.finish());
    PlanSet plans;
    for (std::uint32_t i = 0; i < 400; ++i) {
        plans.begin_trip(AgentId(i), 1500 * static_cast<TimeMs>(i), Mode::Car, ZoneId{}, ZoneId{});
        plans.add_drive(0, route);
        plans.end_trip();
    }
    auto run_parts = [&](std::uint32_t parts, int threads) {
        EngineConfig cfg;
        cfg.threads = threads;
        cfg.partitions = parts;
        cfg.stuck_ms = 3600 * kMsPerSecond;
        Simulation sim(net, test_types(), cfg);
        Recorder rec;
        Observer* obs[] = {&rec};
        const RunStats st = sim.run(plans, obs);
        auto tr = rec.traversals();
        std::sort(tr.begin(), tr.end(), [](const Traversal& x, const Traversal& y) {
            return std::tie(x.link, x.leave_ms, x.vehicle) <
                   std::tie(y.link, y.leave_ms, y.vehicle);
        });
        return std::make_pair(st, tr);
    };
    const auto [s1, t1] = run_parts(1, 1);
    const auto [s3, t3] = run_parts(3, 2);
    EXPECT_EQ(s3.partitions, 3u);
    EXPECT_GT(s3.cross_messages, 0u);
    EXPECT_EQ(s1.trips_completed, 400u);
    EXPECT_EQ(s3.trips_completed, 400u);
    // The queue really spilled back to the first link.
    TimeMs worst_first = 0;
    for (const auto& t : t1)
        if (t.link == route[0]) worst_first = std::max(worst_first, t.leave_ms - t.enter_ms);
    EXPECT_GT(worst_first, 120'000);
    ASSERT_EQ(t1.size(), t3.size());
    for (std::size_t i = 0; i < t1.size(); ++i) {
        EXPECT_EQ(t1[i].link, t3[i].link);
        EXPECT_EQ(t1[i].vehicle, t3[i].vehicle);
        EXPECT_EQ(t1[i].enter_ms, t3[i].enter_ms) << i;
        EXPECT_EQ(t1[i].leave_ms, t3[i].leave_ms) << i;
    }
}

}  // namespace
}  // namespace modeshift::test
