// The output-folder contract: checked before any work, locked, invalidated first, stale
// temporaries swept, the completion marker last.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "modeshift/core/error.hpp"
#include "modeshift/io/output_folder.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
fs::path fresh(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("modeshift_test_outfolder_" + name);
    fs::remove_all(d);
    return d;
}

std::string refusal(const fs::path& dir, const std::vector<fs::path>& inputs = {}) {
    try {
        OutputFolder::open(dir, "summary.json", inputs);
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "--out");
        return e.what();
    }
    return "<accepted>";
}
}  // namespace

TEST(OutputFolder, InvalidatesTheOldMarkerFirstAndWritesItLast) {
    const fs::path d = fresh("marker");
    fs::create_directories(d);
    std::ofstream(d / "summary.json") << "{\"old\": true}";
    {
        auto out = OutputFolder::open(d, "summary.json", {});
        EXPECT_FALSE(fs::exists(d / "summary.json"));  // clearly incomplete from here on
        std::ofstream(out.file("table.csv")) << "a\n";
        out.complete("{\"new\": true}");
    }
    std::ifstream in(d / "summary.json");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text, "{\"new\": true}");
}

TEST(OutputFolder, RefusesEmptyFilesAndInputsBeforeAnyWork) {
    EXPECT_NE(refusal(""), "<accepted>");
    const fs::path d = fresh("refuse");
    fs::create_directories(d);
    std::ofstream(d / "a_file") << "x";
    EXPECT_NE(refusal(d / "a_file").find("not a folder"), std::string::npos);
    EXPECT_NE(refusal(d, {d / "scenario.json"}).find("holds an input"), std::string::npos);
    EXPECT_NE(refusal(d / "sub" / "..", {d}).find("is an input"), std::string::npos);
}

TEST(OutputFolder, ASecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
    const fs::path d = fresh("lock");
    auto first = OutputFolder::open(d, "summary.json", {});
    // flock locks belong to the open file description: a second open in the same process is a
    // second writer too, as another process would be.
    const std::string why = refusal(d);
    EXPECT_NE(why.find("another modeshift process"), std::string::npos) << why;
    EXPECT_NE(why.find(std::to_string(::getpid())), std::string::npos) << why;
}

TEST(OutputFolder, SweepsTemporariesOfDeadRunsButKeepsOtherFiles) {
    const fs::path d = fresh("sweep");
    fs::create_directories(d);
    // A pid that has surely exited: a child we waited for.
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    const std::string dead = std::to_string(child);
    std::ofstream(d / ("links.csv.tmp" + dead)) << "half";
    std::ofstream(d / "notes.tmp.txt") << "mine";
    std::ofstream(d / "links.csv") << "whole";
    OutputFolder::open(d, "summary.json", {});
    EXPECT_FALSE(fs::exists(d / ("links.csv.tmp" + dead)));
    EXPECT_TRUE(fs::exists(d / "notes.tmp.txt"));
    EXPECT_TRUE(fs::exists(d / "links.csv"));
}

TEST(OutputFile, RefusesFoldersInputsAndEmptyNames) {
    const fs::path d = fresh("file");
    fs::create_directories(d);
    EXPECT_THROW(check_output_file("", {}), InputError);
    EXPECT_THROW(check_output_file(d, {}), InputError);
    EXPECT_THROW(check_output_file(d / "summary.json", {d / "summary.json"}), InputError);
    EXPECT_NO_THROW(check_output_file(d / "new" / "report.html", {d / "summary.json"}));
    EXPECT_TRUE(fs::is_directory(d / "new"));
    // Inside an input folder (a run folder compare reads): a derived name could replace an input.
    fs::create_directories(d / "run");
    EXPECT_THROW(check_output_file(d / "run" / "report.html", {d / "run"}), InputError);
    EXPECT_THROW(check_output_file(d / "run" / "sub" / "report.html", {d / "run"}), InputError);
    EXPECT_NO_THROW(check_output_file(d / "report.html", {d / "run"}));
    EXPECT_NO_THROW(check_output_file(d / "run2" / "report.html", {d / "run"}));
}
