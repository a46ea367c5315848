#include "modeshift/policy/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "modeshift/core/error.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/io/sourced.hpp"
#include "selection.hpp"

namespace modeshift {
namespace {

using namespace policy_detail;

// Ranges of the policy numbers. Each keeps the run's memory and time bounded (the engine makes a
// vehicle per departure, a choice set per person) and refuses what can only be a typo. Several
// policies of one kind on the same target add up (multiply for factors) and their total must stay
// in the range of one policy (docs/scenarios.md, "Policies that add up").

/// Ten times fewer or more departures than the network's timetable: a vehicle per departure.
constexpr double kMinFrequencyFactor = 0.1;
constexpr double kMaxFrequencyFactor = 10;
/// The shortest headway a policy may give a line (also activate_line's): two vehicles a minute.
constexpr double kMinHeadwayS = 30;
constexpr double kMaxHeadwayS = 7200;
/// Fares from free to ten times today's.
constexpr double kMaxFareFactor = 10;
/// Upper bound of a parking or cordon charge per trip: far above any such charge levied in Korea,
/// so a larger value is a typo (a misplaced decimal point) rather than a measure.
constexpr double kMaxChargeKrw = 100'000;
/// A green extension longer than a minute is a different signal plan, not transit priority.
constexpr double kMaxGreenExtensionS = 60;
constexpr double kMaxTashuCoverageFactor = 20;
constexpr double kMaxBikeSpeedFactor = 3;

/// Refuses, at `field`, a total of this and the earlier policies of its kind on `target` outside
/// [lo, hi], the range of a single policy.
void check_total(const JsonCursor& field, const std::string& target, double total, double lo,
                 double hi) {
    if (total >= lo && total <= hi) return;
    field.fail(
        fmt::format("with the earlier policies of this kind, {} comes to {:g}, outside "
                    "[{:g}, {:g}], the range of one policy",
                    target, total, lo, hi));
}

/// `key` of `c` as a number in [lo, hi] (one policy's range).
double number_in(const JsonCursor& c, const char* key, double lo, double hi, const char* unit) {
    const double v = c.number(key);
    if (v < lo || v > hi) c.at(key).fail(fmt::format("must be in [{:g}, {:g}]{}", lo, hi, unit));
    return v;
}

void apply_bus_frequency(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "lines", "mode", "frequency_factor"});
    const double f = number_in(c, "frequency_factor", kMinFrequencyFactor, kMaxFrequencyFactor, "");
    const Mode mode =
        c.has("mode")
            ? modes_of(JsonCursor(Json::array({c.string("mode")}), c.file(), c.path() + ".mode"))[0]
            : Mode::Bus;
    std::size_t n = 0;
    for (auto l : lines_of(c, s.network, "lines")) {
        auto& ln = s.network.lines[l];
        if (ln.mode != mode) continue;
        double& total = s.totals.line_frequency.try_emplace(l, 1.0).first->second;
        total *= f;
        const std::string line = fmt::format("the frequency factor of line {}", ln.name);
        check_total(c.at("frequency_factor"), line, total, kMinFrequencyFactor,
                    kMaxFrequencyFactor);
        ln.headway_peak_s /= f;
        ln.headway_offpeak_s /= f;
        if (std::min(ln.headway_peak_s, ln.headway_offpeak_s) < kMinHeadwayS)
            c.at("frequency_factor")
                .fail(fmt::format(
                    "line {} would run every {:.0f} s, more often than every {:.0f} s", ln.name,
                    std::min(ln.headway_peak_s, ln.headway_offpeak_s), kMinHeadwayS));
        // Explicit timetables (departures_s) are left as published.
        ++n;
    }
    if (n == 0) c.fail("no line of that mode was selected");
    s.descriptions.push_back(
        fmt::format("bus_frequency: {} {} lines run {:.2f}x as often", n, mode_name(mode), f));
}

