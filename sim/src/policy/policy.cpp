#include "modeshift/policy/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "modeshift/core/error.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {
namespace {

/// Zones named by Korean name, English name or code.
std::vector<std::size_t> zones_of(const JsonCursor& c, const NetworkData& net) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const std::string name = c.at(i).string();
        bool found = false;
        for (std::size_t z = 0; z < net.zones.size(); ++z) {
            const auto& zone = net.zones[z];
            if (zone.name == name || zone.code == name || zone.name_en == name) {
                out.push_back(z);
                found = true;
            }
        }
        if (!found)
            c.at(i).fail(
                fmt::format("no zone named or coded '{}' in network '{}'", name, net.name));
    }
    return out;
}

/// Links selected by "road_names" (exact names), "links" (external ids) and/or "zones" (links whose
/// midpoint lies in the zones). Connectors, rail and tram links are never selected.
std::vector<std::size_t> links_of(const JsonCursor& c, const NetworkData& net) {
    const auto& L = net.links;
    std::vector<std::uint8_t> sel(L.size(), 0);
    bool any_selector = false;
    auto is_road = [&](std::size_t l) {
        const auto rc = L.road_class[l];
        return rc != RoadClass::Connector && rc != RoadClass::Rail && rc != RoadClass::Tram;
    };
    if (c.has("road_names")) {
        any_selector = true;
        auto names = c.at("road_names");
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string n = names.at(i).string();
            auto it = std::find(net.names.begin(), net.names.end(), n);
            if (n.empty() || it == net.names.end())
                names.at(i).fail(fmt::format("no road named '{}' in the network", n));
            const auto idx = static_cast<std::uint32_t>(it - net.names.begin());
            for (std::size_t l = 0; l < L.size(); ++l)
                if (L.name[l] == idx && is_road(l)) sel[l] = 1;
        }
    }
    if (c.has("links")) {
        any_selector = true;
        auto ids = c.at("links");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::string id = ids.at(i).string();
            bool found = false;
            for (std::size_t l = 0; l < L.size(); ++l)
                if (L.external_id[l] == id) {
                    sel[l] = is_road(l) ? 1 : sel[l];
                    found = true;
                }
            if (!found) ids.at(i).fail(fmt::format("no link with id '{}' in the network", id));
        }
    }
    if (c.has("zones")) {
        any_selector = true;
        const auto zs = zones_of(c.at("zones"), net);
        for (std::size_t l = 0; l < L.size(); ++l) {
            if (!is_road(l)) continue;
            const auto a = L.from[l].index(), b = L.to[l].index();
            const LatLon mid{(net.nodes.lat[a] + net.nodes.lat[b]) / 2,
                             (net.nodes.lon[a] + net.nodes.lon[b]) / 2};
            for (auto z : zs)
                if (zone_contains(net.zones[z], mid)) sel[l] = 1;
        }
    }
    if (!any_selector) c.fail("select links with \"road_names\", \"links\" and/or \"zones\"");
    if (c.has("road_classes")) {
        // Narrows the selection, e.g. bus lanes only on the arterials of some zones.
        auto cls = c.at("road_classes");
        std::vector<std::uint8_t> keep(static_cast<std::size_t>(RoadClass::Other) + 1, 0);
        for (std::size_t i = 0; i < cls.size(); ++i) {
            const std::string name = cls.at(i).string();
            bool found = false;
            for (int k = 0; k <= static_cast<int>(RoadClass::Other); ++k)
                if (road_class_name(static_cast<RoadClass>(k)) == name) {
                    keep[static_cast<std::size_t>(k)] = 1;
                    found = true;
                }
            if (!found) cls.at(i).fail(fmt::format("unknown road class '{}'", name));
        }
        for (std::size_t l = 0; l < L.size(); ++l)
            if (sel[l] && !keep[static_cast<std::size_t>(L.road_class[l])]) sel[l] = 0;
    }
    std::vector<std::size_t> out;
    for (std::size_t l = 0; l < L.size(); ++l)
        if (sel[l]) out.push_back(l);
    if (out.empty()) c.fail("the selection matches no road link");
    return out;
}

std::vector<std::size_t> lines_of(const JsonCursor& c, const NetworkData& net,
                                  const std::string& key) {
    std::vector<std::size_t> out;
    auto v = c.at(key);
    if (v.json().is_string() && v.string() == "all") {
        for (std::size_t l = 0; l < net.lines.size(); ++l) out.push_back(l);
        return out;
    }
    if (v.json().is_string() && v.string() == "study_area") {
        // Lines with at least one stop in a study-area zone: a district can only change the
        // service that reaches it, and extra city-wide service would add emissions that the
        // district's demand (trips touching it) cannot offset.
        for (std::size_t l = 0; l < net.lines.size(); ++l) {
            bool serves = false;
            for (StopId st : net.lines[l].stops) {
                const auto& stop = net.stops[st.index()];
                for (const auto& z : net.zones)
                    if (z.study_area && zone_contains(z, {stop.lat, stop.lon})) {
                        serves = true;
                        break;
                    }
                if (serves) break;
            }
            if (serves) out.push_back(l);
        }
        if (out.empty()) v.fail("no line has a stop in the study area");
        return out;
    }
    if (v.json().is_string())
        v.fail("expected \"all\", \"study_area\" or a list of line names/codes");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string name = v.at(i).string();
        bool found = false;
        for (std::size_t l = 0; l < net.lines.size(); ++l)
            if (net.lines[l].name == name || net.lines[l].code == name) {
                out.push_back(l);
                found = true;
            }
        if (!found) v.at(i).fail(fmt::format("no transit line named or coded '{}'", name));
    }
    return out;
}

