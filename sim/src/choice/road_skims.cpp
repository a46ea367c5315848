// Car, taxi, bike and walk level-of-service from shortest-path trees over the road network.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "modeshift/choice/choice.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/network/shortest_path.hpp"
#include "transit_graph.hpp"  // complete type of the kept transit cache

namespace modeshift {

Skims::Skims(const Network& net, const ChoiceParams& p, const ChoiceContext& ctx)
    : net_(&net), p_(&p), ctx_(&ctx), nz_(net.zone_count()) {
    walk_dist_.assign(nz_ * nz_, 0.f);
    for (std::size_t o = 0; o < nz_; ++o)
        for (std::size_t d = 0; d < nz_; ++d) {
            const Zone& a = net.zone(ZoneId::from_index(o));
            const Zone& b = net.zone(ZoneId::from_index(d));
            // Within a zone: half the side of a square of its area stands for a typical local trip.
            const double km = o == d ? 0.5 * std::sqrt(std::max(a.area_km2, 0.01))
                                     : haversine_m({a.lat, a.lon}, {b.lat, b.lon}) / 1000.0;
            walk_dist_[o * nz_ + d] = static_cast<float>(km * p.detour_factor);
        }
}

void Skims::update(const LinkTimeFn& link_time) {
    update_car(link_time);
    if (!bike_done_) update_bike();  // bike times do not depend on congestion
    update_transit(link_time);
}

std::vector<LinkId> Skims::intrazonal_route(ZoneId z) const {
    // Out along the first connector and straight back: stands for local streets in the zone.
    const NodeId c = net_->zone(z).centroid;
    for (LinkId out : net_->out_links(c)) {
        if (!allows(net_->modes(out), Mode::Car)) continue;
        const LinkId back = net_->find_link(net_->to(out), c);
        if (back.valid()) return {out, back};
    }
    return {};
}

void Skims::update_car(const LinkTimeFn& link_time) {
    const Network& net = *net_;
    const std::size_t nl = net.link_count(), nn = net.node_count();
    // Generalized cost in seconds: time plus tolls converted with the value of time.
    const double s_per_krw = p_->b_cost / p_->b_ivt_car * 60.0;
    std::vector<std::vector<double>> cost(24, std::vector<double>(nl));
    std::vector<std::vector<double>> time(24, std::vector<double>(nl));
    tbb::parallel_for(0, 24, [&](int h) {
        const TimeMs at = h * kMsPerHour + kMsPerHour / 2;
        for (std::size_t l = 0; l < nl; ++l) {
            const LinkId id = LinkId::from_index(l);
            time[h][l] = link_time(id, at);
            cost[h][l] = time[h][l] + net.data().links.toll[l] * s_per_krw;
        }
    });
    car_time_.assign(24 * nz_ * nz_, 0.f);
    car_dist_.assign(24 * nz_ * nz_, 0.f);
    car_toll_.assign(24 * nz_ * nz_, 0.f);
    // The trees keep yesterday's buffers (each is overwritten in full below): ~150 MB of pages
    // are not freed, faulted in and zeroed again every day.
    car_pred_.resize(24 * nz_);
    tbb::enumerable_thread_specific<ShortestPathWorkspace> ws(net);
    tbb::parallel_for(std::size_t{0}, 24 * nz_, [&](std::size_t task) {
        const int h = static_cast<int>(task / nz_);
        const ZoneId o = ZoneId::from_index(task % nz_);
        auto& w = ws.local();
        w.run(net.zone(o).centroid, cost[h], Mode::Car);
        auto& pred = car_pred_[task];
        pred.resize(nn);
        for (std::size_t n = 0; n < nn; ++n) pred[n] = w.pred_link(NodeId::from_index(n));
        for (std::size_t d = 0; d < nz_; ++d) {
            const ZoneId dz = ZoneId::from_index(d);
            const auto route = d == o.index() ? intrazonal_route(o) : car_route(o, dz, h);
            float t = 0, km = 0, toll = 0;
            for (LinkId l : route) {
                t += static_cast<float>(time[h][l.index()]);
                km += static_cast<float>(net.length_m(l) / 1000.0);
                toll += static_cast<float>(net.data().links.toll[l.index()]);
            }
            const std::size_t i = idx(o, dz, h);
            const bool reachable = !route.empty();
            car_time_[i] = reachable ? t / 60.f : -1.f;
            car_dist_[i] = km;
            car_toll_[i] = toll;
        }
    });
    const std::size_t ng = gateways_.size();
    gateway_pred_.resize(24 * ng);
    tbb::parallel_for(std::size_t{0}, 24 * ng, [&](std::size_t task) {
        auto& w = ws.local();
        w.run(gateways_[task % ng], cost[task / ng], Mode::Car);
        auto& pred = gateway_pred_[task];
        pred.resize(nn);
        for (std::size_t n = 0; n < nn; ++n) pred[n] = w.pred_link(NodeId::from_index(n));
    });
}

namespace {
/// Links from `src` to `dst` along a shortest-path tree's predecessor links (empty if unreachable).
std::vector<LinkId> path_from_tree(const Network& net, const std::vector<LinkId>& pred, NodeId src,
                                   NodeId dst) {
    std::vector<LinkId> route;
    for (NodeId n = dst; n != src;) {
        const LinkId l = pred[n.index()];
        if (!l.valid()) return {};
        route.push_back(l);
        n = net.from(l);
    }
    std::reverse(route.begin(), route.end());
    return route;
}
}  // namespace

std::vector<LinkId> Skims::car_route_from_gateway(std::size_t g, ZoneId d, int hour) const {
    MS_ASSERT(g < gateways_.size(), "no such gateway");
    return path_from_tree(*net_,
                          gateway_pred_[static_cast<std::size_t>(hour) * gateways_.size() + g],
                          gateways_[g], net_->zone(d).centroid);
}

std::vector<LinkId> Skims::car_route_to_gateway(ZoneId o, std::size_t g, int hour) const {
    MS_ASSERT(g < gateways_.size(), "no such gateway");
    return path_from_tree(*net_, car_pred_[static_cast<std::size_t>(hour) * nz_ + o.index()],
                          net_->zone(o).centroid, gateways_[g]);
}

std::vector<LinkId> Skims::car_route(ZoneId o, ZoneId d, int hour) const {
    if (o == d) return intrazonal_route(o);
    return path_from_tree(*net_, car_pred_[static_cast<std::size_t>(hour) * nz_ + o.index()],
                          net_->zone(o).centroid, net_->zone(d).centroid);
}

void Skims::update_bike() {
    const Network& net = *net_;
    const std::size_t nl = net.link_count(), nn = net.node_count();
    const auto& L = net.data().links;
    std::vector<double> cost(nl);
    for (std::size_t l = 0; l < nl; ++l) {
        // Cyclists prefer bike lanes: a lane shortens the perceived time by the utility bonus.
        const double lane = L.bike_lane[l] ? 1.0 + p_->b_bike_lane / -p_->b_bike : 1.0;
        cost[l] = L.length_m[l] / (p_->bike_speed_mps * ctx_->bike_speed_factor) / lane;
    }
    bike_dist_.assign(nz_ * nz_, -1.f);
    bike_lane_share_.assign(nz_ * nz_, 0.f);
    bike_pred_.assign(nz_, {});
    tbb::enumerable_thread_specific<ShortestPathWorkspace> ws(net);
    tbb::parallel_for(std::size_t{0}, nz_, [&](std::size_t oi) {
        auto& w = ws.local();
        const ZoneId o = ZoneId::from_index(oi);
        w.run(net.zone(o).centroid, cost, Mode::Bike);
        auto& pred = bike_pred_[oi];
        pred.resize(nn);
        for (std::size_t n = 0; n < nn; ++n) pred[n] = w.pred_link(NodeId::from_index(n));
        for (std::size_t d = 0; d < nz_; ++d) {
            if (d == oi) {
                bike_dist_[pair(o, o)] = walk_dist_[pair(o, o)];
                continue;
            }
            double m = 0, lane_m = 0;
            const auto route = bike_route(o, ZoneId::from_index(d));
            for (LinkId l : route) {
                m += L.length_m[l.index()];
                lane_m += L.bike_lane[l.index()] ? L.length_m[l.index()] : 0.0;
            }
            if (!route.empty()) {
                bike_dist_[oi * nz_ + d] = static_cast<float>(m / 1000.0);
                bike_lane_share_[oi * nz_ + d] = static_cast<float>(m > 0 ? lane_m / m : 0.0);
            }
        }
    });
    bike_done_ = true;
}

std::vector<LinkId> Skims::bike_route(ZoneId o, ZoneId d) const {
    if (o == d) return {};
    return path_from_tree(*net_, bike_pred_[o.index()], net_->zone(o).centroid,
                          net_->zone(d).centroid);
}

}  // namespace modeshift
