// Transit level-of-service: a Dijkstra over a stop / route-stop graph per period and alternative.
// Metro and tram alternatives use a two-layer graph (layer 1 = the rail mode has been boarded) so
// the best path that actually uses the rail mode is found, with bus feeders allowed.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <boost/property_map/function_property_map.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "modeshift/choice/choice.hpp"

namespace modeshift {
namespace {

enum class EdgeKind : std::uint8_t { Access, Egress, Board, Ride, Alight, Transfer };

struct TEdge {
    EdgeKind kind;
    LineId line;
    std::uint16_t k = 0;  ///< stop index on the line (Board: boarding index; Ride: from index)
    float cost = 0;       ///< generalized minutes of bus in-vehicle time
    float minutes = 0;    ///< physical minutes (ivt, wait or walk)
    float metres = 0;     ///< walking metres
};

struct TEdgeProp {
    std::uint32_t e = 0;
};

/// Records, per vertex, the index of the edge that last relaxed it.
struct PredEdgeRecorder : boost::default_dijkstra_visitor {
    std::vector<std::uint32_t>* pred = nullptr;
    template <class E, class G>
    void edge_relaxed(const E& e, const G& g) {
        (*pred)[boost::target(e, g)] = g[e].e;
    }
};
using TGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, TEdgeProp,
                                                  boost::no_property, std::uint32_t, std::uint32_t>;

struct TransitGraph {
    std::uint32_t n_per_layer = 0;
    int layers = 1;
    std::vector<TEdge> edges;
    TGraph g;
};

struct Builder {
    const Network& net;
    const ChoiceParams& p;
    std::size_t nz, ns;
    std::vector<std::uint32_t> line_rs_first;  // route-stop base per line (or max = excluded)
    std::uint32_t n_per_layer = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
    std::vector<TEdgeProp> props;
    std::vector<TEdge> edges;

