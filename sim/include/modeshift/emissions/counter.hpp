#pragma once
/// EmissionCounter: an engine Observer that turns every link traversal into CO2 (tailpipe, grid
/// electricity, hydrogen production), CO2e, NOx/PM where factors exist, vehicle-km and person-km,
/// and accumulates them by mode, link, zone (dong), hour, link x hour and minute.
///
/// Scaling: private vehicles, walkers, cyclists and passengers are a sample of the population and
/// are scaled by 1 / sample_fraction; transit vehicles (vehicle_line valid) run the full timetable
/// and are not scaled, their riders are.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/emissions/factors.hpp"
#include "modeshift/travel_plan/observer.hpp"

namespace modeshift {

/// Totals of one mode, full-population equivalents.
struct ModeEmissions {
    double co2_tailpipe_g = 0;
    double co2_grid_g = 0;
    double co2_hydrogen_g = 0;
    double co2e_g = 0;
    double nox_g = 0;
    double pm_g = 0;
    double vkt_km = 0;      ///< vehicle-km (transit: service vehicle-km)
    double pkt_km = 0;      ///< person-km aboard vehicles (walk/bike: trip distance)
    double traversals = 0;  ///< link traversals (scaled)
    double trips = 0;       ///< finished + stuck trips with this main mode (scaled)
    double trips_stuck = 0;
    double trip_distance_km = 0;  ///< person-distance of those trips (all legs), from TripOutcome
    double travel_time_min = 0;   ///< sum of door-to-door times of those trips
    double co2_g() const { return co2_tailpipe_g + co2_grid_g + co2_hydrogen_g; }
    double co2_g_per_trip() const { return trips > 0 ? co2_g() / trips : 0.0; }
    double co2_g_per_pkm() const { return pkt_km > 0 ? co2_g() / pkt_km : 0.0; }
    double mean_travel_time_min() const { return trips > 0 ? travel_time_min / trips : 0.0; }
};

/// One (link, hour) cell with traffic.
struct LinkHourCell {
    LinkId link;
    std::uint32_t hour = 0;
    double vehicles = 0;  ///< traversals (scaled)
    double vkt_km = 0;
    double time_h = 0;  ///< vehicle-hours spent on the link
    double co2_g = 0;
    /// Space-mean speed = distance / time, km/h.
    double mean_speed_kmh() const { return time_h > 0 ? vkt_km / time_h : 0.0; }
};

/// Everything the counter accumulated, merged over partitions (valid after end()).
struct EmissionResults {
    double sample_fraction = 1.0;
    std::string factors_hash;                 ///< EmissionFactorTable::content_hash()
    std::vector<std::string> factor_sources;  ///< EmissionFactorTable::provenance()
    bool nox_available = false;               ///< some class in use had a NOx factor
    bool pm_available = false;
    std::array<ModeEmissions, kModeCount> modes{};
    /// Vehicle trips that are not residents' person trips (freight, external), scaled, by
    /// TripSegment; they are in `modes` for emissions and km but never in trips or shares.
    std::array<double, kTripSegmentCount> segment_trips{};

    // --- study area (zones with study_area set), valid if has_study_area ---
    bool has_study_area = false;
    /// Trips, stuck trips, travel times and walk/bike person-km of the resident trips flagged by
    /// set_trip_study_area(); emissions, vehicle-km and passenger-km of every vehicle on links
    /// whose zone is in the study area.
    std::array<ModeEmissions, kModeCount> study_modes{};

    // --- per link (indexed by LinkId) ---
    std::vector<double> link_co2_g;
    std::vector<double> link_vehicles;
    std::vector<double> link_vkt_km;
    std::vector<double> link_time_h;
    std::vector<ZoneId> link_zone;  ///< zone of the link midpoint (invalid if no zones)

    // --- per zone (indexed by ZoneId) ---
    std::vector<double> zone_co2_g;
    std::vector<double> zone_vkt_km;
    std::vector<double> zone_trips_from;  ///< needs set_trip_zones()
    std::vector<double> zone_trips_to;

    // --- time ---
    std::uint32_t hours = 24;  ///< at least 24; more if trips run past midnight
    std::vector<std::array<double, kModeCount>> hour_co2_g;  ///< [hour][mode]
    std::vector<std::array<double, kModeCount>> hour_vkt_km;
    std::vector<LinkHourCell> link_hours;  ///< sorted by (link, hour)
    /// Cumulative CO2 by mode at the end of each minute since midnight: [minute][mode], grams.
    std::vector<std::array<double, kModeCount>> minute_cum_co2_g;

