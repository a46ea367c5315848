#pragma once
/// Scenario files: which network, demand, choice parameters, fleet and policies a run uses.
/// A scenario may `extend` another: its fields override the parent's and its policies are
/// appended to the parent's, so a policy package is the baseline plus a few lines.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"

namespace modeshift {

/// One policy entry with the file it was written in (for error messages and provenance).
struct PolicyEntry {
    Json json;
    std::string file;
    std::string path;  ///< JSON path inside that file, e.g. $.policies[2]
};

struct Scenario {
    std::string name;
    std::string description;
    std::filesystem::path file;
    std::filesystem::path network;
    std::filesystem::path demand;
    std::filesystem::path choice;
    std::filesystem::path asc;  ///< calibrated constants (optional)
    std::filesystem::path fleet;
    std::filesystem::path emission_factors;  ///< emission factor data directory or file
    std::filesystem::path freight;       ///< freight vehicle demand (optional: none = no freight)
    std::filesystem::path external;      ///< boundary gateways and their counts (optional)
    std::filesystem::path road_traffic;  ///< running speeds and signal rules (optional: none =
                                         ///< posted speeds, no signals)
    std::uint64_t seed = 1;
    double sample_fraction = 0.1;
    int iterations = 8;
    double replan_fraction = 0.2;
    double convergence_share_change = 0.005;  ///< stop when max |Δ mode share| falls below
    int min_iterations = 3;
    double stuck_s = 10;  ///< engine: blocked this long at a link end -> pushed on
    std::string stuck_source;
    /// The year's energy factors (a pathway sets them per year): overrides of the emission data's
    /// grid and hydrogen factors, each with its source; empty = the data's own.
    std::optional<double> grid_t_per_mwh;
    std::string grid_source;
    std::optional<double> hydrogen_kg_co2_per_kg;
    std::string hydrogen_source;
    /// Residents relative to the network's zone populations (a pathway's population trend):
    /// every zone's population is multiplied by its factor before the demand is drawn.
    double population_factor = 1.0;
    std::string population_source;
    struct ZoneFactor {
        std::string zone;  ///< zone name (a dong), replaces population_factor there
        double factor = 1.0;
        std::string file, path;  ///< where it was given (an unknown zone is reported there)
    };
    std::vector<ZoneFactor> population_by_zone;
    std::vector<PolicyEntry> policies;
    std::vector<std::string> rationales;  ///< one line per policy (from "rationale")
    std::vector<std::filesystem::path>
        inputs;  ///< every file the scenario reads (for the input hash)
    /// A place in a scenario file: the file and a JSON path.
    struct Reference {
        std::string file, path;
    };
    /// Where each input file was named (by its resolved path): {scenario file, "$.network"}, so
    /// that an error in an input also names the field that chose the file.
    std::map<std::string, Reference> named_at;
    Reference sample_fraction_at;  ///< where sample_fraction was given (empty: the default)
    std::string hash;              ///< hex hash of the scenario chain and its inputs
};

/// Loads a scenario and its `extends` chain; paths are resolved relative to the file that names
/// them. InputError names file and JSON path for anything wrong (unknown keys, missing files,
/// cycles in `extends`).
Scenario load_scenario(const std::filesystem::path& file);

/// Returns `load()`; an InputError about one of the scenario's input files is rethrown with the
/// scenario field that named the file ("... (named by s.json at $.network)").
template <class F>
auto with_input_named(const Scenario& s, F&& load) -> decltype(load()) {
    try {
        return load();
    } catch (const InputError& e) {
        const auto it = s.named_at.find(e.file());
        if (it == s.named_at.end()) throw;
        throw e.named_by(it->second.file, it->second.path);
    }
}

}  // namespace modeshift