void apply_fare(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "modes", "factor", "group", "eligible_share"});
    const auto modes = modes_of(c.at("modes"));
    const double f = number_in(c, "factor", 0, kMaxFareFactor, " (0 = free)");
    if (c.has("group")) {
        const std::string group = c.string("group");
        // One fare group per scenario: a second group would silently take over the first's
        // members, and a second fare for the same group and mode would replace the first.
        if (!s.fare_group_name.empty() && s.fare_group_name != group)
            c.at("group").fail(
                fmt::format("a scenario has one fare group, and an earlier policy "
                            "made it '{}'",
                            s.fare_group_name));
        s.fare_group_name = group;
        s.fare_group_share = sourced_number(c, "eligible_share", 0, 1);
        for (Mode m : modes) {
            if (s.totals.group_fare_set[mode_index(m)])
                c.at("modes").fail(fmt::format("an earlier policy already set the {} fare of {}",
                                               mode_name(m), group));
            s.totals.group_fare_set[mode_index(m)] = true;
            s.context.group_fare_factor[mode_index(m)] = s.context.fare_factor[mode_index(m)] * f;
            check_total(c.at("factor"),
                        fmt::format("the {} fare factor of {}", mode_name(m), group),
                        s.context.group_fare_factor[mode_index(m)], 0, kMaxFareFactor);
        }
        s.descriptions.push_back(
            fmt::format("fare: {} ({:.0f} % of persons) pay {:.0f} % of the fare",
                        s.fare_group_name, 100 * s.fare_group_share, 100 * f));
    } else {
        for (Mode m : modes) {
            s.context.fare_factor[mode_index(m)] *= f;
            s.context.group_fare_factor[mode_index(m)] *= f;
            check_total(c.at("factor"), fmt::format("the {} fare factor", mode_name(m)),
                        std::max(s.context.fare_factor[mode_index(m)],
                                 s.context.group_fare_factor[mode_index(m)]),
                        0, kMaxFareFactor);
        }
        s.descriptions.push_back(fmt::format("fare: everyone pays {:.0f} % of the fare", 100 * f));
    }
}

void apply_activate_line(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "lines", "mode", "headway_peak_s", "headway_offpeak_s"});
    std::size_t n = 0;
    const auto sel = lines_or_mode(c, s.network);
    for (auto l : sel) {
        auto& ln = s.network.lines[l];
        ln.active = true;
        if (c.has("headway_peak_s"))
            ln.headway_peak_s = sourced_number(c, "headway_peak_s", kMinHeadwayS, kMaxHeadwayS);
        if (c.has("headway_offpeak_s"))
            ln.headway_offpeak_s =
                sourced_number(c, "headway_offpeak_s", kMinHeadwayS, kMaxHeadwayS);
        ++n;
    }
    s.descriptions.push_back(fmt::format("activate_line: {} line directions open ({})", n,
                                         s.network.lines[sel[0]].name));
}

void apply_deactivate_line(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "lines", "mode"});
    const auto sel = lines_or_mode(c, s.network);
    for (auto l : sel) s.network.lines[l].active = false;
    s.descriptions.push_back(fmt::format("deactivate_line: {} line directions closed", sel.size()));
}

void apply_bus_lane(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "road_names", "links", "zones", "road_classes"});
    const auto sel = links_of(c, s.network);
    double km = 0;
    for (auto l : sel) {
        if (!allows(s.network.links.modes[l], Mode::Bus)) continue;
        s.network.links.bus_lane[l] = 1;
        km += s.network.links.length_m[l] / 1000;
    }
    s.descriptions.push_back(
        fmt::format("bus_lane: bus-only lanes on {} links ({:.1f} km)", sel.size(), km));
}

