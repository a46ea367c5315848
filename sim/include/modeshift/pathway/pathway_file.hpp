#pragma once
/// The pathway file (scenarios/seogu-plan-2034.json, docs/pathway.md): the climate plan's
/// years, the trends that apply to BAU and plan alike, the measures with their start year and
/// phase-in, the costs, the targets and the annualisation. Every number carries its source.
/// For every plan year the caller runs BAU (trends only), the plan (trends + the measures
/// active that year) and the plan with each active measure left out.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/pathway/abatement_cost.hpp"
#include "modeshift/pathway/calendar.hpp"
#include "modeshift/pathway/fleet_stock.hpp"
#include "modeshift/pathway/series.hpp"

namespace modeshift::pathway {

/// Population index (1 = the calibrated base year) by year, city-wide, with per-dong series
/// that replace it for the dongs they name.
struct PopulationTrend {
    Series city;
    std::map<std::string, Series> dongs;  ///< by dong name (e.g. "탄방동")

    double index(int year, const std::string& dong = {}) const;
};

struct Trends {
    PopulationTrend population;
    CarFleetTrend car_fleet;
    ShareSeries bus_fleet;          ///< shares by bus type (kBusTypes)
    Series grid_t_per_mwh;          ///< electricity, t CO2 per MWh
    Series hydrogen_kg_co2_per_kg;  ///< hydrogen, kg CO2 per kg
};

struct Annualisation {
    std::filesystem::path holidays_file;  ///< absolute (resolved against the pathway file)
    HolidayCalendar holidays;
    DayTypeFactors road;  ///< road traffic: Saturday, Sunday/holiday vs weekday
    std::string road_saturday_source, road_sunday_holiday_source;
    std::optional<DayTypeFactors> transit_ridership;  ///< boardings, when given
    std::string transit_source;

    /// Weekday-equivalent days of road traffic in `year` (InputError if not covered).
    double road_factor(int year) const { return annual_factor(holidays, year, road); }
};

struct Measure {
    std::string id;  ///< [a-z0-9_]+, unique, not "trend", "bau" or "plan"
    std::string label_ko, label_en;
    int start_year = 0;
    int phase_in_years = 0;  ///< 0 = full effect from start_year (see phase_in.hpp)
    nlohmann::json policies = nlohmann::json::array();  ///< scenario policy objects, checked
    MeasureCosts costs;
    std::string cost_note;  ///< e.g. "no cost source: ..."
    std::string source, rationale;
};

struct Target {
    std::string id, label_ko, label_en;
    std::string scope;  ///< "study_area" or "city"
    int reference_year = 0, year = 0;
    double cut_pct = 0;  ///< 35 = 35 % below the reference year
    std::string method, source;
    std::optional<double> reference_t_co2, target_t_co2;  ///< published absolute values, if any
    std::string reference_source, target_source;
};

struct PathwayFile {
    std::filesystem::path file;
    std::string name, description;
    std::filesystem::path base_scenario;  ///< absolute (resolved against the pathway file)
    int base_year = 2024;
    std::vector<int> years;  ///< the simulated plan years, strictly increasing
    Trends trends;
    Annualisation annualisation;
    double discount_rate = 0;
    std::string discount_rate_source;
    std::vector<Measure> measures;  ///< file order
    std::vector<std::string>
        wedge_order;  ///< measure ids, bottom wedge first (default: file order)
    std::vector<Target> targets;

    const Measure* find_measure(const std::string& id) const;
    int first_year() const { return years.front(); }
    int last_year() const { return years.back(); }
};

/// Reads and checks a pathway file. InputError names the file, the JSON path and the field:
/// unknown keys, an unknown measure id in wedge_order, a year outside [base_year, 2060] or not
/// increasing, a start_year outside [base_year, last year], a target without reference_year, a
/// negative cost, shares that do not sum to 1, an unknown powertrain, an unknown policy kind or
/// field, a phase-in on a measure whose policies have no intensity to ramp, a missing base
/// scenario or holiday file, a holiday file that does not cover the years, and a car stock
/// that would need negative sales.
PathwayFile load_pathway(const std::filesystem::path& file);

/// A measure active in a year, at its phase-in fraction (0 < fraction <= 1).
struct ActiveMeasure {
    const Measure* measure = nullptr;
    double fraction = 1;
};

struct MeasureSet {
    int year = 0;
    std::vector<ActiveMeasure> active;  ///< file order

    const ActiveMeasure* find(const std::string& id) const;
    bool contains(const std::string& id) const { return find(id) != nullptr; }
};

/// The measures active in `year` (start_year <= year) with their phase-in fractions.
MeasureSet active_measures(const PathwayFile& pathway, int year);

/// The policies of the active measures, each scaled to its phase-in fraction, in file order:
/// the "plan" scenario's policies, or with `leave_out` (an active measure's id) the plan
/// without that measure. InvariantError when leave_out is given but not active.
nlohmann::json plan_policies(const MeasureSet& set, const std::string& leave_out = {});

/// The target line: reference-year CO2 x (1 - cut_pct / 100).
inline double target_level(const Target& t, double reference_co2) {
    return reference_co2 * (1 - t.cut_pct / 100);
}

}  // namespace modeshift::pathway
