#pragma once
/// The replay run file (DIR/run.msrun): what one simulated day looked like, for the viewer and for
/// later analysis. A cereal binary in the common frame (io/framed_file.hpp: magic "MSRUNBIN",
/// schema version, the network's content hash, payload size, checksum); vehicle movements are
/// delta + varint encoded so a full district day stays small.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/core/time.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift {

class Network;

/// Current schema version of run files; readers refuse any other. 2: the common frame (with the
/// network's content hash) around the version-1 payload.
inline constexpr std::uint32_t kRunFileSchemaVersion = 2;

/// A generic table of numbers over time: row r is time (r + 1) * step_ms (the state at the end of
/// minute r for step 60 000), columns are `names`; values are row-major (rows x names.size()).
/// Convention read by the viewer: "co2_kg.<mode>" = cumulative kg CO2 of that mode so far.
struct CounterSeries {
    TimeMs step_ms = 60'000;
    std::vector<std::string> names;
    std::vector<double> values;

    /// Number of complete rows.
    std::size_t rows() const { return names.empty() ? 0 : values.size() / names.size(); }
    /// Column index of `name`, or -1.
    int column(std::string_view name) const;
    /// Value of column `col` at time t, linearly interpolated between rows (0 before the first).
    double at_time(int col, TimeMs t) const;
    bool operator==(const CounterSeries&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(step_ms, names, values);
    }
};

/// A per-link quantity by hour (e.g. "co2_g"), supplied by the caller: values[h * links + l].
struct LinkHourlyTable {
    std::string name;
    std::string unit;
    std::uint32_t hours = 0;
    std::vector<float> values;
    bool operator==(const LinkHourlyTable&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(name, unit, hours, values);
    }
};

/// A named point (stop, bike station) in local metres.
struct RunPoint {
    std::string code;
    std::string name;
    float x_m = 0, y_m = 0;
    ModeMask modes = 0;
    bool operator==(const RunPoint&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, x_m, y_m, modes);
    }
};

/// A zone (dong) outline with its names; rings in local metres.
struct RunZone {
    std::string code;
    std::string name;  ///< Korean name, e.g. "둔산1동"
    std::string name_en;
    bool study_area = false;
    float label_x_m = 0, label_y_m = 0;
    std::vector<std::uint32_t> ring_first;  ///< ring r = points [ring_first[r], ring_first[r+1])
    std::vector<float> ring_x_m, ring_y_m;
    bool operator==(const RunZone&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, name_en, study_area, label_x_m, label_y_m, ring_first, ring_x_m, ring_y_m);
    }
};

/// A transit line: its route as link ids (drawn with the links' geometry).
struct RunLine {
    std::string code;
    std::string name;
    Mode mode = Mode::Bus;
    bool active = true;
    float vehicle_capacity = 0;
    std::vector<std::uint32_t> links;
    std::vector<std::uint32_t> stops;
    bool operator==(const RunLine&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(code, name, mode, active, vehicle_capacity, links, stops);
    }
};

/// The drawing geometry of the network, in local metres around (ref_lat, ref_lon)
/// (x east, y north; the network's LocalProjection).
struct RunGeometry {
    double ref_lat = 0, ref_lon = 0;
    std::uint32_t node_count = 0;
    std::vector<std::uint32_t> link_from, link_to;  ///< node indices (for successor coding)
    std::vector<std::uint32_t> link_first;          ///< size links + 1; polyline incl. end points
    std::vector<float> point_x_m, point_y_m;
    std::vector<float> link_length_m;
    std::vector<float> link_freeflow_speed_mps;
    std::vector<RoadClass> link_class;
    std::vector<ModeMask> link_modes;
    std::vector<std::string> link_name;  ///< road names (may be empty)
    std::vector<RunZone> zones;
    std::vector<RunLine> lines;
    std::vector<RunPoint> stops;
    std::vector<RunPoint> bike_stations;

    std::size_t link_count() const { return link_from.size(); }
    bool operator==(const RunGeometry&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(ref_lat, ref_lon, node_count, link_from, link_to, link_first, point_x_m, point_y_m,
           link_length_m, link_freeflow_speed_mps, link_class, link_modes, link_name, zones, lines,
           stops, bike_stations);
    }
};

