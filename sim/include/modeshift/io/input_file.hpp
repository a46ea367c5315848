#pragma once
/// Opening a file that a user named. Every reader of user input comes through here, so that a
/// wrong path fails at once with a clear message instead of hanging or filling memory:
///  - only regular files: a device never ends (/dev/zero, /dev/urandom) and a FIFO may never
///    deliver, so anything that is not a regular file is refused before a byte is read;
///  - at most a cap per kind of input, checked against the file's size before it is read (and
///    the read stops there even if the file grows meanwhile).
/// Readers of a binary header (framed_file.hpp) open with open_input_file and read the header
/// first; readers that need the whole text use read_input_file.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace modeshift {

/// The largest input of one kind, and what the refusal calls it.
struct InputCap {
    std::string_view what;  ///< "JSON file", "text file", "binary file"
    std::uint64_t max_bytes = 0;
};

inline constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

/// JSON documents: scenarios, parameter and policy files, pathways, measures, JSON networks,
/// summaries. The largest the project makes is the bundled Daejeon network as JSON (5.7 MB); a
/// JSON network of a city ten times as large still fits 40 times over. nlohmann::json holds about
/// ten times the text in memory, so the cap also keeps a parse within a few GB.
inline constexpr InputCap kJsonInput{"JSON file", 256 * kMiB};
/// Text tables and documents read whole: CSV (parameter tables, GTFS, link_times.csv, counts),
/// TNTP, BIS text, SUMO XML (also after decompression). The largest bundled is 3 MB (Chicago
/// trips); a national GTFS stop_times.txt is some hundred MB, under this cap.
inline constexpr InputCap kTextInput{"text file", 1024 * kMiB};
/// Binary inputs read whole: OSM PBF extracts, GTFS zip archives, and the largest payload a
/// framed file (network, plans, run file) may announce. Bundled: 1.8 MB (the Daejeon network);
/// a regional PBF or a full-sample plans file of a city is some hundred MB to a few GB.
inline constexpr InputCap kBinaryInput{"binary file", 4096 * kMiB};

/// Refuses `path` unless it is a regular file of at most `cap.max_bytes`; returns its size.
/// InputError names the file: missing, a directory, a device/pipe/socket, or too large.
std::uint64_t check_input_file(const std::filesystem::path& path, const InputCap& cap);

/// Opens a regular file for binary reading (no size cap: the caller reads a header first and
/// bounds the rest by it). Refusals as check_input_file.
std::ifstream open_input_file(const std::filesystem::path& path);

/// All bytes of a regular file of at most `cap.max_bytes`.
std::string read_input_file(const std::filesystem::path& path, const InputCap& cap);

/// The same limit for bytes that did not come from a file of their own (a zip entry, gzip
/// output): InputError naming `origin` and `field` when `bytes` exceeds the cap.
void check_input_size(std::uint64_t bytes, const InputCap& cap, const std::string& origin,
                      const std::string& field);

}  // namespace modeshift
