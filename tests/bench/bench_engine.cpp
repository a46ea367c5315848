// Engine benchmark: link events per second, wall time, peak RSS, bytes per agent and the 1- vs
// 2-thread speed-up with identical event_hash.
//
//   bench_engine grid [--size 60] [--trips 120000] [--runs 3] [--partitions 0]
//   bench_engine network <file.msnet> [--trips 100000] [--runs 3] [--study-area-only]
//
// `grid`: a synthetic n x n grid (250 m two-way links, 900 veh/h, 30 PCE storage) with car trips
// on Manhattan routes over a day with two peaks, plus bus lines, riders, walkers and cyclists.
// `network`: random car trips between zone centroids of a network file (free-flow shortest paths).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "modeshift/core/rng.hpp"
#include "modeshift/engine/simulation.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/network/shortest_path.hpp"

using namespace modeshift;

namespace {

struct Args {
    std::string mode = "grid";
    std::string path;
    int size = 60;
    std::size_t trips = 120'000;
    int runs = 3;
    std::uint32_t partitions = 0;
    bool study_only = false;
};

Args parse(int argc, char** argv) {
    Args a;
    int i = 1;
    if (i < argc && argv[i][0] != '-') a.mode = argv[i++];
    if (a.mode == "network" && i < argc && argv[i][0] != '-') a.path = argv[i++];
    for (; i < argc; ++i) {
        const std::string k = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "missing value for %s\n", k.c_str());
                std::exit(1);
            }
            return argv[++i];
        };
        if (k == "--size")
            a.size = std::atoi(next());
        else if (k == "--trips")
            a.trips = std::strtoull(next(), nullptr, 10);
        else if (k == "--runs")
            a.runs = std::atoi(next());
        else if (k == "--partitions")
            a.partitions = static_cast<std::uint32_t>(std::atoi(next()));
        else if (k == "--study-area-only")
            a.study_only = true;
        else {
            std::fprintf(stderr, "unknown argument %s\n", k.c_str());
            std::exit(1);
        }
    }
    if ((a.mode != "grid" && a.mode != "network") || (a.mode == "network" && a.path.empty()) ||
        a.runs < 1) {
        std::fprintf(stderr, "usage: bench_engine grid|network <file> [--trips N] [--runs K]\n");
        std::exit(1);
    }
    return a;
}

double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kB
}

std::vector<VehicleType> bench_types() {
    return {VehicleType{"car", Mode::Car, 1.0, 50.0, "car"},
            VehicleType{"bike", Mode::Bike, 0.2, 8.0, "none"},
            VehicleType{"bus", Mode::Bus, 2.5, 25.0, "bus"}};
}

/// Departure time over a day with morning and evening peaks.
TimeMs draw_departure(Rng& rng) {
    const double u = rng.uniform();
    double h;
    if (u < 0.3)
        h = 7.0 + 2.0 * rng.uniform();
    else if (u < 0.6)
        h = 17.0 + 2.0 * rng.uniform();
    else
        h = 6.0 + 16.0 * rng.uniform();
    return static_cast<TimeMs>(h * kMsPerHour);
}

LinkSpec road(NodeId a, NodeId b) {
    LinkSpec s;
    s.from = a;
    s.to = b;
    s.length_m = 250;
    s.speed_mps = 13.89;
    s.capacity_vph = 900;
    s.storage_pce = 30;
    s.road_class = RoadClass::Secondary;
    return s;
}

struct Scenario {
    NetworkData data;
    PlanSet plans;
};

