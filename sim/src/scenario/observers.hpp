#pragma once
// Observers the runner needs between iterations: per-trip outcomes and car link times.
#include <vector>

#include "modeshift/engine/link_times.hpp"
#include "modeshift/travel_plan/observer.hpp"

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

/// Passengers left behind by full vehicles, per line, stop index and period: turned into an
/// expected extra wait (vehicles missed per boarding x headway) for the next day's skims.
class StopCrowding : public Observer {
  public:
    void begin(const RunInfo& info) override;
    void on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) override;
    void end() override;
    /// Extra minutes of waiting at (line, stop index, period); 0 without observations.
    double extra_wait_min(LineId l, std::size_t k, int period) const;

  private:
    struct Acc {
        double left_behind = 0, boarded = 0;
    };
    const Network* net_ = nullptr;
    std::vector<std::uint32_t> first_;  // per line: offset of its stops
    std::vector<std::vector<Acc>> parts_;
    std::vector<Acc> total_;
};

}  // namespace modeshift
