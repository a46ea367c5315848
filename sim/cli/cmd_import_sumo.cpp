// `modeshift import sumo --net N.net.xml[.gz] [--routes R.rou.xml[.gz]] --out X.msnet
// [--simulate]`: imports a SUMO network (and its fixed-route vehicles) and optionally simulates
// those vehicles right away, printing the figures the side-by-side benchmark against SUMO compares.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "commands.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/engine/simulation.hpp"
#include "modeshift/import_sumo/sumo.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct SumoArgs {
    std::string net, routes, out;
    double lane_capacity_vph = sumo::kDefaultLaneCapacityVph;
    bool simulate = false;
    bool junction_control = false;
    int threads = 0;
    int copies = 1;
    double copy_offset_s = 0;
    std::uint64_t seed = 42;
};

/// Counts traversals and sums trip times per partition; merged in partition order at the end.
class BenchCounter final : public Observer {
  public:
    void begin(const RunInfo& info) override { parts_.assign(info.partitions, Part{}); }
    void on_traversals(std::uint32_t p, std::span<const Traversal> batch) override {
        parts_[p].traversals += batch.size();
    }
    void on_trips(std::uint32_t p, std::span<const TripOutcome> batch) override {
        for (const auto& t : batch) {
            if (t.stuck) {
                ++parts_[p].stuck;
                continue;
            }
            ++parts_[p].arrived;
            parts_[p].travel_ms += t.arrive_ms - t.depart_ms;
            parts_[p].last_arrival_ms = std::max(parts_[p].last_arrival_ms, t.arrive_ms);
        }
    }
    struct Part {
        std::uint64_t traversals = 0, arrived = 0, stuck = 0;
        std::int64_t travel_ms = 0;
        TimeMs last_arrival_ms = 0;
    };
    Part total() const {
        Part s;
        for (const auto& p : parts_) {
            s.traversals += p.traversals;
            s.arrived += p.arrived;
            s.stuck += p.stuck;
            s.travel_ms += p.travel_ms;
            s.last_arrival_ms = std::max(s.last_arrival_ms, p.last_arrival_ms);
        }
        return s;
    }

  private:
    std::vector<Part> parts_;
};

void run(const SumoArgs& a) {
    check_out_file(a.out, {a.net, a.routes});
    const auto t0 = std::chrono::steady_clock::now();
    sumo::SumoImportOptions opt;
    opt.lane_capacity_vph = a.lane_capacity_vph;
    // Decompress the route file on a second core while the network is read (routes need it).
    std::future<std::string> routes_xml;
    if (!a.routes.empty())
        routes_xml = std::async(std::launch::async, [&] { return sumo::read_maybe_gz(a.routes); });
    SignalPlan signals;
    NetworkData d = sumo::read_net(a.net, opt, a.junction_control ? &signals : nullptr);
    sumo::SumoDemand demand;
    if (!a.routes.empty())
        demand = sumo::parse_routes(routes_xml.get(), a.routes, d, a.copies, a.copy_offset_s);
    const auto load_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const Network net(d, a.net);
    write_network(d, a.out);
    fmt::print("wrote {}: {} nodes, {} links (content hash {})\n", a.out, net.node_count(),
               net.link_count(), hex64(net.content_hash()));
    if (!a.routes.empty())
        fmt::print("routes: {} vehicles, {} route edges, load {:.2f} s\n",
                   demand.plans.trip_count(), demand.route_edges, load_s);
    if (!a.simulate) return;
    if (a.routes.empty()) throw InputError(a.net, 0, "--routes", "--simulate needs --routes");
    EngineConfig cfg;
    cfg.seed = a.seed;
    cfg.threads = a.threads;
    if (a.junction_control) cfg.signals = std::move(signals);
    Simulation sim(net, sumo::vehicle_types(), cfg);
    BenchCounter counter;
    Observer* obs[] = {&counter};
    const RunStats st = sim.run(demand.plans, obs);
    const auto t = counter.total();
    // Free-flow time of the routes (sum of link free-flow times), to show queueing delay.
    double freeflow_s = 0;
    for (std::size_t leg = 0; leg < demand.plans.leg_count(); ++leg)
        for (const LinkId l : demand.plans.leg_route(leg))
            freeflow_s += d.links.freeflow_time_s[l.index()];
    const double mean_ff =
        freeflow_s / static_cast<double>(std::max<std::size_t>(1, demand.plans.trip_count()));
    const double mean_tt =
        t.arrived ? static_cast<double>(t.travel_ms) / 1000.0 / static_cast<double>(t.arrived) : 0;
    // One line of key=value pairs that tests/bench/vs_sumo.sh parses.
    fmt::print(
        "simulate: vehicles={} arrived={} stuck={} link_traversals={} mean_travel_time_s={:.2f} "
        "mean_freeflow_s={:.2f} last_arrival_s={:.0f} gridlock_pushes={} events={} "
        "sim_wall_s={:.3f} partitions={} "
        "event_hash={}\n",
        demand.plans.trip_count(), t.arrived, t.stuck, t.traversals, mean_tt, mean_ff,
        ms_to_seconds(t.last_arrival_ms), st.gridlock_pushes, st.events, st.wall_s, st.partitions,
        hex64(st.event_hash));
}

}  // namespace

void add_import_sumo(CLI::App& import_cmd) {
    auto* cmd =
        import_cmd.add_subcommand("sumo", "Import a SUMO network (and its fixed-route vehicles)");
    auto a = std::make_shared<SumoArgs>();
    cmd->add_option("--net", a->net, "SUMO network (.net.xml or .net.xml.gz)")->required();
    cmd->add_option("--routes", a->routes,
                    "SUMO routes (.rou.xml[.gz]): vehicles with depart and fixed routes");
    add_out_option(cmd, a->out, kNetworkOutHelp);
    cmd->add_option("--lane-capacity-vph", a->lane_capacity_vph,
                    "flow capacity per lane (default 1800: HCM 2010 saturation flow)");
    cmd->add_flag("--simulate", a->simulate,
                  "simulate the imported vehicles and print the benchmark figures");
    cmd->add_flag("--junction-control", a->junction_control,
                  "simulate with the net's fixed-time traffic-light programs (as SUMO's "
                  "--meso-junction-control)");
    add_threads_option(cmd, a->threads, "engine threads (0 = all)");
    cmd->add_option("--seed", a->seed, "engine seed")->check(kNonNegative);
    cmd->add_option("--copies", a->copies,
                    "simulate each vehicle this many times (congested variants)")
        ->check(CLI::Range(1, 100));
    cmd->add_option("--copy-offset-s", a->copy_offset_s,
                    "departure offset between copies of a vehicle (s)");
    cmd->callback([a] { run(*a); });
}

}  // namespace modeshift::cli
