#pragma once
// The report tests' synthetic world: a three-link network with two dongs, a small simulated day
// (car traffic scaled by a factor), and run folders written from it.
#include <filesystem>
#include <memory>
#include <string>

#include "modeshift/core/hash.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift::report_test {

namespace fs = std::filesystem;

inline fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ms_report_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

inline const EmissionFactorTable& table() {
    static const EmissionFactorTable t =
        EmissionFactorTable::load(fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data");
    return t;
}

inline NetworkData make_network_data() {
    NetworkBuilder b("testville");
    auto n0 = b.add_node({36.350, 127.370});
    auto n1 = b.add_node({36.350, 127.380});
    auto n2 = b.add_node({36.352, 127.390});
    auto add = [&](NodeId a, NodeId c, RoadClass rc, const char* name, const char* ext) {
        LinkSpec s;
        s.from = a;
        s.to = c;
        s.length_m = 900;
        s.road_class = rc;
        s.name = name;
        s.external_id = ext;
        s.capacity_vph = 1800;
        return b.add_link(s);
    };
    add(n0, n1, RoadClass::Primary, "계룡로, 서구", "L0");
    add(n1, n2, RoadClass::Secondary, "대덕대로", "L1");
    add(n1, n0, RoadClass::Motorway, "호남고속도로", "L2");
    NetworkData d = b.finish();
    d.links.lanes[1] = 3;  // as if a published section had given them
    d.links.lanes_source[1] = LanesSource::Published;
    for (int k = 0; k < 2; ++k) {
        Zone z;
        z.code = k ? "3017052000" : "3017051000";
        z.name = k ? "둔산2동" : "둔산1동";
        z.name_en = k ? "Dunsan 2-dong" : "Dunsan 1-dong";
        z.district = "서구";
        z.study_area = true;
        z.lat = 36.350;
        z.lon = k ? 127.39 : 127.37;
        z.centroid = n0;
        z.population = 20000 + 1000 * k;
        z.area_km2 = 1.5;
        double lon0 = k ? 127.38 : 127.36, lon1 = k ? 127.40 : 127.38;
        z.ring_first = {0, 4};
        z.ring_lat = {36.34, 36.34, 36.36, 36.36};
        z.ring_lon = {lon0, lon1, lon1, lon0};
        d.zones.push_back(z);
    }
    return d;
}

/// A small synthetic day: `car_factor` scales car traffic (a policy that removes cars uses < 1).
inline EmissionResults simulate(const Network& net, double car_factor) {
    std::vector<VehicleType> types = {{"car", Mode::Car, 1.0, 30.0, "passenger_gasoline"},
                                      {"bus", Mode::Bus, 2.5, 20.0, "bus_cng"},
                                      {"walk", Mode::Walk, 0.0, 1.4, "walk"}};
    RunInfo info;
    info.network = &net;
    info.vehicle_types = &types;
    info.vehicle_line = {LineId(0)};
    info.vehicle_type_of = {1};
    info.partitions = 2;
    info.sample_fraction = 0.5;
    EmissionCounter c(table());
    c.set_trip_zones({ZoneId(0), ZoneId(1), ZoneId(0)}, {ZoneId(1), ZoneId(0), ZoneId(1)});
    c.begin(info);
    std::vector<Traversal> p0, p1;
    int cars = static_cast<int>(40 * car_factor);
    for (int v = 0; v < cars; ++v) {
        Traversal t;
        t.link = LinkId(static_cast<std::uint32_t>(v % 3));
        t.vehicle = VehicleId(static_cast<std::uint32_t>(v + 1));
        t.vehicle_type = 0;
        t.enter_ms = (6 + v % 12) * kMsPerHour;
        t.leave_ms = t.enter_ms + 60'000 + 1000 * v;
        t.passengers = 1;
        (v % 2 ? p1 : p0).push_back(t);
    }
    Traversal bus;
    bus.link = LinkId(1);
    bus.vehicle = VehicleId(0);
    bus.vehicle_type = 1;
    bus.enter_ms = 8 * kMsPerHour;
    bus.leave_ms = bus.enter_ms + 150'000;
    bus.passengers = static_cast<std::uint16_t>(20 + 20 * (1 - car_factor));
    p0.push_back(bus);
    c.on_traversals(0, p0);
    c.on_traversals(1, p1);
    std::vector<TripOutcome> trips(3);
    for (std::uint32_t i = 0; i < 3; ++i) {
        trips[i].trip = TripId(i);
        trips[i].mode = i == 0 ? Mode::Car : i == 1 ? Mode::Bus : Mode::Walk;
        trips[i].depart_ms = 7 * kMsPerHour;
        trips[i].arrive_ms = trips[i].depart_ms + 600'000 * (i + 1);
        trips[i].distance_m = 2000;
    }
    c.on_trips(0, trips);
    c.end();
    return c.results();
}

inline RunSummary make_summary(const EmissionResults& r, const std::string& scenario,
                               const fs::path& net_file, const Network& net) {
    RunSummary s;
    s.scenario = scenario;
    s.scenario_file = "scenarios/" + scenario + ".scenario.json";
    s.scenario_hash = "0123456789abcdef";
    s.network = net.name();
    s.network_hash = hex64(net.content_hash());
    s.network_file = net_file.string();
    s.version = "0.1.0";
    s.policies = {"bus_frequency: 배차간격 50% 단축 / headways halved"};
    s.seed = 42;
    s.threads = 4;
    s.iterations = 3;
    s.sample_fraction = 0.5;
    s.persons = 1234;
    s.events = 987654;
    s.event_hash = "fedcba9876543210";
    s.wall_s = 12.5;
    apply_to_summary(r, s);
    IterationFigures it;
    it.iteration = 1;
    it.mode_share = {0.5, 0.2, 0.1, 0, 0.05, 0.15, 0};
    it.mean_travel_time_min = 23.4;
    it.mode_share_change = 0.01;
    s.history.push_back(it);
    return s;
}

struct Fixture {
    fs::path root;
    fs::path net_file;
    std::unique_ptr<Network> net;
    explicit Fixture(const std::string& name) : root(temp_dir(name)) {
        NetworkData d = make_network_data();
        net_file = root / "testville.msnet";
        write_network(d, net_file);
        net = std::make_unique<Network>(std::move(d));
    }
    /// A run folder root/<name> of scenario `scenario` (default: the folder's name).
    fs::path run(const std::string& name, double car_factor, std::uint64_t seed = 42,
                 const std::string& scenario = {}) {
        fs::path dir = root / name;
        EmissionResults r = simulate(*net, car_factor);
        RunSummary s = make_summary(r, scenario.empty() ? name : scenario, net_file, *net);
        s.seed = seed;
        write_run_outputs(dir, s, r, *net);
        return dir;
    }
};

}  // namespace modeshift::report_test
