#pragma once
/// The plain, serialisable content of a multimodal network (struct of arrays).
/// Built by importers and NetworkBuilder, frozen into a Network, written by network_io.
#include <cstdint>
#include <string>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"

namespace modeshift {

/// Road (or track) class of a link. Order is part of file formats: append only.
enum class RoadClass : std::uint8_t {
    Motorway = 0,
    Trunk,
    Primary,
    Secondary,
    Tertiary,
    Residential,
    Service,
    Connector,  ///< zone connector (virtual access road)
    Rail,       ///< metro / heavy rail track
    Tram,       ///< tram track
    Path,       ///< footway / cycleway
    Other,
};
std::string_view road_class_name(RoadClass c);

/// Where a link's lane count comes from. Order is part of file formats: append only.
enum class LanesSource : std::uint8_t {
    Unspecified = 0,   ///< the importer does not say (TNTP, OSM tags or defaults, SUMO, ...)
    Rule = 1,          ///< a recipe rule (Daejeon: road_rules.csv by bus lines)
    EtriDoan2022 = 2,  ///< ETRI 2022 lane-coded network of 유성·도안 (through lanes)
    EtriDunsan = 3,    ///< ETRI 둔산 SUMO net, used as a lower bound on the rule
    Published = 4,     ///< published lane count of a named road section (press, city)
};
inline constexpr LanesSource kLastLanesSource = LanesSource::Published;
/// "unspecified", "rule", "etri_doan2022", "etri_dunsan", "published".
std::string_view lanes_source_name(LanesSource s);

/// Directed links as parallel arrays, all indexed by LinkId.
struct LinkTable {
    std::vector<NodeId> from;
    std::vector<NodeId> to;
    std::vector<double> length_m;
    std::vector<double> freeflow_speed_mps;  ///< speed limit / design speed
    std::vector<double> freeflow_time_s;     ///< length / speed, or as given (TNTP)
    std::vector<float> lanes;
    std::vector<double> capacity_vph;  ///< flow capacity, vehicles (PCE) per hour, all lanes
    std::vector<double> storage_pce;   ///< how many passenger-car equivalents fit on the link
    std::vector<ModeMask> modes;
    std::vector<RoadClass> road_class;
    std::vector<std::uint32_t> name;      ///< index into NetworkData::names (0 = "")
    std::vector<std::uint8_t> bus_lane;   ///< 1 = a bus-only lane lets buses pass the car queue
    std::vector<std::uint8_t> bike_lane;  ///< 1 = separated bike lane
    std::vector<double> bpr_alpha;        ///< BPR t = t0 (1 + alpha (v/c)^beta)
    std::vector<double> bpr_beta;
    std::vector<double> toll;              ///< generalized-cost toll (network's own unit)
    std::vector<std::string> external_id;  ///< id in the source data (BIS code, OSM way, ...)
    /// Geometry: points of link i are geom_lat/lon[geom_first[i] .. geom_first[i+1]).
    /// Empty range = straight line between end nodes.
    std::vector<std::uint32_t> geom_first;  ///< size = links + 1
    std::vector<double> geom_lat;
    std::vector<double> geom_lon;
    /// Provenance of `lanes` (and so of the capacity). Last, so that the older payload layout
    /// (network_legacy.hpp) is this one without it.
    std::vector<LanesSource> lanes_source;

