// Lanes per road link from the real sources by precedence: ETRI 2022 edges matched by geometry,
// then published sections, then ETRI 둔산 edges as a lower bound on the rule; capacity and
// queue storage follow the lanes.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "modeshift/import_daejeon/lanes.hpp"
#include "modeshift/network/builder.hpp"

namespace modeshift::daejeon {
namespace {

/// Nearest segment of the polyline to p: (distance, segment index).
std::pair<double, std::size_t> nearest_segment(const std::vector<XY>& line, XY p) {
    std::pair<double, std::size_t> best{INFINITY, 0};
    for (std::size_t i = 1; i < line.size(); ++i)
        best = std::min(best, {point_segment_distance_m(p, line[i - 1], line[i]), i - 1});
    return best;
}

/// Angle between the directions a->b and c->d in degrees, 0..180.
double angle_between(XY a, XY b, XY c, XY d) {
    const double u = std::atan2(b.y_m - a.y_m, b.x_m - a.x_m);
    const double v = std::atan2(d.y_m - c.y_m, d.x_m - c.x_m);
    double diff = std::fabs(u - v) * 180.0 / std::numbers::pi;
    if (diff > 360) diff = std::fmod(diff, 360.0);
    return diff > 180 ? 360 - diff : diff;
}

double lane_km(const LinkTable& L, std::size_t i) {
    return static_cast<double>(L.lanes[i]) * L.length_m[i] / 1000.0;
}

/// The polyline of link i: its geometry, or the straight line between its end nodes.
std::vector<LatLon> link_points(const NetworkData& d, std::size_t i) {
    const auto& L = d.links;
    std::vector<LatLon> pts;
    for (auto k = L.geom_first[i]; k < L.geom_first[i + 1]; ++k)
        pts.push_back({L.geom_lat[k], L.geom_lon[k]});
    if (pts.size() < 2) {
        pts = {{d.nodes.lat[L.from[i].index()], d.nodes.lon[L.from[i].index()]},
               {d.nodes.lat[L.to[i].index()], d.nodes.lon[L.to[i].index()]}};
    }
    return pts;
}

/// The used published section that link i lies in (its tram segment and road name), or nullptr.
const LaneSection* section_of(const NetworkData& d, std::size_t i, const std::string& segment,
                              const LaneSources& src) {
    if (segment.empty()) return nullptr;
    for (const auto& s : src.sections) {
        if (s.decision != SectionDecision::Use || d.names[d.links.name[i]] != s.road) continue;
        if (std::find(s.tram_segments.begin(), s.tram_segments.end(), segment) !=
            s.tram_segments.end())
            return &s;
    }
    return nullptr;
}

void set_lanes(LinkTable& L, std::size_t i, float lanes, LanesSource source) {
    // Capacity and storage are proportional to lanes (capacity = lanes x saturation flow,
    // storage = length x lanes / kEffectiveCellSizeM), so both scale with the lane count.
    const double f = static_cast<double>(lanes) / static_cast<double>(L.lanes[i]);
    L.capacity_vph[i] *= f;
    L.storage_pce[i] = std::max(1.0, L.length_m[i] * lanes / kEffectiveCellSizeM);
    L.lanes[i] = lanes;
    L.lanes_source[i] = source;
}

/// Per used section: (links that took its lanes, links along it).
using SectionHits = std::map<const LaneSection*, std::pair<int, int>>;

void section_notes(const LaneSources& src, const SectionHits& hits, LaneStats& st) {
    for (const auto& s : src.sections) {
        const std::string head =
            fmt::format("lanes_published.csv {} {} (as of {}, trust {}): ", s.road, s.section,
                        s.as_of, s.trust);
        if (s.decision == SectionDecision::NotLocated) {
            st.notes.push_back(head + "cannot be located: " + s.reason);
        } else if (s.decision == SectionDecision::NotUsed) {
            st.notes.push_back(head + "not used: " + s.reason);
        } else {
            const auto it = hits.find(&s);
            const int set = it == hits.end() ? 0 : it->second.first;
            const int along = it == hits.end() ? 0 : it->second.second;
            st.notes.push_back(
                along == 0 ? fmt::format("{}{} lanes/dir, but no link with this road name runs "
                                         "along its tram segments: {}",
                                         head, s.lanes, s.reason)
                           : fmt::format("{}{} lanes/dir on {} of the {} links along it ({} took "
                                         "ETRI 2022 lanes): {}",
                                         head, s.lanes, set, along, along - set, s.reason));
        }
    }
}

}  // namespace

float lanes_along(const std::vector<LatLon>& link, const std::vector<LaneEdge>& edges,
                  const LaneMatch& m) {
    if (link.size() < 2) return 0;
    const LocalProjection proj(link.front());
    std::vector<XY> line;
    double lo_x = INFINITY, hi_x = -INFINITY, lo_y = INFINITY, hi_y = -INFINITY, length = 0;
    for (const auto& p : link) {
        const XY q = proj.to_xy(p);
        if (!line.empty()) length += std::hypot(q.x_m - line.back().x_m, q.y_m - line.back().y_m);
        line.push_back(q);
        lo_x = std::min(lo_x, q.x_m), hi_x = std::max(hi_x, q.x_m);
        lo_y = std::min(lo_y, q.y_m), hi_y = std::max(hi_y, q.y_m);
    }
    if (length <= 0) return 0;
    std::map<float, double> covered;  // lanes -> matched edge length
    for (const auto& e : edges) {
        const XY a = proj.to_xy(e.from), b = proj.to_xy(e.to);
        const XY mid{(a.x_m + b.x_m) / 2, (a.y_m + b.y_m) / 2};
        // Cheap reject: the middle must be within the tolerance of the link's bounding box.
        if (mid.x_m < lo_x - m.tolerance_m || mid.x_m > hi_x + m.tolerance_m ||
            mid.y_m < lo_y - m.tolerance_m || mid.y_m > hi_y + m.tolerance_m)
            continue;
        const double len = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
        if (len < 1) continue;  // no direction to compare
        const auto [dm, seg] = nearest_segment(line, mid);
        if (dm > m.tolerance_m || nearest_segment(line, a).first > m.tolerance_m ||
            nearest_segment(line, b).first > m.tolerance_m)
            continue;
        // The bearing test keeps the other carriageway of a two-way road (opposite direction,
        // 10-20 m away) from matching.
        if (angle_between(a, b, line[seg], line[seg + 1]) > m.max_bearing_deg) continue;
        covered[e.lanes] += len;
    }
    double total = 0, best_len = 0;
    float best = 0;
    for (const auto& [lanes, len] : covered) {  // ascending lanes: a tie keeps the fewer
        total += len;
        if (len > best_len + 0.01) {  // a tie is within a centimetre (rounding of the projection)
            best_len = len;
            best = lanes;
        }
    }
    return total >= m.min_coverage * length ? best : 0.0F;
}

LaneStats assign_lanes(NetworkData& d, std::size_t end,
                       const std::vector<std::string>& tram_segment, const LaneSources& src) {
    auto& L = d.links;
    LaneStats st;
    SectionHits hits;
    for (std::size_t i = 0; i < end; ++i) {
        if (L.lanes_source[i] != LanesSource::Rule) continue;
        st.lane_km_before += lane_km(L, i);
        const auto pts = link_points(d, i);
        const std::string& seg = i < tram_segment.size() ? tram_segment[i] : std::string();
        const LaneSection* section = section_of(d, i, seg, src);
        if (section) ++hits[section].second;
        if (const float v = lanes_along(pts, src.doan2022, src.match); v > 0) {
            set_lanes(L, i, v, LanesSource::EtriDoan2022);
        } else if (section) {
            set_lanes(L, i, section->lanes, LanesSource::Published);
            ++hits[section].first;
        } else if (const float u = lanes_along(pts, src.dunsan, src.match); u > 0) {
            // A lower bound (a test network with fewer lanes than the press gives): it only
            // raises the rule's estimate.
            if (u > L.lanes[i])
                set_lanes(L, i, u, LanesSource::EtriDunsan);
            else
                ++st.dunsan_not_above_rule;
        }
        const auto k = static_cast<std::size_t>(L.lanes_source[i]);
        st.links[k] += 1;
        st.km[k] += L.length_m[i] / 1000.0;
        st.lane_km_after += lane_km(L, i);
    }
    section_notes(src, hits, st);
    return st;
}

}  // namespace modeshift::daejeon
