#pragma once
/// Experienced link travel times per 15-minute bin, for time-dependent routing in replanning.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "modeshift/travel_plan/observer.hpp"

namespace modeshift {

/// Observer that averages traversal times per link and time bin (bin of the entry time).
/// Sums are kept in integer ms per partition, so the merge is exact and independent of the
/// thread count and of the order batches arrive in.
class LinkTravelTimes : public Observer {
  public:
    static constexpr TimeMs kDefaultBinMs = 15 * 60 * kMsPerSecond;  ///< 15-minute bins

    explicit LinkTravelTimes(TimeMs bin_ms = kDefaultBinMs);

    void begin(const RunInfo& info) override;
    void on_traversals(std::uint32_t partition, std::span<const Traversal> batch) override;
    void end() override;

    /// Mean traversal time (s) of vehicles entering `link` in the bin containing `at`;
    /// the link's free-flow time where nothing was observed.
    double time_s(LinkId link, TimeMs at) const;
    /// Vehicles observed entering `link` in the bin containing `at`.
    std::uint32_t count(LinkId link, TimeMs at) const;
    TimeMs bin_ms() const { return bin_ms_; }
    std::size_t bins() const { return bins_; }

  private:
    struct Acc {
        std::uint64_t sum_ms = 0;
        std::uint32_t n = 0;
    };
    std::size_t bin_of(TimeMs at) const;

    TimeMs bin_ms_;
    std::size_t bins_ = 0;
    const Network* net_ = nullptr;
    std::vector<std::unordered_map<std::uint64_t, Acc>> per_part_;  // key = link * bins + bin
    std::vector<float> mean_s_;                                     // dense link x bin, 0 = none
    std::vector<std::uint32_t> count_;
};

}  // namespace modeshift
