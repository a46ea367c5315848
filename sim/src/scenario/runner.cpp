#include "modeshift/scenario/runner.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

#include "modeshift/core/hash.hpp"
#include "modeshift/core/version.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/output_folder.hpp"
#include "modeshift/network/content_hash.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/record/recorder.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/transit_outputs.hpp"
#include "modeshift/scenario/model.hpp"
#include "modeshift/traffic/road_traffic.hpp"
#include "observers.hpp"

namespace modeshift {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Shares of residents' trips (the first `resident_trips` of the plans) by chosen main mode.
std::array<double, kModeCount> plan_shares(const PlanSet& plans, std::size_t resident_trips) {
    std::array<double, kModeCount> s{};
    const std::size_t n_trips = std::min(resident_trips, plans.trip_count());
    for (std::size_t t = 0; t < n_trips; ++t) s[mode_index(plans.trip_mode[t])] += 1;
    const double n = std::max<double>(1.0, static_cast<double>(n_trips));
    for (auto& x : s) x /= n;
    return s;
}

/// Mean door-to-door time of the residents' trips (the first `resident_trips` outcomes).
double mean_travel_min(const std::vector<TripOutcome>& out, std::size_t resident_trips) {
    double sum = 0, n = 0;
    for (std::size_t i = 0; i < std::min(resident_trips, out.size()); ++i)
        if (const auto& t = out[i]; t.trip.valid() && !t.stuck) {
            sum += static_cast<double>(t.arrive_ms - t.depart_ms) / 60000.0;
            n += 1;
        }
    return n > 0 ? sum / n : 0.0;
}

/// Relative gap of car routes: (experienced - best on the new times) / experienced.
double car_route_gap(const Model& m, const Skims& skims, const PlanSet& plans,
                     const std::vector<TripOutcome>& out) {
    double exp_sum = 0, best_sum = 0;
    for (std::size_t t = 0; t < plans.trip_count() && t < out.size(); ++t) {
        if (plans.trip_mode[t] != Mode::Car || !out[t].trip.valid() || out[t].stuck) continue;
        const int hour = static_cast<int>((plans.trip_depart_ms[t] / kMsPerHour) % 24);
        const float best =
            skims.car_time_min(plans.trip_origin_zone[t], plans.trip_dest_zone[t], hour);
        if (best < 0) continue;
        exp_sum += out[t].in_vehicle_s / 60.0;
        best_sum += best;
    }
    (void)m;
    return exp_sum > 0 ? std::max(0.0, (exp_sum - best_sum) / exp_sum) : 0.0;
}

/// Every file a run, or a validation of it, may leave in its folder besides summary.json. All are
/// removed when the folder is opened: a rerun with other options must not leave the earlier
/// run's plans.bin, trips.csv or validation beside its own tables.
constexpr const char* kRunFolderFiles[] = {
    "run.msrun",         "links.geojson",         "links.csv",
    "link_hourly.csv",   "hourly_by_mode.csv",    "by_dong.csv",
    "co2_by_minute.csv", kTransitLinesFile,       kStopBoardingsFile,
    "signals.csv",       kLinkTimesFile,          "trips.csv",
    kPlansFile,          "validation_speeds.csv", "validation_counts.csv",
    "validation.json"};

/// Checks and locks the output folder before any long work (io/output_folder.hpp): none of the
/// scenario's inputs or the warm-start folder may be in it; the old summary goes first.
OutputFolder open_run_folder(const RunOptions& opt, const Scenario& sc) {
    std::vector<std::filesystem::path> inputs = sc.inputs;
    inputs.push_back(sc.file);
    if (!opt.warm_start.empty()) inputs.push_back(opt.warm_start);
    OutputFolder out = OutputFolder::open(opt.out_dir, kSummaryFile, inputs);
    std::error_code ec;
    for (const char* name : kRunFolderFiles) std::filesystem::remove(out.file(name), ec);
    return out;
}

/// The saved plans of a warm-start folder; plans.bin is optional there.
std::optional<PlanSet> saved_plans(const std::filesystem::path& dir, const Model& m,
                                   std::uint64_t network_hash) {
    std::error_code ec;
    if (!std::filesystem::exists(dir / kPlansFile, ec)) return std::nullopt;
    return read_plans_file(dir / kPlansFile, *m.network, m.fleet.types.size(), network_hash);
}

void write_trips_csv(const std::filesystem::path& path, const PlanSet& plans,
                     const std::vector<TripOutcome>& out, const Network& net) {
    write_file_atomic(path, [&](std::ostream& os) {
        os << "trip,person,mode,origin_dong,dest_dong,depart,arrive,in_vehicle_min,wait_min,walk_"
              "min,bike_min,"
              "distance_km,boardings,left_behind,stuck\n";
        for (std::size_t t = 0; t < plans.trip_count() && t < out.size(); ++t) {
            const auto& o = out[t];
            // Freight and boundary vehicle trips have no person: their person field is empty.
            const AgentId person = plans.trip_person[t];
            os << fmt::format(
                "{},{},{},{},{},{},{},{:.2f},{:.2f},{:.2f},{:.2f},{:.3f},{},{},{}\n", t,
                person.valid() ? std::to_string(person.value()) : std::string(),
                mode_name(plans.trip_mode[t]), net.zone(plans.trip_origin_zone[t]).code,
                net.zone(plans.trip_dest_zone[t]).code, format_clock(o.depart_ms),
                format_clock(o.arrive_ms), o.in_vehicle_s / 60, o.wait_s / 60, o.walk_s / 60,
                o.bike_s / 60, o.distance_m / 1000, static_cast<int>(o.boardings),
                static_cast<int>(o.left_behind), o.stuck ? 1 : 0);
        }
    });
}

class Progress {
  public:
    explicit Progress(bool enabled) : tty_(enabled && ::isatty(STDERR_FILENO)), enabled_(enabled) {}
    void line(const std::string& s) {
        if (!enabled_) return;
        if (tty_)
            std::fprintf(stderr, "\r\033[K%s", s.c_str());
        else
            std::fprintf(stderr, "%s\n", s.c_str());
        std::fflush(stderr);
    }
    void done() {
        if (enabled_ && tty_) std::fprintf(stderr, "\n");
    }

