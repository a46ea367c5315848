#include "modeshift/pathway/fleet_stock.hpp"

#include <fmt/format.h>

#include "modeshift/core/error.hpp"

namespace modeshift::pathway {

const FleetYear& FleetPath::at(int year) const {
    MS_ASSERT(!years.empty() && year >= years.front().year && year <= years.back().year,
              fmt::format("year {} is on the fleet path", year));
    return years[std::size_t(year - years.front().year)];
}

namespace {

void set_shares(FleetYear& y) {
    y.total = 0;
    for (const auto& [p, n] : y.stock) y.total += n;
    for (const auto& [p, n] : y.stock) y.shares[p] = y.total > 0 ? n / y.total : 0.0;
}

}  // namespace

FleetPath run_stock_turnover(const CarFleetTrend& trend, int base_year, int last_year,
                             const std::string& origin) {
    MS_ASSERT(last_year >= base_year, "the fleet path runs forward");
    MS_ASSERT(trend.scrappage_rate >= 0 && trend.scrappage_rate < 1, "scrappage rate in [0, 1)");
    FleetPath path;
    FleetYear y0;
    y0.year = base_year;
    const double total0 = trend.total_stock.at(base_year);
    for (const char* p : kCarPowertrains) {
        const auto it = trend.base_shares.find(p);
        y0.stock[p] = total0 * (it == trend.base_shares.end() ? 0.0 : it->second);
    }
    set_shares(y0);
    path.years.push_back(y0);
    for (int t = base_year + 1; t <= last_year; ++t) {
        const FleetYear& prev = path.years.back();
        FleetYear y;
        y.year = t;
        y.scrapped = trend.scrappage_rate * prev.total;
        // The target total of this year; the previous year's stock is its computed sum, so the
        // path follows the series exactly from the base year on.
        const double total = trend.total_stock.at(t);
        y.sales = total - prev.total + y.scrapped;
        if (y.sales < 0)
            throw InputError(
                origin, 0, "$.trends.car_fleet.total_stock",
                fmt::format("the car stock falls from {:.0f} to {:.0f} in {}, more than "
                            "the {:.0f} cars scrapped: new sales would be negative ({:.0f})",
                            prev.total, total, t, y.scrapped, y.sales));
        const auto sales_shares = trend.sales_shares.at(t);
        for (const char* p : kCarPowertrains) {
            const auto it = sales_shares.find(p);
            const double share = it == sales_shares.end() ? 0.0 : it->second;
            y.stock[p] = prev.stock.at(p) * (1 - trend.scrappage_rate) + y.sales * share;
        }
        set_shares(y);
        path.years.push_back(std::move(y));
    }
    return path;
}

ZevComparison compare_zev(const FleetPath& path, const ZevCheck& check) {
    MS_ASSERT(check.national_registrations > 0, "national registrations are positive");
    const FleetYear& y = path.at(check.year);
    ZevComparison c;
    c.year = check.year;
    c.modelled_zev_cars = y.stock.at(kZeroEmissionCar);
    c.modelled_zev_share = y.shares.at(kZeroEmissionCar);
    c.target_zev_share = check.national_target / check.national_registrations;
    c.target_zev_vehicles =
        check.national_target * check.city_registrations / check.national_registrations;
    c.ratio = c.target_zev_vehicles > 0 ? c.modelled_zev_cars / c.target_zev_vehicles : 0.0;
    c.line = fmt::format(
        "{}: {:.0f} zero-emission cars in the modelled fleet ({:.1f} % of cars) against {:.0f} "
        "zero-emission vehicles of all types ({:.1f} %) if the city matched the national target of "
        "{:.2f} million by its share of registrations: {:.0f} % of that path",
        c.year, c.modelled_zev_cars, 100 * c.modelled_zev_share, c.target_zev_vehicles,
        100 * c.target_zev_share, check.national_target / 1e6, 100 * c.ratio);
    return c;
}

}  // namespace modeshift::pathway
