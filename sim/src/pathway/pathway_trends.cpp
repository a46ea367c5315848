#include <fmt/format.h>

#include "modeshift/io/sourced.hpp"
#include "pathway_read.hpp"

namespace modeshift::pathway {

double PopulationTrend::index(int year, const std::string& dong) const {
    const auto it = dongs.find(dong);
    return (it == dongs.end() ? city : it->second).at(year);
}

namespace detail {

namespace {

/// A population index far outside 0.2..5 is a typo (a population instead of an index).
constexpr double kMaxIndex = 5.0;

PopulationTrend read_population(const JsonCursor& c) {
    c.only_keys({"city", "dongs"});
    PopulationTrend p;
    p.city = read_series(c.at("city"), 0.2, kMaxIndex);
    if (c.has("dongs")) {
        const JsonCursor d = c.at("dongs");
        d.expect_object();
        for (auto it = d.json().begin(); it != d.json().end(); ++it) {
            if (it.key().empty()) d.fail("a dong needs a name");
            p.dongs[it.key()] = read_series(d.at(it.key()), 0.2, kMaxIndex);
        }
    }
    return p;
}

ZevCheck read_zev_check(const JsonCursor& c) {
    c.only_keys({"year", "national_target", "national_registrations", "city_registrations"});
    ZevCheck z;
    z.year = int(c.integer("year"));
    z.national_target = sourced_number(c, "national_target", 0);
    z.national_registrations = sourced_number(c, "national_registrations", 1);
    z.city_registrations = sourced_number(c, "city_registrations", 0);
    if (z.city_registrations > z.national_registrations)
        c.at("city_registrations").fail("the city cannot have more registrations than the country");
    z.source = c.at("national_target").string("source");
    return z;
}

CarFleetTrend read_car_fleet(const JsonCursor& c) {
    c.only_keys({"total_stock", "base_shares", "scrappage_rate", "sales_shares", "zev_check"});
    CarFleetTrend f;
    f.total_stock = read_series(c.at("total_stock"), 0, 1e9);
    const JsonCursor base = c.at("base_shares");
    base.only_keys({"shares", "source"});
    f.base_shares = read_shares(base.at("shares"), kCarPowertrains);
    f.base_shares_source = read_source(base);
    f.scrappage_rate = sourced_number(c, "scrappage_rate", 0, 0.5);
    f.scrappage_source = c.at("scrappage_rate").string("source");
    f.sales_shares = read_share_series(c.at("sales_shares"), kCarPowertrains);
    if (c.has("zev_check")) f.zev_check = read_zev_check(c.at("zev_check"));
    return f;
}

DayTypeFactors read_day_types(const JsonCursor& c, std::string& sat_source,
                              std::string& sun_source) {
    c.only_keys({"saturday", "sunday_holiday"});
    DayTypeFactors f;
    f.saturday = sourced_number(c, "saturday", 0, 2);
    f.sunday_holiday = sourced_number(c, "sunday_holiday", 0, 2);
    sat_source = c.at("saturday").string("source");
    sun_source = c.at("sunday_holiday").string("source");
    return f;
}

}  // namespace

Trends read_trends(const JsonCursor& c) {
    c.only_keys(
        {"population", "car_fleet", "bus_fleet", "grid_t_per_mwh", "hydrogen_kg_co2_per_kg"});
    Trends t;
    t.population = read_population(c.at("population"));
    t.car_fleet = read_car_fleet(c.at("car_fleet"));
    t.bus_fleet = read_share_series(c.at("bus_fleet"), kBusTypes);
    t.grid_t_per_mwh = read_series(c.at("grid_t_per_mwh"), 0, 2);
    t.hydrogen_kg_co2_per_kg = read_series(c.at("hydrogen_kg_co2_per_kg"), 0, 50);
    return t;
}

Annualisation read_annualisation(const JsonCursor& c, const std::filesystem::path& dir) {
    c.only_keys({"holidays", "road", "transit_ridership"});
    Annualisation a;
    a.holidays_file = (dir / c.string("holidays")).lexically_normal();
    if (!std::filesystem::is_regular_file(a.holidays_file))
        c.at("holidays").fail(fmt::format("no holiday file at {}", a.holidays_file.string()));
    a.holidays = load_holidays(a.holidays_file);
    a.road = read_day_types(c.at("road"), a.road_saturday_source, a.road_sunday_holiday_source);
    if (c.has("transit_ridership")) {
        std::string sun;
        a.transit_ridership = read_day_types(c.at("transit_ridership"), a.transit_source, sun);
        if (sun != a.transit_source) a.transit_source += "; " + sun;
    }
    return a;
}

}  // namespace detail

}  // namespace modeshift::pathway