  private:
    bool tty_;
    bool enabled_;
};

std::string bar(int done, int total) {
    const int w = 20;
    const int f = total > 0 ? done * w / total : w;
    std::string s(static_cast<std::size_t>(w + 2), '.');
    s.front() = '[';
    s.back() = ']';
    for (int i = 0; i < f; ++i) s[static_cast<std::size_t>(i + 1)] = '#';
    return s;
}

}  // namespace

RunSummary run_scenario(const std::filesystem::path& scenario_file, const RunOptions& opt) {
    const auto t0 = Clock::now();
    const int threads =
        opt.threads > 0 ? opt.threads : static_cast<int>(std::thread::hardware_concurrency());
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(std::max(1, threads)));
    Progress progress(!opt.quiet);
    progress.line(fmt::format("loading {}", scenario_file.string()));
    Scenario scenario = load_scenario(scenario_file);
    const int iterations = opt.iterations ? *opt.iterations : scenario.iterations;
    if (iterations < 1) throw InputError(scenario_file.string(), 0, "iterations", "must be >= 1");
    const OutputFolder folder = open_run_folder(opt, scenario);
    Model m = load_model(std::move(scenario), opt.seed ? static_cast<std::int64_t>(*opt.seed) : -1,
                         threads);
    const Scenario& sc = m.scenario;
    const Network& net = *m.network;
    if (m.signal_stats.signalised_nodes > 0) {
        std::string tod;
        for (const auto& [name, c] : m.signal_stats.time_of_day_mean_cycle_s)
            tod += fmt::format(", {} {:.0f} s", name, c);
        const RealPlanUse& real = m.signal_stats.real;
        std::string real_text;
        if (real.approaches > 0 || real.rows_without_link > 0)
            real_text = fmt::format(
                "; real plans at {} junctions ({} approaches, {} rows without a link here)",
                real.junctions, real.approaches, real.rows_without_link);
        progress.line(fmt::format(
            "signals: {} junctions, {} approaches, mean cycle {:.0f} s{}, mean g/C {:.2f}{}",
            m.signal_stats.signalised_nodes, m.signal_stats.signalised_approaches,
            m.signal_stats.mean_cycle_s, tod, m.signal_stats.mean_green_ratio, real_text));
    }
    EmissionOptions energy;
    energy.grid_t_per_mwh = sc.grid_t_per_mwh;
    energy.grid_source = sc.grid_source;
    energy.hydrogen_kg_co2_per_kg = sc.hydrogen_kg_co2_per_kg;
    energy.hydrogen_source = sc.hydrogen_source;
    const auto factors = EmissionFactorTable::load(
        sc.emission_factors.empty() ? sc.file.parent_path() / "data" : sc.emission_factors, energy);

    Skims skims(net, m.choice, m.setup.context);
    skims.set_gateways(m.vehicle_trips.gateway_nodes);
    Simulation sim(net, m.fleet.types, m.engine);
    // The network file's hash (policies edit attributes of the same links): reports draw the
    // file's geometry for baseline and policy alike, and warm starts need files of this network.
    const std::uint64_t network_file_hash = network_content_hash(read_network(sc.network));
    std::optional<WarmTimes> warm;
    std::optional<PlanSet> warm_plans;
    if (!opt.warm_start.empty()) {  // read before the long work, so that a foreign file fails fast
        warm.emplace(opt.warm_start, net, network_file_hash);
        warm_plans = saved_plans(opt.warm_start, m, network_file_hash);
    }
    TourModes modes;
    std::vector<std::uint8_t> replanned;
    PlanSet plans;
    RunSummary summary;
    RunStats stats;
    CarLinkTimes car_times;
    StopCrowding crowding;
    TripLog trip_log;
    skims.set_extra_wait(
        [&](LineId l, std::size_t k, int period) { return crowding.extra_wait_min(l, k, period); });
    EmissionCounter emissions(factors);
    RunRecorder recorder;
    TransitCounter transit;  // re-begun every iteration: holds the last day
    emissions.set_trip_zones(m.demand.trips.origin, m.demand.trips.dest);
    emissions.set_trip_study_area(m.demand.trips.touches_study_area);
    emissions.set_trip_segments(trip_segments(m));
    recorder.set_person_trip_count(m.demand.trips.size());
    std::array<double, kModeCount> prev_share{};
    int done = 0;
    for (int it = 0; it < iterations; ++it) {
        const auto ti = Clock::now();
        progress.line(fmt::format("{} iteration {}/{}: level of service", bar(it, iterations),
                                  it + 1, iterations));
        if (it == 0 && warm)
            skims.update([&](LinkId l, TimeMs at) { return (*warm)(l, at); });
        else if (it == 0)
            skims.update([&](LinkId l, TimeMs) { return net.freeflow_time_s(l); });
        else
            skims.update([&](LinkId l, TimeMs at) { return car_times.times().time_s(l, at); });
        if (it > 0)
            summary.history.back().route_gap = car_route_gap(m, skims, plans, trip_log.outcomes());
        progress.line(fmt::format("{} iteration {}/{}: mode and route choice", bar(it, iterations),
                                  it + 1, iterations));
        choose_modes(m, skims, it, sc.replan_fraction, it == 0, modes, replanned);
        auto replanned_vehicles = replan_vehicle_trips(m, it, sc.replan_fraction, it == 0);
        PlanSet next;
        if (it == 0 && warm_plans) {
            // Everyone re-chooses a mode; with the earlier run's plans for the same trips, a trip
            // whose mode stays keeps its converged legs and route.
            next = build_plans(m, skims, modes, replanned, nullptr, &replanned_vehicles);
            if (same_trips(*warm_plans, next)) {
                std::vector<std::uint8_t> none(replanned.size(), 0);
                std::fill(replanned_vehicles.begin(), replanned_vehicles.end(), 0);
                next = build_plans(m, skims, modes, none, &*warm_plans, &replanned_vehicles);
                progress.line(
                    fmt::format("warm start: plans of {}", (opt.warm_start / kPlansFile).string()));
            }
            warm_plans.reset();
        } else {
            next = build_plans(m, skims, modes, replanned, it == 0 ? nullptr : &plans,
                               &replanned_vehicles);
        }
        plans = std::move(next);
        progress.line(fmt::format("{} iteration {}/{}: simulating {} trips", bar(it, iterations),
                                  it + 1, iterations, plans.trip_count()));
        // A day's mode shares are those of its plans, so whether this day is the last (converged,
        // or at the limit) is known before it is simulated. Only the last day's emissions, run
        // file and ridership are kept: only the last day feeds those observers.
        IterationFigures f;
        f.iteration = it + 1;
        f.mode_share = plan_shares(plans, m.demand.trips.size());
        for (std::size_t k = 0; k < kModeCount; ++k)
            f.mode_share_change = std::max(
                f.mode_share_change, it == 0 ? 1.0 : std::abs(f.mode_share[k] - prev_share[k]));
        const bool converged = it + 1 >= sc.min_iterations && it > 0 &&
                               f.mode_share_change < sc.convergence_share_change;
        const bool last = converged || it + 1 == iterations;
        std::vector<Observer*> observers = {&car_times, &crowding, &trip_log};
        if (last) observers.insert(observers.end(), {&emissions, &recorder, &transit});
        stats = sim.run(plans, observers);
        f.mean_travel_time_min = mean_travel_min(trip_log.outcomes(), m.demand.trips.size());
        f.wall_s = seconds_since(ti);
        f.simulate_s = stats.wall_s;
        f.link_events = static_cast<double>(stats.link_events);
        prev_share = f.mode_share;
        summary.history.push_back(f);
        done = it + 1;
        if (opt.on_iteration) opt.on_iteration(f, iterations);
        progress.line(fmt::format(
            "{} iteration {}/{}: car {:.1f} % bus {:.1f} % metro {:.1f} %, change {:.4f}",
            bar(done, iterations), done, iterations, 100 * f.mode_share[0], 100 * f.mode_share[1],
            100 * f.mode_share[2], it == 0 ? 1.0 : f.mode_share_change));
        if (converged) break;
    }
    progress.done();

    summary.scenario = sc.name;
    summary.scenario_file = sc.file.string();
    summary.scenario_hash = sc.hash;
    summary.network = net.name();
    summary.network_hash = hex64(network_file_hash);
    summary.network_file = std::filesystem::absolute(sc.network).lexically_normal().string();
    summary.version = kVersion;
    for (std::size_t i = 0; i < m.setup.descriptions.size(); ++i) {
        const std::string why = i < sc.rationales.size() ? sc.rationales[i] : "";
        summary.policies.push_back(why.empty()
                                       ? m.setup.descriptions[i]
                                       : fmt::format("{} — {}", m.setup.descriptions[i], why));
    }
    summary.seed = m.seed;
    summary.threads = threads;
    summary.iterations = done;
    summary.iterations_limit = iterations;
    summary.warm_start =
        opt.warm_start.empty() ? std::string() : std::filesystem::absolute(opt.warm_start).string();
    summary.sample_fraction = sc.sample_fraction;
    summary.demand_scope = m.demand.scope == DemandScope::City ? "city" : "study_area";
    summary.persons = static_cast<double>(m.demand.persons.size()) / sc.sample_fraction;
    apply_to_summary(emissions.results(), summary);
    for (std::size_t z = 0; z < net.zone_count(); ++z) {
        const Zone& zone = net.zone(ZoneId::from_index(z));
        if (!zone.study_area) continue;
        summary.study_area.residents += zone.population;
        auto& name = summary.study_area.name;
        if (name.find(zone.district) == std::string::npos)
            name += (name.empty() ? "" : ", ") + zone.district;
    }
    summary.events = stats.events;
    summary.event_hash = hex64(stats.event_hash);
    summary.trips_stuck = stats.trips_stuck;

    progress.line("writing outputs");
    const auto& er = emissions.results();
    CounterSeries counters;
    counters.step_ms = 60 * kMsPerSecond;
    counters.names = er.minute_series_names();
    counters.values = er.minute_series_values();
    // The run file names counter columns "co2_kg.<mode>" (cumulative kg, full population).
    for (auto& n : counters.names)
        if (n.rfind("co2_kg_", 0) == 0) n = "co2_kg." + n.substr(7);
    std::vector<LinkHourlyTable> tables;
    for (const auto& [name, unit] :
         {std::pair{"co2_g", "g"}, {"vehicles", "veh"}, {"speed_kmh", "km/h"}})
        tables.push_back({name, unit, er.hours, er.link_hour_values(name)});
    RunFileMeta meta{sc.name, sc.description.empty() ? sc.name : sc.description, m.seed};
    RunFile run_file = recorder.make_run_file(net, meta, counters, tables);
    // Policies change attributes of the same links (lanes, tolls, bus lanes), not the geometry:
    // the run file names the scenario's network file so that a baseline and a policy run can be
    // replayed side by side.
    run_file.network_hash = network_file_hash;
    write_run_file(opt.out_dir / "run.msrun", run_file);
    summary.wall_s = seconds_since(t0);
    write_transit_outputs(opt.out_dir, transit.results(),
                          net);  // before summary.json, written last
    if (!m.engine.signals.empty())
        write_signal_plan_csv(opt.out_dir / "signals.csv", m.engine.signals, net, &m.signal_stats);
    write_link_times_csv(opt.out_dir / kLinkTimesFile, car_times.times(), net, network_file_hash);
    if (opt.write_trips)
        write_trips_csv(opt.out_dir / "trips.csv", plans, trip_log.outcomes(), net);
    if (opt.save_plans) write_plans_file(opt.out_dir / kPlansFile, plans, network_file_hash);
    // summary.json is the completion mark (sweeps and pathways resume by it): written last.
    write_run_outputs(opt.out_dir, summary, er, net);
    progress.line(fmt::format("done in {:.1f} s: {}", summary.wall_s,
                              (opt.out_dir / "summary.json").string()));
    progress.done();
    return summary;
}

}  // namespace modeshift
