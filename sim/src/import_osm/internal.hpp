#pragma once
// Shared by the OSM importer's files: the element store the reader fills (kept ways, the node
// index, route relations) and the importer, whose passes live in one file per concern:
// osm_reader.cpp (XML / PBF -> element store), way_tags.cpp (tags -> link attributes),
// way_links.cpp (ways -> nodes and links, junction signals), route_lines.cpp (route relations ->
// transit lines) and osm_import.cpp (the run and its connectivity figure).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/network/builder.hpp"

namespace osmium {
class TagList;
class Way;
namespace io {
class File;
}  // namespace io
}  // namespace osmium

namespace modeshift::osm {

inline constexpr ModeMask kMotor = mode_bit(Mode::Car) | mode_bit(Mode::Bus);
inline constexpr ModeMask kBike = mode_bit(Mode::Bike);
inline constexpr ModeMask kWalk = mode_bit(Mode::Walk);
inline constexpr ModeMask kBus = mode_bit(Mode::Bus);
inline constexpr ModeMask kCar = mode_bit(Mode::Car);

struct RouteMember {
    char type;  // 'n', 'w', 'r'
    std::int64_t ref;
    std::string role;
};

struct RouteRel {
    std::int64_t id = 0;
    std::string route, ref, name, interval;
    std::vector<RouteMember> members;
};

/// Attributes of one travel direction of a way.
struct DirAttrs {
    ModeMask modes = 0;
    float lanes = 1;
    double speed_kmh = 50;
    double capacity_vph = 0;
    bool bus_lane = false, bike_lane = false;  ///< a lane of its own
};

struct KeptWay {
    std::int64_t id = 0;
    std::vector<std::int64_t> refs;
    RoadClass road_class = RoadClass::Other;
    bool rail = false;
    std::string name;
    DirAttrs fwd, bwd;
};

/// A piece of a way between two network nodes.
struct Piece {
    NodeId a, b;
    LinkId fwd, bwd;
    bool starts_chain = false;  ///< not connected to the previous piece of the same way
};

/// Sorted node ids with per-node data (struct of arrays, binary search by id).
struct NodeIndex {
    std::vector<std::int64_t> id;
    std::vector<std::uint32_t> uses;
    std::vector<double> lat, lon;
    std::vector<std::uint8_t> found, split, stop;
    std::vector<std::uint8_t> signal;              ///< highway=traffic_signals
    std::map<std::size_t, std::string> stop_name;  ///< by index; only stop nodes have names kept

    std::size_t find(std::int64_t osm_id) const {
        auto it = std::lower_bound(id.begin(), id.end(), osm_id);
        return (it != id.end() && *it == osm_id) ? static_cast<std::size_t>(it - id.begin())
                                                 : id.size();
    }
};

/// Value of tag `key`, or `fallback` when the tag is absent.
std::string tag_or(const osmium::TagList& tags, const char* key, const char* fallback = "");

/// Fills `w` from the way's tags; false if the way is not part of the network.
bool classify_way(const osmium::Way& way, const OsmTables& tables, OsmImportReport& report,
                  KeptWay& w);

class OsmImporter {
  public:
    OsmImporter(const std::filesystem::path& file, const OsmTables& t, const OsmImportOptions& o,
                OsmImportReport& r);
    NetworkData run();

  private:
    // osm_reader.cpp: three passes over the file fill the element store.
    void read_file();
    osmium::io::File osm_file() const;
    void read_relations();
    void read_ways();
    void index_nodes();
    void read_nodes();
    /// A node whose coordinates are outside the globe: the InputError names the node.
    [[noreturn]] void refuse_coordinates(std::int64_t id, std::int32_t lat_e7,
                                         std::int32_t lon_e7) const;

    static bool is_stop_role(const std::string& role) {
        return role.rfind("stop", 0) == 0 || role.rfind("platform", 0) == 0;
    }
    /// PTv2 roles stop/platform(_entry_only/_exit_only); PTv1 lists stops as node members with an
    /// empty role or "forward:stop"/"backward:stop".
    static bool node_is_stop(const std::string& role) {
        return role.empty() || role.find("stop") != std::string::npos ||
               role.find("platform") != std::string::npos;
    }

    // way_links.cpp: kept ways -> nodes and links.
    bool usable(std::size_t i) const;
    NodeId network_node(std::size_t i);
    void mark_run_ends();
    void check_segment(const KeptWay& w, std::size_t a, std::size_t b) const;
    void build_links();
    bool emit_piece(const KeptWay& w, std::size_t ia, std::size_t ib,
                    const std::vector<LatLon>& pts, std::vector<Piece>& pieces, bool new_chain);
    void add_piece(const KeptWay& w, NodeId a, NodeId b, const std::vector<LatLon>& pts,
                   std::vector<Piece>& pieces, bool new_chain);

    // route_lines.cpp: route relations -> transit lines.
    /// A contiguous run of pieces of one member way.
    struct Chain {
        std::vector<NodeId> nodes;     // k+1 nodes
        std::vector<LinkId> fwd, bwd;  // k links each (bwd[i]: nodes[i+1] -> nodes[i])
    };

    struct Segment {
        std::vector<LinkId> links;
        std::vector<NodeId> nodes;
    };

    struct StopRef {
        std::size_t node_index;  // into nodes_
    };
    std::vector<Chain> chains_of(std::int64_t way_id) const;
    std::vector<Segment> route_segments(const RouteRel& r, ModeMask need);
    std::vector<StopRef> route_stops(const RouteRel& r) const;
    StopId stop_for(std::size_t ni, NodeId node, Mode mode);
    void build_lines();

    std::filesystem::path file_;
    std::optional<std::string> pbf_bytes_;  ///< the whole file when it is PBF
    const OsmTables& tables_;
    const OsmImportOptions& opt_;
    OsmImportReport& report_;
    NetworkBuilder builder_;
    std::vector<RouteRel> routes_;
    std::vector<std::int64_t> stop_node_ids_, platform_way_ids_;
    std::map<std::int64_t, std::int64_t> platform_way_node_;
    std::vector<KeptWay> ways_;
    NodeIndex nodes_;
    // Lookup only (never iterated), so hash order cannot leak into the output.
    std::unordered_map<std::int64_t, NodeId> node_of_osm_;
    std::unordered_map<std::int64_t, std::vector<Piece>> pieces_of_way_;
    std::map<std::pair<std::int64_t, std::uint32_t>, StopId> stop_index_;
};

}  // namespace modeshift::osm
