#include <gtest/gtest.h>

#include "input_error.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/pathway/phase_in.hpp"

using namespace modeshift;
using namespace modeshift::pathway;
using nlohmann::json;

TEST(PhaseIn, FractionRampsOverThePhaseInYearsAndHolds) {
    // Not started yet.
    EXPECT_DOUBLE_EQ(phase_in_fraction(2026, 2027, 2), 0.0);
    // P = 2: a third in the start year, two thirds a year later, full from the third year.
    EXPECT_DOUBLE_EQ(phase_in_fraction(2027, 2027, 2), 1.0 / 3);
    EXPECT_DOUBLE_EQ(phase_in_fraction(2028, 2027, 2), 2.0 / 3);
    EXPECT_DOUBLE_EQ(phase_in_fraction(2029, 2027, 2), 1.0);
    EXPECT_DOUBLE_EQ(phase_in_fraction(2034, 2027, 2), 1.0);
    // P = 0: the full effect from the start year.
    EXPECT_DOUBLE_EQ(phase_in_fraction(2029, 2029, 0), 1.0);
    EXPECT_DOUBLE_EQ(phase_in_fraction(2028, 2029, 0), 0.0);
}

TEST(PhaseIn, IntensitiesRampFromTheirNeutralValues) {
    const json bus = {
        {"kind", "bus_frequency"}, {"lines", "study_area"}, {"frequency_factor", 1.5}};
    EXPECT_DOUBLE_EQ(scaled_policy(bus, 0.5)["frequency_factor"].get<double>(), 1.25);
    EXPECT_EQ(scaled_policy(bus, 0.5)["lines"], "study_area");  // other fields copied

    const json fare = {{"kind", "fare"}, {"modes", {"bus"}}, {"factor", 0.75}};
    EXPECT_DOUBLE_EQ(scaled_policy(fare, 0.2)["factor"].get<double>(), 0.95);

    const json parking = {{"kind", "parking_charge"}, {"zones", {"둔산1동"}}, {"krw", 3000}};
    EXPECT_DOUBLE_EQ(scaled_policy(parking, 1.0 / 3)["krw"].get<double>(), 1000);
    const json cordon = {{"kind", "congestion_charge"}, {"zones", {"둔산1동"}}, {"krw", 2000}};
    EXPECT_DOUBLE_EQ(scaled_policy(cordon, 0.25)["krw"].get<double>(), 500);

    const json tashu = {{"kind", "tashu"}, {"coverage_factor", 2.0}, {"bike_speed_factor", 1.2}};
    const json t = scaled_policy(tashu, 0.5);
    EXPECT_DOUBLE_EQ(t["coverage_factor"].get<double>(), 1.5);
    EXPECT_DOUBLE_EQ(t["bike_speed_factor"].get<double>(), 1.1);

    const json tsp = {{"kind", "signal_priority"},
                      {"zones", {"탄방동"}},
                      {"green_extension_s", 10},
                      {"buses_only", true}};
    EXPECT_DOUBLE_EQ(scaled_policy(tsp, 0.5)["green_extension_s"].get<double>(), 5);
}

TEST(PhaseIn, AFullFractionCopiesThePolicy) {
    const json bus = {{"kind", "bus_frequency"}, {"lines", "all"}, {"frequency_factor", 1.5}};
    EXPECT_EQ(scaled_policy(bus, 1.0), bus);
    const json tram = {{"kind", "activate_line"}, {"mode", "tram"}};
    EXPECT_EQ(scaled_policy(tram, 1.0), tram);
    // A fleet level is left as it is.
    const json ev = {{"kind", "ev_share"}, {"share", 0.3}};
    EXPECT_EQ(scaled_policy(ev, 1.0), ev);
}

TEST(PhaseIn, OnOffKindsAndLevelsCannotBePhased) {
    for (const char* k : {"activate_line", "deactivate_line", "bus_lane", "bike_lane",
                          "low_emission_zone", "road_diet", "disable_mode", "ev_share"})
        EXPECT_FALSE(can_phase_in(k)) << k;
    for (const char* k : {"bus_frequency", "fare", "parking_charge", "congestion_charge", "tashu",
                          "signal_priority"})
        EXPECT_TRUE(can_phase_in(k)) << k;
    EXPECT_FALSE(can_phase_in("no_such_kind"));
    const json lane = {{"kind", "bus_lane"}, {"zones", {"탄방동"}}};
    EXPECT_THROW(scaled_policy(lane, 0.5), InvariantError);
    const json bus = {{"kind", "bus_frequency"}, {"frequency_factor", 1.5}};
    EXPECT_THROW(scaled_policy(bus, 0.0), InvariantError);
    EXPECT_THROW(scaled_policy(bus, 1.5), InvariantError);
}

namespace {
std::string check_field(const json& policy) {
    const auto e = test_support::input_error_of(
        [&] { check_policy(JsonCursor(policy, "pathway.json", "$.measures[0].policies[0]")); });
    EXPECT_TRUE(!e || e->file() == "pathway.json");
    return e ? e->field() : "<no error>";
}
}  // namespace

TEST(PhaseIn, PoliciesAreCheckedForKindAndFields) {
    EXPECT_EQ(check_field({{"kind", "bus_frequency"},
                           {"lines", "all"},
                           {"frequency_factor", 1.5},
                           {"rationale", "why"}}),
              "<no error>");
    EXPECT_EQ(check_field({{"kind", "bus_frequncy"}, {"frequency_factor", 1.5}}),
              "$.measures[0].policies[0].kind");
    EXPECT_EQ(check_field({{"kind", "fare"}, {"modes", {"bus"}}, {"factr", 0.5}}),
              "$.measures[0].policies[0].factr");
    // A slider placeholder would reach a scenario unscaled.
    EXPECT_EQ(check_field({{"kind", "parking_charge"}, {"zones", {"둔산1동"}}, {"krw", "$value"}}),
              "$.measures[0].policies[0].krw");
    EXPECT_EQ(check_field({{"zones", {"둔산1동"}}}), "$.measures[0].policies[0].kind");
}
