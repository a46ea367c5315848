#include "modeshift/core/time.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace modeshift {

std::string format_clock(TimeMs t) {
    const bool neg = t < 0;
    const TimeMs s = (neg ? -t : t) / kMsPerSecond;
    return fmt::format("{}{:02d}:{:02d}:{:02d}", neg ? "-" : "", s / 3600, (s / 60) % 60, s % 60);
}

TimeMs parse_clock(const std::string& text) {
    int h = 0, m = 0, s = 0;
    char extra = 0;
    const int n = std::sscanf(text.c_str(), "%d:%d:%d%c", &h, &m, &s, &extra);
    if ((n != 2 && n != 3) || h < 0 || m < 0 || m > 59 || s < 0 || s > 59)
        throw std::invalid_argument("expected HH:MM or HH:MM:SS, got '" + text + "'");
    return (static_cast<TimeMs>(h) * 3600 + m * 60 + s) * kMsPerSecond;
}

}  // namespace modeshift
