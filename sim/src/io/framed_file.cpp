#include "modeshift/io/framed_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/io/little_endian.hpp"

namespace modeshift {
namespace {

/// The next `n` bytes of a regular file, or all that are left: never more memory than the file.
std::string read_up_to(std::ifstream& in, std::size_t n) {
    const auto at = in.tellg();
    in.seekg(0, std::ios::end);
    const auto left = static_cast<std::uint64_t>(in.tellg() - at);
    in.seekg(at);
    std::string s(static_cast<std::size_t>(std::min<std::uint64_t>(n, left)), '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

std::string frame_header(const FrameKind& kind, std::uint64_t fingerprint,
                         std::string_view payload) {
    MS_ASSERT(kind.magic.size() == 8, "a frame's magic has 8 bytes");
    std::string h(kind.magic);
    put_le<std::uint32_t>(h, kind.version);
    put_le<std::uint64_t>(h, fingerprint);
    put_le<std::uint64_t>(h, payload.size());
    put_le<std::uint64_t>(h, hash_bytes(payload.data(), payload.size()));
    return h;
}

/// `present` payload bytes follow the header: the announced size, which is under the cap.
void check_payload_size(const FrameHeader& h, std::uint64_t present, const std::string& origin,
                        const FrameKind& kind) {
    if (h.payload_size > kind.max_payload)
        throw InputError(origin, 0, "payload_size",
                         fmt::format("{} bytes, more than a {} may hold ({} bytes)", h.payload_size,
                                     kind.name, kind.max_payload));
    if (present < h.payload_size)
        throw InputError(origin, 0, "payload",
                         fmt::format("truncated {}: {} of {} payload bytes present", kind.name,
                                     present, h.payload_size));
    if (present > h.payload_size)
        throw InputError(origin, 0, "payload",
                         fmt::format("{} trailing bytes after the payload of the {}",
                                     present - h.payload_size, kind.name));
}

}  // namespace

std::string frame(const FrameKind& kind, std::uint64_t fingerprint, std::string_view payload) {
    std::string out = frame_header(kind, fingerprint, payload);
    out.append(payload);
    return out;
}

void write_framed_file(const std::filesystem::path& path, const FrameKind& kind,
                       std::uint64_t fingerprint, std::string_view payload) {
    const std::string header = frame_header(kind, fingerprint, payload);
    write_file_atomic(
        path,
        [&](std::ostream& out) {
            out.write(header.data(), static_cast<std::streamsize>(header.size()));
            out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
        },
        true);
}

FrameHeader check_frame_header(std::string_view head, const std::string& origin,
                               const FrameKind& kind, const std::optional<ExpectedInput>& expect) {
    if (head.substr(0, kind.magic.size()) != kind.magic)
        throw InputError(
            origin, 0, "magic",
            fmt::format("not a modeshift {} (expected magic {})", kind.name, kind.magic));
    if (head.size() < kFrameHeaderSize)
        throw InputError(origin, 0, "header",
                         fmt::format("truncated {}: {} of the {} header bytes present", kind.name,
                                     head.size(), kFrameHeaderSize));
    FrameHeader h;
    h.version = get_le<std::uint32_t>(head, 8);
    h.fingerprint = get_le<std::uint64_t>(head, 12);
    h.payload_size = get_le<std::uint64_t>(head, 20);
    h.checksum = get_le<std::uint64_t>(head, 28);
    if (h.version != kind.version)
        refuse_schema_version(origin, "schema_version", kind.name, h.version, kind.version,
                              kind.remedy);
    if (expect && h.fingerprint != expect->fingerprint)
        refuse_other_input(origin, 0, expect->what, hex64(h.fingerprint),
                           hex64(expect->fingerprint));
    return h;
}

void check_frame_payload(const FrameHeader& h, std::string_view payload, const std::string& origin,
                         const FrameKind& kind) {
    check_payload_size(h, payload.size(), origin, kind);
    if (hash_bytes(payload.data(), payload.size()) != h.checksum)
        throw InputError(origin, 0, "checksum",
                         fmt::format("corrupt {}: checksum mismatch", kind.name));
}

FramedFile read_framed_file(const std::filesystem::path& path, const FrameKind& kind,
                            const std::optional<ExpectedInput>& expect) {
    const std::string origin = path.string();
    std::ifstream in = open_input_file(path);
    FramedFile f;
    f.header = check_frame_header(read_up_to(in, kFrameHeaderSize), origin, kind, expect);
    // The size comes from the file, never from the header alone: a header claiming terabytes
    // cannot make the reader allocate them.
    in.seekg(0, std::ios::end);
    check_payload_size(f.header, static_cast<std::uint64_t>(in.tellg()) - kFrameHeaderSize, origin,
                       kind);
    f.payload.resize(f.header.payload_size);
    in.seekg(static_cast<std::streamoff>(kFrameHeaderSize));
    if (!in.read(f.payload.data(), static_cast<std::streamsize>(f.payload.size())))
        throw InputError(origin, 0, "payload",
                         "cannot read the payload (was the file changed while it was read?)");
    check_frame_payload(f.header, f.payload, origin, kind);
    return f;
}

std::string_view unframe(std::string_view bytes, const std::string& origin, const FrameKind& kind,
                         const std::optional<ExpectedInput>& expect) {
    const FrameHeader h =
        check_frame_header(bytes.substr(0, kFrameHeaderSize), origin, kind, expect);
    const std::string_view payload = bytes.substr(kFrameHeaderSize);
    check_frame_payload(h, payload, origin, kind);
    return payload;
}

void refuse_schema_version(const std::string& origin, const std::string& field,
                           std::string_view name, long long found, std::uint32_t reads,
                           std::string_view remedy) {
    throw InputError(
        origin, 0, field,
        fmt::format("{} schema version {}, this build reads {}: {}", name, found, reads, remedy));
}

void refuse_other_input(const std::string& origin, std::uint64_t line, std::string_view what,
                        std::string_view made_for, std::string_view in_use) {
    throw InputError(
        origin, line, std::string(what),
        fmt::format("made for {0} {1} but the run uses {0} {2}", what, made_for, in_use));
}

std::string read_file_head(const std::filesystem::path& path, std::size_t n) {
    std::ifstream in = open_input_file(path);
    return read_up_to(in, n);
}

}  // namespace modeshift
