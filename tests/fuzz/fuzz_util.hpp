#pragma once
// Shared pieces of the libFuzzer targets: a scratch folder per process, writing the input to a
// file there, and running a reader so that only modeshift::InputError counts as a clean refusal.
// Any other exception escapes LLVMFuzzerTestOneInput and libFuzzer reports it as a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/little_endian.hpp"

namespace modeshift::fuzz {

/// A fresh folder for this process (removed at exit): fuzz jobs may run side by side.
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        const char* base = std::getenv("MODESHIFT_FUZZ_TMP");
        auto d =
            std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
            ("modeshift_fuzz_" + std::to_string(::getpid()));
        std::filesystem::remove_all(d);
        std::filesystem::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratch(), ec);
        });
        return d;
    }();
    return dir;
}

inline std::filesystem::path write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

/// Writes the input as `name` in the scratch folder and returns its path.
inline std::filesystem::path input_file(const std::string& name, const std::uint8_t* data,
                                        std::size_t size) {
    return write_file(scratch() / name,
                      std::string_view(reinterpret_cast<const char*>(data), size));
}

inline std::string as_string(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// `bytes` with the checksum at `checksum_at` recomputed over all after the first `header` bytes
/// (when there are that many), so that mutations of a binary file reach the decoder behind its
/// checksum. The defaults are the common frame's (io/framed_file.hpp).
inline std::string with_checksum(std::string bytes, std::size_t header = kFrameHeaderSize,
                                 std::size_t checksum_at = 28) {
    if (bytes.size() < header) return bytes;
    std::string sum;
    put_le<std::uint64_t>(sum, hash_bytes(bytes.data() + header, bytes.size() - header));
    bytes.replace(checksum_at, 8, sum);
    return bytes;
}

/// Runs `read`; InputError is the documented answer to bad input and is swallowed.
template <class F>
void refuse_cleanly(F&& read) {
    try {
        read();
    } catch (const InputError&) {
    }
}

}  // namespace modeshift::fuzz
