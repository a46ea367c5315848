#pragma once
// What every rendering of a comparison (page, JSON, CSV, workbook) says alike: the headline
// figures with their names and units, and the words for the band of a change.
#include <string>
#include <vector>

#include "modeshift/report/compare.hpp"

namespace modeshift::compare_text {

/// A headline figure: its key in report.csv, its Korean and English names, its unit, the value
/// and how to show it.
struct Figure {
    std::string key;     ///< "co2_t_per_day", ...
    std::string ko, en;  ///< names without the unit
    std::string unit;    ///< "t/day", "t/year", "km/day", "%", ...
    Delta value;
    int decimals = 0;
    bool lower_is_better = true;
    bool study_area = false;  ///< a figure of the study area (else of the whole city)
};

/// The whole city's headline figures, then the study area's (when the runs have one).
std::vector<Figure> headline_figures(const Comparison& c);

/// report.csv's `band` column: "t90", "range" or "" (one seed).
std::string band_key(const Band& b);
/// "90 % 구간 (시드 5개) / 90 % interval (5 seeds)", "최소–최대 (시드 2개) / min–max (2 seeds)".
std::string band_name(const Band& b);
/// The band in words with its unit: "-70.1 … -56.7 t/day".
std::string band_range(const Band& b, int decimals, const std::string& unit);

/// The flag on a change whose band holds 0.
inline constexpr const char* kNoiseKo = "이 표본에서는 시드 간 잡음과 구별되지 않음";
inline constexpr const char* kNoiseEn = "not distinguishable from noise at this sample";

}  // namespace modeshift::compare_text
