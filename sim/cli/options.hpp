#pragma once
/// Options several commands share, declared once with their ranges, so every command checks them
/// the same way before any work (a thread count that cannot be started, a negative seed that
/// would wrap to 2^64-1, an empty --out: CLI11 refuses them at parse time, exit 1).
#include <CLI/CLI.hpp>
#include <initializer_list>
#include <string>

namespace modeshift::cli {

/// A number >= 0. (CLI11's NonNegativeNumber names its upper bound, a 309-digit number.)
extern const CLI::Validator kNonNegative;

/// Engine threads a command may be asked for. Far above any machine's cores, far below what the
/// system refuses to start (run --threads 100000 used to abort in pthread_create).
inline constexpr int kMaxThreads = 256;
/// Runs at the same time in a sweep or pathway.
inline constexpr int kMaxJobs = 64;
/// Simulated days of one run; the bundled scenarios converge in 10-12.
inline constexpr int kMaxIterations = 500;

/// `--threads N`: 0 = all cores, up to kMaxThreads.
CLI::Option* add_threads_option(CLI::App* cmd, int& threads,
                                const std::string& what =
                                    "worker threads (0 = all cores); "
                                    "results do not depend on it");
/// `--iterations N`: 1..kMaxIterations; 0 (left out) keeps the scenario's.
CLI::Option* add_iterations_option(CLI::App* cmd, int& iterations,
                                   const std::string& what =
                                       "override the scenario's iteration "
                                       "limit");
/// `--seed N`: a non-negative whole number; -1 (left out) keeps the scenario's.
CLI::Option* add_seed_option(CLI::App* cmd, long long& seed,
                             const std::string& what = "override the scenario's seed");
/// `--jobs,-j N`: 1..kMaxJobs runs at the same time.
CLI::Option* add_jobs_option(CLI::App* cmd, int& jobs);
/// `--sample F`: a sample fraction in [1e-4, 1]; 0 (left out) keeps the scenario's.
CLI::Option* add_sample_option(CLI::App* cmd, double& sample,
                               const std::string& what =
                                   "sample fraction of the population "
                                   "(default: the scenario's)");
/// `--out,-o PATH`: a non-empty path, required unless `required` is false. Whether it may be used
/// (not an input, not a file where a folder is wanted, not locked) is checked by the library
/// before any work.
CLI::Option* add_out_option(CLI::App* cmd, std::string& out, const std::string& what,
                            bool required = true);
/// A required input file (positional or option), which must exist when the command is parsed.
template <class T>
CLI::Option* add_input_file(CLI::App* cmd, const std::string& name, T& into,
                            const std::string& what) {
    return cmd->add_option(name, into, what)->required()->check(CLI::ExistingFile);
}
/// A required input folder (a run folder), which must exist when the command is parsed.
template <class T>
CLI::Option* add_input_folder(CLI::App* cmd, const std::string& name, T& into,
                              const std::string& what) {
    return cmd->add_option(name, into, what)->required()->check(CLI::ExistingDirectory);
}

/// The help text of an importer's --out.
inline constexpr const char* kNetworkOutHelp = "output network (.msnet binary, .msnet.json JSON)";
/// `--min-vehicles N`: the fewest simulated (sampled) vehicles a link-hour speed is compared with
/// (validate and cross-validate).
CLI::Option* add_min_vehicles_option(CLI::App* cmd, double& min_vehicles);
/// `--quiet,-q`: no progress output.
CLI::Option* add_quiet_flag(CLI::App* cmd, bool& quiet);

/// Refuses an output FILE that is empty, a folder or one of `inputs` (left-out inputs are empty
/// and skipped) before any work: `--out` equal to the input used to overwrite it.
void check_out_file(const std::string& out, std::initializer_list<std::string> inputs);

/// Engine threads per run when `jobs` runs share the machine and --threads was left at 0.
int threads_per_job(int threads, int jobs);

}  // namespace modeshift::cli
