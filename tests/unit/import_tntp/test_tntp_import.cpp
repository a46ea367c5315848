// TNTP reader: the published networks, and malformed input -> InputError(file, line, field).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift::tntp {
namespace {

std::filesystem::path tntp_dir() {
    return std::filesystem::path(MODESHIFT_SHARED_DATA) / "tntp";
}

#define REQUIRE_SHARED_DATA()                                         \
    if (!std::filesystem::exists(tntp_dir() / "SiouxFalls_net.tntp")) \
    GTEST_SKIP() << "shared data not found: " << tntp_dir()

constexpr const char* kHeader =
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 3\n<NUMBER OF LINKS> 2\n"
    "<END OF METADATA>\n";  // lines 1-5

std::string net_text(const std::string& rows) {
    return std::string(kHeader) + "~ init term cap len fft b power speed toll type ;\n" + rows;
}
constexpr const char* kGoodRows =
    "1 3 100 2 3 0.15 4 0 5 1 ;\n"   // line 7
    "3 2 100 2 3 0.15 4 0 0 1 ;\n";  // line 8

/// Expects parse_net to throw naming the file, the line and the field.
void expect_net_error(const std::string& text, std::uint64_t line, const std::string& field) {
    try {
        parse_net(text, "bad_net.tntp", "bad");
        FAIL() << "no InputError for field " << field;
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "bad_net.tntp");
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_EQ(e.field(), field) << e.what();
    }
}

void expect_trips_error(const std::string& text, std::uint64_t line, const std::string& field) {
    std::vector<std::string> warnings;
    try {
        parse_trips(text, "bad_trips.tntp", warnings);
        FAIL() << "no InputError for field " << field;
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "bad_trips.tntp");
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_EQ(e.field(), field) << e.what();
    }
}

TEST(TntpNet, ParsesColumnsUnitsAndZones) {
    TntpUnits u;
    u.time_unit_s = 60;
    const auto d = parse_net(net_text(kGoodRows), "x_net.tntp", "x", u);
    ASSERT_EQ(d.links.size(), 2u);
    EXPECT_EQ(d.nodes.size(), 3u);
    EXPECT_EQ(d.first_thru_node, 2u);  // FIRST THRU NODE 3 -> node index 2
    ASSERT_EQ(d.zones.size(), 2u);
    EXPECT_EQ(d.zones[1].centroid, NodeId(1));
    EXPECT_EQ(d.links.from[0], NodeId(0));
    EXPECT_EQ(d.links.to[0], NodeId(2));
    EXPECT_DOUBLE_EQ(d.links.freeflow_time_s[0], 180.0);
    EXPECT_DOUBLE_EQ(d.links.length_m[0], 2 * 1609.344);
    EXPECT_DOUBLE_EQ(d.links.capacity_vph[0], 100.0);
    EXPECT_DOUBLE_EQ(d.links.bpr_alpha[0], 0.15);
    EXPECT_DOUBLE_EQ(d.links.bpr_beta[0], 4.0);
    EXPECT_DOUBLE_EQ(d.links.toll[0], 5.0);
    EXPECT_EQ(d.links.road_class[0], RoadClass::Connector);
    EXPECT_EQ(d.names[d.links.name[0]], "tntp type 1");
    EXPECT_DOUBLE_EQ(recorded_time_unit_s(d, 1.0), 60.0);
    const Network net(d, "x_net.tntp");
    EXPECT_FALSE(net.is_through_node(NodeId(1)));
    EXPECT_TRUE(net.is_through_node(NodeId(2)));
}

TEST(TntpNet, ReadsThePublishedNetworks) {
    REQUIRE_SHARED_DATA();
    struct Case {
        const char* name;
        std::size_t zones, nodes, links;
        std::uint32_t first_thru;
    };
    for (const Case& c :
         {Case{"SiouxFalls", 24, 24, 76, 1}, Case{"Anaheim", 38, 416, 914, 39},
          Case{"ChicagoSketch", 387, 933, 2950, 1}, Case{"Barcelona", 110, 1020, 2522, 111},
          Case{"Winnipeg", 147, 1052, 2836, 148}, Case{"Braess", 2, 4, 5, 1}}) {
        const auto d = read_net(tntp_dir() / (std::string(c.name) + "_net.tntp"));
        EXPECT_EQ(d.name, c.name);
        EXPECT_EQ(d.zones.size(), c.zones) << c.name;
        EXPECT_EQ(d.nodes.size(), c.nodes) << c.name;
        EXPECT_EQ(d.links.size(), c.links) << c.name;
        EXPECT_EQ(d.first_thru_node, c.first_thru - 1) << c.name;
        EXPECT_NO_THROW(Network(d, c.name));
    }
}

