#include <gtest/gtest.h>

#include <filesystem>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/little_endian.hpp"
#include "modeshift/record/run_file.hpp"
#include "record_fixture.hpp"

using namespace modeshift;
using namespace modeshift::test;

namespace {
constexpr std::size_t kHeader = 36;  // the frame: magic, version, fingerprint, size, checksum

/// `bytes` with the frame's checksum recomputed over the payload (as the fuzz target does), so
/// that damage behind it reaches the decoder.
std::string with_checksum(std::string bytes) {
    std::string sum;
    put_le<std::uint64_t>(sum, hash_bytes(bytes.data() + kHeader, bytes.size() - kHeader));
    return bytes.replace(28, 8, sum);
}
}  // namespace

TEST(RunFile, RoundTripIsIdentical) {
    const auto net = square_network();
    const auto run = recorded_run(net, 3);
    EXPECT_EQ(run.movements.vehicle_count(), 22u);
    EXPECT_EQ(run.movements.traversal_count(), day_traversals().size());
    EXPECT_EQ(run.movements.vehicle_line[0], 1u);  // bus on line 0
    EXPECT_EQ(run.network_hash, net.content_hash());
    EXPECT_EQ(run.geometry.zones.at(0).name, "둔산1동");
    EXPECT_EQ(run.geometry.link_first[5] - run.geometry.link_first[4],
              3u);  // bent link keeps its points
    const auto dir = std::filesystem::temp_directory_path() / "modeshift_test_record";
    const auto path = dir / "run.msrun";
    write_run_file(path, run);
    const auto back = read_run_file(path);
    EXPECT_TRUE(back == run);
    EXPECT_EQ(back.movements, run.movements);
    EXPECT_EQ(back.stop_calls, run.stop_calls);
    EXPECT_EQ(back.counters, run.counters);
    EXPECT_DOUBLE_EQ(back.mode_shares()[mode_index(Mode::Car)], 2.0 / 3.0);
    std::filesystem::remove_all(dir);
}

TEST(RunFile, FrameCarriesVersionAndNetworkHash) {
    const auto net = square_network();
    const auto bytes = encode_run_file(recorded_run(net, 2));
    EXPECT_EQ(bytes.substr(0, 8), "MSRUNBIN");
    EXPECT_EQ(get_le<std::uint32_t>(bytes, 8), kRunFileSchemaVersion);
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 12), net.content_hash());
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 20), bytes.size() - kHeader);
    auto v1 = bytes;
    v1[8] = 1;  // a file of the version before the frame
    try {
        decode_run_file(v1, "run.msrun");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "schema_version");
        EXPECT_NE(std::string(e.what()).find("run.msrun: field 'schema_version': run file schema "
                                             "version 1, this build reads 2"),
                  std::string::npos)
            << e.what();
    }
    if (std::filesystem::exists("/dev/zero")) {
        EXPECT_THROW(read_run_file("/dev/zero"), InputError);
    }
}

TEST(RunFile, BeginStartsAFreshDay) {
    const auto net = square_network();
    const auto types = vehicle_types();
    RunRecorder rec;
    rec.begin(run_info(net, types, 1));
    const auto all = day_traversals();
    rec.on_traversals(0, all);
    rec.end();
    rec.begin(run_info(net, types, 1));
    rec.on_traversals(0, std::span<const Traversal>(all.data(), 2));
    rec.end();
    EXPECT_EQ(rec.movements().traversal_count(), 2u);
}

TEST(RunFile, RefusesMissingForeignTruncatedCorruptAndWrongVersion) {
    const auto net = square_network();
    const auto bytes = encode_run_file(recorded_run(net, 2));
    EXPECT_THROW(read_run_file("/nonexistent/run.msrun"), InputError);
    EXPECT_THROW(decode_run_file("{\"type\": \"FeatureCollection\"}", "x.geojson"), InputError);
    EXPECT_THROW(decode_run_file("", "empty"), InputError);
    for (std::size_t cut : {std::size_t{10}, std::size_t{40}, bytes.size() / 2, bytes.size() - 1})
        EXPECT_THROW(decode_run_file(bytes.substr(0, cut), "cut"), InputError) << cut;
    auto flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x5a;
    try {
        decode_run_file(flipped, "flipped.msrun");
        FAIL() << "corrupt file accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
        EXPECT_EQ(e.file(), "flipped.msrun");
    }
    auto version = bytes;
    version[8] = 99;
    try {
        decode_run_file(version, "old.msrun");
        FAIL() << "wrong version accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("version 99"), std::string::npos) << e.what();
    }
}

