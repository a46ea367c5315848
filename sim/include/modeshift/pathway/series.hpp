#pragma once
/// Year series of a pathway file: values (or share vectors) given at a few years, linearly
/// interpolated between them and held flat outside them, each with its source.
#include <map>
#include <string>

#include "modeshift/io/json_util.hpp"

namespace modeshift::pathway {

/// {"points": {"2024": v, "2030": v}, "source": "..."}.
struct Series {
    std::map<int, double> points;
    std::string source;

    /// Linear between the two points around `year`, the nearest point's value outside them.
    double at(int year) const;
};

/// Shares by name (vehicle types) given at a few years: {"points": {"2024": {"car_gasoline":
/// 0.4, ...}, ...}, "source": "..."}. A name missing at a year has share 0 there.
struct ShareSeries {
    std::map<int, std::map<std::string, double>> points;
    std::string source;

    /// Each share interpolated as a Series; the result sums to 1 when every point does.
    std::map<std::string, double> at(int year) const;
};

/// Tolerance on a share vector's sum.
inline constexpr double kShareSumTolerance = 1e-6;

/// Reads a Series; years are integers in [1900, 2100], values finite and within [lo, hi].
Series read_series(const JsonCursor& c, double lo, double hi);

/// Reads one share vector {"name": share, ...}: every name in `known` (else an "unknown
/// powertrain" error naming the field), shares in [0, 1] summing to 1 within kShareSumTolerance.
std::map<std::string, double> read_shares(const JsonCursor& c,
                                          std::initializer_list<const char*> known);

/// Reads a ShareSeries whose vectors are read_shares(known).
ShareSeries read_share_series(const JsonCursor& c, std::initializer_list<const char*> known);

/// Requires a non-empty c["source"].
std::string read_source(const JsonCursor& c);

}  // namespace modeshift::pathway
