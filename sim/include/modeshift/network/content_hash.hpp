#pragma once
#include <cstdint>

#include "modeshift/network/network_data.hpp"

namespace modeshift {
/// Stable 64-bit hash of the full network content (hash of its portable binary serialisation).
std::uint64_t network_content_hash(const NetworkData& d);
}  // namespace modeshift