TEST(TntpTrips, ReadsThePublishedMatricesWithoutWarnings) {
    REQUIRE_SHARED_DATA();
    struct Case {
        const char* name;
        std::uint32_t zones;
        double total;
    };
    for (const Case& c :
         {Case{"SiouxFalls", 24, 360600}, Case{"Anaheim", 38, 104694.40},
          Case{"ChicagoSketch", 387, 1260907.44}, Case{"Barcelona", 110, 184679.561},
          Case{"Winnipeg", 147, 64784}, Case{"Braess", 2, 6}}) {
        std::vector<std::string> warnings;
        const auto od = read_trips(tntp_dir() / (std::string(c.name) + "_trips.tntp"), warnings);
        EXPECT_EQ(od.zones, c.zones) << c.name;
        EXPECT_NEAR(od.total(), c.total, 0.01) << c.name;
        EXPECT_TRUE(warnings.empty()) << c.name << ": " << (warnings.empty() ? "" : warnings[0]);
    }
}

TEST(TntpTrips, ParsesSeveralEntriesPerLine) {
    std::vector<std::string> warnings;
    const auto od = parse_trips(
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 7.5\n<END OF METADATA>\nOrigin 1\n 1 : 0.0; 2 : "
        "5.5;\n"
        "Origin 2\n    1 :   2.0;\n",
        "t", warnings);
    EXPECT_DOUBLE_EQ(od.at(0, 1), 5.5);
    EXPECT_DOUBLE_EQ(od.at(1, 0), 2.0);
    EXPECT_DOUBLE_EQ(od.at(1, 1), 0.0);
    EXPECT_TRUE(warnings.empty());
}

TEST(TntpTrips, TotalMismatchIsACountedWarning) {
    std::vector<std::string> warnings;
    const auto od = parse_trips(
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 100\n<END OF METADATA>\n"
        "Origin 1\n 2 : 5.5;\n",
        "t", warnings);
    EXPECT_DOUBLE_EQ(od.total(), 5.5);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("<TOTAL OD FLOW>"), std::string::npos);
}

TEST(TntpNodes, DegreesAreKeptPlanarCoordinatesAreSynthetic) {
    auto d = parse_net(net_text(kGoodRows), "x_net.tntp", "x");
    std::vector<std::string> warnings;
    parse_nodes("Node X Y ;\n1 -96.77 43.61 ;\n2 -96.71 43.60 ;\n3 -96.70 43.50 ;\n", "n", d, {},
                warnings);
    EXPECT_DOUBLE_EQ(d.nodes.lat[0], 43.61);
    EXPECT_DOUBLE_EQ(d.nodes.lon[0], -96.77);
    EXPECT_TRUE(warnings.empty());
    auto p = parse_net(net_text(kGoodRows), "x_net.tntp", "x");
    parse_nodes("node X Y ;\n1 690309 1976022 ;\n2 683649 1973025 ;\n", "n", p, {}, warnings);
    ASSERT_EQ(warnings.size(), 1u);  // node 3 has no coordinates
    // 6660 ft apart in x = 2030 m: the synthetic lat/lon keep the distance.
    const double dlon_m = (p.nodes.lon[0] - p.nodes.lon[1]) * 111'319.491;
    EXPECT_NEAR(dlon_m, 6660 * 0.3048, 1.0);
}

// ---- malformed networks: at least ten cases, each naming file, line and field ----

// Regressions of the malformed-input table: counts that made the readers allocate for a huge
// network or a dense matrix of 10^10 cells before reading a single row.
TEST(TntpNetErrors, HugeNodeCountIsRefusedUpFront) {
    expect_net_error(
        "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 99000000\n<FIRST THRU NODE> 1\n"
        "<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1000 1 1 0.15 4 0 0 1 ;\n",
        2, "<NUMBER OF NODES>");
}
TEST(TntpTripsErrors, HugeZoneCountIsRefusedUpFront) {
    expect_trips_error("<NUMBER OF ZONES> 100000\n<END OF METADATA>\nOrigin 1\n 2 : 6.0;\n", 1,
                       "<NUMBER OF ZONES>");
}

