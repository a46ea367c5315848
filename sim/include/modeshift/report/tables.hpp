#pragma once
/// The CSV tables of a run folder: each table's file name and columns, declared once for its
/// writer (outputs.cpp) and its readers (compare, validate), so that a renamed or added column
/// cannot leave a reader behind.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/core/mode.hpp"

namespace modeshift {

/// links.csv: the day's figures of every link.
struct LinksTable {
    std::string_view file = "links.csv";
    std::string_view link_id = "link_id", external_id = "external_id", road_name = "road_name";
    std::string_view road_class = "road_class", zone = "zone", length_m = "length_m";
    std::string_view vehicles = "vehicles", vkt_km = "vkt_km", mean_speed_kmh = "mean_speed_kmh";
    std::string_view co2_kg = "co2_kg";
    /// Lanes per direction and where they come from (LanesSource): last, so that readers of the
    /// first ten columns are unaffected.
    std::string_view lanes = "lanes", lanes_source = "lanes_source";
    constexpr std::array<std::string_view, 12> columns() const {
        return {link_id,  external_id, road_name,      road_class, zone,  length_m,
                vehicles, vkt_km,      mean_speed_kmh, co2_kg,     lanes, lanes_source};
    }
};
inline constexpr LinksTable kLinksTable{};

/// link_hourly.csv: one row per link and hour with traffic.
struct LinkHourlyTable {
    std::string_view file = "link_hourly.csv";
    std::string_view link_id = "link_id", external_id = "external_id", road_name = "road_name";
    std::string_view hour = "hour", vehicles = "vehicles", mean_speed_kmh = "mean_speed_kmh";
    std::string_view co2_kg = "co2_kg", vkt_km = "vkt_km";
    constexpr std::array<std::string_view, 8> columns() const {
        return {link_id, external_id, road_name, hour, vehicles, mean_speed_kmh, co2_kg, vkt_km};
    }
};
inline constexpr LinkHourlyTable kLinkHourlyTable{};

/// hourly_by_mode.csv: hour, CO2 kg per mode, the total, then vehicle-km per mode.
struct HourlyByModeTable {
    std::string_view file = "hourly_by_mode.csv";
    std::string_view hour = "hour", co2_kg_total = "co2_kg_total";
    std::string co2_kg(Mode m) const;  ///< "co2_kg_car", ...
    std::string vkt_km(Mode m) const;  ///< "vkt_km_car", ...
    std::vector<std::string> columns() const;
};
inline constexpr HourlyByModeTable kHourlyByModeTable{};

/// by_dong.csv: one row per zone (administrative dong).
struct ByDongTable {
    std::string_view file = "by_dong.csv";
    std::string_view dong_code = "dong_code", name_ko = "name_ko", name_en = "name_en";
    std::string_view district = "district", study_area = "study_area", population = "population";
    std::string_view co2_kg = "co2_kg", vkt_km = "vkt_km", trips_from = "trips_from",
                     trips_to = "trips_to";
    std::string_view co2_kg_per_capita = "co2_kg_per_capita", area_km2 = "area_km2";
    std::string_view co2_t_per_km2 = "co2_t_per_km2";
    constexpr std::array<std::string_view, 13> columns() const {
        return {dong_code,         name_ko,  name_en,      district,   study_area,
                population,        co2_kg,   vkt_km,       trips_from, trips_to,
                co2_kg_per_capita, area_km2, co2_t_per_km2};
    }
};
inline constexpr ByDongTable kByDongTable{};

/// co2_by_minute.csv: minute, clock time, then the cumulative CO2 kg of each series.
struct Co2ByMinuteTable {
    std::string_view file = "co2_by_minute.csv";
    std::string_view minute = "minute", clock = "clock";
    std::string cumulative(std::string_view series) const;  ///< "car_cumulative", ...
};
inline constexpr Co2ByMinuteTable kCo2ByMinuteTable{};

/// "a,b,c\n": the header line of a table with these columns.
template <class Columns>
std::string csv_header(const Columns& columns) {
    std::string line;
    for (const auto& c : columns) {
        if (!line.empty()) line += ',';
        line += c;
    }
    return line + '\n';
}

}  // namespace modeshift
