#include <gtest/gtest.h>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/policy/policy.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
const fs::path kSrc = MODESHIFT_SOURCE_DIR;

ScenarioSetup make_setup() {
    ScenarioSetup s;
    static const NetworkData net = read_network(kSrc / "networks/daejeon/daejeon.msnet");
    s.network = net;
    s.fleet = load_fleet(kSrc / "scenarios/data/fleet.json");
    init_context(s, 300);
    return s;
}

void apply_json(const std::string& text, ScenarioSetup& s) {
    const Json j = Json::parse(text);
    apply_policy(JsonCursor(j, "policy.json", "$.policies[0]"), s);
}

std::string field_of(const std::string& text) {
    auto s = make_setup();
    try {
        apply_json(text, s);
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "policy.json");
        return e.field();
    }
    return "<no error>";
}
}  // namespace

TEST(Policy, TramActivationOpensLineTwo) {
    auto s = make_setup();
    std::size_t tram = 0, active = 0;
    for (const auto& l : s.network.lines)
        if (l.mode == Mode::Tram) {
            ++tram;
            active += l.active;
        }
    ASSERT_GT(tram, 0u);
    EXPECT_EQ(active, 0u);  // not open in the base year
    apply_json(R"({"kind":"activate_line","mode":"tram"})", s);
    for (const auto& l : s.network.lines) {
        if (l.mode == Mode::Tram) {
            EXPECT_TRUE(l.active);
        }
    }
}

TEST(Policy, BusFrequencyDividesHeadways) {
    auto s = make_setup();
    const auto before = s.network.lines[0];
    ASSERT_EQ(before.mode, Mode::Bus);
    apply_json(R"({"kind":"bus_frequency","lines":"all","frequency_factor":2})", s);
    EXPECT_DOUBLE_EQ(s.network.lines[0].headway_peak_s, before.headway_peak_s / 2);
}

TEST(Policy, ChargesAndZones) {
    auto s = make_setup();
    apply_json(R"({"kind":"parking_charge","zones":["둔산1동","둔산2동"],"krw":3000})", s);
    std::size_t charged = 0;
    for (double c : s.context.parking_charge_krw) charged += c == 3000;
    EXPECT_EQ(charged, 2u);
    apply_json(R"({"kind":"congestion_charge","zones":["둔산1동","둔산2동","둔산3동"],"krw":2000})",
               s);
    std::size_t tolled = 0;
    for (double t : s.network.links.toll) tolled += t == 2000;
    EXPECT_GT(tolled, 10u);
}

