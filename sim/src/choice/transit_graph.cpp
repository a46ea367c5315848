// The kept transit graph: topology once per run, costs per day, and the shortest-path search.
#include "transit_graph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/exception.hpp>

#include <algorithm>
#include <limits>

namespace modeshift::transit_detail {
namespace {

struct TEdgeProp {
    std::uint32_t e = 0;
};
using TGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, TEdgeProp,
                                                  boost::no_property, std::uint32_t, std::uint32_t>;

}  // namespace

void build_topology(TransitGraph& tg, const Network& net,
                    const std::vector<std::uint32_t>& line_rs_first, int layers, std::size_t nz,
                    const std::vector<std::vector<std::pair<StopId, float>>>& access,
                    const std::vector<std::vector<std::pair<StopId, float>>>& transfer) {
    const auto& lines = net.data().lines;
    const std::size_t ns = net.data().stops.size();
    std::uint32_t rs = 0;
    for (std::size_t l = 0; l < lines.size(); ++l)
        if (line_rs_first[l] != std::numeric_limits<std::uint32_t>::max())
            rs += static_cast<std::uint32_t>(lines[l].stops.size());
    tg.key = line_rs_first;
    tg.layers = layers;
    tg.n_per_layer = static_cast<std::uint32_t>(2 * nz + ns + rs);
    tg.edges.clear();
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
    std::vector<TEdgeProp> props;
    const std::uint32_t npl = tg.n_per_layer;
    auto add = [&](std::uint32_t a, std::uint32_t b, int la, int lb, const TEdge& e) {
        ends.emplace_back(a + static_cast<std::uint32_t>(la) * npl,
                          b + static_cast<std::uint32_t>(lb) * npl);
        props.push_back({static_cast<std::uint32_t>(tg.edges.size())});
        tg.edges.push_back(e);
    };
    auto zone_src = [](std::size_t z) { return static_cast<std::uint32_t>(z); };
    auto zone_sink = [nz](std::size_t z) { return static_cast<std::uint32_t>(nz + z); };
    auto stop = [nz](StopId s) { return static_cast<std::uint32_t>(2 * nz + s.index()); };
    const int last = layers - 1;
    for (std::size_t z = 0; z < nz; ++z)
        for (const auto& sm : access[z]) {
            add(zone_src(z), stop(sm.first), 0, 0, {EdgeKind::Access, {}, 0, 0, 0, sm.second});
            add(stop(sm.first), zone_sink(z), last, last,
                {EdgeKind::Egress, {}, 0, 0, 0, sm.second});
        }
    for (std::size_t s = 0; s < ns; ++s)
        for (const auto& tm : transfer[s])
            for (int la = 0; la < layers; ++la)
                add(stop(StopId::from_index(s)), stop(tm.first), la, la,
                    {EdgeKind::Transfer, {}, 0, 0, 0, tm.second});
    for (std::size_t l = 0; l < lines.size(); ++l) {
        if (line_rs_first[l] == std::numeric_limits<std::uint32_t>::max()) continue;
        const auto& ln = lines[l];
        const LineId lid = LineId::from_index(l);
        const bool special = ln.mode != Mode::Bus;
        const std::uint32_t base = static_cast<std::uint32_t>(2 * nz + ns) + line_rs_first[l];
        for (std::size_t k = 0; k < ln.stops.size(); ++k) {
            const auto k16 = static_cast<std::uint16_t>(k);
            const std::uint32_t node = base + static_cast<std::uint32_t>(k);
            if (k + 1 < ln.stops.size()) {
                for (int la = 0; la < layers; ++la)
                    add(stop(ln.stops[k]), node, la, la, {EdgeKind::Board, lid, k16, 0, 0, 0});
                // Riding the special mode (not merely boarding it) lifts the path into layer 1.
                for (int la = 0; la < layers; ++la)
                    add(node, node + 1, la, special && layers == 2 ? 1 : la,
                        {EdgeKind::Ride, lid, k16, 0, 0, 0});
            }
            if (k > 0)
                for (int la = 0; la < layers; ++la)
                    add(node, stop(ln.stops[k]), la, la, {EdgeKind::Alight, lid, k16, 0, 0, 0});
        }
    }
    tg.tails.resize(ends.size());
    for (std::size_t e = 0; e < ends.size(); ++e) tg.tails[e] = ends[e].first;
    const TGraph g(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                   npl * static_cast<std::uint32_t>(layers));
    const std::size_t nv = boost::num_vertices(g);
    tg.row.assign(nv + 1, 0);
    tg.head.clear();
    tg.slot_edge.clear();
    for (std::size_t v = 0; v < nv; ++v) {
        tg.row[v] = static_cast<std::uint32_t>(tg.head.size());
        const auto out = boost::out_edges(static_cast<std::uint32_t>(v), g);
        for (auto it = out.first; it != out.second; ++it) {
            tg.head.push_back(boost::target(*it, g));
            tg.slot_edge.push_back(g[*it].e);
        }
    }
    tg.row[nv] = static_cast<std::uint32_t>(tg.head.size());
    tg.weight.assign(tg.head.size(), 0.0);
}

void refresh_costs(TransitGraph& tg, const Network& net, const ChoiceParams& p,
                   const LineStopCosts& c) {
    const auto& lines = net.data().lines;
    const double walk_w = p.b_walk / p.b_ivt_bus, wait_w = p.b_wait / p.b_ivt_bus;
    const double board_pen = p.b_transfer / p.b_ivt_bus;
    const double walk_mpm = p.walk_speed_mps * 60.0;
    const double rail_w = p.b_ivt_rail / p.b_ivt_bus, bus_w = p.b_ivt_bus / p.b_ivt_bus;
    for (TEdge& te : tg.edges) {
        switch (te.kind) {
            case EdgeKind::Access:
            case EdgeKind::Egress:
            case EdgeKind::Transfer: {
                const float mins = static_cast<float>(te.metres / walk_mpm);
                te.cost = static_cast<float>(mins * walk_w);
                te.minutes = mins;
                break;
            }
            case EdgeKind::Board: {
                const float w = c.board_wait_min[c.first[te.line.index()] + te.k];
                te.cost = static_cast<float>(w * wait_w + board_pen);
                te.minutes = w;
                break;
            }
            case EdgeKind::Ride: {
                const float mins = c.ride_min[c.first[te.line.index()] + te.k];
                const bool bus = lines[te.line.index()].mode == Mode::Bus;
                te.cost = static_cast<float>(mins * (bus ? bus_w : rail_w));
                te.minutes = mins;
                break;
            }
            case EdgeKind::Alight:
                te.cost = 0;
                te.minutes = 0;
                break;
        }
    }
    for (std::size_t i = 0; i < tg.slot_edge.size(); ++i)
        tg.weight[i] = static_cast<double>(tg.edges[tg.slot_edge[i]].cost);
}

namespace {

/// boost's d_ary_heap_indirect with arity 4, step for step (same comparisons, same moves, so the
/// same vertex comes out first among equal distances), but each entry carries a copy of its key:
/// comparing children reads the heap array only, not the distances of scattered vertices.
class QuadHeap {
  public:
    QuadHeap(std::vector<HeapEntry>& data, std::uint32_t* pos) : data_(data), pos_(pos) {
        data_.clear();
    }
    bool empty() const { return data_.empty(); }
    std::uint32_t top() const { return data_[0].v; }
    void push(std::uint32_t v, double d) {
        data_.push_back({d, v});
        up(data_.size() - 1);
    }
    /// Decrease-key: v's distance has become d.
    void update(std::uint32_t v, double d) {
        const std::size_t i = pos_[v];
        data_[i].d = d;
        up(i);
    }
    void pop() {
        if (data_.size() != 1) {
            data_[0] = data_.back();
            pos_[data_[0].v] = 0;
            data_.pop_back();
            down();
        } else {
            data_.pop_back();
        }
    }