void apply_signal_priority(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "road_names", "links", "zones", "road_classes",
                 "green_extension_s", "buses_only"});
    SignalEdit e;
    e.green_extension_s = c.number("green_extension_s");
    if (e.green_extension_s <= 0 || e.green_extension_s > kMaxGreenExtensionS)
        c.at("green_extension_s").fail(fmt::format("must be in (0, {:g}] s", kMaxGreenExtensionS));
    for (auto l : links_of(c, s.network)) {
        e.links.push_back(static_cast<std::uint32_t>(l));
        double& total = s.totals.green_extension_s[l];
        total += e.green_extension_s;
        check_total(c.at("green_extension_s"),
                    fmt::format("the green extension at the end of link {}",
                                s.network.links.external_id[l]),
                    total, 0, kMaxGreenExtensionS);
    }
    e.buses_only = c.boolean_or("buses_only", false);
    s.descriptions.push_back(fmt::format(
        "signal_priority: +{:.0f} s green for {} at the signalised ends of {} links",
        e.green_extension_s, e.buses_only ? "bus lanes" : "all traffic", e.links.size()));
    s.signal_edits.push_back(std::move(e));
}

void apply_bike_lane(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "road_names", "links", "zones", "road_classes"});
    const auto sel = links_of(c, s.network);
    double km = 0;
    for (auto l : sel) {
        s.network.links.bike_lane[l] = 1;
        s.network.links.modes[l] |= mode_bit(Mode::Bike);
        km += s.network.links.length_m[l] / 1000;
    }
    s.descriptions.push_back(
        fmt::format("bike_lane: separated bike lanes on {} links ({:.1f} km)", sel.size(), km));
}

void apply_tashu(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "coverage_factor", "bike_speed_factor"});
    if (!c.has("coverage_factor") && !c.has("bike_speed_factor"))
        c.fail(
            "give \"coverage_factor\" and/or \"bike_speed_factor\": without either the "
            "policy would do nothing");
    const double f = c.has("coverage_factor")
                         ? number_in(c, "coverage_factor", 0, kMaxTashuCoverageFactor, "")
                         : 1.0;
    s.totals.tashu_coverage *= f;
    if (c.has("coverage_factor"))
        check_total(c.at("coverage_factor"), "the station density factor", s.totals.tashu_coverage,
                    0, kMaxTashuCoverageFactor);
    for (auto& cov : s.context.tashu_coverage) cov = std::min(1.0, cov * f);
    const double v = c.number_or("bike_speed_factor", 1.0);
    if (v <= 0 || v > kMaxBikeSpeedFactor)
        c.at("bike_speed_factor").fail(fmt::format("must be in (0, {:g}]", kMaxBikeSpeedFactor));
    s.context.bike_speed_factor *= v;
    if (c.has("bike_speed_factor"))
        check_total(c.at("bike_speed_factor"), "the bike speed factor", s.context.bike_speed_factor,
                    0, kMaxBikeSpeedFactor);
    s.descriptions.push_back(
        fmt::format("tashu: station density x{:.2f}, bike speed x{:.2f}", f, v));
}

/// The charge of a parking or cordon policy ({"kind", "zones", "krw"}), range-checked.
double charge_krw(const JsonCursor& c) {
    c.only_keys({"kind", "rationale", "zones", "krw"});
    const double krw = c.number("krw");
    if (krw < 0 || krw > kMaxChargeKrw)
        c.at("krw").fail(fmt::format("must be in [0, {:.0f}] KRW per trip", kMaxChargeKrw));
    return krw;
}

void apply_parking_charge(const JsonCursor& c, ScenarioSetup& s) {
    const double krw = charge_krw(c);
    const auto zs = zones_of(c.at("zones"), s.network);
    for (auto z : zs) {
        s.context.parking_charge_krw[z] += krw;
        check_total(c.at("krw"), fmt::format("the parking charge in {}", s.network.zones[z].name),
                    s.context.parking_charge_krw[z], 0, kMaxChargeKrw);
    }
    s.descriptions.push_back(
        fmt::format("parking_charge: {:.0f} KRW per car trip ending in {} zones", krw, zs.size()));
}

