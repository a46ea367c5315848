// GTFS -> transit lines: read and cross-check the tables, pick a service day, expand
// frequencies, group trips by stop pattern, then attach the patterns to a network.
#include "modeshift/import_gtfs/gtfs_import.hpp"

#include <fmt/format.h>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift {

std::optional<Mode> gtfs_route_type_mode(long long t) {
    switch (t) {
        case 0:
        case 5:
            return Mode::Tram;  // tram / light rail, cable tram
        case 1:
        case 2:
        case 7:
        case 12:
            return Mode::Metro;  // subway, rail, funicular, monorail
        case 3:
        case 11:
            return Mode::Bus;  // bus, trolleybus
        default:
            break;
    }
    if (t >= 100 && t < 200) return Mode::Metro;  // railway service
    if (t >= 200 && t < 300) return Mode::Bus;    // coach
    if (t >= 400 && t < 500) return Mode::Metro;  // urban railway / metro / underground
    if (t >= 700 && t < 800) return Mode::Bus;    // bus service
    if (t == 800) return Mode::Bus;               // trolleybus
    if (t >= 900 && t < 1000) return Mode::Tram;  // tram
    if (t == 1400) return Mode::Metro;            // funicular
    return std::nullopt;
}

std::optional<std::int64_t> parse_gtfs_time(const std::string& text) {
    std::string s = text;
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    const auto c1 = s.find(':');
    const auto c2 = c1 == std::string::npos ? c1 : s.find(':', c1 + 1);
    if (c2 == std::string::npos || s.size() - c2 != 3 || c2 - c1 != 3 || c1 == 0 || c1 > 3)
        return std::nullopt;
    const auto h = parse_int(s.substr(0, c1));
    const auto m = parse_int(s.substr(c1 + 1, 2));
    const auto sec = parse_int(s.substr(c2 + 1, 2));
    if (!h || !m || !sec || *h < 0 || *m < 0 || *m > 59 || *sec < 0 || *sec > 59)
        return std::nullopt;
    return *h * 3600 + *m * 60 + *sec;
}

std::filesystem::path default_gtfs_mode_defaults() {
    return std::filesystem::path(MODESHIFT_GTFS_TABLES_DIR) / "gtfs_mode_defaults.csv";
}

std::map<Mode, GtfsModeDefaults> read_gtfs_mode_defaults(const std::filesystem::path& csv) {
    std::map<Mode, GtfsModeDefaults> out;
    CsvReader r(csv);
    while (r.next()) {
        const auto mode = parse_mode(r.get("mode"));
        if (!mode) r.fail("mode", "unknown mode");
        GtfsModeDefaults d;
        d.vehicle_capacity = r.get_double("vehicle_capacity");
        d.vehicle_pce = r.get_double("vehicle_pce");
        d.link_capacity_vph = r.get_double("link_capacity_vph");
        d.source = r.get_nonempty("source", "every default needs a source");
        if (!(d.vehicle_capacity > 0)) r.fail("vehicle_capacity", "must be > 0");
        out[*mode] = d;
    }
    for (Mode m : {Mode::Bus, Mode::Metro, Mode::Tram})
        if (!out.count(m))
            throw InputError(csv.string(), 0, "mode", fmt::format("no row for {}", mode_name(m)));
    return out;
}

namespace gtfs {

GtfsImporter::GtfsImporter(const std::filesystem::path& feed,
                           const std::map<Mode, GtfsModeDefaults>& defaults,
                           const GtfsImportOptions& o, GtfsImportReport& r)
    : src_(feed), defaults_(defaults), opt_(o), rep_(r), builder_(o.name) {}

NetworkData GtfsImporter::run() {
    read_agency();
    read_stops();
    read_routes();
    read_calendar();
    read_trips();
    read_stop_times();
    read_frequencies();
    read_transfers();
    choose_day();
    build_patterns();
    attach();
    auto& d = builder_.data();
    for (const auto& s : rep_.summary()) d.notes.push_back("gtfs import: " + s);
    return builder_.finish();
}

}  // namespace gtfs

std::vector<std::string> GtfsImportReport::summary() const {
    std::vector<std::string> s;
    s.push_back(fmt::format(
        "read {} agencies, {} stops (+{} stations, {} other locations), {} routes, {} trips, "
        "{} stop_times, {} services, {} frequencies, {} transfers",
        agencies, stops, stations, other_locations, routes, trips, stop_times, services,
        frequencies, transfers));
    s.push_back(fmt::format("service day {}: {} trips, {} departures -> {} lines", service_date,
                            trips_on_day, departures, lines));
    s.push_back(fmt::format(
        "stops snapped to the network {}, own nodes {}; hops routed {}, direct {}; links added {}",
        stops_snapped, stops_own_node, hops_routed, hops_direct, links_added));
    for (const auto& [k, v] : warnings) s.push_back(fmt::format("warning x{}: {}", v, k));
    return s;
}

NetworkData import_gtfs(const std::filesystem::path& feed,
                        const std::map<Mode, GtfsModeDefaults>& defaults,
                        const GtfsImportOptions& options, GtfsImportReport& report) {
    gtfs::GtfsImporter imp(feed, defaults, options, report);
    return imp.run();
}

}  // namespace modeshift
