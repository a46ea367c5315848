#include "modeshift/validate/matching.hpp"

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/validate/geometry.hpp"

namespace modeshift {

bool is_road_link(const Network& net, LinkId l) {
    const RoadClass rc = net.data().links.road_class[l.index()];
    if (rc == RoadClass::Connector || rc == RoadClass::Rail || rc == RoadClass::Tram ||
        rc == RoadClass::Path)
        return false;
    return allows(net.modes(l), Mode::Car);
}

std::vector<LinkMatch> match_corridor_links(const Network& net, std::span<const LatLon> line,
                                            bool reverse, double max_distance_m,
                                            double max_angle_deg) {
    const auto seg = project_polyline(net, line);
    const double seg_len = xy_length_m(seg);
    // Where a point falls along the segment, in the segment direction.
    auto along = [&](XY p) {
        const double c = nearest_on_polyline(seg, p).chainage_m;
        return reverse ? seg_len - c : c;
    };
    std::vector<LinkMatch> out;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        LinkId l = LinkId::from_index(i);
        if (!is_road_link(net, l)) continue;
        const auto shape = project_polyline(net, net.link_geometry(l));
        if (shape.size() < 2) continue;
        PolylineFoot n = nearest_on_polyline(seg, polyline_midpoint(shape));
        if (!(n.distance_m <= max_distance_m)) continue;
        double dir = reverse ? std::fmod(n.bearing + 180.0, 360.0) : n.bearing;
        double a = bearing_difference_deg(bearing_deg(shape.front(), shape.back()), dir);
        if (!(a <= max_angle_deg)) continue;
        LinkMatch m{l, n.distance_m, a};
        const double raw_from = along(shape.front()), raw_to = along(shape.back());
        if (raw_to > raw_from) {
            m.from_m = std::clamp(raw_from, 0.0, seg_len);
            m.to_m = std::clamp(raw_to, 0.0, seg_len);
            m.inside_m = net.length_m(l) * (m.to_m - m.from_m) / (raw_to - raw_from);
        }
        out.push_back(m);
    }
    return out;
}

LengthAndTime drive_segment(std::span<const LinkMatch> links, std::span<const double> weight,
                            std::span<const double> speed_kmh) {
    MS_ASSERT(links.size() == weight.size() && links.size() == speed_kmh.size(),
              "links, weights and speeds differ in size");
    auto used = [&](std::size_t i) {
        return weight[i] > 0 && links[i].to_m > links[i].from_m && links[i].inside_m > 0;
    };
    std::vector<double> cuts;
    for (std::size_t i = 0; i < links.size(); ++i)
        if (used(i)) {
            cuts.push_back(links[i].from_m);
            cuts.push_back(links[i].to_m);
        }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    LengthAndTime r;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        double w = 0, len = 0, time = 0;
        for (std::size_t i = 0; i < links.size(); ++i) {
            if (!used(i) || links[i].from_m > cuts[k] || links[i].to_m < cuts[k + 1]) continue;
            // The link's own length over this piece (its geometry may be longer or shorter than
            // the chainage it spans), driven at its speed.
            const double piece =
                links[i].inside_m * (cuts[k + 1] - cuts[k]) / (links[i].to_m - links[i].from_m);
            w += weight[i];
            len += weight[i] * piece;
            time += weight[i] * piece / speed_kmh[i];
        }
        if (w <= 0) continue;
        r.length_m += len / w;
        r.time += time / w;
    }
    return r;
}

std::optional<double> segment_speed_kmh(std::span<const LinkMatch> links,
                                        std::span<const std::optional<LinkTraffic>> traffic) {
    MS_ASSERT(links.size() == traffic.size(), "links and traffic differ in size");
    std::vector<double> weight(links.size(), 0.0), speed(links.size(), 1.0);
    for (std::size_t i = 0; i < links.size(); ++i)
        if (traffic[i] && traffic[i]->vehicles > 0 && traffic[i]->speed_kmh > 0) {
            weight[i] = traffic[i]->vehicles;
            speed[i] = traffic[i]->speed_kmh;
        }
    const LengthAndTime d = drive_segment(links, weight, speed);
    if (!(d.time > 0)) return std::nullopt;
    return d.length_m / d.time;
}

}  // namespace modeshift
