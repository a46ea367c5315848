// Freight and boundary vehicle trips on the bundled Daejeon network.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>

#include "daejeon_fixture.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/demand/vehicle_demand.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
using test::daejeon;
using test::kSrc;

double households(const Network& net) {
    double h = 0;
    for (std::size_t z = 0; z < net.zone_count(); ++z)
        h += net.zone(ZoneId::from_index(z)).households;
    return h;
}

fs::path temp_dir() {
    const fs::path d = fs::temp_directory_path() / "modeshift_test_vehicle_demand";
    fs::create_directories(d);
    return d;
}
}  // namespace

TEST(Freight, TripsFollowTheHouseholdRatesAndTheVolumeFactor) {
    const auto& net = daejeon();
    const FreightParams p = load_freight_params(kSrc / "scenarios/data/freight.json");
    ASSERT_EQ(p.classes.size(), 4u);
    ASSERT_GT(households(net), 6e5) << "Daejeon has about 679,000 households";
    VehicleTrips v;
    const double sample = 0.05;
    generate_freight(net, p, 11, sample, v);
    double rate = 0;
    for (const auto& c : p.classes) rate += c.trips_per_household;
    const double expected = households(net) * rate * p.volume_factor * sample;
    EXPECT_NEAR(static_cast<double>(v.size()), expected, 0.02 * expected);
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(v.segment[i], TripSegment::Freight);
        EXPECT_EQ(v.gateway[i], -1);
        EXPECT_TRUE(v.origin[i].valid() && v.dest[i].valid());
    }
    EXPECT_EQ(v.type_names, (std::vector<std::string>{"van_diesel", "truck_light", "truck_medium",
                                                      "truck_heavy"}));
}

TEST(Freight, HeavyTrucksTravelFurtherAndBusinessHoursDominate) {
    const auto& net = daejeon();
    const FreightParams p = load_freight_params(kSrc / "scenarios/data/freight.json");
    VehicleTrips v;
    generate_freight(net, p, 5, 0.05, v);
    double km[4] = {0, 0, 0, 0}, n[4] = {0, 0, 0, 0}, day = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        km[v.type[i]] += zone_distance_km(net.zone(v.origin[i]), net.zone(v.dest[i]));
        n[v.type[i]] += 1;
        const auto h = v.depart_ms[i] / kMsPerHour;
        day += (h >= 7 && h < 19) ? 1 : 0;
    }
    // QRFM friction: combination trucks exp(-0.03 t) reach further than four-tyre ones
    // exp(-0.08 t), single-unit trucks exp(-0.10 t) the least far (in a city 20 km across).
    EXPECT_GT(km[3] / n[3], 1.15 * km[1] / n[1]);
    EXPECT_GT(km[1] / n[1], km[2] / n[2]);
    EXPECT_NEAR(day / static_cast<double>(v.size()), 0.85, 0.03);
}

TEST(Freight, DeterministicForASeed) {
    const FreightParams p = load_freight_params(kSrc / "scenarios/data/freight.json");
    VehicleTrips a, b, c;
    generate_freight(daejeon(), p, 1, 0.02, a);
    generate_freight(daejeon(), p, 1, 0.02, b);
    generate_freight(daejeon(), p, 2, 0.02, c);
    EXPECT_EQ(a.dest, b.dest);
    EXPECT_EQ(a.depart_ms, b.depart_ms);
    EXPECT_NE(a.depart_ms, c.depart_ms);
}

