#pragma once
/// Road links matched to a corridor segment direction by geometry, and the speed of the average
/// vehicle driving the segment over them.
#include <optional>
#include <span>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/core/ids.hpp"

namespace modeshift {

class Network;

/// A road link matches a corridor segment direction if its midpoint is within this distance of
/// the segment polyline...
inline constexpr double kMatchDistanceM = 40.0;
/// ...and its bearing (first to last point) is within this angle of the segment's local
/// direction at the nearest point (reversed for BA).
inline constexpr double kMatchAngleDeg = 45.0;

/// Road links: car links other than zone connectors (no tram or rail track, no footpaths).
bool is_road_link(const Network& net, LinkId l);

struct LinkMatch {
    LinkId link;
    double distance_m = 0;  ///< midpoint to the segment polyline
    double angle_deg = 0;   ///< link bearing vs. the segment's local direction
    /// Where the link's first and last points fall along the segment (metres from its start, in
    /// the segment direction, clipped to the segment); equal when the link does not run along it.
    double from_m = 0, to_m = 0;
    double inside_m = 0;  ///< the link's length between from_m and to_m (the overhang cut off)
};

/// Road links that match a segment polyline (see kMatchDistanceM / kMatchAngleDeg), in link order.
/// `reverse` = the direction against the digitised order (BA).
std::vector<LinkMatch> match_corridor_links(const Network& net, std::span<const LatLon> line,
                                            bool reverse, double max_distance_m = kMatchDistanceM,
                                            double max_angle_deg = kMatchAngleDeg);

struct LengthAndTime {
    double length_m = 0;
    double time = 0;  ///< metres / (km/h): length / time is a speed in km/h
};

/// Drives a segment along its matched links: the segment is cut at every link end; each piece is
/// driven over the links covering it, their own lengths over the piece averaged with `weight`
/// (links with weight 0 are left out). Links one after another add up (a length-weighted
/// harmonic mean of their speeds); links side by side (a slip road beside the main carriageway)
/// share a piece by weight, so an empty ramp does not count as if everybody drove it.
LengthAndTime drive_segment(std::span<const LinkMatch> links, std::span<const double> weight,
                            std::span<const double> speed_kmh);

struct LinkTraffic {
    double vehicles = 0;   ///< in the hour (full-population equivalent)
    double speed_kmh = 0;  ///< space-mean speed
};

/// Speed of the average vehicle driving the segment in one hour: `drive_segment` with the links'
/// vehicles as weights; links without traffic (nullopt) are left out. nullopt when no link has any.
std::optional<double> segment_speed_kmh(std::span<const LinkMatch> links,
                                        std::span<const std::optional<LinkTraffic>> traffic);

}  // namespace modeshift
