// Lanes from the real sources (lanes.hpp) on hand-made links: ETRI edges matched by geometry,
// published sections located by tram segment and road name, the 둔산 lower bound, precedence.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/import_daejeon/lanes.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/network/builder.hpp"

namespace fs = std::filesystem;
using namespace modeshift;
using namespace modeshift::daejeon;

namespace {

constexpr double kLat = 36.35;
constexpr double kDegPerM = 1.0 / 89'600.0;  // longitude degrees per metre at 36.35 N
constexpr double kLatPerM = 1.0 / 110'950.0;

/// Four rule links of 2 lanes and 4,400 veh/h: 0 runs east (800 m), 1 is its reverse, 2 runs
/// east 1 km further north, 3 runs east 2 km further north. Names: 0 and 1 unnamed, 2 "계백로",
/// 3 "한밭대로".
NetworkData rule_links() {
    NetworkBuilder b("lanes-test");
    const LatLon pts[] = {{kLat, 127.30},
                          {kLat, 127.30 + 800 * kDegPerM},
                          {kLat + 1000 * kLatPerM, 127.30},
                          {kLat + 1000 * kLatPerM, 127.30 + 800 * kDegPerM},
                          {kLat + 2000 * kLatPerM, 127.30},
                          {kLat + 2000 * kLatPerM, 127.30 + 800 * kDegPerM}};
    std::vector<NodeId> n;
    for (const auto& p : pts) n.push_back(b.add_node(p));
    auto add = [&](NodeId from, NodeId to, const std::string& name) {
        LinkSpec s;
        s.from = from;
        s.to = to;
        s.length_m = 800;
        s.lanes = 2;
        s.capacity_vph = 2 * 2200;
        s.name = name;
        s.lanes_source = LanesSource::Rule;
        b.add_link(s);
    };
    add(n[0], n[1], "");
    add(n[1], n[0], "");
    add(n[2], n[3], "계백로");
    add(n[4], n[5], "한밭대로");
    return b.finish();
}

/// An eastbound edge along link 0 from x0 to x1 metres, `north_m` north of it.
LaneEdge east(double x0, double x1, double north_m, float lanes, double lat = kLat) {
    return {{lat + north_m * kLatPerM, 127.30 + x0 * kDegPerM},
            {lat + north_m * kLatPerM, 127.30 + x1 * kDegPerM},
            lanes};
}

LaneSection section(const std::string& road, const std::string& segment, float lanes) {
    LaneSection s;
    s.road = road;
    s.section = "A~B";
    s.decision = SectionDecision::Use;
    s.tram_segments = {segment};
    s.lanes = lanes;
    return s;
}

fs::path scratch(const std::string& name, const std::string& text) {
    const fs::path dir =
        fs::temp_directory_path() / ("ms_lanes_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    write_text_atomic(dir / name, text);
    return dir / name;
}

}  // namespace

TEST(DaejeonLanes, EtriEdgeSetsLanesAndUnmatchedLinkKeepsTheRule) {
    auto d = rule_links();
    LaneSources src;
    // Two edges 12 m off the centreline (the carriageway) cover 600 of the 800 m: 4 lanes.
    src.doan2022 = {east(0, 300, 12, 4), east(300, 600, 12, 4)};
    // The opposite carriageway's edge (westbound) must not set link 0; it sets link 1.
    src.doan2022.push_back(east(800, 0, -12, 3));
    const auto st = assign_lanes(d, d.links.size(), {}, src);
    const auto& L = d.links;
    EXPECT_EQ(L.lanes[0], 4);
    EXPECT_EQ(L.lanes_source[0], LanesSource::EtriDoan2022);
    EXPECT_DOUBLE_EQ(L.capacity_vph[0], 4 * 2200);  // capacity follows lanes
    EXPECT_DOUBLE_EQ(L.storage_pce[0], 800 * 4 / kEffectiveCellSizeM);
    EXPECT_EQ(L.lanes[1], 3);
    EXPECT_EQ(L.lanes_source[1], LanesSource::EtriDoan2022);
    EXPECT_EQ(L.lanes[2], 2);  // nothing near: the rule stays
    EXPECT_EQ(L.lanes_source[2], LanesSource::Rule);
    EXPECT_DOUBLE_EQ(L.capacity_vph[2], 2 * 2200);
    EXPECT_EQ(st.links[static_cast<int>(LanesSource::EtriDoan2022)], 2);
    EXPECT_EQ(st.links[static_cast<int>(LanesSource::Rule)], 2);
    EXPECT_NEAR(st.lane_km_before, 4 * 2 * 0.8, 1e-9);
    EXPECT_NEAR(st.lane_km_after, (4 + 3 + 2 + 2) * 0.8, 1e-9);
}

TEST(DaejeonLanes, MatchNeedsToleranceBearingAndCoverage) {
    const std::vector<LatLon> link = {{kLat, 127.30}, {kLat, 127.30 + 800 * kDegPerM}};
    const LaneMatch m;  // 25 m, 30 degrees, half the length
    EXPECT_EQ(lanes_along(link, {east(0, 500, 20, 3)}, m), 3);
    EXPECT_EQ(lanes_along(link, {east(0, 500, 40, 3)}, m), 0);  // too far off
    EXPECT_EQ(lanes_along(link, {east(0, 300, 10, 3)}, m), 0);  // 300 of 800 m: too little
    // A crossing street at a right angle.
    const LaneEdge cross{{kLat - 200 * kLatPerM, 127.30 + 400 * kDegPerM},
                         {kLat + 200 * kLatPerM, 127.30 + 400 * kDegPerM},
                         3};
    EXPECT_EQ(lanes_along(link, {cross}, m), 0);
    // Mixed lane counts: the one covering the most length; a tie takes the fewer lanes.
    EXPECT_EQ(lanes_along(link, {east(0, 500, 5, 4), east(500, 800, 5, 2)}, m), 4);
    EXPECT_EQ(lanes_along(link, {east(0, 400, 5, 4), east(400, 800, 5, 2)}, m), 2);
}

TEST(DaejeonLanes, PublishedSectionByTramSegmentAndRoadName) {
    auto d = rule_links();
    LaneSources src;
    src.sections = {section("계백로", "SEG_36", 5), section("한밭대로", "SEG_17", 4)};
    // Link 3 runs along SEG_36 but is named 한밭대로, not 계백로: not that section's road.
    const std::vector<std::string> segment = {"", "", "SEG_36", "SEG_36"};
    assign_lanes(d, d.links.size(), segment, src);
    EXPECT_EQ(d.links.lanes[2], 5);
    EXPECT_EQ(d.links.lanes_source[2], LanesSource::Published);
    EXPECT_DOUBLE_EQ(d.links.capacity_vph[2], 5 * 2200);
    EXPECT_EQ(d.links.lanes[3], 2);
    EXPECT_EQ(d.links.lanes_source[3], LanesSource::Rule);
}

TEST(DaejeonLanes, PrecedenceAndTheDunsanLowerBound) {
    auto d = rule_links();
    LaneSources src;
    src.doan2022 = {east(0, 800, 8, 3, kLat + 1000 * kLatPerM)};  // along link 2
    src.sections = {section("계백로", "SEG_36", 5)};
    // 둔산 edges: 1 lane along link 0 (below the rule's 2: ignored), 3 along link 3 (raises).
    src.dunsan = {east(0, 800, 8, 1), east(0, 800, 8, 3, kLat + 2000 * kLatPerM)};
    const std::vector<std::string> segment = {"", "", "SEG_36", ""};
    const auto st = assign_lanes(d, d.links.size(), segment, src);
    EXPECT_EQ(d.links.lanes[2], 3);  // ETRI 2022 before the published section
    EXPECT_EQ(d.links.lanes_source[2], LanesSource::EtriDoan2022);
    EXPECT_EQ(d.links.lanes[0], 2);
    EXPECT_EQ(d.links.lanes_source[0], LanesSource::Rule);
    EXPECT_EQ(d.links.lanes[3], 3);
    EXPECT_EQ(d.links.lanes_source[3], LanesSource::EtriDunsan);
    EXPECT_EQ(st.dunsan_not_above_rule, 1);
}

TEST(DaejeonLanes, SectionsMustNamePublishedRows) {
    const auto published = scratch("published.csv",
                                   "road,section,lanes_two_way,trust,as_of\n"
                                   "계백로,A~B,10,high,2025\n"
                                   "동서대로,C~D,8,high,2013\n");
    const auto good = scratch("good.csv",
                              "road,section,decision,tram_segments,lanes_per_direction,source\n"
                              "계백로,A~B,use,SEG_36 SEG_45,5,\"10 two-way\"\n"
                              "동서대로,C~D,not_located,,,\"no named links\"\n");
    const auto s = read_lane_sections(good, published);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].tram_segments, (std::vector<std::string>{"SEG_36", "SEG_45"}));
    EXPECT_EQ(s[0].lanes, 5);
    EXPECT_EQ(s[0].trust, "high");
    EXPECT_EQ(s[1].decision, SectionDecision::NotLocated);
    auto field_of = [&](const std::string& body) {
        try {
            read_lane_sections(
                scratch("bad.csv",
                        "road,section,decision,tram_segments,lanes_per_direction,source\n" + body),
                published);
        } catch (const InputError& e) {
            return e.field();
        }
        return std::string("<accepted>");
    };
    // A row that is not in lanes_published.csv, and a published row without a decision.
    EXPECT_EQ(field_of("계백로,X~Y,use,SEG_36,5,x\n동서대로,C~D,not_used,,,x\n"), "section");
    EXPECT_EQ(field_of("계백로,A~B,use,SEG_36,5,x\n"), "section");
    EXPECT_EQ(field_of("계백로,A~B,use,,5,x\n동서대로,C~D,not_used,,,x\n"), "tram_segments");
    EXPECT_EQ(field_of("계백로,A~B,use,SEG_36,0,x\n동서대로,C~D,not_used,,,x\n"),
              "lanes_per_direction");
    EXPECT_EQ(field_of("계백로,A~B,maybe,,,x\n동서대로,C~D,not_used,,,x\n"), "decision");
}
