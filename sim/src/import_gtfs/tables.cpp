// The feed's CSV files -> the agency, stop, route, trip and transfer tables, each row checked
// against the GTFS reference (ids unique, references resolved, values in range).
#include <fmt/format.h>

#include <cmath>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/utf8.hpp"

namespace modeshift::gtfs {
namespace {

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

}  // namespace

std::optional<CsvReader> GtfsImporter::open(const std::string& file, bool required,
                                            std::initializer_list<const char*> columns) {
    auto content = src_.read(file);
    if (!content) {
        if (required)
            throw InputError(src_.display_name(file), 0, file, "required GTFS file missing");
        return std::nullopt;
    }
    if (const auto n = pad_short_records(*content))
        rep_.warnings
            ["rows with fewer fields than the header: missing trailing fields read as empty"] += n;
    CsvReader r(src_.display_name(file), std::move(*content));
    for (const char* c : columns)
        if (!r.has_column(c)) throw InputError(r.file(), 1, c, "required column missing");
    return r;
}

std::string GtfsImporter::text(const CsvReader& r, const char* col) {
    auto v = r.get_opt(col).value_or("");
    if (!is_valid_utf8(v)) {
        ++rep_.warnings[fmt::format("{} not valid UTF-8: bad bytes replaced by U+FFFD", col)];
        v = repair_utf8(v);
    }
    return v;
}

void GtfsImporter::read_agency() {
    auto r = open("agency.txt", true, {"agency_name"});
    while (r->next()) {
        const auto id = r->get_opt("agency_id").value_or("");
        if (!agencies_.emplace(id, text(*r, "agency_name")).second)
            r->fail("agency_id", fmt::format("duplicate agency_id '{}'", id));
        ++rep_.agencies;
    }
    if (agencies_.empty()) throw InputError(r->file(), 0, "agency_id", "no agency");
    std::string names;
    for (const auto& [id, name] : agencies_) names += (names.empty() ? "" : ", ") + name;
    builder_.data().source =
        fmt::format("GTFS feed {} ({})", src_.path().filename().string(), names);
}

void GtfsImporter::read_stops() {
    auto r = open("stops.txt", true, {"stop_id"});
    while (r->next()) {
        GStop s;
        s.id = r->get_nonempty("stop_id", "empty stop_id");
        s.line = r->line();
        s.name = text(*r, "stop_name");
        const long long location_type =
            r->has_column("location_type") && r->get_opt("location_type")
                ? r->get_int("location_type")
                : 0;
        if (location_type < 0 || location_type > 4) r->fail("location_type", "must be 0..4");
        s.location_type = static_cast<int>(location_type);
        const bool needs_pos = s.location_type <= 2;
        const auto lat = r->get_double_opt("stop_lat");
        const auto lon = r->get_double_opt("stop_lon");
        if (needs_pos && (!lat || !lon))
            r->fail(!lat ? "stop_lat" : "stop_lon", "required for stops and stations");
        if (lat && (std::abs(*lat) > 90))
            r->fail("stop_lat", fmt::format("{} is outside -90..90", *lat));
        if (lon && (std::abs(*lon) > 180))
            r->fail("stop_lon", fmt::format("{} is outside -180..180", *lon));
        if (lat && lon && *lat == 0 && *lon == 0)
            r->fail("stop_lat", "position (0, 0) is a placeholder, not a stop");
        s.lat = lat.value_or(0);
        s.lon = lon.value_or(0);
        s.parent = r->get_opt("parent_station").value_or("");
        if (!stop_index_.emplace(s.id, stops_.size()).second)
            r->fail("stop_id", fmt::format("duplicate stop_id '{}'", s.id));
        stops_.push_back(std::move(s));
    }
    for (const auto& s : stops_) {
        if (s.location_type == 0)
            ++rep_.stops;
        else if (s.location_type == 1)
            ++rep_.stations;
        else
            ++rep_.other_locations;
        if (s.parent.empty()) continue;
        auto it = stop_index_.find(s.parent);
        if (it == stop_index_.end())
            throw InputError(r->file(), s.line, "parent_station",
                             fmt::format("unknown stop_id '{}'", s.parent));
        // GTFS: the parent of a boarding area (4) is a platform (a stop, 0); of any other location
        // a station (1).
        const int parent_type = stops_[it->second].location_type;
        if (s.location_type == 4 ? parent_type != 0 : parent_type != 1)
            throw InputError(
                r->file(), s.line, "parent_station",
                s.location_type == 4
                    ? fmt::format("'{}' is not a stop (location_type 0): a boarding area belongs "
                                  "to a platform",
                                  s.parent)
                    : fmt::format("'{}' is not a station (location_type 1)", s.parent));
    }
}

void GtfsImporter::read_routes() {
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
            if (type < 0 || type > 1702)
                r->fail("route_type", fmt::format("unknown route_type {}", type));
            g.simulated = false;
            ++rep_.warnings[fmt::format(
                "route_type {} (e.g. ferry, aerial lift) not simulated: its trips skipped", type)];
        } else {
            g.mode = *mode;
        }
        if (!route_index_.emplace(g.id, routes_.size()).second)
            r->fail("route_id", fmt::format("duplicate route_id '{}'", g.id));
        routes_.push_back(std::move(g));
        ++rep_.routes;
    }
}

