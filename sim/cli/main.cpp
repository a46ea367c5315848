// modeshift command-line interface: parse flags, call the library, map errors to exit codes.
#include <fmt/format.h>

#include <iostream>
#include <string>

#include "commands.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/process.hpp"
#include "modeshift/core/version.hpp"

int main(int argc, char** argv) {
    using namespace modeshift;
    reexec_with_huge_pages(argv);  // plans, skims and run files: fewer page faults and TLB misses
    CLI::App app{"modeshift — discrete-event multimodal transport simulator for city districts"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("modeshift ") + kVersion);
    // Registration order is the order `--help` lists the commands in.
    cli::add_network_commands(app);
    auto* import_cmd =
        app.add_subcommand("import", "Import a network or demand from another format");
    import_cmd->require_subcommand(1);
    for (auto add : {cli::add_import_tntp, cli::add_import_daejeon, cli::add_import_osm,
                     cli::add_import_gtfs, cli::add_import_sumo, cli::add_import_etri})
        add(*import_cmd);
    for (auto add :
         {cli::add_assign_command, cli::add_run_command, cli::add_compare_command,
          cli::add_sweep_command, cli::add_validate_command, cli::add_cross_validate_command,
          cli::add_what_if_command, cli::add_pathway_command})
        add(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? cli::kOk : cli::kUsage;
    } catch (const InputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return cli::kInputError;
    } catch (const InvariantError& e) {
        std::cerr << "internal error (please report): " << e.what() << "\n";
        return cli::kRuntimeError;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return cli::kRuntimeError;
    }
    return cli::kOk;
}
