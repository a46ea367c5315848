#pragma once
// Small networks and recording observers for the engine tests.
#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "modeshift/engine/simulation.hpp"
#include "modeshift/network/builder.hpp"

namespace modeshift::test {

/// Records every batch, per partition, then flattens in partition order.
class Recorder : public Observer {
  public:
    void begin(const RunInfo& info) override {
        info_ = info;
        trav_.assign(info.partitions, {});
        trips_.assign(info.partitions, {});
        calls_.assign(info.partitions, {});
        last_leave_.assign(info.partitions, 0);
    }
    void on_traversals(std::uint32_t p, std::span<const Traversal> b) override {
        for (const auto& t : b) {
            // The contract: one partition's batches arrive in time order.
            if (t.leave_ms < last_leave_[p]) ordered_ = false;
            last_leave_[p] = t.leave_ms;
        }
        trav_[p].insert(trav_[p].end(), b.begin(), b.end());
    }
    void on_trips(std::uint32_t p, std::span<const TripOutcome> b) override {
        trips_[p].insert(trips_[p].end(), b.begin(), b.end());
    }
    void on_stop_calls(std::uint32_t p, std::span<const StopCall> b) override {
        calls_[p].insert(calls_[p].end(), b.begin(), b.end());
    }
    void end() override { ended_ = true; }

    std::vector<Traversal> traversals() const { return flat(trav_); }
    std::vector<StopCall> stop_calls() const { return flat(calls_); }
    /// Outcomes indexed by trip id (every trip must appear exactly once).
    std::vector<TripOutcome> outcomes(std::size_t trips) const {
        std::vector<TripOutcome> out(trips);
        std::vector<int> seen(trips, 0);
        for (const auto& o : flat(trips_)) {
            out[o.trip.index()] = o;
            ++seen[o.trip.index()];
        }
        for (int s : seen)
            if (s != 1) throw std::logic_error("trip reported " + std::to_string(s) + " times");
        return out;
    }
    std::vector<Traversal> on_link(LinkId l) const {
        std::vector<Traversal> r;
        for (const auto& t : traversals())
            if (t.link == l) r.push_back(t);
        std::sort(r.begin(), r.end(),
                  [](const Traversal& a, const Traversal& b) { return a.leave_ms < b.leave_ms; });
        return r;
    }
    bool ordered() const { return ordered_; }
    bool ended() const { return ended_; }
    const RunInfo& info() const { return info_; }

  private:
    template <class T>
    static std::vector<T> flat(const std::vector<std::vector<T>>& v) {
        std::vector<T> out;
        for (const auto& x : v) out.insert(out.end(), x.begin(), x.end());
        return out;
    }
    RunInfo info_;
    std::vector<std::vector<Traversal>> trav_;
    std::vector<std::vector<TripOutcome>> trips_;
    std::vector<std::vector<StopCall>> calls_;
    std::vector<TimeMs> last_leave_;
    bool ordered_ = true;
    bool ended_ = false;
};

/// Vehicle types used by the tests: 0 car, 1 bike, 2 bus, 3 metro.
inline std::vector<VehicleType> test_types() {
    return {
        VehicleType{"car", Mode::Car, 1.0, 50.0, "car"},
        VehicleType{"bike", Mode::Bike, 0.2, 10.0, "none"},
        VehicleType{"bus", Mode::Bus, 2.5, 30.0, "bus"},
        VehicleType{"metro", Mode::Metro, 3.0, 30.0, "electric"},
    };
}

/// A chain of nodes 0..n along a parallel, ~900 m apart.
inline NetworkBuilder chain_builder(int nodes) {
    NetworkBuilder b("test");
    for (int i = 0; i < nodes; ++i) b.add_node(LatLon{36.35, 127.38 + 0.01 * i});
    return b;
}

inline LinkSpec spec(int from, int to, double length_m, double speed_mps, double cap_vph,
                     double storage_pce) {
    LinkSpec s;
    s.from = NodeId(static_cast<std::uint32_t>(from));
    s.to = NodeId(static_cast<std::uint32_t>(to));
    s.length_m = length_m;
    s.speed_mps = speed_mps;
    s.capacity_vph = cap_vph;
    s.storage_pce = storage_pce;
    s.road_class = RoadClass::Secondary;
    return s;
}

/// A square grid (n x n nodes, 250 m apart, two-way links) for determinism and load tests.
inline NetworkData grid_data(int n, double length_m = 250, double cap_vph = 900,
                             double storage_pce = 30) {
    NetworkBuilder b("grid");
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) b.add_node(LatLon{36.30 + 0.00225 * y, 127.30 + 0.0028 * x});
    auto id = [n](int x, int y) { return y * n + x; };
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            if (x + 1 < n) {
                b.add_link(spec(id(x, y), id(x + 1, y), length_m, 13.89, cap_vph, storage_pce));
                b.add_link(spec(id(x + 1, y), id(x, y), length_m, 13.89, cap_vph, storage_pce));
            }
            if (y + 1 < n) {
                b.add_link(spec(id(x, y), id(x, y + 1), length_m, 13.89, cap_vph, storage_pce));
                b.add_link(spec(id(x, y + 1), id(x, y), length_m, 13.89, cap_vph, storage_pce));
            }
        }
    return b.finish();
}

/// Manhattan route on a grid built by grid_data: x first, then y.
inline std::vector<LinkId> grid_route(const Network& net, int n, int from, int to) {
    std::vector<LinkId> r;
    int x = from % n, y = from / n;
    const int tx = to % n, ty = to / n;
    while (x != tx || y != ty) {
        const int nx = x != tx ? x + (tx > x ? 1 : -1) : x;
        const int ny = x != tx ? y : y + (ty > y ? 1 : -1);
        r.push_back(net.find_link(NodeId(static_cast<std::uint32_t>(y * n + x)),
                                  NodeId(static_cast<std::uint32_t>(ny * n + nx))));
        x = nx;
        y = ny;
    }
    return r;
}

}  // namespace modeshift::test
