#pragma once
/// The output files of one run (all written atomically into the run directory):
///   summary.json       headline figures (RunSummary), read back by compare and sweep
///   links.geojson      per-link LineStrings with volume, mean speed, CO2 (opens in QGIS)
///   links.csv          the same per-link figures as a table
///   link_hourly.csv    link id, road name, hour, vehicles, mean speed km/h, CO2 kg
///   hourly_by_mode.csv CO2 and vehicle-km per hour and mode
///   by_dong.csv        CO2, VKT, trips from/to per zone (admin dong)
///   co2_by_minute.csv  cumulative CO2 per minute and mode (the replay counters)
/// Transit ridership per line and stop (transit_lines.csv, stop_boardings.csv):
/// transit_outputs.hpp. The CSV tables' file names and columns, shared by the writers and the
/// readers: tables.hpp.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift {

class Network;

inline constexpr const char* kSummaryFile = "summary.json";
inline constexpr int kSummarySchemaVersion =
    2;  // 2: demand_scope, freight/external trips, study_area

/// Fills the emission-derived figures of a summary from the counter: per-mode trips, share,
/// CO2, VKT, PKT, mean travel time; totals and tailpipe/grid/hydrogen split; CO2e, NOx/PM (with
/// availability flags); CO2 per person-km; trips_stuck; factor hash and sources.
void apply_to_summary(const EmissionResults& r, RunSummary& summary);

/// Writes every file listed above into `dir` (created if needed), summary.json last with the row
/// count of every CSV table (table_rows). The one call the runner makes.
void write_run_outputs(const std::filesystem::path& dir, const RunSummary& summary,
                       const EmissionResults& emissions, const Network& net);

/// summary.json as text.
std::string summary_to_json(const RunSummary& s);
/// Writes summary.json atomically.
void write_summary_json(const std::filesystem::path& path, const RunSummary& s);
/// Reads summary.json; throws InputError naming the file and JSON path on anything invalid.
RunSummary read_summary_json(const std::filesystem::path& path);
/// True if `path` exists and read_summary_json accepts it.
bool is_valid_summary(const std::filesystem::path& path) noexcept;

void write_links_geojson(const std::filesystem::path& path, const EmissionResults& r,
                         const Network& net);
// The CSV tables; each returns the data rows it wrote (summary.json records them: table_rows).
std::uint64_t write_links_csv(const std::filesystem::path& path, const EmissionResults& r,
                              const Network& net);
std::uint64_t write_link_hourly_csv(const std::filesystem::path& path, const EmissionResults& r,
                                    const Network& net);
std::uint64_t write_hourly_by_mode_csv(const std::filesystem::path& path, const EmissionResults& r);
std::uint64_t write_by_dong_csv(const std::filesystem::path& path, const EmissionResults& r,
                                const Network& net);
std::uint64_t write_co2_by_minute_csv(const std::filesystem::path& path, const EmissionResults& r);

// ---- readers of the tables (for compare) ----

struct LinkRow {
    std::uint32_t link = 0;
    std::string external_id, road_name;
    double vehicles = 0, vkt_km = 0, mean_speed_kmh = 0, co2_kg = 0;
};
struct DongRow {
    std::string code, name, name_en;
    double co2_kg = 0, vkt_km = 0, trips_from = 0, trips_to = 0, population = 0;
};
/// hour -> CO2 kg per mode (kModeCount) and total (last element).
using HourRow = std::array<double, kModeCount + 1>;

std::vector<LinkRow> read_links_csv(const std::filesystem::path& path);
std::vector<DongRow> read_by_dong_csv(const std::filesystem::path& path);
std::vector<HourRow> read_hourly_by_mode_csv(const std::filesystem::path& path);

}  // namespace modeshift
