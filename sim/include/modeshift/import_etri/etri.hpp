#pragma once
/// Reader for ETRI's signal plan format (the "City Traffic Brain" traffic-simulator data, e.g.
/// ../shared/data/daejeon/etri/doan2022): tss.xml (real fixed-time plans with time-of-day
/// schedules), node.xml, edge.xml and connection.xml (a SUMO-plain-XML-like lane network whose
/// connections carry the linkIndex of the plans' state strings). Every malformed record throws
/// InputError(file, line, field, ...). docs/importers.md describes the format and the rules.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "modeshift/core/geo.hpp"
#include "modeshift/traffic/real_signals.hpp"

namespace modeshift::etri {

struct Phase {
    std::string state;  ///< one SUMO signal state character per linkIndex (G, g, y, r, ...)
    double duration_s = 0;
};

struct Schedule {
    std::string id;
    double offset_s = 0;
    std::vector<Phase> phases;
    std::uint64_t line = 0;
    double cycle_s() const;
};

/// One period of the day: from start_s (seconds after midnight) the schedule runs with offset_s
/// until the next period starts. The first period of a signal starts at 0 (the default plan).
struct Period {
    double start_s = 0;
    std::string schedule;
    double offset_s = 0;
    std::uint64_t line = 0;
};

struct Signal {
    std::string node_id;  ///< the controlled node (node.xml id; "cluster_..." for joined nodes)
    std::string cross_no, cross_name, date, signal_group;
    std::vector<Schedule> schedules;
    std::vector<Period> periods;  ///< sorted by start; periods[0].start_s == 0
    std::uint64_t line = 0;
    const Schedule& schedule(const std::string& id) const;
};

struct Edge {
    std::string id, from, to;
    std::vector<LatLon> shape;  ///< from the shape attribute (lon,lat pairs)
    std::uint64_t line = 0;
};

/// A connection controlled by a signal: the plan's state character `link_index` is its light.
struct Connection {
    std::string from, to, tl;
    std::size_t link_index = 0;
    std::uint64_t line = 0;
};

struct EtriData {
    std::vector<Signal> signals;
    std::map<std::string, LatLon> nodes;
    std::map<std::string, Edge> edges;
    std::vector<Connection> connections;  ///< only those with a tl (controlled by a signal)
    std::string origin;                   ///< the folder read
};

/// Parsers of one file's text; `origin` names the file in errors.
std::vector<Signal> parse_tss(std::string xml, const std::string& origin);
std::map<std::string, LatLon> parse_nodes(std::string xml, const std::string& origin);
std::map<std::string, Edge> parse_edges(std::string xml, const std::string& origin);
std::vector<Connection> parse_connections(std::string xml, const std::string& origin);

/// Reads tss.xml, node.xml, edge.xml and connection.xml of `dir` and checks that they refer to
/// each other: every signal's node exists; every connection's edges exist and its linkIndex is
/// inside its signal's state strings.
EtriData read_etri(const std::filesystem::path& dir);
/// The same checks on data parsed from text (the fuzz target and the tests).
void check_references(const EtriData& d, const std::string& tss_origin,
                      const std::string& connection_origin);

/// An approach of a signal: an incoming edge with the connections its lights control.
struct Approach {
    std::string edge;
    double arrival_heading = 0;  ///< radians, 0 = east, counter-clockwise (as Network::end_heading)
    /// "through" (the connection to the outgoing edge closest to straight on, within 45 degrees),
    /// else "left" (a T-junction's stem: its left turn; right turns run on permissive green).
    std::string movement;
    std::vector<std::size_t> link_indices;  ///< of that movement's connections
};

/// The approaches of `s`, in the order of their first linkIndex; arrival headings over the last
/// `reach_m` of each incoming edge (turn angles over the first and last 30 m).
std::vector<Approach> approaches(const EtriData& d, const Signal& s, double reach_m = 100);

/// The timing of `a` in every period of `s`. Effective green = the longest cyclic run of
/// consecutive phases in which one of the movement's lights shows G or g, and the second-longest
/// run as a second window (a movement green in a lead and a lag stage); yellow and all-red count
/// as lost time (HCM 2010: g = G + Y + AR - l1 - l2 = G with the default start-up lost time
/// l1 = 2 s and the extension of effective green into the yellow e = 2 s). An approach never green
/// gets 0 s of green.
std::vector<ApproachTiming> timings(const Signal& s, const Approach& a);

/// Heading of a polyline where it arrives at its last point (arriving) or leaves its first
/// point, over `reach_m` metres (a kink right at the node does not decide).
double polyline_heading(const std::vector<LatLon>& pts, bool arriving, double reach_m = 30);

}  // namespace modeshift::etri
