#pragma once
/// The immutable multimodal network: NetworkData plus a Boost.Graph CSR adjacency and derived
/// indices. Built once, then shared as `const Network&`; per-run state lives elsewhere.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <span>
#include <string>

#include "modeshift/core/geo.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Bundled edge property of the CSR graph: which link this edge is.
struct GraphEdge {
    std::uint32_t link = 0;
};
using RoadGraph =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, GraphEdge,
                                       boost::no_property, std::uint32_t, std::uint32_t>;

class Network {
  public:
    /// Validates `data` (throws InputError naming `origin` and the bad record) and builds indices.
    explicit Network(NetworkData data, const std::string& origin = "<network>");

    const NetworkData& data() const { return data_; }
    const std::string& name() const { return data_.name; }
    std::size_t node_count() const { return data_.nodes.size(); }
    std::size_t link_count() const { return data_.links.size(); }
    /// Stable hash of the content (the same value stored in network files).
    std::uint64_t content_hash() const { return content_hash_; }

    // --- links (hot accessors) ---
    NodeId from(LinkId l) const { return data_.links.from[l.index()]; }
    NodeId to(LinkId l) const { return data_.links.to[l.index()]; }
    double length_m(LinkId l) const { return data_.links.length_m[l.index()]; }
    double freeflow_time_s(LinkId l) const { return data_.links.freeflow_time_s[l.index()]; }
    double capacity_vph(LinkId l) const { return data_.links.capacity_vph[l.index()]; }
    double storage_pce(LinkId l) const { return data_.links.storage_pce[l.index()]; }
    ModeMask modes(LinkId l) const { return data_.links.modes[l.index()]; }
    const std::string& link_name(LinkId l) const {
        return data_.names[data_.links.name[l.index()]];
    }
    /// Polyline of a link in WGS84, end nodes included.
    std::vector<LatLon> link_geometry(LinkId l) const;
    /// Heading (radians, 0 = east, counter-clockwise) of link l where it leaves its upstream node
    /// (arriving = false) or reaches its downstream node (arriving = true): the chord over the
    /// polyline's first or last `reach_m` metres, so a short kink at the node (common in
    /// digitised road geometry) does not turn the link.
    double end_heading(LinkId l, bool arriving, double reach_m = 40) const;

    // --- nodes ---
    LatLon node_latlon(NodeId n) const {
        return {data_.nodes.lat[n.index()], data_.nodes.lon[n.index()]};
    }
    XY node_xy(NodeId n) const { return node_xy_[n.index()]; }
    const LocalProjection& projection() const { return projection_; }
    std::span<const LinkId> out_links(NodeId n) const {
        return {out_link_.data() + first_out_[n.index()],
                out_link_.data() + first_out_[n.index() + 1]};
    }
    std::span<const LinkId> in_links(NodeId n) const {
        return {in_link_.data() + first_in_[n.index()], in_link_.data() + first_in_[n.index() + 1]};
    }
    /// True if routes may pass through node n (TNTP zone centroids below FIRST THRU NODE may not).
    bool is_through_node(NodeId n) const { return n.value() >= data_.first_thru_node; }
    /// The first link from -> to, or an invalid id.
    LinkId find_link(NodeId from, NodeId to) const;
    /// Nearest node that has an out- or in-link allowing `mode` (linear scan over a grid index).
    NodeId nearest_node(LatLon p, Mode mode) const;

    // --- zones, stops, lines ---
    std::size_t zone_count() const { return data_.zones.size(); }
    const Zone& zone(ZoneId z) const { return data_.zones[z.index()]; }
    const Stop& stop(StopId s) const { return data_.stops[s.index()]; }
    const TransitLine& line(LineId l) const { return data_.lines[l.index()]; }

    /// The Boost.Graph view (vertex = node index, edge property = link index).
    const RoadGraph& graph() const { return graph_; }

  private:
    void build_indices();

    NetworkData data_;
    std::uint64_t content_hash_ = 0;
    LocalProjection projection_;
    std::vector<XY> node_xy_;
    RoadGraph graph_;
    std::vector<std::uint32_t> first_out_, first_in_;
    std::vector<LinkId> out_link_, in_link_;
};

/// Throws InputError (file = origin, field names the record) if the data is inconsistent.
void validate_network_data(const NetworkData& d, const std::string& origin);

}  // namespace modeshift
