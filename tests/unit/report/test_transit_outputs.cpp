// transit_lines.csv and stop_boardings.csv: the TransitCounter on small networks run by the
// engine, with figures computed by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "modeshift/core/rng.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/engine/simulation.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/report/transit_outputs.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ms_transit_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_of(const fs::path& p) {
    std::vector<std::string> out;
    std::ifstream f(p);
    for (std::string s; std::getline(f, s);) out.push_back(s);
    return out;
}

LinkSpec road(NodeId a, NodeId b, double length_m) {
    LinkSpec s;
    s.from = a;
    s.to = b;
    s.length_m = length_m;
    s.speed_mps = 10;
    s.capacity_vph = 1800;
    s.storage_pce = 100;
    s.road_class = RoadClass::Secondary;
    return s;
}

Stop bus_stop(const std::string& code, const std::string& name, NodeId node, double lat,
              double lon) {
    Stop s;
    s.code = code;
    s.name = name;
    s.node = node;
    s.lat = lat;
    s.lon = lon;
    s.modes = mode_bit(Mode::Bus);
    return s;
}

/// Nodes 0-1-2-3 on a parallel; links 500, 700 and 900 m. Stops S0 (node 0), S1 (node 1) and
/// S2 (node 3): the segment S1 -> S2 is two links, 1600 m. S9 (node 2) is served by nobody.
/// Line B1 "101" runs S0 S1 S2 with `capacity` and departures 600 s and 1800 s; line B2 "102"
/// runs S1 S2 once, at 3000 s, empty.
Network one_line_network(double capacity) {
    NetworkBuilder b("transit-test");
    NodeId n[4];
    for (int i = 0; i < 4; ++i) n[i] = b.add_node(LatLon{36.35, 127.38 + 0.01 * i});
    const LinkId l0 = b.add_link(road(n[0], n[1], 500));
    const LinkId l1 = b.add_link(road(n[1], n[2], 700));
    const LinkId l2 = b.add_link(road(n[2], n[3], 900));
    NetworkData d = b.finish();
    d.stops.push_back(bus_stop("S0", "Stop, zero", n[0], 36.35, 127.38));
    d.stops.push_back(bus_stop("S1", "정류장 1", n[1], 36.35, 127.39));
    d.stops.push_back(bus_stop("S2", "Stop 2", n[3], 36.35, 127.41));
    d.stops.push_back(bus_stop("S9", "Unserved", n[2], 36.35, 127.40));
    TransitLine line;
    line.code = "B1";
    line.name = "101";
    line.mode = Mode::Bus;
    line.stops = {StopId(0), StopId(1), StopId(2)};
    line.links = {l0, l1, l2};
    line.stop_link_pos = {0, 1, 3};
    line.vehicle_capacity = capacity;
    line.departures_s = {600, 1800};
    d.lines.push_back(line);
    TransitLine other;
    other.code = "B2";
    other.name = "102";
    other.mode = Mode::Bus;
    other.stops = {StopId(1), StopId(2)};
    other.links = {l1, l2};
    other.stop_link_pos = {0, 2};
    other.vehicle_capacity = capacity;
    other.departures_s = {3000};
    d.lines.push_back(other);
    return Network(std::move(d));
}

void add_rider(PlanSet& p, TimeMs dep, std::uint16_t board, std::uint16_t alight) {
    p.begin_trip(AgentId(static_cast<std::uint32_t>(p.trip_count())), dep, Mode::Bus, ZoneId{},
                 ZoneId{});
    p.add_walk(12, 1.2f);
    p.add_transit(LineId(0), board, alight);
    p.add_walk(0, 1.2f);
    p.end_trip();
}

/// Four riders S0 -> S2 and two S1 -> S2, all at the stops by 120 s.
/// With 3 seats: bus 1 takes three at S0 (one left behind) and arrives full at S1 (two left
/// behind); bus 2 takes the fourth at S0 and the two at S1.
PlanSet one_line_plans() {
    PlanSet p;
    for (int i = 0; i < 4; ++i) add_rider(p, (100 + i) * kMsPerSecond, 0, 2);
    for (int i = 0; i < 2; ++i) add_rider(p, (105 + i) * kMsPerSecond, 1, 2);
    return p;
}

EngineConfig config(double sample_fraction, int threads = 1, std::uint32_t partitions = 1) {
    EngineConfig c;
    c.seed = 3;
    c.threads = threads;
    c.partitions = partitions;
    c.sample_fraction = sample_fraction;
    c.stuck_ms = 3600 * kMsPerSecond;
    return c;
}

TransitResults run(const Network& net, const PlanSet& plans, const EngineConfig& cfg,
                   RunStats* stats = nullptr) {
    Simulation sim(net, {}, cfg);
    TransitCounter counter;
    Observer* obs[] = {&counter};
    const RunStats st = sim.run(plans, obs);
    if (stats) *stats = st;
    return counter.results();
}

