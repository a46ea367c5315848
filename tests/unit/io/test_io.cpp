#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/network_io.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
fs::path tmpdir() {
    auto p = fs::temp_directory_path() / ("modeshift_test_io_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
}

NetworkData sample() {
    NetworkBuilder b("sample", "unit test");
    auto n0 = b.add_node({36.3, 127.3}, "a");
    auto n1 = b.add_node({36.31, 127.3}, "b");
    LinkSpec s;
    s.from = n0;
    s.to = n1;
    s.length_m = 1111.5;
    s.capacity_vph = 1800;
    s.name = "계룡로";
    s.geometry = {{36.3, 127.3}, {36.305, 127.301}, {36.31, 127.3}};
    b.add_link(s);
    auto d = b.finish();
    Zone z;
    z.code = "1";
    z.name = "둔산1동";
    z.centroid = n0;
    z.attr_names = {"schools"};
    z.attr_values = {3};
    z.ring_first = {0, 3};
    z.ring_lat = {36.3, 36.31, 36.3};
    z.ring_lon = {127.3, 127.3, 127.31};
    d.zones.push_back(z);
    d.stops.push_back({"s1", "시청", 36.3, 127.3, n0, mode_bit(Mode::Bus)});
    TransitLine ln;
    ln.code = "L1";
    ln.stops = {StopId(0)};
    ln.links = {LinkId(0)};
    ln.stop_link_pos = {0};
    d.lines.push_back(ln);
    return d;
}
}  // namespace

TEST(NetworkIo, BinaryAndJsonRoundTripExactly) {
    auto dir = tmpdir();
    const auto d = sample();
    write_network_binary(d, dir / "n.msnet");
    write_network_json(d, dir / "n.msnet.json");
    EXPECT_EQ(read_network(dir / "n.msnet"), d);
    EXPECT_EQ(read_network(dir / "n.msnet.json"), d);
    EXPECT_EQ(Network(read_network(dir / "n.msnet.json")).content_hash(), Network(sample()).content_hash());
}

TEST(NetworkIo, TruncatedOrForeignFilesAreRefused) {
    auto dir = tmpdir();
    write_network_binary(sample(), dir / "n.msnet");
    auto bytes = read_file_bytes(dir / "n.msnet");
    write_text_atomic(dir / "trunc.msnet", bytes.substr(0, bytes.size() - 10));
    EXPECT_THROW(read_network(dir / "trunc.msnet"), InputError);
    auto corrupt = bytes;
    corrupt[bytes.size() - 3] ^= 0x55;
    write_text_atomic(dir / "corrupt.msnet", corrupt);
    try {
        read_network(dir / "corrupt.msnet");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos);
    }
    auto wrongver = bytes;
    wrongver[8] = 9;
    write_text_atomic(dir / "v9.msnet", wrongver);
    try {
        read_network(dir / "v9.msnet");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 9"), std::string::npos);
    }
    write_text_atomic(dir / "junk.msnet", "hello world");
    EXPECT_THROW(read_network(dir / "junk.msnet"), InputError);
}

// Regression (fuzz target msnet): a length prefix in the payload, behind a valid checksum, that
// claims a terabyte made the reader try to allocate it. It is refused before any allocation.
TEST(NetworkIo, ImpossibleLengthBehindValidChecksumIsRefused) {
    auto dir = tmpdir();
    write_network_binary(sample(), dir / "n.msnet");
    auto bytes = read_file_bytes(dir / "n.msnet");
    constexpr std::size_t kHeader = 28;  // magic, schema, checksum, payload size
    ASSERT_EQ(bytes[kHeader], 1);        // byte order flag, then the name's length (u64)
    const std::string huge = std::string("\x01\x00\x00\xfb\xff\x00\x00\x00", 8);
    bytes.replace(kHeader + 1, 8, huge);
    const auto sum = hash_bytes(bytes.data() + kHeader, bytes.size() - kHeader);
    for (int i = 0; i < 8; ++i) bytes[12 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
    write_text_atomic(dir / "huge.msnet", bytes);
    try {
        read_network(dir / "huge.msnet");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir / "huge.msnet").string());
        EXPECT_EQ(e.field(), "payload");
        EXPECT_NE(std::string(e.what()).find("impossible length"), std::string::npos) << e.what();
    }
}

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
    const InputError e("f.json", 3, std::string(100000, 'k'), "unknown kind '" + std::string(10'000'000, 'x') + "'");
    EXPECT_LT(std::string(e.what()).size(), 4000u);
    EXPECT_NE(std::string(e.what()).find("f.json:3"), std::string::npos);
    EXPECT_EQ(e.field().size(), 100000u);  // the accessors keep the whole value
}

TEST(NetworkIo, EditedJsonIsDetected) {
    auto dir = tmpdir();
    write_network_json(sample(), dir / "n.json");
    auto j = read_json_file(dir / "n.json");
    j["links"][0]["capacity_vph"] = 900;
    write_text_atomic(dir / "edited.json", j.dump());
    EXPECT_THROW(read_network(dir / "edited.json"), InputError);
    j.erase("content_hash");
    write_text_atomic(dir / "accepted.json", j.dump());
    EXPECT_EQ(read_network(dir / "accepted.json").links.capacity_vph[0], 900);
    j["links"][0]["to"] = 99;
    write_text_atomic(dir / "badnode.json", j.dump());
    try {
        read_network(dir / "badnode.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "links[0].to");
    }
}

TEST(Csv, QuotesBomCrlfAndMissingFinalNewline) {
    CsvReader r("t.csv", "\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n4,\"multi\nline\",6");
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
    EXPECT_THROW(write_file_atomic(dir / "x.txt", [](std::ostream&) { throw std::runtime_error("boom"); }),
                 std::runtime_error);
    EXPECT_FALSE(fs::exists(dir / "x.txt"));
    for (auto& e : fs::directory_iterator(dir))
        EXPECT_EQ(e.path().string().find("x.txt.tmp"), std::string::npos);
}
