#pragma once
/// What `modeshift validate` writes: validation.json, validation_speeds.csv,
/// validation_counts.csv, validation_junctions.csv (atomically), and a short table for the
/// terminal.
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/validate/validate.hpp"

namespace modeshift {

std::string validation_json(const ValidationResult& r);
/// segment,direction,road_name,hour,observed_kmh,simulated_kmh,diff_kmh,links_matched,links_with_traffic,matched_length_m
std::string validation_speeds_csv(const ValidationResult& r);
/// count_id,road_name,observed_veh_per_day,simulated_veh_per_day,ratio,year,links,note
std::string validation_counts_csv(const ValidationResult& r);
/// count_id,junction,period,observed_veh,simulated_veh,ratio,am_hour,pm_hour,year,links,note
std::string validation_junctions_csv(const ValidationResult& r);
/// Short text table for the terminal.
std::string validation_table(const ValidationResult& r);

/// Writes validation_speeds.csv, validation.json and (if counts were used) validation_counts.csv
/// and validation_junctions.csv into `dir` (created if needed). Returns the paths written.
std::vector<std::filesystem::path> write_validation(const ValidationResult& r,
                                                    const std::filesystem::path& dir);

}  // namespace modeshift
