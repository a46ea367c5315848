// Matching the hand-made ETRI junction to a small network, and the engine running its real plan:
// the delay of one approach is the deterministic-queue value of that plan.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "../engine/engine_fixtures.hpp"
#include "etri_fixture.hpp"
#include "modeshift/import_etri/etri.hpp"
#include "modeshift/import_etri/etri_match.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/traffic/road_traffic.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

/// A cross at the fixture's junction, 20 m off (as a BIS node would be), each arm a two-way
/// primary road; the west arm's approach is 1,000 m at 10 m/s (free flow 100 s), saturation flow
/// 1,800 veh/h (2 s headways). Link external ids: W_IN, W_OUT, N_IN, ...
struct Cross {
    Network net;
    LinkId west_in;
};

Cross cross() {
    NetworkBuilder b("etri-cross");
    const NodeId c = b.add_node({36.35018, 127.38});
    const NodeId arms[4] = {b.add_node({36.359, 127.38}), b.add_node({36.35018, 127.39}),
                            b.add_node({36.341, 127.38}), b.add_node({36.35018, 127.369})};
    const char* names[4] = {"N", "E", "S", "W"};
    LinkId west_in;
    for (int i = 0; i < 4; ++i)
        for (bool in : {true, false}) {
            LinkSpec s;
            s.from = in ? arms[i] : c;
            s.to = in ? c : arms[i];
            s.length_m = 1000;
            s.speed_mps = 10;
            s.capacity_vph = 1800;
            s.storage_pce = 1000;
            s.road_class = RoadClass::Primary;
            s.external_id = std::string(names[i]) + (in ? "_IN" : "_OUT");
            const LinkId l = b.add_link(s);
            if (i == 3 && in) west_in = l;
        }
    return {Network(b.finish()), west_in};
}

etri::EtriData fixture() {
    return etri::read_etri(test::write_etri_fixture(test::fixture_dir("modeshift_etri_match")));
}

TEST(EtriMatch, JunctionAndApproachesMatchByPositionAndHeading) {
    const Cross x = cross();
    etri::MatchReport rep;
    const auto rows = etri::match_signals(fixture(), x.net, {}, &rep);
    EXPECT_EQ(rep.junctions, 1u);
    EXPECT_EQ(rep.approaches, 4u);
    ASSERT_EQ(rows.size(), 12u);  // 4 approaches x 3 periods
    for (const RealApproachTiming& r : rows) {
        EXPECT_NEAR(r.match_m, 20, 0.5);
        EXPECT_LT(r.heading_diff_deg, 1);
        EXPECT_EQ(r.source_edge, std::string(1, static_cast<char>(std::tolower(r.link[0]))) + "in");
    }
    // Too far for a 10 m tolerance: the junction stays unmatched and says why.
    etri::MatchOptions tight;
    tight.max_node_m = 10;
    const auto none = etri::match_signals(fixture(), x.net, tight, &rep);
    ASSERT_EQ(none.size(), 1u);
    EXPECT_FALSE(none[0].matched());
    EXPECT_NE(none[0].note.find("within 10 m"), std::string::npos) << none[0].note;
}

TEST(EtriMatch, MatchedFileRoundTrips) {
    const Cross x = cross();
    etri::MatchReport rep;
    const etri::MatchOptions opt;
    const auto rows = etri::match_signals(fixture(), x.net, opt, &rep);
    const fs::path f = fs::temp_directory_path() / "modeshift_etri_matched.csv";
    write_real_signals(f, rows, etri::matched_file_preamble(rep, opt, x.net.name()));
    const auto back = read_real_signals(f);
    ASSERT_EQ(back.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(back[i].link, rows[i].link);
        EXPECT_EQ(back[i].start_s, rows[i].start_s);
        EXPECT_EQ(back[i].green_begin_s, rows[i].green_begin_s);
        EXPECT_EQ(back[i].green_s, rows[i].green_s);
    }
}

TEST(EtriMatch, MatchedJunctionRunsItsRealPlanInTheEngine) {
    const Cross x = cross();
    RoadTrafficParams rules =
        load_road_traffic(fs::path(MODESHIFT_SOURCE_DIR) / "scenarios/data/road_traffic_etri.json");
    rules.signals.real_plans = etri::match_signals(fixture(), x.net, {}, nullptr);
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(x.net, rules.signals, &st);
    EXPECT_EQ(st.real.junctions, 1u);
    EXPECT_EQ(st.real.approaches, 4u);
    EXPECT_EQ(st.real.cross_no_of_link[x.west_in.index()], "7");
    // The day plan (noon) is schedule 1; 07:00-09:30 runs schedule 2; midnight-07:00 and from
    // 09:30 schedule 1 again, so the day plan covers them.
    EXPECT_EQ(plan.general[x.west_in.index()], (ApproachSignal{100'000, 60'000, 40'000}));
    ASSERT_EQ(plan.time_of_day.size(), 1u);
    EXPECT_EQ(plan.time_of_day[0].name, "day_0700");
    EXPECT_EQ(
        plan.time_of_day[0].windows,
        (std::vector<std::pair<TimeMs, TimeMs>>{{7 * kMsPerHour, 9 * kMsPerHour + 1'800'000}}));
    EXPECT_EQ((*plan.at(8 * kMsPerHour).first)[x.west_in.index()],
              (ApproachSignal{60'000, 35'000, 20'000}));
    EXPECT_EQ((*plan.at(9 * kMsPerHour + 1'800'000).first)[x.west_in.index()],
              plan.general[x.west_in.index()]);

    // The engine: arrivals at the west stop line every 10 s from 100 s (departures every 10 s
    // from 0, 100 s of free flow). Green 60..100 s of every 100 s. Per cycle [100, 200) s: the 6
    // arrivals in red (100..150 s) leave at 160, 162, ..., 170 s (delays 60 + 52 + 44 + 36 + 28 +
    // 20 = 240 s); the arrivals at 160 and 170 s queue behind them and leave at 172 and 174 s
    // (12 + 4 s); those at 180 and 190 s pass freely: 256 s per cycle of 10 arrivals.
    EngineConfig cfg;
    cfg.seed = 7;
    cfg.threads = 1;
    cfg.partitions = 1;
    cfg.stuck_ms = 3600 * kMsPerSecond;
    cfg.signals = plan;
    PlanSet plans;
    const int cycles = 8, n = 10 * cycles;
    const LinkId route[] = {x.west_in};
    for (int i = 0; i < n; ++i) {
        plans.begin_trip(AgentId(static_cast<std::uint32_t>(i)), 10'000 * i, Mode::Car, ZoneId{},
                         ZoneId{});
        plans.add_drive(0, route);
        plans.end_trip();
    }
    Simulation sim(x.net, test::test_types(), cfg);
    test::Recorder rec;
    Observer* obs[] = {&rec};
    sim.run(plans, obs);
    const auto tr = rec.on_link(x.west_in);
    ASSERT_EQ(tr.size(), static_cast<std::size_t>(n));
    TimeMs delay = 0;
    for (int i = 0; i < n; ++i) delay += tr[i].leave_ms - (100'000 + 10'000 * i);
    EXPECT_EQ(delay, 256'000 * cycles);
    for (const Traversal& t : tr)
        EXPECT_TRUE(is_green(plan.general[x.west_in.index()], t.leave_ms));
}

}  // namespace
}  // namespace modeshift
