// Output folders and options, as a new user meets them: every situation of the "run folders"
// review (an empty, occupied, locked or input-holding --out; a rerun into a used folder; a sweep
// resumed after its scenario changed; out-of-range threads, seeds, iterations, loops and gaps;
// an --out equal to an input) gives a clear message and a non-zero exit with nothing stale,
// mixed or overwritten — or, where the use is valid, works and leaves only its own files.
// Each case is a row: set-up, the command, the exit code, words of the message, a final check.
#include <gtest/gtest.h>
#include <sys/file.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "cli_util.hpp"

namespace {

namespace fs = std::filesystem;
using modeshift::cli_test::run_cli;
using modeshift::cli_test::slurp;

const std::string kSrc = MODESHIFT_SOURCE_DIR;

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

/// A scenario of 0.5 % of the city (about 2 s a day) in `dir`.
std::string tiny(const fs::path& dir, const std::string& name = "tiny.json",
                 const std::string& extra = "") {
    write(dir / name, "{\"extends\": \"" + kSrc +
                          "/scenarios/seogu-baseline.json\", \"sample_fraction\": 0.005" + extra +
                          "}\n");
    return (dir / name).string();
}

/// `modeshift ARGS`, expected to succeed (set-up steps of a case).
void must_run(const std::string& args, const fs::path& dir) {
    const auto r = run_cli(args, dir);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
}

struct Situation {
    std::string name;
    /// Prepares the case folder; returns the command's arguments.
    std::function<std::string(const fs::path& dir)> setup;
    int exit_code = 2;
    std::vector<std::string> expect;  ///< words of stderr
    /// What must hold afterwards (nothing overwritten, nothing stale).
    std::function<void(const fs::path& dir)> check = [](const fs::path&) {};
};

std::ostream& operator<<(std::ostream& o, const Situation& s) {
    return o << s.name;
}

const std::string kRun1 = " --iterations 1 --quiet --threads 2";
/// The lock a case holds as "another process" while the command runs.
int g_held_lock = -1;

std::vector<Situation> situations() {
    std::vector<Situation> v;
    // ---- --out of a run
    v.push_back({"RunOutEmpty",
                 [](const fs::path& d) { return "run " + tiny(d) + " --out ''" + kRun1; },
                 1,
                 {"--out", "empty"},
                 [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "run.msrun")); }});
    v.push_back({"RunOutIsAFile",
                 [](const fs::path& d) {
                     write(d / "notes.txt", "keep me");
                     return "run " + tiny(d, "s/tiny.json") + " --out " +
                            (d / "notes.txt").string() + kRun1;
                 },
                 2,
                 {"notes.txt", "--out", "not a folder"},
                 [](const fs::path& d) { EXPECT_EQ(slurp(d / "notes.txt"), "keep me"); }});
    v.push_back(
        {"RunOutHoldsTheScenario",
         [](const fs::path& d) { return "run " + tiny(d) + " --out " + d.string() + kRun1; },
         2,
         {"--out", "holds an input", "tiny.json"},
         [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "summary.json")); }});
    v.push_back({"RunOutIsTheWarmStart",
                 [](const fs::path& d) {
                     must_run("run " + tiny(d) + " --out " + (d / "base").string() + kRun1, d);
                     return "run " + tiny(d) + " --out " + (d / "base").string() +
                            " --warm-start " + (d / "base").string() + kRun1;
                 },
                 2,
                 {"--out", "input"},
                 [](const fs::path& d) { EXPECT_TRUE(fs::exists(d / "base" / "summary.json")); }});
    v.push_back({"RunOutLockedByAnotherProcess",
                 [](const fs::path& d) {
                     fs::create_directories(d / "busy");
                     // Held by this test process for the command's whole life (closed at exit).
                     const int fd = ::open((d / "busy" / ".modeshift.lock").c_str(),
                                           O_RDWR | O_CREAT | O_CLOEXEC, 0644);
                     EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
                     EXPECT_EQ(::write(fd, "4242", 4), 4);
                     g_held_lock = fd;
                     return "run " + tiny(d) + " --out " + (d / "busy").string() + kRun1;
                 },
                 2,
                 {"another modeshift process", "4242"},
                 [](const fs::path& d) {
                     EXPECT_FALSE(fs::exists(d / "busy" / "run.msrun"));
                     ::close(g_held_lock);
                 }});
    v.push_back({"RunRerunLeavesNoFileOfTheEarlierRun",
                 [](const fs::path& d) {
                     must_run("run " + tiny(d) + " --out " + (d / "r").string() +
                                  " --save-plans --trips-csv --seed 7" + kRun1,
                              d);
                     write(d / "r" / "validation.json", "{}");
                     return "run " + tiny(d) + " --out " + (d / "r").string() + kRun1;
                 },
                 0,
                 {},
                 [](const fs::path& d) {
                     for (const char* f : {"plans.bin", "trips.csv", "validation.json"})
                         EXPECT_FALSE(fs::exists(d / "r" / f)) << f << " of the earlier run";
                     EXPECT_NE(slurp(d / "r" / "summary.json").find("\"seed\": 2024"),
                               std::string::npos);
                 }});
    v.push_back({"RunRecordsItsWarmStartAndDayLimit",
                 [](const fs::path& d) {
                     must_run("run " + tiny(d) + " --out " + (d / "base").string() + kRun1, d);
                     return "run " + tiny(d) + " --out " + (d / "w").string() + " --warm-start " +
                            (d / "base").string() + kRun1;
                 },
                 0,
                 {},
                 [](const fs::path& d) {
                     const std::string s = slurp(d / "w" / "summary.json");
                     EXPECT_NE(s.find("\"warm_start\": \"" + (d / "base").string()),
                               std::string::npos);
                     EXPECT_NE(s.find("\"iterations_limit\": 1"), std::string::npos);
                 }});
    // ---- options out of range: refused before any work (exit 1, the option named)
    // No structured binding here: clang 14 cannot capture one in a lambda.
    for (const auto& name_opt : std::vector<std::pair<std::string, std::string>>{
             {"RunThreadsHuge", "--threads 100000"},
             {"RunThreadsNegative", "--threads -1"},
             {"RunIterationsZero", "--iterations 0"},
             {"RunIterationsNegative", "--iterations -3"},
             {"RunSeedNegative", "--seed -1"}}) {
        const std::string opt = name_opt.second;
        v.push_back({name_opt.first,
                     [opt](const fs::path& d) {
                         return "run " + tiny(d) + " --out " + (d / "o").string() + " " + opt;
                     },
                     1,
                     {opt.substr(0, opt.find(' '))},
                     [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "o")); }});
    }
    v.push_back({"SweepSeedNegative",
                 [](const fs::path& d) {
                     return "sweep " + tiny(d) + " --seeds 1,-1 --out " + (d / "sw").string();
                 },
                 1,
                 {"--seeds", "-1"},
                 [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "sw")); }});
    v.push_back({"SweepJobsZero",
                 [](const fs::path& d) {
                     return "sweep " + tiny(d) + " --jobs 0 --out " + (d / "sw").string();
                 },
                 1,
                 {"--jobs"}});
    v.push_back({"AssignThreadsHuge",
                 [](const fs::path&) {
                     return "assign --net " + kSrc + "/networks/daejeon/daejeon.msnet --trips x " +
                            "--out r.json --threads 65537";
                 },
                 1,
                 {"--threads"}});
    v.push_back({"AssignGapNegativeShortMessage",
                 [](const fs::path&) {
                     return std::string("assign --net a --trips b --out r.json --gap -1");
                 },
                 1,
                 {"--gap"}});
    v.push_back({"CalibrateLoopsZero",
                 [](const fs::path& d) {
                     return "calibrate " + tiny(d) + " --targets " + tiny(d, "t.json") +
                            " --out asc.csv --loops 0";
                 },
                 1,
                 {"--loops"},
                 [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "asc.csv")); }});
    // ---- an output equal to an input: refused, the input untouched
    v.push_back({"CalibrateOutIsTheScenario",
                 [](const fs::path& d) {
                     return "calibrate " + tiny(d) + " --targets " + tiny(d, "t.json") + " --out " +
                            (d / "tiny.json").string();
                 },
                 2,
                 {"--out", "is an input"},
                 [](const fs::path& d) {
                     EXPECT_NE(slurp(d / "tiny.json").find("sample_fraction"), std::string::npos);
                 }});
    v.push_back(
        {"ImportTntpOutIsTheNet",
         [](const fs::path& d) {
             write(d / "x_net.tntp", "<NUMBER OF ZONES> 1\n");
             return "import tntp --net " + (d / "x_net.tntp").string() + " --out " +
                    (d / "x_net.tntp").string();
         },
         2,
         {"--out", "is an input"},
         [](const fs::path& d) { EXPECT_EQ(slurp(d / "x_net.tntp"), "<NUMBER OF ZONES> 1\n"); }});
    v.push_back({"NetworkConvertOntoItself",
                 [](const fs::path& d) {
                     fs::copy_file(kSrc + "/networks/daejeon/daejeon.msnet", d / "n.msnet");
                     return "network convert " + (d / "n.msnet").string() + " " +
                            (d / "n.msnet").string();
                 },
                 2,
                 {"is an input"},
                 [](const fs::path& d) {
                     EXPECT_EQ(fs::file_size(d / "n.msnet"),
                               fs::file_size(kSrc + "/networks/daejeon/daejeon.msnet"));
                 }});
    v.push_back({"WhatIfOutHoldsTheBaseline",
                 [](const fs::path& d) {
                     fs::copy_file(kSrc + "/scenarios/measures.json", d / "measures.json");
                     return "what-if --base " + tiny(d) + " --measures " +
                            (d / "measures.json").string() + " --out " + d.string();
                 },
                 2,
                 {"--out", "holds an input"},
                 [](const fs::path& d) { EXPECT_FALSE(fs::exists(d / "scenario.json")); }});
    v.push_back({"ValidateOutIsAFile",
                 [](const fs::path& d) {
                     must_run("run " + tiny(d) + " --out " + (d / "r").string() + kRun1, d);
                     write(d / "v.txt", "keep");
                     return "validate " + (d / "r").string() + " --out " + (d / "v.txt").string();
                 },
                 2,
                 {"--out", "not a folder"},
                 [](const fs::path& d) { EXPECT_EQ(slurp(d / "v.txt"), "keep"); }});
    // ---- a sweep resumed after its inputs changed redoes the run and says why
    v.push_back({"SweepRedoesARunWhoseScenarioChanged",
                 [](const fs::path& d) {
                     must_run(
                         "sweep " + tiny(d) + " --seeds 1 --out " + (d / "sw").string() + kRun1, d);
                     tiny(d, "tiny.json", ", \"description\": \"edited\"");
                     return "sweep " + tiny(d, "tiny.json", ", \"description\": \"edited\"") +
                            " --seeds 1 --out " + (d / "sw").string() + kRun1;
                 },
                 0,
                 {},
                 [](const fs::path& d) {
                     const std::string table = slurp(d / "sw" / "sweep.csv");
                     EXPECT_NE(table.find(",ran,"), std::string::npos) << table;
                     EXPECT_NE(table.find("redone: the scenario or a file it reads changed"),
                               std::string::npos)
                         << table;
                 }});
    v.push_back({"SweepRedoesARunOfAnotherDayLimit",
                 [](const fs::path& d) {
                     must_run(
                         "sweep " + tiny(d) + " --seeds 1 --out " + (d / "sw").string() + kRun1, d);
                     return "sweep " + tiny(d) + " --seeds 1 --out " + (d / "sw").string() +
                            " --iterations 2 --quiet --threads 2";
                 },
                 0,
                 {},
                 [](const fs::path& d) {
                     EXPECT_NE(slurp(d / "sw" / "sweep.csv")
                                   .find("redone: it ran with an iteration limit of 1, not 2"),
                               std::string::npos);
                 }});
    return v;
}

class CliFolders : public ::testing::TestWithParam<Situation> {};

TEST_P(CliFolders, ClearMessageNonZeroExitNothingStaleOrOverwritten) {
    const Situation& s = GetParam();
    const fs::path dir = modeshift::cli_test::scratch_dir("modeshift_cli_folders_");
    const std::string args = s.setup(dir);
    if (HasFatalFailure()) return;
    const auto r = run_cli(args, dir);
    EXPECT_EQ(r.exit_code, s.exit_code) << args << "\nstderr: " << r.err;
    EXPECT_LT(r.err.size(), 2000u) << "a message should be short: " << r.err.substr(0, 3000);
    for (const auto& e : s.expect)
        EXPECT_NE(r.err.find(e), std::string::npos) << "missing '" << e << "' in: " << r.err;
    s.check(dir);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

INSTANTIATE_TEST_SUITE_P(Table, CliFolders, ::testing::ValuesIn(situations()),
                         [](const ::testing::TestParamInfo<Situation>& i) { return i.param.name; });

}  // namespace
