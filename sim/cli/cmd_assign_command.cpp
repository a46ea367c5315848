// Placeholder registration: this subcommand is not implemented yet, so it is not offered.
#include "commands.hpp"

namespace modeshift::cli {
void add_assign_command(CLI::App& /*app*/) {}
}  // namespace modeshift::cli
