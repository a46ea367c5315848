#include "modeshift/engine/simulation.hpp"

#include <fmt/format.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <bit>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/core/rng.hpp"
#include "huge_pages.hpp"
#include "partition.hpp"

namespace modeshift {

namespace {

using engine_detail::Partitioning;

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
// Marks a turn pocket (of the link in the low bits) among the candidates of a node (kNone: departures).
constexpr std::uint32_t kPocketFlag = 0x8000'0000u;
constexpr int kFlowFracBits = 20;               // flow headways in 2^-20 ms: exact on average
constexpr int kTimeBits = 28;                   // event key: time in the high 28 bits (74 h)
constexpr int kSeqBits = 64 - kTimeBits;        // insertion sequence (32 bits) and kind (4 bits)
constexpr TimeMs kMaxTimeMs = (TimeMs{1} << kTimeBits) - 1;
constexpr std::size_t kFlushBatch = 4096;       // observer batch size per partition
constexpr std::int32_t kUnlimitedStorage = std::numeric_limits<std::int32_t>::max() / 4;
constexpr std::int32_t kNoFree = std::numeric_limits<std::int32_t>::max();

enum class EvType : std::uint8_t {
    LinkHead = 0,    // id = queue (2 * link + lane): try to move the head vehicle out
    Stuck = 1,       // id = queue, 2L + link (departure queue) or 3L + link (turn pocket): gridlock check
    SpaceFreed = 2,  // id = link: pending freed space is due and someone waits for it
    TripLeg = 3,     // id = trip: start the trip's current leg here
    ActiveStep = 4,  // id = trip: a routed walk/bike leg finished its current link
    TransitStart = 5,// id = vehicle: a transit vehicle starts at its first stop
    DwellEnd = 6,    // id = vehicle: doors close at its current stop
    PocketHead = 7,  // id = link: the head of its turn pocket tries its next link
};

struct Event {
    std::uint64_t key;  // time << 36 | seq << 4 | kind: a total order independent of threads
    std::uint32_t id;
    std::uint32_t aux;  // LinkHead: the head vehicle (for prefetching)
    std::uint32_t aux2; // LinkHead: the head vehicle's next link (for prefetching)
    TimeMs time() const { return static_cast<TimeMs>(key >> kSeqBits); }
    EvType type() const { return static_cast<EvType>(key & 15); }
};

/// Min-heap on key (4-ary: shallower than binary, cheaper sifts).
class KeyHeap {
public:
    bool empty() const { return h_.empty(); }
    const Event& top() const { return h_.front(); }
    void push(const Event& e) {
        h_.push_back(e);
        std::size_t i = h_.size() - 1;
        while (i > 0) {
            const std::size_t p = (i - 1) / 4;
            if (h_[p].key <= e.key) break;
            h_[i] = h_[p];
            i = p;
        }
        h_[i] = e;
    }
    void pop() {
        const Event last = h_.back();
        h_.pop_back();
        if (h_.empty()) return;
        std::size_t i = 0;
        const std::size_t n = h_.size();
        for (;;) {
            const std::size_t c = 4 * i + 1;
            if (c >= n) break;
            std::size_t best = c;
            const std::size_t ce = std::min(c + 4, n);
            for (std::size_t k = c + 1; k < ce; ++k)
                if (h_[k].key < h_[best].key) best = k;
            if (h_[best].key >= last.key) break;
            h_[i] = h_[best];
            i = best;
        }
        h_[i] = last;
    }
    std::size_t capacity_bytes() const { return h_.capacity() * sizeof(Event); }

private:
    std::vector<Event> h_;
};

/// Events in key order (time, then insertion sequence), exactly as one heap would give them,
/// with far less sifting: a ring of kSlots time slots of 2^kSlotBits ms covers the next ~65 s
/// as unsorted buckets; only the slot being processed is a (small) heap, and events further
/// ahead than the ring wait in an overflow heap until their slot comes up.
class EventQueue {
public:
    EventQueue() : ring_(kSlots) {}
    bool empty() const { return size_ == 0; }
    /// The earliest event; the queue must not be empty. Moves on to the next occupied slot
    /// when the current one is drained (hence not const).
    const Event& top() {
        if (cur_.empty()) advance();
        return cur_.top();
    }
    void pop() {
        cur_.pop();
        --size_;
    }
    void push(const Event& e) {
        ++size_;
        const std::uint64_t slot = slot_of(e);
        if (slot <= cur_slot_) {
            cur_.push(e);
        } else if (slot - cur_slot_ < kSlots) {
            auto& b = ring_[slot & kMask];
            if (b.empty()) occupied_[(slot & kMask) >> 6] |= std::uint64_t{1} << (slot & 63);
            b.push_back(e);
        } else {
            over_.push(e);
        }
    }
    std::size_t capacity_bytes() const {
        std::size_t n = cur_.capacity_bytes() + over_.capacity_bytes() + ring_.capacity() * sizeof(ring_[0]);
        for (const auto& b : ring_) n += b.capacity() * sizeof(Event);
        return n;
    }

private:
    static constexpr int kSlotBits = 10;        // 1.024 s per slot: a partition has a few events per slot
    static constexpr std::uint64_t kSlots = 64; // ring horizon 65.5 s: most links' traversal times
    static constexpr std::uint64_t kMask = kSlots - 1;
    static std::uint64_t slot_of(const Event& e) { return static_cast<std::uint64_t>(e.time()) >> kSlotBits; }

    /// The next occupied ring slot after the current one (kNoSlot if the ring is empty).
    std::uint64_t next_ring_slot() const {
        const std::uint64_t from = (cur_slot_ + 1) & kMask;
        for (std::uint64_t k = 0; k <= kSlots / 64; ++k) {
            const std::uint64_t w = ((from >> 6) + k) % (kSlots / 64);
            std::uint64_t bits = occupied_[w];
            if (k == 0) bits &= ~std::uint64_t{0} << (from & 63);
            if (bits == 0) continue;
            const std::uint64_t idx = (w << 6) | static_cast<std::uint64_t>(std::countr_zero(bits));
            return cur_slot_ + ((idx - cur_slot_) & kMask);
        }
        return kNoSlot;
    }
    void advance() {
        std::uint64_t next = next_ring_slot();
        if (!over_.empty()) next = std::min(next, slot_of(over_.top()));
        MS_ASSERT(next != kNoSlot && next > cur_slot_, "event queue out of events");
        cur_slot_ = next;
        auto& b = ring_[next & kMask];
        if (!b.empty()) {
            for (const Event& e : b) cur_.push(e);
            b.clear();
            occupied_[(next & kMask) >> 6] &= ~(std::uint64_t{1} << (next & 63));
        }
        while (!over_.empty() && slot_of(over_.top()) <= cur_slot_) {
            cur_.push(over_.top());
            over_.pop();
        }
    }

    static constexpr std::uint64_t kNoSlot = std::numeric_limits<std::uint64_t>::max();
    std::size_t size_ = 0;
    std::uint64_t cur_slot_ = 0;
    KeyHeap cur_;                           // every event of slots <= cur_slot_
    std::vector<std::vector<Event>> ring_;  // slots cur_slot_ + 1 .. cur_slot_ + kSlots - 1
    std::uint64_t occupied_[kSlots / 64] = {};
    KeyHeap over_;                          // slots beyond the ring
};

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
    Enter = 0,      // a = queue, b = vehicle: vehicle entered the link upstream at `t`
    SpaceFreed = 1, // a = link, b = centi-PCE: due at `t`
    Trip = 2,       // a = trip: continue the trip's current leg at `t`
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

bool is_peak(TimeMs t) {
    const int h = hour_of(t);
    return (h >= 7 && h < 9) || (h >= 17 && h < 19);
}

std::uint16_t to_centi_pce(double pce) {
    const double c = std::round(pce * 100.0);
    return static_cast<std::uint16_t>(std::clamp(c, 1.0, 65535.0));
}

}  // namespace

struct Simulation::Impl {
    const Network& net;
    std::vector<VehicleType> types;
    EngineConfig cfg;
    Impl(const Network& n, std::vector<VehicleType> t, EngineConfig c) : net(n), types(std::move(t)), cfg(std::move(c)) {}
};

namespace {

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
    void parallel_phase(std::int64_t np, Body&& body) {
        phase_.fetch_add(1, std::memory_order_release);
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, np, 1), [&](const auto& r) {
            (void)phase_.load(std::memory_order_acquire);
            for (auto i = r.begin(); i != r.end(); ++i) body(static_cast<std::size_t>(i));
            done_.fetch_add(1, std::memory_order_acq_rel);
        });
        (void)done_.load(std::memory_order_acquire);
    }
    std::atomic<std::uint64_t> phase_{0}, done_{0};
    std::size_t state_bytes() const;