TEST(Policy, EvShareRescalesTheMix) {
    auto s = make_setup();
    apply_json(R"({"kind":"ev_share","share":0.3})", s);
    double sum = 0, ev = 0;
    for (const auto& f : s.fleet.car_mix) {
        sum += f.share;
        if (f.type == "car_electric") ev = f.share;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
    EXPECT_DOUBLE_EQ(ev, 0.3);
}

TEST(Policy, RoadDietRemovesLanesAndCapacity) {
    auto s = make_setup();
    std::size_t l = 0;
    while (l < s.network.links.size() &&
           (s.network.links.lanes[l] < 2 || s.network.links.name[l] == 0))
        ++l;
    ASSERT_LT(l, s.network.links.size());
    const std::string road = s.network.names[s.network.links.name[l]];
    const double cap = s.network.links.capacity_vph[l];
    const float lanes = s.network.links.lanes[l];
    apply_json(R"({"kind":"road_diet","road_names":[")" + road + R"("],"lanes_removed":1})", s);
    EXPECT_EQ(s.network.links.lanes[l], lanes - 1);
    EXPECT_NEAR(s.network.links.capacity_vph[l], cap * (lanes - 1) / lanes, 1e-9);
}

TEST(Policy, SignalPriorityRecordsAnEditOfTheNamedRoads) {
    auto s = make_setup();
    apply_json(
        R"({"kind":"signal_priority","road_names":["계룡로"],"green_extension_s":10,"buses_only":true})",
        s);
    ASSERT_EQ(s.signal_edits.size(), 1u);
    EXPECT_GT(s.signal_edits[0].links.size(), 0u);
    EXPECT_TRUE(s.signal_edits[0].buses_only);
    EXPECT_EQ(s.signal_edits[0].green_extension_s, 10);
    for (auto l : s.signal_edits[0].links)
        EXPECT_EQ(s.network.names[s.network.links.name[l]], "계룡로");
    EXPECT_EQ(
        field_of(R"({"kind":"signal_priority","road_names":["계룡로"],"green_extension_s":0})"),
        "$.policies[0].green_extension_s");
}

TEST(Policy, BadPoliciesNameTheJsonPath) {
    EXPECT_EQ(field_of(R"({"kind":"teleporter"})"), "$.policies[0].kind");
    EXPECT_EQ(field_of(R"({"kind":"fare","modes":["bus"],"factor":-1})"), "$.policies[0].factor");
    EXPECT_EQ(field_of(R"({"kind":"fare","modes":["hovercraft"],"factor":0.5})"),
              "$.policies[0].modes[0]");
    EXPECT_EQ(field_of(R"({"kind":"parking_charge","zones":["Atlantis"],"krw":1000})"),
              "$.policies[0].zones[0]");
    EXPECT_EQ(field_of(R"({"kind":"bus_lane","road_names":["없는로"]})"),
              "$.policies[0].road_names[0]");
    EXPECT_EQ(field_of(R"({"kind":"bus_lane","links":["AX0000000000"]})"),
              "$.policies[0].links[0]");
    EXPECT_EQ(field_of(R"({"kind":"activate_line","lines":["999번"]})"), "$.policies[0].lines[0]");
    EXPECT_EQ(field_of(R"({"kind":"ev_share","share":1.5})"), "$.policies[0].share");
    EXPECT_EQ(field_of(R"({"kind":"bus_frequency","lines":"all","frequency_factor":2,"typo":1})"),
              "$.policies[0].typo");
    EXPECT_EQ(
        field_of(
            R"({"kind":"low_emission_zone","zones":["둔산1동"],"banned_types":["car_steam"]})"),
        "$.policies[0].banned_types[0]");
}

namespace {
/// Applies the policies in order as $.policies[0], [1], ...; the field of the refusal.
std::string field_of_all(const std::vector<std::string>& texts) {
    auto s = make_setup();
    try {
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const Json j = Json::parse(texts[i]);
            apply_policy(JsonCursor(j, "policy.json", "$.policies[" + std::to_string(i) + "]"), s);
        }
    } catch (const InputError& e) {
        return e.field();
    }
    return "<no error>";
}
}  // namespace

// Regression: a frequency factor of 1e-15 passed and the run died after a minute in bad_alloc
// (headways of 1e17 s overflowed the engine's departure clock).
TEST(Policy, EveryNumberHasARangeThatBoundsTheRun) {
    for (const char* f : {"1e-15", "0.05", "11", "0"})
        EXPECT_EQ(
            field_of(std::string(R"({"kind":"bus_frequency","lines":"all","frequency_factor":)") +
                     f + "}"),
            "$.policies[0].frequency_factor")
            << f;
    EXPECT_EQ(field_of(R"({"kind":"bus_frequency","lines":"all","frequency_factor":0.1})"),
              "<no error>");
    EXPECT_EQ(field_of(R"({"kind":"tashu","bike_speed_factor":4})"),
              "$.policies[0].bike_speed_factor");
    EXPECT_EQ(field_of(R"({"kind":"parking_charge","zones":["둔산1동"],"krw":1e6})"),
              "$.policies[0].krw");
}