Scenario grid_scenario(int n, std::size_t car_trips) {
    NetworkBuilder b("bench-grid");
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) b.add_node(LatLon{36.30 + 0.00225 * y, 127.30 + 0.0028 * x});
    auto node = [n](int x, int y) { return NodeId(static_cast<std::uint32_t>(y * n + x)); };
    std::vector<LinkId> east(n * n), west(n * n), north(n * n), south(n * n);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            if (x + 1 < n) {
                east[y * n + x] = b.add_link(road(node(x, y), node(x + 1, y)));
                west[y * n + x + 1] = b.add_link(road(node(x + 1, y), node(x, y)));
            }
            if (y + 1 < n) {
                north[y * n + x] = b.add_link(road(node(x, y), node(x, y + 1)));
                south[(y + 1) * n + x] = b.add_link(road(node(x, y + 1), node(x, y)));
            }
        }
    Scenario s{b.finish(), {}};
    // Bus lines on every 6th row, eastbound, a stop every second node.
    for (int y = 3; y < n; y += 6) {
        TransitLine line;
        line.name = "row" + std::to_string(y);
        line.mode = Mode::Bus;
        line.vehicle_capacity = 60;
        line.headway_peak_s = 300;
        line.headway_offpeak_s = 600;
        for (int x = 0; x < n; ++x) {
            if (x % 2 == 0 || x == n - 1) {
                line.stops.push_back(StopId(static_cast<std::uint32_t>(s.data.stops.size())));
                line.stop_link_pos.push_back(static_cast<std::uint32_t>(line.links.size()));
                Stop st;
                st.node = node(x, y);
                st.modes = mode_bit(Mode::Bus);
                s.data.stops.push_back(st);
            }
            if (x + 1 < n) line.links.push_back(east[y * n + x]);
        }
        s.data.lines.push_back(line);
    }
    PlanSet& p = s.plans;
    const auto nn = static_cast<std::uint64_t>(n) * n;
    std::vector<LinkId> route;
    const std::size_t total = car_trips + car_trips / 5;
    for (std::uint32_t i = 0; i < total; ++i) {
        Rng rng(42, RngPurpose::Test, i);
        const TimeMs dep = draw_departure(rng);
        if (i < car_trips || i % 2 == 0) {
            // Manhattan route, x-first or y-first.
            const auto o = rng.below(nn), d = rng.below(nn);
            int x = static_cast<int>(o % n), y = static_cast<int>(o / n);
            const int tx = static_cast<int>(d % n), ty = static_cast<int>(d / n);
            const bool x_first = rng.bernoulli(0.5);
            route.clear();
            while (x != tx || y != ty) {
                const bool move_x = x != tx && (x_first || y == ty);
                if (move_x) {
                    route.push_back(tx > x ? east[y * n + x] : west[y * n + x]);
                    x += tx > x ? 1 : -1;
                } else {
                    route.push_back(ty > y ? north[y * n + x] : south[y * n + x]);
                    y += ty > y ? 1 : -1;
                }
            }
            const bool bike = i >= car_trips;
            p.begin_trip(AgentId(i), dep, bike ? Mode::Bike : Mode::Car, ZoneId{}, ZoneId{});
            if (bike) {
                p.add_bike(0, 4.2f, 1, route);
            } else {
                p.add_walk(50, 1.2f);
                p.add_drive(0, route);
                p.add_walk(50, 1.2f);
            }
            p.end_trip();
        } else {
            const std::size_t li = rng.below(s.data.lines.size());
            const auto stops = static_cast<std::uint16_t>(s.data.lines[li].stops.size());
            const auto board = static_cast<std::uint16_t>(rng.below(stops - 1u));
            const auto alight =
                static_cast<std::uint16_t>(board + 1 + rng.below(stops - 1u - board));
            p.begin_trip(AgentId(i), dep, Mode::Bus, ZoneId{}, ZoneId{});
            p.add_walk(static_cast<float>(100 + rng.below(400)), 1.2f);
            p.add_transit(LineId::from_index(li), board, alight);
            p.add_walk(static_cast<float>(100 + rng.below(400)), 1.2f);
            p.end_trip();
        }
    }
    return s;
}

Scenario network_scenario(const std::string& path, std::size_t trips, bool study_only) {
    Scenario s{read_network(path), {}};
    const Network net(s.data, path);
    std::vector<NodeId> centroids;
    for (const Zone& z : s.data.zones)
        if (z.centroid.valid() && (!study_only || z.study_area)) centroids.push_back(z.centroid);
    if (centroids.size() < 2) {
        std::fprintf(stderr, "network has fewer than two zone centroids\n");
        std::exit(2);
    }
    std::vector<double> cost(net.link_count());
    for (std::size_t l = 0; l < cost.size(); ++l)
        cost[l] = net.freeflow_time_s(LinkId::from_index(l));
    // Draw trips, then route them grouped by origin (one tree per origin zone).
    struct Od {
        std::uint32_t o, d;
        TimeMs dep;
    };
    std::vector<Od> ods;
    for (std::uint32_t i = 0; i < trips; ++i) {
        Rng rng(42, RngPurpose::Test, i);
        const auto o = static_cast<std::uint32_t>(rng.below(centroids.size()));
        auto d = static_cast<std::uint32_t>(rng.below(centroids.size() - 1));
        if (d >= o) ++d;
        ods.push_back({o, d, draw_departure(rng)});
    }
    std::vector<std::vector<std::vector<LinkId>>> paths(centroids.size());
    ShortestPathWorkspace ws(net);
    for (std::size_t o = 0; o < centroids.size(); ++o) {
        ws.run(centroids[o], cost, Mode::Car);
        paths[o].resize(centroids.size());
        for (std::size_t d = 0; d < centroids.size(); ++d)
            if (d != o) paths[o][d] = ws.path_to(centroids[d]);
    }
    std::uint32_t skipped = 0;
    for (std::uint32_t i = 0; i < ods.size(); ++i) {
        const auto& r = paths[ods[i].o][ods[i].d];
        if (r.empty()) {
            ++skipped;
            continue;
        }
        s.plans.begin_trip(AgentId(i), ods[i].dep, Mode::Car, ZoneId{}, ZoneId{});
        s.plans.add_drive(0, r);
        s.plans.end_trip();
    }
    std::printf(
        "network %s: %zu nodes, %zu links, %zu zones used, %zu lines (%zu active); %u unroutable "
        "OD pairs skipped\n",
        path.c_str(), net.node_count(), net.link_count(), centroids.size(), s.data.lines.size(),
        static_cast<std::size_t>(std::count_if(s.data.lines.begin(), s.data.lines.end(),
                                               [](const TransitLine& l) { return l.active; })),
        skipped);
    return s;
}

