#pragma once
/// Atomic output: write to a temporary file beside the target, flush, then rename over it.
/// An interrupted run never leaves a half-written output under the final name.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace modeshift {

/// Calls `write` with a stream to a temp file, then renames it to `path`.
/// Throws std::runtime_error naming the path if any step fails (the temp file is removed).
void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write, bool binary = false);
void write_text_atomic(const std::filesystem::path& path, std::string_view text);

/// Whole file as bytes; throws InputError naming the file if it cannot be read, is not a regular
/// file or is larger than any input may be (io/input_file.hpp: readers of one kind of input use
/// read_input_file with that kind's cap).
std::string read_file_bytes(const std::filesystem::path& path);

}  // namespace modeshift
