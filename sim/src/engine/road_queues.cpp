// Road traffic as link queues: free-flow time and flow capacity at the downstream end, storage
// at the upstream end with freed space arriving a backward-wave time later (spillback), turn
// pockets, signals at link ends, the intersection draw among waiters, and gridlock pushes.
#include <algorithm>
#include <vector>

#include "modeshift/core/error.hpp"
#include "modeshift/core/rng.hpp"
#include "run.hpp"

namespace modeshift::engine_detail {

namespace {

// Marks a turn pocket (of the link in the low bits) among the candidates of a node (kNone:
// departures).
constexpr std::uint32_t kPocketFlag = 0x8000'0000u;

}  // namespace

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
    const TimeMs flow =
        (q & 1) ? 0
                : static_cast<TimeMs>((lk_[q >> 1].next_flow_fp + (1 << kFlowFracBits) - 1) >>
                                      kFlowFracBits);
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
            // The freed space reaches the upstream end after the backward wave has crossed the
            // link.
            const TimeMs due = t + lk_[link].bw_ms;
            const std::uint32_t up = lk_[link].up_part;
            if (up == p.index)
                add_free(p, link, due, vh_[v].pce_c);
            else
                send(p, up, Message{due, link, vh_[v].pce_c, MsgKind::SpaceFreed});
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
    if (down == p.index)
        push_queue(p, q, v, t);
    else
        send(p, down, Message{t, q, v, MsgKind::Enter});
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
    MS_ASSERT(f.count == 0 || due >= static_cast<TimeMs>(f.back() >> 16),
              "freed space out of order");
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
        if (dep_head_[link] != kNone)
            cand.push_back(kNone), weight.push_back(std::max(1.0, net_.capacity_vph(LinkId(link))));
        for (LinkId in : ins) {
            for (std::uint32_t lane = 0; lane < 2; ++lane) {
                const std::uint32_t q = 2 * in.value() + lane;
                if (Q(q).blocked_on == link)
                    cand.push_back(q), weight.push_back(std::max(1.0, net_.capacity_vph(in)));
            }
            if (pocket_[in.index()].blocked_on == link)
                cand.push_back(kPocketFlag | in.value()),
                    weight.push_back(std::max(1.0, net_.capacity_vph(in)));
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
                schedule(p, t + cfg_.stuck_ms, EvType::Stuck,
                         static_cast<std::uint32_t>(2 * nl_ + link));
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

}  // namespace modeshift::engine_detail