  private:
    static constexpr std::size_t kArity = 4;
    std::vector<HeapEntry>& data_;
    std::uint32_t* pos_;

    void up(std::size_t i) {
        const HeapEntry moving = data_[i];
        while (i != 0) {
            const std::size_t parent = (i - 1) / kArity;
            if (!(moving.d < data_[parent].d)) break;
            data_[i] = data_[parent];
            pos_[data_[i].v] = static_cast<std::uint32_t>(i);
            i = parent;
        }
        data_[i] = moving;
        pos_[moving.v] = static_cast<std::uint32_t>(i);
    }
    void down() {
        const std::size_t n = data_.size();
        std::size_t i = 0;
        const double moving = data_[0].d;
        for (;;) {
            const std::size_t first = i * kArity + 1;
            if (first >= n) break;
            const std::size_t end = std::min(first + kArity, n);
            std::size_t best = first;
            double best_d = data_[first].d;
            for (std::size_t c = first + 1; c < end; ++c)
                if (data_[c].d < best_d) {
                    best = c;
                    best_d = data_[c].d;
                }
            if (!(best_d < moving)) break;
            std::swap(data_[best], data_[i]);
            pos_[data_[i].v] = static_cast<std::uint32_t>(i);
            pos_[data_[best].v] = static_cast<std::uint32_t>(best);
            i = best;
        }
    }
};

}  // namespace

void shortest_tree(const TransitGraph& tg, std::uint32_t origin, std::size_t nz,
                   DijkstraScratch& sc) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const std::size_t nv = tg.row.size() - 1;
    sc.dist.assign(nv, kInf);
    sc.pred.assign(nv, std::numeric_limits<std::uint32_t>::max());
    sc.heap_pos.resize(nv);
    sc.dist[origin] = 0;
    double* const dist = sc.dist.data();
    QuadHeap queue(sc.heap, sc.heap_pos.data());
    const std::uint32_t sink_lo =
        static_cast<std::uint32_t>(nz) + static_cast<std::uint32_t>(tg.layers - 1) * tg.n_per_layer;
    const std::uint32_t sink_hi = sink_lo + static_cast<std::uint32_t>(nz);
    std::size_t sinks_left = nz;
    queue.push(origin, 0.0);
    while (!queue.empty()) {
        const std::uint32_t u = queue.top();
        queue.pop();
        const double du = dist[u];
        if (!(du < kInf)) return;  // the rest is unreachable
        // Zone sinks have no out edges; once all are settled nothing read later can change.
        if (u >= sink_lo && u < sink_hi && --sinks_left == 0) return;
        for (std::uint32_t i = tg.row[u]; i < tg.row[u + 1]; ++i) {
            const double w = tg.weight[i];
            if (w < 0.0) boost::throw_exception(boost::negative_edge());
            const std::uint32_t v = tg.head[i];
            const double dv = dist[v];
            // boost's relax_target with closed_plus: du is finite, so the sum is du + w (its
            // second comparison only matters with x87 excess precision).
            const double nd = du + w;
            if (nd < dv) {
                dist[v] = nd;
                sc.pred[v] = tg.slot_edge[i];
                if (!(dv < kInf))
                    queue.push(v, nd);
                else
                    queue.update(v, nd);
            }
        }
    }
}

}  // namespace modeshift::transit_detail
