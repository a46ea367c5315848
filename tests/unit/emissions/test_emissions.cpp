// Emission factors and the EmissionCounter observer, fed with synthetic event batches.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "modeshift/core/error.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/emissions/factors.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

fs::path data_dir() {
    return fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data";
}

const EmissionFactorTable& table() {
    static const EmissionFactorTable t = EmissionFactorTable::load(data_dir());
    return t;
}

/// Two zones side by side (west, east), 4 links: two urban (one per zone), one motorway, one rail.
Network make_network() {
    NetworkBuilder b("two-zones");
    auto n0 = b.add_node({36.350, 127.370});
    auto n1 = b.add_node({36.350, 127.380});
    auto n2 = b.add_node({36.350, 127.390});
    auto add = [&](NodeId a, NodeId c, RoadClass rc, const char* name,
                   ModeMask modes = kRoadModes) {
        LinkSpec s;
        s.from = a;
        s.to = c;
        s.length_m = 1000;
        s.road_class = rc;
        s.name = name;
        s.modes = modes;
        s.capacity_vph = 1800;
        return b.add_link(s);
    };
    add(n0, n1, RoadClass::Primary, "계룡로");
    add(n1, n2, RoadClass::Secondary, "대덕대로");
    add(n1, n0, RoadClass::Motorway, "호남고속도로");
    add(n1, n2, RoadClass::Rail, "1호선", mode_bit(Mode::Metro));
    NetworkData d = b.finish();
    auto zone = [&](const char* code, const char* name, double lon0, double lon1) {
        Zone z;
        z.code = code;
        z.name = name;
        z.name_en = code;
        z.lat = 36.350;
        z.lon = (lon0 + lon1) / 2;
        z.centroid = n0;
        z.ring_first = {0, 4};
        z.ring_lat = {36.34, 36.34, 36.36, 36.36};
        z.ring_lon = {lon0, lon1, lon1, lon0};
        d.zones.push_back(z);
    };
    zone("west", "서쪽동", 127.36, 127.38);
    zone("east", "동쪽동", 127.38, 127.40);
    return Network(std::move(d));
}

struct Fleet {
    std::vector<VehicleType> types;
    RunInfo info;
};

Fleet make_fleet(const Network& net, std::vector<std::pair<Mode, std::string>> classes,
                 std::uint32_t parts = 1, double sample = 1.0) {
    Fleet f;
    for (auto& [m, c] : classes) f.types.push_back(VehicleType{c, m, 1.0, 30.0, c});
    f.info.network = &net;
    f.info.vehicle_types = &f.types;
    f.info.partitions = parts;
    f.info.sample_fraction = sample;
    return f;
}

Traversal trav(std::uint32_t link, std::uint32_t vehicle, VehicleTypeId type, TimeMs enter,
               TimeMs leave, std::uint16_t pax = 1) {
    Traversal t;
    t.link = LinkId(link);
    t.vehicle = VehicleId(vehicle);
    t.vehicle_type = type;
    t.enter_ms = enter;
    t.leave_ms = leave;
    t.passengers = pax;
    return t;
}

/// Time on a 1 km link at a given speed.
TimeMs at_kmh(double kmh) {
    return static_cast<TimeMs>(std::llround(3600.0 * 1000.0 / kmh));
}

}  // namespace

// ---------------------------------------------------------------- factors

TEST(SpeedFormula, ParsesTheSourceForms) {
    EXPECT_NEAR(SpeedFormula::parse("1065.1722*x^(-0.5889)").eval(20), 182.49, 0.01);
    EXPECT_NEAR(SpeedFormula::parse("0.0225*x^2-3.3075*x+212.8460").eval(40), 116.55, 0.01);
    EXPECT_NEAR(SpeedFormula::parse("-0.0001+0.0448/x").eval(20), 0.00214, 1e-12);
    EXPECT_NEAR(SpeedFormula::parse("1065.1722x^(-0.5889)").eval(20), 182.49,
                0.01);  // implicit product
    EXPECT_NEAR(SpeedFormula::parse("-x^2").eval(3), -9, 1e-12);
    EXPECT_TRUE(SpeedFormula::parse("").empty());
    EXPECT_THROW(SpeedFormula::parse("2*y"), std::invalid_argument);
    EXPECT_THROW(SpeedFormula::parse("(2*x"), std::invalid_argument);
    EXPECT_THROW(SpeedFormula::parse("2**x"), std::invalid_argument);
}