void apply_congestion_charge(const JsonCursor& c, ScenarioSetup& s) {
    const double krw = charge_krw(c);
    const auto zs = zones_of(c.at("zones"), s.network);
    auto& net = s.network;
    std::vector<std::uint8_t> inside(net.nodes.size(), 0);
    for (std::size_t n = 0; n < net.nodes.size(); ++n)
        for (auto z : zs)
            if (zone_contains(net.zones[z], {net.nodes.lat[n], net.nodes.lon[n]})) inside[n] = 1;
    std::size_t n_links = 0;
    for (std::size_t l = 0; l < net.links.size(); ++l) {
        // Charged when a car crosses the cordon into the area.
        if (!inside[net.links.from[l].index()] && inside[net.links.to[l].index()] &&
            allows(net.links.modes[l], Mode::Car)) {
            net.links.toll[l] += krw;
            double& total = s.totals.cordon_krw[l];
            total += krw;
            check_total(c.at("krw"),
                        fmt::format("the cordon charge on link {}", net.links.external_id[l]),
                        total, 0, kMaxChargeKrw);
            ++n_links;
        }
    }
    if (n_links == 0) c.fail("the zones have no inbound road link to charge");
    s.descriptions.push_back(
        fmt::format("congestion_charge: {:.0f} KRW to enter {} zones ({} cordon links)", krw,
                    zs.size(), n_links));
}

void apply_lez(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "zones", "banned_types", "replacement_types"});
    const auto zs = zones_of(c.at("zones"), s.network);
    auto banned = c.at("banned_types");
    require_nonempty(banned, "vehicle type");
    std::uint32_t mask = 0;
    std::size_t vehicle_bans = 0;
    for (std::size_t i = 0; i < banned.size(); ++i) {
        const auto t = banned.at(i).string();
        bool found = false;
        for (std::size_t k = 0; k < s.fleet.car_mix.size(); ++k)
            if (s.fleet.car_mix[k].type == t) {
                mask |= 1u << k;
                found = true;
            }
        if (found) continue;
        // Not a resident's car: a freight or boundary vehicle type, which needs a replacement.
        const auto is_type = [&](const std::string& name) {
            return std::any_of(s.fleet.types.begin(), s.fleet.types.end(),
                               [&](const VehicleType& v) { return v.name == name; });
        };
        if (!is_type(t))
            banned.at(i).fail(fmt::format(
                "'{}' is neither a car type of the fleet's car_mix nor a vehicle type", t));
        if (!c.has("replacement_types") || !c.at("replacement_types").has(t))
            banned.at(i).fail(fmt::format(
                "'{}' is not a resident's car: give the vehicle its trips use instead in "
                "replacement_types.{}",
                t, t));
        const auto rep = c.at("replacement_types").at(t);
        const std::string r = rep.string();
        if (!is_type(r)) rep.fail(fmt::format("'{}' is not a vehicle type of the fleet", r));
        VehicleBan ban{t, r, std::vector<std::uint8_t>(s.network.zones.size(), 0)};
        for (auto z : zs) ban.zone[z] = 1;
        s.vehicle_bans.push_back(std::move(ban));
        ++vehicle_bans;
    }
    for (auto z : zs) s.context.lez_banned_classes[z] |= mask;
    s.descriptions.push_back(fmt::format(
        "low_emission_zone: {} car types barred from {} zones{}", banned.size() - vehicle_bans,
        zs.size(),
        vehicle_bans ? fmt::format(", {} freight/boundary types replaced there", vehicle_bans)
                     : std::string()));
}

void apply_ev_share(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "type", "share"});
    const std::string type = c.string_or("type", "car_electric");
    const double share = c.number("share");
    if (share < 0 || share > 1) c.at("share").fail("must be in [0, 1]");
    auto& mix = s.fleet.car_mix;
    auto it =
        std::find_if(mix.begin(), mix.end(), [&](const FleetShare& f) { return f.type == type; });
    if (it == mix.end()) c.at("type").fail(fmt::format("'{}' is not in the fleet's car_mix", type));
    const double old = it->share;
    const double scale = old < 1 ? (1 - share) / (1 - old) : 0;
    for (auto& f : mix) f.share = &f == &*it ? share : f.share * scale;
    s.descriptions.push_back(fmt::format("ev_share: {} from {:.1f} % to {:.1f} % of cars", type,
                                         100 * old, 100 * share));
}

