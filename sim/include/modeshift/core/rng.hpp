#pragma once
/// Deterministic random streams. Every stream is derived from (master seed, purpose, entity id),
/// so adding one agent or policy never shifts another entity's draws, and no draw depends on
/// thread scheduling. Distributions are our own: std::*_distribution differ between libraries.
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>

#include "modeshift/core/hash.hpp"

namespace modeshift {

/// Named purposes keep streams of different uses apart even for the same entity id.
enum class RngPurpose : std::uint32_t {
    Population = 1,
    TripGeneration = 2,
    ModeChoice = 3,
    RouteChoice = 4,
    Replanning = 5,
    Engine = 6,
    Intersection = 7,
    Fleet = 8,
    Freight = 9,
    External = 10,
    Test = 99,
};

/// xoshiro256** seeded through SplitMix64. Small (32 bytes), fast, statistically solid.
class Rng {
  public:
    Rng(std::uint64_t seed, RngPurpose purpose, std::uint64_t entity, std::uint64_t sub = 0);

    std::uint64_t next_u64();
    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method, unbiased).
    std::uint64_t below(std::uint64_t n);
    /// Exponential with the given mean.
    double exponential(double mean) { return -mean * std::log1p(-uniform()); }
    /// Standard normal (Box-Muller; one value per call for simplicity and determinism).
    double normal();
    /// Standard Gumbel (location 0, scale 1): the error term of a multinomial logit.
    double gumbel() { return -std::log(-std::log1p(-uniform() * (1.0 - 1e-16))); }
    bool bernoulli(double p) { return uniform() < p; }
    /// Index drawn with probability proportional to weights (all >= 0, sum > 0).
    std::size_t weighted(std::span<const double> weights);

  private:
    std::uint64_t s_[4];
};

}  // namespace modeshift
