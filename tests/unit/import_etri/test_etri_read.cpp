// The ETRI plan reader on a hand-made junction: cycles, greens, offsets and time-of-day switches
// exactly, and errors that name file, line and field.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "etri_fixture.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/import_etri/etri.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

etri::EtriData fixture() {
    return etri::read_etri(test::write_etri_fixture(test::fixture_dir("modeshift_etri")));
}

const etri::Approach& approach(const std::vector<etri::Approach>& apps, const std::string& edge) {
    for (const auto& a : apps)
        if (a.edge == edge) return a;
    throw std::logic_error("no approach " + edge);
}

TEST(EtriRead, SchedulesAndTimeOfDayPeriodsExactly) {
    const etri::EtriData d = fixture();
    ASSERT_EQ(d.signals.size(), 1u);
    const etri::Signal& s = d.signals[0];
    EXPECT_EQ(s.cross_no, "7");
    EXPECT_EQ(s.cross_name, "시험네거리");
    ASSERT_EQ(s.schedules.size(), 2u);
    EXPECT_DOUBLE_EQ(s.schedule("1").cycle_s(), 100);
    EXPECT_DOUBLE_EQ(s.schedule("2").cycle_s(), 60);
    ASSERT_EQ(s.periods.size(), 3u);
    EXPECT_EQ(s.periods[0].start_s, 0);
    EXPECT_EQ(s.periods[0].schedule, "1");
    EXPECT_EQ(s.periods[1].start_s, 25'200);  // 07:00
    EXPECT_EQ(s.periods[1].schedule, "2");
    EXPECT_EQ(s.periods[1].offset_s, 5);
    EXPECT_EQ(s.periods[2].start_s, 34'200);  // 09:30
    EXPECT_EQ(d.connections.size(), 8u);      // the uncontrolled one is left out
}

TEST(EtriRead, ApproachesTakeTheirThroughLights) {
    const etri::EtriData d = fixture();
    const auto apps = etri::approaches(d, d.signals[0]);
    ASSERT_EQ(apps.size(), 4u);
    const etri::Approach& w = approach(apps, "win");
    EXPECT_EQ(w.movement, "through");
    EXPECT_EQ(w.link_indices, (std::vector<std::size_t>{6}));
    EXPECT_NEAR(w.arrival_heading, 0, 1e-6);  // heading east
    EXPECT_EQ(approach(apps, "nin").link_indices, (std::vector<std::size_t>{0}));
}

TEST(EtriRead, GreensFromPhaseOrderAndOffsetInEveryPeriod) {
    const etri::EtriData d = fixture();
    const auto apps = etri::approaches(d, d.signals[0]);
    const auto ew = etri::timings(d.signals[0], approach(apps, "win"));
    ASSERT_EQ(ew.size(), 3u);
    // Schedule 1: E-W through starts after 30 + 3 + 14 + 3 = 50 s of the cycle, which begins at
    // the offset 10 s: green 60..100 s of every 100 s from midnight.
    EXPECT_EQ(ew[0].cycle_s, 100);
    EXPECT_EQ(ew[0].green_begin_s, 60);
    EXPECT_EQ(ew[0].green_s, 40);
    EXPECT_EQ(ew[0].stages, 4);
    // Schedule 2 from 07:00: 20 + 3 + 4 + 3 = 30 s, offset 5: green 35..55 s of every 60 s.
    EXPECT_EQ(ew[1].start_s, 25'200);
    EXPECT_EQ(ew[1].cycle_s, 60);
    EXPECT_EQ(ew[1].green_begin_s, 35);
    EXPECT_EQ(ew[1].green_s, 20);
    EXPECT_EQ(ew[2].start_s, 34'200);
    EXPECT_EQ(ew[2].green_begin_s, 60);
    const auto ns = etri::timings(d.signals[0], approach(apps, "nin"));
    EXPECT_EQ(ns[0].green_begin_s, 10);  // the first phase, shifted by the offset
    EXPECT_EQ(ns[0].green_s, 30);
}

/// The fixture with `from` replaced by `to` in one file; the InputError it gives.
InputError broken(const std::string& file, const std::string& from, const std::string& to) {
    const fs::path dir = test::write_etri_fixture(test::fixture_dir("modeshift_etri_broken"));
    std::string text = file == "tss.xml"    ? test::kEtriTss
                       : file == "edge.xml" ? test::kEtriEdges
                       : file == "node.xml" ? test::kEtriNodes
                                            : test::kEtriConnections;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(dir / file) << text;
    try {
        etri::read_etri(dir);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted " << to;
    return InputError("", 0, "", "");
}

TEST(EtriRead, BadFilesNameFileLineAndField) {
    struct Case {
        const char* file;
        const char* from;
        const char* to;
        std::uint64_t line;
        const char* field;
    };
    for (const Case& c : {
             Case{"tss.xml", R"(duration="40")", R"(duration="forty")", 9, "duration"},
             Case{"tss.xml", R"(schedule="2")", R"(schedule="9")", 25, "schedule"},
             Case{"tss.xml", R"(startTime="34200")", R"(startTime="100")", 26, "startTime"},
             Case{"tss.xml", "rrryrrry\" duration=\"3\"/>\n        </schedule>\n        <schedule",
                  "rrryrrr\" duration=\"3\"/>\n        </schedule>\n        <schedule", 12,
                  "state"},
             Case{"tss.xml", "<TODPlan offset=\"10\" defaultPlan=\"1\">",
                  "<TODPlan offset=\"10\" defaultPlan=\"1\"", 0, "xml"},
             Case{"node.xml", R"(y="36.353")", R"(y="91")", 4, "y"},
             Case{"edge.xml", "127.383,36.35 127.38,36.35", "127.383;36.35", 5, "shape"},
             Case{"connection.xml", R"(tl="J" linkIndex="7")", R"(tl="J" linkIndex="8")", 10,
                  "linkIndex"},
             Case{"connection.xml", R"(from="win" to="nout")", R"(from="win" to="nowhere")", 10,
                  "to"},
         }) {
        const InputError e = broken(c.file, c.from, c.to);
        EXPECT_NE(e.file().find(c.file), std::string::npos) << e.what();
        if (c.line > 0) {  // 0: a syntax error, whose line is pugixml's
            EXPECT_EQ(e.line(), c.line) << e.what();
        }
        EXPECT_GT(e.line(), 0u) << e.what();
        EXPECT_EQ(e.field(), c.field) << e.what();
    }
}

}  // namespace
}  // namespace modeshift