void apply_road_diet(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys(
        {"kind", "rationale", "road_names", "links", "zones", "road_classes", "lanes_removed"});
    const auto removed = c.integer("lanes_removed");
    if (removed < 1 || removed > 4) c.at("lanes_removed").fail("must be 1..4");
    auto& L = s.network.links;
    std::size_t n = 0;
    for (auto l : links_of(c, s.network)) {
        const float lanes = L.lanes[l];
        if (lanes <= 1.0f) continue;
        const float after = std::max(1.0f, lanes - static_cast<float>(removed));
        const double f = after / lanes;
        L.lanes[l] = after;
        L.capacity_vph[l] *= f;
        L.storage_pce[l] = std::max(1.0, L.storage_pce[l] * f);
        ++n;
    }
    if (n == 0) c.fail("no selected link has more than one lane");
    s.descriptions.push_back(fmt::format("road_diet: {} lane(s) removed on {} links", removed, n));
}

void apply_disable_mode(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "modes"});
    for (Mode m : modes_of(c.at("modes"))) s.context.mode_enabled[mode_index(m)] = false;
    // Walking is open to every resident and a taxi to anyone with a road: with both gone, a
    // resident without a car, a bike or transit within reach has no mode left, and the model
    // would count such a tour as walking although walking is disabled.
    const auto& on = s.context.mode_enabled;
    if (!on[mode_index(Mode::Walk)] && !on[mode_index(Mode::Taxi)])
        c.at("modes").fail(
            "walk and taxi would both be disabled (here or by an earlier policy): a resident "
            "without a car, a bike or transit within reach would have no mode left; keep walk or "
            "taxi");
    s.descriptions.push_back("disable_mode: modes removed from the choice set");
}

struct Kind {
    const char* name;
    void (*apply)(const JsonCursor&, ScenarioSetup&);
};
constexpr Kind kKinds[] = {
    {"bus_frequency", apply_bus_frequency},
    {"fare", apply_fare},
    {"activate_line", apply_activate_line},
    {"deactivate_line", apply_deactivate_line},
    {"bus_lane", apply_bus_lane},
    {"bike_lane", apply_bike_lane},
    {"tashu", apply_tashu},
    {"parking_charge", apply_parking_charge},
    {"congestion_charge", apply_congestion_charge},
    {"low_emission_zone", apply_lez},
    {"ev_share", apply_ev_share},
    {"road_diet", apply_road_diet},
    {"disable_mode", apply_disable_mode},
    {"signal_priority", apply_signal_priority},
};

}  // namespace

const std::vector<std::string>& policy_kinds() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& k : kKinds) v.emplace_back(k.name);
        return v;
    }();
    return names;
}

void apply_policy(const JsonCursor& c, ScenarioSetup& setup) {
    c.expect_object();
    const std::string kind = c.string("kind");
    for (const auto& k : kKinds)
        if (kind == k.name) {
            k.apply(c, setup);
            return;
        }
    std::string list;
    for (const auto& k : kKinds) list += (list.empty() ? "" : ", ") + std::string(k.name);
    c.at("kind").fail(fmt::format("unknown policy kind '{}' (known: {})", kind, list));
}

void init_context(ScenarioSetup& s, double tashu_access_m) {
    const auto& net = s.network;
    const std::size_t nz = net.zones.size();
    s.context.parking_charge_krw.assign(nz, 0.0);
    s.context.lez_banned_classes.assign(nz, 0u);
    // Share of a zone within reach of a Tashu station: stations x reach disc / zone area (capped at
    // 1).
    std::vector<double> stations(nz, 0.0);
    for (const auto& b : net.bike_stations)
        for (std::size_t z = 0; z < nz; ++z)
            if (zone_contains(net.zones[z], {b.lat, b.lon})) {
                stations[z] += 1;
                break;
            }
    s.context.tashu_coverage.assign(nz, 0.0);
    const double disc_km2 = std::numbers::pi * tashu_access_m * tashu_access_m / 1e6;
    for (std::size_t z = 0; z < nz; ++z) {
        const double area = std::max(net.zones[z].area_km2, 0.05);
        s.context.tashu_coverage[z] = std::min(1.0, stations[z] * disc_km2 / area);
    }
}

}  // namespace modeshift
