#pragma once
/// The inputs of `modeshift validate`: the corridor segment geometry, the observed hourly speeds
/// of its segment directions, the observed daily counts, and a run's link_hourly.csv. Every reader
/// throws InputError naming the file, line (or JSON path) and field.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/core/ids.hpp"

namespace modeshift {

class Network;

inline constexpr int kObservedHours = 24;

/// Default input files, relative to the scenario data folder (scenarios/data).
inline constexpr const char* kDefaultSpeedsFile =
    "calibration/tram_corridor_hourly_speed_kmh_calibration.csv";
inline constexpr const char* kDefaultSegmentsFile = "calibration/tram_line2_segments_nynji.json";
inline constexpr const char* kDefaultCountsFile = "traffic_counts.csv";

/// One corridor segment with a polyline in digitised order (A = first point, B = last).
struct CorridorSegment {
    std::string segment_id;  ///< "SEG_01_201_202"
    std::string road_name;
    std::string from_name, to_name;
    std::string key_ab, key_ba;  ///< direction keys: along the digitised order / against it
    std::vector<LatLon> line;    ///< the MultiLineString's parts chained in order
};

/// Reads `segments[]` of a corridor geometry file (tram_line2_segments_nynji.json form).
/// `geometry` is a GeoJSON LineString/MultiLineString, either as an object or as a string that
/// holds GeoJSON or WKT. Direction keys come from `directions` {"AB": key, "BA": key}, or are
/// segment_id + "_AB"/"_BA" if absent. Throws InputError naming the file and JSON path.
/// `s` without leading and trailing blanks (spaces, tabs, line ends): CSV cells as typed.
std::string trim(std::string_view s);

std::vector<CorridorSegment> read_corridor_segments(const std::filesystem::path& path);

/// Observed hourly speeds of one segment direction.
struct ObservedSpeeds {
    std::string key;
    std::size_t segment = 0;  ///< index into the segments
    bool reverse = false;     ///< BA: against the digitised order
    std::string from_name, to_name, source;
    std::array<std::optional<double>, kObservedHours> kmh{};  ///< empty cell = not observed
    std::uint64_t line = 0;                                   ///< line in the CSV file
};

/// Reads segment_key, h00..h23 and source (plus optional from_name/to_name). Keys must name a
/// direction of `segments`. Throws InputError naming the file, line and field.
std::vector<ObservedSpeeds> read_observed_speeds(const std::filesystem::path& path,
                                                 const std::vector<CorridorSegment>& segments);

/// One observed daily count.
struct TrafficCount {
    std::string count_id, road_name;
    std::optional<double> lat, lon, radius_m;  ///< all empty = busiest cross-section of the road
    double observed_veh_per_day = 0;
    std::optional<long long> year;
    std::string what, source;
    std::uint64_t line = 0;
};

/// Reads count_id, road_name, lat, lon, radius_m, observed_veh_per_day, year, what, source.
/// Throws InputError naming the file, line and field.
std::vector<TrafficCount> read_traffic_counts(const std::filesystem::path& path);

/// One row of a run's link_hourly.csv.
struct LinkHour {
    LinkId link;
    std::uint32_t hour = 0;
    double vehicles = 0;        ///< full-population equivalents (scaled by 1 / sample fraction)
    double mean_speed_kmh = 0;  ///< space-mean speed (distance / time)
};

/// Reads link_hourly.csv; link ids must exist in `net` and, where the file has external_id,
/// agree with it (so a run is never read against a different network).
std::vector<LinkHour> read_link_hourly(const std::filesystem::path& path, const Network& net);

}  // namespace modeshift
