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
///
/// Fault injection for the kill tests (tests/cli/kill_steps.sh): with the environment variable
/// MODESHIFT_KILL_BEFORE=NAME[#K] the process SIGKILLs itself when the K-th (default first) file
/// named NAME is complete under its temporary name but not yet renamed — every step of a
/// command's output can so be interrupted at a known place, not at a guessed moment.
void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write, bool binary = false);
void write_text_atomic(const std::filesystem::path& path, std::string_view text);

/// The temporary name write_file_atomic uses for `path` ("<path>.tmp<pid>"), for writers that
/// must open the file themselves (a library writing the workbook) ...
std::filesystem::path temporary_for(const std::filesystem::path& path);
/// ... and the last step, shared with write_file_atomic: renames the complete temporary into
/// place (where the kill point above can interrupt it).
void commit_temporary(const std::filesystem::path& tmp, const std::filesystem::path& path);

/// Whole file as bytes; throws InputError naming the file if it cannot be read, is not a regular
/// file or is larger than any input may be (io/input_file.hpp: readers of one kind of input use
/// read_input_file with that kind's cap).
std::string read_file_bytes(const std::filesystem::path& path);

}  // namespace modeshift
