#pragma once
// Shared by the GTFS importer's files: the feed's tables as read and the importer, whose steps
// live in one file per concern: tables.cpp (CSV files -> agency, stop, route, trip and transfer
// tables), calendar.cpp (services and the service day), timetable.cpp (stop times, frequencies ->
// stop patterns with departures) and attach.cpp (patterns -> lines on a network).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "feed_source.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/shortest_path.hpp"

namespace modeshift::gtfs {

struct GStop {
    std::string id, name;
    double lat = 0, lon = 0;
    int location_type = 0;
    std::string parent;
    std::uint64_t line = 0;
    StopId out;  ///< assigned Stop (location_type 0 only)
};

struct GRoute {
    std::string id, short_name, long_name;
    Mode mode = Mode::Bus;
    bool simulated = true;
};

struct GTrip {
    std::size_t route = 0;
    std::string service, direction, id;
    std::uint64_t line = 0;
};

struct GStopTime {
    long long seq;
    std::size_t stop;
    std::optional<std::int64_t> arr, dep;
    std::uint64_t line;
};

struct GCalendar {
    std::uint8_t days[7] = {};  // monday .. sunday
    int start = 0, end = 0;     // YYYYMMDD
};

using Days = std::chrono::sys_days;

class GtfsImporter {
  public:
    GtfsImporter(const std::filesystem::path& feed,
                 const std::map<Mode, GtfsModeDefaults>& defaults, const GtfsImportOptions& o,
                 GtfsImportReport& r);
    NetworkData run();

  private:
    // tables.cpp
    std::optional<CsvReader> open(const std::string& file, bool required,
                                  std::initializer_list<const char*> columns);
    std::string text(const CsvReader& r, const char* col);
    void read_agency();
    void read_stops();
    void read_routes();
    void read_trips();
    void read_transfers();

    // calendar.cpp
    void read_calendar();
    bool active(const std::string& service, Days day) const;
    void choose_day();

    // timetable.cpp
    struct Pattern {
        std::size_t route;
        std::string direction;
        std::vector<std::size_t> stops;
        std::vector<double> departures_s;
        std::vector<std::vector<double>> hop_times_s;  // per hop, one sample per trip
        std::size_t first_trip;
    };

    void read_stop_times();
    /// Sorts a trip's stop times, rejects duplicates and interpolates missing times by distance.
    void prepare_trip(std::size_t i);
    void interpolate(std::vector<GStopTime>& v, std::size_t a, std::size_t b);
    void read_frequencies();
    void build_patterns();

    // attach.cpp
    void attach();
    void make_line(const Pattern& p, const std::vector<NodeId>& node_of,
                   const std::vector<std::uint8_t>& on_network);
    LinkId direct_link(NodeId a, NodeId b, Mode mode, double hop_s, const GtfsModeDefaults& def);

    FeedSource src_;
    const std::map<Mode, GtfsModeDefaults>& defaults_;
    const GtfsImportOptions& opt_;
    GtfsImportReport& rep_;
    NetworkBuilder builder_;
    std::map<std::string, std::string> agencies_;
    std::vector<GStop> stops_;
    std::vector<GRoute> routes_;
    std::vector<GTrip> trips_;
    std::vector<std::vector<GStopTime>> times_;
    // Lookup-only hash maps (never iterated), so their order cannot reach the output.
    std::unordered_map<std::string, std::size_t> stop_index_, route_index_, trip_index_;
    std::map<std::string, GCalendar> calendar_;
    std::map<std::pair<std::string, Days>, bool> exceptions_;
    std::set<std::string> services_;
    std::map<std::size_t, std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>>> freq_;
    std::string file_stop_times_;
    Days day_{};
    std::vector<Pattern> patterns_;
    std::optional<ShortestPathWorkspace> spw_;
    bool spw_ran_ = false;
    std::vector<double> free_time_;
    std::map<std::tuple<std::uint32_t, std::uint32_t, int>, LinkId> direct_;
};

}  // namespace modeshift::gtfs
