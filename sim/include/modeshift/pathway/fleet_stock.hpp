#pragma once
/// Stock-turnover model of the car fleet, in yearly steps from the base year:
///
///   scrapped_t    = rate x stock_{t-1}                      (every powertrain alike)
///   sales_t       = total_t - total_{t-1} + scrapped_t      (refused when negative)
///   stock_t(p)    = stock_{t-1}(p) x (1 - rate) + sales_t x sales_share_t(p)
///
/// so the stock follows the total exactly and new sales change the mix only as fast as old
/// cars leave: a 30 % EV share of sales moves the stock share by a few points a year.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/pathway/series.hpp"

namespace modeshift::pathway {

/// The car types of scenarios/data/fleet.json's car_mix: the powertrains of the model.
inline constexpr std::initializer_list<const char*> kCarPowertrains = {
    "car_gasoline", "car_diesel", "car_lpg", "car_hybrid", "car_electric"};
/// The bus types of fleet.json's bus_mix.
inline constexpr std::initializer_list<const char*> kBusTypes = {"bus_cng", "bus_electric",
                                                                 "bus_hydrogen"};
/// Zero-emission powertrains (no tailpipe CO2).
inline constexpr const char* kZeroEmissionCar = "car_electric";

/// The national zero-emission-vehicle stock target scaled to the city by its share of
/// registrations: a report line beside the modelled path, not a constraint.
struct ZevCheck {
    int year = 2030;
    double national_target = 0;         ///< ZEVs (battery-electric + hydrogen), all vehicle types
    double national_registrations = 0;  ///< registered vehicles in Korea (scaling denominator)
    double city_registrations = 0;      ///< registered vehicles in the city (scaling numerator)
    std::string source;
};

/// The car-fleet trend of a pathway file.
struct CarFleetTrend {
    Series total_stock;                         ///< cars registered in the city, by year
    std::map<std::string, double> base_shares;  ///< stock shares in the base year
    std::string base_shares_source;
    double scrappage_rate = 0;  ///< share of the stock leaving per year
    std::string scrappage_source;
    ShareSeries sales_shares;  ///< new-car shares by powertrain
    std::optional<ZevCheck> zev_check;
};

/// One year of the path.
struct FleetYear {
    int year = 0;
    double total = 0;                      ///< sum of the stock
    std::map<std::string, double> stock;   ///< cars by powertrain
    std::map<std::string, double> shares;  ///< stock / total
    double sales = 0, scrapped = 0;        ///< in this year (0 in the base year)
};

struct FleetPath {
    std::vector<FleetYear> years;  ///< base year .. last year, every calendar year
    /// The year's state; InvariantError outside the path.
    const FleetYear& at(int year) const;
};

/// Runs the turnover from base_year (stock = total_stock(base_year) x base_shares) to
/// last_year. InputError naming `origin` and $.trends.car_fleet.total_stock when a year's
/// sales would be negative (the total falls faster than cars are scrapped).
FleetPath run_stock_turnover(const CarFleetTrend& trend, int base_year, int last_year,
                             const std::string& origin);

/// The modelled ZEV stock against the national target scaled to the city.
struct ZevComparison {
    int year = 0;
    double modelled_zev_cars = 0;    ///< car_electric stock of the path
    double modelled_zev_share = 0;   ///< of the car stock
    double target_zev_vehicles = 0;  ///< national target x city / national registrations
    double target_zev_share = 0;     ///< national target / national registrations
    double ratio = 0;                ///< modelled_zev_cars / target_zev_vehicles
    std::string line;                ///< one sentence for the report
};

ZevComparison compare_zev(const FleetPath& path, const ZevCheck& check);

}  // namespace modeshift::pathway