// The loader itself refuses a row whose formula disagrees with its tabulated values; this test
// re-reads the table independently so a loader that skipped the check would still be caught.
TEST(EmissionFactors, KnownValuesAt20And40MatchTheSourceTable) {
    CsvReader r(data_dir() / EmissionFactorTable::kSpeedFile);
    int rows = 0;
    while (r.next()) {
        RoadForm road = r.get("road") == "highway" ? RoadForm::Highway : RoadForm::Urban;
        const SpeedFunction* f =
            table().find_function(r.get("vehicle_type"), r.get("size"), r.get("fuel"), road);
        ASSERT_NE(f, nullptr) << r.line();
        EXPECT_NEAR(f->co2.eval(20), r.get_double("co2_at_20kmh"), 0.051) << "line " << r.line();
        EXPECT_NEAR(f->co2.eval(40), r.get_double("co2_at_40kmh"), 0.051) << "line " << r.line();
        ++rows;
    }
    EXPECT_EQ(rows, 44);
    // Daejeon city bus (CNG), quoted in SOURCES.md: ~1161 g/km at 20 km/h.
    const EmissionClass* bus = table().find("bus_cng");
    ASSERT_NE(bus, nullptr);
    EXPECT_NEAR(table().rate(*bus, 20, RoadForm::Urban).co2_tailpipe, 1161.1, 0.05);
    EXPECT_NEAR(table().rate(*bus, 40, RoadForm::Urban).co2_tailpipe, 826.2, 0.05);
    const EmissionClass* car = table().find("passenger_gasoline");
    EXPECT_NEAR(table().rate(*car, 20, RoadForm::Urban).co2_tailpipe, 255.0, 0.05);
    EXPECT_NEAR(table().rate(*car, 40, RoadForm::Highway).co2_tailpipe, 177.9, 0.05);
}

TEST(EmissionFactors, AllRequiredClassesExistWithSources) {
    for (const char* c :
         {"passenger_gasoline", "passenger_diesel", "passenger_lpg", "passenger_hybrid",
          "passenger_electric", "taxi_lpg", "bus_cng", "bus_diesel", "bus_electric", "bus_hydrogen",
          "metro_electric", "tram_hydrogen", "tram_electric", "bike", "walk"}) {
        const EmissionClass* k = table().find(c);
        ASSERT_NE(k, nullptr) << c;
        EXPECT_FALSE(k->source.empty()) << c;
    }
}

TEST(EmissionFactors, SpeedsAreClampedToTheFunctionRange) {
    const EmissionClass* car = table().find("passenger_gasoline");
    const SpeedFunction& f = table().functions()[static_cast<std::size_t>(car->urban_function)];
    EXPECT_DOUBLE_EQ(table().rate(*car, 0.1, RoadForm::Urban).co2_tailpipe,
                     f.co2.eval(f.min_speed_kmh));
    EXPECT_DOUBLE_EQ(table().rate(*car, 500, RoadForm::Urban).co2_tailpipe,
                     f.co2.eval(f.max_speed_kmh));
    EXPECT_TRUE(std::isfinite(table().rate(*car, 1e6, RoadForm::Highway).co2_tailpipe));
}

TEST(EmissionFactors, ElectricAndHydrogenNeverTailpipeNeverFakeZero) {
    for (const char* c :
         {"passenger_electric", "bus_electric", "metro_electric", "tram_electric"}) {
        EmissionRate r = table().rate(*table().find(c), 30, RoadForm::Urban);
        EXPECT_EQ(r.co2_tailpipe, 0.0) << c;
        EXPECT_GT(r.co2_grid, 0.0) << c;
    }
    EmissionRate ev = table().rate(*table().find("passenger_electric"), 30, RoadForm::Urban);
    EXPECT_NEAR(ev.co2_grid, 0.1923 * 0.4173 * 1000, 1e-9);  // default grid factor: 2023
    for (const char* c : {"bus_hydrogen", "tram_hydrogen"}) {
        EmissionRate r = table().rate(*table().find(c), 30, RoadForm::Urban);
        EXPECT_EQ(r.co2_tailpipe, 0.0) << c;
        EXPECT_GT(r.co2_hydrogen, 0.0) << c;
    }
    EXPECT_EQ(table().rate(*table().find("walk"), 5, RoadForm::Urban).co2_total(), 0.0);
}

