#pragma once
/// A loaded scenario ready to simulate: the policy-edited network, the population and its tours,
/// choice parameters, fleet and emission factors. Shared by `run` and `calibrate`.
#include <memory>
#include <utility>
#include <vector>

#include "modeshift/choice/choice.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/demand/vehicle_demand.hpp"
#include "modeshift/emissions/factors.hpp"
#include "modeshift/engine/simulation.hpp"
#include "modeshift/policy/policy.hpp"
#include "modeshift/scenario/scenario.hpp"
#include "modeshift/traffic/road_traffic.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

namespace modeshift {

struct Model {
    Scenario scenario;
    std::uint64_t seed = 1;
    std::unique_ptr<Network> network;
    ScenarioSetup setup;  ///< context, fleet params, policy descriptions (network moved out)
    DemandParams demand_params;
    Demand demand;
    /// Freight and boundary vehicle trips; in the plans they follow the residents' trips:
    /// plan trip demand.trips.size() + v is vehicle trip v.
    VehicleTrips vehicle_trips;
    std::vector<VehicleTypeId> vehicle_trip_type;  ///< fleet type per VehicleTrips type index
    ChoiceParams choice;
    Fleet fleet;
    std::vector<std::uint8_t> person_car_class;  ///< fleet car class per person
    RoadTrafficParams
        traffic;  ///< running speeds and signal rules (disabled if the scenario names none)
    SignalPlanStats signal_stats;
    EngineConfig engine;
};

/// Loads everything a scenario names and applies its policies. `seed_override` < 0: scenario seed.
Model load_model(const std::filesystem::path& scenario_file, std::int64_t seed_override,
                 int threads);
/// The same for a scenario already read (the runner reads it first to check its output folder).
Model load_model(Scenario scenario, std::int64_t seed_override, int threads);

/// Mode of each tour (tour t = trips 2t and 2t+1).
using TourModes = std::vector<Mode>;

/// Person view for the choice model.
PersonView person_view(const Model& m, AgentId p);
/// Mode utilities of tour t's outbound and return trips (trips 2t and 2t+1), as its person sees
/// them; the choice and the calibration evaluate tours alike.
std::pair<Utilities, Utilities> tour_utilities(const Model& m, const Skims& skims, std::size_t t);

/// Chooses the mode of every tour whose person is selected (all when `all`), with draws from
/// (seed, ModeChoice, tour, iteration). Returns the number of re-chosen tours.
std::size_t choose_modes(const Model& m, const Skims& skims, int iteration, double replan_fraction,
                         bool all, TourModes& modes, std::vector<std::uint8_t>& replanned_person);

/// Which vehicle trips re-route on `iteration` (all when `all`), drawn per trip.
std::vector<std::uint8_t> replan_vehicle_trips(const Model& m, int iteration,
                                               double replan_fraction, bool all);

/// Builds the day's plans: re-planned persons get fresh legs and routes from the skims; the
/// others keep their previous legs (MATSim-style: only a share of agents reconsider each day).
/// Vehicle trips follow; those not in `replanned_vehicle` keep their previous route (null: all
/// are routed afresh).
PlanSet build_plans(const Model& m, const Skims& skims, const TourModes& modes,
                    const std::vector<std::uint8_t>& replanned_person, const PlanSet* previous,
                    const std::vector<std::uint8_t>* replanned_vehicle = nullptr);

/// Segment of every plan trip (residents first, then the vehicle trips).
std::vector<TripSegment> trip_segments(const Model& m);

}  // namespace modeshift
