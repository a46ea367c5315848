#pragma once
// Observers the runner needs between iterations: per-trip outcomes and car link times.
#include <vector>

#include "modeshift/engine/link_times.hpp"
#include "modeshift/engine/observer.hpp"

namespace modeshift {

/// Keeps every TripOutcome, indexed by trip id after end().
class TripLog : public Observer {
public:
    void begin(const RunInfo& info) override;
    void on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) override;
    void end() override;
    /// Outcome of trip t (valid after end(); `trip` is invalid if the engine never reported it).
    const std::vector<TripOutcome>& outcomes() const { return by_trip_; }

private:
    std::vector<std::vector<TripOutcome>> parts_;
    std::vector<TripOutcome> by_trip_;
};

/// Link travel times observed by cars and taxis only: bikes and buses (which dwell at stops)
/// would distort the times drivers route on.
class CarLinkTimes : public Observer {
public:
    void begin(const RunInfo& info) override;
    void on_traversals(std::uint32_t partition, std::span<const Traversal> batch) override;
    void end() override { inner_.end(); }
    const LinkTravelTimes& times() const { return inner_; }

private:
    LinkTravelTimes inner_;
    std::vector<std::uint8_t> is_car_type_;
    std::vector<std::vector<Traversal>> buf_;
};

}  // namespace modeshift
