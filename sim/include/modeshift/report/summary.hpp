#pragma once
/// The headline figures of one scenario run (DIR/summary.json). Filled by the scenario runner,
/// written and read by the report module, compared by `modeshift compare`, tabulated by `sweep`.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"

namespace modeshift {

/// Figures of one mode, scaled to the full population (divided by the sample fraction).
struct ModeFigures {
    double share = 0;  ///< fraction of trips with this main mode
    double trips = 0;
    double co2_kg = 0;                ///< tailpipe + grid (electricity) + fuel-chain where modelled
    double vkt_km = 0;                ///< vehicle-km (transit: vehicle-km of the service)
    double pkt_km = 0;                ///< person-km
    double mean_travel_time_min = 0;  ///< door to door, trips of this main mode
};

/// One day-to-day replanning iteration.
struct IterationFigures {
    int iteration = 0;
    std::array<double, kModeCount> mode_share{};
    double mean_travel_time_min = 0;
    double mode_share_change = 0;  ///< max |share(i) - share(i-1)| over modes (convergence measure)
    double route_gap = 0;    ///< mean relative gap of car routes (experienced vs best), if measured
    double wall_s = 0;       ///< the whole iteration: level of service, choice, simulation
    double simulate_s = 0;   ///< the engine's day alone
    double link_events = 0;  ///< link entries + exits simulated that day
};

/// Figures of the study area (Seo-gu): the area the plan is for, inside a whole-city simulation.
struct StudyAreaFigures {
    bool present = false;  ///< false: the network marks no study area
    std::string name;      ///< district(s) of the study-area zones, e.g. "서구"
    double residents = 0;  ///< population of the study-area zones
    double trips = 0;      ///< resident trips that start, end or pass through the area
    /// share/trips/mean_travel_time_min: of those trips; co2_kg/vkt_km/pkt_km: of every vehicle
    /// (residents', freight, external, transit) on links inside the area.
    std::array<ModeFigures, kModeCount> modes{};
    double co2_kg_total = 0;  ///< CO2 on links inside the area
};

struct RunSummary {
    std::string scenario;  ///< scenario name
    std::string scenario_file;
    std::string scenario_hash;  ///< hex hash of the scenario file and everything it includes
    std::string network;        ///< network name
    std::string network_hash;
    std::string network_file;  ///< path of the network file used (for maps in reports)
    std::string emission_factors_hash;
    std::vector<std::string> emission_factor_sources;  ///< one line per factor in use
    std::string version;                               ///< modeshift version
    std::vector<std::string> policies;                 ///< one line per policy: "kind: description"
    std::uint64_t seed = 0;
    int threads = 0;
    int iterations = 0;        ///< days simulated
    int iterations_limit = 0;  ///< days allowed (scenario or --iterations); 0 in older summaries
    /// Output folder of the run this one warm-started from ("" = none): part of what the run
    /// depends on, so resumes compare it.
    std::string warm_start;
    double sample_fraction = 1.0;
    std::string demand_scope =
        "city";          ///< "city": all residents' tours; "study_area": only those touching it
    double persons = 0;  ///< full-population equivalents
    double trips = 0;    ///< residents' person trips (freight/external vehicle trips apart)
    double freight_trips = 0;   ///< freight vehicle trips (vans, trucks)
    double external_trips = 0;  ///< vehicle trips from/to/through the city boundary
    std::array<ModeFigures, kModeCount> modes{};
    double co2_kg_total = 0;
    double co2_kg_tailpipe = 0;
    double co2_kg_grid = 0;      ///< electricity for metro, tram, EVs, e-buses
    double co2_kg_hydrogen = 0;  ///< hydrogen production for fuel-cell buses and trams
    double co2e_kg = 0;          ///< CO2 + GWP-weighted CH4/N2O where the factors give them
    double nox_kg = 0;           ///< where factors exist (0 and flagged otherwise)
    double pm_kg = 0;
    bool nox_available = false;  ///< false: no NOx factor for the classes in use (nox_kg = 0)
    bool pm_available = false;
    double co2_g_per_pkm = 0;
    std::uint64_t events = 0;
    std::string event_hash;
    std::uint64_t trips_stuck = 0;
    double wall_s = 0;
    StudyAreaFigures study_area;
    std::vector<IterationFigures> history;
    /// Data rows of each table the run wrote ("links.csv" -> 1234), so that a reader can tell a
    /// whole table from one cut at a line end. Empty in summaries written before it was added.
    std::map<std::string, std::uint64_t> table_rows;
};

}  // namespace modeshift