TEST(EmissionFactors, GridFactorIsConfigurable) {
    EmissionOptions o;
    o.grid_key = "grid_2020_2022";
    auto t = EmissionFactorTable::load(data_dir(), o);
    EXPECT_DOUBLE_EQ(t.grid_kg_per_kwh(), 0.4541);
    o.grid_t_per_mwh = 0.2;
    auto t2 = EmissionFactorTable::load(data_dir(), o);
    EXPECT_DOUBLE_EQ(t2.grid_kg_per_kwh(), 0.2);
    EXPECT_NE(t.content_hash(), t2.content_hash());
    o = {};
    o.grid_key = "nope";
    EXPECT_THROW(EmissionFactorTable::load(data_dir(), o), InputError);
}

TEST(EmissionFactors, BadFilesGiveInputErrors) {
    fs::path dir = fs::temp_directory_path() / "ms_emis_bad";
    fs::create_directories(dir);
    fs::copy_file(data_dir() / EmissionFactorTable::kEnergyFile,
                  dir / EmissionFactorTable::kEnergyFile, fs::copy_options::overwrite_existing);
    fs::copy_file(data_dir() / EmissionFactorTable::kClassFile,
                  dir / EmissionFactorTable::kClassFile, fs::copy_options::overwrite_existing);
    auto write_speed = [&](const std::string& row) {
        std::ofstream f(dir / EmissionFactorTable::kSpeedFile);
        f << "vehicle_type,size,fuel,road,co2_g_per_km_formula,ch4_g_per_km_formula,n2o_g_per_km_"
             "formula,"
             "co2_at_20kmh,co2_at_40kmh,min_speed_kmh,max_speed_kmh,note,source\n"
          << row << "\n";
    };
    // A transcription error: the tabulated value does not match the formula.
    write_speed("passenger,medium,gasoline,urban,1446.3728*x^(-0.5793),,,999.0,170.7,5,100,,src");
    try {
        EmissionFactorTable::load(dir);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "co2_at_20kmh");
        EXPECT_EQ(e.line(), 2u);
    }
    write_speed("passenger,medium,gasoline,urban,1446.3728*x^(-0.5793)+,,,255.0,170.7,5,100,,src");
    EXPECT_THROW(EmissionFactorTable::load(dir), InputError);
    // Classes refer to functions that are missing now.
    write_speed("passenger,medium,gasoline,urban,1446.3728*x^(-0.5793),,,255.0,170.7,5,100,,src");
    EXPECT_THROW(EmissionFactorTable::load(dir), InputError);
    fs::remove_all(dir);
}

TEST(EmissionFactors, CopertFormWorksAsConfigured) {
    CopertCoefficients k;
    k.alpha = 0;
    k.beta = 0;
    k.gamma = 300;
    k.delta = 2000;
    k.epsilon = 0;
    k.zeta = 0;
    k.eta = 1;
    k.reduction = 0.1;
    k.vmin_kmh = 10;
    k.vmax_kmh = 80;
    EXPECT_NEAR(k.fuel_g_per_km(20), (300 + 100) * 0.9, 1e-9);
    EXPECT_NEAR(k.fuel_g_per_km(1), (300 + 200) * 0.9, 1e-9);  // clamped to vmin
}

// ---------------------------------------------------------------- counter

