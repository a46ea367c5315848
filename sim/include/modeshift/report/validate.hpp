#pragma once
/// `modeshift validate RUN_DIR`: compares a run with observations. It measures and does not
/// tune anything.
///  - Corridor speeds: observed hourly km/h of tram line 2 corridor segment directions against
///    the run's link_hourly.csv. Road links are matched to a segment direction by geometry. The
///    simulated speed is that of the average vehicle driving the segment over the matched links
///    (`drive_segment`): links in a row add up, links side by side count by their vehicles.
///  - Daily counts: observed two-way vehicles per day on a road against the simulated
///    cross-section volume.
/// Writes validation_speeds.csv, validation_counts.csv and validation.json (atomically).
/// docs/validation.md describes the rules and the metrics.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/core/ids.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift {

class Network;

// ---------------------------------------------------------------- rules

/// A road link matches a corridor segment direction if its midpoint is within this distance of
/// the segment polyline...
inline constexpr double kMatchDistanceM = 40.0;
/// ...and its bearing (first to last point) is within this angle of the segment's local
/// direction at the nearest point (reversed for BA).
inline constexpr double kMatchAngleDeg = 45.0;
/// A segment direction whose matched link length is below this share of its length is flagged.
inline constexpr double kLowCoverageShare = 0.5;
/// Band of simulated / observed counts reported as "within".
inline constexpr double kCountRatioLow = 0.67;
inline constexpr double kCountRatioHigh = 1.5;
inline constexpr int kObservedHours = 24;

/// Default input files, relative to the scenario data folder (scenarios/data).
inline constexpr const char* kDefaultSpeedsFile = "calibration/tram_corridor_hourly_speed_kmh_calibration.csv";
inline constexpr const char* kDefaultSegmentsFile = "calibration/tram_line2_segments_nynji.json";
inline constexpr const char* kDefaultCountsFile = "traffic_counts.csv";

// ---------------------------------------------------------------- inputs

/// One corridor segment with a polyline in digitised order (A = first point, B = last).
struct CorridorSegment {
    std::string segment_id;   ///< "SEG_01_201_202"
    std::string road_name;
    std::string from_name, to_name;
    std::string key_ab, key_ba;  ///< direction keys: along the digitised order / against it
    std::vector<LatLon> line;    ///< the MultiLineString's parts chained in order
};

/// Reads `segments[]` of a corridor geometry file (tram_line2_segments_nynji.json form).
/// `geometry` is a GeoJSON LineString/MultiLineString, either as an object or as a string that
/// holds GeoJSON or WKT. Direction keys come from `directions` {"AB": key, "BA": key}, or are
/// segment_id + "_AB"/"_BA" if absent. Throws InputError naming the file and JSON path.
std::vector<CorridorSegment> read_corridor_segments(const std::filesystem::path& path);