private:
    // ---- setup ----
    void validate_plans() const;
    std::vector<double> node_load() const;
    void setup_links();
    void setup_transit();
    void setup_trips();
    std::uint32_t trip_start_part(std::uint32_t trip) const;

    // ---- scheduling ----
    void schedule(Part& p, TimeMs t, EvType type, std::uint32_t id, std::uint32_t aux = 0, std::uint32_t aux2 = 0);
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

    // ---- traffic ----
    LinkId route_link(std::uint32_t v, std::uint32_t pos) const { return vh_[v].route[pos]; }
    TimeMs link_time_ms(LinkId l, VehicleTypeId vt) const;
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
    void vehicle_reached_end(Part& p, std::uint32_t v, TimeMs t);

    // ---- transit ----
    void serve_stop(Part& p, std::uint32_t v, std::uint32_t k, TimeMs t);
    void on_dwell_end(Part& p, std::uint32_t v, TimeMs t);

    // ---- persons ----
    void advance_trip(Part& p, std::uint32_t trip, TimeMs t);
    void continue_trip(Part& p, std::uint32_t trip, TimeMs due);
    void on_active_step(Part& p, std::uint32_t trip, TimeMs t);
    void start_active(Part& p, std::uint32_t trip, std::uint32_t g, TimeMs t);
    TimeMs active_link_ms(std::uint32_t g, LinkId l) const;
    void finish_trip(Part& p, std::uint32_t trip, TimeMs t);
    std::uint32_t leg_part(std::uint32_t trip, std::uint32_t leg, std::uint32_t here) const;

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
        std::int64_t headway_fp = 0;       // per PCE, 2^-20 ms (0 = no flow limit)
        std::int64_t next_flow_fp = 0;     // general lane's next exit slot
        Queue q;                           // general lane
        std::int32_t ff_ms = 0, bw_ms = 0;
        float length_m = 0;
        std::int32_t storage_c = 0;        // centi-PCE
        std::int32_t space_c = 0;          // free space as seen at the upstream end
        std::int32_t free_due = kNoFree;   // when the first pending freed space arrives upstream
        std::uint16_t up_part = 0, down_part = 0;
        std::uint8_t bus_lane = 0;
        std::uint8_t signal = 0;           // 1 = the downstream end is a signalised approach
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
    std::vector<TimeMs> block_start_;  // per queue: when its head got blocked (cold)
    // Turn pockets (cold, per link): vehicles at the downstream end that wait for a full next
    // link while the queue behind them goes on. A FIFO through vh_[].next like the queues; its
    // head waits on blocked_on and counts as a waiter there. Stuck ids 3 nl + link.
    struct Pocket {
        std::uint32_t head = kNone, tail = kNone;
        std::uint32_t blocked_on = kNone;
        std::int32_t used_c = 0;     // centi-PCE of the vehicles in it
        std::int32_t capacity_c = 0; // one lane of the link's storage (0 = no pocket)
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
                spill->e.erase(spill->e.begin(), spill->e.begin() + static_cast<std::ptrdiff_t>(spill->head));
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
        const LinkId* route = nullptr;     // current route (private leg or line links)
        std::int32_t enter = 0, earliest = 0;
        std::uint32_t pos = 0, end = 0;    // position in route, route length
        std::uint32_t next = kNone;        // intrusive FIFO link
        std::uint32_t next_link = kNone;   // route[pos + 1]
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
    std::vector<std::uint32_t> veh_stop_;    // index of the stop served last
    std::vector<TimeMs> veh_dep_ms_;         // departure from the first stop
    std::vector<std::uint32_t> veh_first_;   // first vehicle of each line (size lines + 1)
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
    std::vector<StopQueue> waiting_;         // per (line, stop index)

    // ---- trips ----
    // One compact record per trip: progress plus the outcome accumulated so far.
    struct TripHot {
        float in_vehicle_s = 0, wait_s = 0, walk_s = 0, bike_s = 0, distance_m = 0;
        std::uint32_t leg = 0;             // current leg
        std::uint32_t pos = 0;             // route-pool index on a routed walk/bike leg
        std::uint32_t vehicle = kNone;     // private vehicle (drive / routed bike legs)
        std::int32_t mark = 0;             // start of the current leg, link or wait (ms)
        std::uint16_t part = 0;            // partition holding the trip
        std::uint8_t boardings = 0, left_behind = 0, done = 0;
    };
    BigVector<TripHot> th_;
    std::vector<float> drive_leg_m_;  // per leg: route length of a drive leg (added on arrival)
    TripOutcome outcome(std::uint32_t trip) const;
};

Run::Run(const Network& net, const std::vector<VehicleType>& types, const EngineConfig& cfg,
         const PlanSet& plans, std::span<Observer* const> observers)
    : net_(net), types_(types), cfg_(cfg), plans_(plans), observers_(observers) {
    validate_plans();
    const std::uint32_t np = cfg.partitions ? cfg.partitions : engine_detail::default_partitions(net);
    parts_ = engine_detail::partition_network(net, np, cfg.backward_wave_speed_mps, cfg.max_window_ms, node_load());
    window_ms_ = parts_.window_ms;
    part_.resize(parts_.parts);
    for (std::uint32_t i = 0; i < parts_.parts; ++i) {
        part_[i].index = i;
        for (auto& boxes : part_[i].outbox) boxes.resize(parts_.parts);
        part_[i].hash = StreamHash(cfg.seed ^ (0x9e37ULL * (i + 1)));
    }
    setup_links();
    setup_transit();
    setup_trips();
}

std::vector<double> Run::node_load() const {
    // Expected work per node: planned link exits into it (private routes, and transit lines
    // times their vehicles). Traffic concentrates in a district's centre; balancing partitions
    // by it, rather than by node count, is what lets two threads share a day evenly.
    std::vector<double> load(net_.node_count(), 0.0);
    for (LinkId l : plans_.route_links) load[net_.to(l).index()] += 1.0;
    for (const TransitLine& line : net_.data().lines) {
        if (!line.active || line.links.empty()) continue;
        double vehicles = static_cast<double>(line.departures_s.size());
        if (vehicles == 0 && line.headway_peak_s > 0 && line.service_end_s > line.service_start_s)
            vehicles = (line.service_end_s - line.service_start_s) / line.headway_peak_s;
        for (LinkId l : line.links) load[net_.to(l).index()] += vehicles;
    }
    return load;
}

void Run::validate_plans() const {
    const auto fail = [](std::size_t rec, const std::string& field, const std::string& msg) {
        throw InputError("plans", rec + 1, field, msg);
    };
    const std::size_t nt = plans_.trip_count(), ng = plans_.leg_count();
    if (plans_.trip_first_leg.size() != nt + 1 || plans_.trip_depart_ms.size() != nt || plans_.trip_mode.size() != nt)
        fail(0, "trip_first_leg", "trip arrays are inconsistent (unfinished trip?)");
    if (plans_.leg_first_link.size() != ng + 1 || plans_.leg_distance_m.size() != ng ||
        plans_.leg_speed_mps.size() != ng || plans_.leg_vehicle_type.size() != ng ||
        plans_.leg_line.size() != ng || plans_.leg_board_index.size() != ng || plans_.leg_alight_index.size() != ng)
        fail(0, "leg_kind", "leg arrays are inconsistent");
    if (plans_.leg_first_link.back() != plans_.route_links.size())
        fail(0, "route_links", "route pool size does not match leg_first_link");
    for (std::size_t t = 0; t < nt; ++t) {
        if (plans_.trip_first_leg[t] > plans_.trip_first_leg[t + 1] || plans_.trip_first_leg[t + 1] > ng)
            fail(t, "trip_first_leg", "bad leg range");
        if (plans_.trip_first_leg[t] == plans_.trip_first_leg[t + 1]) fail(t, "legs", "trip has no legs");
        if (plans_.trip_first_leg[t + 1] - plans_.trip_first_leg[t] > 255) fail(t, "legs", "more than 255 legs");
    }
    for (std::size_t g = 0; g < ng; ++g) {
        const auto route = plans_.leg_route(g);
        for (std::size_t i = 0; i < route.size(); ++i) {
            if (!route[i].valid() || route[i].index() >= net_.link_count())
                fail(g, "route_links", "leg " + std::to_string(g) + " uses an unknown link");
            if (i > 0 && net_.to(route[i - 1]) != net_.from(route[i]))
                fail(g, "route_links", "leg " + std::to_string(g) + " route is not contiguous at position " + std::to_string(i));
        }
        const LegKind k = plans_.leg_kind[g];
        if ((k == LegKind::Drive || k == LegKind::Bike) && plans_.leg_vehicle_type[g] >= types_.size())
            fail(g, "leg_vehicle_type", "unknown vehicle type " + std::to_string(plans_.leg_vehicle_type[g]));
        if ((k == LegKind::Walk || k == LegKind::Bike) && route.empty() &&
            (!(plans_.leg_distance_m[g] >= 0) || !std::isfinite(plans_.leg_distance_m[g])))
            fail(g, "leg_distance_m", "teleported leg needs a finite distance >= 0");
        if (k == LegKind::Transit) {
            const LineId line = plans_.leg_line[g];
            if (!line.valid() || line.index() >= net_.data().lines.size())
                fail(g, "leg_line", "unknown transit line");
            const TransitLine& tl = net_.line(line);
            if (!tl.active) fail(g, "leg_line", "line " + tl.name + " is not active");
            if (tl.links.empty()) fail(g, "leg_line", "line " + tl.name + " has no route links");
            if (plans_.leg_alight_index[g] >= tl.stops.size() || plans_.leg_board_index[g] >= plans_.leg_alight_index[g])
                fail(g, "leg_alight_index", "stop indices out of range for line " + tl.name);
        }
    }
}

