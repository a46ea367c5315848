// Placeholder registration: this subcommand is not implemented yet, so it is not offered.
#include "commands.hpp"

namespace modeshift::cli {
void add_import_osm(CLI::App& /*import_cmd*/) {}
}  // namespace modeshift::cli
