// Fixed-time signals: a signalised approach discharges only during green, at saturation flow.
// The expected values are worked out by hand from deterministic queueing (D/D/1 per cycle).
#include <gtest/gtest.h>

#include "engine_fixtures.hpp"
#include "modeshift/core/error.hpp"

namespace modeshift::test {
namespace {

EngineConfig signal_config(const Network& net, ApproachSignal s, LinkId approach) {
    EngineConfig c;
    c.seed = 7;
    c.threads = 1;
    c.partitions = 1;
    c.stuck_ms = 3600 * kMsPerSecond;
    c.signals.general.assign(net.link_count(), ApproachSignal{});
    c.signals.general[approach.index()] = s;
    return c;
}

struct Approach {
    Network net;
    LinkId link;
};

/// One 1,000 m link at 10 m/s (free flow exactly 100 s), saturation flow 1,800 veh/h (2 s).
Approach single_approach() {
    auto b = chain_builder(2);
    const LinkId a = b.add_link(spec(0, 1, 1000, 10, 1800, 100'000));
    return {Network(b.finish()), a};
}

PlanSet arrivals_every(TimeMs gap_ms, int n, LinkId link) {
    PlanSet p;
    const LinkId route[] = {link};
    for (int i = 0; i < n; ++i) {
        p.begin_trip(AgentId(static_cast<std::uint32_t>(i)), gap_ms * i, Mode::Car, ZoneId{},
                     ZoneId{});
        p.add_drive(0, route);
        p.end_trip();
    }
    return p;
}

std::vector<Traversal> run_approach(const Approach& a, const PlanSet& plans, ApproachSignal s,
                                    RunStats* st = nullptr) {
    Simulation sim(a.net, test_types(), signal_config(a.net, s, a.link));
    Recorder rec;
    Observer* obs[] = {&rec};
    const RunStats stats = sim.run(plans, obs);
    if (st) *st = stats;
    return rec.on_link(a.link);
}

TEST(EngineSignals, NextGreenIsAPureFunctionOfTime) {
    const ApproachSignal s{60'000, 40'000, 30'000};  // green [40, 70) s modulo 60 s
    EXPECT_EQ(next_green(s, 40'000), 40'000);
    EXPECT_EQ(next_green(s, 69'999), 69'999);
    EXPECT_EQ(next_green(s, 70'000), 100'000);
    EXPECT_EQ(next_green(s, 5'000), 5'000);    // 5 s = 65 s of the previous cycle: green
    EXPECT_EQ(next_green(s, 10'000), 40'000);  // red from 10 s to 40 s
    EXPECT_EQ(next_green(ApproachSignal{}, 12'345), 12'345);
    EXPECT_TRUE(is_green(s, 45'000));
    EXPECT_FALSE(is_green(s, 20'000));
}

TEST(EngineSignals, ASecondGreenWindowOpensInTheSameCycle) {
    // 120 s cycle: green [10, 40) s (lead) and [70, 85) s (lag) modulo 120 s.
    ApproachSignal s{120'000, 10'000, 30'000};
    s.green2_begin_ms = 70'000;
    s.green2_ms = 15'000;
    EXPECT_EQ(next_green(s, 20'000), 20'000);    // in the lead
    EXPECT_EQ(next_green(s, 40'000), 70'000);    // the lag comes before the next lead
    EXPECT_EQ(next_green(s, 80'000), 80'000);    // in the lag
    EXPECT_EQ(next_green(s, 85'000), 130'000);   // then the next cycle's lead
    EXPECT_EQ(next_green(s, 245'000), 250'000);  // 5 s into the third cycle: its lead at 10 s
    // Without the second window the approach waits for the lead.
    ApproachSignal one = s;
    one.green2_ms = 0;
    EXPECT_EQ(next_green(one, 40'000), 130'000);
}

TEST(EngineSignals, UndersaturatedApproachDelayIsTheDeterministicQueueingValue) {
    // Arrivals at the stop line every 5 s (720 veh/h) from t = 100 s; cycle 60 s, effective
    // green 30 s starting at 100 s (offset 40 s), saturation headway 2 s: capacity 900 veh/h.
    // Per cycle: the 6 arrivals in green (100..125 s) pass freely; the 6 arrivals in red
    // (130..155 s) leave at 160, 162, ..., 170 s (delays 30+27+24+21+18+15 = 135 s); the
    // arrivals at 160..175 s queue behind them and leave at 172..178 s (12+9+6+3 = 30 s); the
    // queue is gone at 180 s, before the next red. Total 165 s per cycle of 12 arrivals; the
    // 4 extra arrivals complete the last cycle's queue.
    const Approach a = single_approach();
    const int cycles = 10, n = 12 * cycles + 4;
    RunStats st;
    const auto tr = run_approach(a, arrivals_every(5'000, n, a.link),
                                 ApproachSignal{60'000, 40'000, 30'000}, &st);
    ASSERT_EQ(tr.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(st.trips_completed, static_cast<std::uint64_t>(n));
    TimeMs delay = 0;
    for (int i = 0; i < n; ++i) delay += tr[i].leave_ms - (100'000 + 5'000 * i);
    EXPECT_EQ(delay, 165'000 * cycles);
    // The first queued vehicle of every cycle leaves exactly at the start of green.
    for (int c = 0; c < cycles; ++c) EXPECT_EQ(tr[12 * c + 6].leave_ms, 160'000 + 60'000 * c) << c;
    // Without the signal the same flow passes with no delay at all.
    const auto free = run_approach(a, arrivals_every(5'000, n, a.link), ApproachSignal{});
    for (int i = 0; i < n; ++i) EXPECT_EQ(free[i].leave_ms, 100'000 + 5'000 * i);
}

TEST(EngineSignals, OversaturatedQueueGrowsAtArrivalMinusCapacity) {
    // Arrivals every 2 s (1,800 veh/h) against 30 s of green per 60 s at 2 s headways
    // (900 veh/h): 15 of the 30 arrivals per cycle leave, the queue grows by 15 per cycle.
    const Approach a = single_approach();
    const int n = 600;  // 20 minutes of arrivals
    const ApproachSignal sig{60'000, 40'000, 30'000};
    const auto tr = run_approach(a, arrivals_every(2'000, n, a.link), sig);
    ASSERT_EQ(tr.size(), static_cast<std::size_t>(n));
    for (const Traversal& t : tr) EXPECT_TRUE(is_green(sig, t.leave_ms)) << t.leave_ms;
    for (int c = 1; c <= 15; ++c) {
        const TimeMs end_of_cycle = 100'000 + 60'000 * c;  // arrivals are in [100 s, 1,298 s]
        const auto arrived = std::min<TimeMs>(n, (end_of_cycle - 100'000 + 1'999) / 2'000);
        const auto left = std::count_if(
            tr.begin(), tr.end(), [&](const Traversal& t) { return t.leave_ms < end_of_cycle; });
        EXPECT_EQ(left, 15 * c) << c;
        EXPECT_EQ(arrived - left, 15 * c) << c;  // queue at the end of cycle c
    }
}

TEST(EngineSignals, HeadBlockedDownstreamWaitsForGreenWhenSpaceFreesInRed) {
    // A signalised approach feeds a short link whose exit is slow: heads block on it, and when
    // space frees during red they still leave only in green.
    auto b = chain_builder(3);
    const LinkId a = b.add_link(spec(0, 1, 1000, 10, 3600, 1000));
    const LinkId c = b.add_link(spec(1, 2, 75, 7.5, 240, 3));  // 15 s headway, 3 cars
    const Network net(b.finish());
    PlanSet plans;
    const LinkId route[] = {a, c};
    for (int i = 0; i < 40; ++i) {
        plans.begin_trip(AgentId(static_cast<std::uint32_t>(i)), 1'000 * i, Mode::Car, ZoneId{},
                         ZoneId{});
        plans.add_drive(0, route);
        plans.end_trip();
    }
    const ApproachSignal sig{50'000, 0, 20'000};
    Simulation sim(net, test_types(), signal_config(net, sig, a));
    Recorder rec;
    Observer* obs[] = {&rec};
    const RunStats st = sim.run(plans, obs);
    EXPECT_EQ(st.trips_completed, 40u);
    EXPECT_EQ(st.gridlock_pushes, 0u);
    for (const Traversal& t : rec.on_link(a)) EXPECT_TRUE(is_green(sig, t.leave_ms)) << t.leave_ms;
}

TEST(EngineSignals, BusLaneCanHaveItsOwnTiming) {
    auto b = chain_builder(2);
    LinkSpec s = spec(0, 1, 1000, 10, 1800, 1000);
    const LinkId a = b.add_link(s);
    NetworkData d = b.finish();
    d.links.bus_lane[a.index()] = 1;
    TransitLine line;
    line.mode = Mode::Bus;
    line.stops = {StopId(0), StopId(1)};
    d.stops.resize(2);
    d.stops[0].node = NodeId(0);
    d.stops[1].node = NodeId(1);
    line.links = {a};
    line.stop_link_pos = {0, 1};
    line.departures_s = {0};
    d.lines.push_back(line);
    const Network net(std::move(d));
    EngineConfig cfg =
        signal_config(net, ApproachSignal{60'000, 40'000, 10'000}, a);  // red at the bus' arrival
    cfg.signals.bus = cfg.signals.general;
    Recorder rec;
    PlanSet none;
    {
        Simulation sim(net, test_types(), cfg);
        Observer* obs[] = {&rec};
        sim.run(none, obs);
    }
    const auto slow = rec.on_link(a);
    cfg.signals.bus[a.index()] = ApproachSignal{60'000, 0, 60'000};  // bus priority: always green
    Recorder rec2;
    {
        Simulation sim(net, test_types(), cfg);
        Observer* obs[] = {&rec2};
        sim.run(none, obs);
    }
    const auto fast = rec2.on_link(a);
    ASSERT_EQ(slow.size(), 1u);
    ASSERT_EQ(fast.size(), 1u);
    EXPECT_GT(slow[0].leave_ms, fast[0].leave_ms);
    EXPECT_TRUE(is_green(ApproachSignal{60'000, 40'000, 10'000}, slow[0].leave_ms));
}

TEST(EngineSignals, TimeOfDayWindowsWrapMidnight) {
    TimeOfDayPlan night;
    night.windows = {{22 * kMsPerHour, 6 * kMsPerHour}};
    EXPECT_TRUE(night.covers(23 * kMsPerHour));
    EXPECT_TRUE(night.covers(2 * kMsPerHour));
    EXPECT_TRUE(night.covers(26 * kMsPerHour));  // 02 h of the next day
    EXPECT_FALSE(night.covers(6 * kMsPerHour));
    EXPECT_FALSE(night.covers(12 * kMsPerHour));
    EXPECT_TRUE(night.covers(22 * kMsPerHour));
    TimeOfDayPlan shoulder;
    shoulder.windows = {{6 * kMsPerHour, 7 * kMsPerHour}, {20 * kMsPerHour, 22 * kMsPerHour}};
    EXPECT_TRUE(shoulder.covers(6 * kMsPerHour + 1));
    EXPECT_TRUE(shoulder.covers(21 * kMsPerHour));
    EXPECT_FALSE(shoulder.covers(7 * kMsPerHour));
    EXPECT_FALSE(shoulder.covers(22 * kMsPerHour));
    // The first plan whose windows cover the time runs; outside all of them the day plan.
    SignalPlan p;
    p.general = {ApproachSignal{60'000, 0, 30'000}};
    night.general = {ApproachSignal{20'000, 0, 10'000}};
    shoulder.general = {ApproachSignal{40'000, 0, 20'000}};
    p.time_of_day = {night, shoulder};
    EXPECT_EQ((*p.at(3 * kMsPerHour).first)[0].cycle_ms, 20'000);
    EXPECT_EQ((*p.at(21 * kMsPerHour).first)[0].cycle_ms, 40'000);
    EXPECT_EQ((*p.at(12 * kMsPerHour).first)[0].cycle_ms, 60'000);
}

TEST(EngineSignals, NightPlanTimesTheNightArrivals) {
    // Day plan: cycle 60 s, green [40, 70) s. Night plan (22-06 h): cycle 20 s, green [0, 10) s.
    // Free flow 100 s to the stop line. Each arrival below is green in one plan, red in the other.
    //  - departs 10 s, at the line 110 s (night): night phase 10 s = red until 120 s (day: green).
    //  - departs 7 h + 30 s, at the line 7 h + 130 s (day): day phase 30 s = red until
    //    7 h + 160 s (night plan: phase 10 s, red only until 7 h + 140 s).
    const Approach a = single_approach();
    EngineConfig cfg = signal_config(a.net, ApproachSignal{60'000, 40'000, 30'000}, a.link);
    TimeOfDayPlan night;
    night.name = "night";
    night.general.assign(a.net.link_count(), ApproachSignal{});
    night.general[a.link.index()] = ApproachSignal{20'000, 0, 10'000};
    night.windows = {{22 * kMsPerHour, 6 * kMsPerHour}};
    cfg.signals.time_of_day.push_back(night);
    PlanSet plans;
    const LinkId route[] = {a.link};
    for (const TimeMs dep : {TimeMs{10'000}, 7 * kMsPerHour + 30'000}) {
        plans.begin_trip(AgentId(static_cast<std::uint32_t>(plans.trip_count())), dep, Mode::Car,
                         ZoneId{}, ZoneId{});
        plans.add_drive(0, route);
        plans.end_trip();
    }
    Simulation sim(a.net, test_types(), cfg);
    Recorder rec;
    Observer* obs[] = {&rec};
    sim.run(plans, obs);
    const auto tr = rec.on_link(a.link);
    ASSERT_EQ(tr.size(), 2u);
    EXPECT_EQ(tr[0].leave_ms, 120'000);
    EXPECT_EQ(tr[1].leave_ms, 7 * kMsPerHour + 160'000);
}

/// A 2-lane approach A (0 -> 1) splits into B (1 -> 2: 1 vehicle a minute, room for 2) and
/// C (1 -> 3: free). Cars alternate B, C, B, C, ... two seconds apart.
struct Fork {
    Network net;
    LinkId a, b, c;
};
Fork fork_network(float lanes) {
    auto bld = chain_builder(4);
    LinkSpec sa = spec(0, 1, 1000, 10, 1800, 100);
    sa.lanes = lanes;
    const LinkId a = bld.add_link(sa);
    const LinkId b = bld.add_link(spec(1, 2, 100, 10, 60, 2));
    const LinkId c = bld.add_link(spec(1, 3, 1000, 10, 1800, 100));
    return {Network(bld.finish()), a, b, c};
}

/// `cars` cars two seconds apart; car i goes to B if to_b(i), else to C.
template <class ToB>
std::vector<Traversal> run_fork(const Fork& f, bool pockets, RunStats* st, int cars, ToB to_b) {
    PlanSet plans;
    for (int i = 0; i < cars; ++i) {
        const LinkId route[] = {f.a, to_b(i) ? f.b : f.c};
        plans.begin_trip(AgentId(static_cast<std::uint32_t>(i)), 2'000 * i, Mode::Car, ZoneId{},
                         ZoneId{});
        plans.add_drive(0, route);
        plans.end_trip();
    }
    EngineConfig cfg;
    cfg.seed = 3;
    cfg.threads = 1;
    cfg.partitions = 1;
    cfg.stuck_ms = 3 * kMsPerHour;  // no gridlock pushes: only the queue rule acts
    cfg.turn_pockets = pockets;
    Simulation sim(f.net, test_types(), cfg);
    Recorder rec;
    Observer* obs[] = {&rec};
    *st = sim.run(plans, obs);
    return rec.traversals();
}

/// The alternating demand: B, C, B, C, ...
std::vector<Traversal> run_fork(const Fork& f, bool pockets, RunStats* st) {
    return run_fork(f, pockets, st, 20, [](int i) { return i % 2 == 0; });
}

TEST(EngineTurnPockets, ThroughTrafficPassesAVehicleWaitingForAFullLink) {
    const Fork two = fork_network(2);
    RunStats st;
    const auto with = run_fork(two, true, &st);
    EXPECT_EQ(st.trips_completed, 20u);
    EXPECT_EQ(st.gridlock_pushes, 0u);
    TimeMs worst_c = 0, worst_c_strict = 0;
    for (const Traversal& t : with)
        if (t.link == two.a && t.vehicle.value() % 2 == 1)
            worst_c = std::max(worst_c, t.leave_ms - t.enter_ms);
    // C-bound cars leave A at free flow (100 s) plus the 2 s flow headway of the cars ahead.
    EXPECT_LE(worst_c, 100'000 + 20 * 2'000);
    // B still takes one car a minute.
    std::vector<TimeMs> b_exits;
    for (const Traversal& t : with)
        if (t.link == two.b) b_exits.push_back(t.leave_ms);
    std::sort(b_exits.begin(), b_exits.end());
    ASSERT_EQ(b_exits.size(), 10u);
    for (std::size_t i = 1; i < b_exits.size(); ++i) EXPECT_GE(b_exits[i] - b_exits[i - 1], 59'999);
    // The same approach as one strict FIFO (or one lane): C-bound cars wait behind B-bound ones.
    const auto strict = run_fork(two, false, &st);
    for (const Traversal& t : strict)
        if (t.link == two.a && t.vehicle.value() % 2 == 1)
            worst_c_strict = std::max(worst_c_strict, t.leave_ms - t.enter_ms);
    EXPECT_GT(worst_c_strict, 5 * 60'000);
    TimeMs worst_one_lane = 0;
    for (const Traversal& t : run_fork(fork_network(1), true, &st))
        if (t.link == two.a && t.vehicle.value() % 2 == 1)
            worst_one_lane = std::max(worst_one_lane, t.leave_ms - t.enter_ms);
    EXPECT_EQ(worst_one_lane, worst_c_strict);
}

TEST(EngineTurnPockets, AFullPocketBlocksTheLinkAgain) {
    // A pocket holds one lane's worth of A's storage: 100 PCE / 2 lanes = 50 cars. The first 60
    // cars go to B, the other 80 to C: the pocket fills, and the C-bound cars wait again behind
    // the B-bound cars that no longer fit.
    const Fork f = fork_network(2);
    RunStats st;
    const auto trav = run_fork(f, true, &st, 140, [](int i) { return i < 60; });
    EXPECT_EQ(st.trips_completed, 140u);
    TimeMs first_c = kMsPerDay;
    for (const Traversal& t : trav)
        if (t.link == f.a && t.vehicle.value() >= 60) first_c = std::min(first_c, t.leave_ms);
    // B (room for 2) and the pocket (50) hold 52 B-bound cars; the rest of the 60 block A until
    // B has taken 8 more, one a minute.
    EXPECT_GT(first_c, 7 * 60'000);
}

TEST(EngineSignals, BadTimingIsAnInputError) {
    const Approach a = single_approach();
    for (const ApproachSignal bad :
         {ApproachSignal{60'000, 0, 0}, ApproachSignal{60'000, 0, 70'000},
          ApproachSignal{60'000, 60'000, 10'000}, ApproachSignal{-1, 0, 0}}) {
        EXPECT_THROW(Simulation(a.net, test_types(), signal_config(a.net, bad, a.link)),
                     InputError);
    }
    EngineConfig c = signal_config(a.net, ApproachSignal{60'000, 0, 30'000}, a.link);
    c.signals.general.push_back(ApproachSignal{});
    EXPECT_THROW(Simulation(a.net, test_types(), c), InputError);
    EngineConfig n = signal_config(a.net, ApproachSignal{60'000, 0, 30'000}, a.link);
    n.signals.time_of_day.resize(1);
    n.signals.time_of_day[0].general.assign(a.net.link_count() + 1,
                                            ApproachSignal{});  // wrong size
    n.signals.time_of_day[0].windows = {{22 * kMsPerHour, 6 * kMsPerHour}};
    EXPECT_THROW(Simulation(a.net, test_types(), n), InputError);
    n.signals.time_of_day[0].general.assign(a.net.link_count(), ApproachSignal{});
    EXPECT_NO_THROW(Simulation(a.net, test_types(), n));
    n.signals.time_of_day[0].windows = {{22 * kMsPerHour, 25 * kMsPerHour}};  // not a time of day
    EXPECT_THROW(Simulation(a.net, test_types(), n), InputError);
}

}  // namespace
}  // namespace modeshift::test