    double co2_tailpipe_g() const;
    double co2_grid_g() const;
    double co2_hydrogen_g() const;
    double co2_g() const { return co2_tailpipe_g() + co2_grid_g() + co2_hydrogen_g(); }
    double trips() const;
    double study_trips() const;
    double study_co2_g() const;

    /// Columns for a per-minute counter series: "co2_kg_<mode>" (cumulative) and "co2_kg_total".
    std::vector<std::string> minute_series_names() const;
    /// Row-major values matching minute_series_names(), one row per minute.
    std::vector<double> minute_series_values() const;
    /// Dense per-link by hour values, values[h * links + l], of "co2_g", "vehicles" or
    /// "speed_kmh" (0 where no traffic). Throws std::invalid_argument on an unknown name.
    std::vector<float> link_hour_values(std::string_view what) const;
};

/// Zone of each link: the zone whose boundary contains the link's midpoint (along its geometry),
/// else the zone with the nearest centroid. Empty zones -> all invalid.
std::vector<ZoneId> assign_links_to_zones(const Network& net);

class EmissionCounter : public Observer {
  public:
    /// `table` must outlive the counter.
    explicit EmissionCounter(const EmissionFactorTable& table);

    /// Origin and destination zone per trip id (PlanSet::trip_origin_zone / trip_dest_zone) for the
    /// trips-from/to counts by zone. Optional; call before the run.
    void set_trip_zones(std::vector<ZoneId> origin, std::vector<ZoneId> destination);
    /// Per trip id: 1 = counts in the study-area trip figures (Demand trips touches_study_area).
    /// Trips beyond the vector's end do not count there.
    void set_trip_study_area(std::vector<std::uint8_t> flag);
    /// Per trip id: its TripSegment; trips beyond the vector's end are residents' trips.
    void set_trip_segments(std::vector<TripSegment> segment);

    /// Resolves each vehicle type's emission_class (InputError if a class has no factors) and
    /// clears all accumulators: each begin() starts a new simulated day.
    void begin(const RunInfo& info) override;
    void on_traversals(std::uint32_t partition, std::span<const Traversal> batch) override;
    void on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) override;
    /// Merges the partitions in partition order (same results for any thread count).
    void end() override;

    const EmissionResults& results() const { return results_; }

  private:
    struct TypeInfo {
        const EmissionClass* cls = nullptr;
        Mode mode = Mode::Car;
    };
    struct Partition {
        std::array<ModeEmissions, kModeCount> modes{};
        /// Vehicle trips that are not residents' person trips (freight, external), scaled, by
        /// TripSegment; they are in `modes` for emissions and km but never in trips or shares.
        std::array<double, kTripSegmentCount> segment_trips{};

        // --- study area (zones with study_area set), valid if has_study_area ---
        bool has_study_area = false;
        /// Trips, stuck trips, travel times and walk/bike person-km of the resident trips flagged
        /// by set_trip_study_area(); emissions, vehicle-km and passenger-km of every vehicle on
        /// links whose zone is in the study area.
        std::array<ModeEmissions, kModeCount> study_modes{};
        std::vector<double> link_co2_g, link_vehicles, link_vkt_km, link_time_h;
        std::vector<double> zone_trips_from, zone_trips_to;
        std::vector<std::array<double, kModeCount>> hour_co2_g, hour_vkt_km, minute_co2_g;
        /// Sparse link x hour cells in first-touch order; the map is only looked up, never
        /// iterated, so its order cannot leak into results.
        std::vector<LinkHourCell> cells;
        std::unordered_map<std::uint64_t, std::uint32_t> cell_index;
    };

    Partition& part(std::uint32_t p);
    void add_traversal(Partition& p, const Traversal& t);

    const EmissionFactorTable& table_;
    const Network* net_ = nullptr;
    std::vector<TypeInfo> types_;
    std::vector<std::uint8_t> vehicle_is_transit_;
    std::vector<RoadForm> link_road_;
    std::vector<ZoneId> link_zone_;
    std::vector<ZoneId> trip_origin_, trip_dest_;
    std::vector<std::uint8_t> trip_study_;
    std::vector<TripSegment> trip_segment_;
    std::vector<std::uint8_t> link_in_study_;  ///< 1 = the link's zone is in the study area
    double scale_ = 1.0;
    std::vector<Partition> parts_;
    EmissionResults results_;
};

}  // namespace modeshift
