#pragma once
/// GTFS importer: a feed (directory or .zip) becomes transit lines with explicit departures for
/// one service day, attached to a road network or on links of their own.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/network/network_data.hpp"

namespace modeshift {

/// Vehicle and own-link defaults of one mode (a row of networks/gtfs/gtfs_mode_defaults.csv).
struct GtfsModeDefaults {
    double vehicle_capacity = 80;
    double vehicle_pce = 2.5;
    double link_capacity_vph = 1000;
    std::string source;
};

/// Reads gtfs_mode_defaults.csv (rows bus, metro, tram).
std::map<Mode, GtfsModeDefaults> read_gtfs_mode_defaults(const std::filesystem::path& csv);
/// The table bundled with the source tree (networks/gtfs/gtfs_mode_defaults.csv).
std::filesystem::path default_gtfs_mode_defaults();

/// GTFS route_type (basic 0-12 and extended 100-1700) -> simulated mode; nullopt = not
/// simulated (ferry, aerial lift, ...). Throws nothing.
std::optional<Mode> gtfs_route_type_mode(long long route_type);
/// "HH:MM:SS" or "H:MM:SS" (hours may exceed 24) -> seconds after midnight; nullopt if malformed.
std::optional<std::int64_t> parse_gtfs_time(const std::string& text);

struct GtfsImportOptions {
    std::string name = "gtfs";
    /// Service day YYYYMMDD; empty = the day with the most active trips.
    std::string date;
    /// Road network to attach to: stops snap to its nodes, buses route over its links.
    const NetworkData* network = nullptr;
    std::string network_origin = "<network>";
    double max_snap_m = 300;  ///< stops farther from any bus node get a node of their own
};

/// What the importer read and repaired; every warning is counted by kind.
struct GtfsImportReport {
    std::uint64_t agencies = 0, stops = 0, stations = 0, other_locations = 0, routes = 0, trips = 0;
    std::uint64_t stop_times = 0, services = 0, frequencies = 0, transfers = 0;
    std::string service_date;
    std::uint64_t trips_on_day = 0, departures = 0, lines = 0;
    std::uint64_t stops_snapped = 0, stops_own_node = 0;
    std::uint64_t hops_routed = 0, hops_direct = 0, links_added = 0;
    std::map<std::string, std::uint64_t> warnings;
    std::vector<std::string> summary() const;
};

/// Imports the feed at `feed` (directory or .zip). Throws InputError naming file, line and field.
NetworkData import_gtfs(const std::filesystem::path& feed,
                        const std::map<Mode, GtfsModeDefaults>& defaults,
                        const GtfsImportOptions& options, GtfsImportReport& report);

}  // namespace modeshift