TimeMs Run::link_time_ms(LinkId l, VehicleTypeId vt) const {
    TimeMs t = lk_[l.index()].ff_ms;
    const double vmax = types_[vt].max_speed_mps;
    // The link's own (float) length: the network's arrays are a cache miss away on this hot path.
    if (vmax > 0) t = std::max(t, seconds_to_ms(static_cast<double>(lk_[l.index()].length_m) / vmax));
    return t;
}

void Run::setup_links() {
    nl_ = net_.link_count();
    const auto& L = net_.data().links;
    const double sf = cfg_.sample_fraction;
    lk_.assign(nl_, LinkHot{});
    bus_q_.assign(nl_, Queue{});
    bike_lane_.assign(nl_, 0);
    // The storage floor: the largest vehicle that will enter the link (any private vehicle
    // in the plans; transit vehicles on their lines' links), so no vehicle can never fit.
    std::vector<std::uint8_t> used_type(types_.size(), 0);
    for (std::size_t g = 0; g < plans_.leg_count(); ++g)
        if (plans_.leg_kind[g] == LegKind::Drive) used_type[plans_.leg_vehicle_type[g]] = 1;
    double private_pce = 0.01;
    for (std::size_t i = 0; i < types_.size(); ++i)
        if (used_type[i]) private_pce = std::max(private_pce, types_[i].pce);
    std::vector<std::int32_t> floor_c(nl_, to_centi_pce(private_pce));
    for (const auto& line : net_.data().lines) {
        if (!line.active) continue;
        const std::int32_t c = to_centi_pce(std::max(0.01, line.vehicle_pce * sf));
        for (LinkId l : line.links) floor_c[l.index()] = std::max(floor_c[l.index()], c);
    }
    for (std::size_t l = 0; l < nl_; ++l) {
        const LinkId id = LinkId::from_index(l);
        lk_[l].up_part = parts_.node_part[net_.from(id).index()];
        lk_[l].down_part = parts_.node_part[net_.to(id).index()];
        lk_[l].ff_ms = static_cast<std::int32_t>(seconds_to_ms(std::max(0.0, L.freeflow_time_s[l])));
        lk_[l].bw_ms = static_cast<std::int32_t>(seconds_to_ms(L.length_m[l] / cfg_.backward_wave_speed_mps));
        lk_[l].length_m = static_cast<float>(L.length_m[l]);
        lk_[l].bus_lane = l < L.bus_lane.size() ? L.bus_lane[l] : 0;
        bike_lane_[l] = l < L.bike_lane.size() ? L.bike_lane[l] : 0;
        lk_[l].signal = cfg_.signals.general.empty() || cfg_.signals.general[l].cycle_ms == 0 ? 0 : 1;
        const double cap = L.capacity_vph[l] * sf;
        // Non-positive capacity means "no flow limit" (e.g. rail track given without one).
        lk_[l].headway_fp = L.capacity_vph[l] > 0
                             ? std::llround(3.6e6 / std::max(cap, 1.0) * static_cast<double>(1 << kFlowFracBits))
                             : 0;
        if (L.storage_pce[l] > 0) {
            const double s = std::round(L.storage_pce[l] * sf * 100.0);
            lk_[l].storage_c = std::max(floor_c[l], static_cast<std::int32_t>(std::min(s, double(kUnlimitedStorage))));
        } else {
            lk_[l].storage_c = kUnlimitedStorage;
        }
    }
    for (LinkHot& lh : lk_) lh.space_c = lh.storage_c;
    dep_head_.assign(nl_, kNone);
    dep_tail_.assign(nl_, kNone);
    dep_block_start_.assign(nl_, 0);
    block_start_.assign(2 * nl_, 0);
    pocket_.assign(nl_, Pocket{});
    if (cfg_.turn_pockets)
        for (std::size_t l = 0; l < nl_; ++l) {
            const auto lanes = static_cast<std::int32_t>(std::floor(L.lanes[l]));
            if (lanes >= 2) pocket_[l].capacity_c = std::max(1, lk_[l].storage_c / lanes);
        }
    frees_.resize(nl_);
    node_draws_.assign(net_.node_count(), 0);
}

void Run::setup_transit() {
    const auto& lines = net_.data().lines;
    const double sf = cfg_.sample_fraction;
    veh_first_.assign(lines.size() + 1, 0);
    line_stop_base_.assign(lines.size() + 1, 0);
    line_sched_off_.resize(lines.size());
    line_cum_len_.resize(lines.size());
    line_cap_.assign(lines.size(), 1);
    line_type_.assign(lines.size(), 0);
    std::vector<std::vector<TimeMs>> deps(lines.size());
    for (std::size_t li = 0; li < lines.size(); ++li)
        line_stop_base_[li + 1] = line_stop_base_[li] + static_cast<std::uint32_t>(lines[li].stops.size());
    line_stop_node_.assign(line_stop_base_.back(), 0);
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const TransitLine& line = lines[li];
        if (li < cfg_.line_vehicle_type.size() && cfg_.line_vehicle_type[li] < types_.size()) {
            line_type_[li] = cfg_.line_vehicle_type[li];
        } else {
            auto it = std::find_if(types_.begin(), types_.end(), [&](const VehicleType& t) { return t.mode == line.mode; });
            MS_ASSERT(it != types_.end(), "no vehicle type for a transit mode (Simulation adds defaults)");
            line_type_[li] = static_cast<VehicleTypeId>(it - types_.begin());
        }
        if (!line.active || line.stops.size() < 2) continue;
        if (line.stop_link_pos.size() != line.stops.size() || line.links.empty() ||
            !std::is_sorted(line.stop_link_pos.begin(), line.stop_link_pos.end()) ||
            line.stop_link_pos.back() > line.links.size() || line.stop_link_pos.front() == line.stop_link_pos.back())
            throw InputError("network", li + 1, "lines.stop_link_pos", "line " + line.name + ": stop positions do not match its links");
        line_cap_[li] = static_cast<std::uint16_t>(std::clamp(std::llround(line.vehicle_capacity * sf), 1LL, 65535LL));
        // Nominal timetable: free-flow running times plus the nominal dwell at each stop.
        const bool rail = line.mode == Mode::Metro || line.mode == Mode::Tram;
        const TimeMs dwell = seconds_to_ms(rail ? cfg_.rail_dwell_s : cfg_.bus_dwell_base_s);
        auto& off = line_sched_off_[li];
        // Vehicles serve a stop at the route node at its position (robust to a stop record
        // whose node differs from the route's: the route is what vehicles drive).
        for (std::size_t k = 0; k < line.stops.size(); ++k) {
            const std::uint32_t pos = line.stop_link_pos[k];
            line_stop_node_[line_stop_base_[li] + k] =
                pos < line.links.size() ? net_.from(line.links[pos]).value() : net_.to(line.links[pos - 1]).value();
        }
        auto& cum = line_cum_len_[li];
        cum.assign(line.links.size() + 1, 0.0);
        for (std::size_t i = 0; i < line.links.size(); ++i) cum[i + 1] = cum[i] + net_.length_m(line.links[i]);
        off.assign(line.stops.size(), 0);
        TimeMs t = 0;
        std::size_t pos = line.stop_link_pos[0];
        for (std::size_t k = 0; k < line.stops.size(); ++k) {
            for (; pos < line.stop_link_pos[k]; ++pos) t += link_time_ms(line.links[pos], line_type_[li]);
            off[k] = t;
            t += dwell;
        }
        std::vector<TimeMs>& d = deps[li];
        if (!line.departures_s.empty()) {
            for (double s : line.departures_s) d.push_back(seconds_to_ms(s));
            std::sort(d.begin(), d.end());
        } else {
            if (!(line.headway_peak_s > 0) || !(line.headway_offpeak_s > 0))
                throw InputError("network", li + 1, "lines.headway", "line " + line.name + ": headways must be > 0");
            const TimeMs end = seconds_to_ms(line.service_end_s);
            for (TimeMs td = seconds_to_ms(line.service_start_s); td < end;)
                d.push_back(td), td += seconds_to_ms(is_peak(td) ? line.headway_peak_s : line.headway_offpeak_s);
        }
        std::erase_if(d, [&](TimeMs x) { return x < 0 || x >= cfg_.end_ms; });
    }
    for (std::size_t li = 0; li < lines.size(); ++li)
        veh_first_[li + 1] = veh_first_[li] + static_cast<std::uint32_t>(deps[li].size());
    n_transit_ = veh_first_.back();
    // One allocation for all vehicles (transit now, at most one private vehicle per trip later):
    // growing a huge-page array by doubling would leave its discarded copies in the heap.
    vh_.reserve(n_transit_ + plans_.trip_count());
    waiting_.resize(line_stop_base_.back());
    riders_.resize(n_transit_);
    veh_stop_.assign(n_transit_, 0);
    veh_dep_ms_.resize(n_transit_);
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const TransitLine& line = lines[li];
        const std::uint16_t pce = to_centi_pce(std::max(0.01, line.vehicle_pce * sf));
        for (std::size_t k = 0; k < deps[li].size(); ++k) {
            const std::uint32_t v = veh_first_[li] + static_cast<std::uint32_t>(k);
            MS_ASSERT(v == veh_type_.size(), "transit vehicle ids out of order");
            veh_type_.push_back(line_type_[li]);
            veh_line_.push_back(LineId::from_index(li));
            veh_trip_.push_back(TripId{});
            VehHot h;
            h.route = line.links.data();
            h.pos = line.stop_link_pos.front();
            h.end = line.stop_link_pos.back();
            h.pce_c = pce;
            h.type = line_type_[li];
            h.is_bus = line.mode == Mode::Bus ? 1 : 0;
            vh_.push_back(h);
            veh_dep_ms_[v] = deps[li][k];
            const std::uint32_t part = parts_.node_part[line_stop_node_[line_stop_base_[li]]];
            schedule(part_[part], deps[li][k], EvType::TransitStart, v);
        }
    }
}

