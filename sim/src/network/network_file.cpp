// The binary form of network files (*.msnet), and the choice between the binary and JSON forms.
#include "modeshift/network/network_file.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <algorithm>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/little_endian.hpp"
#include "modeshift/io/portable_binary.hpp"
#include "modeshift/network/network.hpp"
#include "network_legacy.hpp"

namespace modeshift {
namespace {

constexpr FrameKind kNetworkFile{"MSNETBIN", "network file", kNetworkFileVersion,
                                 "rebuild the network with this version of modeshift"};

// Version 3: the frame around the payload before links had lanes_source (network_legacy.hpp).
constexpr std::uint32_t kVersionBeforeLanesSource = 3;
constexpr FrameKind kNetworkFileV3{"MSNETBIN", "network file", kVersionBeforeLanesSource,
                                   "rebuild the network with this version of modeshift"};

// Version 2, before the frame: "MSNETBIN" | u32 2 | u64 checksum | u64 payload size | payload.
// The payload is the same, so these files are still read (networks built by earlier releases).
constexpr std::uint32_t kVersionBeforeFrame = 2;
constexpr std::size_t kHeaderBeforeFrame = 8 + 4 + 8 + 8;

bool is_before_frame(std::string_view head) {
    return head.size() >= 12 && head.substr(0, 8) == kNetworkFile.magic &&
           get_le<std::uint32_t>(head, 8) == kVersionBeforeFrame;
}

std::string payload_before_frame(const std::filesystem::path& path) {
    const std::string head = read_file_head(path, kHeaderBeforeFrame);
    if (head.size() < kHeaderBeforeFrame)
        throw InputError(path.string(), 0, "header",
                         "truncated network file: the header is incomplete");
    FrameHeader h;
    h.version = kVersionBeforeFrame;
    h.checksum = get_le<std::uint64_t>(head, 12);
    h.payload_size = get_le<std::uint64_t>(head, 20);
    // One byte more than announced shows trailing bytes; the file's size bounds what is read.
    const std::string bytes = read_file_head(
        path, kHeaderBeforeFrame + std::min(h.payload_size, kNetworkFile.max_payload) + 1);
    std::string payload = bytes.substr(kHeaderBeforeFrame);
    check_frame_payload(h, payload, path.string(), kNetworkFile);
    return payload;
}

}  // namespace

void write_network_binary(const NetworkData& d, const std::filesystem::path& path) {
    const std::string payload = to_portable_binary(d);
    // The fingerprint of a network file is its content hash, which is the hash of this very
    // payload (network_content_hash).
    write_framed_file(path, kNetworkFile, hash_bytes(payload.data(), payload.size()), payload);
}

NetworkData read_network_binary(const std::filesystem::path& path) {
    const std::string file = path.string();
    const std::string head = read_file_head(path, 12);
    NetworkData d;
    if (is_before_frame(head)) {
        legacy::from_payload_v3(payload_before_frame(path), d, file);
    } else if (head.size() >= 12 && get_le<std::uint32_t>(head, 8) == kVersionBeforeLanesSource) {
        legacy::from_payload_v3(read_framed_file(path, kNetworkFileV3).payload, d, file);
    } else {
        from_portable_binary(read_framed_file(path, kNetworkFile).payload, d, file, "network");
    }
    validate_network_data(d, file);
    return d;
}

void write_network(const NetworkData& d, const std::filesystem::path& path) {
    if (path.string().ends_with(".json"))
        write_network_json(d, path);
    else
        write_network_binary(d, path);
}

NetworkData read_network(const std::filesystem::path& path) {
    const std::string head = read_file_head(path, kNetworkFile.magic.size());
    if (head == kNetworkFile.magic) return read_network_binary(path);
    if (!head.empty() && (head[0] == '{' || head[0] == ' ' || head[0] == '\n'))
        return read_network_json(path);
    throw InputError(path.string(), 0, "magic",
                     "not a modeshift network file (neither MSNETBIN nor JSON)");
}

}  // namespace modeshift
