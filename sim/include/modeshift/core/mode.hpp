#pragma once
/// Travel modes of persons and the mode masks of links.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace modeshift {

/// The modes a person chooses between. Order is part of file formats: append only.
enum class Mode : std::uint8_t { Car = 0, Bus = 1, Metro = 2, Tram = 3, Bike = 4, Walk = 5 };
inline constexpr std::size_t kModeCount = 6;
inline constexpr std::array<Mode, kModeCount> kAllModes = {Mode::Car,  Mode::Bus,  Mode::Metro,
                                                          Mode::Tram, Mode::Bike, Mode::Walk};

constexpr std::size_t mode_index(Mode m) { return static_cast<std::size_t>(m); }
std::string_view mode_name(Mode m);            ///< "car", "bus", ...
std::string_view mode_name_ko(Mode m);         ///< "승용차", "버스", ...
std::optional<Mode> parse_mode(std::string_view s);

/// Bit set of modes allowed on a link (bit i = Mode i). Metro bit = heavy rail track.
using ModeMask = std::uint8_t;
constexpr ModeMask mode_bit(Mode m) { return static_cast<ModeMask>(1u << mode_index(m)); }
constexpr bool allows(ModeMask mask, Mode m) { return (mask & mode_bit(m)) != 0; }
inline constexpr ModeMask kRoadModes =
    mode_bit(Mode::Car) | mode_bit(Mode::Bus) | mode_bit(Mode::Bike) | mode_bit(Mode::Walk);

}  // namespace modeshift
