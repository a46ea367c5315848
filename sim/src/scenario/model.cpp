#include "modeshift/scenario/model.hpp"

#include <fmt/format.h>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/core/rng.hpp"
#include "modeshift/core/threads.hpp"
#include "modeshift/network/network_file.hpp"

namespace modeshift {

namespace {

/// Low-emission zones: a banned freight/boundary vehicle with an end in the zone is replaced.
void apply_vehicle_bans(const std::vector<VehicleBan>& bans, VehicleTrips& v) {
    for (const VehicleBan& ban : bans) {
        const auto it = std::find(v.type_names.begin(), v.type_names.end(), ban.type);
        if (it == v.type_names.end()) continue;
        const auto banned = static_cast<std::uint8_t>(it - v.type_names.begin());
        std::uint8_t replacement = 0;
        const auto r = std::find(v.type_names.begin(), v.type_names.end(), ban.replacement);
        if (r == v.type_names.end()) {
            v.type_names.push_back(ban.replacement);
            replacement = static_cast<std::uint8_t>(v.type_names.size() - 1);
        } else {
            replacement = static_cast<std::uint8_t>(r - v.type_names.begin());
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v.type[i] != banned) continue;
            // A boundary trip's zone at the gateway end is only its nearest zone: the city end
            // decides.
            const bool in_origin =
                v.gateway[i] < 0 || !v.inbound[i] ? ban.zone[v.origin[i].index()] != 0 : false;
            const bool in_dest =
                v.gateway[i] < 0 || v.inbound[i] ? ban.zone[v.dest[i].index()] != 0 : false;
            if (in_origin || in_dest) v.type[i] = replacement;
        }
    }
}

/// A population trend: zone populations times the scenario's factor (a zone's own factor where
/// given). Households scale alike, so freight (drawn per household) follows the residents.
void scale_population(const Scenario& sc, NetworkData& net) {
    std::vector<double> factor(net.zones.size(), sc.population_factor);
    for (const auto& zf : sc.population_by_zone) {
        const auto it = std::find_if(net.zones.begin(), net.zones.end(),
                                     [&](const Zone& z) { return z.name == zf.zone; });
        if (it == net.zones.end())
            throw InputError(zf.file, 0, zf.path,
                             fmt::format("'{}' is not a zone of {}", zf.zone, sc.network.string()));
        factor[static_cast<std::size_t>(it - net.zones.begin())] = zf.factor;
    }
    for (std::size_t z = 0; z < net.zones.size(); ++z) {
        net.zones[z].population *= factor[z];
        net.zones[z].households *= factor[z];
    }
}

/// The network with the policies applied, the fleet, the choice parameters and the residents.
void load_network_and_demand(Model& m) {
    m.demand_params = load_demand_params(m.scenario.demand);
    m.setup.network = read_network(m.scenario.network);
    scale_population(m.scenario, m.setup.network);
    m.setup.fleet = load_fleet(m.scenario.fleet);
    init_context(m.setup, m.demand_params.tashu_access_m);
    for (const auto& p : m.scenario.policies)
        apply_policy(JsonCursor(p.json, p.file, p.path), m.setup);
    m.fleet = resolve_fleet(m.setup.fleet, m.setup.network, m.seed);
    if (!m.scenario.road_traffic.empty()) m.traffic = load_road_traffic(m.scenario.road_traffic);
    apply_running_speeds(m.setup.network, m.traffic.running);
    m.network = std::make_unique<Network>(std::move(m.setup.network), m.scenario.network.string());
    m.setup.network = NetworkData{};
    m.choice = load_choice_params(m.scenario.choice, m.scenario.asc);
    // Demand depends only on zones and the seed, never on policies: a baseline and a policy run
    // with the same seed simulate the same persons and tours (common random numbers).
    m.demand = generate_demand(*m.network, m.demand_params, m.seed, m.scenario.sample_fraction);
    // Shares, times and per-person figures of nobody would be reported as zeros.
    if (m.demand.persons.size() == 0) {
        const auto& at = m.scenario.sample_fraction_at;
        throw InputError(at.file.empty() ? m.scenario.file.string() : at.file, 0,
                         at.file.empty() ? "$.sample_fraction" : at.path,
                         fmt::format("a sample of {:g} draws no resident from the network's "
                                     "zones: take a larger sample",
                                     m.scenario.sample_fraction));
    }
}

/// Freight and boundary vehicle trips, each of a vehicle type of the fleet.
void load_vehicle_trips(Model& m) {
    // Every vehicle type a freight class or the boundary mix names must exist in the fleet.
    auto check_type = [&](const std::filesystem::path& file, const std::string& path,
                          const std::string& name) {
        for (const VehicleType& t : m.fleet.types)
            if (t.name == name) return;
        throw InputError(
            file.string(), 0, path,
            fmt::format("'{}' is not a vehicle type of {}", name, m.scenario.fleet.string()));
    };
    if (!m.scenario.freight.empty()) {
        const FreightParams fp = load_freight_params(m.scenario.freight);
        for (std::size_t i = 0; i < fp.classes.size(); ++i)
            check_type(m.scenario.freight, fmt::format("$.classes[{}].vehicle_type", i),
                       fp.classes[i].vehicle_type);
        generate_freight(*m.network, fp, m.seed, m.scenario.sample_fraction, m.vehicle_trips);
    }
    if (!m.scenario.external.empty()) {
        const ExternalParams ep = load_external_params(m.scenario.external);
        for (const auto& t : ep.vehicle_types)
            check_type(m.scenario.external, "$.vehicle_mix." + t, t);
        generate_external(*m.network, ep, m.seed, m.scenario.sample_fraction, m.vehicle_trips);
    }
    apply_vehicle_bans(m.setup.vehicle_bans, m.vehicle_trips);
    for (const std::string& name : m.vehicle_trips.type_names) {
        const auto it = std::find_if(m.fleet.types.begin(), m.fleet.types.end(),
                                     [&](const VehicleType& t) { return t.name == name; });
        if (it == m.fleet.types.end())
            throw InputError(
                !m.scenario.freight.empty() ? m.scenario.freight.string()
                                            : m.scenario.external.string(),
                0, "vehicle_type",
                fmt::format("'{}' is not a vehicle type of {}", name, m.scenario.fleet.string()));
        m.vehicle_trip_type.push_back(static_cast<VehicleTypeId>(it - m.fleet.types.begin()));
    }
}

/// Everything the scenario names, read and checked, and the engine's configuration.
void load_inputs(Model& m, std::int64_t seed_override, int threads) {
    m.seed = seed_override >= 0 ? static_cast<std::uint64_t>(seed_override) : m.scenario.seed;
    load_network_and_demand(m);
    load_vehicle_trips(m);
    auto& persons = m.demand.persons;
    for (std::size_t p = 0; p < persons.size(); ++p) {
        Rng r(m.seed, RngPurpose::Population, p, 0xfa4e);
        persons.fare_group[p] = r.uniform() < m.setup.fare_group_share ? 1 : 0;
    }
    m.person_car_class.resize(persons.size());
    for (std::size_t p = 0; p < persons.size(); ++p)
        m.person_car_class[p] = car_class_of(m.fleet, persons.car_class[p]);
    m.engine.seed = m.seed;
    m.engine.threads = threads;
    m.engine.sample_fraction = m.scenario.sample_fraction;
    m.engine.walk_speed_mps = m.choice.walk_speed_mps;
    m.engine.bike_speed_mps = m.choice.bike_speed_mps * m.setup.context.bike_speed_factor;
    m.engine.line_vehicle_type = m.fleet.line_type;
    m.engine.stuck_ms = seconds_to_ms(m.scenario.stuck_s);
    if (m.traffic.backward_wave_kmh > 0)
        m.engine.backward_wave_speed_mps = m.traffic.backward_wave_kmh / 3.6;
    m.engine.signals = build_signal_plan(*m.network, m.traffic.signals, &m.signal_stats);
    for (const SignalEdit& e : m.setup.signal_edits)
        extend_green(m.engine.signals, *m.network, e.links, e.green_extension_s, e.buses_only,
                     m.traffic.signals.min_green_s);
}

}  // namespace

