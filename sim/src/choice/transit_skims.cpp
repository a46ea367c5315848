// Transit level-of-service: a Dijkstra over a stop / route-stop graph per period and alternative.
// Metro and tram alternatives use a two-layer graph (layer 1 = the rail mode has been boarded) so
// the best path that actually uses the rail mode is found, with bus feeders allowed.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "modeshift/choice/choice.hpp"
#include "transit_graph.hpp"

namespace modeshift {
namespace {

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

Skims::~Skims() = default;
Skims::Skims(Skims&&) noexcept = default;
Skims& Skims::operator=(Skims&&) noexcept = default;

void Skims::update_transit(const LinkTimeFn& link_time) {
    using namespace transit_detail;
    const Network& net = *net_;
    if (access_.empty() && nz_ > 0) build_walk_links();
    if (!transit_cache_) transit_cache_ = std::make_unique<TransitCache>();
    TransitCache& cache = *transit_cache_;
    const auto& lines = net.data().lines;
    static constexpr int kPeriodHour[kPeriods] = {8, 13, 18, 21};
    constexpr std::size_t kGraphs = static_cast<std::size_t>(kPeriods) * kTransitAlts;
    constexpr auto kNone = std::numeric_limits<std::uint32_t>::max();
    transit_.assign(kGraphs * nz_ * nz_, TransitPath{});
    cache.graphs.resize(kGraphs);
    cache.costs.resize(kPeriods);
    cache.legs_by_task.resize(kGraphs * nz_);
    for (auto& l : cache.legs_by_task) l.clear();
    std::array<bool, kGraphs> searched{};
    std::vector<std::uint32_t> line_rs_first(lines.size());

    for (int period = 0; period < kPeriods; ++period) {
        const TimeMs at = kPeriodHour[period] * kMsPerHour;
        const bool peak = period == 0 || period == 2;
        LineStopCosts& c = cache.costs[static_cast<std::size_t>(period)];
        c.first.resize(lines.size());
        std::uint32_t all_rs = 0;
        for (std::size_t l = 0; l < lines.size(); ++l) {
            c.first[l] = all_rs;
            all_rs += static_cast<std::uint32_t>(lines[l].stops.size());
        }
        c.board_wait_min.resize(all_rs);
        c.ride_min.resize(all_rs);
        c.filled.assign(lines.size(), 0);
        // A line's wait and riding times are the same in every alternative: computed once.
        auto fill_line = [&](std::size_t l) {
            const auto& ln = lines[l];
            const LineId lid = LineId::from_index(l);
            const double headway_min = (peak ? ln.headway_peak_s : ln.headway_offpeak_s) / 60.0;
            const float wait = static_cast<float>(std::min(headway_min / 2.0, p_->max_wait_min));
            const double dwell_min =
                (ln.mode == Mode::Bus ? p_->bus_dwell_s : p_->rail_dwell_s) / 60.0;
            for (std::size_t k = 0; k + 1 < ln.stops.size(); ++k) {
                // Crowding: vehicles that left passengers behind yesterday add expected wait.
                c.board_wait_min[c.first[l] + k] =
                    wait + (extra_wait_ ? static_cast<float>(extra_wait_(lid, k, period)) : 0.f);
                double secs = 0;
                for (std::uint32_t li = ln.stop_link_pos[k]; li < ln.stop_link_pos[k + 1]; ++li)
                    secs += link_time(ln.links[li], at);
                c.ride_min[c.first[l] + k] = static_cast<float>(secs / 60.0 + dwell_min);
            }
            c.filled[l] = 1;
        };
        for (int a = 0; a < kTransitAlts; ++a) {
            const auto alt = static_cast<TransitAlt>(a);
            std::uint32_t rs = 0;
            bool has_special = alt == TransitAlt::Bus;
            for (std::size_t l = 0; l < lines.size(); ++l) {
                line_rs_first[l] = kNone;
                if (!lines[l].active || !ctx_->mode_enabled[mode_index(lines[l].mode)] ||
                    !line_in_alt(lines[l].mode, alt))
                    continue;
                if (lines[l].service_start_s > at / 1000.0 || lines[l].service_end_s < at / 1000.0)
                    continue;
                line_rs_first[l] = rs;
                rs += static_cast<std::uint32_t>(lines[l].stops.size());
                has_special = has_special || lines[l].mode != Mode::Bus;
            }
            if (!has_special) continue;  // e.g. tram before it opens: no path at all
            for (std::size_t l = 0; l < lines.size(); ++l)
                if (line_rs_first[l] != kNone && !c.filled[l]) fill_line(l);
            const std::size_t gi = static_cast<std::size_t>(period) * kTransitAlts + a;
            TransitGraph& tg = cache.graphs[gi];
            // The lines that run can change between calls (a policy switching a line or a mode
            // on or off): the topology is rebuilt whenever they differ from the kept one's.
            if (tg.row.empty() || tg.key != line_rs_first)
                build_topology(tg, net, line_rs_first, alt == TransitAlt::Bus ? 1 : 2, nz_, access_,
                               transfer_);
            refresh_costs(tg, net, *p_, c);
            searched[gi] = true;
        }
    }
    // One parallel loop over (graph, origin): each task writes its own paths and legs only.
    tbb::parallel_for(std::size_t{0}, kGraphs * nz_, [&](std::size_t task) {
        const std::size_t gi = task / nz_, o = task % nz_;
        if (!searched[gi]) return;
        const TransitGraph& tg = cache.graphs[gi];
        auto& sc = cache.scratch.local();
        shortest_tree(tg, static_cast<std::uint32_t>(o), nz_, sc);
        auto& out_legs = cache.legs_by_task[task];
        const auto last = static_cast<std::uint32_t>(tg.layers - 1);
        for (std::size_t d = 0; d < nz_; ++d) {
            if (d == o) continue;
            const std::uint32_t sink = static_cast<std::uint32_t>(nz_ + d) + last * tg.n_per_layer;
            if (!std::isfinite(sc.dist[sink])) continue;
            // Walk back edge by edge: each pred entry is an edge index; its tail is found by the
            // stored tails of the edges.
            auto& path = sc.path;
            path.clear();
            std::uint32_t v = sink;
            while (v != o) {
                const std::uint32_t e = sc.pred[v];
                if (e == kNone) break;
                path.push_back(e);
                v = tg.tails[e];
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
                        fare = std::max(fare, static_cast<float>(lines[te.line.index()].fare_krw));
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
            transit_[gi * nz_ * nz_ + o * nz_ + d] = tp;
        }
    });
    // Concatenate per-task leg lists in task order (deterministic) and fix offsets.
    legs_.clear();
    for (std::size_t task = 0; task < cache.legs_by_task.size(); ++task) {
        const auto offset = static_cast<std::uint32_t>(legs_.size());
        const std::size_t pa = task / nz_, o = task % nz_;
        for (std::size_t d = 0; d < nz_; ++d) {
            auto& tp = transit_[pa * nz_ * nz_ + o * nz_ + d];
            if (tp.ok) tp.first_leg += offset;
        }
        legs_.insert(legs_.end(), cache.legs_by_task[task].begin(), cache.legs_by_task[task].end());
    }
}

}  // namespace modeshift