std::uint32_t Run::leg_part(std::uint32_t trip, std::uint32_t leg, std::uint32_t here) const {
    (void)trip;
    switch (plans_.leg_kind[leg]) {
    case LegKind::Drive: {
        const auto r = plans_.leg_route(leg);
        return r.empty() ? here : lk_[r[0].index()].up_part;
    }
    case LegKind::Transit: {
        return parts_.node_part[line_stop_node_[line_stop_base_[plans_.leg_line[leg].index()] + plans_.leg_board_index[leg]]];
    }
    default:
        return here;  // walk/bike legs do not interact with anyone: run them where the trip is
    }
}

std::uint32_t Run::trip_start_part(std::uint32_t trip) const {
    for (std::uint32_t g = plans_.trip_first_leg[trip]; g < plans_.trip_first_leg[trip + 1]; ++g) {
        const LegKind k = plans_.leg_kind[g];
        if (k == LegKind::Transit || (k == LegKind::Drive && !plans_.leg_route(g).empty())) return leg_part(trip, g, 0);
    }
    return trip % parts_.parts;
}

void Run::setup_trips() {
    // Drive-leg lengths once, in route order, rather than walking the route at every arrival.
    drive_leg_m_.assign(plans_.leg_count(), 0.0f);
    for (std::size_t g = 0; g < plans_.leg_count(); ++g) {
        if (plans_.leg_kind[g] != LegKind::Drive) continue;
        float m = 0;
        for (LinkId l : plans_.leg_route(g)) m += static_cast<float>(net_.length_m(l));
        drive_leg_m_[g] = m;
    }
    const std::size_t nt = plans_.trip_count();
    th_.assign(nt, TripHot{});
    for (std::uint32_t t = 0; t < nt; ++t) {
        th_[t].leg = plans_.trip_first_leg[t];
        // One private vehicle per trip with a drive or routed bike leg.
        for (std::uint32_t g = plans_.trip_first_leg[t]; g < plans_.trip_first_leg[t + 1]; ++g) {
            const LegKind k = plans_.leg_kind[g];
            if (k == LegKind::Drive || (k == LegKind::Bike && !plans_.leg_route(g).empty())) {
                th_[t].vehicle = static_cast<std::uint32_t>(veh_type_.size());
                veh_type_.push_back(plans_.leg_vehicle_type[g]);
                veh_line_.push_back(LineId{});
                veh_trip_.push_back(TripId(t));
                VehHot h;
                h.pce_c = to_centi_pce(types_[plans_.leg_vehicle_type[g]].pce);
                h.type = plans_.leg_vehicle_type[g];
                h.is_bus = types_[plans_.leg_vehicle_type[g]].mode == Mode::Bus ? 1 : 0;
                vh_.push_back(h);
                break;
            }
        }
        const TimeMs dep = plans_.trip_depart_ms[t];
        const std::uint32_t part = trip_start_part(t);
        th_[t].part = static_cast<std::uint16_t>(part);
        if (dep >= 0 && dep < cfg_.end_ms) part_[part].departures.emplace_back(dep, t);
    }
    for (Part& p : part_) std::sort(p.departures.begin(), p.departures.end());
}

// ---------------------------------------------------------------- scheduling

void Run::schedule(Part& p, TimeMs t, EvType type, std::uint32_t id, std::uint32_t aux, std::uint32_t aux2) {
    MS_ASSERT(t >= p.now, "event scheduled into the past");
    MS_ASSERT(t <= kMaxTimeMs, "event time beyond the engine's horizon");
    MS_ASSERT(p.seq < (std::uint64_t{1} << (kSeqBits - 4)), "event sequence overflow");
    p.queue.push(Event{(static_cast<std::uint64_t>(t) << kSeqBits) | (p.seq++ << 4) | static_cast<std::uint64_t>(type),
                       id, aux, aux2});
}

void Run::process_window(Part& p, TimeMs window_end) {
    p.window_end = window_end;
    const TimeMs stop = std::min(window_end, cfg_.end_ms);
    for (; p.next_departure < p.departures.size() && p.departures[p.next_departure].first < stop; ++p.next_departure)
        schedule(p, p.departures[p.next_departure].first, EvType::TripLeg, p.departures[p.next_departure].second);
    while (!p.queue.empty()) {
        const Event e = p.queue.top();
        const TimeMs t = e.time();
        if (t >= stop) break;
        p.queue.pop();
        if (!p.queue.empty()) {
            // Hide the next event's cache misses (its link and its vehicle) behind this one.
            const Event& n = p.queue.top();
            if (n.type() == EvType::LinkHead) {
                __builtin_prefetch(&lk_[n.id >> 1]);
                __builtin_prefetch(&vh_[n.aux]);
                __builtin_prefetch(&frees_[n.id >> 1], 1);
                if (n.aux2 != kNone) __builtin_prefetch(&lk_[n.aux2], 1), __builtin_prefetch(&frees_[n.aux2], 1);
            } else if (n.type() == EvType::SpaceFreed) {
                __builtin_prefetch(&lk_[n.id], 1);
            } else if (n.type() == EvType::TripLeg) {
                __builtin_prefetch(&th_[n.id], 1);
                __builtin_prefetch(&plans_.trip_first_leg[n.id]);
            }
        }
        MS_ASSERT(t >= p.now, "event before the current time");
        p.now = t;
        ++p.events;
        p.hash.add((static_cast<std::uint64_t>(t) << 8) | static_cast<std::uint64_t>(e.type()));
        p.hash.add((static_cast<std::uint64_t>(e.id) << 32) | e.aux);
        dispatch(p, e);
    }
    p.now = std::max(p.now, std::min(window_end, cfg_.end_ms));
    flush(p, false);
}

void Run::dispatch(Part& p, const Event& e) {
    const TimeMs t = e.time();
    switch (e.type()) {
    case EvType::LinkHead: on_link_head(p, e.id, t); break;
    case EvType::Stuck: on_stuck(p, e.id, t); break;
    case EvType::SpaceFreed: on_space_freed(p, e.id, t); break;
    case EvType::TripLeg: advance_trip(p, e.id, t); break;
    case EvType::ActiveStep: on_active_step(p, e.id, t); break;
    case EvType::TransitStart: serve_stop(p, e.id, 0, t); break;
    case EvType::DwellEnd: on_dwell_end(p, e.id, t); break;
    case EvType::PocketHead: on_pocket_head(p, e.id, t); break;
    }
}

bool Run::messages_pending(std::uint32_t parity) const {
    for (const Part& p : part_)
        for (const auto& box : p.outbox[parity])
            if (!box.empty()) return true;
    return false;
}

void Run::deliver(Part& dst, std::uint32_t parity) {
    // Sources in partition order, each in its send order: a deterministic merge. Each box is
    // read and cleared only by its destination; its source is filling the other parity.
    for (Part& src : part_) {
        auto& box = src.outbox[parity][dst.index];
        for (const Message& m : box) {
            switch (m.kind) {
            case MsgKind::Enter: {
                const std::uint32_t v = m.b;
                MS_ASSERT(vh_[v].earliest >= dst.now, "cross-partition vehicle due before the window end");
                push_queue(dst, m.a, v, dst.now);
                break;
            }
            case MsgKind::SpaceFreed:
                add_free(dst, m.a, m.t, static_cast<std::uint16_t>(m.b));
                break;
            case MsgKind::Trip:
                th_[m.a].part = static_cast<std::uint16_t>(dst.index);
                schedule(dst, std::max(m.t, dst.now), EvType::TripLeg, m.a);
                break;
            }
        }
        box.clear();
    }
}

