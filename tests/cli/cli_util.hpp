#pragma once
// Running the `modeshift` binary from the CLI tests: exit code, stdout and stderr.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace modeshift::cli_test {

struct CliRun {
    int exit_code = -1;
    std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A fresh scratch folder named after the suite prefix and the running test.
inline std::filesystem::path scratch_dir(const std::string& prefix) {
    // A parameterised test's name holds a '/' ("Test/case"): flatten it, or removing the folder
    // afterwards would leave its parent behind.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    const auto d =
        std::filesystem::temp_directory_path() /
        (prefix + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" + name);
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

/// Runs the shell command `command` with stdout and stderr captured in `dir`.
inline CliRun run_cli_command(const std::string& command, const std::filesystem::path& dir) {
    const std::string cmd =
        command + " >" + (dir / "stdout.txt").string() + " 2>" + (dir / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"),
            slurp(dir / "stderr.txt")};
}

/// Runs `modeshift ARGS` with stdout and stderr captured in `dir`.
inline CliRun run_cli(const std::string& args, const std::filesystem::path& dir) {
    return run_cli_command(std::string(MODESHIFT_BINARY) + " " + args, dir);
}

/// `timeout 60 modeshift ARGS`: a hang fails the case (exit code 124) instead of the suite.
inline CliRun run_cli_with_timeout(const std::string& args, const std::filesystem::path& dir) {
    return run_cli_command("timeout 60 " + std::string(MODESHIFT_BINARY) + " " + args, dir);
}

}  // namespace modeshift::cli_test
