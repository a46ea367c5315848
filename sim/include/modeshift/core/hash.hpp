#pragma once
/// A fast, stable 64-bit hash for content hashes and the ordered event-stream hash.
/// Stable across platforms and library versions (unlike std::hash), so it may be stored in files.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace modeshift {

/// SplitMix64 finaliser: a bijective mix with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Order-sensitive incremental hash: combine(a, b) != combine(b, a).
class Hasher {
  public:
    explicit constexpr Hasher(std::uint64_t seed = 0x6d6f6465736869ULL) : h_(mix64(seed)) {}
    constexpr void add_u64(std::uint64_t v) { h_ = mix64(h_ ^ mix64(v + 0x632be59bd9b4e019ULL)); }
    template <class T>
    requires std::is_arithmetic_v<T> || std::is_enum_v<T>
    void add(T v) {
        std::uint64_t bits = 0;
        static_assert(sizeof(T) <= 8);
        std::memcpy(&bits, &v, sizeof(T));
        add_u64(bits ^ (static_cast<std::uint64_t>(sizeof(T)) << 56));
    }
    void add_bytes(const void* data, std::size_t n);
    void add_string(std::string_view s) { add_bytes(s.data(), s.size()); }
    [[nodiscard]] constexpr std::uint64_t value() const { return h_; }

  private:
    std::uint64_t h_;
};

/// Hash of a byte buffer (used for file checksums and input hashes).
std::uint64_t hash_bytes(const void* data, std::size_t n);
/// 16 lowercase hex digits.
std::string hex64(std::uint64_t v);

}  // namespace modeshift
