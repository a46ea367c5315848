// GTFS -> transit lines: read and cross-check the tables, pick a service day, expand
// frequencies, group trips by stop pattern, then attach the patterns to a network.
#include "modeshift/import_gtfs/gtfs_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <unordered_map>

#include "feed_source.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/geo.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/utf8.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/shortest_path.hpp"

namespace modeshift {

std::optional<Mode> gtfs_route_type_mode(long long t) {
    switch (t) {
    case 0: case 5: return Mode::Tram;               // tram / light rail, cable tram
    case 1: case 2: case 7: case 12: return Mode::Metro;  // subway, rail, funicular, monorail
    case 3: case 11: return Mode::Bus;               // bus, trolleybus
    default: break;
    }
    if (t >= 100 && t < 200) return Mode::Metro;    // railway service
    if (t >= 200 && t < 300) return Mode::Bus;      // coach
    if (t >= 400 && t < 500) return Mode::Metro;    // urban railway / metro / underground
    if (t >= 700 && t < 800) return Mode::Bus;      // bus service
    if (t == 800) return Mode::Bus;                 // trolleybus
    if (t >= 900 && t < 1000) return Mode::Tram;    // tram
    if (t == 1400) return Mode::Metro;              // funicular
    return std::nullopt;
}

std::optional<std::int64_t> parse_gtfs_time(const std::string& text) {
    std::string s = text;
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    const auto c1 = s.find(':');
    const auto c2 = c1 == std::string::npos ? c1 : s.find(':', c1 + 1);
    if (c2 == std::string::npos || s.size() - c2 != 3 || c2 - c1 != 3 || c1 == 0 || c1 > 3) return std::nullopt;
    const auto h = parse_int(s.substr(0, c1));
    const auto m = parse_int(s.substr(c1 + 1, 2));
    const auto sec = parse_int(s.substr(c2 + 1, 2));
    if (!h || !m || !sec || *h < 0 || *m < 0 || *m > 59 || *sec < 0 || *sec > 59) return std::nullopt;
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
        if (!out.count(m)) throw InputError(csv.string(), 0, "mode", fmt::format("no row for {}", mode_name(m)));
    return out;
}

namespace {

using gtfs::FeedSource;

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

std::optional<Days> parse_date(const std::string& s) {
    const auto v = parse_int(s);
    if (!v || s.size() != 8) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*v / 10000)),
                                          std::chrono::month(static_cast<unsigned>(*v / 100 % 100)),
                                          std::chrono::day(static_cast<unsigned>(*v % 100))};
    if (!ymd.ok()) return std::nullopt;
    return Days(ymd);
}

std::string format_date(Days d) {
    const std::chrono::year_month_day ymd(d);
    return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

/// Many published feeds omit trailing empty fields ("a,b" under a 5-column header). GTFS
/// consumers treat the missing fields as empty; pad such records with delimiters so the strict
/// CSV reader accepts them. Line numbers are unchanged. Returns the number of records padded.
std::size_t pad_short_records(std::string& csv) {
    std::string out;
    out.reserve(csv.size() + 64);
    std::size_t header_fields = 0, fields = 1, padded = 0;
    bool quoted = false, header = true, any = false;
    auto end_record = [&] {
        if (header) {
            header_fields = fields;
            header = false;
        } else if (any && fields < header_fields) {
            out.append(header_fields - fields, ',');
            ++padded;
        }
        fields = 1;
        any = false;
    };
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '\n' || c == '\r')) {
            end_record();
            out.push_back(c);
            if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') out.push_back(csv[++i]);
            continue;
        }
        if (!quoted && c == ',') ++fields;
        any = true;
        out.push_back(c);
    }
    if (!quoted) end_record();
    csv = std::move(out);
    return padded;
}

class GtfsImporter {
public:
    GtfsImporter(const std::filesystem::path& feed, const std::map<Mode, GtfsModeDefaults>& defaults,
                 const GtfsImportOptions& o, GtfsImportReport& r)
        : src_(feed), defaults_(defaults), opt_(o), rep_(r), builder_(o.name) {}

