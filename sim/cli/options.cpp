#include "options.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <vector>

#include "modeshift/io/output_folder.hpp"

namespace modeshift::cli {
namespace {

/// Refuses an empty path ("--out ''" used to write into the current folder).
const CLI::Validator kNonEmpty(
    [](const std::string& s) { return s.empty() ? std::string("is empty: name a path") : ""; },
    "PATH", "non-empty");

}  // namespace

const CLI::Validator kNonNegative(
    [](const std::string& s) {
        double v = 0;
        return CLI::detail::lexical_cast(s, v) && v >= 0 ? std::string()
                                                         : s + " is not a number >= 0";
    },
    "NUMBER>=0", "non-negative");

CLI::Option* add_threads_option(CLI::App* cmd, int& threads, const std::string& what) {
    return cmd->add_option("--threads", threads, what)->check(CLI::Range(0, kMaxThreads));
}

CLI::Option* add_iterations_option(CLI::App* cmd, int& iterations, const std::string& what) {
    return cmd->add_option("--iterations", iterations, what)->check(CLI::Range(1, kMaxIterations));
}

CLI::Option* add_seed_option(CLI::App* cmd, long long& seed, const std::string& what) {
    return cmd->add_option("--seed", seed, what)->check(kNonNegative);
}

CLI::Option* add_jobs_option(CLI::App* cmd, int& jobs) {
    return cmd->add_option("--jobs,-j", jobs, "runs at the same time")
        ->check(CLI::Range(1, kMaxJobs))
        ->capture_default_str();
}

CLI::Option* add_sample_option(CLI::App* cmd, double& sample, const std::string& what) {
    return cmd->add_option("--sample", sample, what)->check(CLI::Range(1e-4, 1.0));
}

CLI::Option* add_out_option(CLI::App* cmd, std::string& out, const std::string& what,
                            bool required) {
    return cmd->add_option("--out,-o", out, what)->required(required)->check(kNonEmpty);
}

CLI::Option* add_min_vehicles_option(CLI::App* cmd, double& min_vehicles) {
    return cmd
        ->add_option("--min-vehicles", min_vehicles,
                     "a link-hour speed counts only with at least this many simulated (sampled) "
                     "vehicles (default 5)")
        ->check(CLI::Range(0.0, 1e6));
}

CLI::Option* add_quiet_flag(CLI::App* cmd, bool& quiet) {
    return cmd->add_flag("--quiet,-q", quiet, "no progress output");
}

void check_out_file(const std::string& out, std::initializer_list<std::string> inputs) {
    std::vector<std::filesystem::path> given;
    for (const auto& in : inputs)
        if (!in.empty()) given.emplace_back(in);
    check_output_file(out, given);
}

int threads_per_job(int threads, int jobs) {
    if (threads > 0) return threads;
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, hw / std::max(1, jobs));
}

}  // namespace modeshift::cli
