// Warm starts take the link times and saved plans of a run on the same network file only: files
// of a run on another network, and a link_times.csv cut short, are refused naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/scenario/runner.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
const fs::path kSrc = MODESHIFT_SOURCE_DIR;

/// A folder of this process (ctest runs the tests side by side), removed at exit.
struct ScratchDir {
    fs::path path =
        fs::temp_directory_path() / ("modeshift_test_warm_start_" + std::to_string(::getpid()));
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};
const ScratchDir kScratch;
const fs::path& kDir = kScratch.path;

/// One day of a 0.2 % sample of the baseline on `network` (the bundled one if empty), warm-started
/// from `warm` if given; saves its plans.
RunSummary tiny_run(const std::string& name, const fs::path& network = {},
                    const fs::path& warm = {}) {
    fs::create_directories(kDir);
    Json j = {{"extends", (kSrc / "scenarios/seogu-baseline.json").string()},
              {"name", name},
              {"sample_fraction", 0.002},
              {"iterations", 1}};
    if (!network.empty()) j["network"] = network.string();
    write_text_atomic(kDir / (name + ".json"), j.dump());
    RunOptions o;
    o.out_dir = kDir / name;
    o.threads = 2;
    o.quiet = true;
    o.save_plans = true;
    o.warm_start = warm;
    return run_scenario(kDir / (name + ".json"), o);
}

/// The bundled network with one link's capacity changed: another network to the warm start.
fs::path other_network() {
    NetworkData d = read_network(kSrc / "networks/daejeon/daejeon.msnet");
    d.links.capacity_vph[0] += 1;
    write_network(d, kDir / "other.msnet");
    return kDir / "other.msnet";
}

/// The runs on the bundled network and on the other one (made once).
const std::pair<RunSummary, RunSummary>& runs() {
    static const std::pair<RunSummary, RunSummary> r = [] {
        return std::pair{tiny_run("base"), tiny_run("other", other_network())};
    }();
    return r;
}

/// The InputError of a warm start of the baseline from `dir`.
InputError warm_start_refusal(const fs::path& dir) {
    try {
        tiny_run("warm", {}, dir);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "warm start from " << dir << " accepted";
    return InputError("", 0, "", "");
}
}  // namespace

TEST(WarmStart, FilesOfARunOnAnotherNetworkAreRefused) {
    const auto& [base, other] = runs();
    ASSERT_NE(base.network_hash, other.network_hash);
    const std::string made_for =
        "made for network " + other.network_hash + " but the run uses network " + base.network_hash;
    const auto times = warm_start_refusal(kDir / "other");
    EXPECT_EQ(times.file(), (kDir / "other" / kLinkTimesFile).string());
    EXPECT_EQ(times.field(), "network");
    EXPECT_NE(std::string(times.what()).find(made_for), std::string::npos) << times.what();
    // The baseline's link times with the other network's plans.
    fs::create_directories(kDir / "mixed");
    fs::copy_file(kDir / "base" / kLinkTimesFile, kDir / "mixed" / kLinkTimesFile,
                  fs::copy_options::overwrite_existing);
    fs::copy_file(kDir / "other" / kPlansFile, kDir / "mixed" / kPlansFile,
                  fs::copy_options::overwrite_existing);
    const auto plans = warm_start_refusal(kDir / "mixed");
    EXPECT_EQ(plans.file(), (kDir / "mixed" / kPlansFile).string());
    EXPECT_EQ(plans.field(), "network");
    EXPECT_NE(std::string(plans.what()).find(made_for), std::string::npos) << plans.what();
    // Files of the same network are taken.
    EXPECT_NO_THROW(tiny_run("warm", {}, kDir / "base"));
}

TEST(WarmStart, LinkTimesCutShortAreRefused) {
    runs();
    const std::string times = read_file_bytes(kDir / "base" / kLinkTimesFile);
    ASSERT_EQ(times.rfind("# network ", 0), 0u);
    fs::create_directories(kDir / "cut");
    // Whole rows missing, then a cut inside a row.
    const auto tenth_line_end = [&] {
        std::size_t at = 0;
        for (int i = 0; i < 10; ++i) at = times.find('\n', at) + 1;
        return at;
    }();
    for (const std::size_t keep : {tenth_line_end, tenth_line_end - 3}) {
        write_text_atomic(kDir / "cut" / kLinkTimesFile, times.substr(0, keep));
        const auto e = warm_start_refusal(kDir / "cut");
        EXPECT_EQ(e.file(), (kDir / "cut" / kLinkTimesFile).string());
        EXPECT_EQ(e.field(), "rows");
        EXPECT_NE(std::string(e.what()).find("cut short"), std::string::npos) << e.what();
    }
}