Model load_model(const std::filesystem::path& scenario_file, std::int64_t seed_override,
                 int threads) {
    // Before anything is read: a thread count the machine cannot start fails now, not after
    // the demand is drawn.
    checked_thread_count(threads, "--threads");
    return load_model(load_scenario(scenario_file), seed_override, threads);
}

Model load_model(Scenario scenario, std::int64_t seed_override, int threads) {
    checked_thread_count(threads, "--threads");
    Model m;
    m.scenario = std::move(scenario);
    with_input_named(m.scenario, [&] { load_inputs(m, seed_override, threads); });
    return m;
}

PersonView person_view(const Model& m, AgentId p) {
    const auto& P = m.demand.persons;
    const auto i = p.index();
    return {P.car_available[i] != 0, P.bike_owner[i] != 0, P.tashu_member[i] != 0, P.fare_group[i],
            m.person_car_class[i]};
}

std::pair<Utilities, Utilities> tour_utilities(const Model& m, const Skims& skims, std::size_t t) {
    const auto& T = m.demand.trips;
    const AgentId person = T.person[2 * t];
    const PersonView pv = person_view(m, person);
    auto trip = [&](std::size_t i) {
        return trip_utilities(skims, m.choice, m.setup.context, pv, T.origin[i], T.dest[i],
                              T.depart_ms[i], m.seed ^ person.value());
    };
    return {trip(2 * t), trip(2 * t + 1)};
}

