// `modeshift assign`: static user-equilibrium assignment (see docs/assignment.md).
#include <fmt/format.h>
#include <tbb/info.h>

#include <iostream>

#include "commands.hpp"
#include "modeshift/assign/assignment.hpp"
#include "modeshift/assign/result_io.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/network/network_file.hpp"
#include "options.hpp"

namespace modeshift::cli {
namespace {

struct AssignArgs {
    std::string net, trips, out, flows, algorithm = "bfw", cost = "time";
    double gap = 1e-5;
    std::uint32_t max_iter = 10'000;
    int threads = 0;
    tntp::TntpUnits units;
    double toll_s = 1.2;
    double distance_s_per_km = 0.04 * 60.0 / 1.609344;
};

NetworkData load_network_data(const AssignArgs& a) {
    if (a.net.ends_with(".tntp")) return tntp::read_net(a.net, a.units);
    return read_network(a.net);
}

AssignmentOptions options(const AssignArgs& a) {
    AssignmentOptions o;
    const auto alg = parse_algorithm(a.algorithm);
    if (!alg) throw InputError("<command line>", 0, "--algorithm", "expected fw, cfw or bfw");
    o.algorithm = *alg;
    o.cost = a.cost == "generalized" ? AssignCost::Generalized : AssignCost::Time;
    o.weights.toll_s_per_unit = a.toll_s;
    o.weights.distance_s_per_m = a.distance_s_per_km / 1000.0;
    o.target_gap = a.gap;
    o.max_iterations = a.max_iter;
    o.threads = a.threads;
    o.demand_origin = a.trips;
    return o;
}

void run_assign(const AssignArgs& a) {
    check_out_file(a.out, {a.net, a.trips});
    if (!a.flows.empty()) check_out_file(a.flows, {a.net, a.trips, a.out});
    const Network net(load_network_data(a), a.net);
    std::vector<std::string> warnings;
    const auto od = tntp::read_trips(a.trips, warnings);
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    if (od.zones != net.zone_count())
        throw InputError(
            a.trips, 0, "<NUMBER OF ZONES>",
            fmt::format("{} zones, but the network has {}", od.zones, net.zone_count()));
    const AssignmentOptions opt = options(a);
    const AssignmentResult r = assign_user_equilibrium(net, od.demand_veh, opt);

    AssignmentRunInfo info;
    info.net_file = a.net;
    info.trips_file = a.trips;
    info.time_unit_s = tntp::recorded_time_unit_s(net.data(), a.units.time_unit_s);
    info.threads = a.threads > 0 ? a.threads : tbb::info::default_concurrency();
    info.cost = opt.cost;
    info.target_gap = a.gap;
    write_assignment_json(a.out, net, r, info);
    if (!a.flows.empty()) write_link_flows_csv(a.flows, net, r, info.time_unit_s);
    const double u = info.time_unit_s;
    fmt::print(
        "{} {}: tstt {:.6f}  beckmann {:.6f}  relative gap {:.3e}  iterations {}  {:.2f} s\n",
        net.name(), algorithm_name(r.algorithm), r.tstt_veh_s / u, r.beckmann_veh_s / u,
        r.relative_gap, r.iterations, r.wall_s);
    if (!r.converged)
        std::cerr << fmt::format("warning: gap {:.3e} not reached within {} iterations\n", a.gap,
                                 a.max_iter);
    fmt::print("wrote {}{}\n", a.out, a.flows.empty() ? "" : " and " + a.flows);
}

}  // namespace

void add_assign_command(CLI::App& app) {
    auto a = std::make_shared<AssignArgs>();
    auto* c =
        app.add_subcommand("assign", "Static user-equilibrium assignment (Frank-Wolfe family)");
    c->add_option("--net", a->net, "X_net.tntp or a modeshift network (.msnet, .msnet.json)")
        ->required();
    c->add_option("--trips", a->trips, "X_trips.tntp demand matrix")->required();
    c->add_option("--gap", a->gap, "target relative gap (TSTT - SPTT) / TSTT")
        ->default_val(1e-5)
        ->check(CLI::Range(0.0, 1.0));
    c->add_option("--algorithm", a->algorithm, "fw | cfw | bfw (bi-conjugate Frank-Wolfe)")
        ->default_val("bfw")
        ->check(CLI::IsMember({"fw", "cfw", "bfw"}));
    c->add_option("--max-iter", a->max_iter, "iteration limit")
        ->default_val(10'000)
        ->check(CLI::PositiveNumber);
    add_threads_option(c, a->threads, "threads for all-or-nothing (0 = all cores)");
    c->add_option("--cost", a->cost, "time | generalized (time + toll + distance terms)")
        ->default_val("time")
        ->check(CLI::IsMember({"time", "generalized"}));
    c->add_option("--toll-s", a->toll_s,
                  "generalized cost: seconds per toll unit (Chicago: 0.02 min/cent)")
        ->default_val(1.2)
        ->check(kNonNegative);
    c->add_option("--distance-s-per-km", a->distance_s_per_km,
                  "generalized cost: seconds per km (Chicago: 0.04 min/mile)")
        ->default_val(0.04 * 60.0 / 1.609344)
        ->check(kNonNegative);
    c->add_option("--time-unit-s", a->units.time_unit_s,
                  "seconds per TNTP time unit (for a .tntp --net; a .msnet keeps its own)")
        ->default_val(60.0)
        ->check(CLI::PositiveNumber);
    c->add_option("--length-unit-m", a->units.length_unit_m, "metres per TNTP length unit")
        ->default_val(1609.344)
        ->check(CLI::PositiveNumber);
    add_out_option(c, a->out, "result.json");
    c->add_option("--flows", a->flows, "link flows CSV (from,to,flow,time,cost)");
    c->callback([a] { run_assign(*a); });
}

}  // namespace modeshift::cli
