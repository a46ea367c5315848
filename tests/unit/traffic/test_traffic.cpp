// Road traffic rules: signal plans derived from the network, HCM running speeds, rule files.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/traffic/road_traffic.hpp"

namespace modeshift {
namespace {

const std::filesystem::path kRules =
    std::filesystem::path(MODESHIFT_SOURCE_DIR) / "scenarios/data/road_traffic.json";

/// The bundled rules with the values the hand-worked timings below use: the left-turn phase at
/// 25 % of an axis' green, 160 s (primary) and 120 s (secondary) cycles, and a night plan 23-07 h
/// with 80 s and 60 s (set here, so the checks hold for either bundled rule file).
RoadTrafficParams rules() {
    RoadTrafficParams p = load_road_traffic(kRules);
    p.signals.left_phase_share = 0.25;
    p.signals.cycle_s = {{RoadClass::Primary, 160}, {RoadClass::Secondary, 120}};
    TimeOfDayParams night;
    night.name = "night";
    night.windows_h = {{23, 7}};
    night.cycle_s = {{RoadClass::Primary, 80}, {RoadClass::Secondary, 60}};
    p.signals.time_of_day = {night};
    return p;
}

/// The bundled rule file as JSON, its matched-plans file named by an absolute path (the checks
/// below write edited copies elsewhere).
Json bundled_rules_json() {
    Json rules = read_json_file(kRules);
    if (rules["signals"].contains("real_plans")) {
        auto& real = rules["signals"]["real_plans"]["file"];
        real = (kRules.parent_path() / real.get<std::string>()).string();
    }
    return rules;
}

/// The bundled rule file with a night plan (the time-of-day plan checks below edit it).
Json rules_with_night_plan() {
    Json rules = bundled_rules_json();
    rules["signals"]["time_of_day_plans"] = Json::parse(R"({
        "source": "x",
        "plans": [{"name": "night", "source": "x", "windows_h": {"value": [[23, 7]], "source": "x"},
                   "cycle_s": {"primary": {"value": 80, "source": "x"},
                               "secondary": {"value": 60, "source": "x"}}}]})");
    return rules;
}

LinkSpec road(NodeId a, NodeId b, RoadClass rc, double cap) {
    LinkSpec s;
    s.from = a;
    s.to = b;
    s.length_m = 300;
    s.speed_mps = 50 / 3.6;
    s.capacity_vph = cap;
    s.storage_pce = 40;
    s.road_class = rc;
    return s;
}

/// A cross: centre 0 with arms north (1), east (2), south (3), west (4), all two-way; the
/// east-west road is a primary arterial with twice the capacity of the north-south one.
/// Node 5 hangs off node 1 as a plain continuation (a mid-block point).
NetworkData cross() {
    NetworkBuilder b("cross");
    const NodeId c = b.add_node({36.35, 127.38});
    const NodeId n = b.add_node({36.353, 127.38}), e = b.add_node({36.35, 127.384});
    const NodeId s = b.add_node({36.347, 127.38}), w = b.add_node({36.35, 127.376});
    const NodeId nn = b.add_node({36.356, 127.38});
    for (NodeId x : {e, w}) {
        b.add_link(road(x, c, RoadClass::Primary, 6600));
        b.add_link(road(c, x, RoadClass::Primary, 6600));
    }
    for (NodeId x : {n, s}) {
        b.add_link(road(x, c, RoadClass::Secondary, 3300));
        b.add_link(road(c, x, RoadClass::Secondary, 3300));
    }
    b.add_link(road(nn, n, RoadClass::Secondary, 3300));
    b.add_link(road(n, nn, RoadClass::Secondary, 3300));
    return b.finish();
}

TEST(SignalPlan, CrossJunctionGetsTwoAxesSplitByCapacity) {
    const RoadTrafficParams p = rules();
    const Network net(cross());
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(net, p.signals, &st);
    EXPECT_EQ(st.signalised_nodes, 1u);  // the mid-block node 1 and the dead ends are not junctions
    EXPECT_EQ(st.signalised_approaches, 4u);
    const auto at = [&](int from) {
        return plan
            .general[net.find_link(NodeId(static_cast<std::uint32_t>(from)), NodeId(0)).index()];
    };
    const ApproachSignal ew = at(2), ns = at(1);
    EXPECT_EQ(ew, at(4));
    EXPECT_EQ(ns, at(3));
    EXPECT_EQ(ew.cycle_ms, 160'000);  // the junction's leading road is primary
    // Lost time 2 axes x 2 phases x 4 s = 16 s; 144 s split 2:1; through = 75 % of the axis.
    EXPECT_EQ(ew.green_ms, 72'000);
    EXPECT_EQ(ns.green_ms, 36'000);
    // The crossing axis starts after the leading axis' through and left phases and their lost time.
    EXPECT_EQ((ns.green_begin_ms - ew.green_begin_ms + 160'000) % 160'000, 104'000);
    // Green windows never overlap.
    for (TimeMs t = 0; t < 160'000; t += 500) EXPECT_FALSE(is_green(ew, t) && is_green(ns, t)) << t;
    // Links out of the junction and the continuation are not signalised.
    EXPECT_EQ(plan.general[net.find_link(NodeId(0), NodeId(2)).index()].cycle_ms, 0);
    EXPECT_EQ(plan.general[net.find_link(NodeId(5), NodeId(1)).index()].cycle_ms, 0);
}

TEST(SignalPlan, NightPlanHasShorterCyclesOnTheSameApproaches) {
    const RoadTrafficParams p = rules();
    ASSERT_FALSE(p.signals.time_of_day.empty());
    ASSERT_EQ(p.signals.time_of_day[0].name, "night");
    const Network net(cross());
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(net, p.signals, &st);
    ASSERT_EQ(plan.time_of_day.size(), p.signals.time_of_day.size());
    const TimeOfDayPlan& night = plan.time_of_day[0];
    EXPECT_TRUE(night.covers(3 * kMsPerHour));
    EXPECT_FALSE(night.covers(12 * kMsPerHour));
    ASSERT_EQ(st.time_of_day_mean_cycle_s.size(), plan.time_of_day.size());
    EXPECT_DOUBLE_EQ(st.time_of_day_mean_cycle_s[0].second,
                     80.0);  // the primary road's night cycle
    ASSERT_EQ(night.general.size(), plan.general.size());
    for (std::size_t l = 0; l < plan.general.size(); ++l)
        EXPECT_EQ(plan.general[l].cycle_ms > 0, night.general[l].cycle_ms > 0) << l;
    const LinkId ew = net.find_link(NodeId(2), NodeId(0)), ns = net.find_link(NodeId(1), NodeId(0));
    // 80 s - 16 s lost = 64 s split 2:1, through 75 %: 32 s and 16 s (the 15 s minimum holds).
    EXPECT_EQ(night.general[ew.index()].green_ms, 32'000);
    EXPECT_EQ(night.general[ns.index()].green_ms, 16'000);
    for (TimeMs t = 0; t < 80'000; t += 500)
        EXPECT_FALSE(is_green(night.general[ew.index()], t) &&
                     is_green(night.general[ns.index()], t))
            << t;
}

TEST(SignalPlan, NodeControlOverridesTheRule) {
    const RoadTrafficParams p = rules();
    NetworkData d = cross();
    d.nodes.control[0] = NodeControl::None;
    d.nodes.control[1] = NodeControl::Signal;  // e.g. OSM highway=traffic_signals at a crossing
    const Network net(std::move(d));
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(net, p.signals, &st);
    EXPECT_EQ(st.signalised_nodes, 1u);
    EXPECT_EQ(plan.general[net.find_link(NodeId(2), NodeId(0)).index()].cycle_ms, 0);
    const ApproachSignal a = plan.general[net.find_link(NodeId(5), NodeId(1)).index()];
    EXPECT_EQ(a.cycle_ms, 120'000);  // secondary road
    EXPECT_EQ(a.green_ms,
              (120'000 - 8'000 - 15'000) * 3 / 4);  // one axis: pedestrians take the rest
}

TEST(SignalPlan, DisabledRulesGiveAnEmptyPlan) {
    const Network net(cross());
    EXPECT_TRUE(build_signal_plan(net, SignalParams{}).empty());
}

TEST(RunningSpeed, Hcm2010FreeFlowSpeed) {
    const RoadTrafficParams p = rules();
    NetworkData d = cross();
    const std::size_t changed = apply_running_speeds(d, p.running);
    EXPECT_EQ(changed, d.links.size());
    // 50 km/h limit = 31.07 mph: S0 = 25.6 + 0.47 x 31.07 - 2.67 - 0.078 x 40 / 1 lane = 34.41 mph;
    // 300 m = 984 ft: f_L = 1.02 - 4.7 (34.41 - 19.5) / 984 = 0.9488 -> 32.65 mph = 52.5 km/h.
    EXPECT_NEAR(d.links.freeflow_speed_mps[0] * 3.6, 52.5, 0.1);
    EXPECT_NEAR(d.links.freeflow_time_s[0], 300 / d.links.freeflow_speed_mps[0], 1e-9);
}

std::filesystem::path write_tmp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / name;
    std::ofstream(p) << text;
    return p;
}

TEST(RoadTrafficFile, ErrorsNameFilePathAndField) {
    const auto expect_error = [](const std::string& text, const std::string& field) {
        const auto f = write_tmp("modeshift_road_traffic_bad.json", text);
        try {
            load_road_traffic(f);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InputError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(f.string()), std::string::npos) << what;
            EXPECT_NE(what.find(field), std::string::npos) << what;
        }
    };
    expect_error(R"({"signals": {"min_neighbours": {"value": 3}}})", "min_neighbours");
    expect_error(
        R"({"signals": {"min_neighbours": {"value": 3, "source": "x"}, "major_road_classes": {"value": ["boulevard"], "source": "x"}}})",
        "major_road_classes.value[0]");
    expect_error(R"({"signalz": {}})", "signalz");
    expect_error(R"({"running_speed": {"base_mph": {"value": -1, "source": "x"}}})", "base_mph");
    expect_error("{\"signals\": \n{\"min_neighbours\": }", "line 2");
    // A time-of-day plan needs a cycle for every major road class, non-empty windows that do not
    // overlap another plan's, and a name fit for a CSV column.
    auto rules = rules_with_night_plan();
    auto& night = rules["signals"]["time_of_day_plans"]["plans"][0];
    night["cycle_s"].erase("secondary");
    expect_error(rules.dump(), "time_of_day_plans.plans[0].cycle_s");
    rules = rules_with_night_plan();
    rules["signals"]["time_of_day_plans"]["plans"][0]["windows_h"]["value"][0] =
        Json::array({22, 22});
    expect_error(rules.dump(), "plans[0].windows_h.value[0]");
    rules = rules_with_night_plan();
    rules["signals"]["time_of_day_plans"]["plans"][0]["name"] = "late night";
    expect_error(rules.dump(), "plans[0].name");
    rules = rules_with_night_plan();
    Json twin = rules["signals"]["time_of_day_plans"]["plans"][0];
    twin["name"] = "twin";
    rules["signals"]["time_of_day_plans"]["plans"].push_back(twin);
    expect_error(rules.dump(), "overlaps");
}

}  // namespace
}  // namespace modeshift

namespace modeshift {
namespace {

TEST(SignalPlan, GreenExtensionTakesTimeFromTheCrossingRoad) {
    const RoadTrafficParams p = rules();
    const Network net(cross());
    const SignalPlan base = build_signal_plan(net, p.signals);
    const auto link = [&](int from) {
        return net.find_link(NodeId(static_cast<std::uint32_t>(from)), NodeId(0)).index();
    };
    const std::vector<std::uint32_t> ns_links = {static_cast<std::uint32_t>(link(1)),
                                                 static_cast<std::uint32_t>(link(3))};

    SignalPlan longer = base;
    EXPECT_EQ(extend_green(longer, net, ns_links, 10, false, p.signals.min_green_s), 2u);
    EXPECT_EQ(longer.general[link(1)].green_ms, base.general[link(1)].green_ms + 10'000);
    EXPECT_EQ(longer.general[link(3)].green_ms, base.general[link(3)].green_ms + 10'000);
    // Both directions were extended, but the crossing road loses the 10 s only once.
    EXPECT_EQ(longer.general[link(2)].green_ms, base.general[link(2)].green_ms - 10'000);
    for (TimeMs t = 0; t < 160'000; t += 500)
        EXPECT_FALSE(is_green(longer.general[link(1)], t) && is_green(longer.general[link(2)], t))
            << t;

    SignalPlan bus = base;
    EXPECT_EQ(extend_green(bus, net, ns_links, 10, true, p.signals.min_green_s), 2u);
    EXPECT_EQ(bus.general, base.general);  // cars keep their timing
    ASSERT_EQ(bus.bus.size(), base.general.size());
    EXPECT_EQ(bus.bus[link(1)].green_ms, base.general[link(1)].green_ms + 10'000);
}

}  // namespace
}  // namespace modeshift

namespace modeshift {
namespace {

/// A primary road west-east with `n` signalised crossings 400 m apart (each with a secondary
/// arm north and south); between crossings 1 and 2 the road has a mid-block node.
NetworkData corridor(int n) {
    NetworkBuilder b("corridor");
    std::vector<NodeId> main, crossings;
    std::vector<double> crossing_lon;
    for (int i = 0; i < n; ++i) {
        const double lon = 127.38 + 0.0045 * i;
        main.push_back(b.add_node({36.35, lon}));
        crossings.push_back(main.back());
        crossing_lon.push_back(lon);
        if (i == 1) main.push_back(b.add_node({36.35, lon + 0.00225}));  // mid-block point
    }
    for (std::size_t i = 0; i + 1 < main.size(); ++i) {
        b.add_link(road(main[i], main[i + 1], RoadClass::Primary, 6600));
        b.add_link(road(main[i + 1], main[i], RoadClass::Primary, 6600));
    }
    for (std::size_t i = 0; i < crossings.size(); ++i)
        for (double dlat : {0.003, -0.003}) {
            const NodeId arm = b.add_node({36.35 + dlat, crossing_lon[i]});
            b.add_link(road(arm, crossings[i], RoadClass::Secondary, 3300));
            b.add_link(road(crossings[i], arm, RoadClass::Secondary, 3300));
        }
    return b.finish();
}

TEST(SignalPlan, NeighbouringJunctionsRunCyclesAtLeastTheSpreadApart) {
    RoadTrafficParams p = rules();
    p.signals.cycle_spread = 0.05;
    const Network net(corridor(4));
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(net, p.signals, &st);
    ASSERT_EQ(st.signalised_nodes, 4u);
    // The cycle of each crossing (west to east; the mid-block node is not signalised).
    std::map<double, std::int32_t> by_lon;
    for (std::size_t l = 0; l < net.link_count(); ++l)
        if (plan.general[l].cycle_ms)
            by_lon[net.node_latlon(net.to(LinkId::from_index(l))).lon] = plan.general[l].cycle_ms;
    std::vector<std::int32_t> cycles;
    for (const auto& [lon, c] : by_lon) cycles.push_back(c);
    ASSERT_EQ(cycles.size(), 4u);
    // 160 s, then the first step a neighbour does not have: 168, 160, 168 (+5 %, 0, +5 %).
    EXPECT_EQ(cycles, (std::vector<std::int32_t>{160'000, 168'000, 160'000, 168'000}));
    for (std::size_t i = 0; i + 1 < cycles.size(); ++i)
        EXPECT_GE(std::abs(cycles[i] - cycles[i + 1]), 8'000)
            << i;  // across the mid-block node too
    // Without the spread every crossing runs the road class' cycle.
    p.signals.cycle_spread = 0;
    const SignalPlan flat = build_signal_plan(net, p.signals);
    for (std::size_t l = 0; l < net.link_count(); ++l)
        if (flat.general[l].cycle_ms && net.data().links.road_class[l] == RoadClass::Primary) {
            EXPECT_EQ(flat.general[l].cycle_ms, 160'000);
        }
}

TEST(SignalPlan, MinimumGreenComesOutOfTheOtherAxis) {
    // The north-south arms carry a twentieth of the east-west capacity: their share of the
    // 144 s would be 7 s, below the 15 s minimum through green. The axis gets 15 / 0.75 = 20 s
    // and the east-west axis the remaining 124 s, so the greens never overlap.
    const RoadTrafficParams p = rules();
    NetworkData d = cross();
    for (std::size_t l = 0; l < d.links.size(); ++l)
        if (d.links.road_class[l] == RoadClass::Secondary) d.links.capacity_vph[l] = 330;
    const Network net(std::move(d));
    const SignalPlan plan = build_signal_plan(net, p.signals);
    const ApproachSignal ew = plan.general[net.find_link(NodeId(2), NodeId(0)).index()];
    const ApproachSignal ns = plan.general[net.find_link(NodeId(1), NodeId(0)).index()];
    EXPECT_EQ(ns.green_ms, 15'000);
    EXPECT_EQ(ew.green_ms, 93'000);  // 124 s x 0.75
    for (TimeMs t = 0; t < 160'000; t += 250) EXPECT_FALSE(is_green(ew, t) && is_green(ns, t)) << t;
}

TEST(SignalPlan, SignalsCsvHasEveryApproachWithDayAndNightTimings) {
    const RoadTrafficParams p = rules();
    NetworkData data = cross();
    // A road name with a comma and a quote is quoted as CSV wants it (RFC 4180).
    data.names.push_back("남로, \"옛길\"");
    const auto north_in = static_cast<std::size_t>(
        std::find(data.links.from.begin(), data.links.from.end(), NodeId(1)) -
        data.links.from.begin());
    ASSERT_EQ(data.links.to[north_in], NodeId(0));
    data.links.name[north_in] = static_cast<std::uint32_t>(data.names.size() - 1);
    const Network net(std::move(data));
    const SignalPlan plan = build_signal_plan(net, p.signals);
    const auto path = std::filesystem::temp_directory_path() / "modeshift_signals_test.csv";
    write_signal_plan_csv(path, plan, net);
    std::ifstream in(path);
    std::string header, line;
    std::getline(in, header);
    std::string expected =
        "link,node,road_name,cycle_s,green_begin_s,green_s,green2_begin_s,green2_s";
    for (const TimeOfDayPlan& t : plan.time_of_day)
        expected += "," + t.name + "_cycle_s," + t.name + "_green_begin_s," + t.name + "_green_s," +
                    t.name + "_green2_begin_s," + t.name + "_green2_s";
    EXPECT_EQ(header, expected + ",plan");
    int rows = 0;
    const LinkId ew = net.find_link(NodeId(2), NodeId(0));
    std::string ew_row;
    while (std::getline(in, line)) {
        ++rows;
        if (line.rfind(std::to_string(ew.value()) + ",", 0) == 0) ew_row = line;
    }
    EXPECT_EQ(rows, 4);
    std::ifstream again(path);
    const std::string text((std::istreambuf_iterator<char>(again)),
                           std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(",\"남로, \"\"옛길\"\"\","), std::string::npos) << text;
    const ApproachSignal d = plan.general[ew.index()],
                         n = plan.time_of_day.at(0).general[ew.index()];
    // The day plan, then the night plan (the first time-of-day plan); other plans follow.
    // The rule's plans have one green window: the second is 0.
    const std::string prefix =
        fmt::format("{},0,,160.0,{:.1f},72.0,0.0,0.0,80.0,{:.1f},32.0,0.0,0.0", ew.value(),
                    d.green_begin_ms / 1000.0, n.green_begin_ms / 1000.0);
    EXPECT_EQ(ew_row.substr(0, prefix.size()), prefix);
    EXPECT_TRUE(ew_row.size() == prefix.size() || ew_row[prefix.size()] == ',') << ew_row;
}

TEST(RoadTrafficFile, BackwardWaveAndCycleSpreadAreCheckedWithTheirSources) {
    const RoadTrafficParams p = load_road_traffic(kRules);
    EXPECT_GT(p.backward_wave_kmh, 0);
    EXPECT_GT(p.signals.cycle_spread, 0);
    const auto expect_error = [](const Json& rules, const std::string& field) {
        const auto f = write_tmp("modeshift_road_traffic_bad2.json", rules.dump());
        try {
            load_road_traffic(f);
            ADD_FAILURE() << "accepted: " << rules.dump();
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(f.string()), std::string::npos) << e.what();
        }
    };
    auto rules = bundled_rules_json();
    rules["queues"]["backward_wave_kmh"]["value"] = 0;
    expect_error(rules, "backward_wave_kmh");
    rules = bundled_rules_json();
    rules["queues"]["backward_wave_kmh"].erase("source");
    expect_error(rules, "backward_wave_kmh");
    rules = bundled_rules_json();
    rules["signals"]["cycle_spread"]["value"] = 0.5;
    expect_error(rules, "cycle_spread");
    rules = bundled_rules_json();
    rules["queues"]["wave"] = 1;
    expect_error(rules, "wave");
}

}  // namespace
}  // namespace modeshift
