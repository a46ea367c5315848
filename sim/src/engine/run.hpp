#pragma once
/// The state of one engine run and the mechanics that act on it (internal to the engine).
/// One file per mechanic implements Run's members:
///   setup.cpp          plan validation, partitions, links, transit timetables, trips
///   window_loop.cpp    synchronisation windows, event dispatch, partition messages, observers
///   road_queues.cpp    link queues, flow capacity, spillback, turn pockets, signals, gridlock
///   transit_stops.cpp  alighting, boarding and dwell at stops
///   travellers.cpp     trip and leg progress, walking and cycling, trip outcomes
/// Hot helpers used by several of them are defined here so that they stay inlinable.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "event_queue.hpp"
#include "huge_pages.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/engine/simulation.hpp"
#include "partition.hpp"

namespace modeshift::engine_detail {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr int kFlowFracBits = 20;  // flow headways in 2^-20 ms: exact on average
constexpr std::int32_t kUnlimitedStorage = std::numeric_limits<std::int32_t>::max() / 4;
constexpr std::int32_t kNoFree = std::numeric_limits<std::int32_t>::max();

/// Order-sensitive hash of a partition's event stream. Two multiply-rotate steps per event
/// instead of full mixing: it only has to tell two event streams apart, and the per-partition
/// values are mixed properly into event_hash at the end.
class StreamHash {
  public:
    explicit StreamHash(std::uint64_t seed = 0) : h_(mix64(seed)) {}
    void add(std::uint64_t v) { h_ = (std::rotl(h_, 26) ^ v) * 0x9e3779b97f4a7c15ULL; }
    std::uint64_t value() const { return mix64(h_); }

  private:
    std::uint64_t h_;
};

enum class MsgKind : std::uint8_t {
    Enter = 0,       // a = queue, b = vehicle: vehicle entered the link upstream at `t`
    SpaceFreed = 1,  // a = link, b = centi-PCE: due at `t`
    Trip = 2,        // a = trip: continue the trip's current leg at `t`
};

struct Message {
    TimeMs t;
    std::uint32_t a;
    std::uint32_t b;
    MsgKind kind;
};

struct Part {
    std::uint32_t index = 0;
    EventQueue queue;
    std::uint64_t seq = 0;
    TimeMs now = 0;
    TimeMs window_end = 0;
    // Per window parity, per destination partition: window k sends into outbox[k & 1], which
    // the destinations read at the start of window k + 1 while this one fills the other.
    std::array<std::vector<std::vector<Message>>, 2> outbox;
    // Trip departures sorted by (time, trip): fed into the queue window by window, which keeps
    // the heap at the size of what is in motion rather than the whole day's demand.
    std::vector<std::pair<TimeMs, std::uint32_t>> departures;
    std::size_t next_departure = 0;
    TimeMs next_time() {
        TimeMs t = queue.empty() ? std::numeric_limits<TimeMs>::max() : queue.top().time();
        if (next_departure < departures.size()) t = std::min(t, departures[next_departure].first);
        return t;
    }
    StreamHash hash;
    std::vector<Traversal> traversals;
    std::vector<TripOutcome> outcomes;
    std::vector<StopCall> stop_calls;
    // counters
    std::uint64_t events = 0, link_events = 0, completed = 0, pushes = 0, left_behind = 0;
    std::uint64_t late_handovers = 0, messages = 0, boardings = 0;
    std::vector<std::uint32_t> cand;  // intersection scratch
    std::vector<double> weight;
    std::vector<std::uint32_t> leaving;  // alighting scratch
};

/// All per-run state. Arrays are global but every element has exactly one owning partition at
/// any time (links by their end nodes, vehicles and trips by where they are); ownership moves
/// only through messages delivered at window barriers, so there is no data race.
class Run {
  public:
    Run(const Network& net, const std::vector<VehicleType>& types, const EngineConfig& cfg,
        const PlanSet& plans, std::span<Observer* const> observers);
    RunStats execute();
    /// Runs body(i) for every partition i on the arena's threads and returns when all are
    /// done. The acquire/release hand-offs duplicate what oneTBB guarantees, but make the
    /// ordering visible to ThreadSanitizer (libtbb itself is not instrumented).
    template <class Body>
    void parallel_phase(std::int64_t np, Body&& body);  // window_loop.cpp
    std::atomic<std::uint64_t> phase_{0}, done_{0};
    std::size_t state_bytes() const;

  private:
    // ---- setup (setup.cpp) ----
    void validate_plans() const;
    std::vector<double> node_load() const;
    void setup_links();
    void setup_transit();
    void setup_trips();
    std::uint32_t trip_start_part(std::uint32_t trip) const;

