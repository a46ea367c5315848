#pragma once
/// The per-partition event queue of the engine (internal): events in (time, insertion) order.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "modeshift/core/time.hpp"

namespace modeshift::engine_detail {

constexpr int kTimeBits = 28;             // event key: time in the high 28 bits (74 h)
constexpr int kSeqBits = 64 - kTimeBits;  // insertion sequence (32 bits) and kind (4 bits)
constexpr TimeMs kMaxTimeMs = (TimeMs{1} << kTimeBits) - 1;

enum class EvType : std::uint8_t {
    LinkHead = 0,  // id = queue (2 * link + lane): try to move the head vehicle out
    Stuck =
        1,  // id = queue, 2L + link (departure queue) or 3L + link (turn pocket): gridlock check
    SpaceFreed = 2,    // id = link: pending freed space is due and someone waits for it
    TripLeg = 3,       // id = trip: start the trip's current leg here
    ActiveStep = 4,    // id = trip: a routed walk/bike leg finished its current link
    TransitStart = 5,  // id = vehicle: a transit vehicle starts at its first stop
    DwellEnd = 6,      // id = vehicle: doors close at its current stop
    PocketHead = 7,    // id = link: the head of its turn pocket tries its next link
};

struct Event {
    std::uint64_t key;  // time << 36 | seq << 4 | kind: a total order independent of threads
    std::uint32_t id;
    std::uint32_t aux;   // LinkHead: the head vehicle (for prefetching)
    std::uint32_t aux2;  // LinkHead: the head vehicle's next link (for prefetching)
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
    std::size_t capacity_bytes() const;

  private:
    static constexpr int kSlotBits = 10;  // 1.024 s per slot: a partition has a few events per slot
    static constexpr std::uint64_t kSlots = 64;  // ring horizon 65.5 s: most links' traversal times
    static constexpr std::uint64_t kMask = kSlots - 1;
    static std::uint64_t slot_of(const Event& e) {
        return static_cast<std::uint64_t>(e.time()) >> kSlotBits;
    }

    /// The next occupied ring slot after the current one (kNoSlot if the ring is empty).
    std::uint64_t next_ring_slot() const;
    /// Makes the next occupied slot current (the queue must not be empty).
    void advance();

    static constexpr std::uint64_t kNoSlot = std::numeric_limits<std::uint64_t>::max();
    std::size_t size_ = 0;
    std::uint64_t cur_slot_ = 0;
    KeyHeap cur_;                           // every event of slots <= cur_slot_
    std::vector<std::vector<Event>> ring_;  // slots cur_slot_ + 1 .. cur_slot_ + kSlots - 1
    std::uint64_t occupied_[kSlots / 64] = {};
    KeyHeap over_;  // slots beyond the ring
};

}  // namespace modeshift::engine_detail
