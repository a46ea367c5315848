#pragma once
/// All-or-nothing loading of a zone-to-zone demand onto shortest paths, parallel over origins.
/// Origins are cut into fixed blocks; each block's flows are accumulated sequentially and the
/// blocks are summed in block order, so the result does not depend on the thread count.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "modeshift/network/network.hpp"

namespace modeshift {

class AllOrNothing {
  public:
    /// Origins per block: a constant (never derived from the thread count) to keep the
    /// summation order, and hence every bit of the result, independent of the threads.
    static constexpr std::size_t kOriginsPerBlock = 4;

    /// `od_veh` is zone_count^2 row-major and must outlive this object. threads 0 = default.
    AllOrNothing(const Network& net, std::span<const double> od_veh, int threads,
                 std::string demand_origin);
    ~AllOrNothing();
    AllOrNothing(const AllOrNothing&) = delete;
    AllOrNothing& operator=(const AllOrNothing&) = delete;

    /// Loads all demand onto shortest paths under `link_cost_s` into `flow_veh` (resized to the
    /// link count) and returns the shortest-path total travel cost sum(demand * path cost).
    /// Throws InputError naming the first (origin, destination) with demand but no path.
    double load(std::span<const double> link_cost_s, std::vector<double>& flow_veh);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace modeshift
