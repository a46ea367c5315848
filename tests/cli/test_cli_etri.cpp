// `modeshift import etri-signals` on broken plan files: exit code 2 and a message naming the
// file, the line and the field; on the hand-made junction it writes the matched-plans file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../unit/import_etri/etri_fixture.hpp"
#include "cli_util.hpp"

namespace {

namespace fs = std::filesystem;
using modeshift::cli_test::run_cli_with_timeout;
using modeshift::cli_test::scratch_dir;

const std::string kNetwork = std::string(MODESHIFT_SOURCE_DIR) + "/networks/daejeon/daejeon.msnet";

struct Case {
    const char* file;
    const char* from;
    const char* to;
    const char* expect;  ///< "file:line: field 'name'"
};

TEST(CliEtri, BadPlanFilesExitTwoNamingFileLineAndField) {
    for (const Case& c : {
             Case{"tss.xml", R"(duration="40")", R"(duration="-4")", "tss.xml:9: field 'duration'"},
             Case{"tss.xml", R"(schedule="2")", R"(schedule="9")", "tss.xml:25: field 'schedule'"},
             Case{"tss.xml", R"(crossNo="7")", R"(crossNo="")", "tss.xml:3: field 'crossNo'"},
             Case{"node.xml", R"(x="127.383")", R"(x="east")", "node.xml:5: field 'x'"},
             Case{"edge.xml", R"(<edge id="nin" from="N")", R"(<edge id="nin" from="N"<)",
                  "edge.xml:3: field 'xml'"},
             Case{"connection.xml", R"(tl="J" linkIndex="7")", R"(tl="J" linkIndex="8")",
                  "connection.xml:10: field 'linkIndex'"},
         }) {
        const fs::path dir = scratch_dir("modeshift_cli_etri_");
        modeshift::test::write_etri_fixture(dir / "etri");
        std::ifstream in(dir / "etri" / c.file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, std::string(c.from).size(), c.to);
        std::ofstream(dir / "etri" / c.file) << text;
        const auto r = run_cli_with_timeout("import etri-signals --etri " +
                                                (dir / "etri").string() + " --network " + kNetwork +
                                                " --out " + (dir / "out.csv").string(),
                                            dir);
        EXPECT_EQ(r.exit_code, 2) << c.to << "\n" << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(dir / "out.csv"));
        fs::remove_all(dir);
    }
}

TEST(CliEtri, WritesTheMatchedPlansAndSaysWhatDidNotMatch) {
    const fs::path dir = scratch_dir("modeshift_cli_etri_");
    modeshift::test::write_etri_fixture(dir / "etri");
    // The hand-made junction lies in Daejeon but on no road node of the bundled network.
    const auto r =
        run_cli_with_timeout("import etri-signals --etri " + (dir / "etri").string() +
                                 " --network " + kNetwork + " --out " + (dir / "out.csv").string(),
                             dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("matched 0 of 1 junctions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("not matched: 7 시험네거리: no road node of the network within 50 m"),
              std::string::npos)
        << r.out;
    EXPECT_TRUE(fs::exists(dir / "out.csv"));
    fs::remove_all(dir);
}

}  // namespace
