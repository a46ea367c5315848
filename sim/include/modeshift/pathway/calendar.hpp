#pragma once
/// Annualisation: a simulated day is a weekday; a year has weekdays, Saturdays and Sundays plus
/// public holidays, each with its own traffic. The public holidays (substitute holidays
/// included) come from a CSV file (scenarios/data/korea_public_holidays.csv: date, name_ko,
/// name_en, source), so a year's count follows the published calendar rather than a rule.
///
///   annual_factor(year) = weekdays + saturdays x f_sat + sundays_holidays x f_sun
///
/// is the number of weekday-equivalent days in the year: annual tonnes = weekday tonnes x it.
#include <filesystem>
#include <set>
#include <string>

namespace modeshift::pathway {

struct Date {
    int year = 0, month = 0, day = 0;
    auto operator<=>(const Date&) const = default;
};

/// 0 = Monday ... 6 = Sunday (proleptic Gregorian calendar).
int day_of_week(const Date& d);
bool is_leap_year(int year);
int days_in_month(int year, int month);

/// Public holidays of the years a holiday file covers.
struct HolidayCalendar {
    std::set<Date> days;
    int first_year = 0, last_year = 0;  ///< the years the file covers (every year has rows)
    std::filesystem::path file;

    bool is_holiday(const Date& d) const { return days.count(d) > 0; }
    bool covers(int year) const { return year >= first_year && year <= last_year; }
};

/// Reads the holiday CSV: date (YYYY-MM-DD), name_ko, name_en, source (non-empty). A date may
/// appear once; the years must run without a gap. InputError names the file, line and column.
HolidayCalendar load_holidays(const std::filesystem::path& csv);

/// Days of a calendar year by type. A public holiday on a Saturday counts as a holiday, not as
/// a Saturday (traffic on it is that of a holiday).
struct DayCounts {
    int weekdays = 0, saturdays = 0, sundays_holidays = 0;
    int total() const { return weekdays + saturdays + sundays_holidays; }
};

/// InputError naming the holiday file when it does not cover `year`.
DayCounts count_days(const HolidayCalendar& cal, int year);

/// Traffic of a Saturday and of a Sunday or holiday relative to a simulated weekday.
struct DayTypeFactors {
    double saturday = 1, sunday_holiday = 1;
};

/// Weekday-equivalent days: weekdays + saturdays x f.saturday + sundays_holidays x
/// f.sunday_holiday.
double annual_factor(const DayCounts& days, const DayTypeFactors& f);
double annual_factor(const HolidayCalendar& cal, int year, const DayTypeFactors& f);

}  // namespace modeshift::pathway
