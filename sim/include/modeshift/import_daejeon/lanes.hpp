#pragma once
/// Lanes of the Daejeon road links from real sources where they exist, the road rule elsewhere:
/// the ETRI lane-coded networks (matched to links by geometry) and published lane counts of
/// named road sections (located by the tram line 2 segments whose road name the links carry).
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift::daejeon {

/// One directed edge of an ETRI lane-coded network (etri/derived/etri_*_edges_lanes.csv).
struct LaneEdge {
    LatLon from, to;
    float lanes = 0;  ///< through lanes in this direction (turn pockets not counted)
};

/// Reads an ETRI edge CSV (lon0, lat0, lon1, lat1, num_lanes_this_direction); InputError with
/// file, line and column on a bad row.
std::vector<LaneEdge> read_lane_edges(const std::filesystem::path& csv);

/// What the recipe does with one row of lanes_published.csv (networks/daejeon/lanes_sections.csv).
enum class SectionDecision { Use, NotLocated, NotUsed };

/// One row of lanes_sections.csv: a row of lanes_published.csv (road and section exactly as
/// there), the tram line 2 segments that locate it, and the lanes per direction taken from it.
struct LaneSection {
    std::string road, section;
    SectionDecision decision = SectionDecision::NotUsed;
    std::vector<std::string> tram_segments;  ///< segment ids (Use only)
    float lanes = 0;                         ///< per direction (Use only)
    std::string as_of, trust;                ///< from lanes_published.csv
    std::string reason;                      ///< the row's `source`: why this decision
};

/// Reads lanes_sections.csv and checks it against lanes_published.csv: every row names a
/// published row, every published row has a decision, no tram segment is used twice.
std::vector<LaneSection> read_lane_sections(const std::filesystem::path& sections_csv,
                                            const std::filesystem::path& published_csv);

/// How ETRI edges are matched to a link (parameters.csv: lanes_match_*).
struct LaneMatch {
    double tolerance_m = 25;      ///< both ends and the middle of an edge this close to the link
    double max_bearing_deg = 30;  ///< edge direction vs the link's segment nearest its middle
    double min_coverage = 0.5;    ///< matched edge length / link length needed to take lanes
};

/// Lanes of a directed polyline from the edges that run along it: the lane count covering the
/// most length (ties: fewer lanes, the bottleneck), or 0 if the matched edges cover less than
/// `min_coverage` of the link.
float lanes_along(const std::vector<LatLon>& link, const std::vector<LaneEdge>& edges,
                  const LaneMatch& m);

/// The sources, in precedence order: ETRI 2022 (through lanes of a 2022 lane-coded network) >
/// published sections > ETRI 둔산 as a lower bound on the rule > the rule.
struct LaneSources {
    std::vector<LaneEdge> doan2022;
    std::vector<LaneSection> sections;
    std::vector<LaneEdge> dunsan;
    LaneMatch match;
};

/// What assign_lanes changed, indexed by LanesSource.
struct LaneStats {
    std::array<int, 5> links{};
    std::array<double, 5> km{};
    double lane_km_before = 0, lane_km_after = 0;  ///< sum of lanes x length
    int dunsan_not_above_rule = 0;  ///< matched 둔산 links whose rule lanes were already >= ETRI
    std::vector<std::string> notes;
};

/// Sets the lanes of links [0, end) of `d` whose lanes_source is Rule from the sources, with
/// capacity and storage scaled by the same factor (capacity = lanes x saturation flow).
/// `tram_segment[i]` is the id of the tram segment link i runs along ("" if none); a published
/// section takes the links of its segments whose road name is the section's road.
LaneStats assign_lanes(NetworkData& d, std::size_t end,
                       const std::vector<std::string>& tram_segment, const LaneSources& src);

}  // namespace modeshift::daejeon