// Regression (fuzz target msrun): a length prefix behind a valid checksum claiming ~800 PB made
// the reader try to allocate it; it is refused as impossible before any allocation.
TEST(RunFile, ImpossibleLengthBehindValidChecksumIsRefused) {
    const auto net = square_network();
    auto bytes = encode_run_file(recorded_run(net, 2));
    ASSERT_EQ(bytes[kHeader], 1);  // byte order flag, then the scenario name's length (u64)
    bytes.replace(kHeader + 1, 8, std::string("\x01\x80\x00\x00\x00\x00\x0b\x00", 8));
    try {
        decode_run_file(with_checksum(bytes), "huge.msrun");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "huge.msrun");
        EXPECT_EQ(e.field(), "payload");
        EXPECT_NE(std::string(e.what()).find("impossible length"), std::string::npos) << e.what();
    }
}

TEST(RunFile, CorruptMovementBlockIsRefusedNeverCrashes) {
    // Damage behind a valid checksum (worst case): each outcome is a clean decode or an
    // InputError, never a crash, a hang or an out-of-range link.
    const auto net = square_network();
    const auto run = recorded_run(net, 2);
    const auto blob = encode_movements(run.geometry, run.movements);
    EXPECT_EQ(decode_movements(run.geometry, 3, 1, blob, "ok"), run.movements);
    int refused = 0;
    for (std::size_t pos = 0; pos < blob.size(); ++pos)
        for (unsigned char mask : {0x01, 0x80, 0xff}) {
            auto b = blob;
            b[pos] = static_cast<char>(b[pos] ^ mask);
            try {
                const auto m = decode_movements(run.geometry, 3, 1, b, "fuzz");
                for (auto l : m.link) ASSERT_LT(l, run.geometry.link_count());
            } catch (const InputError&) {
                ++refused;
            }
        }
    EXPECT_GT(refused, 0);
    EXPECT_THROW(decode_movements(run.geometry, 3, 1, blob.substr(0, blob.size() - 1), "cut"),
                 InputError);
}

// Regression (fuzz target msrun): a header claiming four billion nodes made the decoder size a
// per-node table by it (16 GB). The successor tables now follow the links only.
TEST(RunFile, HugeNodeCountDecodesWithoutPerNodeTables) {
    const auto net = square_network();
    auto run = recorded_run(net, 2);
    run.geometry.node_count = 0xfffffff0u;
    const auto blob = encode_movements(run.geometry, run.movements);
    EXPECT_EQ(decode_movements(run.geometry, 3, 1, blob, "many_nodes"), run.movements);
    EXPECT_TRUE(decode_run_file(encode_run_file(run), "many_nodes.msrun") == run);
}

// Regression (fuzz target msrun): a time step near 2^63 overflowed the sum of the previous
// time and the step (UBSan). Steps are now bounded before they are added. The file is the
// fuzzer's input; its checksum is recomputed as the fuzz target does.
TEST(RunFile, HugeTimeStepIsRefusedWithoutOverflow) {
    const auto bytes = read_file_bytes(std::filesystem::path(MODESHIFT_SOURCE_DIR) /
                                       "tests/unit/record/data/time_step_overflow.msrun");
    ASSERT_GT(bytes.size(), kHeader);
    try {
        decode_run_file(with_checksum(bytes), "overflow.msrun");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "overflow.msrun");
        EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    }
}

TEST(RunFile, CounterSeriesInterpolates) {
    CounterSeries c;
    c.step_ms = 60'000;
    c.names = {"a", "b"};
    c.values = {10, 1, 20, 2};
    EXPECT_EQ(c.rows(), 2u);
    EXPECT_EQ(c.column("b"), 1);
    EXPECT_EQ(c.column("zz"), -1);
    EXPECT_DOUBLE_EQ(c.at_time(0, 0), 0.0);
    EXPECT_DOUBLE_EQ(c.at_time(0, 30'000), 5.0);
    EXPECT_DOUBLE_EQ(c.at_time(0, 60'000), 10.0);
    EXPECT_DOUBLE_EQ(c.at_time(1, 90'000), 1.5);
    EXPECT_DOUBLE_EQ(c.at_time(0, 10 * 60'000), 20.0);
}
