#pragma once
// The payload layout of network files written before links carried their lanes' provenance
// (binary file versions 2 and 3, JSON schemas 2 and 3): NetworkData without
// LinkTable::lanes_source. Such files are decoded through it (every link's lanes_source is then
// LanesSource::Unspecified), and a JSON file's stored content hash is checked against it.
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>

#include "modeshift/core/hash.hpp"
#include "modeshift/io/portable_binary.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift::legacy {

/// LinkTable as version 3 wrote it (all fields but lanes_source, in the same order).
struct LinksV3 {
    LinkTable& l;
    template <class A>
    void serialize(A& ar) {
        ar(l.from, l.to, l.length_m, l.freeflow_speed_mps, l.freeflow_time_s, l.lanes,
           l.capacity_vph, l.storage_pce, l.modes, l.road_class, l.name, l.bus_lane, l.bike_lane,
           l.bpr_alpha, l.bpr_beta, l.toll, l.external_id, l.geom_first, l.geom_lat, l.geom_lon);
    }
};

/// NetworkData as version 3 wrote it.
struct NetworkV3 {
    NetworkData& d;
    template <class A>
    void serialize(A& ar) {
        LinksV3 links{d.links};
        ar(d.name, d.source, d.ref_lat, d.ref_lon, d.nodes, links, d.names, d.zones,
           d.first_thru_node, d.stops, d.lines, d.bike_stations, d.notes);
    }
};

/// Decodes a version-3 payload into `out`; every link's lanes source is Unspecified.
inline void from_payload_v3(std::string_view bytes, NetworkData& out, const std::string& origin) {
    NetworkV3 v3{out};
    from_portable_binary(bytes, v3, origin, "network");
    out.links.lanes_source.assign(out.links.size(), LanesSource::Unspecified);
}

/// The content hash a version-3 writer gave `d` (what a schema-3 JSON file stores). Saving does
/// not change `d`; the const_cast only lets the layout type above serve both directions.
inline std::uint64_t content_hash_v3(const NetworkData& d) {
    NetworkV3 v3{const_cast<NetworkData&>(d)};
    const std::string bytes = to_portable_binary(v3);
    return hash_bytes(bytes.data(), bytes.size());
}

}  // namespace modeshift::legacy