TEST(TntpNetErrors, MissingHeaderTag) {
    expect_net_error(
        "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<NUMBER OF LINKS> 2\n<END OF METADATA>\n", 4,
        "<FIRST THRU NODE>");
}
TEST(TntpNetErrors, NoMetadataAtAll) {
    expect_net_error("1 3 100 2 3 0.15 4 0 0 1 ;\n", 1, "metadata");
}
TEST(TntpNetErrors, MetadataNeverEnds) {
    expect_net_error("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n", 2, "<END OF METADATA>");
}
TEST(TntpNetErrors, NonNumericHeaderValue) {
    expect_net_error(
        "<NUMBER OF ZONES> two\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
        "<NUMBER OF LINKS> 1\n<END OF METADATA>\n",
        1, "<NUMBER OF ZONES>");
}
TEST(TntpNetErrors, WrongColumnCount) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 1 ;\n3 2 100 2 3 0.15 4 0 0 1 ;\n"), 7,
                     "columns");
}
TEST(TntpNetErrors, NegativeCapacity) {
    expect_net_error(net_text("1 3 -100 2 3 0.15 4 0 0 1 ;\n3 2 100 2 3 0.15 4 0 0 1 ;\n"), 7,
                     "capacity");
}
TEST(TntpNetErrors, ZeroCapacityWithBprTerm) {
    expect_net_error(net_text("1 3 0 2 3 0.15 4 0 0 1 ;\n3 2 100 2 3 0.15 4 0 0 1 ;\n"), 7,
                     "capacity");
}
TEST(TntpNetErrors, UnknownNode) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 0 1 ;\n3 9 100 2 3 0.15 4 0 0 1 ;\n"), 8,
                     "term_node");
}
TEST(TntpNetErrors, NaNFreeFlowTime) {
    expect_net_error(net_text("1 3 100 2 nan 0.15 4 0 0 1 ;\n3 2 100 2 3 0.15 4 0 0 1 ;\n"), 7,
                     "free_flow_time");
}
TEST(TntpNetErrors, NegativeFreeFlowTime) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 0 1 ;\n3 2 100 2 -3 0.15 4 0 0 1 ;\n"), 8,
                     "free_flow_time");
}
TEST(TntpNetErrors, TruncatedFileMissingLinks) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 0 1 ;\n"), 7, "<NUMBER OF LINKS>");
}
TEST(TntpNetErrors, TruncatedLastRow) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 0 1 ;\n3 2 100 2 3 0.1"), 8, "link_type");
}
TEST(TntpNetErrors, DuplicateLink) {
    expect_net_error(net_text("1 3 100 2 3 0.15 4 0 0 1 ;\n1 3 100 2 3 0.15 4 0 0 1 ;\n"), 8,
                     "term_node");
}
TEST(TntpNetErrors, MoreLinksThanAnnounced) {
    expect_net_error(net_text(std::string(kGoodRows) + "2 3 100 2 3 0.15 4 0 0 1 ;\n"), 9,
                     "<NUMBER OF LINKS>");
}
TEST(TntpNetErrors, SelfLoop) {
    expect_net_error(net_text("3 3 100 2 3 0.15 4 0 0 1 ;\n3 2 100 2 3 0.15 4 0 0 1 ;\n"), 7,
                     "term_node");
}
TEST(TntpNetErrors, ZonesExceedNodes) {
    expect_net_error(
        "<NUMBER OF ZONES> 5\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
        "<NUMBER OF LINKS> 1\n<END OF METADATA>\n",
        1, "<NUMBER OF ZONES>");
}

TEST(TntpNodeErrors, UnknownNodeAndBadCoordinate) {
    auto d = parse_net(net_text(kGoodRows), "x_net.tntp", "x");
    std::vector<std::string> w;
    try {
        parse_nodes("Node X Y ;\n1 1.0 2.0 ;\n7 1.0 2.0 ;\n", "n.tntp", d, {}, w);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.field(), "node");
    }
    EXPECT_THROW(parse_nodes("Node X Y ;\n1 abc 2.0 ;\n", "n.tntp", d, {}, w), InputError);
}

// ---- malformed trips ----

constexpr const char* kTripsHeader = "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 6\n<END OF METADATA>\n";

TEST(TntpTripsErrors, MissingZoneCount) {
    expect_trips_error("<TOTAL OD FLOW> 6\n<END OF METADATA>\nOrigin 1\n2 : 6;\n", 2,
                       "<NUMBER OF ZONES>");
}
TEST(TntpTripsErrors, OriginOutOfRange) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 4\n 1 : 6;\n", 4, "origin");
}
TEST(TntpTripsErrors, DestinationOutOfRange) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : 3; 0 : 3;\n", 5, "destination");
}
TEST(TntpTripsErrors, EntriesBeforeAnyOrigin) {
    expect_trips_error(std::string(kTripsHeader) + " 2 : 6;\n", 4, "origin");
}
TEST(TntpTripsErrors, BadOriginLine) {
    expect_trips_error(std::string(kTripsHeader) + "Origin one\n 2 : 6;\n", 4, "origin");
}
TEST(TntpTripsErrors, DuplicateOriginBlock) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : 3;\nOrigin 1\n 3 : 3;\n", 6,
                       "origin");
}
TEST(TntpTripsErrors, DuplicateDestination) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : 3;\n 2 : 3;\n", 6,
                       "destination");
}
TEST(TntpTripsErrors, NegativeOrNaNDemand) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : -3;\n", 5, "demand");
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : nan;\n", 5, "demand");
}
TEST(TntpTripsErrors, MissingColon) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2   3;\n", 5, "destination");
}
TEST(TntpTripsErrors, TruncatedEntry) {
    expect_trips_error(std::string(kTripsHeader) + "Origin 1\n 2 : 3; 3 : 1", 5, "demand");
}
TEST(TntpTripsErrors, NoOriginBlocks) {
    expect_trips_error(std::string(kTripsHeader) + "\n", 4, "origin");
}

TEST(TntpFiles, MissingFileIsAnInputError) {
    std::vector<std::string> w;
    EXPECT_THROW(read_net("/nonexistent/x_net.tntp"), InputError);
    EXPECT_THROW(read_trips("/nonexistent/x_trips.tntp", w), InputError);
}

}  // namespace
}  // namespace modeshift::tntp