void Run::flush(Part& p, bool force) {
    if (!force && p.traversals.size() + p.outcomes.size() + p.stop_calls.size() < kFlushBatch) return;
    for (Observer* o : observers_) {
        if (!p.traversals.empty()) o->on_traversals(p.index, p.traversals);
        if (!p.stop_calls.empty()) o->on_stop_calls(p.index, p.stop_calls);
        if (!p.outcomes.empty()) o->on_trips(p.index, p.outcomes);
    }
    p.traversals.clear();
    p.stop_calls.clear();
    p.outcomes.clear();
}

// ---------------------------------------------------------------- traffic

void Run::push_queue(Part& p, std::uint32_t q, std::uint32_t v, TimeMs t) {
    vh_[v].next = kNone;
    if (Q(q).tail == kNone) {
        Q(q).head = Q(q).tail = v;
        schedule_head(p, q, t);
    } else {
        vh_[Q(q).tail].next = v;
        Q(q).tail = v;
    }
}

void Run::schedule_head(Part& p, std::uint32_t q, TimeMs t) {
    const std::uint32_t v = Q(q).head;
    if (v == kNone || Q(q).sched >= 0 || Q(q).blocked_on != kNone) return;
    // The bus lane (odd q) has no flow limit.
    const TimeMs flow = (q & 1) ? 0 : static_cast<TimeMs>((lk_[q >> 1].next_flow_fp + (1 << kFlowFracBits) - 1) >> kFlowFracBits);
    // A signalised approach holds its head until green; the flow slots then run at the
    // saturation flow, so the queue that built up during red discharges at saturation headways.
    const TimeMs ready = green_from(q, std::max({t, static_cast<TimeMs>(vh_[v].earliest), flow}));
    Q(q).sched = ready;
    schedule(p, ready, EvType::LinkHead, q, v, vh_[v].next_link);
}

void Run::exit_link(Part& p, std::uint32_t q, TimeMs t) {
    const std::uint32_t v = Q(q).head;
    Q(q).head = vh_[v].next;
    if (Q(q).head == kNone) Q(q).tail = kNone;
    vh_[v].next = kNone;
    exit_vehicle(p, v, q / 2, (q & 1) == 0, t);
}

void Run::exit_vehicle(Part& p, std::uint32_t v, std::uint32_t link, bool general_lane, TimeMs t) {
    ++p.link_events;
    const bool transit = v < n_transit_;
    p.traversals.push_back(Traversal{vh_[v].enter, t, LinkId(link), VehicleId(v), vh_[v].type,
                                     static_cast<std::uint16_t>(transit ? riders_[v].size() : 1)});
    if (general_lane) {
        // Exact flow accounting: the next exit is one PCE-weighted headway after the later of
        // this exit and the previous slot, kept in 2^-20 ms so the long-run rate is exact.
        const std::int64_t h = (lk_[link].headway_fp * vh_[v].pce_c + 50) / 100;
        // A vehicle leaving in its slot (the slot rounded up to the ms) keeps the fractional
        // slot; one leaving later than its slot starts a new one at its exit time.
        const std::int64_t t_fp = static_cast<std::int64_t>(t) << kFlowFracBits;
        const std::int64_t slot = lk_[link].next_flow_fp;
        const bool in_slot = t_fp < slot + (std::int64_t{1} << kFlowFracBits);
        lk_[link].next_flow_fp = (in_slot ? slot : t_fp) + h;
        if (lk_[link].storage_c < kUnlimitedStorage) {
            // The freed space reaches the upstream end after the backward wave has crossed the link.
            const TimeMs due = t + lk_[link].bw_ms;
            const std::uint32_t up = lk_[link].up_part;
            if (up == p.index) add_free(p, link, due, vh_[v].pce_c);
            else send(p, up, Message{due, link, vh_[v].pce_c, MsgKind::SpaceFreed});
        }
    }
}

void Run::enter_link(Part& p, std::uint32_t v, std::uint32_t link, TimeMs t, bool forced) {
    const bool bus_lane = wants_bus_lane(v, link);
    if (!bus_lane && lk_[link].storage_c < kUnlimitedStorage) {
        MS_ASSERT(forced || lk_[link].space_c >= vh_[v].pce_c, "link storage exceeded");
        lk_[link].space_c -= vh_[v].pce_c;
    }
    ++p.link_events;
    vh_[v].enter = t;
    vh_[v].next_link = next_route_link(vh_[v]);
    vh_[v].earliest = t + link_time_ms(LinkId(link), vh_[v].type);
    const std::uint32_t q = 2 * link + (bus_lane ? 1 : 0);
    const std::uint32_t down = lk_[link].down_part;
    if (down == p.index) push_queue(p, q, v, t);
    else send(p, down, Message{t, q, v, MsgKind::Enter});
}

void Run::depart_vehicle(Part& p, std::uint32_t v, std::uint32_t link, TimeMs t) {
    MS_ASSERT(lk_[link].up_part == p.index, "vehicle departs outside its partition");
    if (wants_bus_lane(v, link) || (lk_[link].waiters == 0 && has_space(link, vh_[v].pce_c, t))) {
        enter_link(p, v, link, t, false);
        return;
    }
    vh_[v].next = kNone;
    if (dep_head_[link] == kNone) {
        dep_head_[link] = dep_tail_[link] = v;
        dep_block_start_[link] = t;
        ++lk_[link].waiters;
        schedule(p, t + cfg_.stuck_ms, EvType::Stuck, static_cast<std::uint32_t>(2 * nl_ + link));
    } else {
        vh_[dep_tail_[link]].next = v;
        dep_tail_[link] = v;
    }
    // Others wait but there is room: let the intersection rule pick among all of them now.
    if (has_space(link, vh_[v].pce_c, t)) serve_out_link(p, link, t);
    arm_free(p, link);
}

void Run::on_link_head(Part& p, std::uint32_t q, TimeMs t) {
    if (Q(q).sched != t) return;  // superseded
    Q(q).sched = -1;
    const std::uint32_t v = Q(q).head;
    if (v == kNone) return;
    MS_ASSERT(vh_[v].earliest <= t, "vehicle leaves before its free-flow time");
    if (v < n_transit_) {
        // A stop at the end of this link: leave the link into the stop (the last stop included).
        const TransitLine& line = net_.line(veh_line_[v]);
        const std::uint32_t k = veh_stop_[v] + 1;
        if (k < line.stops.size() && line.stop_link_pos[k] == vh_[v].pos + 1) {
            exit_link(p, q, t);
            ++vh_[v].pos;
            serve_stop(p, v, k, t);
            schedule_head(p, q, t);
            return;
        }
    }
    if (vh_[v].pos + 1 >= vh_[v].end) {
        exit_link(p, q, t);
        vehicle_reached_end(p, v, t);
        schedule_head(p, q, t);
        return;
    }
    const std::uint32_t next = vh_[v].next_link;
    if (wants_bus_lane(v, next) || (lk_[next].waiters == 0 && has_space(next, vh_[v].pce_c, t))) {
        exit_link(p, q, t);
        ++vh_[v].pos;
        enter_link(p, v, next, t, false);
        schedule_head(p, q, t);
        return;
    }
    if ((q & 1) == 0 && pocket_take(p, q, t)) return;
    Q(q).blocked_on = next;
    block_start_[q] = t;
    ++lk_[next].waiters;
    schedule(p, t + cfg_.stuck_ms, EvType::Stuck, q);
    if (has_space(next, vh_[v].pce_c, t)) serve_out_link(p, next, t);
    arm_free(p, next);
}

// ---------------------------------------------------------------- turn pockets

bool Run::pocket_take(Part& p, std::uint32_t q, TimeMs t) {
    const std::uint32_t link = q >> 1;
    Pocket& k = pocket_[link];
    const std::uint32_t v = Q(q).head;
    if (k.capacity_c == 0 || k.used_c + vh_[v].pce_c > k.capacity_c) return false;
    // The head leaves the queue (it stays on the link) and waits in the pocket, in order.
    Q(q).head = vh_[v].next;
    if (Q(q).head == kNone) Q(q).tail = kNone;
    vh_[v].next = kNone;
    k.used_c += vh_[v].pce_c;
    if (k.head == kNone) {
        k.head = k.tail = v;
        pocket_block(p, link, t);
    } else {
        vh_[k.tail].next = v;
        k.tail = v;
    }
    schedule_head(p, q, t);
    return true;
}

void Run::pocket_block(Part& p, std::uint32_t link, TimeMs t) {
    Pocket& k = pocket_[link];
    const std::uint32_t v = k.head;
    const std::uint32_t next = vh_[v].next_link;
    k.blocked_on = next;
    k.block_start = t;
    ++lk_[next].waiters;
    schedule(p, t + cfg_.stuck_ms, EvType::Stuck, static_cast<std::uint32_t>(3 * nl_ + link));
    if (has_space(next, vh_[v].pce_c, t)) serve_out_link(p, next, t);
    arm_free(p, next);
}

