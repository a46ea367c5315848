// Services (calendar.txt, calendar_dates.txt) and the service day: the one asked for, or the day
// on which the most trips run.
#include <fmt/format.h>

#include <algorithm>

#include "internal.hpp"
#include "modeshift/core/error.hpp"

namespace modeshift::gtfs {
namespace {

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
    return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

void GtfsImporter::read_calendar() {
    auto cal = open("calendar.txt", false,
                    {"service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                     "saturday", "sunday", "start_date", "end_date"});
    auto dates = open("calendar_dates.txt", false, {"service_id", "date", "exception_type"});
    if (!cal && !dates)
        throw InputError(src_.display_name("calendar.txt"), 0, "calendar.txt",
                         "a feed needs calendar.txt or calendar_dates.txt");
    static constexpr const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};
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
                if (!parse_date(cal->get(f)))
                    cal->fail(f, fmt::format("'{}' is not a date YYYYMMDD", cal->get(f)));
            c.start = static_cast<int>(cal->get_int("start_date"));
            c.end = static_cast<int>(cal->get_int("end_date"));
            if (c.end < c.start) cal->fail("end_date", "before start_date");
            if (!calendar_.emplace(id, c).second)
                cal->fail("service_id", fmt::format("duplicate service_id '{}'", id));
            services_.insert(id);
        }
    }
    if (dates) {
        while (dates->next()) {
            const auto id = dates->get("service_id");
            const auto d = parse_date(dates->get("date"));
            if (!d)
                dates->fail("date", fmt::format("'{}' is not a date YYYYMMDD", dates->get("date")));
            const auto e = dates->get_int("exception_type");
            if (e != 1 && e != 2) dates->fail("exception_type", "must be 1 (added) or 2 (removed)");
            if (!exceptions_.emplace(std::pair{id, *d}, e == 1).second)
                dates->fail("date", fmt::format("service '{}' has this date twice", id));
            services_.insert(id);
        }
    }
    rep_.services = services_.size();
}

bool GtfsImporter::active(const std::string& service, Days day) const {
    if (auto e = exceptions_.find({service, day}); e != exceptions_.end()) return e->second;
    auto c = calendar_.find(service);
    if (c == calendar_.end()) return false;
    const int ymd = std::stoi(format_date(day));
    if (ymd < c->second.start || ymd > c->second.end) return false;
    const unsigned wd = std::chrono::weekday(day).iso_encoding();  // 1 = Monday
    return c->second.days[wd - 1] != 0;
}

void GtfsImporter::choose_day() {
    std::map<std::string, std::size_t> trips_per_service;
    for (std::size_t i = 0; i < trips_.size(); ++i)
        if (!times_[i].empty() && routes_[trips_[i].route].simulated)
            ++trips_per_service[trips_[i].service];
    auto count = [&](Days d) {
        std::size_t n = 0;
        for (const auto& [s, k] : trips_per_service) n += active(s, d) ? k : 0;
        return n;
    };
    if (!opt_.date.empty()) {
        const auto d = parse_date(opt_.date);
        if (!d)
            throw InputError("--date", 0, "date",
                             fmt::format("'{}' is not a date YYYYMMDD", opt_.date));
        day_ = *d;
    } else {
        std::vector<Days> candidates;
        for (const auto& [id, c] : calendar_) {
            const auto a = *parse_date(std::to_string(c.start));
            const auto b = *parse_date(std::to_string(c.end));
            // Weekly calendars repeat: the first 7 days (plus exception dates) cover every case.
            for (auto d = a; d <= b && d < a + std::chrono::days(7); d += std::chrono::days(1))
                candidates.push_back(d);
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
        if (!found)
            throw InputError(src_.display_name("calendar.txt"), 0, "service_id",
                             "the feed has no service day");
    }
    rep_.service_date = format_date(day_);
    if (count(day_) == 0)
        throw InputError(src_.display_name("calendar.txt"), 0, "date",
                         fmt::format("no trip runs on {}", rep_.service_date));
}

}  // namespace modeshift::gtfs
