#include "event_queue.hpp"

#include "modeshift/core/error.hpp"

namespace modeshift::engine_detail {

std::size_t EventQueue::capacity_bytes() const {
    std::size_t n =
        cur_.capacity_bytes() + over_.capacity_bytes() + ring_.capacity() * sizeof(ring_[0]);
    for (const auto& b : ring_) n += b.capacity() * sizeof(Event);
    return n;
}

std::uint64_t EventQueue::next_ring_slot() const {
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

void EventQueue::advance() {
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

}  // namespace modeshift::engine_detail