void Run::pocket_release(Part& p, std::uint32_t link, TimeMs t, bool forced) {
    Pocket& k = pocket_[link];
    const std::uint32_t v = k.head;
    const std::uint32_t next = k.blocked_on;
    k.blocked_on = kNone;
    --lk_[next].waiters;
    k.head = vh_[v].next;
    if (k.head == kNone) k.tail = kNone;
    vh_[v].next = kNone;
    k.used_c -= vh_[v].pce_c;
    exit_vehicle(p, v, link, true, t);
    ++vh_[v].pos;
    enter_link(p, v, next, t, forced);
    // The next pocketed vehicle may want another link: it tries at once, as a new queue head.
    if (k.head != kNone) schedule(p, t, EvType::PocketHead, link);
}

void Run::on_pocket_head(Part& p, std::uint32_t link, TimeMs t) {
    Pocket& k = pocket_[link];
    if (k.head == kNone || k.blocked_on != kNone) return;
    const TimeMs green = green_from(2 * link, t);
    if (green != t) {
        schedule(p, green, EvType::PocketHead, link);
        return;
    }
    const std::uint32_t v = k.head;
    const std::uint32_t next = vh_[v].next_link;
    if (wants_bus_lane(v, next) || (lk_[next].waiters == 0 && has_space(next, vh_[v].pce_c, t))) {
        ++lk_[next].waiters;  // pocket_release counts it off again
        k.blocked_on = next;
        pocket_release(p, link, t, false);
        return;
    }
    pocket_block(p, link, t);
}

void Run::vehicle_reached_end(Part& p, std::uint32_t v, TimeMs t) {
    MS_ASSERT(v >= n_transit_, "transit vehicle ended its route between stops");
    const std::uint32_t trip = veh_trip_[v].value();
    const std::uint32_t g = th_[trip].leg;
    TripHot& o = th_[trip];
    o.in_vehicle_s += static_cast<float>(ms_to_seconds(t - th_[trip].mark));
    o.distance_m += drive_leg_m_[g];
    ++th_[trip].leg;
    continue_trip(p, trip, t);
}

void Run::on_stuck(Part& p, std::uint32_t id, TimeMs t) {
    if (id >= 3 * nl_) {
        const std::uint32_t link = id - static_cast<std::uint32_t>(3 * nl_);
        const Pocket& k = pocket_[link];
        if (k.blocked_on == kNone || k.block_start + cfg_.stuck_ms != t) return;
        ++p.pushes;
        pocket_release(p, link, t, true);
        return;
    }
    if (id >= 2 * nl_) {
        const std::uint32_t link = id - static_cast<std::uint32_t>(2 * nl_);
        const std::uint32_t v = dep_head_[link];
        if (v == kNone || dep_block_start_[link] + cfg_.stuck_ms != t) return;
        dep_head_[link] = vh_[v].next;
        if (dep_head_[link] == kNone) dep_tail_[link] = kNone, --lk_[link].waiters;
        ++p.pushes;
        enter_link(p, v, link, t, true);
        if (dep_head_[link] != kNone) {
            dep_block_start_[link] = t;
            schedule(p, t + cfg_.stuck_ms, EvType::Stuck, id);
        }
        return;
    }
    const std::uint32_t q = id;
    if (Q(q).blocked_on == kNone || block_start_[q] + cfg_.stuck_ms != t) return;
    const std::uint32_t next = Q(q).blocked_on;
    Q(q).blocked_on = kNone;
    --lk_[next].waiters;
    const std::uint32_t v = Q(q).head;
    exit_link(p, q, t);
    ++vh_[v].pos;
    ++p.pushes;
    enter_link(p, v, next, t, true);
    schedule_head(p, q, t);
}

void Run::add_free(Part& p, std::uint32_t link, TimeMs due, std::uint16_t centi) {
    FreeFifo& f = frees_[link];
    MS_ASSERT(f.count == 0 || due >= static_cast<TimeMs>(f.back() >> 16), "freed space out of order");
    if (f.count == 0) lk_[link].free_due = static_cast<std::int32_t>(due);
    f.push(static_cast<std::uint64_t>(due) << 16 | centi);
    arm_free(p, link);
}

void Run::sync_space(std::uint32_t link, TimeMs t) {
    LinkHot& lh = lk_[link];
    if (lh.free_due > t) return;  // the common case: nothing due, the FIFO stays untouched
    FreeFifo& f = frees_[link];
    while (f.count > 0 && static_cast<TimeMs>(f.front() >> 16) <= t) {
        lh.space_c += static_cast<std::int32_t>(f.front() & 0xffff);
        f.pop();
    }
    MS_ASSERT(lh.space_c <= lh.storage_c, "more space freed than the link stores");
    lh.free_due = f.count > 0 ? static_cast<std::int32_t>(f.front() >> 16) : kNoFree;
}

void Run::arm_free(Part& p, std::uint32_t link) {
    // Invariant: while someone waits and space is pending, an event is due no later than the
    // first pending arrival. Arrivals are appended in due order, so an armed event is never late.
    if (lk_[link].waiters == 0 || lk_[link].free_due == kNoFree || frees_[link].armed >= 0) return;
    const TimeMs at = std::max<TimeMs>(lk_[link].free_due, p.now);
    frees_[link].armed = static_cast<std::int32_t>(at);
    schedule(p, at, EvType::SpaceFreed, link);
}

void Run::on_space_freed(Part& p, std::uint32_t link, TimeMs t) {
    MS_ASSERT(frees_[link].armed == t, "stray freed-space event");
    frees_[link].armed = -1;
    sync_space(link, t);
    serve_out_link(p, link, t);
    arm_free(p, link);
}

void Run::serve_out_link(Part& p, std::uint32_t link, TimeMs t) {
    if (lk_[link].waiters == 0) return;
    const NodeId node = net_.from(LinkId(link));
    const auto ins = net_.in_links(node);
    auto& cand = p.cand;
    auto& weight = p.weight;
    while (lk_[link].waiters > 0) {
        // Candidates: the departure queue and every incoming lane blocked on this link,
        // weighted by capacity (MATSim-style); a node's own stream makes the draw reproducible.
        cand.clear();
        weight.clear();
        if (dep_head_[link] != kNone) cand.push_back(kNone), weight.push_back(std::max(1.0, net_.capacity_vph(LinkId(link))));
        for (LinkId in : ins) {
            for (std::uint32_t lane = 0; lane < 2; ++lane) {
                const std::uint32_t q = 2 * in.value() + lane;
                if (Q(q).blocked_on == link) cand.push_back(q), weight.push_back(std::max(1.0, net_.capacity_vph(in)));
            }
            if (pocket_[in.index()].blocked_on == link)
                cand.push_back(kPocketFlag | in.value()), weight.push_back(std::max(1.0, net_.capacity_vph(in)));
        }
        MS_ASSERT(cand.size() == lk_[link].waiters, "waiter count out of step");
        std::size_t pick = 0;
        if (cand.size() > 1) {
            Rng rng(cfg_.seed, RngPurpose::Intersection, node.value(), node_draws_[node.index()]++);
            pick = rng.weighted(weight);
        }
        const std::uint32_t q = cand[pick];
        if (q != kNone && (q & kPocketFlag) != 0) {
            const std::uint32_t in = q & ~kPocketFlag;
            Pocket& k = pocket_[in];
            if (green_from(2 * in, t) != t) {
                // As a queue head facing red: stop waiting, try again at the next green.
                k.blocked_on = kNone;
                --lk_[link].waiters;
                schedule(p, green_from(2 * in, t), EvType::PocketHead, in);
                continue;
            }
            if (!has_space(link, vh_[k.head].pce_c, t)) return;
            pocket_release(p, in, t, false);
            continue;
        }
        if (q != kNone && green_from(q, t) != t) {
            // Space for a head that faces red: it stops waiting for space and goes at its next
            // green (when it checks the space again).
            Q(q).blocked_on = kNone;
            --lk_[link].waiters;
            schedule_head(p, q, t);
            continue;
        }
        const std::uint32_t v = q == kNone ? dep_head_[link] : Q(q).head;
        if (!has_space(link, vh_[v].pce_c, t)) return;
        if (q == kNone) {
            dep_head_[link] = vh_[v].next;
            if (dep_head_[link] == kNone) dep_tail_[link] = kNone, --lk_[link].waiters;
            enter_link(p, v, link, t, false);
            if (dep_head_[link] != kNone) {
                dep_block_start_[link] = t;
                schedule(p, t + cfg_.stuck_ms, EvType::Stuck, static_cast<std::uint32_t>(2 * nl_ + link));
            }
        } else {
            Q(q).blocked_on = kNone;
            --lk_[link].waiters;
            exit_link(p, q, t);
            ++vh_[v].pos;
            enter_link(p, v, link, t, false);
            schedule_head(p, q, t);
        }
    }
}

// ---------------------------------------------------------------- transit

