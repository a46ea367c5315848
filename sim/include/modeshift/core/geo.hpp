#pragma once
/// WGS84 coordinates and a local metric projection around a reference point.
#include <span>

namespace modeshift {

struct LatLon {
    double lat = 0.0;
    double lon = 0.0;
};

struct XY {
    double x_m = 0.0;  ///< metres east of the reference
    double y_m = 0.0;  ///< metres north of the reference
};

/// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
double haversine_m(LatLon a, LatLon b);

/// Length of a polyline in metres (sum of haversine distances).
double polyline_length_m(std::span<const LatLon> pts);

/// Local equirectangular projection: accurate to < 0.1 % within ~50 km of the reference,
/// which covers a city district. Reversible.
class LocalProjection {
  public:
    LocalProjection() = default;
    explicit LocalProjection(LatLon reference);
    XY to_xy(LatLon p) const;
    LatLon to_latlon(XY p) const;
    LatLon reference() const { return ref_; }

  private:
    LatLon ref_{};
    double m_per_deg_lat_ = 111'132.954;
    double m_per_deg_lon_ = 111'319.491;
};

/// Distance in metres from p to the segment ab (all in one projection).
double point_segment_distance_m(XY p, XY a, XY b);

/// Heading (radians, atan2 of projected north and east) of a polyline near one of its ends,
/// taken from that end to the point `reach_m` along it (or the far end if shorter): the
/// direction travelled when leaving from the first point, or when arriving at the last. Over
/// tens of metres rather than the last piece, so that a kink where digitised ends were snapped
/// to a node does not turn the road.
double polyline_end_heading(std::span<const LatLon> pts, const LocalProjection& proj, bool arriving,
                            double reach_m);

}  // namespace modeshift
