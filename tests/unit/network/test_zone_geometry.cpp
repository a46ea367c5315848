#include <gtest/gtest.h>

#include <vector>

#include "modeshift/network/zone_geometry.hpp"

using namespace modeshift;

namespace {

void add_ring(Zone& z, const std::vector<LatLon>& ring) {
    if (z.ring_first.empty()) z.ring_first.push_back(0);
    for (auto p : ring) {
        z.ring_lat.push_back(p.lat);
        z.ring_lon.push_back(p.lon);
    }
    z.ring_first.push_back(static_cast<std::uint32_t>(z.ring_lat.size()));
}

std::vector<LatLon> square(double lat0, double lon0, double side) {
    return {{lat0, lon0},
            {lat0, lon0 + side},
            {lat0 + side, lon0 + side},
            {lat0 + side, lon0},
            {lat0, lon0}};
}

}  // namespace

TEST(ZoneGeometry, RingContainsItsInsideOnly) {
    const auto ring = square(36.0, 127.0, 1.0);
    EXPECT_TRUE(ring_contains(ring, {36.5, 127.5}));
    EXPECT_FALSE(ring_contains(ring, {37.5, 127.5}));
    EXPECT_FALSE(ring_contains(ring, {36.5, 126.5}));
    // An open ring (last point not repeated) is closed implicitly.
    const std::vector<LatLon> open(ring.begin(), ring.end() - 1);
    EXPECT_TRUE(ring_contains(open, {36.5, 127.5}));
}

TEST(ZoneGeometry, RingOfFewerThanThreePointsEnclosesNothing) {
    const std::vector<LatLon> two{{36.0, 127.0}, {37.0, 128.0}};
    EXPECT_FALSE(ring_contains(two, {36.5, 127.2}));
    EXPECT_FALSE(ring_contains(std::vector<LatLon>{}, {36.5, 127.5}));
}

TEST(ZoneGeometry, ZoneHoleAndSecondPolygon) {
    Zone z;
    add_ring(z, square(36.0, 127.0, 1.0));  // outer
    add_ring(z, square(36.4, 127.4, 0.2));  // hole
    add_ring(z, square(38.0, 127.0, 0.5));  // second polygon
    EXPECT_TRUE(zone_contains(z, {36.1, 127.1}));
    EXPECT_FALSE(zone_contains(z, {36.5, 127.5}));  // in the hole
    EXPECT_TRUE(zone_contains(z, {38.2, 127.2}));
    EXPECT_FALSE(zone_contains(z, {37.5, 127.5}));
}

TEST(ZoneGeometry, ZoneWithoutRingsContainsNothing) {
    Zone z;
    EXPECT_FALSE(zone_contains(z, {36.0, 127.0}));
    z.ring_first = {0};
    EXPECT_FALSE(zone_contains(z, {36.0, 127.0}));
}
