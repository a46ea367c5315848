// Ridership in `modeshift validate`: the observed-figures reader (and its errors naming file,
// line and field), the simulated boardings summed by mode from transit_lines.csv, the ratio, and
// the bundled figures.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/validate/ridership.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    const fs::path d =
        fs::temp_directory_path() / ("ms_ridership_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

const std::string kHeader = "mode,observed_boardings_per_day,day_type,year,derivation,source\n";

InputError error_of(const fs::path& p) {
    try {
        read_ridership(p);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no InputError for " << p;
    return InputError("", 0, "", "");
}

}  // namespace

TEST(Ridership, ReadsFiguresAndComparesByMode) {
    const fs::path dir = temp_dir("ok");
    write(dir / "r.csv",
          kHeader + "bus,400000,weekday,2019,\"a, derived\",s1\nmetro,100000,weekday,,d,s2\n");
    const auto figs = read_ridership(dir / "r.csv");
    ASSERT_EQ(figs.size(), 2u);
    EXPECT_EQ(figs[0].mode, "bus");
    EXPECT_EQ(figs[0].derivation, "a, derived");
    EXPECT_EQ(figs[0].year, 2019);
    EXPECT_FALSE(figs[1].year);
    EXPECT_EQ(figs[1].line, 3u);

    // Two bus lines and one metro line; a tram line the figures do not name.
    write(dir / "transit_lines.csv",
          "line_code,line_name,mode,boardings_per_day\nb1,1,bus,300000\nm1,1,metro,125000\n"
          "b2,2,bus,200000\nt1,2,tram,5\n");
    const auto sim = simulated_boardings(dir / "transit_lines.csv");
    ASSERT_EQ(sim.size(), 3u);
    EXPECT_EQ(sim[0].first, "bus");
    EXPECT_DOUBLE_EQ(sim[0].second, 500000);
    const auto res = compare_ridership(figs, sim);
    ASSERT_EQ(res.size(), 2u);
    EXPECT_DOUBLE_EQ(*res[0].ratio, 1.25);
    EXPECT_DOUBLE_EQ(*res[1].ratio, 1.25);
    // A mode the run does not run has no simulated figure, not a zero.
    const auto none = compare_ridership(figs, {});
    EXPECT_FALSE(none[0].simulated_boardings_per_day);
    EXPECT_FALSE(none[0].ratio);
}

TEST(Ridership, BadFilesNameLineAndField) {
    const fs::path dir = temp_dir("bad");
    struct Case {
        std::string rows;
        std::uint64_t line;
        std::string field;
    };
    const Case cases[] = {
        {"car,1000,weekday,2019,d,s\n", 2, "mode"},                          // not transit
        {"bus,1000,weekday,2019,d,s\nbus,2,weekday,2019,d,s\n", 3, "mode"},  // twice
        {"bus,-5,weekday,2019,d,s\n", 2, "observed_boardings_per_day"},      // negative
        {"bus,many,weekday,2019,d,s\n", 2, "observed_boardings_per_day"},    // not a number
        {"bus,1000,saturday,2019,d,s\n", 2, "day_type"},                     // not a weekday
        {"bus,1000,weekday,twenty,d,s\n", 2, "year"},                        // not a year
        {"bus,1000,weekday,2019,d,\n", 2, "source"},                         // no source
        {"bus,1000,weekday,2019,,s\n", 2, "derivation"},                     // no derivation
    };
    int i = 0;
    for (const Case& c : cases) {
        const fs::path p = dir / fmt::format("r{}.csv", i++);
        write(p, kHeader + c.rows);
        const InputError e = error_of(p);
        EXPECT_EQ(e.file(), p.string()) << c.rows;
        EXPECT_EQ(e.line(), c.line) << c.rows;
        EXPECT_EQ(e.field(), c.field) << c.rows;
    }
    write(dir / "nosource.csv", "mode,observed_boardings_per_day,day_type,derivation\n");
    EXPECT_EQ(error_of(dir / "nosource.csv").field(), "source");
    write(dir / "transit_lines.csv", "line_code,mode,boardings_per_day\nb1,bus,lots\n");
    try {
        simulated_boardings(dir / "transit_lines.csv");
        ADD_FAILURE() << "no error for a bad boardings cell";
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_EQ(e.field(), "boardings_per_day");
    }
}

TEST(Ridership, BundledFiguresAreWeekdayBusAndMetro) {
    const auto figs = read_ridership(fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data" /
                                     kDefaultRidershipFile);
    ASSERT_EQ(figs.size(), 2u);
    for (const auto& f : figs) {
        EXPECT_EQ(f.day_type, "weekday");
        EXPECT_FALSE(f.source.empty());
    }
}