/// A vehicle type as far as drawing needs it.
struct RunVehicleType {
    std::string name;
    Mode mode = Mode::Car;
    bool operator==(const RunVehicleType&) const = default;
    template <class A>
    void serialize(A& ar) {
        ar(name, mode);
    }
};

/// All link traversals, grouped by vehicle (vehicle v owns [vehicle_first[v], vehicle_first[v+1]))
/// and sorted by enter time within a vehicle. Times are ms since midnight.
/// Kept decoded in memory; encoded compactly (delta + varint) in the file.
struct Movements {
    std::vector<std::uint32_t> vehicle_first = {0};
    std::vector<std::uint32_t> vehicle_id;    ///< the engine's vehicle id
    std::vector<std::uint16_t> vehicle_type;  ///< index into RunFile::vehicle_types
    std::vector<std::uint32_t> vehicle_line;  ///< line index + 1 for transit vehicles, 0 otherwise
    std::vector<std::uint32_t> link;
    std::vector<std::uint32_t> enter_ms;
    std::vector<std::uint32_t> leave_ms;
    std::vector<std::uint16_t> passengers;

    std::size_t vehicle_count() const { return vehicle_id.size(); }
    std::size_t traversal_count() const { return link.size(); }
    bool operator==(const Movements&) const = default;
};

/// Transit stop calls sorted by (vehicle, arrive): boardings, alightings and load.
struct StopCalls {
    std::vector<std::uint32_t> vehicle, line, stop;
    std::vector<std::uint16_t> stop_index;
    std::vector<std::uint32_t> arrive_ms, depart_ms;
    std::vector<std::uint16_t> boarded, alighted, load, left_behind;
    std::size_t size() const { return vehicle.size(); }
    bool operator==(const StopCalls&) const = default;
};

/// The whole content of a run file.
struct RunFile {
    std::string scenario;  ///< scenario name
    std::string label;     ///< free label shown in the viewer (e.g. "기준 baseline")
    std::string network_name;
    std::uint64_t network_hash = 0;
    std::uint64_t seed = 0;
    double sample_fraction = 1.0;     ///< counts in the file are of the simulated sample
    TimeMs start_ms = 0, end_ms = 0;  ///< time span of the movements
    RunGeometry geometry;
    std::vector<RunVehicleType> vehicle_types;
    Movements movements;
    StopCalls stop_calls;
    std::array<double, kModeCount> trips_by_mode{};  ///< finished trips by main mode (sample)
    std::uint64_t trips_stuck = 0;
    CounterSeries counters;
    std::vector<LinkHourlyTable> link_tables;
    bool operator==(const RunFile&) const = default;

    /// Mode share of finished trips (fractions summing to 1, or all zero).
    std::array<double, kModeCount> mode_shares() const;
};

/// Extracts the drawing geometry of a network (local metres of its projection).
RunGeometry geometry_from_network(const Network& net);

/// Writes `run` atomically to `path` (e.g. DIR/run.msrun). Throws std::runtime_error on I/O
/// failure.
void write_run_file(const std::filesystem::path& path, const RunFile& run);
/// Serialises `run` to bytes (header + payload), as write_run_file writes them.
std::string encode_run_file(const RunFile& run);
/// Reads and validates a run file; throws InputError naming the file for missing, truncated,
/// corrupt, foreign or wrong-version files.
RunFile read_run_file(const std::filesystem::path& path);
/// Decodes bytes produced by encode_run_file (`origin` names the source in errors).
RunFile decode_run_file(const std::string& bytes, const std::string& origin);

/// The movement block as stored in the file (successor-coded links, delta + varint times).
std::string encode_movements(const RunGeometry& g, const Movements& m);
/// Inverse of encode_movements; throws InputError (file = origin) on any inconsistency.
Movements decode_movements(const RunGeometry& g, std::size_t type_count, std::size_t line_count,
                           const std::string& blob, const std::string& origin);

}  // namespace modeshift
