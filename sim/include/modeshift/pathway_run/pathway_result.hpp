#pragma once
/// The pathway's figures: annual tonnes by year for BAU and the plan, the wedge of every
/// measure and of the trends, intervals over seeds, cumulative tonnes, cost per tonne, the
/// MAC curve and the target lines — for the study area (Seo-gu's roads) and the whole city.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/intervals.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/pathway/abatement_cost.hpp"
#include "modeshift/pathway/fleet_stock.hpp"
#include "modeshift/pathway/pathway_file.hpp"
#include "modeshift/pathway_run/pathway_run.hpp"

namespace modeshift::pathway {

enum class Scope : std::uint8_t { StudyArea = 0, City = 1 };
inline constexpr std::array<Scope, 2> kScopes = {Scope::StudyArea, Scope::City};
const char* scope_name(Scope s);  ///< "study_area", "city"

/// One measure in one year.
struct MeasureYear {
    std::string id;
    double fraction = 1;  ///< phase-in
    Interval avoided_t;   ///< the wedge, t CO2 per year (rescaled leave-one-out effect)
    std::vector<double> avoided_by_seed_t;  ///< the wedge of each seed (cumulative tonnes)
    Interval loo_t;  ///< the leave-one-out effect before rescaling, t per year
    bool distinguishable = false;
    CostPerTonne cost;  ///< KRW per t of this year's wedge (when the measure has costs)
};

/// One year of one scope.
struct ScopeYear {
    int year = 0;
    double annual_factor = 0;        ///< weekday-equivalent days (annualisation)
    bool has_plan = false;           ///< a measure is active (else the plan is BAU)
    Interval bau_t, plan_t;          ///< t CO2 per year
    Interval bau_day_t, plan_day_t;  ///< t CO2 per simulated weekday
    Interval reduction_t;            ///< BAU - plan, t per year (paired over seeds)
    Interval trend_t;                ///< base-year BAU - this BAU, t per year (the trend wedge)
    std::vector<double> trend_by_seed_t;     ///< the trend wedge of each seed
    double bau_vkt_km = 0, plan_vkt_km = 0;  ///< per weekday, mean over seeds
    std::array<double, kModeCount> bau_share{}, plan_share{};
    double scale = 1, interaction_t = 0;  ///< EPS rescaling (mean over seeds), t per year
    std::string wedge_note;               ///< a fallback or a large interaction
    std::vector<MeasureYear> measures;    ///< active measures, file order
};

struct TargetLine {
    const Target* target = nullptr;
    double reference_t = 0;        ///< modelled CO2 of the reference year, t per year (mean)
    double level_t = 0;            ///< reference x (1 - cut)
    std::optional<double> plan_t;  ///< the plan in the target year, when simulated
    std::string how;               ///< how the reference was obtained
};

struct MeasureTotal {
    std::string id;
    Interval cumulative_t;  ///< first..last year, every calendar year (linear between runs)
};

struct ScopeResult {
    Scope scope = Scope::StudyArea;
    std::vector<ScopeYear> years;
    std::vector<MeasureTotal> totals;  ///< every measure of the file, file order
    Interval trend_cumulative_t;
    MacCurve mac;                     ///< in mac_year
    std::vector<TargetLine> targets;  ///< targets of this scope
};

struct PathwayResult {
    const PathwayFile* pathway = nullptr;
    std::vector<std::uint64_t> seeds;
    int first_year = 0, last_year = 0, mac_year = 0;
    std::array<ScopeResult, 2> scopes;
    std::optional<ZevComparison> zev;
    std::vector<std::string> method;  ///< the method box: what is and is not counted
};

/// Turns the runs' figures into the pathway's figures.
PathwayResult summarise(const PathwayFile& pathway, const std::vector<PathwayRun>& runs,
                        const std::vector<RunFigures>& figures);

}  // namespace modeshift::pathway
