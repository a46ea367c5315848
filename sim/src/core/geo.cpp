#include "modeshift/core/geo.hpp"

#include <algorithm>
#include <cmath>

namespace modeshift {
namespace {
constexpr double kEarthRadiusM = 6'371'008.8;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
}  // namespace

double haversine_m(LatLon a, LatLon b) {
    const double dlat = (b.lat - a.lat) * kDegToRad;
    const double dlon = (b.lon - a.lon) * kDegToRad;
    const double s = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat * kDegToRad) * std::cos(b.lat * kDegToRad) *
                         std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(s)));
}

double polyline_length_m(std::span<const LatLon> pts) {
    double s = 0;
    for (std::size_t i = 1; i < pts.size(); ++i) s += haversine_m(pts[i - 1], pts[i]);
    return s;
}

LocalProjection::LocalProjection(LatLon reference) : ref_(reference) {
    // Metres per degree on the WGS84 ellipsoid at the reference latitude.
    const double phi = reference.lat * kDegToRad;
    m_per_deg_lat_ = 111'132.954 - 559.822 * std::cos(2 * phi) + 1.175 * std::cos(4 * phi);
    m_per_deg_lon_ =
        111'412.84 * std::cos(phi) - 93.5 * std::cos(3 * phi) + 0.118 * std::cos(5 * phi);
}

XY LocalProjection::to_xy(LatLon p) const {
    return {(p.lon - ref_.lon) * m_per_deg_lon_, (p.lat - ref_.lat) * m_per_deg_lat_};
}

LatLon LocalProjection::to_latlon(XY p) const {
    return {ref_.lat + p.y_m / m_per_deg_lat_, ref_.lon + p.x_m / m_per_deg_lon_};
}

double point_segment_distance_m(XY p, XY a, XY b) {
    const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x_m - (a.x_m + t * dx), p.y_m - (a.y_m + t * dy));
}

double polyline_end_heading(std::span<const LatLon> pts, const LocalProjection& proj, bool arriving,
                            double reach_m) {
    const std::size_t n = pts.size();
    // The i-th point walked from the chosen end.
    const auto at = [&](std::size_t i) { return proj.to_xy(arriving ? pts[n - 1 - i] : pts[i]); };
    const XY start = at(0);
    XY far = start;
    double walked = 0;
    for (std::size_t i = 1; i < n; ++i) {
        const XY a = at(i - 1), b = at(i);
        const double seg = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
        if (walked + seg >= reach_m && seg > 0) {
            const double f = (reach_m - walked) / seg;
            far = {a.x_m + f * (b.x_m - a.x_m), a.y_m + f * (b.y_m - a.y_m)};
            break;
        }
        walked += seg;
        far = b;
    }
    // Towards the end point when arriving, away from the first point when leaving.
    return arriving ? std::atan2(start.y_m - far.y_m, start.x_m - far.x_m)
                    : std::atan2(far.y_m - start.y_m, far.x_m - start.x_m);
}

}  // namespace modeshift
