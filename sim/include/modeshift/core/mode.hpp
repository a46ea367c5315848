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
/// Truck is the mode of freight vehicles (vans, light and heavy trucks): nobody chooses it, it is
/// a mode so that freight CO2 and vehicle-km are reported apart from cars.
enum class Mode : std::uint8_t {
    Car = 0,
    Bus = 1,
    Metro = 2,
    Tram = 3,
    Bike = 4,
    Walk = 5,
    Taxi = 6,
    Truck = 7
};
inline constexpr std::size_t kModeCount = 8;
inline constexpr std::array<Mode, kModeCount> kAllModes = {
    Mode::Car, Mode::Bus, Mode::Metro, Mode::Tram, Mode::Bike, Mode::Walk, Mode::Taxi, Mode::Truck};
/// The modes persons choose between (every mode but Truck).
inline constexpr std::array<Mode, 7> kPersonModes = {
    Mode::Car, Mode::Bus, Mode::Metro, Mode::Tram, Mode::Bike, Mode::Walk, Mode::Taxi};
/// The network mode whose links a mode's vehicles use (Taxi, Truck -> Car).
constexpr Mode network_mode(Mode m) {
    return m == Mode::Taxi || m == Mode::Truck ? Mode::Car : m;
}

constexpr std::size_t mode_index(Mode m) {
    return static_cast<std::size_t>(m);
}
std::string_view mode_name(Mode m);     ///< "car", "bus", ...
std::string_view mode_name_ko(Mode m);  ///< "승용차", "버스", ...
std::optional<Mode> parse_mode(std::string_view s);

/// Who makes a trip. Residents choose their mode; freight and external (from beyond the city
/// boundary) vehicle trips have a fixed vehicle and choose only their route, and are left out of
/// mode shares and person-trip counts.
enum class TripSegment : std::uint8_t { Resident = 0, Freight = 1, External = 2 };
inline constexpr std::size_t kTripSegmentCount = 3;

/// Bit set of modes allowed on a link (bit i = Mode i). Metro bit = heavy rail track.
/// Links never carry the Taxi or Truck bit: they use car links (see network_mode).
using ModeMask = std::uint8_t;
constexpr ModeMask mode_bit(Mode m) {
    return static_cast<ModeMask>(1u << mode_index(m));
}
constexpr bool allows(ModeMask mask, Mode m) {
    return (mask & mode_bit(m)) != 0;
}
inline constexpr ModeMask kRoadModes =
    mode_bit(Mode::Car) | mode_bit(Mode::Bus) | mode_bit(Mode::Bike) | mode_bit(Mode::Walk);

}  // namespace modeshift