std::size_t choose_modes(const Model& m, const Skims& skims, int iteration, double replan_fraction,
                         bool all, TourModes& modes, std::vector<std::uint8_t>& replanned_person) {
    const auto& T = m.demand.trips;
    const std::size_t tours = T.size() / 2;
    modes.resize(tours, Mode::Walk);
    replanned_person.assign(m.demand.persons.size(), 0);
    for (std::size_t p = 0; p < replanned_person.size(); ++p) {
        Rng r(m.seed, RngPurpose::Replanning, p, static_cast<std::uint64_t>(iteration));
        replanned_person[p] = all || r.bernoulli(replan_fraction) ? 1 : 0;
    }
    std::vector<std::uint8_t> changed(tours, 0);
    tbb::parallel_for(std::size_t{0}, tours, [&](std::size_t t) {
        if (!replanned_person[T.person[2 * t].index()]) return;
        const auto [out, back] = tour_utilities(m, skims, t);
        Rng r(m.seed, RngPurpose::ModeChoice, t, static_cast<std::uint64_t>(iteration));
        std::array<double, kModeCount> g{};
        for (auto& x : g) x = r.gumbel();
        modes[t] = choose_tour_mode(out, back, g);
        changed[t] = 1;
    });
    std::size_t n = 0;
    for (auto c : changed) n += c;
    return n;
}

namespace {

TransitAlt alt_of(Mode m) {
    return m == Mode::Metro  ? TransitAlt::Metro
           : m == Mode::Tram ? TransitAlt::Tram
                             : TransitAlt::Bus;
}

/// Car passengers ride in a household car that another traveller drives: they add no vehicle.
/// The tour's role is drawn once so out and back agree; P(passenger) = 1 - 1/occupancy.
bool is_car_passenger(const Model& m, std::size_t trip) {
    const auto purpose = m.demand.trips.purpose[trip];
    const bool work = m.demand_params.purposes[purpose].name == "work";
    const double occ =
        work ? m.demand_params.car_occupancy_work : m.demand_params.car_occupancy_other;
    Rng r(m.seed, RngPurpose::ModeChoice, trip / 2, 0x9a55);
    return r.uniform() < 1.0 - 1.0 / occ;
}

void add_fresh_legs(const Model& m, const Skims& skims, PlanSet& plans, std::size_t trip,
                    Mode mode) {
    const auto& T = m.demand.trips;
    const ZoneId o = T.origin[trip], d = T.dest[trip];
    const TimeMs depart = T.depart_ms[trip];
    const AgentId person = T.person[trip];
    const int hour = static_cast<int>((depart / kMsPerHour) % 24);
    const auto& cp = m.choice;
    const auto walk_speed = static_cast<float>(cp.walk_speed_mps);
    switch (mode) {
        case Mode::Car:
        case Mode::Taxi: {
            const auto route = skims.car_route(o, d, hour);
            const VehicleTypeId type =
                mode == Mode::Taxi ? m.fleet.taxi
                                   : m.fleet.car_class_type[m.person_car_class[person.index()]];
            if (!route.empty() && mode == Mode::Car && is_car_passenger(m, trip)) {
                // Teleported at the congested car speed of the previous day (skims).
                const float km = skims.car_dist_km(o, d, hour);
                const float mins = std::max(0.1f, skims.car_time_min(o, d, hour));
                plans.add_walk(km * 1000.f, km * 1000.f / (mins * 60.f));
                return;
            }
            if (!route.empty()) {
                plans.add_drive(type, route);
                return;
            }
            break;  // unreachable by car: walk instead (cannot happen for chosen modes)
        }
        case Mode::Bus:
        case Mode::Metro:
        case Mode::Tram: {
            const TransitPath& tp = skims.transit(o, d, period_of_hour(hour), alt_of(mode));
            if (!tp.ok) break;
            for (const TransitLeg& leg : skims.legs(tp)) {
                if (leg.walk_before_m > 0) plans.add_walk(leg.walk_before_m, walk_speed);
                plans.add_transit(leg.line, leg.board, leg.alight);
            }
            if (tp.egress_m > 0) plans.add_walk(tp.egress_m, walk_speed);
            return;
        }
        case Mode::Bike: {
            const auto route = skims.bike_route(o, d);
            plans.add_bike(
                skims.bike_dist_km(o, d) * 1000.f,
                static_cast<float>(cp.bike_speed_mps * m.setup.context.bike_speed_factor),
                m.fleet.bike, route);
            return;
        }
        case Mode::Walk:
        case Mode::Truck:  // freight never comes from a person's choice
            break;
    }
    plans.add_walk(skims.walk_dist_km(o, d) * 1000.f, walk_speed);
}

void copy_legs(const PlanSet& from, std::size_t trip, PlanSet& to) {
    for (std::uint32_t g = from.trip_first_leg[trip]; g < from.trip_first_leg[trip + 1]; ++g) {
        const auto route = from.leg_route(g);
        switch (from.leg_kind[g]) {
            case LegKind::Walk:
                to.add_walk(from.leg_distance_m[g], from.leg_speed_mps[g], route);
                break;
            case LegKind::Bike:
                to.add_bike(from.leg_distance_m[g], from.leg_speed_mps[g], from.leg_vehicle_type[g],
                            route);
                break;
            case LegKind::Drive:
                to.add_drive(from.leg_vehicle_type[g], route);
                break;
            case LegKind::Transit:
                to.add_transit(from.leg_line[g], from.leg_board_index[g], from.leg_alight_index[g]);
                break;
        }
    }
}

}  // namespace

