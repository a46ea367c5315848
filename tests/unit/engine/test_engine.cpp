// Behaviour of the mesoscopic engine on small networks whose answers are known in closed form.
#include <gtest/gtest.h>

#include "engine_fixtures.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/engine/link_times.hpp"

namespace modeshift::test {
namespace {

EngineConfig base_config() {
    EngineConfig c;
    c.seed = 7;
    c.threads = 1;
    c.partitions = 1;
    c.stuck_ms = 3600 * kMsPerSecond;
    return c;
}

RunStats run(const Network& net, const PlanSet& plans, Recorder& rec,
             EngineConfig cfg = base_config()) {
    Simulation sim(net, test_types(), cfg);
    Observer* obs[] = {&rec};
    return sim.run(plans, obs);
}

void add_car_trip(PlanSet& p, TimeMs dep, std::span<const LinkId> route) {
    p.begin_trip(AgentId(static_cast<std::uint32_t>(p.trip_count())), dep, Mode::Car, ZoneId{},
                 ZoneId{});
    p.add_drive(0, route);
    p.end_trip();
}

/// Max number of vehicles simultaneously on a link, from its traversals ([enter, leave)).
int max_occupancy(const std::vector<Traversal>& tr) {
    std::vector<std::pair<TimeMs, int>> ev;
    for (const auto& t : tr) ev.push_back({t.enter_ms, +1}), ev.push_back({t.leave_ms, -1});
    std::sort(ev.begin(), ev.end());  // a leave (-1) sorts before an enter at the same ms
    int cur = 0, best = 0;
    for (auto [t, d] : ev) best = std::max(best, cur += d);
    return best;
}

// ------------------------------------------------------------------ bottleneck

TEST(EngineBottleneck, LeavesAtCapacityRateAndDelayIsDD1) {
    auto b = chain_builder(2);
    const LinkId a = b.add_link(spec(0, 1, 1000, 10, 1800, 1000));  // free flow 100 s, 2 s headway
    const Network net(b.finish());
    PlanSet plans;
    const int n = 40;
    const LinkId route[] = {a};
    for (int i = 0; i < n; ++i)
        add_car_trip(plans, 1000 * i, route);  // 1 veh/s > 0.5 veh/s capacity
    Recorder rec;
    const RunStats st = run(net, plans, rec);
    EXPECT_EQ(st.trips_completed, static_cast<std::uint64_t>(n));
    EXPECT_EQ(st.trips_stuck, 0u);
    EXPECT_EQ(st.link_events, 2u * n);
    const auto tr = rec.on_link(a);
    ASSERT_EQ(tr.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) EXPECT_EQ(tr[i].leave_ms, 100'000 + 2'000 * i) << i;
    // D/D/1: arrival i at i s (+ free flow), service every 2 s: delay_i = i s, total = n(n-1)/2 s.
    const auto out = rec.outcomes(plans.trip_count());
    TimeMs total_delay = 0;
    for (int i = 0; i < n; ++i) total_delay += out[i].arrive_ms - out[i].depart_ms - 100'000;
    EXPECT_EQ(total_delay, 1000LL * n * (n - 1) / 2);
    EXPECT_TRUE(rec.ordered());
    EXPECT_TRUE(rec.ended());
}

TEST(EngineBottleneck, FractionalHeadwayRateIsExactOnAverage) {
    auto b = chain_builder(2);
    const LinkId a = b.add_link(spec(0, 1, 100, 10, 7000, 5000));  // 514.2857 ms headway
    const Network net(b.finish());
    PlanSet plans;
    const LinkId route[] = {a};
    for (int i = 0; i < 701; ++i) add_car_trip(plans, 0, route);
    Recorder rec;
    run(net, plans, rec);
    const auto tr = rec.on_link(a);
    ASSERT_EQ(tr.size(), 701u);
    // 700 headways of 3600/7000 s = exactly 360 s after the first exit (+ rounding up to 1 ms).
    const TimeMs span = tr.back().leave_ms - tr.front().leave_ms;
    EXPECT_GE(span, 360'000);
    EXPECT_LE(span, 360'001);
    for (std::size_t i = 1; i < tr.size(); ++i) {
        const TimeMs gap = tr[i].leave_ms - tr[i - 1].leave_ms;
        EXPECT_TRUE(gap == 514 || gap == 515) << gap;
    }
}

TEST(EngineBottleneck, SampleFractionScalesCapacity) {
    auto b = chain_builder(2);
    const LinkId a = b.add_link(spec(0, 1, 1000, 10, 1800, 1000));
    const Network net(b.finish());
    PlanSet plans;
    const LinkId route[] = {a};
    for (int i = 0; i < 10; ++i) add_car_trip(plans, 0, route);
    Recorder rec;
    EngineConfig cfg = base_config();
    cfg.sample_fraction = 0.1;  // 180 veh/h -> one every 20 s
    run(net, plans, rec, cfg);
    const auto tr = rec.on_link(a);
    ASSERT_EQ(tr.size(), 10u);
    for (std::size_t i = 1; i < tr.size(); ++i)
        EXPECT_EQ(tr[i].leave_ms - tr[i - 1].leave_ms, 20'000);
}

// ------------------------------------------------------------------ spillback

struct SpillNet {
    Network net;
    LinkId a, b, c;
};

SpillNet spill_net() {
    auto bld = chain_builder(4);
    const LinkId a = bld.add_link(spec(0, 1, 1000, 10, 3600, 200));  // 100 s, 1 s headway
    const LinkId b = bld.add_link(spec(1, 2, 75, 7.5, 360, 5));      // 10 s, 10 s headway, 5 cars
    const LinkId c = bld.add_link(spec(2, 3, 1000, 10, 3600, 200));
    return SpillNet{Network(bld.finish()), a, b, c};
}

TEST(EngineSpillback, QueueSpillsIntoUpstreamLink) {
    const SpillNet s = spill_net();
    PlanSet plans;
    const LinkId route[] = {s.a, s.b, s.c};
    const int n = 60;
    for (int i = 0; i < n; ++i) add_car_trip(plans, 2000 * i, route);
    Recorder rec;
    const RunStats st = run(s.net, plans, rec);
    EXPECT_EQ(st.trips_completed, static_cast<std::uint64_t>(n));
    EXPECT_EQ(st.gridlock_pushes, 0u);
    const auto tb = rec.on_link(s.b);
    const auto ta = rec.on_link(s.a);
    // The bottleneck link is full but never over its storage.
    EXPECT_EQ(max_occupancy(tb), 5);
    // It discharges at its capacity (one every 10 s) once the queue has formed.
    for (std::size_t i = 1; i < tb.size(); ++i)
        EXPECT_GE(tb[i].leave_ms - tb[i - 1].leave_ms, 10'000);
    EXPECT_EQ(tb.back().leave_ms - tb[5].leave_ms, 10'000 * (n - 6));
    // The queue spilled back: vehicles wait on the upstream link far beyond its free-flow time.
    TimeMs worst_a = 0;
    for (const auto& t : ta) worst_a = std::max(worst_a, t.leave_ms - t.enter_ms);
    EXPECT_GT(worst_a, 100'000 + 300'000);
    EXPECT_GT(max_occupancy(ta), 20);
    // The downstream link is uncongested.
    for (const auto& t : rec.on_link(s.c)) EXPECT_EQ(t.leave_ms - t.enter_ms, 100'000);
}

TEST(EngineSpillback, GridlockPushesAreCounted) {
    const SpillNet s = spill_net();
    PlanSet plans;
    const LinkId route[] = {s.a, s.b, s.c};
    for (int i = 0; i < 60; ++i) add_car_trip(plans, 2000 * i, route);
    Recorder rec;
    EngineConfig cfg = base_config();
    cfg.stuck_ms = 5 * kMsPerSecond;  // a blocked head waits at most 5 s, then is pushed
    const RunStats st = run(s.net, plans, rec, cfg);
    EXPECT_EQ(st.trips_completed, 60u);
    EXPECT_GT(st.gridlock_pushes, 0u);
    // Pushed vehicles are the only way past storage.
    EXPECT_GT(max_occupancy(rec.on_link(s.b)), 5);
}

TEST(EngineSpillback, TrueGridlockOnARingIsResolvedByPushes) {
    // Four one-car links in a ring, each car wanting to go round: nobody can move without a push.
    auto b = chain_builder(4);
    LinkId ring[4];
    for (int i = 0; i < 4; ++i) ring[i] = b.add_link(spec(i, (i + 1) % 4, 7.5, 5, 3600, 1));
    const Network net(b.finish());
    PlanSet plans;
    for (int i = 0; i < 4; ++i) {
        std::vector<LinkId> r;
        for (int k = 0; k < 5; ++k) r.push_back(ring[(i + k) % 4]);
        add_car_trip(plans, 0, r);
    }
    Recorder rec;
    EngineConfig cfg = base_config();
    cfg.stuck_ms = 10 * kMsPerSecond;
    const RunStats st = run(net, plans, rec, cfg);
    EXPECT_EQ(st.trips_completed, 4u);
    EXPECT_GT(st.gridlock_pushes, 0u);
}

// ------------------------------------------------------------------ transit

struct BusNet {
    Network net;
    LinkId l0, l1;
};

BusNet bus_net(double capacity, std::vector<double> departures_s, bool bus_lane = false,
               double car_cap = 1800) {
    auto b = chain_builder(3);
    LinkSpec s0 = spec(0, 1, 500, 10, car_cap, 100);
    s0.bus_lane = bus_lane;
    const LinkId l0 = b.add_link(s0);
    const LinkId l1 = b.add_link(spec(1, 2, 500, 10, 1800, 100));
    NetworkData d = b.finish();
    for (int i = 0; i < 3; ++i) {
        Stop st;
        st.code = "S" + std::to_string(i);
        st.node = NodeId(static_cast<std::uint32_t>(i));
        st.modes = mode_bit(Mode::Bus);
        d.stops.push_back(st);
    }
    TransitLine line;
    line.code = "B1";
    line.name = "101";
    line.mode = Mode::Bus;
    line.stops = {StopId(0), StopId(1), StopId(2)};
    line.links = {l0, l1};
    line.stop_link_pos = {0, 1, 2};
    line.vehicle_capacity = capacity;
    line.vehicle_pce = 2.5;
    line.departures_s = std::move(departures_s);
    d.lines.push_back(line);
    return BusNet{Network(std::move(d)), l0, l1};
}

void add_bus_trip(PlanSet& p, TimeMs dep, std::uint16_t board, std::uint16_t alight,
                  float walk_m = 12) {
    p.begin_trip(AgentId(static_cast<std::uint32_t>(p.trip_count())), dep, Mode::Bus, ZoneId{},
                 ZoneId{});
    p.add_walk(walk_m, 1.2f);
    p.add_transit(LineId(0), board, alight);
    p.add_walk(0, 1.2f);
    p.end_trip();
}

TEST(EngineTransit, FullBusLeavesPassengersBehindWhoBoardTheNext) {
    const BusNet bn = bus_net(2, {600, 1200, 1800});
    PlanSet plans;
    for (int i = 0; i < 5; ++i) add_bus_trip(plans, (100 + i) * 1000, 0, 2);
    Recorder rec;
    const RunStats st = run(bn.net, plans, rec);
    EXPECT_EQ(st.trips_completed, 5u);
    EXPECT_EQ(st.transit_vehicles, 3u);
    EXPECT_EQ(st.left_behind, 3u + 1u);
    EXPECT_EQ(st.boardings, 5u);
    const auto out = rec.outcomes(5);
    const int expect_lb[] = {0, 0, 1, 1, 2};
    const TimeMs board_at[] = {600, 600, 1200, 1200, 1800};
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(out[i].left_behind, expect_lb[i]) << i;
        EXPECT_EQ(out[i].boardings, 1) << i;
        EXPECT_FLOAT_EQ(out[i].wait_s, static_cast<float>(board_at[i] - (100 + i) - 10)) << i;
        EXPECT_FLOAT_EQ(out[i].walk_s, 10.0f);
        EXPECT_FLOAT_EQ(out[i].distance_m, 12.0f + 1000.0f);
    }
    // First bus: boards 2 at stop 0, dwell 10 + 2*2 s, 50 s per link, 10 s at the empty stop 1.
    EXPECT_EQ(out[0].arrive_ms, (600 + 14 + 50 + 10 + 50) * 1000);
    EXPECT_FLOAT_EQ(out[0].in_vehicle_s, 124.0f);
    std::vector<StopCall> calls = rec.stop_calls();
    std::sort(calls.begin(), calls.end(), [](const StopCall& x, const StopCall& y) {
        return std::tie(x.vehicle, x.stop_index) < std::tie(y.vehicle, y.stop_index);
    });
    ASSERT_EQ(calls.size(), 9u);
    EXPECT_EQ(calls[0].boarded, 2);
    EXPECT_EQ(calls[0].left_behind, 3);
    EXPECT_EQ(calls[0].load, 2);
    EXPECT_EQ(calls[0].depart_ms - calls[0].arrive_ms, 14'000);
    EXPECT_EQ(calls[2].alighted, 2);
    EXPECT_EQ(calls[3].left_behind, 1);
    EXPECT_EQ(calls[6].boarded, 1);
    EXPECT_EQ(calls[6].left_behind, 0);
    // Schedule = free-flow running + base dwell; the first bus is late by its boarding time.
    EXPECT_EQ(calls[1].scheduled_ms, (600 + 10 + 50) * 1000);
    EXPECT_EQ(calls[1].arrive_ms, calls[1].scheduled_ms + 4'000);
    // Buses appear in traversals with their load.
    const auto t0 = rec.on_link(bn.l0);
    ASSERT_EQ(t0.size(), 3u);
    EXPECT_EQ(t0[0].passengers, 2);
    EXPECT_EQ(t0[0].vehicle, VehicleId(0));
    EXPECT_EQ(rec.info().vehicle_line[0], LineId(0));
}

TEST(EngineTransit, PassengerWithoutServiceIsReportedStuck) {
    const BusNet bn = bus_net(1, {600});
    PlanSet plans;
    add_bus_trip(plans, 100'000, 0, 2);
    add_bus_trip(plans, 100'000, 0, 2);
    Recorder rec;
    const RunStats st = run(bn.net, plans, rec);
    EXPECT_EQ(st.trips_completed, 1u);
    EXPECT_EQ(st.trips_stuck, 1u);
    const auto out = rec.outcomes(2);
    EXPECT_TRUE(out[1].stuck);
    EXPECT_EQ(out[1].left_behind, 1);
}

TEST(EngineTransit, MetroKeepsItsTimetable) {
    auto b = chain_builder(4);
    std::vector<LinkId> track;
    for (int i = 0; i < 3; ++i) {
        LinkSpec s = spec(i, i + 1, 1500, 20, 0, -1);  // 75 s; no road capacity on track
        s.modes = mode_bit(Mode::Metro);
        s.road_class = RoadClass::Rail;
        track.push_back(b.add_link(s));
    }
    NetworkData d = b.finish();
    for (int i = 0; i < 4; ++i) {
        Stop st;
        st.node = NodeId(static_cast<std::uint32_t>(i));
        st.modes = mode_bit(Mode::Metro);
        d.stops.push_back(st);
    }
    TransitLine line;
    line.name = "1호선";
    line.mode = Mode::Metro;
    line.stops = {StopId(0), StopId(1), StopId(2), StopId(3)};
    line.links = track;
    line.stop_link_pos = {0, 1, 2, 3};
    line.vehicle_capacity = 600;
    for (int k = 0; k < 12; ++k) line.departures_s.push_back(6 * 3600 + 300 * k);
    d.lines.push_back(line);
    const Network net(std::move(d));
    PlanSet plans;
    for (int i = 0; i < 50; ++i) add_bus_trip(plans, 6 * kMsPerHour + 20'000 * i, 0, 3, 60);
    Recorder rec;
    const RunStats st = run(net, plans, rec);
    EXPECT_EQ(st.transit_vehicles, 12u);
    EXPECT_EQ(st.trips_completed, 50u);
    const auto calls = rec.stop_calls();
    ASSERT_EQ(calls.size(), 12u * 4u);
    for (const auto& c : calls) {
        EXPECT_EQ(c.arrive_ms, c.scheduled_ms)
            << "vehicle " << c.vehicle.value() << " stop " << c.stop_index;
        if (c.stop_index < 3) {
            EXPECT_EQ(c.depart_ms - c.arrive_ms, 30'000);  // fixed rail dwell
        }
    }
    const auto out = rec.outcomes(50);
    EXPECT_EQ(out[0].arrive_ms, 6 * kMsPerHour + 300'000 + 3 * 75'000 + 3 * 30'000);
}

TEST(EngineTransit, HeadwaysFollowPeakAndOffPeak) {
    auto b = chain_builder(2);
    const LinkId l = b.add_link(spec(0, 1, 500, 10, 1800, 100));
    NetworkData d = b.finish();
    for (int i = 0; i < 2; ++i) {
        Stop st;
        st.node = NodeId(static_cast<std::uint32_t>(i));
        d.stops.push_back(st);
    }
    TransitLine line;
    line.mode = Mode::Bus;
    line.stops = {StopId(0), StopId(1)};
    line.links = {l};
    line.stop_link_pos = {0, 1};
    line.service_start_s = 6 * 3600;
    line.service_end_s = 10 * 3600;
    line.headway_peak_s = 600;
    line.headway_offpeak_s = 1200;
    d.lines.push_back(line);
    TransitLine off = line;
    off.active = false;
    d.lines.push_back(off);
    const Network net(std::move(d));
    Recorder rec;
    const RunStats st = run(net, PlanSet{}, rec);
    // 6-7 h off-peak: 3; 7-9 h peak: 12; 9-10 h off-peak: 3. The inactive line runs nothing.
    EXPECT_EQ(st.transit_vehicles, 18u);
}

TEST(EngineTransit, BusLaneBypassesTheCarQueue) {
    TimeMs bus_leave[2] = {0, 0};
    for (int lane = 0; lane < 2; ++lane) {
        const BusNet bn = bus_net(80, {30}, lane == 1, 360);  // cars: one per 10 s on l0
        PlanSet plans;
        const LinkId route[] = {bn.l0, bn.l1};
        for (int i = 0; i < 20; ++i) add_car_trip(plans, 1000 * i, route);
        Recorder rec;
        run(bn.net, plans, rec);
        for (const auto& t : rec.on_link(bn.l0))
            if (t.vehicle == VehicleId(0)) bus_leave[lane] = t.leave_ms;
    }
    // Bus enters l0 at 40 s (30 s + 10 s dwell) and needs 50 s: with its lane it is not delayed.
    EXPECT_EQ(bus_leave[1], 90'000);
    EXPECT_GE(bus_leave[0], 50'000 + 20 * 10'000);
}

// ------------------------------------------------------------------ walk and bike

TEST(EngineActive, WalkAndBikeTiming) {
    auto b = chain_builder(3);
    const LinkId l0 = b.add_link(spec(0, 1, 400, 10, 1800, 100));
    LinkSpec s1 = spec(1, 2, 460, 10, 1800, 100);
    s1.bike_lane = true;
    const LinkId l1 = b.add_link(s1);
    const Network net(b.finish());
    PlanSet plans;
    plans.begin_trip(AgentId(0), 1000, Mode::Walk, ZoneId{}, ZoneId{});
    plans.add_walk(120, 1.2f);
    plans.end_trip();
    plans.begin_trip(AgentId(1), 2000, Mode::Bike, ZoneId{}, ZoneId{});
    const LinkId route[] = {l0, l1};
    plans.add_bike(0, 4.0f, 1, route);
    plans.end_trip();
    plans.begin_trip(AgentId(2), 3000, Mode::Walk, ZoneId{}, ZoneId{});
    plans.add_walk(0, 0.0f, route);  // config walk speed 1.2 m/s, no bike-lane bonus
    plans.end_trip();
    Recorder rec;
    EngineConfig cfg = base_config();
    cfg.bike_lane_speed_factor = 1.15;
    const RunStats st = run(net, plans, rec, cfg);
    EXPECT_EQ(st.trips_completed, 3u);
    const auto out = rec.outcomes(3);
    EXPECT_EQ(out[0].arrive_ms, 101'000);
    EXPECT_FLOAT_EQ(out[0].walk_s, 100.0f);
    EXPECT_FLOAT_EQ(out[0].distance_m, 120.0f);
    EXPECT_EQ(out[1].arrive_ms, 2000 + 100'000 + 100'000);  // 460 m at 4 x 1.15 m/s = 100 s
    EXPECT_FLOAT_EQ(out[1].bike_s, 200.0f);
    EXPECT_FLOAT_EQ(out[1].distance_m, 860.0f);
    EXPECT_EQ(out[2].arrive_ms, 3000 + seconds_to_ms(400 / 1.2) + seconds_to_ms(460 / 1.2));
    const auto bikes = rec.traversals();
    ASSERT_EQ(bikes.size(), 2u);  // walkers are not vehicles
    EXPECT_EQ(bikes[0].link, l0);
    EXPECT_EQ(bikes[0].vehicle_type, 1);
    EXPECT_EQ(bikes[0].leave_ms, 102'000);
    EXPECT_EQ(bikes[1].enter_ms, 102'000);
    EXPECT_EQ(rec.info().vehicle_trip[bikes[0].vehicle.index()], TripId(1));
}

// ------------------------------------------------------------------ accounting and errors

TEST(EngineAccounting, EveryTravellerArrivesOrIsStuck) {
    const SpillNet s = spill_net();
    PlanSet plans;
    const LinkId route[] = {s.a, s.b, s.c};
    for (int i = 0; i < 60; ++i) add_car_trip(plans, 2000 * i, route);
    add_car_trip(plans, 10 * kMsPerHour, route);  // departs after the end: never departs
    Recorder rec;
    EngineConfig cfg = base_config();
    cfg.end_ms = 400 * kMsPerSecond;
    const RunStats st = run(s.net, plans, rec, cfg);
    EXPECT_EQ(st.trips_completed + st.trips_stuck, 61u);
    EXPECT_GT(st.trips_completed, 0u);
    EXPECT_GT(st.trips_stuck, 1u);
    const auto out = rec.outcomes(61);  // throws unless each trip is reported exactly once
    for (const auto& o : out) {
        if (o.stuck) {
            EXPECT_EQ(o.arrive_ms, std::max<TimeMs>(cfg.end_ms, o.depart_ms));
        } else {
            EXPECT_LE(o.arrive_ms, cfg.end_ms);
        }
    }
}

TEST(EngineErrors, BadPlansAndConfigAreInputErrors) {
    const SpillNet s = spill_net();
    PlanSet plans;
    const LinkId broken[] = {s.a, s.c};  // not contiguous
    add_car_trip(plans, 0, broken);
    Recorder rec;
    EXPECT_THROW(run(s.net, plans, rec), InputError);
    EngineConfig cfg = base_config();
    cfg.sample_fraction = 0;
    EXPECT_THROW(Simulation(s.net, test_types(), cfg), InputError);
    PlanSet bad_type;
    const LinkId ok[] = {s.a};
    bad_type.begin_trip(AgentId(0), 0, Mode::Car, ZoneId{}, ZoneId{});
    bad_type.add_drive(99, ok);
    bad_type.end_trip();
    EXPECT_THROW(run(s.net, bad_type, rec), InputError);
}

TEST(EngineLinkTimes, MeanPerBinWithFreeFlowFallback) {
    auto b = chain_builder(3);
    const LinkId a = b.add_link(spec(0, 1, 1000, 10, 1800, 1000));
    const LinkId unused = b.add_link(spec(1, 2, 500, 10, 1800, 100));
    const Network net(b.finish());
    PlanSet plans;
    const LinkId route[] = {a};
    for (int i = 0; i < 10; ++i) add_car_trip(plans, 0, route);
    Recorder rec;
    LinkTravelTimes ltt;
    Simulation sim(net, test_types(), base_config());
    Observer* obs[] = {&rec, &ltt};
    sim.run(plans, obs);
    // All entered at 0 s: times 100, 102, ..., 118 s -> mean 109 s.
    EXPECT_NEAR(ltt.time_s(a, 0), 109.0, 1e-4);
    EXPECT_EQ(ltt.count(a, 60'000), 10u);
    EXPECT_DOUBLE_EQ(ltt.time_s(a, kMsPerHour), 100.0);
    EXPECT_DOUBLE_EQ(ltt.time_s(unused, 0), 50.0);
}

}  // namespace
}  // namespace modeshift::test
