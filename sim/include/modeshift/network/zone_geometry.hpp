#pragma once
/// Point-in-polygon tests for zone boundaries and other rings of latitude/longitude points.
#include <span>

#include "modeshift/core/geo.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Even-odd rule over one closed ring (the last point may or may not repeat the first). A ring of
/// fewer than 3 points encloses nothing.
bool ring_contains(std::span<const LatLon> ring, LatLon p);

/// Even-odd rule over all of a zone's boundary rings, so holes and multipolygons both work.
bool zone_contains(const Zone& z, LatLon p);

}  // namespace modeshift