void GtfsImporter::read_trips() {
    auto r = open("trips.txt", true, {"route_id", "service_id", "trip_id"});
    while (r->next()) {
        GTrip t;
        t.id = r->get("trip_id");
        auto rt = route_index_.find(r->get("route_id"));
        if (rt == route_index_.end())
            r->fail("route_id", fmt::format("unknown route_id '{}'", r->get("route_id")));
        t.route = rt->second;
        t.service = r->get("service_id");
        if (!services_.count(t.service))
            r->fail(
                "service_id",
                fmt::format("unknown service_id '{}' (not in calendar.txt or calendar_dates.txt)",
                            t.service));
        t.direction = r->get_opt("direction_id").value_or("");
        if (!t.direction.empty() && t.direction != "0" && t.direction != "1")
            r->fail("direction_id", "must be 0 or 1");
        t.line = r->line();
        if (!trip_index_.emplace(t.id, trips_.size()).second)
            r->fail("trip_id", fmt::format("duplicate trip_id '{}'", t.id));
        trips_.push_back(std::move(t));
        ++rep_.trips;
    }
    times_.resize(trips_.size());
}

void GtfsImporter::read_transfers() {
    auto r = open("transfers.txt", false, {"from_stop_id", "to_stop_id", "transfer_type"});
    if (!r) return;
    while (r->next()) {
        for (const char* f : {"from_stop_id", "to_stop_id"}) {
            const auto v = r->get_opt(f).value_or("");
            if (!v.empty() && !stop_index_.count(v))
                r->fail(f, fmt::format("unknown stop_id '{}'", v));
        }
        for (const char* f : {"from_route_id", "to_route_id"}) {
            const auto v = r->get_opt(f).value_or("");
            if (!v.empty() && !route_index_.count(v))
                r->fail(f, fmt::format("unknown route_id '{}'", v));
        }
        const auto type = r->get_int("transfer_type");
        if (type < 0 || type > 5) r->fail("transfer_type", "must be 0..5");
        const auto min_t = r->get_double_opt("min_transfer_time");
        // NetworkData has no transfer table: keep each transfer as a note for the engine and for
        // users.
        builder_.data().notes.push_back(fmt::format(
            "gtfs transfer: from={} to={} type={} min_transfer_time_s={}",
            r->get_opt("from_stop_id").value_or(""), r->get_opt("to_stop_id").value_or(""), type,
            min_t ? fmt::format("{}", *min_t) : "-"));
        ++rep_.transfers;
    }
}

}  // namespace modeshift::gtfs