const TransitLineRow& line_row(const TransitResults& r, LineId l) {
    for (const auto& x : r.lines)
        if (x.line == l) return x;
    throw std::logic_error("line has no row");
}

const StopRow* stop_row(const TransitResults& r, StopId s) {
    for (const auto& x : r.stops)
        if (x.stop == s) return &x;
    return nullptr;
}

}  // namespace

TEST(TransitOutputs, OneLineWithKnownRidersGivesExactFigures) {
    const Network net = one_line_network(3);
    RunStats st;
    const TransitResults r = run(net, one_line_plans(), config(1.0), &st);
    ASSERT_EQ(st.trips_completed, 6u);
    ASSERT_EQ(st.left_behind, 3u);
    ASSERT_EQ(r.lines.size(), 2u);
    const TransitLineRow& b1 = line_row(r, LineId(0));
    EXPECT_EQ(b1.boardings, 6.0);
    // Bus 1: 3 aboard over 500 m and 1600 m; bus 2: 1 over 500 m, 3 over 1600 m.
    EXPECT_NEAR(b1.passenger_km, 3 * 0.5 + 3 * 1.6 + 1 * 0.5 + 3 * 1.6, 1e-9);  // 11.6
    EXPECT_NEAR(b1.vehicle_km, 2 * 2.1, 1e-9);
    EXPECT_EQ(b1.departures, 2u);
    EXPECT_EQ(b1.peak_load, 3.0);
    EXPECT_EQ(b1.capacity, 3.0);
    EXPECT_EQ(b1.max_load_factor, 1.0);
    EXPECT_EQ(b1.left_behind, 3.0);           // one at S0, two at S1
    EXPECT_EQ(b1.peak_load_stop, StopId(0));  // 3 aboard from S0 and from S1: the earlier stop
    const TransitLineRow& b2 = line_row(r, LineId(1));
    EXPECT_EQ(b2.boardings, 0.0);
    EXPECT_EQ(b2.passenger_km, 0.0);
    EXPECT_NEAR(b2.vehicle_km, 1.6, 1e-9);
    EXPECT_EQ(b2.departures, 1u);
    EXPECT_EQ(b2.peak_load, 0.0);
    EXPECT_FALSE(b2.peak_load_stop.valid());  // never carried anyone

    ASSERT_EQ(r.stops.size(), 3u);  // S9 has no calls
    EXPECT_EQ(stop_row(r, StopId(3)), nullptr);
    const StopRow* s0 = stop_row(r, StopId(0));
    const StopRow* s1 = stop_row(r, StopId(1));
    const StopRow* s2 = stop_row(r, StopId(2));
    ASSERT_TRUE(s0 && s1 && s2);
    EXPECT_EQ(s0->boardings, 4.0);
    EXPECT_EQ(s0->alightings, 0.0);
    EXPECT_EQ(s0->lines_serving, 1u);
    EXPECT_EQ(s1->boardings, 2.0);
    EXPECT_EQ(s1->lines_serving, 2u);
    EXPECT_EQ(s2->boardings, 0.0);
    EXPECT_EQ(s2->alightings, 6.0);
    EXPECT_EQ(s2->lines_serving, 2u);
    EXPECT_EQ(s2->modes, mode_bit(Mode::Bus));
}

TEST(TransitOutputs, CsvHeaderAndRowsAreAsDocumented) {
    const Network net = one_line_network(3);
    const TransitResults r = run(net, one_line_plans(), config(1.0));
    const fs::path dir = temp_dir("csv") / "run";  // created by the writer
    write_transit_outputs(dir, r, net);
    const auto tl = lines_of(dir / kTransitLinesFile);
    ASSERT_EQ(tl.size(), 3u);
    EXPECT_EQ(tl[0],
              "line_code,line_name,mode,boardings_per_day,passenger_km_per_day,vehicle_km_per_day,"
              "departures,"
              "peak_load,capacity,max_load_factor,left_behind_per_day,peak_load_stop");
    EXPECT_EQ(tl[1], "B1,101,bus,6.0,11.6,4.20,2,3.0,3,1.000,3.0,S0");
    EXPECT_EQ(tl[2], "B2,102,bus,0,0,1.60,1,0,3,0,0,");
    const auto sb = lines_of(dir / kStopBoardingsFile);
    ASSERT_EQ(sb.size(), 4u);
    EXPECT_EQ(
        sb[0],
        "stop_code,stop_name,lat,lon,modes,boardings_per_day,alightings_per_day,lines_serving");
    EXPECT_EQ(sb[1], "S0,\"Stop, zero\",36.350000,127.380000,bus,4.0,0,1");
    EXPECT_EQ(sb[2], "S1,정류장 1,36.350000,127.390000,bus,2.0,0,2");
    EXPECT_EQ(sb[3], "S2,Stop 2,36.350000,127.410000,bus,0,6.0,2");
    // The project's CSV reader reads both back (quoted names included).
    CsvReader c(dir / kStopBoardingsFile);
    ASSERT_TRUE(c.next());
    EXPECT_EQ(c.get("stop_name"), "Stop, zero");
    EXPECT_DOUBLE_EQ(c.get_double("boardings_per_day"), 4.0);
    CsvReader l(dir / kTransitLinesFile);
    ASSERT_TRUE(l.next());
    EXPECT_DOUBLE_EQ(l.get_double("passenger_km_per_day"), 11.6);
}