TEST(EmissionCounter, TotalsEqualTheSumOverLinksAndZonesAndHours) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Car, "passenger_gasoline"},
                               {Mode::Bus, "bus_cng"},
                               {Mode::Metro, "metro_electric"},
                               {Mode::Walk, "walk"}});
    f.info.vehicle_line = {LineId(0), LineId(1)};  // vehicles 0, 1 are transit
    f.info.vehicle_type_of = {1, 2, 0, 0, 3};
    EmissionCounter c(table());
    c.begin(f.info);
    std::vector<Traversal> b = {trav(2, 2, 0, 0, at_kmh(30)),
                                trav(0, 3, 0, 7 * kMsPerHour, 7 * kMsPerHour + at_kmh(15)),
                                trav(2, 3, 0, 7 * kMsPerHour, 7 * kMsPerHour + at_kmh(80)),
                                trav(1, 0, 1, 8 * kMsPerHour, 8 * kMsPerHour + at_kmh(20), 30),
                                trav(3, 1, 2, 9 * kMsPerHour, 9 * kMsPerHour + at_kmh(40), 200),
                                trav(0, 4, 3, 10 * kMsPerHour, 10 * kMsPerHour + at_kmh(4))};
    c.on_traversals(0, b);
    c.end();
    const auto& r = c.results();
    double links = 0, zones = 0, hours = 0, cells = 0;
    for (double g : r.link_co2_g) links += g;
    for (double g : r.zone_co2_g) zones += g;
    for (const auto& h : r.hour_co2_g)
        for (double g : h) hours += g;
    for (const auto& cell : r.link_hours) cells += cell.co2_g;
    EXPECT_GT(r.co2_g(), 0);
    EXPECT_NEAR(links, r.co2_g(), 1e-9 * r.co2_g());
    EXPECT_NEAR(zones, r.co2_g(), 1e-9 * r.co2_g());
    EXPECT_NEAR(hours, r.co2_g(), 1e-9 * r.co2_g());
    EXPECT_NEAR(cells, r.co2_g(), 1e-9 * r.co2_g());
    double last = 0;
    for (double g : r.minute_cum_co2_g.back()) last += g;
    EXPECT_NEAR(last, r.co2_g(), 1e-9 * r.co2_g());
    // Known values: 1 km of car at 15 km/h (urban) + 1 km at 80 km/h on the motorway.
    const EmissionClass* car = table().find("passenger_gasoline");
    double car_g = table().rate(*car, 30, RoadForm::Highway).co2_tailpipe +
                   table().rate(*car, 15, RoadForm::Urban).co2_tailpipe +
                   table().rate(*car, 80, RoadForm::Highway).co2_tailpipe;
    EXPECT_NEAR(r.modes[mode_index(Mode::Car)].co2_tailpipe_g, car_g, 1e-6);
    EXPECT_NEAR(r.modes[mode_index(Mode::Bus)].co2_tailpipe_g, 1161.13, 0.01);
    EXPECT_NEAR(r.modes[mode_index(Mode::Metro)].co2_grid_g, 10.7 * 417.3, 1e-6);
    EXPECT_EQ(r.modes[mode_index(Mode::Metro)].co2_tailpipe_g, 0.0);
    EXPECT_NEAR(r.modes[mode_index(Mode::Metro)].pkt_km, 200, 1e-9);
    EXPECT_NEAR(r.modes[mode_index(Mode::Bus)].pkt_km, 30, 1e-9);
    EXPECT_EQ(r.modes[mode_index(Mode::Walk)].co2_g(), 0.0);
    EXPECT_EQ(r.modes[mode_index(Mode::Walk)].vkt_km, 0.0);
    // Zones: link 0 is in the west zone, link 1 in the east.
    EXPECT_EQ(r.link_zone[0], ZoneId(0));
    EXPECT_EQ(r.link_zone[1], ZoneId(1));
    // Link x hour speed is the space-mean speed.
    for (const auto& cell : r.link_hours) {
        if (cell.link == LinkId(1)) {
            EXPECT_NEAR(cell.mean_speed_kmh(), 20, 1e-3);
        }
    }
}

TEST(EmissionCounter, StudyAreaCountsItsLinksAndFlaggedTripsVehicleTripsStayOutOfShares) {
    Network net = make_network();
    // Only the east zone is the study area: link 1 (and the rail link 3, midpoint east) lie in it.
    NetworkData d = net.data();
    d.zones[1].study_area = true;
    const Network study_net(std::move(d));
    Fleet f = make_fleet(study_net,
                         {{Mode::Car, "passenger_gasoline"}, {Mode::Truck, "truck_medium_diesel"}});
    EmissionCounter c(table());
    // Trips 0, 1 are residents' (trip 1 touches the study area); trip 2 is a freight vehicle trip.
    c.set_trip_study_area({0, 1});
    c.set_trip_segments({TripSegment::Resident, TripSegment::Resident, TripSegment::Freight});
    c.begin(f.info);
    const std::vector<Traversal> b = {trav(0, 0, 0, 0, at_kmh(30)), trav(1, 1, 0, 0, at_kmh(30)),
                                      trav(1, 2, 1, 0, at_kmh(30))};
    c.on_traversals(0, b);
    std::vector<TripOutcome> trips(3);
    for (std::uint32_t t = 0; t < 3; ++t) {
        trips[t].trip = TripId(t);
        trips[t].mode = t == 2 ? Mode::Truck : Mode::Car;
        trips[t].arrive_ms = at_kmh(30);
        trips[t].distance_m = 1000;
    }
    c.on_trips(0, trips);
    c.end();
    const auto& r = c.results();
    ASSERT_TRUE(r.has_study_area);
    const EmissionClass* car = table().find("passenger_gasoline");
    const EmissionClass* truck = table().find("truck_medium_diesel");
    const double car_g = table().rate(*car, 30, RoadForm::Urban).co2_total();
    const double truck_g = table().rate(*truck, 30, RoadForm::Urban).co2_total();
    EXPECT_GT(truck_g, car_g);
    // City: both car links and the truck; study area: the car and the truck on link 1 only.
    EXPECT_NEAR(r.co2_g(), 2 * car_g + truck_g, 1e-9);
    EXPECT_NEAR(r.study_co2_g(), car_g + truck_g, 1e-9);
    EXPECT_NEAR(r.study_modes[mode_index(Mode::Truck)].vkt_km, 1.0, 1e-12);
    // Trips: two residents' car trips in the city, one touching the study area; the freight trip
    // is counted apart and never as a person's trip.
    EXPECT_EQ(r.trips(), 2.0);
    EXPECT_EQ(r.study_trips(), 1.0);
    EXPECT_EQ(r.segment_trips[static_cast<std::size_t>(TripSegment::Freight)], 1.0);
    EXPECT_EQ(r.modes[mode_index(Mode::Truck)].trips, 0.0);
}

