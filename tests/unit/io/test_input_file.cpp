// io/input_file.hpp: only regular files, within a cap per kind of input; and read_json_file's
// refusal of duplicate keys.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/io/json_util.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

fs::path scratch() {
    const auto d =
        fs::temp_directory_path() / ("modeshift_input_file_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

fs::path write(const std::string& name, const std::string& text) {
    const auto p = scratch() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

/// The message of the InputError `f` throws, or "<accepted>".
template <class F>
std::string refusal(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<accepted>";
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(InputFile, ReadsARegularFileWithinItsCap) {
    const auto p = write("ok.txt", "twelve bytes");
    EXPECT_EQ(read_input_file(p, InputCap{"test file", 12}), "twelve bytes");
    EXPECT_EQ(check_input_file(p, InputCap{"test file", 12}), 12u);
}

TEST(InputFile, ALargerFileIsRefusedUnreadNamingTheCap) {
    const auto p = write("big.txt", "thirteen byte");
    const std::string m = refusal([&] { read_input_file(p, InputCap{"test file", 12}); });
    EXPECT_TRUE(has(m, p.string())) << m;
    EXPECT_TRUE(has(m, "13 bytes, more than a test file may hold (12 bytes)")) << m;
    // A sparse file of 300 MiB: over the JSON cap, refused from its size without reading it.
    const auto sparse = scratch() / "sparse.json";
    std::ofstream(sparse) << "{";
    fs::resize_file(sparse, 300 * kMiB);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(has(refusal([&] { read_json_file(sparse); }), "more than a JSON file may hold"));
    EXPECT_TRUE(has(refusal([&] { check_input_file(sparse, kJsonInput); }), "300.0 MiB"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    fs::remove(sparse);
}

TEST(InputFile, SpecialFilesAreRefusedByEveryReader) {
    const auto start = std::chrono::steady_clock::now();
    for (const char* dev : {"/dev/zero", "/dev/urandom"}) {
        if (!fs::exists(dev)) continue;
        for (const std::string& m :
             {refusal([&] { read_json_file(dev); }), refusal([&] { CsvReader r(dev); }),
              refusal([&] { read_input_file(dev, kBinaryInput); }),
              refusal([&] { open_input_file(dev); })})
            EXPECT_EQ(m,
                      std::string(dev) + ": is a device, pipe or socket, expected a regular file");
    }
    const auto fifo = scratch() / "fifo";
    fs::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_TRUE(has(refusal([&] { read_json_file(fifo); }), "expected a regular file"));
    EXPECT_TRUE(has(refusal([&] { read_input_file(scratch(), kTextInput); }), "is a directory"));
    EXPECT_TRUE(has(refusal([&] { read_input_file(scratch() / "nope", kTextInput); }),
                    "cannot open file: not found"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(InputFile, CheckInputSizeNamesOriginAndField) {
    const std::string m = refusal([] {
        check_input_size(5 * kMiB, InputCap{"zip entry", kMiB}, "f.zip", "a.txt");
    });
    EXPECT_TRUE(has(m, "f.zip: field 'a.txt': 5.0 MiB, more than a zip entry may hold (1.0 MiB)"))
        << m;
    EXPECT_NO_THROW(check_input_size(kMiB, InputCap{"zip entry", kMiB}, "f.zip", "a.txt"));
}

TEST(JsonDuplicateKeys, RefusedWithTheirPath) {
    const auto top = write("top.json", R"({"a": 1, "b": 2, "a": 3})");
    const std::string m = refusal([&] { read_json_file(top); });
    EXPECT_TRUE(has(m, top.string() + ": field '$.a': duplicate key")) << m;
    const auto deep = write("deep.json", R"({"a": [1, {"b": [{}, {"c": 1, "c": 1}]}]})");
    EXPECT_TRUE(has(refusal([&] { read_json_file(deep); }), "field '$.a[1].b[1].c'"));
    const auto after = write("after.json", R"({"x": [[1, 2], {"y": {}}], "z": {"k": 1, "k": 2}})");
    EXPECT_TRUE(has(refusal([&] { read_json_file(after); }), "field '$.z.k'"));
}

TEST(JsonDuplicateKeys, TheSameKeyInSeparateObjectsIsFine) {
    const auto p =
        write("fine.json", R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}, {"k": 4}]})");
    const Json j = read_json_file(p);
    EXPECT_EQ(j["c"][1]["k"], 4);
    EXPECT_EQ(parse_json_text(R"({"k": [1, {"k": 2}]})", "text")["k"][1]["k"], 2);
}