    NetworkData run() {
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

private:
    // ---------------- reading ----------------

    std::optional<CsvReader> open(const std::string& file, bool required,
                                  std::initializer_list<const char*> columns) {
        auto content = src_.read(file);
        if (!content) {
            if (required) throw InputError(src_.display_name(file), 0, file, "required GTFS file missing");
            return std::nullopt;
        }
        if (const auto n = pad_short_records(*content))
            rep_.warnings["rows with fewer fields than the header: missing trailing fields read as empty"] += n;
        CsvReader r(src_.display_name(file), std::move(*content));
        for (const char* c : columns)
            if (!r.has_column(c)) throw InputError(r.file(), 1, c, "required column missing");
        return r;
    }

    std::string text(const CsvReader& r, const char* col) {
        auto v = r.get_opt(col).value_or("");
        if (!is_valid_utf8(v)) {
            ++rep_.warnings[fmt::format("{} not valid UTF-8: bad bytes replaced by U+FFFD", col)];
            v = repair_utf8(v);
        }
        return v;
    }

    void read_agency() {
        auto r = open("agency.txt", true, {"agency_name"});
        while (r->next()) {
            const auto id = r->get_opt("agency_id").value_or("");
            if (!agencies_.emplace(id, text(*r, "agency_name")).second) r->fail("agency_id", fmt::format("duplicate agency_id '{}'", id));
            ++rep_.agencies;
        }
        if (agencies_.empty()) throw InputError(r->file(), 0, "agency_id", "no agency");
        std::string names;
        for (const auto& [id, name] : agencies_) names += (names.empty() ? "" : ", ") + name;
        builder_.data().source = fmt::format("GTFS feed {} ({})", src_.path().filename().string(), names);
    }

    void read_stops() {
        auto r = open("stops.txt", true, {"stop_id"});
        while (r->next()) {
            GStop s;
            s.id = r->get_nonempty("stop_id", "empty stop_id");
            s.line = r->line();
            s.name = text(*r, "stop_name");
            const long long location_type =
                r->has_column("location_type") && r->get_opt("location_type") ? r->get_int("location_type") : 0;
            if (location_type < 0 || location_type > 4) r->fail("location_type", "must be 0..4");
            s.location_type = static_cast<int>(location_type);
            const bool needs_pos = s.location_type <= 2;
            const auto lat = r->get_double_opt("stop_lat");
            const auto lon = r->get_double_opt("stop_lon");
            if (needs_pos && (!lat || !lon)) r->fail(!lat ? "stop_lat" : "stop_lon", "required for stops and stations");
            if (lat && (std::abs(*lat) > 90)) r->fail("stop_lat", fmt::format("{} is outside -90..90", *lat));
            if (lon && (std::abs(*lon) > 180)) r->fail("stop_lon", fmt::format("{} is outside -180..180", *lon));
            if (lat && lon && *lat == 0 && *lon == 0) r->fail("stop_lat", "position (0, 0) is a placeholder, not a stop");
            s.lat = lat.value_or(0);
            s.lon = lon.value_or(0);
            s.parent = r->get_opt("parent_station").value_or("");
            if (!stop_index_.emplace(s.id, stops_.size()).second) r->fail("stop_id", fmt::format("duplicate stop_id '{}'", s.id));
            stops_.push_back(std::move(s));
        }
        for (const auto& s : stops_) {
            if (s.location_type == 0) ++rep_.stops;
            else if (s.location_type == 1) ++rep_.stations;
            else ++rep_.other_locations;
            if (s.parent.empty()) continue;
            auto it = stop_index_.find(s.parent);
            if (it == stop_index_.end())
                throw InputError(r->file(), s.line, "parent_station", fmt::format("unknown stop_id '{}'", s.parent));
            // GTFS: the parent of a boarding area (4) is a platform (a stop, 0); of any other location a station (1).
            const int parent_type = stops_[it->second].location_type;
            if (s.location_type == 4 ? parent_type != 0 : parent_type != 1)
                throw InputError(r->file(), s.line, "parent_station",
                                 s.location_type == 4
                                     ? fmt::format("'{}' is not a stop (location_type 0): a boarding area belongs to a platform", s.parent)
                                     : fmt::format("'{}' is not a station (location_type 1)", s.parent));
        }
    }

    void read_routes() {
        auto r = open("routes.txt", true, {"route_id", "route_type"});
        while (r->next()) {
            GRoute g;
            g.id = r->get("route_id");
            const auto agency = r->get_opt("agency_id").value_or("");
            if (!agency.empty() ? !agencies_.count(agency) : agencies_.size() > 1)
                r->fail("agency_id", agency.empty() ? "required when the feed has several agencies"
                                                    : fmt::format("unknown agency_id '{}'", agency));
            g.short_name = text(*r, "route_short_name");
            g.long_name = text(*r, "route_long_name");
            const auto type = r->get_int("route_type");
            const auto mode = gtfs_route_type_mode(type);
            if (!mode) {
                if (type < 0 || type > 1702) r->fail("route_type", fmt::format("unknown route_type {}", type));
                g.simulated = false;
                ++rep_.warnings[fmt::format("route_type {} (e.g. ferry, aerial lift) not simulated: its trips skipped", type)];
            } else {
                g.mode = *mode;
            }
            if (!route_index_.emplace(g.id, routes_.size()).second) r->fail("route_id", fmt::format("duplicate route_id '{}'", g.id));
            routes_.push_back(std::move(g));
            ++rep_.routes;
        }
    }

    void read_calendar() {
        auto cal = open("calendar.txt", false,
                        {"service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                         "sunday", "start_date", "end_date"});
        auto dates = open("calendar_dates.txt", false, {"service_id", "date", "exception_type"});
        if (!cal && !dates)
            throw InputError(src_.display_name("calendar.txt"), 0, "calendar.txt",
                             "a feed needs calendar.txt or calendar_dates.txt");
        static constexpr const char* kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
        if (cal) {
            while (cal->next()) {
                const auto id = cal->get("service_id");
                GCalendar c;
                for (int k = 0; k < 7; ++k) {
                    const auto v = cal->get_int(kDays[k]);
                    if (v != 0 && v != 1) cal->fail(kDays[k], "must be 0 or 1");
                    c.days[k] = static_cast<std::uint8_t>(v);
                }
                for (const char* f : {"start_date", "end_date"})
                    if (!parse_date(cal->get(f))) cal->fail(f, fmt::format("'{}' is not a date YYYYMMDD", cal->get(f)));
                c.start = static_cast<int>(cal->get_int("start_date"));
                c.end = static_cast<int>(cal->get_int("end_date"));
                if (c.end < c.start) cal->fail("end_date", "before start_date");
                if (!calendar_.emplace(id, c).second) cal->fail("service_id", fmt::format("duplicate service_id '{}'", id));
                services_.insert(id);
            }
        }
        if (dates) {
            while (dates->next()) {
                const auto id = dates->get("service_id");
                const auto d = parse_date(dates->get("date"));
                if (!d) dates->fail("date", fmt::format("'{}' is not a date YYYYMMDD", dates->get("date")));
                const auto e = dates->get_int("exception_type");
                if (e != 1 && e != 2) dates->fail("exception_type", "must be 1 (added) or 2 (removed)");
                if (!exceptions_.emplace(std::pair{id, *d}, e == 1).second)
                    dates->fail("date", fmt::format("service '{}' has this date twice", id));
                services_.insert(id);
            }
        }
        rep_.services = services_.size();
    }

    void read_trips() {
        auto r = open("trips.txt", true, {"route_id", "service_id", "trip_id"});
        while (r->next()) {
            GTrip t;
            t.id = r->get("trip_id");
            auto rt = route_index_.find(r->get("route_id"));
            if (rt == route_index_.end()) r->fail("route_id", fmt::format("unknown route_id '{}'", r->get("route_id")));
            t.route = rt->second;
            t.service = r->get("service_id");
            if (!services_.count(t.service))
                r->fail("service_id", fmt::format("unknown service_id '{}' (not in calendar.txt or calendar_dates.txt)", t.service));
            t.direction = r->get_opt("direction_id").value_or("");
            if (!t.direction.empty() && t.direction != "0" && t.direction != "1") r->fail("direction_id", "must be 0 or 1");
            t.line = r->line();
            if (!trip_index_.emplace(t.id, trips_.size()).second) r->fail("trip_id", fmt::format("duplicate trip_id '{}'", t.id));
            trips_.push_back(std::move(t));
            ++rep_.trips;
        }
        times_.resize(trips_.size());
    }

    void read_stop_times() {
        auto r = open("stop_times.txt", true, {"trip_id", "stop_id", "stop_sequence"});
        file_stop_times_ = r->file();
        while (r->next()) {
            auto tr = trip_index_.find(r->get("trip_id"));
            if (tr == trip_index_.end()) r->fail("trip_id", fmt::format("unknown trip_id '{}'", r->get("trip_id")));
            auto st = stop_index_.find(r->get("stop_id"));
            if (st == stop_index_.end()) r->fail("stop_id", fmt::format("unknown stop_id '{}'", r->get("stop_id")));
            if (stops_[st->second].location_type != 0 && stops_[st->second].location_type != 4)
                r->fail("stop_id", fmt::format("'{}' is a station or entrance, not a stop", r->get("stop_id")));
            GStopTime t;
            t.seq = r->get_int("stop_sequence");
            if (t.seq < 0) r->fail("stop_sequence", "must be >= 0");
            t.stop = st->second;
            // A boarding area (type 4) is served at its platform (parent_station, a stop); without
            // one there is no place to serve it (published feeds carry unused ones: read, not used).
            if (stops_[t.stop].location_type == 4) {
                if (stops_[t.stop].parent.empty())
                    r->fail("stop_id", fmt::format("'{}' is a boarding area without its platform (parent_station)",
                                                   r->get("stop_id")));
                t.stop = stop_index_.at(stops_[t.stop].parent);
            }
            t.line = r->line();
            for (const char* f : {"arrival_time", "departure_time"}) {
                const auto v = r->get_opt(f);
                if (!v) continue;
                const auto s = parse_gtfs_time(*v);
                if (!s) r->fail(f, fmt::format("'{}' is not a time HH:MM:SS", *v));
                (f[0] == 'a' ? t.arr : t.dep) = *s;
            }
            if (t.arr && !t.dep) t.dep = t.arr;
            if (t.dep && !t.arr) t.arr = t.dep;
            times_[tr->second].push_back(t);
            ++rep_.stop_times;
        }
        for (std::size_t i = 0; i < trips_.size(); ++i) prepare_trip(i);
    }

    /// Sorts a trip's stop times, rejects duplicates and interpolates missing times by distance.
    void prepare_trip(std::size_t i) {
        auto& v = times_[i];
        std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        for (std::size_t k = 1; k < v.size(); ++k)
            if (v[k].seq == v[k - 1].seq)
                throw InputError(file_stop_times_, std::max(v[k].line, v[k - 1].line), "stop_sequence",
                                 fmt::format("trip '{}' has stop_sequence {} twice", trips_[i].id, v[k].seq));
        if (v.empty()) {
            ++rep_.warnings["trip without stop_times skipped"];
            return;
        }
        if (v.size() < 2) {
            ++rep_.warnings["trip with a single stop skipped"];
            v.clear();
            return;
        }
        if (!v.front().dep || !v.back().arr)
            throw InputError(file_stop_times_, !v.front().dep ? v.front().line : v.back().line, "arrival_time",
                             fmt::format("trip '{}': the first and last stop need times", trips_[i].id));
        std::size_t last = 0;
        for (std::size_t k = 1; k < v.size(); ++k) {
            if (!v[k].arr) continue;
            if (k > last + 1) interpolate(v, last, k);
            last = k;
        }
        for (std::size_t k = 1; k < v.size(); ++k)
            if (*v[k].arr < *v[k - 1].dep)
                throw InputError(file_stop_times_, v[k].line, "arrival_time",
                                 fmt::format("trip '{}' goes back in time", trips_[i].id));
    }

    void interpolate(std::vector<GStopTime>& v, std::size_t a, std::size_t b) {
        std::vector<double> cum{0};
        for (std::size_t k = a + 1; k <= b; ++k)
            cum.push_back(cum.back() + haversine_m({stops_[v[k - 1].stop].lat, stops_[v[k - 1].stop].lon},
                                                   {stops_[v[k].stop].lat, stops_[v[k].stop].lon}));
        const double t0 = static_cast<double>(*v[a].dep), t1 = static_cast<double>(*v[b].arr);
        for (std::size_t k = a + 1; k < b; ++k) {
            const double f = cum.back() > 0 ? cum[k - a] / cum.back() : double(k - a) / double(b - a);
            v[k].arr = v[k].dep = static_cast<std::int64_t>(std::llround(t0 + f * (t1 - t0)));
        }
        rep_.warnings["stop time without times interpolated by distance (GTFS timepoint rule)"] += b - a - 1;
    }

    void read_frequencies() {
        auto r = open("frequencies.txt", false, {"trip_id", "start_time", "end_time", "headway_secs"});
        if (!r) return;
        std::unordered_map<std::size_t, std::int64_t> departures;  // per trip; lookups only
        while (r->next()) {
            auto tr = trip_index_.find(r->get("trip_id"));
            if (tr == trip_index_.end()) r->fail("trip_id", fmt::format("unknown trip_id '{}'", r->get("trip_id")));
            const auto a = parse_gtfs_time(r->get("start_time"));
            const auto b = parse_gtfs_time(r->get("end_time"));
            if (!a) r->fail("start_time", "not a time HH:MM:SS");
            if (!b) r->fail("end_time", "not a time HH:MM:SS");
            if (*b <= *a) r->fail("end_time", "must be after start_time");
            const auto h = r->get_int("headway_secs");
            if (h <= 0 || h > 86400) r->fail("headway_secs", "must be 1..86400 seconds");
            // A day of one trip every second is 86,400 departures: more is not a timetable.
            if ((departures[tr->second] += (*b - *a + h - 1) / h) > 100'000)
                r->fail("headway_secs", fmt::format("trip '{}' would depart more than 100,000 times", r->get("trip_id")));
            freq_[tr->second].push_back({*a, *b, h});
            ++rep_.frequencies;
        }
    }

    void read_transfers() {
        auto r = open("transfers.txt", false, {"from_stop_id", "to_stop_id", "transfer_type"});
        if (!r) return;
        while (r->next()) {
            for (const char* f : {"from_stop_id", "to_stop_id"}) {
                const auto v = r->get_opt(f).value_or("");
                if (!v.empty() && !stop_index_.count(v)) r->fail(f, fmt::format("unknown stop_id '{}'", v));
            }
            for (const char* f : {"from_route_id", "to_route_id"}) {
                const auto v = r->get_opt(f).value_or("");
                if (!v.empty() && !route_index_.count(v)) r->fail(f, fmt::format("unknown route_id '{}'", v));
            }
            const auto type = r->get_int("transfer_type");
            if (type < 0 || type > 5) r->fail("transfer_type", "must be 0..5");
            const auto min_t = r->get_double_opt("min_transfer_time");
            // NetworkData has no transfer table: keep each transfer as a note for the engine and for users.
            builder_.data().notes.push_back(fmt::format(
                "gtfs transfer: from={} to={} type={} min_transfer_time_s={}", r->get_opt("from_stop_id").value_or(""),
                r->get_opt("to_stop_id").value_or(""), type, min_t ? fmt::format("{}", *min_t) : "-"));
            ++rep_.transfers;
        }
    }

    // ---------------- service day ----------------

    bool active(const std::string& service, Days day) const {
        if (auto e = exceptions_.find({service, day}); e != exceptions_.end()) return e->second;
        auto c = calendar_.find(service);
        if (c == calendar_.end()) return false;
        const int ymd = std::stoi(format_date(day));
        if (ymd < c->second.start || ymd > c->second.end) return false;
        const unsigned wd = std::chrono::weekday(day).iso_encoding();  // 1 = Monday
        return c->second.days[wd - 1] != 0;
    }

    void choose_day() {
        std::map<std::string, std::size_t> trips_per_service;
        for (std::size_t i = 0; i < trips_.size(); ++i)
            if (!times_[i].empty() && routes_[trips_[i].route].simulated) ++trips_per_service[trips_[i].service];
        auto count = [&](Days d) {
            std::size_t n = 0;
            for (const auto& [s, k] : trips_per_service) n += active(s, d) ? k : 0;
            return n;
        };
        if (!opt_.date.empty()) {
            const auto d = parse_date(opt_.date);
            if (!d) throw InputError("--date", 0, "date", fmt::format("'{}' is not a date YYYYMMDD", opt_.date));
            day_ = *d;
        } else {
            std::vector<Days> candidates;
            for (const auto& [id, c] : calendar_) {
                const auto a = *parse_date(std::to_string(c.start));
                const auto b = *parse_date(std::to_string(c.end));
                // Weekly calendars repeat: the first 7 days (plus exception dates) cover every case.
                for (auto d = a; d <= b && d < a + std::chrono::days(7); d += std::chrono::days(1)) candidates.push_back(d);
            }
            for (const auto& [key, added] : exceptions_) candidates.push_back(key.second);
            std::sort(candidates.begin(), candidates.end());
            std::size_t best = 0;
            bool found = false;
            for (auto d : candidates) {
                const auto n = count(d);
                if (!found || n > best) {  // ties keep the earliest date
                    best = n;
                    day_ = d;
                    found = true;
                }
            }
            if (!found) throw InputError(src_.display_name("calendar.txt"), 0, "service_id", "the feed has no service day");
        }
        rep_.service_date = format_date(day_);
        if (count(day_) == 0)
            throw InputError(src_.display_name("calendar.txt"), 0, "date",
                             fmt::format("no trip runs on {}", rep_.service_date));
    }

    // ---------------- patterns ----------------

    struct Pattern {
        std::size_t route;
        std::string direction;
        std::vector<std::size_t> stops;
        std::vector<double> departures_s;
        std::vector<std::vector<double>> hop_times_s;  // per hop, one sample per trip
        std::size_t first_trip;
    };

    void build_patterns() {
        std::map<std::tuple<std::size_t, std::string, std::vector<std::size_t>>, std::size_t> index;
        for (std::size_t i = 0; i < trips_.size(); ++i) {
            const auto& t = trips_[i];
            const auto& v = times_[i];
            if (v.empty() || !routes_[t.route].simulated || !active(t.service, day_)) continue;
            ++rep_.trips_on_day;
            std::vector<std::size_t> seq;
            for (const auto& st : v) seq.push_back(st.stop);
            auto key = std::tuple{t.route, t.direction, seq};
            auto [it, inserted] = index.try_emplace(key, patterns_.size());
            if (inserted) patterns_.push_back({t.route, t.direction, seq, {}, std::vector<std::vector<double>>(seq.size() - 1), i});
            auto& p = patterns_[it->second];
            for (std::size_t k = 1; k < v.size(); ++k)
                p.hop_times_s[k - 1].push_back(static_cast<double>(*v[k].arr - *v[k - 1].dep));
            const auto t0 = *v.front().dep;
            if (auto f = freq_.find(i); f != freq_.end()) {
                // frequencies.txt: the trip's times are a template; departures start..end by headway.
                for (const auto& [a, b, h] : f->second)
                    for (auto d = a; d < b; d += h) p.departures_s.push_back(static_cast<double>(d));
            } else {
                p.departures_s.push_back(static_cast<double>(t0));
            }
        }
        // Deterministic line order: route file order, direction, then first trip.
        std::sort(patterns_.begin(), patterns_.end(), [](const Pattern& a, const Pattern& b) {
            return std::tie(a.route, a.direction, a.first_trip) < std::tie(b.route, b.direction, b.first_trip);
        });
        for (auto& p : patterns_) {
            std::sort(p.departures_s.begin(), p.departures_s.end());
            rep_.departures += p.departures_s.size();
        }
    }

    // ---------------- attaching to a network ----------------

    static double median(std::vector<double> v) {
        std::sort(v.begin(), v.end());
        const auto n = v.size();
        return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    void attach() {
        auto& d = builder_.data();
        std::optional<Network> net;
        if (opt_.network) {
            // Start from the given network: its nodes and links keep their ids, new ones append.
            const auto name = d.name;
            const auto source = d.source;
            auto notes = d.notes;
            d = *opt_.network;
            d.name = name;
            d.source = opt_.network->source + "; transit: " + source;
            d.notes.insert(d.notes.end(), notes.begin(), notes.end());
            net.emplace(*opt_.network, opt_.network_origin);
            spw_.emplace(*net);
            free_time_ = opt_.network->links.freeflow_time_s;
        }
        // Modes serving each stop on the chosen day.
        std::vector<ModeMask> served(stops_.size(), 0);
        for (const auto& p : patterns_)
            for (auto s : p.stops) served[s] |= mode_bit(routes_[p.route].mode);
        std::vector<NodeId> node_of(stops_.size());
        std::vector<std::uint8_t> on_network(stops_.size(), 0);
        for (std::size_t i = 0; i < stops_.size(); ++i) {
            auto& s = stops_[i];
            if (s.location_type != 0) continue;
            const LatLon p{s.lat, s.lon};
            if (net && (served[i] & mode_bit(Mode::Bus))) {
                const auto n = net->nearest_node(p, Mode::Bus);
                if (n.valid() && haversine_m(p, net->node_latlon(n)) <= opt_.max_snap_m) {
                    node_of[i] = n;
                    on_network[i] = 1;
                    ++rep_.stops_snapped;
                }
            }
            if (!node_of[i].valid()) {
                node_of[i] = builder_.add_node(p, "gtfs:" + s.id);
                if (net && served[i]) ++rep_.stops_own_node;
            }
            s.out = StopId::from_index(d.stops.size());
            d.stops.push_back(Stop{s.id, s.name, s.lat, s.lon, node_of[i], served[i]});
        }
        if (net && rep_.stops_own_node)
            rep_.warnings[fmt::format("served stop farther than {} m from a bus node (or rail/tram): own node", opt_.max_snap_m)] +=
                rep_.stops_own_node;
        for (const auto& p : patterns_) make_line(p, node_of, on_network);
    }

    void make_line(const Pattern& p, const std::vector<NodeId>& node_of, const std::vector<std::uint8_t>& on_network) {
        auto& d = builder_.data();
        const auto& route = routes_[p.route];
        const auto& def = defaults_.at(route.mode);
        TransitLine ln;
        ln.code = fmt::format("{}:{}:{}", route.id, p.direction.empty() ? "-" : p.direction, trips_[p.first_trip].id);
        ln.name = !route.short_name.empty() ? route.short_name : route.long_name;
        ln.mode = route.mode;
        for (std::size_t k = 0; k < p.stops.size(); ++k) {
            ln.stops.push_back(stops_[p.stops[k]].out);
            ln.stop_link_pos.push_back(static_cast<std::uint32_t>(ln.links.size()));
            if (k + 1 == p.stops.size()) break;
            const auto a = node_of[p.stops[k]], b = node_of[p.stops[k + 1]];
            if (a == b) continue;
            const double hop_s = median(p.hop_times_s[k]);
            if (route.mode == Mode::Bus && spw_ && on_network[p.stops[k]] && on_network[p.stops[k + 1]]) {
                if (spw_->source() != a || !spw_ran_) {
                    spw_->run(a, free_time_, Mode::Bus);
                    spw_ran_ = true;
                }
                auto path = spw_->path_to(b);
                if (!path.empty()) {
                    ln.links.insert(ln.links.end(), path.begin(), path.end());
                    ++rep_.hops_routed;
                    continue;
                }
                ++rep_.warnings["bus hop with no road path between its stops: direct bus-only link added"];
            }
            ln.links.push_back(direct_link(a, b, route.mode, hop_s, def));
            ++rep_.hops_direct;
        }
        if (ln.links.empty()) {
            ++rep_.warnings["pattern whose stops all share one node skipped"];
            return;
        }
        ln.departures_s = p.departures_s;
        ln.service_start_s = p.departures_s.front();
        ln.service_end_s = p.departures_s.back();
        const auto [peak, offpeak] = headways(p.departures_s);
        ln.headway_peak_s = peak;
        ln.headway_offpeak_s = offpeak;
        ln.vehicle_capacity = def.vehicle_capacity;
        ln.vehicle_pce = route.mode == Mode::Bus ? def.vehicle_pce : 0;
        ln.source = fmt::format("{} route {} on {}; departures from the feed; vehicles: {}", d.source, route.id,
                                rep_.service_date, def.source);
        d.lines.push_back(std::move(ln));
        ++rep_.lines;
    }

    /// Mean gap between departures in 7-9 h (peak) and outside it; a day's span if too few.
    static std::pair<double, double> headways(const std::vector<double>& deps) {
        double peak_sum = 0, off_sum = 0, all_sum = 0;
        int peak_n = 0, off_n = 0, all_n = 0;
        for (std::size_t k = 1; k < deps.size(); ++k) {
            const double gap = deps[k] - deps[k - 1];
            if (gap <= 0) continue;
            all_sum += gap;
            ++all_n;
            const double h = std::fmod(deps[k - 1], 86400.0);
            if (h >= 7 * 3600 && h < 9 * 3600) { peak_sum += gap; ++peak_n; }
            else { off_sum += gap; ++off_n; }
        }
        const double all = all_n ? all_sum / all_n : 86400.0;
        return {peak_n ? peak_sum / peak_n : all, off_n ? off_sum / off_n : all};
    }

    LinkId direct_link(NodeId a, NodeId b, Mode mode, double hop_s, const GtfsModeDefaults& def) {
        const auto key = std::tuple{a.value(), b.value(), static_cast<int>(mode)};
        if (auto it = direct_.find(key); it != direct_.end()) return it->second;
        auto& d = builder_.data();
        LinkSpec s;
        s.from = a;
        s.to = b;
        const LatLon pa{d.nodes.lat[a.index()], d.nodes.lon[a.index()]}, pb{d.nodes.lat[b.index()], d.nodes.lon[b.index()]};
        s.length_m = haversine_m(pa, pb);
        // Scheduled time between the stops (dwell included); a zero-minute hop (times rounded
        // to the minute) gets 30 s so that vehicles still take time to move.
        const double t = hop_s > 0 ? hop_s : 30.0;
        s.freeflow_time_s = t;
        s.speed_mps = s.length_m / t;
        s.lanes = 1;
        s.capacity_vph = def.link_capacity_vph;
        s.modes = mode_bit(mode);
        s.road_class = mode == Mode::Metro ? RoadClass::Rail : mode == Mode::Tram ? RoadClass::Tram : RoadClass::Other;
        s.external_id = fmt::format("gtfs:{}>{}", d.nodes.external_id[a.index()], d.nodes.external_id[b.index()]);
        s.bus_lane = mode == Mode::Bus;
        const auto id = builder_.add_link(s);
        direct_.emplace(key, id);
        ++rep_.links_added;
        return id;
    }

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

}  // namespace

std::vector<std::string> GtfsImportReport::summary() const {
    std::vector<std::string> s;
    s.push_back(fmt::format("read {} agencies, {} stops (+{} stations, {} other locations), {} routes, {} trips, "
                            "{} stop_times, {} services, {} frequencies, {} transfers",
                            agencies, stops, stations, other_locations, routes, trips, stop_times, services,
                            frequencies, transfers));
    s.push_back(fmt::format("service day {}: {} trips, {} departures -> {} lines", service_date, trips_on_day,
                            departures, lines));
    s.push_back(fmt::format("stops snapped to the network {}, own nodes {}; hops routed {}, direct {}; links added {}",
                            stops_snapped, stops_own_node, hops_routed, hops_direct, links_added));
    for (const auto& [k, v] : warnings) s.push_back(fmt::format("warning x{}: {}", v, k));
    return s;
}

NetworkData import_gtfs(const std::filesystem::path& feed, const std::map<Mode, GtfsModeDefaults>& defaults,
                        const GtfsImportOptions& options, GtfsImportReport& report) {
    GtfsImporter imp(feed, defaults, options, report);
    return imp.run();
}

}  // namespace modeshift
