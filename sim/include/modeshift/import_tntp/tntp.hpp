#pragma once
/// Reader for the TNTP format of the TransportationNetworks benchmark collection
/// (github bstabler/TransportationNetworks): *_net.tntp links, *_trips.tntp OD matrices and
/// *_node.tntp coordinates. Every malformed record throws InputError(file, line, field, ...).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/network/network_data.hpp"

namespace modeshift::tntp {

/// Units of the TNTP columns, which the format itself does not state.
struct TntpUnits {
    /// Seconds per TNTP time unit (free-flow time column). Most published networks use minutes.
    double time_unit_s = 60.0;
    /// Metres per TNTP length unit. Miles: the unit stated by the Chicago Sketch header.
    double length_unit_m = 1609.344;
    /// Metres per planar node-coordinate unit (Chicago Sketch: Illinois State Plane feet).
    double coord_unit_m = 0.3048;
};

/// Header (metadata) values of a *_net.tntp file.
struct TntpNetHeader {
    std::uint32_t zones = 0;
    std::uint32_t nodes = 0;
    std::uint32_t first_thru_node = 0;  ///< 1-based, as written in the file
    std::uint32_t links = 0;
};

/// Parses the text of a *_net.tntp file into NetworkData. Zones 1..Z become zones whose centroid
/// is node z-1; TNTP node n is NodeId(n-1); first_thru_node = FIRST THRU NODE - 1.
/// `origin` names the file in errors; `name` becomes NetworkData::name.
NetworkData parse_net(std::string_view text, const std::string& origin, const std::string& name,
                      const TntpUnits& units = {});
/// Reads a *_net.tntp file (the network is named after the file, without "_net.tntp").
NetworkData read_net(const std::filesystem::path& path, const TntpUnits& units = {});

/// Sets node coordinates from the text of a *_node.tntp file ("node X Y ;" rows). Longitude /
/// latitude when every value lies in degree range, otherwise planar coordinates in
/// `units.coord_unit_m` mapped to a synthetic lat/lon around (0, 0) (recorded in d.notes).
/// Appends a warning for each network node without coordinates.
void parse_nodes(std::string_view text, const std::string& origin, NetworkData& d,
                 const TntpUnits& units, std::vector<std::string>& warnings);
void read_nodes(const std::filesystem::path& path, NetworkData& d, const TntpUnits& units,
                std::vector<std::string>& warnings);

/// A dense zone-by-zone demand matrix (vehicles over the assignment period).
struct OdMatrix {
    std::uint32_t zones = 0;
    std::vector<double> demand_veh;  ///< row-major: [origin * zones + destination], 0-based zones
    double header_total = -1;        ///< <TOTAL OD FLOW> of the file (< 0: not given)

    double at(std::uint32_t origin, std::uint32_t dest) const {
        return demand_veh[static_cast<std::size_t>(origin) * zones + dest];
    }
    /// Sum of all cells (in a fixed order).
    double total() const;
};

/// Parses the text of a *_trips.tntp file. A total that differs from <TOTAL OD FLOW> by more
/// than rounding appends a warning (the data is still returned).
OdMatrix parse_trips(std::string_view text, const std::string& origin,
                     std::vector<std::string>& warnings);
OdMatrix read_trips(const std::filesystem::path& path, std::vector<std::string>& warnings);

/// Seconds per TNTP time unit recorded in a network imported by parse_net (notes entry
/// "tntp.time_unit_s=..."); `fallback` when the network was not imported from TNTP.
double recorded_time_unit_s(const NetworkData& d, double fallback);

}  // namespace modeshift::tntp
