#include "modeshift/core/hash.hpp"

#include <fmt/format.h>

namespace modeshift {

void Hasher::add_bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    add_u64(n);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        add_u64(w);
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i < n; ++i, ++k) tail |= static_cast<std::uint64_t>(p[i]) << (8 * k);
    add_u64(tail);
}

std::uint64_t hash_bytes(const void* data, std::size_t n) {
    Hasher h;
    h.add_bytes(data, n);
    return h.value();
}

std::string hex64(std::uint64_t v) {
    return fmt::format("{:016x}", v);
}

}  // namespace modeshift
