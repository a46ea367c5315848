#include "modeshift/pathway/calendar.hpp"

#include <fmt/format.h>

#include <optional>

#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift::pathway {

namespace {

/// Days since 1970-01-01 (H. Hinnant's days_from_civil), exact for any Gregorian date.
long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::optional<Date> parse_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    const auto y = parse_int(s.substr(0, 4)), m = parse_int(s.substr(5, 2)),
               d = parse_int(s.substr(8, 2));
    if (!y || !m || !d || *m < 1 || *m > 12) return std::nullopt;
    const Date date{int(*y), int(*m), int(*d)};
    if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
    return date;
}

}  // namespace

bool is_leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    MS_ASSERT(month >= 1 && month <= 12, "a month is 1..12");
    return kDays[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
}

int day_of_week(const Date& d) {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    const long long n = days_from_civil(d.year, d.month, d.day);
    return int(((n + 3) % 7 + 7) % 7);
}

HolidayCalendar load_holidays(const std::filesystem::path& csv) {
    CsvReader r(csv);
    HolidayCalendar cal;
    cal.file = csv;
    std::set<int> years;
    while (r.next()) {
        const auto date = parse_date(r.get("date"));
        if (!date) r.fail("date", fmt::format("'{}' is not a date YYYY-MM-DD", r.get("date")));
        if (r.get("name_ko").empty() && r.get("name_en").empty())
            r.fail("name_en", "a holiday needs a name");
        if (r.get("source").empty()) r.fail("source", "every holiday needs a source");
        if (!cal.days.insert(*date).second) r.fail("date", "this date is listed twice");
        years.insert(date->year);
    }
    if (years.empty()) throw InputError(csv.string(), 0, "date", "no holidays in the file");
    cal.first_year = *years.begin();
    cal.last_year = *years.rbegin();
    if (int(years.size()) != cal.last_year - cal.first_year + 1)
        throw InputError(csv.string(), 0, "date",
                         fmt::format("the years {}..{} have a gap: every year needs its holidays",
                                     cal.first_year, cal.last_year));
    return cal;
}

DayCounts count_days(const HolidayCalendar& cal, int year) {
    if (!cal.covers(year))
        throw InputError(cal.file.string(), 0, "date",
                         fmt::format("the holiday calendar covers {}..{}, not {}", cal.first_year,
                                     cal.last_year, year));
    DayCounts c;
    for (int m = 1; m <= 12; ++m)
        for (int d = 1; d <= days_in_month(year, m); ++d) {
            const Date date{year, m, d};
            const int dow = day_of_week(date);
            if (dow == 6 || cal.is_holiday(date))
                ++c.sundays_holidays;
            else if (dow == 5)
                ++c.saturdays;
            else
                ++c.weekdays;
        }
    return c;
}

double annual_factor(const DayCounts& days, const DayTypeFactors& f) {
    return days.weekdays + days.saturdays * f.saturday + days.sundays_holidays * f.sunday_holiday;
}

double annual_factor(const HolidayCalendar& cal, int year, const DayTypeFactors& f) {
    return annual_factor(count_days(cal, year), f);
}

}  // namespace modeshift::pathway
