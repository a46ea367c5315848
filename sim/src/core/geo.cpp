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

}  // namespace modeshift