void Run::serve_stop(Part& p, std::uint32_t v, std::uint32_t k, TimeMs t) {
    const std::uint32_t li = veh_line_[v].value();
    const TransitLine& line = net_.line(veh_line_[v]);
    veh_stop_[v] = k;
    auto& riders = riders_[v];
    // Alight.
    std::uint32_t alighted = 0;
    std::size_t keep = 0;
    std::vector<std::uint32_t>& leaving = p.leaving;
    leaving.clear();
    for (const Rider& r : riders) {
        if (r.alight == k) leaving.push_back(r.trip), ++alighted;
        else riders[keep++] = r;
    }
    riders.resize(keep);
    // Board in arrival order while there is room; the rest are left behind.
    StopQueue& sq = waiting_[line_stop_base_[li] + k];
    std::uint32_t boarded = 0;
    while (sq.head < sq.trips.size() && riders.size() < line_cap_[li]) {
        const std::uint32_t trip = sq.trips[sq.head++];
        const std::uint32_t g = th_[trip].leg;
        TripHot& o = th_[trip];
        o.wait_s += static_cast<float>(ms_to_seconds(t - th_[trip].mark));
        if (o.boardings < 255) ++o.boardings;
        th_[trip].mark = t;
        riders.push_back(Rider{trip, plans_.leg_alight_index[g]});
        ++boarded;
    }
    const auto left = static_cast<std::uint32_t>(sq.trips.size() - sq.head);
    for (std::size_t i = sq.head; i < sq.trips.size(); ++i) {
        TripHot& o = th_[sq.trips[i]];
        if (o.left_behind < 255) ++o.left_behind;
    }
    if (sq.head == sq.trips.size()) sq.trips.clear(), sq.head = 0;
    p.left_behind += left;
    p.boardings += boarded;
    const bool rail = line.mode == Mode::Metro || line.mode == Mode::Tram;
    const TimeMs dwell = rail ? seconds_to_ms(cfg_.rail_dwell_s)
                              : seconds_to_ms(cfg_.bus_dwell_base_s + cfg_.bus_dwell_per_pax_s * (boarded + alighted));
    const bool last = k + 1 >= line.stops.size();
    const TimeMs dep = last ? t : t + dwell;
    p.stop_calls.push_back(StopCall{t, dep, veh_line_[v], VehicleId(v), line.stops[k], static_cast<std::uint16_t>(k),
                                    static_cast<std::uint16_t>(boarded), static_cast<std::uint16_t>(alighted),
                                    static_cast<std::uint16_t>(riders.size()), static_cast<std::uint16_t>(std::min<std::uint32_t>(left, 65535)),
                                    veh_dep_ms_[v] + line_sched_off_[li][k]});
    for (std::uint32_t trip : leaving) {
        TripHot& o = th_[trip];
        const std::uint32_t g = th_[trip].leg;
        o.in_vehicle_s += static_cast<float>(ms_to_seconds(dep - th_[trip].mark));
        const auto& cum = line_cum_len_[li];
        o.distance_m += static_cast<float>(cum[line.stop_link_pos[plans_.leg_alight_index[g]]] -
                                           cum[line.stop_link_pos[plans_.leg_board_index[g]]]);
        ++th_[trip].leg;
        continue_trip(p, trip, dep);
    }
    if (!last) schedule(p, dep, EvType::DwellEnd, v);
    else MS_ASSERT(riders.empty(), "riders left on board at the terminus");
}

void Run::on_dwell_end(Part& p, std::uint32_t v, TimeMs t) {
    const TransitLine& line = net_.line(veh_line_[v]);
    const std::uint32_t k = veh_stop_[v] + 1;
    if (line.stop_link_pos[k] == vh_[v].pos) {
        serve_stop(p, v, k, t);  // next stop at the same node
        return;
    }
    depart_vehicle(p, v, route_link(v, vh_[v].pos).value(), t);
}

// ---------------------------------------------------------------- persons

void Run::continue_trip(Part& p, std::uint32_t trip, TimeMs due) {
    const std::uint32_t g = th_[trip].leg;
    const std::uint32_t dst = g >= plans_.trip_first_leg[trip + 1] ? p.index : leg_part(trip, g, p.index);
    if (dst == p.index) {
        if (due == p.now) advance_trip(p, trip, due);
        else schedule(p, due, EvType::TripLeg, trip);
        return;
    }
    if (due < p.window_end) ++p.late_handovers;
    send(p, dst, Message{std::max(due, p.window_end), trip, 0, MsgKind::Trip});
}

void Run::advance_trip(Part& p, std::uint32_t trip, TimeMs t) {
    const std::uint32_t end = plans_.trip_first_leg[trip + 1];
    const std::uint32_t g = th_[trip].leg;
    if (g >= end) {
        finish_trip(p, trip, t);
        return;
    }
    TripHot& o = th_[trip];
    const LegKind kind = plans_.leg_kind[g];
    const auto route = plans_.leg_route(g);
    th_[trip].mark = t;
    switch (kind) {
    case LegKind::Walk:
    case LegKind::Bike: {
        if (route.empty()) {
            const double speed = plans_.leg_speed_mps[g] > 0 ? plans_.leg_speed_mps[g]
                                 : kind == LegKind::Walk ? cfg_.walk_speed_mps : cfg_.bike_speed_mps;
            const double secs = plans_.leg_distance_m[g] / speed;
            (kind == LegKind::Walk ? o.walk_s : o.bike_s) += static_cast<float>(secs);
            o.distance_m += plans_.leg_distance_m[g];
            ++th_[trip].leg;
            continue_trip(p, trip, t + seconds_to_ms(secs));
            return;
        }
        start_active(p, trip, g, t);
        return;
    }
    case LegKind::Drive: {
        if (route.empty()) {
            ++th_[trip].leg;
            continue_trip(p, trip, t);
            return;
        }
        const std::uint32_t v = th_[trip].vehicle;
        vh_[v].route = route.data();
        vh_[v].ahead_base = kNone;
        vh_[v].pos = 0;
        vh_[v].end = static_cast<std::uint32_t>(route.size());
        vh_[v].type = plans_.leg_vehicle_type[g];
        depart_vehicle(p, v, route[0].value(), t);
        return;
    }
    case LegKind::Transit: {
        // Wait at the board stop, first come first served.
        waiting_[line_stop_base_[plans_.leg_line[g].index()] + plans_.leg_board_index[g]].trips.push_back(trip);
        return;
    }
    }
}

TimeMs Run::active_link_ms(std::uint32_t g, LinkId l) const {
    const bool bike = plans_.leg_kind[g] == LegKind::Bike;
    double speed = plans_.leg_speed_mps[g] > 0 ? plans_.leg_speed_mps[g] : bike ? cfg_.bike_speed_mps : cfg_.walk_speed_mps;
    if (bike && bike_lane_[l.index()]) speed *= cfg_.bike_lane_speed_factor;
    return seconds_to_ms(net_.length_m(l) / speed);
}

void Run::start_active(Part& p, std::uint32_t trip, std::uint32_t g, TimeMs t) {
    // trip_pos_ = route-pool index of the link being walked/ridden; no congestion, so only
    // one event per link and no cross-partition interaction.
    const std::uint32_t pos = plans_.leg_first_link[g];
    th_[trip].pos = pos;
    schedule(p, t + active_link_ms(g, plans_.route_links[pos]), EvType::ActiveStep, trip);
}

void Run::on_active_step(Part& p, std::uint32_t trip, TimeMs t) {
    const std::uint32_t g = th_[trip].leg;
    const bool bike = plans_.leg_kind[g] == LegKind::Bike;
    std::uint32_t pos = th_[trip].pos;
    const LinkId l = plans_.route_links[pos];
    TripHot& o = th_[trip];
    const TimeMs enter = th_[trip].mark;
    (bike ? o.bike_s : o.walk_s) += static_cast<float>(ms_to_seconds(t - enter));
    o.distance_m += static_cast<float>(net_.length_m(l));
    ++p.link_events;
    if (bike) {
        const std::uint32_t v = th_[trip].vehicle;
        p.traversals.push_back(Traversal{enter, t, l, VehicleId(v), plans_.leg_vehicle_type[g], 1});
    }
    th_[trip].mark = t;
    if (++pos < plans_.leg_first_link[g + 1]) {
        th_[trip].pos = pos;
        schedule(p, t + active_link_ms(g, plans_.route_links[pos]), EvType::ActiveStep, trip);
        return;
    }
    ++th_[trip].leg;
    continue_trip(p, trip, t);
}

TripOutcome Run::outcome(std::uint32_t trip) const {
    const TripHot& h = th_[trip];
    TripOutcome o;
    o.trip = TripId(trip);
    o.depart_ms = plans_.trip_depart_ms[trip];
    o.in_vehicle_s = h.in_vehicle_s;
    o.wait_s = h.wait_s;
    o.walk_s = h.walk_s;
    o.bike_s = h.bike_s;
    o.distance_m = h.distance_m;
    o.boardings = h.boardings;
    o.left_behind = h.left_behind;
    o.mode = plans_.trip_mode[trip];
    return o;
}

void Run::finish_trip(Part& p, std::uint32_t trip, TimeMs t) {
    MS_ASSERT(!th_[trip].done, "trip finished twice");
    th_[trip].done = 1;
    TripOutcome o = outcome(trip);
    o.arrive_ms = t;
    p.outcomes.push_back(o);
    ++p.completed;
}


