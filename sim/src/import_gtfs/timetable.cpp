// Stop times and frequencies -> stop patterns: each trip's times sorted and completed, then the
// trips of the service day grouped by route, direction and stop sequence, with their departures.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "internal.hpp"
#include "modeshift/core/error.hpp"

namespace modeshift::gtfs {

void GtfsImporter::read_stop_times() {
    auto r = open("stop_times.txt", true, {"trip_id", "stop_id", "stop_sequence"});
    file_stop_times_ = r->file();
    while (r->next()) {
        auto tr = trip_index_.find(r->get("trip_id"));
        if (tr == trip_index_.end())
            r->fail("trip_id", fmt::format("unknown trip_id '{}'", r->get("trip_id")));
        auto st = stop_index_.find(r->get("stop_id"));
        if (st == stop_index_.end())
            r->fail("stop_id", fmt::format("unknown stop_id '{}'", r->get("stop_id")));
        if (stops_[st->second].location_type != 0 && stops_[st->second].location_type != 4)
            r->fail("stop_id",
                    fmt::format("'{}' is a station or entrance, not a stop", r->get("stop_id")));
        GStopTime t;
        t.seq = r->get_int("stop_sequence");
        if (t.seq < 0) r->fail("stop_sequence", "must be >= 0");
        t.stop = st->second;
        // A boarding area (type 4) is served at its platform (parent_station, a stop); without
        // one there is no place to serve it (published feeds carry unused ones: read, not used).
        if (stops_[t.stop].location_type == 4) {
            if (stops_[t.stop].parent.empty())
                r->fail("stop_id",
                        fmt::format("'{}' is a boarding area without its platform (parent_station)",
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
void GtfsImporter::prepare_trip(std::size_t i) {
    auto& v = times_[i];
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    for (std::size_t k = 1; k < v.size(); ++k)
        if (v[k].seq == v[k - 1].seq)
            throw InputError(
                file_stop_times_, std::max(v[k].line, v[k - 1].line), "stop_sequence",
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
        throw InputError(
            file_stop_times_, !v.front().dep ? v.front().line : v.back().line, "arrival_time",
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

void GtfsImporter::interpolate(std::vector<GStopTime>& v, std::size_t a, std::size_t b) {
    std::vector<double> cum{0};
    for (std::size_t k = a + 1; k <= b; ++k)
        cum.push_back(cum.back() +
                      haversine_m({stops_[v[k - 1].stop].lat, stops_[v[k - 1].stop].lon},
                                  {stops_[v[k].stop].lat, stops_[v[k].stop].lon}));
    const double t0 = static_cast<double>(*v[a].dep), t1 = static_cast<double>(*v[b].arr);
    for (std::size_t k = a + 1; k < b; ++k) {
        const double f = cum.back() > 0 ? cum[k - a] / cum.back() : double(k - a) / double(b - a);
        v[k].arr = v[k].dep = static_cast<std::int64_t>(std::llround(t0 + f * (t1 - t0)));
    }
    rep_.warnings["stop time without times interpolated by distance (GTFS timepoint rule)"] +=
        b - a - 1;
}

void GtfsImporter::read_frequencies() {
    auto r = open("frequencies.txt", false, {"trip_id", "start_time", "end_time", "headway_secs"});
    if (!r) return;
    std::unordered_map<std::size_t, std::int64_t> departures;  // per trip; lookups only
    while (r->next()) {
        auto tr = trip_index_.find(r->get("trip_id"));
        if (tr == trip_index_.end())
            r->fail("trip_id", fmt::format("unknown trip_id '{}'", r->get("trip_id")));
        const auto a = parse_gtfs_time(r->get("start_time"));
        const auto b = parse_gtfs_time(r->get("end_time"));
        if (!a) r->fail("start_time", "not a time HH:MM:SS");
        if (!b) r->fail("end_time", "not a time HH:MM:SS");
        if (*b <= *a) r->fail("end_time", "must be after start_time");
        const auto h = r->get_int("headway_secs");
        if (h <= 0 || h > 86400) r->fail("headway_secs", "must be 1..86400 seconds");
        // A day of one trip every second is 86,400 departures: more is not a timetable.
        if ((departures[tr->second] += (*b - *a + h - 1) / h) > 100'000)
            r->fail("headway_secs", fmt::format("trip '{}' would depart more than 100,000 times",
                                                r->get("trip_id")));
        freq_[tr->second].push_back({*a, *b, h});
        ++rep_.frequencies;
    }
}

void GtfsImporter::build_patterns() {
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
        if (inserted)
            patterns_.push_back({t.route,
                                 t.direction,
                                 seq,
                                 {},
                                 std::vector<std::vector<double>>(seq.size() - 1),
                                 i});
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
        return std::tie(a.route, a.direction, a.first_trip) <
               std::tie(b.route, b.direction, b.first_trip);
    });
    for (auto& p : patterns_) {
        std::sort(p.departures_s.begin(), p.departures_s.end());
        rep_.departures += p.departures_s.size();
    }
}

}  // namespace modeshift::gtfs
