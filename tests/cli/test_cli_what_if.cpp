// `modeshift what-if` end to end: the written scenario reproduces the what-if's event hash with
// `modeshift run`; bad measure choices exit 2 naming the measure.
#include <gtest/gtest.h>

#include "cli_util.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

using modeshift::cli_test::CliRun;
using modeshift::cli_test::slurp;

fs::path scratch_dir() {
    return modeshift::cli_test::scratch_dir("modeshift_cli_what_if_");
}
CliRun run(const std::string& args, const fs::path& dir) {
    return modeshift::cli_test::run_cli(args, dir);
}

const std::string kBase = std::string(MODESHIFT_SOURCE_DIR) + "/scenarios/seogu-baseline.json";

}  // namespace

TEST(CliWhatIf, WrittenScenarioReproducesTheEventHash) {
    const fs::path dir = scratch_dir();
    const CliRun r =
        run("what-if --base " + kBase +
                " --set tram_line2 --set parking_charge=2500 --sample 0.01 --iterations 2"
                " --progress --out " +
                (dir / "wi").string(),
            dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("progress iteration=1 of=2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("progress iteration=2 of=2"), std::string::npos) << r.out;
    // (std::regex trips GCC 12's -Wmaybe-uninitialized in sanitizer builds: plain string search.)
    const auto at = r.out.find("event_hash=");
    ASSERT_NE(at, std::string::npos) << r.out;
    const std::string hash = r.out.substr(at + 11, r.out.find_first_of(" \n", at + 11) - (at + 11));
    ASSERT_EQ(hash.size(), 16u) << r.out;
    const auto scenario = nlohmann::json::parse(slurp(dir / "wi" / "scenario.json"));
    EXPECT_EQ(scenario["policies"].size(), 2u);
    EXPECT_DOUBLE_EQ(scenario["sample_fraction"].get<double>(), 0.01);
    const CliRun again = run("run " + (dir / "wi" / "scenario.json").string() +
                                 " --iterations 2 --quiet --out " + (dir / "again").string(),
                             dir);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto summary = nlohmann::json::parse(slurp(dir / "again" / "summary.json"));
    EXPECT_EQ(summary["event_hash"].get<std::string>(), hash);
}

TEST(CliWhatIf, UnknownMeasureOrBadValueExitsTwo) {
    const fs::path dir = scratch_dir();
    CliRun r =
        run("what-if --base " + kBase + " --set metro_line3 --out " + (dir / "x").string(), dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("metro_line3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--set"), std::string::npos) << r.err;
    r = run("what-if --base " + kBase + " --set bus_frequency=9 --out " + (dir / "x").string(),
            dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("outside"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "x" / "scenario.json")) << "nothing is written for a bad choice";
    r = run("what-if --base " + kBase + " --list", dir);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("트램"), std::string::npos);
}