    // ---- scheduling (window_loop.cpp; schedule() below) ----
    void schedule(Part& p, TimeMs t, EvType type, std::uint32_t id, std::uint32_t aux = 0,
                  std::uint32_t aux2 = 0);
    void send(Part& p, std::uint32_t dst, const Message& m) {
        p.outbox[parity_][dst].push_back(m);
        ++p.messages;
    }
    void process_window(Part& p, TimeMs window_end);
    void deliver(Part& dst, std::uint32_t parity);
    bool messages_pending(std::uint32_t parity) const;
    std::uint32_t parity_ = 0;  // parity of the window being processed (set between phases)
    void dispatch(Part& p, const Event& e);
    void flush(Part& p, bool force);

    // ---- traffic (road_queues.cpp) ----
    LinkId route_link(std::uint32_t v, std::uint32_t pos) const { return vh_[v].route[pos]; }
    TimeMs link_time_ms(LinkId l, VehicleTypeId vt) const;  // below
    void on_link_head(Part& p, std::uint32_t q, TimeMs t);
    void on_stuck(Part& p, std::uint32_t id, TimeMs t);
    void on_space_freed(Part& p, std::uint32_t link, TimeMs t);
    void schedule_head(Part& p, std::uint32_t q, TimeMs t);
    void exit_link(Part& p, std::uint32_t q, TimeMs t);
    void enter_link(Part& p, std::uint32_t v, std::uint32_t link, TimeMs t, bool forced);
    void push_queue(Part& p, std::uint32_t q, std::uint32_t v, TimeMs t);
    void depart_vehicle(Part& p, std::uint32_t v, std::uint32_t link, TimeMs t);
    void serve_out_link(Part& p, std::uint32_t link, TimeMs t);
    bool wants_bus_lane(std::uint32_t v, std::uint32_t link) const {
        return lk_[link].bus_lane != 0 && vh_[v].is_bus != 0;
    }

    // ---- transit (transit_stops.cpp) ----
    void serve_stop(Part& p, std::uint32_t v, std::uint32_t k, TimeMs t);
    void on_dwell_end(Part& p, std::uint32_t v, TimeMs t);

    // ---- persons (travellers.cpp) ----
    void advance_trip(Part& p, std::uint32_t trip, TimeMs t);
    void continue_trip(Part& p, std::uint32_t trip, TimeMs due);
    void on_active_step(Part& p, std::uint32_t trip, TimeMs t);
    void start_active(Part& p, std::uint32_t trip, std::uint32_t g, TimeMs t);
    TimeMs active_link_ms(std::uint32_t g, LinkId l) const;
    void finish_trip(Part& p, std::uint32_t trip, TimeMs t);
    std::uint32_t leg_part(std::uint32_t trip, std::uint32_t leg, std::uint32_t here) const;
    void vehicle_reached_end(Part& p, std::uint32_t v, TimeMs t);

    const Network& net_;
    const std::vector<VehicleType>& types_;
    const EngineConfig& cfg_;
    const PlanSet& plans_;
    std::span<Observer* const> observers_;
    Partitioning parts_;
    std::vector<Part> part_;
    TimeMs window_ms_ = 0;