TEST(EmissionCounter, EvOnlyFleetHasZeroTailpipeButGridCo2) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Car, "passenger_electric"}});
    f.info.vehicle_type_of = {0, 0, 0};
    EmissionCounter c(table());
    c.begin(f.info);
    std::vector<Traversal> b;
    for (std::uint32_t v = 0; v < 3; ++v)
        for (std::uint32_t l = 0; l < 3; ++l)
            b.push_back(trav(l, v, 0, v * 1000, v * 1000 + at_kmh(10 + 20.0 * l)));
    c.on_traversals(0, b);
    c.end();
    const auto& r = c.results();
    EXPECT_EQ(r.co2_tailpipe_g(), 0.0);
    EXPECT_GT(r.co2_grid_g(), 0.0);
    EXPECT_NEAR(r.co2_grid_g(), 9 * 0.1923 * 417.3, 1e-6);
    EXPECT_NEAR(r.modes[mode_index(Mode::Car)].vkt_km, 9.0, 1e-12);
}

TEST(EmissionCounter, SampleScalingSparesTransitVehicles) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Car, "passenger_gasoline"}, {Mode::Bus, "bus_cng"}}, 1, 0.25);
    f.info.vehicle_line = {LineId(0)};
    f.info.vehicle_type_of = {1, 0};
    EmissionCounter c(table());
    c.begin(f.info);
    std::vector<Traversal> b = {trav(0, 0, 1, 0, at_kmh(20), 10), trav(0, 1, 0, 0, at_kmh(20), 1)};
    c.on_traversals(0, b);
    TripOutcome t;
    t.trip = TripId(0);
    t.mode = Mode::Car;
    t.depart_ms = 0;
    t.arrive_ms = 600000;
    t.distance_m = 1000;
    std::vector<TripOutcome> trips = {t};
    c.on_trips(0, trips);
    c.end();
    const auto& r = c.results();
    EXPECT_NEAR(r.modes[mode_index(Mode::Bus)].vkt_km, 1.0, 1e-12);   // the bus runs once
    EXPECT_NEAR(r.modes[mode_index(Mode::Bus)].pkt_km, 40.0, 1e-12);  // its 10 sampled riders x 4
    EXPECT_NEAR(r.modes[mode_index(Mode::Car)].vkt_km, 4.0, 1e-12);
    EXPECT_NEAR(r.modes[mode_index(Mode::Car)].trips, 4.0, 1e-12);
    EXPECT_NEAR(r.modes[mode_index(Mode::Car)].mean_travel_time_min(), 10.0, 1e-12);
    EXPECT_NEAR(r.link_vehicles[0], 5.0, 1e-12);
}

