#pragma once
/// One frame around every binary file modeshift writes (the network file, the run file and the
/// saved plans), so that each is checked the same way, field by field, before its payload is
/// decoded (the idea of OSRM's fingerprint.hpp):
///
///   bytes  field          (integers little-endian)
///   8      magic          names the kind: "MSNETBIN", "MSRUNBIN", "MSPLANSB"
///   4      schema_version u32, of the payload
///   8      fingerprint    u64: what the file was made for (a network's content hash), so that a
///                         file made for one network is refused for another
///   8      payload_size   u64
///   8      checksum       u64: hash_bytes (core/hash.hpp) of the payload
///   n      payload
///
/// Readers take regular files only (a device such as /dev/zero never ends) and read the header
/// before anything else: the payload is read only when the file holds exactly the announced size
/// and that size is under the kind's cap. Every refusal is an InputError naming the file and the
/// field.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "modeshift/io/input_file.hpp"

namespace modeshift {

/// A kind of framed file.
struct FrameKind {
    std::string_view magic;   ///< exactly 8 bytes
    std::string_view name;    ///< for messages: "network file", "run file", ...
    std::uint32_t version;    ///< the schema version this build writes and reads
    std::string_view remedy;  ///< how to get a file this build reads (said on a version mismatch)
    /// Larger payloads are refused unread (io/input_file.hpp says why this cap).
    std::uint64_t max_payload = kBinaryInput.max_bytes;
};

inline constexpr std::size_t kFrameHeaderSize = 8 + 4 + 8 + 8 + 8;

struct FrameHeader {
    std::uint32_t version = 0;
    std::uint64_t fingerprint = 0;
    std::uint64_t payload_size = 0;
    std::uint64_t checksum = 0;
};

/// The input a reader needs the file to be made for, e.g. {"network", its content hash}.
struct ExpectedInput {
    std::string_view what;
    std::uint64_t fingerprint = 0;
};

/// Header and payload, as written to disk.
std::string frame(const FrameKind& kind, std::uint64_t fingerprint, std::string_view payload);
/// Writes frame(kind, fingerprint, payload) atomically to `path`.
void write_framed_file(const std::filesystem::path& path, const FrameKind& kind,
                       std::uint64_t fingerprint, std::string_view payload);

struct FramedFile {
    FrameHeader header;
    std::string payload;
};

/// Reads `path` and checks magic, schema version, the fingerprint (when `expect` is given),
/// payload size and checksum, in that order.
FramedFile read_framed_file(const std::filesystem::path& path, const FrameKind& kind,
                            const std::optional<ExpectedInput>& expect = std::nullopt);
/// The same checks on bytes in memory (`origin` names them in errors); returns the payload, a
/// view into `bytes`.
std::string_view unframe(std::string_view bytes, const std::string& origin, const FrameKind& kind,
                         const std::optional<ExpectedInput>& expect = std::nullopt);

/// Checks magic, schema version and fingerprint of the first bytes of a file (all of the header
/// must be there) and returns the header.
FrameHeader check_frame_header(std::string_view head, const std::string& origin,
                               const FrameKind& kind, const std::optional<ExpectedInput>& expect);
/// Checks that `payload` is what `h` announces: its size (and the cap of `kind`) and checksum.
void check_frame_payload(const FrameHeader& h, std::string_view payload, const std::string& origin,
                         const FrameKind& kind);

/// The refusal of a schema version this build does not read, also for text forms that carry one
/// (field "$.schema_version" of a JSON network).
[[noreturn]] void refuse_schema_version(const std::string& origin, const std::string& field,
                                        std::string_view name, long long found, std::uint32_t reads,
                                        std::string_view remedy);

/// The refusal of a file made for another input: "made for network 1a2b... but the run uses
/// network 3c4d..." (field `what`), also for text files that name their network.
[[noreturn]] void refuse_other_input(const std::string& origin, std::uint64_t line,
                                     std::string_view what, std::string_view made_for,
                                     std::string_view in_use);

/// The first `n` bytes of a regular file (all of it if shorter). A missing file, a directory or
/// a special file (device, pipe, socket) is an InputError naming it.
std::string read_file_head(const std::filesystem::path& path, std::size_t n);

}  // namespace modeshift
