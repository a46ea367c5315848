// The scenario's inputs checked before the long work: the field that named a wrong file, a sample
// that draws nobody, and the counts calibration and the runner are given.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/scenario/calibrate.hpp"
#include "modeshift/scenario/model.hpp"
#include "modeshift/scenario/scenario.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
const fs::path kSrc = MODESHIFT_SOURCE_DIR;
const fs::path kDir = fs::temp_directory_path() / "modeshift_test_scenario_inputs";

fs::path scenario(const std::string& name, const std::string& members) {
    fs::create_directories(kDir);
    const fs::path p = kDir / (name + ".json");
    std::ofstream(p) << R"({"extends": ")" << (kSrc / "scenarios/seogu-baseline.json").string()
                     << R"(", "iterations": 1, )" << members << "}";
    return p;
}

/// The refusal of loading `file`'s model.
InputError model_refusal(const fs::path& file, int threads = 1) {
    try {
        load_model(file, -1, threads);
    } catch (const InputError& e) {
        return e;
    }
    return InputError("", 0, "", "<accepted>");
}

bool says(const InputError& e, const std::string& text) {
    return std::string(e.what()).find(text) != std::string::npos;
}
}  // namespace

// Regression: "$.network": "/etc/passwd" said only that /etc/passwd is not a network file.
TEST(ScenarioInputs, AWrongFileNamesTheFieldThatChoseIt) {
    const fs::path s = scenario("passwd", R"("sample_fraction": 0.002, "network": "/etc/passwd")");
    const InputError e = model_refusal(s);
    EXPECT_EQ(e.file(), "/etc/passwd");
    EXPECT_TRUE(says(e, "not a modeshift network file")) << e.what();
    EXPECT_TRUE(says(e, "(named by " + s.string() + " at $.network)")) << e.what();
    const fs::path f = scenario("fleet", R"("sample_fraction": 0.002, "fleet": ")" +
                                             (kSrc / "scenarios/data/demand.json").string() + "\"");
    EXPECT_TRUE(says(model_refusal(f), "at $.fleet)")) << model_refusal(f).what();
}

// Regression: "$.network": "/dev/urandom" grew to 4 GB while the inputs were hashed.
TEST(ScenarioInputs, ADeviceIsRefusedAtTheFieldBeforeAByteIsRead) {
    const auto start = std::chrono::steady_clock::now();
    for (const char* dev : {"/dev/urandom", "/dev/zero"}) {
        if (!fs::exists(dev)) continue;
        try {
            load_scenario(scenario("dev", std::string(R"("network": ")") + dev + "\""));
            ADD_FAILURE() << dev << " accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(e.field(), "$.network");
            EXPECT_TRUE(says(e, "expected a regular file")) << e.what();
        }
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ScenarioInputs, ASampleThatDrawsNobodyIsRefused) {
    const InputError e = model_refusal(scenario("nobody", R"("sample_fraction": 1e-12)"));
    EXPECT_EQ(e.field(), "$.sample_fraction");
    EXPECT_TRUE(says(e, "no resident")) << e.what();
}

TEST(ScenarioInputs, ThreadCountsAreCheckedBeforeAnythingIsRead) {
    const InputError e = model_refusal(scenario("threads", R"("sample_fraction": 0.002)"), 100000);
    EXPECT_EQ(e.field(), "--threads");
}

// Regression: calibrate --loops 0 wrote constants that were never fitted and exited 0.
TEST(ScenarioInputs, CalibrationRefusesLoopCountsOutOfRange) {
    const fs::path s = scenario("calibrate", R"("sample_fraction": 0.002)");
    for (int loops : {0, -1, 51}) {
        CalibrationOptions o;
        o.targets_file = kSrc / "scenarios/data/calibration_targets.json";
        o.out_file = kDir / "asc.json";
        o.outer_loops = loops;
        o.quiet = true;
        fs::remove(o.out_file);
        try {
            calibrate_scenario(s, o);
            ADD_FAILURE() << loops << " loops accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(e.field(), "--loops");
        }
        EXPECT_FALSE(fs::exists(o.out_file));
    }
}
