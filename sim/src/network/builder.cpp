#include "modeshift/network/builder.hpp"

#include <algorithm>

#include "modeshift/core/error.hpp"

namespace modeshift {

NetworkBuilder::NetworkBuilder(std::string name, std::string source) {
    d_.name = std::move(name);
    d_.source = std::move(source);
    d_.links.geom_first.push_back(0);
}

NodeId NetworkBuilder::add_node(LatLon p, std::string external_id) {
    const NodeId id = NodeId::from_index(d_.nodes.size());
    d_.nodes.lat.push_back(p.lat);
    d_.nodes.lon.push_back(p.lon);
    d_.nodes.external_id.push_back(std::move(external_id));
    d_.nodes.control.push_back(NodeControl::Unknown);
    return id;
}

void NetworkBuilder::set_control(NodeId n, NodeControl c) {
    d_.nodes.control.at(n.index()) = c;
}

std::uint32_t NetworkBuilder::intern_name(const std::string& name) {
    if (name.empty()) return 0;
    auto it = std::lower_bound(name_index_.begin(), name_index_.end(), name,
                               [](const auto& e, const std::string& n) { return e.first < n; });
    if (it != name_index_.end() && it->first == name) return it->second;
    const auto idx = static_cast<std::uint32_t>(d_.names.size());
    d_.names.push_back(name);
    name_index_.insert(it, {name, idx});
    return idx;
}

LinkId NetworkBuilder::add_link(const LinkSpec& s) {
    auto& L = d_.links;
    MS_ASSERT(s.from.index() < d_.nodes.size() && s.to.index() < d_.nodes.size(),
              "link with unknown node");
    const LinkId id = LinkId::from_index(L.size());
    L.from.push_back(s.from);
    L.to.push_back(s.to);
    L.length_m.push_back(s.length_m);
    L.freeflow_speed_mps.push_back(s.speed_mps);
    L.freeflow_time_s.push_back(s.freeflow_time_s >= 0
                                    ? s.freeflow_time_s
                                    : (s.speed_mps > 0 ? s.length_m / s.speed_mps : 0.0));
    L.lanes.push_back(s.lanes);
    L.capacity_vph.push_back(s.capacity_vph);
    L.storage_pce.push_back(s.storage_pce >= 0
                                ? s.storage_pce
                                : std::max(1.0, s.length_m * s.lanes / kEffectiveCellSizeM));
    L.modes.push_back(s.modes);
    L.road_class.push_back(s.road_class);
    L.name.push_back(intern_name(s.name));
    L.bus_lane.push_back(s.bus_lane ? 1 : 0);
    L.bike_lane.push_back(s.bike_lane ? 1 : 0);
    L.bpr_alpha.push_back(s.bpr_alpha);
    L.bpr_beta.push_back(s.bpr_beta);
    L.toll.push_back(s.toll);
    L.external_id.push_back(s.external_id);
    for (const auto& p : s.geometry) {
        L.geom_lat.push_back(p.lat);
        L.geom_lon.push_back(p.lon);
    }
    L.geom_first.push_back(static_cast<std::uint32_t>(L.geom_lat.size()));
    L.lanes_source.push_back(s.lanes_source);
    return id;
}

NetworkData NetworkBuilder::finish() {
    if (d_.ref_lat == 0 && d_.ref_lon == 0 && d_.nodes.size() > 0) {
        double la = 0, lo = 0;
        for (std::size_t i = 0; i < d_.nodes.size(); ++i) {
            la += d_.nodes.lat[i];
            lo += d_.nodes.lon[i];
        }
        d_.ref_lat = la / static_cast<double>(d_.nodes.size());
        d_.ref_lon = lo / static_cast<double>(d_.nodes.size());
    }
    NetworkData out = std::move(d_);
    d_ = NetworkData{};
    d_.links.geom_first.push_back(0);
    name_index_.clear();
    return out;
}

}  // namespace modeshift