/// CPU seconds (user + system) of the whole process so far.
double cpu_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    const auto t0 = std::chrono::steady_clock::now();
    Scenario sc = a.mode == "grid" ? grid_scenario(a.size, a.trips)
                                   : network_scenario(a.path, a.trips, a.study_only);
    const Network net(std::move(sc.data));
    const PlanSet& plans = sc.plans;
    const double build_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t vehicle_trips = 0;
    for (std::size_t g = 0; g < plans.leg_count(); ++g)
        vehicle_trips += plans.leg_kind[g] == LegKind::Drive ||
                         (plans.leg_kind[g] == LegKind::Bike && !plans.leg_route(g).empty());
    std::printf("scenario: %zu trips (%zu vehicle trips), %zu route links, built in %.1f s\n",
                plans.trip_count(), vehicle_trips, plans.route_links.size(), build_s);

    RunStats last[3];
    std::vector<double> wall[3], loop[3], cpu[3];
    for (int threads : {1, 2}) {
        for (int r = 0; r < a.runs; ++r) {
            EngineConfig cfg;
            cfg.seed = 1;
            cfg.threads = threads;
            cfg.partitions = a.partitions;
            Simulation sim(net, bench_types(), cfg);
            const auto s0 = std::chrono::steady_clock::now();
            const double c0 = cpu_s();
            last[threads] = sim.run(plans, {});
            wall[threads].push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count());
            cpu[threads].push_back(cpu_s() - c0);
            loop[threads].push_back(last[threads].wall_s);
            std::printf(
                "  threads=%d run %d: %.3f s wall, %.3f s CPU (event loop %.3f s) hash %016llx\n",
                threads, r + 1, wall[threads].back(), cpu[threads].back(), last[threads].wall_s,
                static_cast<unsigned long long>(last[threads].event_hash));
        }
    }
    const RunStats& s1 = last[1];
    const double w1 = median(wall[1]), w2 = median(wall[2]);
    std::printf("\nresult\n");
    std::printf(
        "  partitions %u, window %.1f s, windows %llu, cross-partition messages %llu, late "
        "handovers %llu\n",
        s1.partitions, ms_to_seconds(s1.window_ms), static_cast<unsigned long long>(s1.windows),
        static_cast<unsigned long long>(s1.cross_messages),
        static_cast<unsigned long long>(s1.late_handovers));
    std::printf(
        "  events %llu, link events %llu, trips completed %llu, stuck %llu, gridlock pushes %llu, "
        "transit vehicles %llu, boardings %llu, left behind %llu\n",
        static_cast<unsigned long long>(s1.events), static_cast<unsigned long long>(s1.link_events),
        static_cast<unsigned long long>(s1.trips_completed),
        static_cast<unsigned long long>(s1.trips_stuck),
        static_cast<unsigned long long>(s1.gridlock_pushes),
        static_cast<unsigned long long>(s1.transit_vehicles),
        static_cast<unsigned long long>(s1.boardings),
        static_cast<unsigned long long>(s1.left_behind));
    std::printf("  wall (median of %d): 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx\n",
                a.runs, w1, w2, w1 / w2);
    std::printf("  event loop only (median): 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx\n",
                median(loop[1]), median(loop[2]), median(loop[1]) / median(loop[2]));
    std::printf("  link events/s: 1 thread %.2f M, 2 threads %.2f M (%.2f M per core)\n",
                s1.link_events / w1 / 1e6, s1.link_events / w2 / 1e6, s1.link_events / w2 / 2e6);
    std::printf(
        "  link events per CPU-second (median CPU time; robust on a shared machine): 1 thread %.2f "
        "M, "
        "2 threads %.2f M\n",
        s1.link_events / median(cpu[1]) / 1e6, s1.link_events / median(cpu[2]) / 1e6);
    std::printf("  event_hash 1 thread %016llx, 2 threads %016llx: %s\n",
                static_cast<unsigned long long>(last[1].event_hash),
                static_cast<unsigned long long>(last[2].event_hash),
                last[1].event_hash == last[2].event_hash ? "IDENTICAL" : "DIFFERENT");
    const double agents = static_cast<double>(plans.trip_count());
    const std::size_t route_bytes = plans.route_links.capacity() * sizeof(LinkId);
    std::printf(
        "  engine state %.1f MB = %.0f bytes/agent; plans %.0f bytes/agent + routes %.0f "
        "bytes/agent\n",
        s1.peak_state_bytes / 1e6, s1.peak_state_bytes / agents,
        (plans.memory_bytes() - route_bytes) / agents, route_bytes / agents);
    std::printf("  peak RSS %.1f MB (whole process: network, plans, engine)\n", peak_rss_mb());
    return last[1].event_hash == last[2].event_hash ? 0 : 3;
}