RunStats Run::execute() {
    const auto wall0 = std::chrono::steady_clock::now();
    RunInfo info;
    info.network = &net_;
    info.vehicle_types = &types_;
    info.vehicle_type_of = veh_type_;
    info.vehicle_line = veh_line_;
    info.vehicle_trip = veh_trip_;
    info.partitions = parts_.parts;
    info.sample_fraction = cfg_.sample_fraction;
    for (Observer* o : observers_) o->begin(info);

    RunStats st;
    const auto np = static_cast<std::int64_t>(part_.size());
    tbb::task_arena arena(cfg_.threads > 0 ? cfg_.threads : tbb::task_arena::automatic);
    bool pending = false;  // messages from the last window processed wait for delivery
    arena.execute([&] {
        // One parallel phase per window: each partition first takes the messages sent to it
        // in the previous window (they are due at or after this window's start), then runs it.
        TimeMs w0 = 0;
        for (;;) {
            TimeMs next = pending ? w0 : std::numeric_limits<TimeMs>::max();
            for (Part& p : part_) next = std::min(next, p.next_time());
            if (next == std::numeric_limits<TimeMs>::max()) break;
            // Idle stretches are skipped; the window grid depends only on event times and on
            // whether messages are in flight, never on threads.
            w0 = std::max(w0, next);
            if (w0 >= cfg_.end_ms) break;
            const TimeMs w1 = w0 + window_ms_;
            const std::uint32_t inbox = parity_;
            parity_ ^= 1;
            parallel_phase(np, [&](std::size_t i) {
                if (pending) deliver(part_[i], inbox);
                process_window(part_[i], w1);
            });
            ++st.windows;
            pending = np > 1 && messages_pending(parity_);
            w0 = w1;
        }
    });
    // Messages of the last window (trips handed over at the end of the day) still change hands.
    if (pending)
        for (Part& p : part_) deliver(p, parity_);
    for (Part& p : part_) flush(p, true);

    // Everyone still travelling (or never departed within the day) is reported stuck, in the
    // partition that holds them, in trip order.
    std::vector<std::vector<TripOutcome>> stuck(part_.size());
    for (std::uint32_t t = 0; t < th_.size(); ++t) {
        if (th_[t].done) continue;
        TripOutcome o = outcome(t);
        o.stuck = true;
        o.arrive_ms = std::max(cfg_.end_ms, o.depart_ms);
        stuck[th_[t].part].push_back(o);
    }
    for (std::size_t i = 0; i < part_.size(); ++i) {
        st.trips_stuck += stuck[i].size();
        if (!stuck[i].empty())
            for (Observer* o : observers_) o->on_trips(static_cast<std::uint32_t>(i), stuck[i]);
    }
    Hasher h(cfg_.seed);
    for (const Part& p : part_) {
        h.add_u64(p.hash.value());
        st.events += p.events;
        st.link_events += p.link_events;
        st.trips_completed += p.completed;
        st.gridlock_pushes += p.pushes;
        st.left_behind += p.left_behind;
        st.late_handovers += p.late_handovers;
        st.cross_messages += p.messages;
        st.boardings += p.boardings;
    }
    st.event_hash = h.value();
    st.transit_vehicles = n_transit_;
    st.trips_total = plans_.trip_count();
    st.partitions = parts_.parts;
    st.window_ms = window_ms_;
    MS_ASSERT(st.trips_completed + st.trips_stuck == st.trips_total, "a traveller was lost");
    st.peak_state_bytes = state_bytes();
    for (Observer* o : observers_) o->end();
    st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return st;
}

std::size_t Run::state_bytes() const {
    auto b = [](const auto& v) { return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type); };
    std::size_t n = b(lk_) + b(bus_q_) + b(block_start_) + b(frees_) + b(dep_head_) + b(dep_tail_) + b(dep_block_start_) + b(node_draws_) +
                    b(parts_.node_part);
    n += b(vh_) + b(veh_type_) + b(veh_line_) + b(veh_trip_) + b(riders_) + b(veh_stop_) + b(veh_dep_ms_) +
         b(waiting_);
    for (const auto& r : riders_) n += b(r);
    for (const auto& f : frees_)
        if (f.spill) n += sizeof(Spill) + b(f.spill->e);
    for (const auto& w : waiting_) n += b(w.trips);
    n += b(th_) + b(drive_leg_m_);
    for (const Part& p : part_) {
        n += p.queue.capacity_bytes() + b(p.departures) + b(p.traversals) + b(p.outcomes) + b(p.stop_calls);
        for (const auto& boxes : p.outbox)
            for (const auto& box : boxes) n += b(box);
    }
    return n;
}

void validate_config(const EngineConfig& c) {
    const auto bad = [](const std::string& field, const std::string& msg) { throw InputError("engine config", 0, field, msg); };
    if (!(c.sample_fraction > 0 && c.sample_fraction <= 1)) bad("sample_fraction", "must be in (0, 1]");
    if (c.end_ms <= 0 || c.end_ms > kMaxTimeMs) bad("end_ms", "must be in (0, 74 h]");
    if (c.stuck_ms <= 0) bad("stuck_ms", "must be > 0");
    if (!(c.walk_speed_mps > 0) || !(c.bike_speed_mps > 0)) bad("walk_speed_mps", "speeds must be > 0");
    if (!(c.bike_lane_speed_factor > 0)) bad("bike_lane_speed_factor", "must be > 0");
    if (!(c.backward_wave_speed_mps > 0)) bad("backward_wave_speed_mps", "must be > 0");
    if (!(c.bus_dwell_base_s >= 0) || !(c.bus_dwell_per_pax_s >= 0) || !(c.rail_dwell_s >= 0))
        bad("bus_dwell_base_s", "dwell times must be >= 0");
    if (c.max_window_ms < 1) bad("max_window_ms", "must be >= 1");
    if (c.partitions > 4096) bad("partitions", "at most 4096");
    if (c.threads < 0) bad("threads", "must be >= 0");
    const auto check_signals = [&](const std::vector<ApproachSignal>& v, const std::string& field) {
        for (const ApproachSignal& a : v)
            if (a.cycle_ms < 0 || (a.cycle_ms > 0 && (a.green_ms <= 0 || a.green_ms > a.cycle_ms || a.green_begin_ms < 0 ||
                                                      a.green_begin_ms >= a.cycle_ms)))
                bad(field, "signal timing needs 0 < green <= cycle and 0 <= green begin < cycle");
    };
    check_signals(c.signals.general, "signals.general");
    check_signals(c.signals.bus, "signals.bus");
    for (std::size_t i = 0; i < c.signals.time_of_day.size(); ++i) {
        const TimeOfDayPlan& p = c.signals.time_of_day[i];
        const std::string f = fmt::format("signals.time_of_day[{}]", i);
        check_signals(p.general, f + ".general");
        check_signals(p.bus, f + ".bus");
        if (p.general.size() != c.signals.general.size()) bad(f + ".general", "must have one entry per link like signals.general");
        if (!p.bus.empty() && p.bus.size() != c.signals.general.size())
            bad(f + ".bus", "must be empty or have one entry per link like signals.general");
        for (const auto& [b, e] : p.windows)
            if (b < 0 || b >= kMsPerDay || e < 0 || e >= kMsPerDay || b == e)
                bad(f + ".windows", "a window is [begin, end) with distinct times of day in [0, 24 h)");
    }
    if (!c.signals.bus.empty() && c.signals.bus.size() != c.signals.general.size())
        bad("signals.bus", "must be empty or have one entry per link like signals.general");
}

}  // namespace

Simulation::Simulation(const Network& net, std::vector<VehicleType> vehicle_types, EngineConfig config)
    : impl_(std::make_unique<Impl>(net, std::move(vehicle_types), std::move(config))) {
    validate_config(impl_->cfg);
    if (!impl_->cfg.signals.empty() && impl_->cfg.signals.general.size() != net.link_count())
        throw InputError("engine config", 0, "signals.general",
                         fmt::format("has {} entries, the network has {} links", impl_->cfg.signals.general.size(),
                                     net.link_count()));
    // Transit lines need a vehicle type; add a documented default for a mode nobody defined.
    for (const TransitLine& line : net.data().lines) {
        const bool have = std::any_of(impl_->types.begin(), impl_->types.end(),
                                      [&](const VehicleType& t) { return t.mode == line.mode; });
        if (have) continue;
        VehicleType t;
        t.mode = line.mode;
        t.name = std::string("default_") + std::string(mode_name(line.mode));
        t.pce = line.vehicle_pce;
        // Urban operating speed caps; the link free-flow speed usually binds first.
        t.max_speed_mps = line.mode == Mode::Bus ? 80 / 3.6 : 100 / 3.6;
        t.emission_class = line.mode == Mode::Bus ? "bus_default" : "electric";
        impl_->types.push_back(t);
    }
    MS_ASSERT(impl_->types.size() < 65535, "too many vehicle types");
}

Simulation::~Simulation() = default;

const std::vector<VehicleType>& Simulation::vehicle_types() const { return impl_->types; }

RunStats Simulation::run(const PlanSet& plans, std::span<Observer* const> observers) {
    Run run(impl_->net, impl_->types, impl_->cfg, plans, observers);
    return run.execute();
}

}  // namespace modeshift
