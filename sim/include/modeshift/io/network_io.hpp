#pragma once
/// Network files. Both forms start with a magic, a schema version and the content hash, so a
/// stale, foreign or damaged file is refused with a clear message.
///  - binary  (*.msnet):      "MSNETBIN" | u32 schema | u64 content hash | u64 payload size | cereal payload
///  - JSON    (*.msnet.json): {"format": "modeshift-network", "schema_version": N, "content_hash": "...", ...}
#include <filesystem>

#include "modeshift/network/network_data.hpp"

namespace modeshift {

inline constexpr std::uint32_t kNetworkSchemaVersion = 2;  // 2: node control (signals)

void write_network_binary(const NetworkData& d, const std::filesystem::path& path);
NetworkData read_network_binary(const std::filesystem::path& path);
void write_network_json(const NetworkData& d, const std::filesystem::path& path);
NetworkData read_network_json(const std::filesystem::path& path);

/// Writes JSON if the name ends in ".json", binary otherwise.
void write_network(const NetworkData& d, const std::filesystem::path& path);
/// Detects the form from the first bytes.
NetworkData read_network(const std::filesystem::path& path);

}  // namespace modeshift
