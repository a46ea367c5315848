#pragma once
/// What the importers that build a network from a source (osm, gtfs) share: their bundled tables
/// as the default, and the end of the import (check, write, say what was written).
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/network/network.hpp"

namespace modeshift::cli {

/// The path given on the command line, or the bundled one when the option was left out (empty).
inline std::filesystem::path given_or(const std::string& given,
                                      const std::filesystem::path& bundled) {
    return given.empty() ? bundled : std::filesystem::path(given);
}

/// Validates `data` (errors name `source`) before anything is written, writes it to `out`, then
/// prints the importer's report lines and the counts written.
void write_imported_network(const NetworkData& data, const std::string& source,
                            const std::string& out, const std::vector<std::string>& report);

}  // namespace modeshift::cli
