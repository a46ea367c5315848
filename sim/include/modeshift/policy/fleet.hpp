#pragma once
/// Vehicle fleet: which vehicle types exist, the fuel mix of private cars and of city buses.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/network/network_data.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

namespace modeshift {

/// A share of a fleet with the vehicle type it maps to.
struct FleetShare {
    std::string type;  ///< vehicle type name
    double share = 0;
};

struct FleetParams {
    std::vector<VehicleType> types;   ///< every vehicle type of the scenario
    std::vector<FleetShare> car_mix;  ///< private cars by fuel (shares sum to 1)
    std::vector<FleetShare> bus_mix;  ///< city buses by fuel
    std::string taxi_type = "taxi_lpg";
    std::string bike_type = "bike";
    std::string metro_type = "metro_electric";
    std::string tram_type = "tram_hydrogen";
    std::string source_file;
};

FleetParams load_fleet(const std::filesystem::path& file);

/// Resolved ids for one run.
struct Fleet {
    std::vector<VehicleType> types;
    std::vector<VehicleTypeId> car_class_type;  ///< car class (index into car_mix) -> type
    std::vector<double> car_class_cum;          ///< cumulative shares for mapping a person's draw
    std::vector<std::string> car_class_name;    ///< e.g. "car_diesel"
    VehicleTypeId taxi = 0, bike = 0;
    std::vector<VehicleTypeId> line_type;  ///< by LineId
};

/// Builds the run's fleet; bus fuel is assigned per line from the line's own stream.
Fleet resolve_fleet(const FleetParams& p, const NetworkData& net, std::uint64_t seed);
/// Car class of a person from their uniform draw byte (0..255): stable when shares change a little.
std::uint8_t car_class_of(const Fleet& f, std::uint8_t draw);

}  // namespace modeshift
