#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/engine/simulation.hpp"
#include "modeshift/import_sumo/sumo.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift::sumo {
namespace {

// Two junctions A - B - C in a line, edges both ways, plus an internal edge to skip.
const char* kNet = R"(<?xml version="1.0" encoding="UTF-8"?>
<net version="1.9">
    <location netOffset="10.00,20.00" convBoundary="0,0,400,0" projParameter="!"/>
    <edge id=":B_0" function="internal">
        <lane id=":B_0_0" index="0" speed="8.00" length="5.00" shape="0,0 1,1"/>
    </edge>
    <edge id="AB" from="A" to="B" priority="1">
        <lane id="AB_0" index="0" speed="13.89" length="200.00" shape="0,0 200,0"/>
        <lane id="AB_1" index="1" speed="13.89" length="200.00" shape="0,0 200,0"/>
    </edge>
    <edge id="BC" from="B" to="C" priority="1">
        <lane id="BC_0" index="0" speed="10.00" length="150.00" shape="200,0 350,0"/>
    </edge>
    <edge id="CB" from="C" to="B" priority="1">
        <lane id="CB_0" index="0" speed="10.00" length="150.00" shape="350,0 200,0"/>
    </edge>
    <junction id="A" type="dead_end" x="0.00" y="0.00" incLanes="" intLanes=""/>
    <junction id="B" type="priority" x="200.00" y="0.00" incLanes="" intLanes=""/>
    <junction id=":B_0_0" type="internal" x="200.00" y="0.00" incLanes="" intLanes=""/>
    <junction id="C" type="dead_end" x="350.00" y="0.00" incLanes="" intLanes=""/>
</net>
)";

std::string routes(const std::string& body) {
    return "<?xml version=\"1.0\"?>\n<routes>\n" + body + "</routes>\n";
}

TEST(SumoNet, EdgesLanesAndJunctions) {
    const auto d = parse_net(kNet, "t.net.xml");
    ASSERT_EQ(d.nodes.size(), 3u);  // internal junction skipped
    ASSERT_EQ(d.links.size(), 3u);  // internal edge skipped
    EXPECT_EQ(d.links.external_id[0], "AB");
    EXPECT_DOUBLE_EQ(d.links.length_m[0], 200.0);
    EXPECT_DOUBLE_EQ(d.links.freeflow_speed_mps[0], 13.89);
    EXPECT_FLOAT_EQ(d.links.lanes[0], 2.0f);
    EXPECT_DOUBLE_EQ(d.links.capacity_vph[0], 2 * kDefaultLaneCapacityVph);
    EXPECT_DOUBLE_EQ(d.links.capacity_vph[1], kDefaultLaneCapacityVph);
    // pseudo lat/lon keeps planar distances
    const double ab =
        haversine_m({d.nodes.lat[0], d.nodes.lon[0]}, {d.nodes.lat[1], d.nodes.lon[1]});
    EXPECT_NEAR(ab, 200.0, 0.5);
    EXPECT_NO_THROW(Network(d, "t"));
}

// A traffic light at B: AB and CB alternate, 30 s green + 3 s yellow each, cycle 66 s; the
// program's first phase begins at 10 s (offset, SUMO's definition). A left-turn connection of AB
// (linkIndex 1) is green longer but only the through one (linkIndex 0) decides.
std::string signal_net() {
    std::string n = kNet;
    n.replace(n.find(R"(<junction id="B" type="priority")"), 32,
              R"(<junction id="B" type="traffic_light")");
    const std::string tl = R"(    <tlLogic id="B" type="static" programID="0" offset="10">
        <phase duration="30" state="GGr"/>
        <phase duration="3"  state="yGr"/>
        <phase duration="30" state="rrG"/>
        <phase duration="3"  state="rry"/>
    </tlLogic>
    <connection from="AB" to="BC" fromLane="0" toLane="0" tl="B" linkIndex="0" dir="s" state="O"/>
    <connection from="AB" to="BC" fromLane="1" toLane="0" tl="B" linkIndex="1" dir="l" state="O"/>
    <connection from="CB" to="BC" fromLane="0" toLane="0" tl="B" linkIndex="2" dir="s" state="O"/>
    <connection from=":B_0" to="BC" fromLane="0" toLane="0" dir="s" state="M"/>
)";
    n.insert(n.find("</net>"), tl);
    return n;
}

