#pragma once
/// Synthetic population and daily home-based tours for the zones of a network.
/// Every person and tour is generated from its own Rng stream (seed, purpose, id), so the result
/// is identical on every machine and thread count, and adding a zone never reshuffles another.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/time.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/zone_geometry.hpp"  // zone_contains, for users of zone data

namespace modeshift {

/// A trip purpose with its tour share, destination attraction and timing.
struct PurposeParams {
    std::string name;                           ///< "work", "school", "business", "other"
    double tour_share = 0;                      ///< share of tours with this purpose
    std::vector<std::string> attraction_attrs;  ///< zone attribute names ("population" = residents)
    std::vector<double> attraction_weights;     ///< weight of each attribute
    double distance_decay_per_km = 0.1;         ///< exp(-decay * km) in the gravity model
    std::vector<double> depart_hour_share;      ///< 24 shares of outbound departures by hour
    double duration_mean_h = 4;                 ///< time at the destination
    double duration_sd_h = 1;
};

/// Which residents' tours are simulated.
enum class DemandScope : std::uint8_t {
    City,       ///< every tour of every zone's residents: all of them load the study area's roads
    StudyArea,  ///< only tours that start, end or pass through the study area (faster, fewer
                ///< vehicles)
};

struct DemandParams {
    DemandScope scope = DemandScope::City;
    double tours_per_person = 0.715;    ///< home-based tours per person per day (2 trips each)
    double car_available_share = 0.56;  ///< persons who can drive a household car
    double bike_owner_share = 0.3;
    double tashu_member_share = 0.1;
    double car_occupancy_work = 1.35;  ///< persons per car on work tours (drivers = trips / this)
    double car_occupancy_other = 1.82;
    double tashu_access_m = 300;         ///< max distance to a Tashu station at each end
    double through_sample_step_m = 500;  ///< spacing of test points for through-trip detection
    std::vector<PurposeParams> purposes;
    std::string source_file;  ///< for provenance
};

/// Loads demand parameters (JSON with a source for every number); InputError on bad input.
DemandParams load_demand_params(const std::filesystem::path& file);

/// Persons as a struct of arrays. Only persons with at least one kept tour are stored.
struct Population {
    std::vector<ZoneId> home_zone;
    std::vector<std::uint8_t> car_available;  ///< 1 = can drive a household car
    std::vector<std::uint8_t> bike_owner;
    std::vector<std::uint8_t> tashu_member;
    std::vector<std::uint8_t>
        fare_group;                       ///< 0 = general; others set by fare policies' eligibility
    std::vector<std::uint8_t> car_class;  ///< index into the car fleet (fuel type) of the scenario
    std::size_t size() const { return home_zone.size(); }
};

/// Trips: tour t has trips 2t (outbound) and 2t+1 (return).
struct TripTable {
    std::vector<AgentId> person;
    std::vector<ZoneId> origin;
    std::vector<ZoneId> dest;
    std::vector<TimeMs> depart_ms;
    std::vector<std::uint8_t> purpose;  ///< index into DemandParams::purposes
    /// 1 = the tour starts, ends or (crow-fly) passes through the study area: the trips the
    /// study-area figures count. All 1 when the network marks no study area.
    std::vector<std::uint8_t> touches_study_area;
    std::size_t size() const { return person.size(); }
};

struct Demand {
    Population persons;
    TripTable trips;
    double sample_fraction = 1.0;
    DemandScope scope = DemandScope::City;
    double represented_persons = 0;     ///< population of the zones that produced the kept tours
    std::uint64_t tours_generated = 0;  ///< before any scope filter
    std::uint64_t tours_touching_study_area = 0;
};

/// Generates persons and tours for every zone (population x sample_fraction persons) and flags
/// the tours that start or end in the study area or pass through it. Scope City keeps every tour;
/// scope StudyArea keeps only the flagged ones (if no zone is marked as study area, every tour is
/// flagged and kept).
Demand generate_demand(const Network& net, const DemandParams& params, std::uint64_t seed,
                       double sample_fraction);

/// Destination attraction of every zone for one purpose (weighted zone attributes).
/// Throws InputError (naming `source_file`) if a weighted attribute exists in no zone.
std::vector<double> purpose_attraction(const Network& net, const PurposeParams& purpose,
                                       const std::string& source_file);

/// Crow-fly distance between zone centroids; within a zone, half the side of a square of its area.
double zone_distance_km(const Zone& a, const Zone& b);

}  // namespace modeshift
