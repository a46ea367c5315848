#include "modeshift/validate/geometry.hpp"

#include <algorithm>
#include <cmath>

#include "modeshift/network/network.hpp"

namespace modeshift {

namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

double bearing_deg(XY a, XY b) {
    double d = std::atan2(b.x_m - a.x_m, b.y_m - a.y_m) * 180.0 / kPi;
    return d < 0 ? d + 360.0 : d;
}

double bearing_difference_deg(double a, double b) {
    return std::fabs(std::remainder(a - b, 360.0));
}

double xy_distance_m(XY a, XY b) {
    return std::hypot(a.x_m - b.x_m, a.y_m - b.y_m);
}

double xy_length_m(std::span<const XY> line) {
    double total = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) total += xy_distance_m(line[i], line[i + 1]);
    return total;
}

XY polyline_midpoint(std::span<const XY> line) {
    if (line.empty()) return {};
    double want = xy_length_m(line) / 2;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        double d = xy_distance_m(line[i], line[i + 1]);
        if (d > 0 && want <= d) {
            double f = want / d;
            return {line[i].x_m + f * (line[i + 1].x_m - line[i].x_m),
                    line[i].y_m + f * (line[i + 1].y_m - line[i].y_m)};
        }
        want -= d;
    }
    return line.back();
}

std::vector<XY> project_polyline(const Network& net, std::span<const LatLon> pts) {
    std::vector<XY> out;
    out.reserve(pts.size());
    for (const auto& p : pts) out.push_back(net.projection().to_xy(p));
    return out;
}

PolylineFoot nearest_on_polyline(std::span<const XY> line, XY q) {
    std::size_t first = line.size(), last = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i)
        if (xy_distance_m(line[i], line[i + 1]) > 0) {
            first = std::min(first, i);
            last = i;
        }
    PolylineFoot best;
    double along = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        XY a = line[i], b = line[i + 1];
        double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m, len2 = dx * dx + dy * dy;
        if (len2 <= 0) continue;
        const double t_free = ((q.x_m - a.x_m) * dx + (q.y_m - a.y_m) * dy) / len2;
        const double t = std::clamp(t_free, 0.0, 1.0);
        const double d = xy_distance_m(q, {a.x_m + t * dx, a.y_m + t * dy});
        const double len = std::sqrt(len2);
        if (d < best.distance_m) {
            const double lo = i == first ? -std::numeric_limits<double>::infinity() : 0.0;
            const double hi = i == last ? std::numeric_limits<double>::infinity() : 1.0;
            best = {d, bearing_deg(a, b), along + std::clamp(t_free, lo, hi) * len};
        }
        along += len;
    }
    return best;
}

LinkShape link_shape(const Network& net, LinkId l) {
    auto xy = project_polyline(net, net.link_geometry(l));
    return {polyline_midpoint(xy), xy.size() >= 2 ? bearing_deg(xy.front(), xy.back()) : 0.0};
}

}  // namespace modeshift
