#pragma once
/// `modeshift compare BASE_DIR POLICY_DIR --out report.html`: reads two run directories and writes
/// a self-contained HTML report (inline CSS and SVG, no external assets) plus report.json and
/// report.csv with the same numbers. The page is built from the report helpers (html.hpp,
/// svg_chart.hpp).
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift {

class Network;

/// Everything a run directory holds that a comparison needs.
struct RunOutputs {
    std::filesystem::path dir;
    RunSummary summary;
    std::vector<LinkRow> links;
    std::vector<DongRow> dongs;
    std::vector<HourRow> hourly;
};
/// Reads summary.json, links.csv, by_dong.csv and hourly_by_mode.csv; InputError if any is bad.
RunOutputs read_run_outputs(const std::filesystem::path& dir);

/// A base and a policy value.
struct Delta {
    double base = 0, policy = 0;
    double delta() const { return policy - base; }
    /// Relative change in percent; nullopt when the base is 0.
    std::optional<double> pct() const;
};

struct LinkDelta {
    std::uint32_t link = 0;  ///< link index in the (policy) network
    std::string road_name;
    Delta co2_kg, vehicles;
};

struct DongDelta {
    std::string code, name, name_en;
    Delta co2_kg, vkt_km, trips_from;
};

/// Study-area figures of both runs (trips touching the area; CO2 on links inside it).
struct StudyAreaDelta {
    bool present = false;  ///< both runs have a study area
    std::string name;
    Delta co2_t, trips;
    std::array<Delta, kModeCount> mode_share_pct{}, mode_co2_t{};
};

struct Comparison {
    RunOutputs base, policy;
    StudyAreaDelta study;
    Delta co2_t;  ///< per simulated day
    Delta co2_tailpipe_t, co2_grid_t, co2_hydrogen_t;
    Delta vkt_km, pkt_km, trips, co2_g_per_pkm, mean_travel_time_min;
    std::array<Delta, kModeCount> mode_co2_t{}, mode_share_pct{}, mode_vkt_km{}, mode_pkt_km{},
        mode_travel_time_min{}, mode_trips{};
    std::vector<Delta> hourly_co2_kg;  ///< total per hour
    std::vector<LinkDelta> links;      ///< matched links, in link order
    std::string link_match;            ///< how links were matched (or why they could not be)
    std::vector<DongDelta> dongs;      ///< in base order, then dongs only in the policy run
    std::vector<std::string> notes;    ///< warnings shown in the report (e.g. different seeds)
    /// The network for the map (from the policy run's network_file), if it could be loaded.
    std::shared_ptr<const Network> network;
};

/// Compares two run directories. `network_override` replaces the network path in summary.json.
Comparison compare_runs(
    const std::filesystem::path& base_dir, const std::filesystem::path& policy_dir,
    const std::optional<std::filesystem::path>& network_override = std::nullopt);

std::string comparison_json(const Comparison& c);
/// Long table: section,item,mode,base,policy,delta,delta_pct.
std::string comparison_csv(const Comparison& c);
std::string comparison_html(const Comparison& c);

/// Writes `html_path` and, next to it, the same stem with .json and .csv (all atomic).
void write_comparison(const Comparison& c, const std::filesystem::path& html_path);

}  // namespace modeshift