TEST(SumoNet, TrafficLightsBecomeSignalsWithTheirProgram) {
    SignalPlan plan;
    const auto d = parse_net(signal_net(), "tl.net.xml", {}, &plan);
    EXPECT_EQ(d.nodes.control[0], NodeControl::None);    // dead end A
    EXPECT_EQ(d.nodes.control[1], NodeControl::Signal);  // traffic light B
    ASSERT_EQ(plan.general.size(), d.links.size());
    const ApproachSignal ab = plan.general[0], cb = plan.general[2];
    EXPECT_EQ(ab.cycle_ms, 66'000);
    EXPECT_EQ(ab.green_ms, 33'000);  // green + yellow of the through connection
    EXPECT_EQ(cb.green_ms, 33'000);
    EXPECT_EQ(ab.green_begin_ms, 10'000);  // program time 0 is time 10 s
    EXPECT_EQ(cb.green_begin_ms, 43'000);
    EXPECT_EQ(plan.general[1].cycle_ms, 0);  // BC leaves the light: not an approach
    for (TimeMs t = 0; t < 66'000; t += 500) EXPECT_FALSE(is_green(ab, t) && is_green(cb, t)) << t;
    // Without asking for the programs, only the node control is read.
    const auto plain = parse_net(signal_net(), "tl.net.xml");
    EXPECT_EQ(plain.nodes.control[1], NodeControl::Signal);
}

TEST(SumoNet, ConnectionToAnUnknownProgramIsAnError) {
    std::string n = signal_net();
    n.replace(n.find(R"(tl="B" linkIndex="2")"), 6, R"(tl="X")");
    SignalPlan plan;
    EXPECT_THROW(parse_net(n, "tl.net.xml", {}, &plan), InputError);
}

TEST(SumoNet, CapacityOption) {
    SumoImportOptions opt;
    opt.lane_capacity_vph = 1000;
    EXPECT_DOUBLE_EQ(parse_net(kNet, "t", opt).links.capacity_vph[0], 2000.0);
}

template <class F>
InputError expect_input_error(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no InputError";
    return InputError("", 0, "", "");
}

TEST(SumoNet, MalformedXmlNamesFileAndLine) {
    const auto e = expect_input_error(
        [] { parse_net("<net>\n<junction id=\"a\" x=\"0\" y=\"0\">\n</net>", "bad.net.xml"); });
    EXPECT_EQ(e.file(), "bad.net.xml");
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.field(), "xml");
}

TEST(SumoNet, BadLaneLengthNamesField) {
    std::string net = kNet;
    net.replace(net.find("length=\"150.00\""), 15, "length=\"abc\"");
    const auto e = expect_input_error([&] { parse_net(net, "n"); });
    EXPECT_EQ(e.field(), "length");
    EXPECT_EQ(e.line(), 12u);
}

TEST(SumoNet, UnknownJunction) {
    std::string net = kNet;
    net.replace(net.find("to=\"C\""), 6, "to=\"Z\"");
    const auto e = expect_input_error([&] { parse_net(net, "n"); });
    EXPECT_EQ(e.field(), "to");
}

TEST(SumoRoutes, EmbeddedAndNamedRoutes) {
    const auto d = parse_net(kNet, "n");
    const auto dem = parse_routes(
        routes("<route id=\"r1\" edges=\"BC CB\"/>\n"
               "<vehicle id=\"v0\" depart=\"0.50\"><route edges=\"AB BC\"/></vehicle>\n"
               "<vehicle id=\"v1\" depart=\"3\" route=\"r1\"/>\n"),
        "r", d);
    ASSERT_EQ(dem.plans.trip_count(), 2u);
    EXPECT_EQ(dem.route_edges, 4u);
    EXPECT_EQ(dem.plans.trip_depart_ms[0], 500);
    EXPECT_EQ(dem.plans.trip_depart_ms[1], 3000);
    const auto r0 = dem.plans.leg_route(0);
    ASSERT_EQ(r0.size(), 2u);
    EXPECT_EQ(d.links.external_id[r0[0].index()], "AB");
    EXPECT_EQ(d.links.external_id[r0[1].index()], "BC");
    EXPECT_EQ(dem.plans.leg_kind[1], LegKind::Drive);
    EXPECT_EQ(dem.vehicle_ids[1], "v1");
}

TEST(SumoRoutes, CopiesAddOffsetDepartures) {
    const auto d = parse_net(kNet, "n");
    const auto dem =
        parse_routes(routes("<vehicle id=\"v0\" depart=\"1\"><route edges=\"AB\"/></vehicle>\n"),
                     "r", d, 2, 0.25);
    ASSERT_EQ(dem.plans.trip_count(), 2u);
    EXPECT_EQ(dem.plans.trip_depart_ms[1], 1250);
    EXPECT_EQ(dem.vehicle_ids[1], "v0#1");
}

TEST(SumoRoutes, UnknownEdgeNamesLineAndField) {
    const auto d = parse_net(kNet, "n");
    const auto e = expect_input_error([&] {
        parse_routes(
            routes("<vehicle id=\"v0\" depart=\"0\">\n<route edges=\"AB XY\"/></vehicle>\n"),
            "r.rou.xml", d);
    });
    EXPECT_EQ(e.file(), "r.rou.xml");
    EXPECT_EQ(e.line(), 4u);
    EXPECT_EQ(e.field(), "edges");
    EXPECT_NE(std::string(e.what()).find("XY"), std::string::npos);
}

TEST(SumoRoutes, DisconnectedRouteAndBadDepart) {
    const auto d = parse_net(kNet, "n");
    EXPECT_EQ(expect_input_error([&] {
                  parse_routes(
                      routes("<vehicle id=\"v\" depart=\"0\"><route edges=\"BC BC\"/></vehicle>\n"),
                      "r", d);
              }).field(),
              "edges");
    EXPECT_EQ(expect_input_error([&] {
                  parse_routes(
                      routes("<vehicle id=\"v\" depart=\"soon\"><route edges=\"AB\"/></vehicle>\n"),
                      "r", d);
              }).field(),
              "depart");
    EXPECT_EQ(expect_input_error([&] {
                  parse_routes(routes("<vehicle id=\"v\" depart=\"0\"/>\n"), "r", d);
              }).field(),
              "route");
    EXPECT_EQ(expect_input_error([&] {
                  parse_routes(routes("<trip id=\"t\" depart=\"0\"/>\n"), "r", d);
              }).field(),
              "trip");
    EXPECT_EQ(
        expect_input_error([&] { parse_routes("<routes><vehicle id=\"v\"", "r", d); }).field(),
        "xml");
    // Regression: a departure of 1e300 s overflowed the millisecond clock (undefined behaviour).
    EXPECT_EQ(
        expect_input_error([&] {
            parse_routes(
                routes("<vehicle id=\"v\" depart=\"1e300\"><route edges=\"AB\"/></vehicle>\n"), "r",
                d);
        }).field(),
        "depart");
    EXPECT_EQ(expect_input_error([&] {
                  parse_routes(
                      routes("<vehicle id=\"v\" depart=\"0\"><route edges=\"AB\"/></vehicle>\n"),
                      "r", d, 2, -1.0);
              }).field(),
              "copy_offset_s");
}

TEST(SumoNet, HugePhaseDurationIsRefused) {
    std::string n = signal_net();
    n.replace(n.find("duration=\"30\""), 13, "duration=\"1e300\"");
    SignalPlan plan;
    EXPECT_EQ(expect_input_error([&] { parse_net(n, "tl.net.xml", {}, &plan); }).field(),
              "duration");
}

std::filesystem::path write_gz(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / name;
    gzFile f = gzopen(p.string().c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return p;
}

TEST(SumoGzip, ReadsGzipAndRejectsTruncated) {
    const auto p = write_gz("modeshift_sumo_test.net.xml.gz", kNet);
    EXPECT_EQ(read_net(p).links.size(), 3u);
    const auto full = std::filesystem::file_size(p);
    const auto full_text = read_maybe_gz(p);
    EXPECT_EQ(full_text, kNet);
    std::filesystem::resize_file(p, full - 6);  // cut into the gzip trailer
    EXPECT_EQ(expect_input_error([&] { read_net(p); }).field(), "gzip");
    std::filesystem::resize_file(p, full / 2);
    const auto e = expect_input_error([&] { read_maybe_gz(p); });
    EXPECT_EQ(e.file(), p.string());
    EXPECT_EQ(e.field(), "gzip");
    std::filesystem::remove(p);
    EXPECT_EQ(expect_input_error([] { read_maybe_gz("/nonexistent/x.net.xml"); }).field(), "file");
}

TEST(SumoSimulate, ImportedTripTakesFreeFlowTime) {
    const auto d = parse_net(kNet, "n");
    const Network net(d, "n");
    const auto dem = parse_routes(
        routes("<vehicle id=\"v0\" depart=\"0\"><route edges=\"AB BC\"/></vehicle>\n"), "r", d);
    EngineConfig cfg;
    cfg.threads = 1;
    Simulation sim(net, vehicle_types(), cfg);
    struct Tt final : Observer {
        double s = -1;
        void on_trips(std::uint32_t, std::span<const TripOutcome> b) override {
            for (const auto& t : b) s = ms_to_seconds(t.arrive_ms - t.depart_ms);
        }
    } obs;
    Observer* o[] = {&obs};
    const auto st = sim.run(dem.plans, o);
    EXPECT_EQ(st.trips_completed, 1u);
    // 200 m at 13.89 m/s + 150 m at 10 m/s = 29.4 s (engine rounds per link to whole ms or s)
    EXPECT_NEAR(obs.s, 200.0 / 13.89 + 15.0, 2.0);
}

}  // namespace
}  // namespace modeshift::sumo