    std::uint32_t zone_src(std::size_t z) const { return static_cast<std::uint32_t>(z); }
    std::uint32_t zone_sink(std::size_t z) const { return static_cast<std::uint32_t>(nz + z); }
    std::uint32_t stop(StopId s) const { return static_cast<std::uint32_t>(2 * nz + s.index()); }
    void add(std::uint32_t a, std::uint32_t b, int la, int lb, const TEdge& e) {
        ends.emplace_back(a + static_cast<std::uint32_t>(la) * n_per_layer,
                          b + static_cast<std::uint32_t>(lb) * n_per_layer);
        props.push_back({static_cast<std::uint32_t>(edges.size())});
        edges.push_back(e);
    }
};

bool line_in_alt(Mode m, TransitAlt alt) {
    if (m == Mode::Bus) return true;
    if (alt == TransitAlt::Metro) return m == Mode::Metro;
    if (alt == TransitAlt::Tram) return m == Mode::Tram;
    return false;
}

}  // namespace

void Skims::build_walk_links() {
    const Network& net = *net_;
    const auto& stops = net.data().stops;
    access_.assign(nz_, {});
    for (std::size_t z = 0; z < nz_; ++z) {
        const Zone& zone = net.zone(ZoneId::from_index(z));
        // Large rural zones reach stops further from their centroid (capped at 2.5 km).
        const double radius =
            std::min(2500.0, std::max(p_->max_access_walk_m, 500.0 * std::sqrt(zone.area_km2)));
        std::vector<std::pair<StopId, float>> near;
        for (std::size_t s = 0; s < stops.size(); ++s) {
            const double m =
                haversine_m({zone.lat, zone.lon}, {stops[s].lat, stops[s].lon}) * p_->detour_factor;
            if (m <= radius * p_->detour_factor)
                near.emplace_back(StopId::from_index(s), static_cast<float>(m));
        }
        std::sort(near.begin(), near.end(), [](auto& a, auto& b) {
            return a.second < b.second || (a.second == b.second && a.first < b.first);
        });
        if (near.size() > 40) near.resize(40);
        access_[z] = std::move(near);
    }
    // Transfers between nearby stops: bucket stops in a ~transfer-radius grid.
    transfer_.assign(stops.size(), {});
    const double cell = std::max(50.0, p_->transfer_walk_m);
    const auto& proj = net.projection();
    std::vector<std::pair<std::int64_t, std::uint32_t>> keyed;
    auto key_of = [&](std::int64_t cx, std::int64_t cy) { return cx * 1'000'003 + cy; };
    std::vector<std::pair<std::int64_t, std::int64_t>> cellxy(stops.size());
    for (std::size_t s = 0; s < stops.size(); ++s) {
        const XY xy = proj.to_xy({stops[s].lat, stops[s].lon});
        cellxy[s] = {static_cast<std::int64_t>(std::floor(xy.x_m / cell)),
                     static_cast<std::int64_t>(std::floor(xy.y_m / cell))};
        keyed.emplace_back(key_of(cellxy[s].first, cellxy[s].second),
                           static_cast<std::uint32_t>(s));
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t s = 0; s < stops.size(); ++s) {
        for (int dx = -1; dx <= 1; ++dx)
            for (int dy = -1; dy <= 1; ++dy) {
                const auto k = key_of(cellxy[s].first + dx, cellxy[s].second + dy);
                auto it = std::lower_bound(keyed.begin(), keyed.end(),
                                           std::make_pair(k, std::uint32_t{0}));
                for (; it != keyed.end() && it->first == k; ++it) {
                    if (it->second == s) continue;
                    const double m = haversine_m({stops[s].lat, stops[s].lon},
                                                 {stops[it->second].lat, stops[it->second].lon}) *
                                     p_->detour_factor;
                    if (m <= p_->transfer_walk_m)
                        transfer_[s].emplace_back(StopId(it->second), static_cast<float>(m));
                }
            }
        std::sort(transfer_[s].begin(), transfer_[s].end());
    }
}

void Skims::update_transit(const LinkTimeFn& link_time) {
    const Network& net = *net_;
    if (access_.empty() && nz_ > 0) build_walk_links();
    const auto& lines = net.data().lines;
    const std::size_t ns = net.data().stops.size();
    static constexpr int kPeriodHour[kPeriods] = {8, 13, 18, 21};
    transit_.assign(static_cast<std::size_t>(kPeriods) * kTransitAlts * nz_ * nz_, TransitPath{});
    std::vector<std::vector<TransitLeg>> legs_by_task(static_cast<std::size_t>(kPeriods) *
                                                      kTransitAlts * nz_);
    const double walk_w = p_->b_walk / p_->b_ivt_bus, wait_w = p_->b_wait / p_->b_ivt_bus;
    const double board_pen = p_->b_transfer / p_->b_ivt_bus;
    const double walk_mpm = p_->walk_speed_mps * 60.0;

    for (int period = 0; period < kPeriods; ++period) {
        const TimeMs at = kPeriodHour[period] * kMsPerHour;
        const bool peak = period == 0 || period == 2;
        for (int a = 0; a < kTransitAlts; ++a) {
            const auto alt = static_cast<TransitAlt>(a);
            Builder b{net, *p_, nz_, ns, {}, 0, {}, {}, {}};
            std::uint32_t rs = 0;
            bool has_special = alt == TransitAlt::Bus;
            b.line_rs_first.assign(lines.size(), std::numeric_limits<std::uint32_t>::max());
            for (std::size_t l = 0; l < lines.size(); ++l) {
                if (!lines[l].active || !ctx_->mode_enabled[mode_index(lines[l].mode)] ||
                    !line_in_alt(lines[l].mode, alt))
                    continue;
                if (lines[l].service_start_s > at / 1000.0 || lines[l].service_end_s < at / 1000.0)
                    continue;
                b.line_rs_first[l] = rs;
                rs += static_cast<std::uint32_t>(lines[l].stops.size());
                has_special = has_special || lines[l].mode != Mode::Bus;
            }
            if (!has_special) continue;  // e.g. tram before it opens: no path at all
            const int layers = alt == TransitAlt::Bus ? 1 : 2;
            b.n_per_layer = static_cast<std::uint32_t>(2 * nz_ + ns + rs);
            const int last = layers - 1;
            for (std::size_t z = 0; z < nz_; ++z)
                for (auto [s, m] : access_[z]) {
                    const float mins = static_cast<float>(m / walk_mpm);
                    b.add(b.zone_src(z), b.stop(s), 0, 0,
                          {EdgeKind::Access, {}, 0, static_cast<float>(mins * walk_w), mins, m});
                    b.add(b.stop(s), b.zone_sink(z), last, last,
                          {EdgeKind::Egress, {}, 0, static_cast<float>(mins * walk_w), mins, m});
                }
            for (std::size_t s = 0; s < ns; ++s)
                for (auto [t, m] : transfer_[s]) {
                    const float mins = static_cast<float>(m / walk_mpm);
                    for (int la = 0; la < layers; ++la)
                        b.add(b.stop(StopId::from_index(s)), b.stop(t), la, la,
                              {EdgeKind::Transfer,
                               {},
                               0,
                               static_cast<float>(mins * walk_w),
                               mins,
                               m});
                }
            for (std::size_t l = 0; l < lines.size(); ++l) {
                if (b.line_rs_first[l] == std::numeric_limits<std::uint32_t>::max()) continue;
                const auto& ln = lines[l];
                const LineId lid = LineId::from_index(l);
                const bool special = ln.mode != Mode::Bus;
                const double headway_min = (peak ? ln.headway_peak_s : ln.headway_offpeak_s) / 60.0;
                const float wait =
                    static_cast<float>(std::min(headway_min / 2.0, p_->max_wait_min));
                const double ivt_w =
                    (ln.mode == Mode::Bus ? p_->b_ivt_bus : p_->b_ivt_rail) / p_->b_ivt_bus;
                const double dwell_min =
                    (ln.mode == Mode::Bus ? p_->bus_dwell_s : p_->rail_dwell_s) / 60.0;
                const std::uint32_t base =
                    static_cast<std::uint32_t>(2 * nz_ + ns) + b.line_rs_first[l];
                for (std::size_t k = 0; k < ln.stops.size(); ++k) {
                    const auto k16 = static_cast<std::uint16_t>(k);
                    const std::uint32_t node = base + static_cast<std::uint32_t>(k);
                    // Crowding: vehicles that left passengers behind yesterday add expected wait.
                    const float w =
                        wait +
                        (extra_wait_ ? static_cast<float>(extra_wait_(lid, k, period)) : 0.f);
                    const TEdge board{EdgeKind::Board,
                                      lid,
                                      k16,
                                      static_cast<float>(w * wait_w + board_pen),
                                      w,
                                      0};
                    const TEdge alight{EdgeKind::Alight, lid, k16, 0, 0, 0};
                    if (k + 1 < ln.stops.size()) {
                        for (int la = 0; la < layers; ++la)
                            b.add(b.stop(ln.stops[k]), node, la, la, board);
                        double secs = 0;
                        for (std::uint32_t li = ln.stop_link_pos[k]; li < ln.stop_link_pos[k + 1];
                             ++li)
                            secs += link_time(ln.links[li], at);
                        const float mins = static_cast<float>(secs / 60.0 + dwell_min);
                        const TEdge ride{EdgeKind::Ride, lid, k16, static_cast<float>(mins * ivt_w),
                                         mins,           0};
                        // Riding the special mode (not merely boarding it) lifts the path into
                        // layer 1.
                        for (int la = 0; la < layers; ++la)
                            b.add(node, node + 1, la, special && layers == 2 ? 1 : la, ride);
                    }
                    if (k > 0)
                        for (int la = 0; la < layers; ++la)
                            b.add(node, b.stop(ln.stops[k]), la, la, alight);
                }
            }
            TransitGraph tg;
            tg.n_per_layer = b.n_per_layer;
            tg.layers = layers;
            tg.edges = std::move(b.edges);
            tg.g = TGraph(boost::edges_are_unsorted_multi_pass, b.ends.begin(), b.ends.end(),
                          b.props.begin(), tg.n_per_layer * static_cast<std::uint32_t>(layers));
            const std::size_t nv = boost::num_vertices(tg.g);
            struct Scratch {
                std::vector<double> dist;
                std::vector<std::uint32_t> pred;
            };
            tbb::enumerable_thread_specific<Scratch> scratch;
            tbb::parallel_for(std::size_t{0}, nz_, [&](std::size_t o) {
                auto& sc = scratch.local();
                sc.dist.assign(nv, std::numeric_limits<double>::infinity());
                sc.pred.assign(nv, std::numeric_limits<std::uint32_t>::max());
                sc.dist[o] = 0;
                PredEdgeRecorder vis;
                vis.pred = &sc.pred;
                auto weight = boost::make_function_property_map<TGraph::edge_descriptor, double>(
                    [&](const TGraph::edge_descriptor& e) {
                        return static_cast<double>(tg.edges[tg.g[e].e].cost);
                    });
                boost::dijkstra_shortest_paths_no_color_map_no_init(
                    tg.g, static_cast<std::uint32_t>(o), boost::dummy_property_map(),
                    sc.dist.data(), weight, boost::get(boost::vertex_index, tg.g),
                    std::less<double>(),
                    boost::closed_plus<double>(std::numeric_limits<double>::infinity()),
                    std::numeric_limits<double>::infinity(), 0.0, vis);
                // Edge ends are needed to walk back: recover the source vertex from the CSR.
                auto& out_legs =
                    legs_by_task[(static_cast<std::size_t>(period) * kTransitAlts + a) * nz_ + o];
                for (std::size_t d = 0; d < nz_; ++d) {
                    if (d == o) continue;
                    const std::uint32_t sink = static_cast<std::uint32_t>(nz_ + d) +
                                               static_cast<std::uint32_t>(last) * tg.n_per_layer;
                    if (!std::isfinite(sc.dist[sink])) continue;
                    // Walk back edge by edge: each pred entry is an edge index; its tail is found
                    // by the stored ends of that edge.
                    std::vector<std::uint32_t> path;
                    std::uint32_t v = sink;
                    while (v != o) {
                        const std::uint32_t e = sc.pred[v];
                        if (e == std::numeric_limits<std::uint32_t>::max()) break;
                        path.push_back(e);
                        v = b.ends[e].first;
                    }
                    if (v != o) continue;
                    std::reverse(path.begin(), path.end());
                    TransitPath tp;
                    tp.ok = true;
                    tp.first_leg = static_cast<std::uint32_t>(out_legs.size());
                    float pending_walk = 0;
                    float fare = 0;
                    for (std::uint32_t e : path) {
                        const TEdge& te = tg.edges[e];
                        switch (te.kind) {
                            case EdgeKind::Access:
                            case EdgeKind::Transfer:
                                pending_walk += te.metres;
                                tp.walk_min += te.minutes;
                                break;
                            case EdgeKind::Egress:
                                tp.egress_m = te.metres;
                                tp.walk_min += te.minutes;
                                break;
                            case EdgeKind::Board:
                                out_legs.push_back({te.line, te.k, te.k, pending_walk});
                                pending_walk = 0;
                                tp.wait_min += te.minutes;
                                ++tp.boardings;
                                fare = std::max(
                                    fare, static_cast<float>(lines[te.line.index()].fare_krw));
                                break;
                            case EdgeKind::Ride:
                                tp.ivt_min += te.minutes;
                                out_legs.back().alight = static_cast<std::uint16_t>(te.k + 1);
                                break;
                            case EdgeKind::Alight:
                                break;
                        }
                    }
                    tp.leg_count = static_cast<std::uint32_t>(out_legs.size()) - tp.first_leg;
                    bool rides = true;  // every boarding must ride at least one stop
                    for (std::uint32_t g = tp.first_leg; g < out_legs.size(); ++g)
                        rides = rides && out_legs[g].alight > out_legs[g].board;
                    if (!rides) {
                        out_legs.resize(tp.first_leg);
                        continue;
                    }
                    tp.fare_krw = fare;  // integrated fare: transfers are free (daejeon_facts.csv)
                    if (tp.leg_count == 0) continue;
                    transit_[(static_cast<std::size_t>(period) * kTransitAlts + a) * nz_ * nz_ +
                             o * nz_ + d] = tp;
                }
            });
        }
    }
    // Concatenate per-task leg lists in task order (deterministic) and fix offsets.
    legs_.clear();
    for (std::size_t task = 0; task < legs_by_task.size(); ++task) {
        const auto offset = static_cast<std::uint32_t>(legs_.size());
        const std::size_t pa = task / nz_, o = task % nz_;
        for (std::size_t d = 0; d < nz_; ++d) {
            auto& tp = transit_[pa * nz_ * nz_ + o * nz_ + d];
            if (tp.ok) tp.first_leg += offset;
        }
        legs_.insert(legs_.end(), legs_by_task[task].begin(), legs_by_task[task].end());
    }
}

}  // namespace modeshift
