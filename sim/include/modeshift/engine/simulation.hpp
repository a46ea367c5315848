#pragma once
/// The parallel discrete-event engine: one simulated day of a PlanSet over a Network.
/// Results (including event_hash) are bit-identical for any thread count.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "modeshift/network/network.hpp"
#include "modeshift/travel_plan/observer.hpp"
#include "modeshift/travel_plan/plan_set.hpp"
#include "modeshift/travel_plan/signal_plan.hpp"

namespace modeshift {

struct EngineConfig {
    std::uint64_t seed = 1;
    int threads = 0;                  ///< 0 = all hardware threads
    TimeMs end_ms = 30 * kMsPerHour;  ///< hard stop; travellers still en route are reported stuck
    TimeMs stuck_ms =
        300 * kMsPerSecond;  ///< a vehicle blocked this long at a link end is pushed through
    /// Share of the population simulated; road flow/storage and transit capacities are scaled by
    /// it.
    double sample_fraction = 1.0;
    double walk_speed_mps = 1.2;  ///< see scenarios/parameters for sources
    double bike_speed_mps = 4.2;
    double bike_lane_speed_factor = 1.15;  ///< bike speed multiplier on links with a bike lane
    double backward_wave_speed_mps =
        15.0 / 3.6;                    ///< space freed downstream reaches upstream at this speed
    double bus_dwell_base_s = 10;      ///< door open/close + pull in/out
    double bus_dwell_per_pax_s = 2.0;  ///< per boarding or alighting passenger
    double rail_dwell_s = 30;
    /// Vehicle type of each line's vehicles, indexed by LineId. Empty (or a short vector) = the
    /// first vehicle type whose mode equals the line's mode.
    std::vector<VehicleTypeId> line_vehicle_type;
    /// Spatial partitions (0 = derived from the network size). Never derived from the thread
    /// count: the partitioning fixes the event order, so results do not depend on threads.
    std::uint32_t partitions = 0;
    /// Upper bound of a synchronisation window (the window is the smaller of this and the
    /// minimum latency of any link cut between partitions).
    TimeMs max_window_ms = 60 * kMsPerSecond;
    /// Fixed-time signals at link ends (empty = none). A signalised approach discharges only
    /// during its green, at the link's capacity (its saturation flow).
    SignalPlan signals;
    /// Multi-lane approaches let traffic pass a vehicle that waits for a full next link: the
    /// waiting vehicle moves into the link's turn pocket (one lane's worth of its storage, none on
    /// a one-lane link) and the queue behind it goes on; only a full pocket blocks the link. As
    /// SUMO meso's multiple queues at edge ends (--meso-multi-queue, on by default). false =
    /// one strict FIFO per link.
    bool turn_pockets = true;
};

struct RunStats {
    std::uint64_t event_hash = 0;   ///< hash of the ordered event stream
    std::uint64_t events = 0;       ///< all processed events
    std::uint64_t link_events = 0;  ///< link enter + leave events
    std::uint64_t trips_completed = 0;
    std::uint64_t trips_stuck = 0;
    std::uint64_t gridlock_pushes = 0;  ///< vehicles pushed through after stuck_ms
    std::uint64_t transit_vehicles = 0;
    std::uint64_t left_behind = 0;  ///< boardings refused because a vehicle was full
    double wall_s = 0;
    std::size_t peak_state_bytes = 0;  ///< engine-owned state (for memory reports)
    std::uint32_t partitions = 0;      ///< spatial partitions used
    TimeMs window_ms = 0;              ///< conservative synchronisation window
    std::uint64_t windows = 0;         ///< synchronisation windows executed
    std::uint64_t cross_messages = 0;  ///< messages exchanged between partitions
    /// Person handovers between partitions due sooner than the window end (e.g. a zero-length
    /// walk to a stop in another partition); they are delivered at the window end instead.
    std::uint64_t late_handovers = 0;
    std::uint64_t boardings = 0;    ///< transit boardings
    std::uint64_t trips_total = 0;  ///< trips in the plan set (= completed + stuck)
};

class Simulation {
  public:
    Simulation(const Network& net, std::vector<VehicleType> vehicle_types, EngineConfig config);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /// Simulates the day. Transit runs every active line of the network from its headways or
    /// explicit departures. Throws InvariantError if an engine invariant breaks.
    RunStats run(const PlanSet& plans, std::span<Observer* const> observers);

    /// Vehicle types in use: the caller's, plus a default per transit mode if none was given.
    const std::vector<VehicleType>& vehicle_types() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace modeshift
