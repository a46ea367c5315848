// The window loop: conservative synchronisation windows run in parallel, one partition each;
// events are dispatched to the mechanics, messages between partitions are delivered at the
// window barriers in partition order, and observers get their batches.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <type_traits>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "run.hpp"

namespace modeshift::engine_detail {

namespace {

constexpr std::size_t kFlushBatch = 4096;  // observer batch size per partition

}  // namespace

template <class Body>
void Run::parallel_phase(std::int64_t np, Body&& body) {
    phase_.fetch_add(1, std::memory_order_release);
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, np, 1), [&](const auto& r) {
        (void)phase_.load(std::memory_order_acquire);
        for (auto i = r.begin(); i != r.end(); ++i) body(static_cast<std::size_t>(i));
        done_.fetch_add(1, std::memory_order_acq_rel);
    });
    (void)done_.load(std::memory_order_acquire);
}

void Run::process_window(Part& p, TimeMs window_end) {
    p.window_end = window_end;
    const TimeMs stop = std::min(window_end, cfg_.end_ms);
    for (; p.next_departure < p.departures.size() && p.departures[p.next_departure].first < stop;
         ++p.next_departure)
        schedule(p, p.departures[p.next_departure].first, EvType::TripLeg,
                 p.departures[p.next_departure].second);
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
                if (n.aux2 != kNone)
                    __builtin_prefetch(&lk_[n.aux2], 1), __builtin_prefetch(&frees_[n.aux2], 1);
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
        case EvType::LinkHead:
            on_link_head(p, e.id, t);
            break;
        case EvType::Stuck:
            on_stuck(p, e.id, t);
            break;
        case EvType::SpaceFreed:
            on_space_freed(p, e.id, t);
            break;
        case EvType::TripLeg:
            advance_trip(p, e.id, t);
            break;
        case EvType::ActiveStep:
            on_active_step(p, e.id, t);
            break;
        case EvType::TransitStart:
            serve_stop(p, e.id, 0, t);
            break;
        case EvType::DwellEnd:
            on_dwell_end(p, e.id, t);
            break;
        case EvType::PocketHead:
            on_pocket_head(p, e.id, t);
            break;
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
                    MS_ASSERT(vh_[v].earliest >= dst.now,
                              "cross-partition vehicle due before the window end");
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
    if (!force && p.traversals.size() + p.outcomes.size() + p.stop_calls.size() < kFlushBatch)
        return;
    for (Observer* o : observers_) {
        if (!p.traversals.empty()) o->on_traversals(p.index, p.traversals);
        if (!p.stop_calls.empty()) o->on_stop_calls(p.index, p.stop_calls);
        if (!p.outcomes.empty()) o->on_trips(p.index, p.outcomes);
    }
    p.traversals.clear();
    p.stop_calls.clear();
    p.outcomes.clear();
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
    auto b = [](const auto& v) {
        return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
    };
    std::size_t n = b(lk_) + b(bus_q_) + b(block_start_) + b(frees_) + b(dep_head_) + b(dep_tail_) +
                    b(dep_block_start_) + b(node_draws_) + b(parts_.node_part);
    n += b(vh_) + b(veh_type_) + b(veh_line_) + b(veh_trip_) + b(riders_) + b(veh_stop_) +
         b(veh_dep_ms_) + b(waiting_);
    for (const auto& r : riders_) n += b(r);
    for (const auto& f : frees_)
        if (f.spill) n += sizeof(Spill) + b(f.spill->e);
    for (const auto& w : waiting_) n += b(w.trips);
    n += b(th_) + b(drive_leg_m_);
    for (const Part& p : part_) {
        n += p.queue.capacity_bytes() + b(p.departures) + b(p.traversals) + b(p.outcomes) +
             b(p.stop_calls);
        for (const auto& boxes : p.outbox)
            for (const auto& box : boxes) n += b(box);
    }
    return n;
}

}  // namespace modeshift::engine_detail
