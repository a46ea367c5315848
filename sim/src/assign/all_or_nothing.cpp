#include "modeshift/assign/all_or_nothing.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "modeshift/core/error.hpp"
#include "modeshift/core/threads.hpp"
#include "modeshift/network/shortest_path.hpp"

namespace modeshift {

namespace {
constexpr std::size_t kNoError = std::numeric_limits<std::size_t>::max();
}  // namespace

struct AllOrNothing::Impl {
    const Network& net;
    std::span<const double> od;
    std::size_t zones;
    std::string demand_origin;
    std::vector<std::uint32_t> origins;           // zones with any demand, ascending
    std::vector<std::vector<double>> block_flow;  // per block, per link
    std::vector<double> block_sptt;
    std::vector<std::size_t> block_error;  // first unreachable OD cell of the block
    tbb::task_arena arena;
    // Hand-offs that make the ordering given by parallel_for visible to ThreadSanitizer
    // (libtbb itself is not instrumented): the main thread publishes before the loop, every
    // block acquires it, and releases its results, which the main thread acquires afterwards.
    std::atomic<std::uint64_t> epoch{0};
    std::atomic<std::uint64_t> blocks_done{0};
    tbb::enumerable_thread_specific<ShortestPathWorkspace> workspaces;

    Impl(const Network& n, std::span<const double> od_veh, int threads, std::string origin_name)
        : net(n),
          od(od_veh),
          zones(n.zone_count()),
          demand_origin(std::move(origin_name)),
          arena(threads > 0 ? threads : tbb::task_arena::automatic),
          workspaces([&n] { return ShortestPathWorkspace(n); }) {}

    std::size_t block_count() const {
        return (origins.size() + kOriginsPerBlock - 1) / kOriginsPerBlock;
    }
    void run_block(std::size_t b, std::span<const double> cost);
    void load_origin(ShortestPathWorkspace& ws, std::uint32_t o, std::size_t b);
};

void AllOrNothing::Impl::load_origin(ShortestPathWorkspace& ws, std::uint32_t o, std::size_t b) {
    auto& flow = block_flow[b];
    const NodeId src = net.zone(ZoneId(o)).centroid;
    const double* row = od.data() + static_cast<std::size_t>(o) * zones;
    for (std::size_t d = 0; d < zones; ++d) {
        const double demand = row[d];
        if (demand <= 0 || d == o) continue;  // intrazonal trips never enter the network
        const NodeId dst = net.zone(ZoneId::from_index(d)).centroid;
        if (dst == src) continue;
        const double dist = ws.dist(dst);
        if (dist == kUnreachable) {
            block_error[b] = std::min(block_error[b], static_cast<std::size_t>(o) * zones + d);
            continue;
        }
        block_sptt[b] += demand * dist;
        for (NodeId n = dst; n != src;) {
            const LinkId l = ws.pred_link(n);
            flow[l.index()] += demand;
            n = net.from(l);
        }
    }
}

void AllOrNothing::Impl::run_block(std::size_t b, std::span<const double> cost) {
    (void)epoch.load(std::memory_order_acquire);
    auto& ws = workspaces.local();
    std::fill(block_flow[b].begin(), block_flow[b].end(), 0.0);
    block_sptt[b] = 0;
    block_error[b] = kNoError;
    const std::size_t end = std::min(origins.size(), (b + 1) * kOriginsPerBlock);
    for (std::size_t i = b * kOriginsPerBlock; i < end; ++i) {
        ws.run_all_links(net.zone(ZoneId(origins[i])).centroid, cost);
        load_origin(ws, origins[i], b);
    }
    blocks_done.fetch_add(1, std::memory_order_release);
}

AllOrNothing::AllOrNothing(const Network& net, std::span<const double> od_veh, int threads,
                           std::string demand_origin)
    : impl_(std::make_unique<Impl>(net, od_veh, checked_thread_count(threads, "--threads"),
                                   std::move(demand_origin))) {
    const std::size_t z = net.zone_count();
    MS_ASSERT(od_veh.size() == z * z, "OD matrix size differs from zone count squared");
    for (std::size_t o = 0; o < z; ++o) {
        const bool any = std::any_of(od_veh.begin() + static_cast<std::ptrdiff_t>(o * z),
                                     od_veh.begin() + static_cast<std::ptrdiff_t>((o + 1) * z),
                                     [](double v) { return v > 0; });
        if (any) impl_->origins.push_back(static_cast<std::uint32_t>(o));
    }
    const std::size_t nb = impl_->block_count();
    impl_->block_flow.assign(nb, std::vector<double>(net.link_count(), 0.0));
    impl_->block_sptt.assign(nb, 0.0);
    impl_->block_error.assign(nb, kNoError);
}

AllOrNothing::~AllOrNothing() = default;

double AllOrNothing::load(std::span<const double> link_cost_s, std::vector<double>& flow_veh) {
    Impl& m = *impl_;
    const std::size_t nb = m.block_count();
    m.epoch.fetch_add(1, std::memory_order_release);
    m.arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nb, 1),
                          [&](const tbb::blocked_range<std::size_t>& r) {
                              for (std::size_t b = r.begin(); b != r.end(); ++b)
                                  m.run_block(b, link_cost_s);
                          });
    });
    (void)m.blocks_done.load(std::memory_order_acquire);
    // Deterministic reduction: blocks summed in block order.
    flow_veh.assign(m.net.link_count(), 0.0);
    double sptt = 0;
    std::size_t first_error = kNoError;
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& f = m.block_flow[b];
        for (std::size_t l = 0; l < f.size(); ++l) flow_veh[l] += f[l];
        sptt += m.block_sptt[b];
        first_error = std::min(first_error, m.block_error[b]);
    }
    if (first_error != kNoError) {
        const std::size_t o = first_error / m.zones, d = first_error % m.zones;
        throw InputError(
            m.demand_origin, 0,
            fmt::format("origin {} destination {}", m.net.zone(ZoneId::from_index(o)).code,
                        m.net.zone(ZoneId::from_index(d)).code),
            "demand between zones that the network does not connect");
    }
    return sptt;
}

}  // namespace modeshift
