#pragma once
/// Readers of the parts of a pathway file, shared by pathway_file.cpp and pathway_trends.cpp.
#include <filesystem>

#include "modeshift/pathway/pathway_file.hpp"

namespace modeshift::pathway::detail {

/// $.trends: population, car_fleet, bus_fleet, grid_t_per_mwh, hydrogen_kg_co2_per_kg.
Trends read_trends(const JsonCursor& c);

/// $.annualisation; `dir` is the pathway file's folder (the holiday file is relative to it).
Annualisation read_annualisation(const JsonCursor& c, const std::filesystem::path& dir);

}  // namespace modeshift::pathway::detail
