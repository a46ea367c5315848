#include "modeshift/core/mode.hpp"

namespace modeshift {

std::string_view mode_name(Mode m) {
    static constexpr std::array<std::string_view, kModeCount> names = {
        "car", "bus", "metro", "tram", "bike", "walk", "taxi", "truck"};
    return names[mode_index(m)];
}

std::string_view mode_name_ko(Mode m) {
    static constexpr std::array<std::string_view, kModeCount> names = {
        "승용차", "버스", "도시철도", "트램", "자전거", "도보", "택시", "화물차"};
    return names[mode_index(m)];
}

std::optional<Mode> parse_mode(std::string_view s) {
    for (Mode m : kAllModes)
        if (mode_name(m) == s) return m;
    return std::nullopt;
}

}  // namespace modeshift
