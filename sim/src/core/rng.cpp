#include "modeshift/core/rng.hpp"

#include "modeshift/core/error.hpp"

namespace modeshift {
namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}
}  // namespace

Rng::Rng(std::uint64_t seed, RngPurpose purpose, std::uint64_t entity, std::uint64_t sub) {
    // Hash the four coordinates into one key, then expand it with SplitMix64 steps.
    Hasher h(seed);
    h.add_u64(static_cast<std::uint64_t>(purpose));
    h.add_u64(entity);
    h.add_u64(sub);
    std::uint64_t x = h.value();
    for (auto& s : s_) {
        x += 0x9e3779b97f4a7c15ULL;
        s = mix64(x);
    }
}

std::uint64_t Rng::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Rng::below(std::uint64_t n) {
    MS_ASSERT(n > 0, "Rng::below(0)");
    __extension__ using u128 = unsigned __int128;
    u128 m = static_cast<u128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<u128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double Rng::normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

std::size_t Rng::weighted(std::span<const double> weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    MS_ASSERT(total > 0.0 && !weights.empty(), "weighted draw needs a positive total weight");
    double r = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (r < weights[i]) return i;
        r -= weights[i];
    }
    // Floating-point leftovers: return the last positive weight.
    for (std::size_t i = weights.size(); i-- > 0;)
        if (weights[i] > 0) return i;
    return weights.size() - 1;
}

}  // namespace modeshift