// An empty list would make the policy do nothing: a mistake in the file, refused where it is.
TEST(Policy, EmptyListsAreRefused) {
    EXPECT_EQ(field_of(R"({"kind":"parking_charge","zones":[],"krw":1000})"),
              "$.policies[0].zones");
    EXPECT_EQ(field_of(R"({"kind":"low_emission_zone","zones":["둔산1동"],"banned_types":[]})"),
              "$.policies[0].banned_types");
    EXPECT_EQ(field_of(R"({"kind":"fare","modes":[],"factor":0.5})"), "$.policies[0].modes");
    EXPECT_EQ(field_of(R"({"kind":"bus_lane","road_names":[]})"), "$.policies[0].road_names");
    EXPECT_EQ(field_of(R"({"kind":"bus_lane","zones":["둔산1동"],"road_classes":[]})"),
              "$.policies[0].road_classes");
    EXPECT_EQ(field_of(R"({"kind":"bus_frequency","lines":[],"frequency_factor":2})"),
              "$.policies[0].lines");
    EXPECT_EQ(field_of(R"({"kind":"disable_mode","modes":[]})"), "$.policies[0].modes");
    EXPECT_EQ(field_of(R"({"kind":"tashu"})"), "$.policies[0]");
}

// Policies of one kind on the same target add up, and the total must stay within one policy's
// range; the second policy (the one that passes it) is named.
TEST(Policy, PoliciesThatAddUpPastOnePolicysRangeAreRefused) {
    const std::string freq = R"({"kind":"bus_frequency","lines":"all","frequency_factor":)";
    EXPECT_EQ(field_of_all({freq + "5}", freq + "2}"}), "<no error>");
    EXPECT_EQ(field_of_all({freq + "5}", freq + "3}"}), "$.policies[1].frequency_factor");
    EXPECT_EQ(field_of_all({freq + "0.2}", freq + "0.2}"}), "$.policies[1].frequency_factor");
    const std::string park = R"({"kind":"parking_charge","zones":["둔산1동"],"krw":60000})";
    EXPECT_EQ(field_of_all({park, park}), "$.policies[1].krw");
    const std::string cordon = R"({"kind":"congestion_charge","zones":["둔산1동"],"krw":60000})";
    EXPECT_EQ(field_of_all({cordon, cordon}), "$.policies[1].krw");
    const std::string fare = R"({"kind":"fare","modes":["bus"],"factor":4})";
    EXPECT_EQ(field_of_all({fare, fare}), "$.policies[1].factor");
    const std::string green =
        R"({"kind":"signal_priority","road_names":["계룡로"],"green_extension_s":40})";
    EXPECT_EQ(field_of_all({green, green}), "$.policies[1].green_extension_s");
    const std::string tashu = R"({"kind":"tashu","coverage_factor":5})";
    EXPECT_EQ(field_of_all({tashu, tashu}), "$.policies[1].coverage_factor");
    const std::string seniors =
        R"({"kind":"fare","modes":["bus"],"factor":0,"group":"seniors","eligible_share":{"value":0.1,"source":"x"}})";
    const std::string pupils =
        R"({"kind":"fare","modes":["metro"],"factor":0,"group":"pupils","eligible_share":{"value":0.1,"source":"x"}})";
    EXPECT_EQ(field_of_all({seniors, pupils}), "$.policies[1].group");
    EXPECT_EQ(field_of_all({seniors, seniors}), "$.policies[1].modes");
}

// Regression: disabling every mode reported a 100 % walk share although walking was disabled.
TEST(Policy, NoModeLeftForResidentsIsRefused) {
    EXPECT_EQ(
        field_of(
            R"({"kind":"disable_mode","modes":["car","bus","metro","tram","bike","walk","taxi"]})"),
        "$.policies[0].modes");
    EXPECT_EQ(field_of_all({R"({"kind":"disable_mode","modes":["walk"]})",
                            R"({"kind":"disable_mode","modes":["taxi"]})"}),
              "$.policies[1].modes");
    EXPECT_EQ(field_of(R"({"kind":"disable_mode","modes":["car","walk"]})"), "<no error>");
}
