#include "modeshift/validate/counts.hpp"

#include <fmt/format.h>

#include <utility>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/validate/geometry.hpp"
#include "modeshift/validate/matching.hpp"

namespace modeshift {

std::vector<double> daily_vehicles(const Network& net, std::span<const LinkHour> rows) {
    std::vector<double> d(net.link_count(), 0.0);
    for (const auto& r : rows)
        if (r.link.index() < d.size()) d[r.link.index()] += r.vehicles;
    return d;
}

namespace {

using ShapedLink = std::pair<LinkId, LinkShape>;

/// The link whose midpoint is nearest q within `radius`, among those `keep` accepts (the first
/// of equals); nullptr if none.
template <class Keep>
const ShapedLink* nearest_within(std::span<const ShapedLink> shapes, XY q, double radius,
                                 Keep keep) {
    const ShapedLink* best = nullptr;
    for (const auto& s : shapes) {
        if (!keep(s)) continue;
        const double d = xy_distance_m(s.second.mid, q);
        if (d <= radius && (!best || d < xy_distance_m(best->second.mid, q))) best = &s;
    }
    return best;
}

/// A count with lat/lon: the nearest link of the road plus the nearest one heading the other way.
void count_at_point(const Network& net, std::span<const double> daily,
                    std::span<const LinkId> named, CountResult& res) {
    const TrafficCount& c = res.count;
    const XY q = net.projection().to_xy({*c.lat, *c.lon});
    const double radius = c.radius_m.value_or(0);
    std::vector<ShapedLink> shapes;
    for (auto l : named) shapes.emplace_back(l, link_shape(net, l));
    const ShapedLink* first =
        nearest_within(shapes, q, radius, [](const ShapedLink&) { return true; });
    if (!first) {
        res.note = fmt::format("no '{}' link has its midpoint within {:.0f} m of ({}, {})",
                               c.road_name, radius, *c.lat, *c.lon);
        return;
    }
    const ShapedLink* opposite = nearest_within(shapes, q, radius, [&](const ShapedLink& s) {
        return bearing_difference_deg(s.second.bearing, first->second.bearing) > 90.0;
    });
    res.links.push_back(first->first);
    double v = daily[first->first.index()];
    if (opposite) {
        res.links.push_back(opposite->first);
        v += daily[opposite->first.index()];
    }
    res.simulated_veh_per_day = v;
    res.note = fmt::format(
        "point: link {} ({:.0f} m from the point){}", first->first.value(),
        xy_distance_m(first->second.mid, q),
        opposite
            ? fmt::format(" + opposite link {} ({:.0f} m)", opposite->first.value(),
                          xy_distance_m(opposite->second.mid, q))
            : std::string(" (no opposite-direction link within the radius: one direction only)"));
}

/// A count without a place: the road's busiest link plus its reverse link, if any.
void busiest_cross_section(const Network& net, std::span<const double> daily,
                           std::span<const LinkId> named, CountResult& res) {
    const std::string& road = res.count.road_name;
    double best = -1;
    std::vector<LinkId> best_links;
    for (auto l : named) {
        LinkId rev;
        for (LinkId o : net.out_links(net.to(l)))
            if (net.to(o) == net.from(l) && is_road_link(net, o) &&
                (!rev.valid() || net.link_name(o) == road))
                rev = o;
        double v = daily[l.index()] + (rev.valid() ? daily[rev.index()] : 0.0);
        if (v > best) {
            best = v;
            best_links = {l};
            if (rev.valid()) best_links.push_back(rev);
        }
    }
    res.simulated_veh_per_day = best;
    res.links = best_links;
    res.note =
        fmt::format("busiest cross-section of {} '{}' links: link {}{}", named.size(), road,
                    best_links[0].value(),
                    best_links.size() > 1 ? fmt::format(" + reverse link {}", best_links[1].value())
                                          : std::string(" (no reverse link: one direction only)"));
}

}  // namespace

CountResult evaluate_count(const Network& net, std::span<const double> daily,
                           const TrafficCount& c) {
    MS_ASSERT(daily.size() == net.link_count(), "daily volumes do not match the network");
    CountResult res;
    res.count = c;
    std::vector<LinkId> named;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        LinkId l = LinkId::from_index(i);
        if (is_road_link(net, l) && net.link_name(l) == c.road_name) named.push_back(l);
    }
    if (named.empty()) {
        res.note = fmt::format("no road link named '{}' in the network", c.road_name);
        return res;
    }
    if (c.lat && c.lon)
        count_at_point(net, daily, named, res);
    else
        busiest_cross_section(net, daily, named, res);
    if (res.simulated_veh_per_day) res.ratio = *res.simulated_veh_per_day / c.observed_veh_per_day;
    return res;
}

}  // namespace modeshift
