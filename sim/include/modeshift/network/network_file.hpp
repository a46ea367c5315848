#pragma once
/// Network files. Both forms carry a schema version and the content hash, so a stale, foreign or
/// damaged file is refused with a clear message.
///  - binary (*.msnet): the common frame (io/framed_file.hpp): magic "MSNETBIN", file version,
///    fingerprint = the content hash, payload size, checksum; the payload is the cereal portable
///    binary of NetworkData. Files of version 3 (links without lanes_source) and 2 (the header
///    before the frame) are still read; their links' lanes_source is "unspecified".
///  - JSON (*.msnet.json): {"format": "modeshift-network", "schema_version": N,
///    "content_hash": "...", ...}
#include <cstdint>
#include <filesystem>

#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Schema of the JSON form, its "schema_version". 2: node control (signals). 3: zone attributes
/// as [name, value] pairs in their stored order (2 wrote an object, whose member order JSON does
/// not keep, so a binary -> JSON -> binary round trip changed the content hash). 4: each link's
/// "lanes_source" (where its lanes come from; absent = "unspecified").
inline constexpr std::uint32_t kNetworkSchemaVersion = 4;
/// The oldest JSON schema still read: 2 and 3 differ only in the attributes' form and the
/// missing lanes_source, both read too (their content hash is checked as they computed it).
inline constexpr std::uint32_t kNetworkSchemaVersionRead = 2;
/// Version of the binary form. 3: the common frame around the schema-2 payload (2 was the same
/// payload behind a header without fingerprint). 4: links carry lanes_source (last link field).
inline constexpr std::uint32_t kNetworkFileVersion = 4;

void write_network_binary(const NetworkData& d, const std::filesystem::path& path);
NetworkData read_network_binary(const std::filesystem::path& path);
void write_network_json(const NetworkData& d, const std::filesystem::path& path);
NetworkData read_network_json(const std::filesystem::path& path);

/// Writes JSON if the name ends in ".json", binary otherwise.
void write_network(const NetworkData& d, const std::filesystem::path& path);
/// Detects the form from the first bytes.
NetworkData read_network(const std::filesystem::path& path);

}  // namespace modeshift