TEST(External, GatewayCountsInBothDirections) {
    const auto& net = daejeon();
    const ExternalParams p = load_external_params(kSrc / "scenarios/data/external.json");
    ASSERT_GE(p.gateways.size(), 4u);
    VehicleTrips v;
    const double sample = 0.25;
    generate_external(net, p, 3, sample, v);
    ASSERT_EQ(v.gateway_nodes.size(), p.gateways.size());
    std::vector<double> in(p.gateways.size()), out(p.gateways.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(v.segment[i], TripSegment::External);
        ASSERT_GE(v.gateway[i], 0);
        (v.inbound[i] ? in : out)[static_cast<std::size_t>(v.gateway[i])] += 1 / sample;
    }
    for (std::size_t g = 0; g < p.gateways.size(); ++g) {
        const double want_in = p.gateways[g].inbound_per_day * p.volume_factor;
        const double want_out = p.gateways[g].outbound_per_day * p.volume_factor;
        EXPECT_NEAR(in[g], want_in, 0.05 * want_in + 20) << p.gateways[g].name;
        EXPECT_NEAR(out[g], want_out, 0.05 * want_out + 20) << p.gateways[g].name;
        EXPECT_LT(haversine_m(net.node_latlon(v.gateway_nodes[g]), p.gateways[g].at), p.snap_max_m);
    }
    // Entering vehicles peak in the morning, leaving ones in the evening; no hour carries more
    // than the busiest-hour share of the day (7.4 %, MOLIT) by much.
    std::array<double, 24> in_h{}, out_h{};
    double in_n = 0, out_n = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto h = static_cast<std::size_t>(v.depart_ms[i] / kMsPerHour);
        if (v.inbound[i])
            in_h[h] += 1, in_n += 1;
        else
            out_h[h] += 1, out_n += 1;
    }
    EXPECT_GT(in_h[7] / in_n, out_h[7] / out_n);
    EXPECT_GT(out_h[17] / out_n, in_h[17] / in_n);
    for (std::size_t h = 0; h < 24; ++h) {
        EXPECT_LT(in_h[h] / in_n, 0.085) << h;
        EXPECT_LT(out_h[h] / out_n, 0.085) << h;
    }
}

TEST(External, AGatewayOffTheNetworkIsAnErrorNamingIt) {
    auto j = read_json_file(kSrc / "scenarios/data/external.json");
    j["gateways"][1]["lat"] = 35.0;  // Busan, far from any Daejeon road
    const fs::path f = temp_dir() / "far.json";
    write_text_atomic(f, j.dump());
    const ExternalParams p = load_external_params(f);
    VehicleTrips v;
    try {
        generate_external(daejeon(), p, 1, 0.1, v);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), f.string());
        EXPECT_NE(e.field().find("gateways[1]"), std::string::npos) << e.field();
    }
}

TEST(External, BadFilesNameFileAndField) {
    const fs::path dir = temp_dir();
    auto expect_field = [&](const Json& j, const std::string& name, const std::string& field) {
        write_text_atomic(dir / name, j.dump());
        try {
            load_external_params(dir / name);
            FAIL() << name;
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), (dir / name).string());
            EXPECT_EQ(e.field(), field) << name;
        }
    };
    const Json good = read_json_file(kSrc / "scenarios/data/external.json");
    Json j = good;
    j["gateways"][0].erase("source");
    expect_field(j, "no_source.json", "$.gateways[0]");
    j = good;
    j["gateways"][2]["inbound_per_day"] = -5;
    expect_field(j, "negative.json", "$.gateways[2].inbound_per_day");
    j = good;
    j["vehicle_mix"] = Json{{"source", "x"}};
    expect_field(j, "empty_mix.json", "$.vehicle_mix");
    j = good;
    j["inbound_hour_share"]["value"] = Json::array({1, 2, 3});
    expect_field(j, "short_hours.json", "$.inbound_hour_share.value");
}

TEST(Freight, BadFilesNameFileAndField) {
    const fs::path dir = temp_dir();
    Json j = read_json_file(kSrc / "scenarios/data/freight.json");
    j["classes"][2]["trips_per_household"].erase("source");
    write_text_atomic(dir / "freight_no_source.json", j.dump());
    try {
        load_freight_params(dir / "freight_no_source.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "$.classes[2].trips_per_household");
    }
    j = read_json_file(kSrc / "scenarios/data/freight.json");
    j["lorries"] = 1;
    write_text_atomic(dir / "freight_unknown_key.json", j.dump());
    EXPECT_THROW(load_freight_params(dir / "freight_unknown_key.json"), InputError);
}
