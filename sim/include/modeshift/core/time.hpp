#pragma once
/// Simulation time: integer milliseconds since midnight of the simulated day.
#include <cstdint>
#include <string>

namespace modeshift {

using TimeMs = std::int64_t;

inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerHour = 3600 * kMsPerSecond;
inline constexpr TimeMs kMsPerDay = 24 * kMsPerHour;

constexpr TimeMs seconds_to_ms(double s) {
    return static_cast<TimeMs>(s * 1000.0 + (s >= 0 ? 0.5 : -0.5));
}
constexpr double ms_to_seconds(TimeMs t) {
    return static_cast<double>(t) / 1000.0;
}
constexpr int hour_of(TimeMs t) {
    return static_cast<int>(t / kMsPerHour);
}

/// "HH:MM:SS" (hours may exceed 24 for trips past midnight).
std::string format_clock(TimeMs t);
/// Parses "HH:MM" or "HH:MM:SS"; throws std::invalid_argument on bad text.
TimeMs parse_clock(const std::string& text);

}  // namespace modeshift