TEST(TransitOutputs, SampleFractionScalesPassengerCountsNotVehicles) {
    // Capacity 12 at a 25 % sample is 3 seats in the engine: the same simulated day as above.
    const Network net = one_line_network(12);
    const TransitResults r = run(net, one_line_plans(), config(0.25));
    EXPECT_EQ(r.sample_fraction, 0.25);
    const TransitLineRow& b1 = line_row(r, LineId(0));
    EXPECT_EQ(b1.boardings, 24.0);
    EXPECT_NEAR(b1.passenger_km, 4 * 11.6, 1e-9);
    EXPECT_EQ(b1.left_behind, 12.0);
    EXPECT_EQ(b1.peak_load, 12.0);
    EXPECT_EQ(b1.capacity, 12.0);
    EXPECT_EQ(b1.max_load_factor, 1.0);     // peak_load / capacity
    EXPECT_NEAR(b1.vehicle_km, 4.2, 1e-9);  // vehicles run the full timetable: not scaled
    EXPECT_EQ(b1.departures, 2u);
    const StopRow* s2 = stop_row(r, StopId(2));
    ASSERT_TRUE(s2);
    EXPECT_EQ(s2->alightings, 24.0);
    EXPECT_EQ(s2->lines_serving, 2u);
}

TEST(TransitOutputs, EngineCapacityRuleIsReplicated) {
    EXPECT_EQ(vehicle_capacity_in_sample(80, 1.0), 80u);
    EXPECT_EQ(vehicle_capacity_in_sample(80, 0.1), 8u);
    EXPECT_EQ(vehicle_capacity_in_sample(130, 0.25), 33u);  // 32.5 rounds up
    EXPECT_EQ(vehicle_capacity_in_sample(3, 0.1), 1u);      // at least one seat
}

TEST(TransitOutputs, BeginResetsSoEachIterationReportsOneDay) {
    const Network net = one_line_network(3);
    const PlanSet plans = one_line_plans();
    Simulation sim(net, {}, config(1.0));
    TransitCounter counter;
    Observer* obs[] = {&counter};
    sim.run(plans, obs);
    const double first = line_row(counter.results(), LineId(0)).boardings;
    sim.run(plans, obs);
    EXPECT_EQ(line_row(counter.results(), LineId(0)).boardings, first);
    EXPECT_EQ(counter.results().lines.size(), 2u);
}

