// The even-odd crossing test, once for every ring layout (zone rings as parallel lat/lon arrays,
// boundary rings as points).
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift {
namespace {

/// Whether a ray from p towards growing longitude crosses the ring of `n` points an odd number of
/// times; `vertex(k)` gives point k.
template <class Vertex>
bool odd_crossings(std::size_t n, Vertex vertex, LatLon p) {
    if (n < 3) return false;
    bool odd = false;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const LatLon a = vertex(i), b = vertex(j);
        if ((a.lat > p.lat) != (b.lat > p.lat) &&
            p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
            odd = !odd;
    }
    return odd;
}

}  // namespace

bool ring_contains(std::span<const LatLon> ring, LatLon p) {
    const auto vertex = [&](std::size_t k) { return ring[k]; };
    return odd_crossings(ring.size(), vertex, p);
}

bool zone_contains(const Zone& z, LatLon p) {
    bool inside = false;
    for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r) {
        const std::size_t first = z.ring_first[r], end = z.ring_first[r + 1];
        const auto vertex = [&](std::size_t k) {
            return LatLon{z.ring_lat[first + k], z.ring_lon[first + k]};
        };
        if (end > first && odd_crossings(end - first, vertex, p)) inside = !inside;
    }
    return inside;
}

}  // namespace modeshift
