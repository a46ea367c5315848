#pragma once
/// Each subcommand family registers itself on the CLI app. main.cpp only wires them and maps
/// errors to exit codes; the work is done by the library.
#include <CLI/CLI.hpp>

namespace modeshift::cli {

/// Exit codes shared by all subcommands.
enum ExitCode : int { kOk = 0, kUsage = 1, kInputError = 2, kRuntimeError = 3, kInterrupted = 130 };

void add_network_commands(CLI::App& app);        // network info | convert
void add_import_tntp(CLI::App& import_cmd);      // import tntp
void add_import_daejeon(CLI::App& import_cmd);   // import daejeon (the bundled network recipe)
void add_import_osm(CLI::App& import_cmd);       // import osm
void add_import_gtfs(CLI::App& import_cmd);      // import gtfs
void add_import_sumo(CLI::App& import_cmd);      // import sumo
void add_import_etri(CLI::App& import_cmd);      // import etri-signals (real signal plans)
void add_assign_command(CLI::App& app);          // assign (static user equilibrium)
void add_run_command(CLI::App& app);             // run SCENARIO
void add_compare_command(CLI::App& app);         // compare BASE POLICY
void add_sweep_command(CLI::App& app);           // sweep SCENARIO...
void add_validate_command(CLI::App& app);        // validate RUN_DIR (observed speeds, counts)
void add_cross_validate_command(CLI::App& app);  // cross-validate RUN_DIR... --folds K
void add_what_if_command(CLI::App& app);         // what-if --set MEASURE[=VALUE] --out DIR
void add_pathway_command(CLI::App& app);         // pathway PATHWAY --out DIR (the climate plan)

}  // namespace modeshift::cli
