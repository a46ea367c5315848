#include <gtest/gtest.h>

#include <fstream>

#include "input_error.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/pathway/calendar.hpp"

using namespace modeshift;
using namespace modeshift::pathway;
namespace fs = std::filesystem;

namespace {
const fs::path kHolidays =
    fs::path(MODESHIFT_SOURCE_DIR) / "scenarios/data/korea_public_holidays.csv";

fs::path write_csv(const std::string& name, const std::string& text) {
    // One file per test: ctest runs the cases as parallel processes.
    const fs::path p = fs::temp_directory_path() /
                       ("modeshift_pathway_" + name + "_" +
                        ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".csv");
    std::ofstream(p) << text;
    return p;
}

std::string load_error_field(const std::string& text) {
    const auto e = test_support::input_error_of([&] { load_holidays(write_csv("bad", text)); });
    return e ? e->field() + " @" + std::to_string(e->line()) : "<no error>";
}
}  // namespace

TEST(Calendar, DayOfWeekAndLeapYears) {
    EXPECT_EQ(day_of_week({1970, 1, 1}), 3);  // Thursday
    EXPECT_EQ(day_of_week({2024, 1, 1}), 0);  // Monday
    EXPECT_EQ(day_of_week({2030, 1, 1}), 1);  // Tuesday
    EXPECT_EQ(day_of_week({2028, 10, 3}),
              1);  // Chuseok 2028 falls on National Foundation Day, a Tuesday
    EXPECT_EQ(day_of_week({2000, 2, 29}), 1);  // Tuesday
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_FALSE(is_leap_year(2100));
    EXPECT_EQ(days_in_month(2024, 2), 29);
    EXPECT_EQ(days_in_month(2030, 2), 28);
}

TEST(Calendar, TheBundledHolidaysCover2018To2034) {
    const HolidayCalendar cal = load_holidays(kHolidays);
    EXPECT_EQ(cal.first_year, 2018);
    EXPECT_EQ(cal.last_year, 2034);
    // Lunar holidays (KASI): Seollal 2027 is 7 Feb in Korea (6 Feb in China), Chuseok 2033 is 8
    // Sep.
    EXPECT_TRUE(cal.is_holiday({2027, 2, 7}));
    EXPECT_TRUE(cal.is_holiday({2027, 2, 9}));  // substitute: Seollal on a Sunday
    EXPECT_TRUE(cal.is_holiday({2033, 9, 8}));
    EXPECT_TRUE(cal.is_holiday({2025, 5, 6}));   // substitute: Children's Day = Buddha's Birthday
    EXPECT_TRUE(cal.is_holiday({2028, 10, 5}));  // substitute: Chuseok on National Foundation Day
    EXPECT_TRUE(cal.is_holiday({2026, 7, 17}));  // Constitution Day again from 2026
    EXPECT_FALSE(cal.is_holiday({2025, 7, 17}));
    EXPECT_FALSE(cal.is_holiday({2024, 5, 1}));  // Workers' Day is not a public holiday
}

// By hand, with f_sat = 1.0 and f_sun = 0.85:
// 2024 is a leap year starting on a Monday: 52 Saturdays, 52 Sundays, 262 weekdays. Its 19
// holidays: 16 on weekdays, Seollal on Saturday 10 Feb, Seollal's second day and Children's
// Day on Sundays. Weekdays 262 - 16 = 246, Saturdays 52 - 1 = 51, Sundays and holidays
// 52 + 16 + 1 = 69: 246 + 51 + 69 x 0.85 = 355.65.
// 2030 starts on a Tuesday (365 days): 52 Saturdays, 52 Sundays, 261 weekdays. Its 20
// holidays: Seollal's eve on Saturday 2 Feb, Seollal and Children's Day on Sundays, 17 on
// weekdays (with the presidential and the local election days). Weekdays 261 - 17 = 244,
// Saturdays 51, Sundays and holidays 52 + 17 + 1 = 70: 244 + 51 + 70 x 0.85 = 354.5.
TEST(Calendar, DayCountsOf2024And2030ByHand) {
    const HolidayCalendar cal = load_holidays(kHolidays);
    struct Case {
        int year, weekdays, saturdays, sundays_holidays, days;
        double factor;
    };
    for (const Case& c :
         {Case{2024, 246, 51, 69, 366, 355.65}, Case{2030, 244, 51, 70, 365, 354.5}}) {
        const DayCounts d = count_days(cal, c.year);
        EXPECT_EQ(d.weekdays, c.weekdays) << c.year;
        EXPECT_EQ(d.saturdays, c.saturdays) << c.year;
        EXPECT_EQ(d.sundays_holidays, c.sundays_holidays) << c.year;
        EXPECT_EQ(d.total(), c.days) << c.year;
        EXPECT_NEAR(annual_factor(cal, c.year, {1.0, 0.85}), c.factor, 1e-9) << c.year;
        // Factors of 1 count every day.
        EXPECT_DOUBLE_EQ(annual_factor(d, {1.0, 1.0}), c.days);
    }
}

TEST(Calendar, AYearOutsideTheFileIsAnError) {
    const HolidayCalendar cal = load_holidays(kHolidays);
    const auto e = test_support::input_error_of([&] { count_days(cal, 2035); });
    ASSERT_TRUE(e) << "2035 is not covered";
    EXPECT_NE(std::string(e->what()).find("2018..2034"), std::string::npos) << e->what();
    EXPECT_EQ(e->file(), kHolidays.string());
}

TEST(Calendar, BadHolidayFilesNameLineAndColumn) {
    const std::string head = "date,name_ko,name_en,source\n";
    EXPECT_EQ(load_error_field(head + "2024-01-01,신정,New Year,law\n"), "<no error>");
    EXPECT_EQ(load_error_field(head + "2024-02-30,x,x,law\n"), "date @2");
    EXPECT_EQ(load_error_field(head + "2024-1-01,x,x,law\n"), "date @2");
    EXPECT_EQ(load_error_field(head + "2024-01-01,x,x,law\n2024-01-01,y,y,law\n"), "date @3");
    EXPECT_EQ(load_error_field(head + "2024-01-01,x,x,\n"), "source @2");
    EXPECT_EQ(load_error_field(head + "2024-01-01,x,x,law\n2026-01-01,x,x,law\n"), "date @0");
}
