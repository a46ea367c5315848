#pragma once
/// The viewer application: options, loading, the interactive window and headless rendering.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/time.hpp"

namespace modeshift::viewer {

struct Options {
    std::vector<std::filesystem::path> runs;  ///< one run, or baseline + policy (side by side)
    std::optional<std::filesystem::path> screenshot;
    std::optional<std::filesystem::path> frames_dir;
    TimeMs at_ms = 8 * kMsPerHour;
    TimeMs from_ms = 7 * kMsPerHour, to_ms = 9 * kMsPerHour;
    double fps = 30;
    double speed = 60;  ///< simulated seconds per real second
    unsigned width = 1920, height = 1080;
    std::optional<std::filesystem::path> font;
    bool present = false;  ///< presentation mode
    bool fullscreen = false;
    std::string colouring = "plain";
    double bench_s = 0;  ///< > 0: play this long in the window, print fps, exit
    // The measures panel's what-if (a `modeshift what-if` child process).
    std::optional<std::filesystem::path> what_if;  ///< scripted choices: simulate them at start
    std::optional<std::filesystem::path> modeshift_bin;
    std::filesystem::path base_scenario = "scenarios/seogu-baseline.json";
    std::optional<std::filesystem::path> measures;  ///< default: measures.json beside the baseline
    std::filesystem::path what_if_out = "out/what-if";
    int what_if_iterations = 3;
    double what_if_sample = 0;  ///< > 0: live sample fraction
};

/// Parses the command line; returns the exit code to use now (0 = go on).
int parse_options(int argc, char** argv, Options& opt);
/// Runs the viewer; returns the process exit code (2 for bad run files or a missing font).
int run_viewer(const Options& opt);
/// Finds a Hangul-capable font (--font, MODESHIFT_FONT, fonts-nanum paths); empty if none.
std::filesystem::path find_font(const std::optional<std::filesystem::path>& given);

}  // namespace modeshift::viewer