TEST(EmissionCounter, WalkAndBikeDistanceIsReportedAtZeroCo2) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Bike, "bike"}});
    EmissionCounter c(table());
    c.set_trip_zones({ZoneId(0), ZoneId(1)}, {ZoneId(1), ZoneId(1)});
    c.begin(f.info);
    std::vector<TripOutcome> trips(2);
    trips[0].trip = TripId(0);
    trips[0].mode = Mode::Walk;
    trips[0].distance_m = 800;
    trips[1].trip = TripId(1);
    trips[1].mode = Mode::Bike;
    trips[1].distance_m = 3000;
    c.on_trips(0, trips);
    c.end();
    const auto& r = c.results();
    EXPECT_NEAR(r.modes[mode_index(Mode::Walk)].pkt_km, 0.8, 1e-12);
    EXPECT_NEAR(r.modes[mode_index(Mode::Bike)].pkt_km, 3.0, 1e-12);
    EXPECT_EQ(r.co2_g(), 0.0);
    EXPECT_NEAR(r.zone_trips_from[0], 1, 1e-12);
    EXPECT_NEAR(r.zone_trips_to[1], 2, 1e-12);
}

TEST(EmissionCounter, UnknownEmissionClassIsAnInputError) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Car, "passenger_kerosene"}});
    EmissionCounter c(table());
    EXPECT_THROW(c.begin(f.info), InputError);
}

/// Random-ish synthetic day over 3 links, split into partitions and fed concurrently.
TEST(EmissionCounter, ParallelPartitionsGiveIdenticalResultsForAnyThreadCount) {
    Network net = make_network();
    auto run = [&](std::uint32_t parts, bool threads) {
        Fleet f = make_fleet(net,
                             {{Mode::Car, "passenger_gasoline"},
                              {Mode::Taxi, "taxi_lpg"},
                              {Mode::Car, "passenger_hybrid"}},
                             parts);
        EmissionCounter c(table());
        c.begin(f.info);
        // Fixed partitioning of vehicles (as an engine partitions by space), varying thread use.
        std::vector<std::vector<Traversal>> per(parts);
        for (std::uint32_t v = 0; v < 3000; ++v) {
            TimeMs t0 = static_cast<TimeMs>(v) * 17'000;
            per[v % parts].push_back(
                trav(v % 3, v, static_cast<VehicleTypeId>(v % 3), t0, t0 + at_kmh(5.0 + v % 70)));
        }
        auto feed = [&](std::uint32_t p) {
            for (std::size_t i = 0; i < per[p].size(); i += 100)
                c.on_traversals(
                    p, std::span(per[p]).subspan(i, std::min<std::size_t>(100, per[p].size() - i)));
        };
        if (threads) {
            std::vector<std::thread> ts;
            for (std::uint32_t p = 0; p < parts; ++p) ts.emplace_back(feed, p);
            for (auto& t : ts) t.join();
        } else {
            for (std::uint32_t p = parts; p-- > 0;) feed(p);  // reverse arrival order
        }
        c.end();
        return c.results();
    };
    auto a = run(4, false);
    auto b = run(4, true);
    EXPECT_EQ(a.co2_g(), b.co2_g());  // bit-identical
    EXPECT_EQ(a.link_co2_g, b.link_co2_g);
    ASSERT_EQ(a.link_hours.size(), b.link_hours.size());
    for (std::size_t i = 0; i < a.link_hours.size(); ++i)
        EXPECT_EQ(a.link_hours[i].co2_g, b.link_hours[i].co2_g);
    EXPECT_EQ(a.minute_cum_co2_g, b.minute_cum_co2_g);
    auto one = run(1, false);
    EXPECT_NEAR(one.co2_g(), a.co2_g(), 1e-9 * a.co2_g());
}

TEST(EmissionCounter, SeriesAndLinkTablesHaveTheExpectedShape) {
    Network net = make_network();
    Fleet f = make_fleet(net, {{Mode::Car, "passenger_diesel"}});
    EmissionCounter c(table());
    c.begin(f.info);
    std::vector<Traversal> b = {trav(0, 0, 0, 25 * kMsPerHour, 25 * kMsPerHour + at_kmh(30))};
    c.on_traversals(0, b);
    c.end();
    const auto& r = c.results();
    EXPECT_EQ(r.hours, 26u);  // a trip past midnight extends the day
    auto names = r.minute_series_names();
    EXPECT_EQ(names.size(), kModeCount + 1);
    EXPECT_EQ(r.minute_series_values().size(), r.minute_cum_co2_g.size() * names.size());
    auto v = r.link_hour_values("co2_g");
    ASSERT_EQ(v.size(), 26u * net.link_count());
    EXPECT_GT(v[25 * net.link_count() + 0], 0.0f);
    EXPECT_THROW(r.link_hour_values("nope"), std::invalid_argument);
}
