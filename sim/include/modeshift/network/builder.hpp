#pragma once
/// Incremental construction of NetworkData with sensible derived defaults.
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Effective space one passenger-car equivalent occupies in a standing queue (m).
/// Source: MATSim QSim default effectiveCellSize = 7.5 m (MATSim book, ch. 4, 2016).
inline constexpr double kEffectiveCellSizeM = 7.5;

struct LinkSpec {
    NodeId from, to;
    double length_m = 0;
    double speed_mps = 13.89;
    float lanes = 1;
    double capacity_vph = 0;  ///< all lanes
    ModeMask modes = kRoadModes;
    RoadClass road_class = RoadClass::Other;
    std::string name;
    std::string external_id;
    std::vector<LatLon> geometry;  ///< interior + end points; empty = straight
    double freeflow_time_s = -1;   ///< < 0: length / speed
    double storage_pce = -1;       ///< < 0: length * lanes / kEffectiveCellSizeM (at least 1)
    double bpr_alpha = 0.15;       ///< BPR defaults: US Bureau of Public Roads (1964)
    double bpr_beta = 4.0;
    double toll = 0;
    bool bus_lane = false;
    bool bike_lane = false;
    LanesSource lanes_source = LanesSource::Unspecified;
};

class NetworkBuilder {
  public:
    explicit NetworkBuilder(std::string name, std::string source = {});
    NodeId add_node(LatLon p, std::string external_id = {});
    /// Marks how node n controls traffic (new nodes are NodeControl::Unknown).
    void set_control(NodeId n, NodeControl c);
    LinkId add_link(const LinkSpec& spec);
    std::uint32_t intern_name(const std::string& name);
    NetworkData& data() { return d_; }
    /// Closes the geometry index and sets the projection reference to the node centroid
    /// unless one was set. The builder is empty afterwards.
    NetworkData finish();

  private:
    NetworkData d_;
    std::vector<std::pair<std::string, std::uint32_t>> name_index_;  // sorted lazily
};

}  // namespace modeshift