std::vector<std::uint8_t> replan_vehicle_trips(const Model& m, int iteration,
                                               double replan_fraction, bool all) {
    std::vector<std::uint8_t> r(m.vehicle_trips.size(), 1);
    if (all) return r;
    for (std::size_t v = 0; v < r.size(); ++v) {
        Rng rng(m.seed, RngPurpose::Replanning, (std::uint64_t{1} << 40) | v,
                static_cast<std::uint64_t>(iteration));
        r[v] = rng.bernoulli(replan_fraction) ? 1 : 0;
    }
    return r;
}

std::vector<TripSegment> trip_segments(const Model& m) {
    std::vector<TripSegment> s(m.demand.trips.size(), TripSegment::Resident);
    s.insert(s.end(), m.vehicle_trips.segment.begin(), m.vehicle_trips.segment.end());
    return s;
}

namespace {

/// Route of vehicle trip v at its departure hour (zone to zone, or to/from its gateway).
std::vector<LinkId> vehicle_route(const Model& m, const Skims& skims, std::size_t v) {
    const VehicleTrips& V = m.vehicle_trips;
    const int hour = static_cast<int>((V.depart_ms[v] / kMsPerHour) % 24);
    if (V.gateway[v] < 0) return skims.car_route(V.origin[v], V.dest[v], hour);
    const auto g = static_cast<std::size_t>(V.gateway[v]);
    return V.inbound[v] ? skims.car_route_from_gateway(g, V.dest[v], hour)
                        : skims.car_route_to_gateway(V.origin[v], g, hour);
}

void add_vehicle_trips(const Model& m, const Skims& skims, PlanSet& plans, const PlanSet* previous,
                       const std::vector<std::uint8_t>* replanned) {
    const VehicleTrips& V = m.vehicle_trips;
    const std::size_t first = m.demand.trips.size();
    for (std::size_t v = 0; v < V.size(); ++v) {
        const Mode mode = V.segment[v] == TripSegment::Freight
                              ? Mode::Truck
                              : m.fleet.types[m.vehicle_trip_type[V.type[v]]].mode;
        plans.begin_trip(AgentId{}, V.depart_ms[v], mode, V.origin[v], V.dest[v]);
        if (previous && replanned && !(*replanned)[v] && first + v < previous->trip_count()) {
            copy_legs(*previous, first + v, plans);
        } else {
            const auto route = vehicle_route(m, skims, v);
            // An unreachable pair has no route: an empty walk keeps the trip in the day's count
            // without putting a vehicle on the road.
            if (!route.empty())
                plans.add_drive(m.vehicle_trip_type[V.type[v]], route);
            else
                plans.add_walk(0.f, 1.f);
        }
        plans.end_trip();
    }
}

}  // namespace

PlanSet build_plans(const Model& m, const Skims& skims, const TourModes& modes,
                    const std::vector<std::uint8_t>& replanned_person, const PlanSet* previous,
                    const std::vector<std::uint8_t>* replanned_vehicle) {
    const auto& T = m.demand.trips;
    PlanSet plans;
    plans.trip_person.reserve(T.size());
    if (previous) plans.reserve_like(*previous);
    for (std::size_t i = 0; i < T.size(); ++i) {
        const Mode mode = modes[i / 2];
        plans.begin_trip(T.person[i], T.depart_ms[i], mode, T.origin[i], T.dest[i]);
        const bool keep =
            previous && !replanned_person[T.person[i].index()] && previous->trip_mode[i] == mode;
        if (keep)
            copy_legs(*previous, i, plans);
        else
            add_fresh_legs(m, skims, plans, i, mode);
        plans.end_trip();
    }
    add_vehicle_trips(m, skims, plans, previous, replanned_vehicle);
    return plans;
}

}  // namespace modeshift