/// Observed hourly speeds of one segment direction.
struct ObservedSpeeds {
    std::string key;
    std::size_t segment = 0;     ///< index into the segments
    bool reverse = false;        ///< BA: against the digitised order
    std::string from_name, to_name, source;
    std::array<std::optional<double>, kObservedHours> kmh{};  ///< empty cell = not observed
    std::uint64_t line = 0;      ///< line in the CSV file
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

// ---------------------------------------------------------------- building blocks

/// Road links: car links other than zone connectors (no tram or rail track, no footpaths).
bool is_road_link(const Network& net, LinkId l);

/// Point half-way along a polyline (metric, in the network's projection).
XY polyline_midpoint(std::span<const XY> line);
/// Length in metres (haversine).
double polyline_length_m(std::span<const LatLon> line);

struct LinkMatch {
    LinkId link;
    double distance_m = 0;  ///< midpoint to the segment polyline
    double angle_deg = 0;   ///< link bearing vs. the segment's local direction
    /// Where the link's first and last points fall along the segment (metres from its start, in
    /// the segment direction, clipped to the segment); equal when the link does not run along it.
    double from_m = 0, to_m = 0;
    double inside_m = 0;  ///< the link's length between from_m and to_m (the overhang cut off)
};

/// Road links that match a segment polyline (see kMatchDistanceM / kMatchAngleDeg), in link order.
/// `reverse` = the direction against the digitised order (BA).
std::vector<LinkMatch> match_corridor_links(const Network& net, std::span<const LatLon> line, bool reverse,
                                            double max_distance_m = kMatchDistanceM,
                                            double max_angle_deg = kMatchAngleDeg);

struct LengthAndTime {
    double length_m = 0;
    double time = 0;  ///< metres / (km/h): length / time is a speed in km/h
};

/// Drives a segment along its matched links: the segment is cut at every link end; each piece is
/// driven over the links covering it, their own lengths over the piece averaged with `weight`
/// (links with weight 0 are left out). Links one after another add up (a length-weighted
/// harmonic mean of their speeds); links side by side (a slip road beside the main carriageway)
/// share a piece by weight, so an empty ramp does not count as if everybody drove it.
LengthAndTime drive_segment(std::span<const LinkMatch> links, std::span<const double> weight,
                            std::span<const double> speed_kmh);

struct LinkTraffic {
    double vehicles = 0;   ///< in the hour (full-population equivalent)
    double speed_kmh = 0;  ///< space-mean speed
};

/// Speed of the average vehicle driving the segment in one hour: `drive_segment` with the links'
/// vehicles as weights; links without traffic (nullopt) are left out. nullopt when no link has any.
std::optional<double> segment_speed_kmh(std::span<const LinkMatch> links, std::span<const std::optional<LinkTraffic>> traffic);

/// Simulated minus observed over pairs.
struct ErrorStats {
    std::size_t n = 0;
    double rmse = 0, bias = 0, mae = 0;
    double mean_observed = 0, mean_simulated = 0;
    std::optional<double> correlation;  ///< Pearson; nullopt if n < 2 or a side is constant
};
ErrorStats error_stats(std::span<const double> observed, std::span<const double> simulated);

/// Daily vehicles per link (all hours of link_hourly summed), indexed by link.
std::vector<double> daily_vehicles(const Network& net, std::span<const LinkHour> rows);

struct CountResult {
    TrafficCount count;
    std::optional<double> simulated_veh_per_day;  ///< nullopt = could not be located
    std::optional<double> ratio;                  ///< simulated / observed
    std::vector<LinkId> links;                    ///< the links summed
    std::string note;                             ///< how it was located, or why not
};

/// Simulated two-way daily volume at a count's cross-section:
///  - with lat/lon: the road link of that name whose midpoint is nearest the point (within
///    radius_m) plus the nearest link of that name heading the other way (bearing more than 90
///    degrees off; within radius_m of the point);
///  - without: the maximum over road links of that name of (its daily vehicles + those of its
///    reverse link, the road link with from/to swapped, if any).
CountResult evaluate_count(const Network& net, std::span<const double> daily, const TrafficCount& c);

// ---------------------------------------------------------------- the command

struct ValidateOptions {
    std::filesystem::path run_dir;
    /// Empty = default: kDefault*File in the scenario data folder (see default_data_dirs).
    std::filesystem::path speeds, segments, counts;
    bool use_counts = true;        ///< false: skip the counts
    std::filesystem::path network; ///< empty = summary.json's network_file
    /// A link-hour speed counts only if at least this many simulated (sampled, unscaled)
    /// vehicles made it: one or two vehicles meeting a red or a green are not a mean speed, and
    /// the observed speeds are means over many probe vehicles.
    double min_sampled_vehicles = 5;
};

/// Hours of the day of the headline daytime figure (05-23 h: the hours when the corridor's
/// traffic is dense enough for its speeds to be flow-dependent).
inline constexpr int kDaytimeFirstHour = 5;

/// Where the default inputs are looked for, in order: the `data` folder next to the run's
/// scenario file (scenarios/data for scenarios/X.json; tried as given, then relative to the run
/// directory), then scenarios/data under the working directory, then the scenarios/data folder of
/// the repository holding the network file (networks/<name>/<file>).
std::vector<std::filesystem::path> default_data_dirs(const RunSummary& s, const std::filesystem::path& run_dir);

struct SegmentHour {
    int hour = 0;
    std::optional<double> observed_kmh, simulated_kmh;
    int links_with_traffic = 0;
};

struct SegmentResult {
    std::string key, segment_id, road_name, from_name, to_name, direction;  ///< direction "AB"/"BA"
    double segment_length_m = 0, matched_length_m = 0;
    double coverage = 0;  ///< matched / segment length (links side by side count once, overhangs not at all)
    bool low_coverage = false;
    std::vector<LinkMatch> links;
    std::array<SegmentHour, kObservedHours> hours{};
    ErrorStats stats;     ///< over this segment's compared hours
    std::size_t hours_missing = 0;  ///< observed but no simulated speed
};

struct HourResult {
    int hour = 0;
    ErrorStats stats;  ///< over segments
    std::size_t missing = 0;
};

struct ValidationResult {
    std::filesystem::path run_dir;
    std::string scenario;
    std::filesystem::path network_file, speeds_file, segments_file, counts_file;  ///< counts empty = skipped
    std::vector<std::string> speed_sources;  ///< distinct `source` values of the speeds file
    std::vector<SegmentResult> segments;  ///< in the order of the speeds file
    std::array<HourResult, kObservedHours> hours{};
    ErrorStats overall;
    ErrorStats daytime;       ///< hours kDaytimeFirstHour..23
    std::size_t missing = 0;  ///< observed segment-hours without a simulated speed
    std::size_t sparse = 0;   ///< of those, because no matched link had min_sampled_vehicles
    double min_sampled_vehicles = 0;
    std::vector<CountResult> counts;
    std::size_t counts_compared = 0;
    std::optional<double> mean_ratio;
    std::optional<double> share_within;  ///< of compared counts, ratio in [kCountRatioLow, kCountRatioHigh]
    std::size_t within = 0;
    std::vector<std::string> notes;
};

/// Reads the run directory and the observations and computes everything. InputError on bad input.
ValidationResult validate_run(const ValidateOptions& opt);

std::string validation_json(const ValidationResult& r);
/// segment,direction,road_name,hour,observed_kmh,simulated_kmh,diff_kmh,links_matched,links_with_traffic,matched_length_m
std::string validation_speeds_csv(const ValidationResult& r);
/// count_id,road_name,observed_veh_per_day,simulated_veh_per_day,ratio,year,links,note
std::string validation_counts_csv(const ValidationResult& r);
/// Short text table for the terminal.
std::string validation_table(const ValidationResult& r);

/// Writes validation_speeds.csv, validation.json and (if counts were used) validation_counts.csv
/// into `dir` (created if needed). Returns the paths written.
std::vector<std::filesystem::path> write_validation(const ValidationResult& r, const std::filesystem::path& dir);

}  // namespace modeshift
