// The common frame of binary files: a round trip, and each header field refused by name.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/little_endian.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

constexpr FrameKind kTest{"MSTESTBN", "test file", 2, "write it again", 1000};
constexpr std::uint64_t kNet = 0x1a2b3c4d5e6f7081ULL;

fs::path scratch() {
    const auto p =
        fs::temp_directory_path() / ("modeshift_test_framed_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
}

/// The payload `read` returns, or "refused FIELD: MESSAGE" (the message starts with the file).
std::string outcome(const std::function<std::string()>& read) {
    try {
        return read();
    } catch (const InputError& e) {
        return "refused " + e.field() + ": " + e.what();
    }
}

/// What unframe makes of `bytes` for a reader that needs network `expected`.
std::string unframed(const std::string& bytes, std::uint64_t expected = kNet) {
    return outcome([&] {
        return std::string(unframe(bytes, "t.bin", kTest, ExpectedInput{"network", expected}));
    });
}

/// What read_framed_file makes of the file `path`.
std::string read_back(const fs::path& path) {
    return outcome([&] { return read_framed_file(path, kTest).payload; });
}

bool refused(const std::string& outcome, const std::string& field) {
    return outcome.rfind("refused " + field + ": ", 0) == 0;
}

std::string with_u64(std::string bytes, std::size_t at, std::uint64_t v) {
    std::string le;
    put_le<std::uint64_t>(le, v);
    bytes.replace(at, 8, le);
    return bytes;
}

}  // namespace

TEST(FramedFile, RoundTripsInMemoryAndOnDisk) {
    const std::string payload("some payload\0with a zero byte", 29);
    const std::string bytes = frame(kTest, kNet, payload);
    ASSERT_EQ(bytes.size(), kFrameHeaderSize + payload.size());
    EXPECT_EQ(bytes.substr(0, 8), "MSTESTBN");
    EXPECT_EQ(get_le<std::uint32_t>(bytes, 8), 2u);
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 12), kNet);
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 20), payload.size());
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 28), hash_bytes(payload.data(), payload.size()));
    EXPECT_EQ(unframed(bytes), payload);

    const auto file = scratch() / "a.bin";
    write_framed_file(file, kTest, kNet, payload);
    EXPECT_EQ(read_file_bytes(file), bytes);
    const FramedFile f = read_framed_file(file, kTest, ExpectedInput{"network", kNet});
    EXPECT_EQ(f.payload, payload);
    EXPECT_EQ(f.header.fingerprint, kNet);
    EXPECT_EQ(f.header.version, 2u);
    EXPECT_EQ(read_back(file), payload);  // without an expected input any fingerprint is taken
    EXPECT_EQ(unframed(frame(kTest, kNet, "")), "");
}

TEST(FramedFile, EachFieldIsRefusedByName) {
    const std::string good = frame(kTest, kNet, "payload");
    EXPECT_TRUE(refused(unframed(""), "magic"));
    EXPECT_TRUE(refused(unframed("MSTEST"), "magic"));
    EXPECT_TRUE(refused(unframed("{\"json\": true}"), "magic"));
    EXPECT_TRUE(
        refused(unframed(frame(FrameKind{"MSOTHERB", "other", 2, ""}, kNet, "payload")), "magic"));
    EXPECT_TRUE(refused(unframed(good.substr(0, 20)), "header"));

    std::string v3 = good;
    v3[8] = 3;
    EXPECT_EQ(unframed(v3),
              "refused schema_version: t.bin: field 'schema_version': test file schema version 3, "
              "this build reads 2: "
              "write it again");
    EXPECT_EQ(unframed(good, 0x3c4d000000000001ULL),
              "refused network: t.bin: field 'network': made for network 1a2b3c4d5e6f7081 but the "
              "run uses network "
              "3c4d000000000001");

    EXPECT_TRUE(refused(unframed(good.substr(0, good.size() - 1)), "payload"));
    EXPECT_NE(unframed(good.substr(0, good.size() - 1)).find("truncated"), std::string::npos);
    EXPECT_NE(unframed(good + "x").find("trailing"), std::string::npos);
    EXPECT_TRUE(
        refused(unframed(with_u64(good, 20, 5000)), "payload_size"));  // over the cap of 1000
    EXPECT_TRUE(refused(unframed(with_u64(good, 20, ~0ULL)), "payload_size"));
    std::string flipped = good;
    flipped.back() ^= 0x20;
    EXPECT_TRUE(refused(unframed(flipped), "checksum"));
    EXPECT_TRUE(refused(unframed(with_u64(good, 28, 1)), "checksum"));
}

TEST(FramedFile, FilesAreCheckedLikeBytes) {
    const auto dir = scratch();
    const std::string good = frame(kTest, kNet, std::string(600, 'p'));
    write_text_atomic(dir / "cut.bin", good.substr(0, 100));
    write_text_atomic(dir / "long.bin", good + "junk");
    write_text_atomic(dir / "huge.bin", with_u64(good, 20, 1ULL << 62));
    write_text_atomic(dir / "v9.bin", std::string(good).replace(8, 1, "\x09"));
    EXPECT_TRUE(refused(read_back(dir / "cut.bin"), "payload"));
    EXPECT_NE(read_back(dir / "cut.bin").find((dir / "cut.bin").string() + ": "),
              std::string::npos);
    EXPECT_TRUE(refused(read_back(dir / "long.bin"), "payload"));
    EXPECT_TRUE(refused(read_back(dir / "huge.bin"), "payload_size"));
    EXPECT_TRUE(refused(read_back(dir / "v9.bin"), "schema_version"));
    EXPECT_NE(read_back(dir / "missing.bin").find("not found"), std::string::npos);
    EXPECT_NE(read_back(dir).find("directory"), std::string::npos);
}

// A character device never ends: it must be refused from its type, before any read, and so must
// a pipe (opening one for reading would wait for a writer).
TEST(FramedFile, SpecialFilesAreRefusedUnread) {
    const auto start = std::chrono::steady_clock::now();
    for (const char* dev : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
        if (!fs::exists(dev)) continue;
        EXPECT_EQ(read_back(dev), std::string("refused : ") + dev +
                                      ": is a device, pipe or socket, expected a regular file");
        EXPECT_THROW(read_file_head(dev, 8), InputError);
    }
    const auto fifo = scratch() / "fifo";
    fs::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_TRUE(refused(read_back(fifo), ""));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(FramedFile, FileHeadReadsNoMoreThanAsked) {
    const auto file = scratch() / "head.bin";
    write_text_atomic(file, "0123456789");
    EXPECT_EQ(read_file_head(file, 4), "0123");
    EXPECT_EQ(read_file_head(file, 1'000'000'000'000),
              "0123456789");  // bounded by the file, not by n
    EXPECT_EQ(read_file_head(file, 0), "");
}