    // ---- links: hot state in one cache line per link; the bus-lane queue is cold ----
    struct Queue {
        std::uint32_t head = kNone, tail = kNone;
        std::uint32_t blocked_on = kNone;  // next link the head waits for (kNone = not blocked)
        std::int32_t sched = -1;           // time of the pending head event (-1 = none)
    };
    struct alignas(64) LinkHot {
        std::int64_t headway_fp = 0;    // per PCE, 2^-20 ms (0 = no flow limit)
        std::int64_t next_flow_fp = 0;  // general lane's next exit slot
        Queue q;                        // general lane
        std::int32_t ff_ms = 0, bw_ms = 0;
        float length_m = 0;
        std::int32_t storage_c = 0;       // centi-PCE
        std::int32_t space_c = 0;         // free space as seen at the upstream end
        std::int32_t free_due = kNoFree;  // when the first pending freed space arrives upstream
        std::uint16_t up_part = 0, down_part = 0;
        std::uint8_t bus_lane = 0;
        std::uint8_t signal = 0;  // 1 = the downstream end is a signalised approach
        // Lanes blocked on this link + 1 if its departure queue is non-empty: freeing space
        // and entering are O(1) when nobody waits (the common case).
        std::uint16_t waiters = 0;
    };
    static_assert(sizeof(LinkHot) == 64, "one cache line per link");
    /// Signal timing of queue q's approach (general lane or bus lane) under the plan of time t.
    const ApproachSignal& signal_of(std::uint32_t q, TimeMs t) const {
        const auto [general, bus] = cfg_.signals.at(t);
        return (q & 1) && !bus->empty() ? (*bus)[q >> 1] : (*general)[q >> 1];
    }
    /// Earliest time >= t at which queue q may discharge.
    TimeMs green_from(std::uint32_t q, TimeMs t) const {
        return lk_[q >> 1].signal ? next_green(signal_of(q, t), t) : t;
    }
    Queue& Q(std::uint32_t q) { return (q & 1) ? bus_q_[q >> 1] : lk_[q >> 1].q; }
    const Queue& Q(std::uint32_t q) const { return (q & 1) ? bus_q_[q >> 1] : lk_[q >> 1].q; }
    std::size_t nl_ = 0;
    template <class T>
    using BigVector = std::vector<T, engine_detail::HugePageAllocator<T>>;
    BigVector<LinkHot> lk_;
    std::vector<Queue> bus_q_;
    std::vector<std::uint8_t> bike_lane_;  // cold: read by bikes only
    std::vector<TimeMs> block_start_;      // per queue: when its head got blocked (cold)
    // Turn pockets (cold, per link): vehicles at the downstream end that wait for a full next
    // link while the queue behind them goes on. A FIFO through vh_[].next like the queues; its
    // head waits on blocked_on and counts as a waiter there. Stuck ids 3 nl + link.
    struct Pocket {
        std::uint32_t head = kNone, tail = kNone;
        std::uint32_t blocked_on = kNone;
        std::int32_t used_c = 0;      // centi-PCE of the vehicles in it
        std::int32_t capacity_c = 0;  // one lane of the link's storage (0 = no pocket)
        TimeMs block_start = 0;
    };
    std::vector<Pocket> pocket_;
    bool pocket_take(Part& p, std::uint32_t q, TimeMs t);
    void pocket_block(Part& p, std::uint32_t link, TimeMs t);
    void pocket_release(Part& p, std::uint32_t link, TimeMs t, bool forced);
    void on_pocket_head(Part& p, std::uint32_t link, TimeMs t);
    void exit_vehicle(Part& p, std::uint32_t v, std::uint32_t link, bool general_lane, TimeMs t);
    // Space freed at the downstream end reaches the upstream end a backward-wave time later.
    // Rather than one event per exit, the link keeps these arrivals in a FIFO (due times are
    // monotone: one partition produces them in time order) and applies them when the space
    // is read; an event is scheduled only while someone waits for space. Owned, like
    // space_c, by the link's upstream partition.
    // The oldest few arrivals sit in the link's own cache line (prefetched with the event that
    // touches it); only a busy link spills later ones to the heap.
    struct Spill {
        std::vector<std::uint64_t> e;
        std::size_t head = 0;
        bool empty() const { return head == e.size(); }
    };
    struct alignas(64) FreeFifo {
        static constexpr std::uint32_t kInline = 6;
        std::uint64_t ring[kInline] = {};  // due << 16 | centi-PCE, oldest at `head`
        std::unique_ptr<Spill> spill;      // non-empty only while the ring is full
        std::int32_t armed = -1;           // time of the pending SpaceFreed event (-1 = none)
        std::uint8_t head = 0, count = 0;
        std::uint64_t front() const { return ring[head]; }
        std::uint64_t back() const {
            return spill && !spill->empty() ? spill->e.back() : ring[(head + count - 1) % kInline];
        }
        void push(std::uint64_t x) {
            if (count < kInline) {
                ring[(head + count++) % kInline] = x;
                return;
            }
            if (!spill) spill = std::make_unique<Spill>();
            spill->e.push_back(x);
        }
        void pop() {
            head = static_cast<std::uint8_t>((head + 1) % kInline);
            --count;
            if (!spill || spill->empty()) return;
            ring[(head + count++) % kInline] = spill->e[spill->head++];
            if (spill->empty()) {
                spill->e.clear();
                spill->head = 0;
            } else if (spill->head >= 64 && 2 * spill->head >= spill->e.size()) {
                spill->e.erase(spill->e.begin(),
                               spill->e.begin() + static_cast<std::ptrdiff_t>(spill->head));
                spill->head = 0;
            }
        }
    };
    static_assert(sizeof(FreeFifo) == 64, "one cache line per link");
    BigVector<FreeFifo> frees_;
    void add_free(Part& p, std::uint32_t link, TimeMs due, std::uint16_t centi);
    void sync_space(std::uint32_t link, TimeMs t);
    bool has_space(std::uint32_t link, std::uint16_t centi, TimeMs t) {
        sync_space(link, t);
        return lk_[link].space_c >= centi;
    }
    void arm_free(Part& p, std::uint32_t link);
    std::vector<std::uint32_t> dep_head_, dep_tail_;
    std::vector<TimeMs> dep_block_start_;
    std::vector<std::uint32_t> node_draws_;