    std::size_t size() const { return from.size(); }
    bool operator==(const LinkTable&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(from, to, length_m, freeflow_speed_mps, freeflow_time_s, lanes, capacity_vph,
           storage_pce, modes, road_class, name, bus_lane, bike_lane, bpr_alpha, bpr_beta, toll,
           external_id, geom_first, geom_lat, geom_lon, lanes_source);
    }
};

/// How a node controls the traffic crossing it. Order is part of file formats: append only.
enum class NodeControl : std::uint8_t {
    Unknown = 0,  ///< not given by the source: a signal rule of the scenario may decide
    None = 1,     ///< known to be uncontrolled or priority-controlled (no signal)
    Signal = 2,   ///< traffic signals (e.g. OSM highway=traffic_signals)
};

struct NodeTable {
    std::vector<double> lat;
    std::vector<double> lon;
    std::vector<std::string> external_id;
    std::vector<NodeControl> control;
    std::size_t size() const { return lat.size(); }
    bool operator==(const NodeTable&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(lat, lon, external_id, control);
    }
};

/// A traffic analysis zone: where trips start and end.
struct Zone {
    std::string code;  ///< e.g. admin dong code "3017051000" or TNTP zone number
    std::string name;  ///< local name (Korean for Daejeon dongs)
    std::string name_en;
    std::string district;     ///< e.g. "서구"
    bool study_area = false;  ///< inside the study area (Seo-gu)
    NodeId centroid;          ///< node where the zone's connectors meet
    double lat = 0, lon = 0;
    double population = 0;
    double households = 0;
    double area_km2 = 0;
    /// Zone attributes used as destination weights (schools, hospitals, jobs, ...), by name.
    std::vector<std::string> attr_names;
    std::vector<double> attr_values;
    /// Boundary polygon rings: ring r is points [ring_first[r], ring_first[r+1]).
    std::vector<std::uint32_t> ring_first;
    std::vector<double> ring_lat;
    std::vector<double> ring_lon;
    bool operator==(const Zone&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, name_en, district, study_area, centroid, lat, lon, population, households,
           area_km2, attr_names, attr_values, ring_first, ring_lat, ring_lon);
    }
};

/// A transit stop (bus stop or station platform) attached to a network node.
struct Stop {
    std::string code;
    std::string name;
    double lat = 0, lon = 0;
    NodeId node;  ///< network node where vehicles serve the stop
    ModeMask modes = 0;
    bool operator==(const Stop&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, lat, lon, node, modes);
    }
};

/// A transit line in one direction: stops in order, the links its vehicles drive, a service plan.
struct TransitLine {
    std::string code;
    std::string name;  ///< e.g. "102", "1호선", "2호선 트램"
    Mode mode = Mode::Bus;
    bool active = true;  ///< false = present in data but not operating (e.g. tram before 2028)
    std::vector<StopId> stops;
    std::vector<LinkId> links;  ///< the route, contiguous
    /// stop_link_pos[k] = index into `links` of the first link after stop k (= links.size() at the
    /// end).
    std::vector<std::uint32_t> stop_link_pos;
    double headway_peak_s = 600;
    double headway_offpeak_s = 900;
    double service_start_s = 5.5 * 3600;
    double service_end_s = 23.0 * 3600;
    double vehicle_capacity = 80;  ///< passengers per vehicle (or per train)
    double vehicle_pce = 2.5;      ///< passenger-car equivalents on roads
    double fare_krw = 1500;
    /// Explicit departures from the first stop (seconds); if empty, generated from headways.
    std::vector<double> departures_s;
    std::string source;  ///< where the line, headway and capacity come from
    bool operator==(const TransitLine&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, mode, active, stops, links, stop_link_pos, headway_peak_s, headway_offpeak_s,
           service_start_s, service_end_s, vehicle_capacity, vehicle_pce, fare_krw, departures_s,
           source);
    }
};

/// A bike-share (Tashu) station.
struct BikeStation {
    std::string code;
    std::string name;
    double lat = 0, lon = 0;
    NodeId node;
    double docks = 0;
    bool operator==(const BikeStation&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, lat, lon, node, docks);
    }
};

/// Everything a network file holds.
struct NetworkData {
    std::string name;                 ///< e.g. "daejeon", "SiouxFalls"
    std::string source;               ///< provenance of the data
    double ref_lat = 0, ref_lon = 0;  ///< reference of the local metric projection
    NodeTable nodes;
    LinkTable links;
    std::vector<std::string> names = {""};  ///< road-name table, index 0 = unnamed
    std::vector<Zone> zones;
    /// Nodes with index < first_thru_node may not be passed through by routes (TNTP zones).
    std::uint32_t first_thru_node = 0;
    std::vector<Stop> stops;
    std::vector<TransitLine> lines;
    std::vector<BikeStation> bike_stations;
    /// Free-form notes kept with the file (assumptions, repairs, counts).
    std::vector<std::string> notes;

    bool operator==(const NetworkData&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(name, source, ref_lat, ref_lon, nodes, links, names, zones, first_thru_node, stops,
           lines, bike_stations, notes);
    }
};

}  // namespace modeshift