namespace {

constexpr int kGrid = 8;

/// An 8 x 8 grid (250 m) with a bus line each way along row 3 and riders and cars drawn from
/// the test stream: enough traffic that partitions exchange vehicles and riders.
struct GridDay {
    Network net;
    PlanSet plans;
};

GridDay grid_day() {
    NetworkBuilder b("grid");
    for (int y = 0; y < kGrid; ++y)
        for (int x = 0; x < kGrid; ++x)
            b.add_node(LatLon{36.30 + 0.00225 * y, 127.30 + 0.0028 * x});
    auto id = [](int x, int y) { return NodeId(static_cast<std::uint32_t>(y * kGrid + x)); };
    for (int y = 0; y < kGrid; ++y)
        for (int x = 0; x + 1 < kGrid; ++x) {
            b.add_link(road(id(x, y), id(x + 1, y), 250));
            b.add_link(road(id(x + 1, y), id(x, y), 250));
        }
    for (int y = 0; y + 1 < kGrid; ++y)
        for (int x = 0; x < kGrid; ++x) {
            b.add_link(road(id(x, y), id(x, y + 1), 250));
            b.add_link(road(id(x, y + 1), id(x, y), 250));
        }
    NetworkData d = b.finish();
    Network tmp(d);
    for (int x = 0; x < kGrid; ++x)
        d.stops.push_back(bus_stop("G" + std::to_string(x), "grid " + std::to_string(x), id(x, 3),
                                   36.30, 127.30));
    for (int dir = 0; dir < 2; ++dir) {
        TransitLine line;
        line.code = dir ? "W" : "E";
        line.name = "grid-bus";
        line.mode = Mode::Bus;
        line.vehicle_capacity = 5;  // small: forces left-behind passengers
        line.headway_peak_s = 300;
        line.headway_offpeak_s = 600;
        line.service_start_s = 6 * 3600;
        line.service_end_s = 10 * 3600;
        for (int i = 0; i < kGrid; ++i) {
            const int x = dir ? kGrid - 1 - i : i;
            line.stops.push_back(StopId(static_cast<std::uint32_t>(x)));
            line.stop_link_pos.push_back(static_cast<std::uint32_t>(line.links.size()));
            if (i + 1 < kGrid)
                line.links.push_back(tmp.find_link(id(x, 3), id(dir ? x - 1 : x + 1, 3)));
        }
        d.lines.push_back(line);
    }
    GridDay g{Network(std::move(d)), {}};
    for (std::uint32_t i = 0; i < 1500; ++i) {
        Rng rng(5, RngPurpose::Test, i);
        const TimeMs dep = 7 * kMsPerHour + static_cast<TimeMs>(rng.below(2 * kMsPerHour));
        if (rng.below(3) == 0) {  // a car along a row, crossing the line's partitions
            const int y = static_cast<int>(rng.below(kGrid));
            std::vector<LinkId> route;
            for (int x = 0; x + 1 < kGrid; ++x)
                route.push_back(g.net.find_link(id(x, y), id(x + 1, y)));
            g.plans.begin_trip(AgentId(i), dep, Mode::Car, ZoneId{}, ZoneId{});
            g.plans.add_drive(0, route);
            g.plans.end_trip();
            continue;
        }
        const auto bi = static_cast<std::uint16_t>(rng.below(kGrid - 1));
        const auto ai = static_cast<std::uint16_t>(bi + 1 + rng.below(kGrid - 1 - bi));
        g.plans.begin_trip(AgentId(i), dep, Mode::Bus, ZoneId{}, ZoneId{});
        g.plans.add_walk(static_cast<float>(rng.below(300)), 1.2f);
        g.plans.add_transit(LineId(static_cast<std::uint32_t>(rng.below(2))), bi, ai);
        g.plans.add_walk(100, 1.2f);
        g.plans.end_trip();
    }
    return g;
}

}  // namespace

TEST(TransitOutputs, IdenticalForOneAndTwoThreadsAndPassengerKmMatchesTheEmissionCounter) {
    const GridDay g = grid_day();
    const std::vector<VehicleType> types = {{"car", Mode::Car, 1.0, 30.0, "passenger_gasoline"},
                                            {"bus", Mode::Bus, 2.5, 20.0, "bus_cng"}};
    const auto factors =
        EmissionFactorTable::load(fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data");
    std::string files[2];
    for (int threads = 1; threads <= 2; ++threads) {
        EngineConfig cfg = config(0.5, threads, 4);
        Simulation sim(g.net, types, cfg);
        TransitCounter counter;
        EmissionCounter emissions(factors);
        Observer* obs[] = {&counter, &emissions};
        const RunStats st = sim.run(g.plans, obs);
        ASSERT_EQ(st.partitions, 4u);
        ASSERT_GT(st.left_behind, 0u);
        const TransitResults& r = counter.results();
        ASSERT_EQ(r.lines.size(), 2u);
        double boardings = 0, pkm = 0, vkm = 0, stop_boardings = 0, stop_alightings = 0;
        for (const auto& x : r.lines)
            boardings += x.boardings, pkm += x.passenger_km, vkm += x.vehicle_km;
        for (const auto& x : r.stops)
            stop_boardings += x.boardings, stop_alightings += x.alightings;
        EXPECT_DOUBLE_EQ(boardings, static_cast<double>(st.boardings) / 0.5);
        EXPECT_DOUBLE_EQ(stop_boardings, boardings);
        EXPECT_DOUBLE_EQ(stop_alightings, boardings);  // everybody who boards alights
        // Independent computation: the counter's bus person-km from link traversals.
        const auto& bus = emissions.results().modes[mode_index(Mode::Bus)];
        EXPECT_NEAR(pkm, bus.pkt_km, 1e-6 * pkm);
        EXPECT_NEAR(vkm, bus.vkt_km, 1e-6 * vkm);
        for (const auto& x : r.lines) EXPECT_LE(x.max_load_factor, 1.0);
        const fs::path dir = temp_dir("threads" + std::to_string(threads));
        write_transit_outputs(dir, r, g.net);
        files[threads - 1] = slurp(dir / kTransitLinesFile) + slurp(dir / kStopBoardingsFile);
    }
    EXPECT_FALSE(files[0].empty());
    EXPECT_EQ(files[0], files[1]);
}
