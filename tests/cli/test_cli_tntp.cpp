// `modeshift import tntp` and `modeshift assign` end to end: outputs, exit codes, error messages.
#include <gtest/gtest.h>

#include "cli_util.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

using modeshift::cli_test::slurp;

struct CliRun {
    int exit_code = -1;
    std::string stderr_text;
};

fs::path scratch_dir() {
    return modeshift::cli_test::scratch_dir("modeshift_cli_tntp_");
}

CliRun run(const std::string& args, const fs::path& dir) {
    const auto r = modeshift::cli_test::run_cli(args, dir);
    return {r.exit_code, r.err};
}

fs::path tntp(const std::string& file) {
    return fs::path(MODESHIFT_SHARED_DATA) / "tntp" / file;
}

TEST(CliTntp, BadNetworkFileExitsTwoWithFileAndLine) {
    const fs::path dir = scratch_dir();
    const fs::path bad = dir / "bad_net.tntp";
    std::ofstream(bad) << "<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n"
                          "<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 -5 1 1 0.15 4 0 0 1 ;\n";
    const CliRun r =
        run("import tntp --net " + bad.string() + " --out " + (dir / "x.msnet").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(bad.string() + ":6"), std::string::npos) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find("capacity"), std::string::npos) << r.stderr_text;
    EXPECT_FALSE(fs::exists(dir / "x.msnet"));
}

TEST(CliTntp, BadTripsFileExitsTwoWithFileAndLine) {
    if (!fs::exists(tntp("Braess_net.tntp"))) GTEST_SKIP() << "shared data not found";
    const fs::path dir = scratch_dir();
    const fs::path bad = dir / "bad_trips.tntp";
    std::ofstream(bad) << "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 3 : 6.0;\n";
    const CliRun r = run("assign --net " + tntp("Braess_net.tntp").string() + " --trips " +
                             bad.string() + " --out " + (dir / "r.json").string(),
                         dir);
    EXPECT_EQ(r.exit_code, 2) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(bad.string() + ":4"), std::string::npos) << r.stderr_text;
    EXPECT_FALSE(fs::exists(dir / "r.json"));
}

TEST(CliTntp, ImportThenAssignSiouxFalls) {
    if (!fs::exists(tntp("SiouxFalls_net.tntp"))) GTEST_SKIP() << "shared data not found";
    const fs::path dir = scratch_dir();
    const fs::path net = dir / "SiouxFalls.msnet";
    CliRun r = run("import tntp --net " + tntp("SiouxFalls_net.tntp").string() + " --trips " +
                       tntp("SiouxFalls_trips.tntp").string() + " --nodes " +
                       tntp("SiouxFalls_node.tntp").string() + " --out " + net.string(),
                   dir);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    ASSERT_TRUE(fs::exists(net));
    r = run("assign --net " + net.string() + " --trips " + tntp("SiouxFalls_trips.tntp").string() +
                " --gap 1e-5 --threads 2 --out " + (dir / "r.json").string() + " --flows " +
                (dir / "flows.csv").string(),
            dir);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    const auto j = nlohmann::json::parse(slurp(dir / "r.json"));
    EXPECT_EQ(j.at("algorithm"), "bfw");
    EXPECT_LE(j.at("relative_gap").get<double>(), 1e-5);
    EXPECT_NEAR(j.at("tstt").get<double>(), 7'480'225.345, 7'480'225.345 * 5e-4);
    EXPECT_GT(j.at("iterations").get<int>(), 1);
    EXPECT_TRUE(j.contains("beckmann_objective") && j.contains("wall_s"));
    const std::string csv = slurp(dir / "flows.csv");
    EXPECT_EQ(csv.rfind("from,to,flow,time,cost\n1,2,", 0), 0u) << csv.substr(0, 80);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 77);
}

}  // namespace