    // ---- vehicles: transit first, then private ----
    static constexpr std::uint32_t kAhead = 5;
    struct alignas(64) VehHot {
        const LinkId* route = nullptr;  // current route (private leg or line links)
        std::int32_t enter = 0, earliest = 0;
        std::uint32_t pos = 0, end = 0;   // position in route, route length
        std::uint32_t next = kNone;       // intrusive FIFO link
        std::uint32_t next_link = kNone;  // route[pos + 1]
        // route[ahead_base .. ahead_base + kAhead): routes live in a large pool whose lines are
        // evicted between two link entries; copying a few links ahead costs one miss per kAhead.
        std::uint32_t ahead_base = kNone;  // kNone = buffer empty
        std::uint32_t ahead[kAhead] = {};
        std::uint16_t pce_c = 100;
        VehicleTypeId type = 0;
        std::uint8_t is_bus = 0;
    };
    static_assert(sizeof(VehHot) == 64, "one cache line per vehicle");
    std::uint32_t next_route_link(VehHot& h) {
        const std::uint32_t want = h.pos + 1;
        if (want >= h.end) return kNone;
        if (want - h.ahead_base >= kAhead || h.ahead_base > want) {
            h.ahead_base = want;
            const std::uint32_t n = std::min(kAhead, h.end - want);
            for (std::uint32_t k = 0; k < n; ++k) h.ahead[k] = h.route[want + k].value();
        }
        return h.ahead[want - h.ahead_base];
    }
    std::size_t n_transit_ = 0;
    BigVector<VehHot> vh_;
    std::vector<VehicleTypeId> veh_type_;  // type at the start (for RunInfo)
    std::vector<LineId> veh_line_;
    std::vector<TripId> veh_trip_;
    // transit only
    struct Rider {
        std::uint32_t trip;
        std::uint16_t alight;
    };
    std::vector<std::vector<Rider>> riders_;
    std::vector<std::uint32_t> veh_stop_;   // index of the stop served last
    std::vector<TimeMs> veh_dep_ms_;        // departure from the first stop
    std::vector<std::uint32_t> veh_first_;  // first vehicle of each line (size lines + 1)
    std::vector<std::uint32_t> line_stop_base_;
    std::vector<std::uint32_t> line_stop_node_;        // per (line, stop index): serving node
    std::vector<std::vector<TimeMs>> line_sched_off_;  // nominal offset of each stop
    std::vector<std::vector<double>> line_cum_len_;    // route length before each link index
    std::vector<std::uint16_t> line_cap_;
    std::vector<VehicleTypeId> line_type_;
    struct StopQueue {
        std::vector<std::uint32_t> trips;
        std::size_t head = 0;
    };
    std::vector<StopQueue> waiting_;  // per (line, stop index)

    // ---- trips ----
    // One compact record per trip: progress plus the outcome accumulated so far.
    struct TripHot {
        float in_vehicle_s = 0, wait_s = 0, walk_s = 0, bike_s = 0, distance_m = 0;
        std::uint32_t leg = 0;          // current leg
        std::uint32_t pos = 0;          // route-pool index on a routed walk/bike leg
        std::uint32_t vehicle = kNone;  // private vehicle (drive / routed bike legs)
        std::int32_t mark = 0;          // start of the current leg, link or wait (ms)
        std::uint16_t part = 0;         // partition holding the trip
        std::uint8_t boardings = 0, left_behind = 0, done = 0;
    };
    BigVector<TripHot> th_;
    std::vector<float> drive_leg_m_;  // per leg: route length of a drive leg (added on arrival)
    TripOutcome outcome(std::uint32_t trip) const;
};

inline void Run::schedule(Part& p, TimeMs t, EvType type, std::uint32_t id, std::uint32_t aux,
                          std::uint32_t aux2) {
    MS_ASSERT(t >= p.now, "event scheduled into the past");
    MS_ASSERT(t <= kMaxTimeMs, "event time beyond the engine's horizon");
    MS_ASSERT(p.seq < (std::uint64_t{1} << (kSeqBits - 4)), "event sequence overflow");
    p.queue.push(Event{(static_cast<std::uint64_t>(t) << kSeqBits) | (p.seq++ << 4) |
                           static_cast<std::uint64_t>(type),
                       id, aux, aux2});
}

inline TimeMs Run::link_time_ms(LinkId l, VehicleTypeId vt) const {
    TimeMs t = lk_[l.index()].ff_ms;
    const double vmax = types_[vt].max_speed_mps;
    // The link's own (float) length: the network's arrays are a cache miss away on this hot path.
    if (vmax > 0)
        t = std::max(t, seconds_to_ms(static_cast<double>(lk_[l.index()].length_m) / vmax));
    return t;
}

}  // namespace modeshift::engine_detail
