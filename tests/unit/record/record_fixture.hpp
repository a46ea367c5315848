#pragma once
// A small network and a recorded day shared by the record tests.
#include <algorithm>
#include <span>
#include <vector>

#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/record/recorder.hpp"
#include "modeshift/travel_plan/observer.hpp"

namespace modeshift::test {

/// Square of 4 nodes ~1.1 km apart: 0 -> 1 -> 2 -> 3 -> 0 plus a bent link 0 -> 2 and a bus line.
inline Network square_network() {
    NetworkBuilder b("square");
    auto n0 = b.add_node({36.350, 127.380});
    auto n1 = b.add_node({36.350, 127.390});
    auto n2 = b.add_node({36.360, 127.390});
    auto n3 = b.add_node({36.360, 127.380});
    auto link = [&](NodeId f, NodeId t, double len, std::vector<LatLon> geom = {}) {
        LinkSpec s;
        s.from = f;
        s.to = t;
        s.length_m = len;
        s.capacity_vph = 1800;
        s.road_class = RoadClass::Primary;
        s.name = "계룡로";
        s.geometry = std::move(geom);
        return b.add_link(s);
    };
    link(n0, n1, 895);
    link(n1, n2, 1112);
    link(n2, n3, 895);
    link(n3, n0, 1112);
    link(n0, n2, 2007, {{36.350, 127.380}, {36.350, 127.390}, {36.360, 127.390}});
    auto d = b.finish();
    Zone z;
    z.code = "3017051000";
    z.name = "둔산1동";
    z.name_en = "Dunsan 1-dong";
    z.centroid = NodeId(0);
    z.lat = 36.355;
    z.lon = 127.385;
    z.ring_first = {0, 4};
    z.ring_lat = {36.349, 36.349, 36.361, 36.361};
    z.ring_lon = {127.379, 127.391, 127.391, 127.379};
    d.zones.push_back(z);
    d.stops.push_back({"S1", "정부청사역", 36.350, 127.380, NodeId(0), mode_bit(Mode::Bus)});
    d.stops.push_back({"S2", "시청", 36.360, 127.390, NodeId(2), mode_bit(Mode::Bus)});
    TransitLine ln;
    ln.code = "B102";
    ln.name = "102";
    ln.mode = Mode::Bus;
    ln.stops = {StopId(0), StopId(1)};
    ln.links = {LinkId(0), LinkId(1)};
    ln.stop_link_pos = {0, 2};
    ln.vehicle_capacity = 50;
    d.lines.push_back(ln);
    d.bike_stations.push_back({"T1", "타슈 1", 36.355, 127.381, NodeId(0), 20});
    return Network(std::move(d), "square");
}

inline std::vector<VehicleType> vehicle_types() {
    return {{"bus_cng", Mode::Bus, 2.5, 20, "bus_cng"},
            {"car_gasoline", Mode::Car, 1.0, 30, "passenger_gasoline"},
            {"bike", Mode::Bike, 0.2, 5, "none"}};
}

/// Traversals of a bus (vehicle 0, line 0) and several cars and a bike.
inline std::vector<Traversal> day_traversals() {
    std::vector<Traversal> t;
    auto add = [&](TimeMs enter, TimeMs leave, std::uint32_t link, std::uint32_t veh,
                   VehicleTypeId type, std::uint16_t pass) {
        t.push_back({enter, leave, LinkId(link), VehicleId(veh), type, pass});
    };
    add(8 * kMsPerHour, 8 * kMsPerHour + 90'000, 0, 0, 0, 12);
    add(8 * kMsPerHour + 120'000, 8 * kMsPerHour + 200'000, 1, 0, 0, 20);  // dwell 30 s
    for (std::uint32_t c = 1; c <= 20; ++c) {
        const TimeMs t0 = 7 * kMsPerHour + c * 37'123;
        add(t0, t0 + 60'000 + c, 0, c, 1, 1);
        add(t0 + 60'000 + c, t0 + 130'000, 1, c, 1, 1);
        add(t0 + 130'000, t0 + 190'777, 2, c, 1, 1);
        add(t0 + 500'000, t0 + 590'000, 4, c, 1, 2);  // later trip, not a successor
    }
    add(9 * kMsPerHour, 9 * kMsPerHour + 300'000, 3, 30, 2, 1);
    return t;
}

inline RunInfo run_info(const Network& net, const std::vector<VehicleType>& types,
                        std::uint32_t parts) {
    RunInfo info;
    info.network = &net;
    info.vehicle_types = &types;
    info.vehicle_type_of.assign(31, 1);
    info.vehicle_type_of[0] = 0;
    info.vehicle_type_of[30] = 2;
    info.vehicle_line.assign(31, LineId());
    info.vehicle_line[0] = LineId(0);
    info.partitions = parts;
    info.sample_fraction = 0.25;
    return info;
}

/// The fixture day recorded with `parts` partitions (batches partitioned by vehicle).
inline RunFile recorded_run(const Network& net, std::uint32_t parts) {
    const auto types = vehicle_types();
    RunRecorder rec;
    rec.begin(run_info(net, types, parts));
    const auto all = day_traversals();
    // Partition by vehicle, as the engine does: each partition's batches in time order.
    for (std::uint32_t p = 0; p < parts; ++p) {
        std::vector<Traversal> mine;
        for (const auto& t : all)
            if (t.vehicle.value() % parts == p) mine.push_back(t);
        std::sort(mine.begin(), mine.end(),
                  [](auto& a, auto& b) { return a.leave_ms < b.leave_ms; });
        rec.on_traversals(p, mine);
    }
    std::vector<TripOutcome> trips(3);
    trips[0].mode = Mode::Car;
    trips[1].mode = Mode::Bus;
    trips[2].mode = Mode::Car;
    rec.on_trips(0, trips);
    StopCall c;
    c.arrive_ms = 8 * kMsPerHour + 90'000;
    c.depart_ms = 8 * kMsPerHour + 120'000;
    c.line = LineId(0);
    c.vehicle = VehicleId(0);
    c.stop = StopId(1);
    c.stop_index = 1;
    c.boarded = 9;
    c.alighted = 1;
    c.load = 20;
    rec.on_stop_calls(0, std::span<const StopCall>(&c, 1));
    rec.end();
    CounterSeries counters;
    counters.names = {"co2_kg.car", "co2_kg.bus"};
    counters.values = {1.5, 0.5, 3.0, 1.25};
    LinkHourlyTable co2{"co2_g", "g", 1, std::vector<float>(net.link_count(), 7.0f)};
    return rec.make_run_file(net, {"baseline", "기준안", 42}, counters, {co2});
}

}  // namespace modeshift::test
