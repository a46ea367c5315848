#pragma once
/// What the engine reports. Counters (emissions, link volumes), recorders (run files) and tests
/// subscribe through Observer. The engine knows nothing of what they do with it.
#include <cstdint>
#include <span>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/core/time.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

namespace modeshift {

class Network;

/// One vehicle (car, bus, train, bike or walker on a routed leg) crossing one link.
/// Reported when it leaves the link; average speed = length / (leave - enter).
struct Traversal {
    TimeMs enter_ms = 0;
    TimeMs leave_ms = 0;
    LinkId link;
    VehicleId vehicle;
    VehicleTypeId vehicle_type = 0;
    std::uint16_t passengers =
        0;  ///< persons aboard (driver included for cars; riders for transit)
};

/// A finished (or stuck) trip with its experienced times.
struct TripOutcome {
    TripId trip;
    TimeMs depart_ms = 0;
    TimeMs arrive_ms = 0;    ///< for stuck trips: when it was given up
    float in_vehicle_s = 0;  ///< driving or riding
    float wait_s = 0;        ///< waiting at stops (incl. left-behind time)
    float walk_s = 0;        ///< walking incl. access/egress/transfers
    float bike_s = 0;
    float distance_m = 0;          ///< person-distance over all legs
    std::uint8_t boardings = 0;    ///< transit vehicles boarded (transfers = boardings - 1)
    std::uint8_t left_behind = 0;  ///< times a full vehicle left this passenger behind
    Mode mode = Mode::Walk;
    bool stuck = false;
};

/// A transit vehicle serving a stop.
struct StopCall {
    TimeMs arrive_ms = 0;
    TimeMs depart_ms = 0;
    LineId line;
    VehicleId vehicle;
    StopId stop;
    std::uint16_t stop_index = 0;  ///< position in the line's stop list
    std::uint16_t boarded = 0;
    std::uint16_t alighted = 0;
    std::uint16_t load = 0;         ///< aboard when departing
    std::uint16_t left_behind = 0;  ///< waiting passengers who did not fit
    TimeMs scheduled_ms = 0;        ///< timetable time at this stop (for adherence)
};

/// Facts an observer needs before the first event.
struct RunInfo {
    const Network* network = nullptr;
    const std::vector<VehicleType>* vehicle_types = nullptr;
    /// vehicle id -> type; transit vehicles first, then private vehicles/bikes.
    std::vector<VehicleTypeId> vehicle_type_of;
    /// vehicle id -> line (invalid for private vehicles); trip id for private vehicles.
    std::vector<LineId> vehicle_line;
    std::vector<TripId> vehicle_trip;
    std::uint32_t partitions = 1;  ///< batches come tagged with a partition in [0, partitions)
    double sample_fraction = 1.0;  ///< simulated share of the population (scale counts by 1/this)
};

/// Receives batches of events. Batches of one partition arrive in time order and never
/// concurrently with each other; batches of different partitions MAY arrive concurrently from
/// different threads. Keep per-partition state and merge it in partition order in end():
/// that keeps results identical for any thread count.
class Observer {
  public:
    virtual ~Observer() = default;
    virtual void begin(const RunInfo& /*info*/) {}
    virtual void on_traversals(std::uint32_t /*partition*/, std::span<const Traversal> /*batch*/) {}
    virtual void on_trips(std::uint32_t /*partition*/, std::span<const TripOutcome> /*batch*/) {}
    virtual void on_stop_calls(std::uint32_t /*partition*/, std::span<const StopCall> /*batch*/) {}
    /// Called once, single-threaded, after the last batch.
    virtual void end() {}
};

}  // namespace modeshift
