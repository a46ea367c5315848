#pragma once
/// Travel modes of persons and the mode masks of links.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace modeshift {

/// The modes a person chooses between. Order is part of file formats: append only.
/// Taxi drives on car links (routing uses the Car bit of a link's ModeMask); it is a mode of its
/// own because Daejeon's survey counts it apart (9.2 % of trips excl. walking, 2014) and taxis
/// burn LPG.
enum class Mode : std::uint8_t { Car = 0, Bus = 1, Metro = 2, Tram = 3, Bike = 4, Walk = 5, Taxi = 6 };
inline constexpr std::size_t kModeCount = 7;
inline constexpr std::array<Mode, kModeCount> kAllModes = {
    Mode::Car, Mode::Bus, Mode::Metro, Mode::Tram, Mode::Bike, Mode::Walk, Mode::Taxi};
/// The network mode whose links a mode's vehicles use (Taxi -> Car).
constexpr Mode network_mode(Mode m) { return m == Mode::Taxi ? Mode::Car : m; }

constexpr std::size_t mode_index(Mode m) { return static_cast<std::size_t>(m); }
std::string_view mode_name(Mode m);            ///< "car", "bus", ...
std::string_view mode_name_ko(Mode m);         ///< "승용차", "버스", ...
std::optional<Mode> parse_mode(std::string_view s);

/// Bit set of modes allowed on a link (bit i = Mode i). Metro bit = heavy rail track.
/// Links never carry the Taxi bit: taxis use car links (see network_mode).
using ModeMask = std::uint8_t;
constexpr ModeMask mode_bit(Mode m) { return static_cast<ModeMask>(1u << mode_index(m)); }
constexpr bool allows(ModeMask mask, Mode m) { return (mask & mode_bit(m)) != 0; }
inline constexpr ModeMask kRoadModes =
    mode_bit(Mode::Car) | mode_bit(Mode::Bus) | mode_bit(Mode::Bike) | mode_bit(Mode::Walk);

}  // namespace modeshift
