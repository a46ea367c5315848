#pragma once
/// Plane geometry of corridor matching, in a network's local projection (metres): bearings,
/// the nearest point of a polyline and the chainage to it, midpoints and lengths.
#include <limits>
#include <span>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/core/ids.hpp"

namespace modeshift {

class Network;

/// Compass bearing from a to b, in [0, 360) degrees (0 = north, 90 = east).
double bearing_deg(XY a, XY b);
/// Smallest angle between two bearings, in [0, 180].
double bearing_difference_deg(double a, double b);
double xy_distance_m(XY a, XY b);
/// Length of a projected polyline.
double xy_length_m(std::span<const XY> line);
/// Point half-way along a polyline (metric, in the network's projection).
XY polyline_midpoint(std::span<const XY> line);
/// The points in the network's projection.
std::vector<XY> project_polyline(const Network& net, std::span<const LatLon> pts);

struct PolylineFoot {
    double distance_m = std::numeric_limits<double>::infinity();
    double bearing = 0;  ///< of the polyline piece holding the nearest point
    double chainage_m =
        0;  ///< along the polyline to the foot of the point (see nearest_on_polyline)
};

/// Nearest point of a polyline to q; pieces of zero length are skipped (first piece wins ties).
/// The chainage is measured to the foot of q on the nearest piece, with the first and last pieces
/// extended beyond the ends (below 0, or beyond the length): a link overhanging a segment end is
/// seen to overhang.
PolylineFoot nearest_on_polyline(std::span<const XY> line, XY q);

struct LinkShape {
    XY mid;
    double bearing = 0;  ///< first to last point
};
/// Midpoint and overall bearing of a link's geometry.
LinkShape link_shape(const Network& net, LinkId l);

}  // namespace modeshift