/// Lines named in "lines" and/or all lines of "mode".
std::vector<std::size_t> lines_or_mode(const JsonCursor& c, const NetworkData& net) {
    std::vector<std::size_t> sel;
    if (c.has("lines")) sel = lines_of(c, net, "lines");
    if (c.has("mode")) {
        auto m = parse_mode(c.string("mode"));
        if (!m) c.at("mode").fail("unknown mode");
        for (std::size_t l = 0; l < net.lines.size(); ++l)
            if (net.lines[l].mode == *m) sel.push_back(l);
    }
    if (sel.empty()) c.fail("select the lines with \"lines\" or \"mode\"");
    return sel;
}

std::vector<Mode> modes_of(const JsonCursor& c) {
    std::vector<Mode> out;
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto m = parse_mode(c.at(i).string());
        if (!m) c.at(i).fail("unknown mode");
        out.push_back(*m);
    }
    return out;
}

void apply_bus_frequency(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "lines", "mode", "frequency_factor"});
    const double f = c.number("frequency_factor");
    if (f <= 0 || f > 10) c.at("frequency_factor").fail("must be in (0, 10]");
    const Mode mode =
        c.has("mode")
            ? modes_of(JsonCursor(Json::array({c.string("mode")}), c.file(), c.path() + ".mode"))[0]
            : Mode::Bus;
    std::size_t n = 0;
    for (auto l : lines_of(c, s.network, "lines")) {
        auto& ln = s.network.lines[l];
        if (ln.mode != mode) continue;
        ln.headway_peak_s /= f;
        ln.headway_offpeak_s /= f;
        for (auto& d : ln.departures_s) (void)d;  // explicit timetables are left as published
        ++n;
    }
    if (n == 0) c.fail("no line of that mode was selected");
    s.descriptions.push_back(
        fmt::format("bus_frequency: {} {} lines run {:.2f}x as often", n, mode_name(mode), f));
}

void apply_fare(const JsonCursor& c, ScenarioSetup& s) {
    c.only_keys({"kind", "rationale", "modes", "factor", "group", "eligible_share"});
    const auto modes = modes_of(c.at("modes"));
    const double f = c.number("factor");
    if (f < 0 || f > 10) c.at("factor").fail("must be in [0, 10] (0 = free)");
    if (c.has("group")) {
        s.fare_group_name = c.string("group");
        s.fare_group_share = sourced_number(c, "eligible_share", 0, 1);
        for (Mode m : modes)
            s.context.group_fare_factor[mode_index(m)] = s.context.fare_factor[mode_index(m)] * f;
        s.descriptions.push_back(
            fmt::format("fare: {} ({:.0f} % of persons) pay {:.0f} % of the fare",
                        s.fare_group_name, 100 * s.fare_group_share, 100 * f));
    } else {
        for (Mode m : modes) {
            s.context.fare_factor[mode_index(m)] *= f;
            s.context.group_fare_factor[mode_index(m)] *= f;
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
            ln.headway_peak_s = sourced_number(c, "headway_peak_s", 30, 7200);
        if (c.has("headway_offpeak_s"))
            ln.headway_offpeak_s = sourced_number(c, "headway_offpeak_s", 30, 7200);
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
    for (auto l : links_of(c, s.network)) e.links.push_back(static_cast<std::uint32_t>(l));
    e.green_extension_s = c.number("green_extension_s");
    if (e.green_extension_s <= 0 || e.green_extension_s > 60)
        c.at("green_extension_s").fail("must be in (0, 60] s");
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
    const double f = c.number_or("coverage_factor", 1.0);
    if (f < 0 || f > 20) c.at("coverage_factor").fail("must be in [0, 20]");
    for (auto& cov : s.context.tashu_coverage) cov = std::min(1.0, cov * f);
    const double v = c.number_or("bike_speed_factor", 1.0);
    if (v <= 0 || v > 3) c.at("bike_speed_factor").fail("must be in (0, 3]");
    s.context.bike_speed_factor *= v;
    s.descriptions.push_back(
        fmt::format("tashu: station density x{:.2f}, bike speed x{:.2f}", f, v));
}

/// Upper bound of a parking or cordon charge per trip: far above any such charge levied in Korea,
/// so a larger value is a typo (a misplaced decimal point) rather than a measure.
constexpr double kMaxChargeKrw = 100'000;

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
    for (auto z : zs) s.context.parking_charge_krw[z] += krw;
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
