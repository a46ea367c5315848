#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
fs::path tmpdir() {
    auto p = fs::temp_directory_path() / ("modeshift_test_io_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
}
}  // namespace

// Regression: a number too large for a double (1e999) escaped as nlohmann's out_of_range.
TEST(Json, NumberOverflowNamesFileAndLine) {
    auto dir = tmpdir();
    write_text_atomic(dir / "big.json", "{\"a\": 1,\n \"b\": 1e999}");
    try {
        read_json_file(dir / "big.json");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(std::string(e.what()).find("1e999"), std::string::npos) << e.what();
    }
    EXPECT_THROW(read_json_file(dir), InputError);  // a directory is refused by name
}

TEST(InputError, HugeValuesAreCutInTheMessage) {
    const InputError e("f.json", 3, std::string(100000, 'k'),
                       "unknown kind '" + std::string(10'000'000, 'x') + "'");
    EXPECT_LT(std::string(e.what()).size(), 4000u);
    EXPECT_NE(std::string(e.what()).find("f.json:3"), std::string::npos);
    EXPECT_EQ(e.field().size(), 100000u);  // the accessors keep the whole value
}

TEST(Csv, QuotesBomCrlfAndMissingFinalNewline) {
    CsvReader r("t.csv",
                "\xEF\xBB\xBF"
                "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n4,\"multi\nline\",6");
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.get("b"), "x, \"y\"");
    EXPECT_EQ(r.get_double("c"), 3);
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.line(), 4u);
    EXPECT_EQ(r.get("b"), "multi\nline");
    EXPECT_FALSE(r.next());
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
    CsvReader r("t.csv", "a,b\n1,2\n3,nan\n5\n");
    ASSERT_TRUE(r.next());
    ASSERT_TRUE(r.next());
    try {
        r.get_double("b");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.field(), "b");
    }
    EXPECT_THROW(r.get("zzz"), InputError);
    EXPECT_THROW(r.next(), InputError);  // wrong field count on line 4
    EXPECT_THROW(CsvReader("e.csv", ""), InputError);
    CsvReader q("q.csv", "a\n\"open");
    EXPECT_THROW(q.next(), InputError);
}

TEST(Csv, NonEmptyFieldNamesWhatIsMissing) {
    CsvReader r("t.csv", "key,source\na,doc\nb,\n");
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.get_nonempty("source", "every value needs a source"), "doc");
    ASSERT_TRUE(r.next());
    try {
        r.get_nonempty("source", "every value needs a source");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.field(), "source");
        EXPECT_NE(std::string(e.what()).find("every value needs a source"), std::string::npos);
    }
}

TEST(Csv, HashPreambleLinesComeBeforeTheHeader) {
    CsvReader r("p.csv", "# network 1a2b rows 1\r\n# second\na,b\n1,2\n", ',',
                CsvPreamble::HashLines);
    EXPECT_EQ(r.preamble(), (std::vector<std::string>{"# network 1a2b rows 1", "# second"}));
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.line(), 4u);
    EXPECT_EQ(r.get("b"), "2");
    try {
        r.get("c");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);  // the header's line, after the preamble
    }
    EXPECT_THROW(CsvReader("only.csv", "# nothing else\n", ',', CsvPreamble::HashLines),
                 InputError);
    // Without the option a '#' line is the header, as before.
    CsvReader plain("plain.csv", "#a,b\n1,2\n");
    EXPECT_TRUE(plain.preamble().empty());
    EXPECT_TRUE(plain.has_column("#a"));
}

TEST(Json, CursorErrorsCarryPath) {
    Json j = Json::parse(R"({"policies":[{"kind":"fare","factor":"x"}]})");
    JsonCursor c(j, "s.json");
    try {
        c.at("policies").at(0).number("factor");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "$.policies[0].factor");
    }
    EXPECT_THROW(c.at("policies").at(0).only_keys({"kind"}), InputError);
}

TEST(AtomicFile, NoTempLeftBehindOnFailure) {
    auto dir = tmpdir();
    EXPECT_THROW(
        write_file_atomic(dir / "x.txt", [](std::ostream&) { throw std::runtime_error("boom"); }),
        std::runtime_error);
    EXPECT_FALSE(fs::exists(dir / "x.txt"));
    for (auto& e : fs::directory_iterator(dir))
        EXPECT_EQ(e.path().string().find("x.txt.tmp"), std::string::npos);
}
