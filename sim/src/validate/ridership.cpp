#include "modeshift/validate/ridership.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/validate/inputs.hpp"

namespace modeshift {
namespace {

bool is_transit_mode(const std::string& name) {
    const auto m = parse_mode(name);
    return m && (*m == Mode::Bus || *m == Mode::Metro || *m == Mode::Tram);
}

}  // namespace

std::vector<RidershipFigure> read_ridership(const std::filesystem::path& path) {
    CsvReader c(path);
    c.require_columns({"mode", "observed_boardings_per_day", "day_type", "derivation", "source"});
    std::vector<RidershipFigure> out;
    std::set<std::string> seen;
    while (c.next()) {
        RidershipFigure f;
        f.line = c.line();
        f.mode = trim(c.get("mode"));
        if (!is_transit_mode(f.mode))
            c.fail("mode", fmt::format("'{}' is not a transit mode (bus, metro, tram)", f.mode));
        if (!seen.insert(f.mode).second)
            c.fail("mode", fmt::format("a second figure for '{}'", f.mode));
        f.observed_boardings_per_day = c.get_double("observed_boardings_per_day");
        if (f.observed_boardings_per_day <= 0) c.fail("observed_boardings_per_day", "must be > 0");
        f.day_type = trim(c.get("day_type"));
        if (f.day_type != "weekday")
            c.fail(
                "day_type",
                fmt::format("'{}': only weekday figures compare with a simulated day", f.day_type));
        if (auto y = c.get_opt("year")) {
            auto v = parse_int(trim(*y));
            if (!v) c.fail("year", fmt::format("expected an integer, got '{}'", *y));
            f.year = v;
        }
        f.derivation = trim(c.get_nonempty("derivation", "say how the figure was derived"));
        f.source = trim(c.get_nonempty("source", "every figure needs a source"));
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::pair<std::string, double>> simulated_boardings(
    const std::filesystem::path& transit_lines_csv) {
    CsvReader c(transit_lines_csv);
    c.require_columns({"mode", "boardings_per_day"});
    std::vector<std::pair<std::string, double>> out;
    while (c.next()) {
        const std::string mode = trim(c.get("mode"));
        const double b = c.get_double("boardings_per_day");
        if (b < 0) c.fail("boardings_per_day", "must be >= 0");
        auto it =
            std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == mode; });
        if (it == out.end())
            out.emplace_back(mode, b);
        else
            it->second += b;
    }
    return out;
}

std::vector<RidershipResult> compare_ridership(
    const std::vector<RidershipFigure>& observed,
    const std::vector<std::pair<std::string, double>>& simulated) {
    std::vector<RidershipResult> out;
    for (const auto& f : observed) {
        RidershipResult r;
        r.figure = f;
        auto it = std::find_if(simulated.begin(), simulated.end(),
                               [&](const auto& e) { return e.first == f.mode; });
        if (it != simulated.end()) {
            r.simulated_boardings_per_day = it->second;
            r.ratio = it->second / f.observed_boardings_per_day;
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace modeshift
