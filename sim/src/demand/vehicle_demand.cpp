#include "modeshift/demand/vehicle_demand.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "modeshift/core/error.hpp"
#include "modeshift/core/rng.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift {
namespace {

/// {"value": [24 shares], "source": "..."}.
std::vector<double> read_hour_shares(const JsonCursor& parent, const std::string& key) {
    auto dep = parent.at(key);
    auto vals = dep.at("value");
    if (vals.size() != 24) vals.fail("needs 24 hourly shares");
    std::vector<double> v;
    double sum = 0;
    for (std::size_t h = 0; h < 24; ++h) {
        const double x = vals.at(h).number();
        if (x < 0) vals.at(h).fail("share must be >= 0");
        v.push_back(x);
        sum += x;
    }
    if (sum <= 0) vals.fail("shares must not all be zero");
    if (dep.string_or("source", "").empty()) dep.fail("needs a \"source\"");
    return v;
}

/// {"attr": weight, ..., "source": "..."}.
void read_attraction(const JsonCursor& attr, std::vector<std::string>& names,
                     std::vector<double>& weights) {
    attr.expect_object();
    for (auto it = attr.json().begin(); it != attr.json().end(); ++it) {
        if (it.key() == "source") continue;
        const double w = attr.number(it.key());
        if (w < 0) attr.at(it.key()).fail("attraction weight must be >= 0");
        names.push_back(it.key());
        weights.push_back(w);
    }
    if (names.empty()) attr.fail("needs at least one weighted zone attribute");
    if (attr.string_or("source", "").empty()) attr.fail("attraction weights need a \"source\"");
}

std::vector<double> attraction_of(const Network& net, const std::vector<std::string>& names,
                                  const std::vector<double>& weights, const std::string& what,
                                  const std::string& file) {
    PurposeParams pp;
    pp.name = what;
    pp.attraction_attrs = names;
    pp.attraction_weights = weights;
    return purpose_attraction(net, pp, file);
}

double zone_attr(const Zone& z, const std::string& name) {
    if (name == "households") return z.households;
    if (name == "population") return z.population;
    for (std::size_t i = 0; i < z.attr_names.size(); ++i)
        if (z.attr_names[i] == name) return z.attr_values[i];
    return 0.0;
}

/// Stochastic rounding of an expected count from a stream of its own.
std::uint64_t draw_count(Rng& r, double expected) {
    return static_cast<std::uint64_t>(expected) +
           (r.bernoulli(expected - std::floor(expected)) ? 1 : 0);
}

TimeMs draw_depart(Rng& r, const std::vector<double>& hour_share) {
    const std::size_t h = r.weighted(hour_share);
    return static_cast<TimeMs>(h) * kMsPerHour + static_cast<TimeMs>(r.below(3600)) * kMsPerSecond;
}

std::uint8_t type_index(VehicleTrips& out, const std::string& name) {
    for (std::size_t i = 0; i < out.type_names.size(); ++i)
        if (out.type_names[i] == name) return static_cast<std::uint8_t>(i);
    MS_ASSERT(out.type_names.size() < 255, "too many vehicle types in the vehicle trips");
    out.type_names.push_back(name);
    return static_cast<std::uint8_t>(out.type_names.size() - 1);
}

void push_trip(VehicleTrips& out, TripSegment seg, std::uint8_t type, ZoneId o, ZoneId d,
               std::int32_t gateway, bool inbound, TimeMs depart) {
    out.segment.push_back(seg);
    out.type.push_back(type);
    out.origin.push_back(o);
    out.dest.push_back(d);
    out.gateway.push_back(gateway);
    out.inbound.push_back(inbound ? 1 : 0);
    out.depart_ms.push_back(depart);
}

ZoneId nearest_zone(const Network& net, LatLon p) {
    ZoneId best;
    double best_m = std::numeric_limits<double>::infinity();
    for (std::size_t z = 0; z < net.zone_count(); ++z) {
        const Zone& zone = net.zone(ZoneId::from_index(z));
        if (zone_contains(zone, p)) return ZoneId::from_index(z);
        const double m = haversine_m(p, {zone.lat, zone.lon});
        if (m < best_m) {
            best_m = m;
            best = ZoneId::from_index(z);
        }
    }
    return best;
}

/// What both vehicle-trip parameter files start with: their closed set of keys and the volume
/// factor.
template <class Params>
Params read_common(const JsonCursor& j, std::initializer_list<const char*> keys) {
    j.only_keys(keys);
    Params p;
    p.source_file = j.file();
    p.volume_factor = sourced_number(j, "volume_factor", 0, 100);
    return p;
}

}  // namespace

FreightParams load_freight_params(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    const JsonCursor j(root, file.string());
    auto p = read_common<FreightParams>(j, {"description", "volume_factor", "gravity_speed_kmh",
                                            "classes", "attraction", "depart_hour_share"});
    p.gravity_speed_kmh = sourced_number(j, "gravity_speed_kmh", 1, 200);
    const auto classes = j.at("classes");
    const auto class_keys = {"name", "vehicle_type", "trips_per_household", "friction_per_min"};
    for_each_object(classes, class_keys, [&](const JsonCursor& c) {
        // Braced initialisation evaluates left to right: the fields are checked in the order
        // written.
        p.classes.push_back({c.string("name"), c.string("vehicle_type"),
                             sourced_number(c, "trips_per_household", 0, 50),
                             sourced_number(c, "friction_per_min", 0, 10)});
    });
    if (p.classes.empty()) classes.fail("at least one freight class is required");
    read_attraction(j.at("attraction"), p.attraction_attrs, p.attraction_weights);
    p.depart_hour_share = read_hour_shares(j, "depart_hour_share");
    return p;
}

ExternalParams load_external_params(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    const JsonCursor j(root, file.string());
    auto p = read_common<ExternalParams>(
        j, {"description", "volume_factor", "snap_max_m", "gateways", "vehicle_mix", "attraction",
            "distance_decay_per_km", "inbound_hour_share", "outbound_hour_share"});
    p.snap_max_m = sourced_number(j, "snap_max_m", 1, 50000);
    const auto gateway_keys = {"name",  "lat", "lon", "inbound_per_day", "outbound_per_day",
                               "source"};
    for_each_object(j.at("gateways"), gateway_keys, [&](const JsonCursor& g) {
        Gateway gw;
        gw.name = g.string("name");
        gw.at = {g.number("lat"), g.number("lon")};
        if (gw.at.lat < -90 || gw.at.lat > 90) g.at("lat").fail("latitude out of range");
        if (gw.at.lon < -180 || gw.at.lon > 180) g.at("lon").fail("longitude out of range");
        gw.inbound_per_day = g.number("inbound_per_day");
        gw.outbound_per_day = g.number("outbound_per_day");
        if (gw.inbound_per_day < 0 || gw.inbound_per_day > 1e6)
            g.at("inbound_per_day").fail("must be in [0, 1e6]");
        if (gw.outbound_per_day < 0 || gw.outbound_per_day > 1e6)
            g.at("outbound_per_day").fail("must be in [0, 1e6]");
        if (g.string_or("source", "").empty())
            g.fail("a gateway needs a \"source\" for its counts");
        p.gateways.push_back(std::move(gw));
    });
    auto mix = j.at("vehicle_mix");
    mix.expect_object();
    double sum = 0;
    for (auto it = mix.json().begin(); it != mix.json().end(); ++it) {
        if (it.key() == "source") continue;
        const double v = mix.number(it.key());
        if (v < 0) mix.at(it.key()).fail("share must be >= 0");
        p.vehicle_types.push_back(it.key());
        p.vehicle_shares.push_back(v);
        sum += v;
    }
    if (sum <= 0) mix.fail("needs at least one vehicle type with a positive share");
    if (mix.string_or("source", "").empty()) mix.fail("needs a \"source\"");
    read_attraction(j.at("attraction"), p.attraction_attrs, p.attraction_weights);
    p.distance_decay_per_km = sourced_number(j, "distance_decay_per_km", 0, 10);
    p.inbound_hour_share = read_hour_shares(j, "inbound_hour_share");
    p.outbound_hour_share = read_hour_shares(j, "outbound_hour_share");
    return p;
}

void generate_freight(const Network& net, const FreightParams& p, std::uint64_t seed,
                      double sample_fraction, VehicleTrips& out) {
    const std::size_t nz = net.zone_count();
    if (nz == 0) return;
    const auto attraction =
        attraction_of(net, p.attraction_attrs, p.attraction_weights, "freight", p.source_file);
    for (std::size_t c = 0; c < p.classes.size(); ++c) {
        const FreightClass& fc = p.classes[c];
        const std::uint8_t type = type_index(out, fc.vehicle_type);
        for (std::size_t o = 0; o < nz; ++o) {
            const Zone& oz = net.zone(ZoneId::from_index(o));
            // Gravity weights from this origin: attraction x exp(-b x minutes at the gravity
            // speed).
            std::vector<double> w(nz);
            for (std::size_t d = 0; d < nz; ++d) {
                const double mins = zone_distance_km(oz, net.zone(ZoneId::from_index(d))) /
                                    p.gravity_speed_kmh * 60.0;
                w[d] = attraction[d] * std::exp(-fc.friction_per_min * mins);
            }
            Rng zr(seed, RngPurpose::Freight, (static_cast<std::uint64_t>(c) << 32) | o, 0xfffff);
            const double expected = zone_attr(oz, "households") * fc.trips_per_household *
                                    p.volume_factor * sample_fraction;
            const std::uint64_t n = draw_count(zr, expected);
            for (std::uint64_t k = 0; k < n; ++k) {
                Rng r(seed, RngPurpose::Freight, (static_cast<std::uint64_t>(c) << 32) | o, k + 1);
                const std::size_t d = r.weighted(w);
                push_trip(out, TripSegment::Freight, type, ZoneId::from_index(o),
                          ZoneId::from_index(d), -1, false, draw_depart(r, p.depart_hour_share));
            }
        }
    }
}

void generate_external(const Network& net, const ExternalParams& p, std::uint64_t seed,
                       double sample_fraction, VehicleTrips& out) {
    const std::size_t nz = net.zone_count();
    if (nz == 0 || p.gateways.empty()) return;
    const auto attraction =
        attraction_of(net, p.attraction_attrs, p.attraction_weights, "external", p.source_file);
    std::vector<std::uint8_t> types;
    for (const auto& t : p.vehicle_types) types.push_back(type_index(out, t));
    for (std::size_t g = 0; g < p.gateways.size(); ++g) {
        const Gateway& gw = p.gateways[g];
        const NodeId node = net.nearest_node(gw.at, Mode::Car);
        if (!node.valid() || haversine_m(net.node_latlon(node), gw.at) > p.snap_max_m)
            throw InputError(p.source_file, 0, fmt::format("gateways[{}] ({})", g, gw.name),
                             fmt::format("no car road node within {:.0f} m of {:.5f}, {:.5f}",
                                         p.snap_max_m, gw.at.lat, gw.at.lon));
        const auto gi = static_cast<std::int32_t>(out.gateway_nodes.size());
        out.gateway_nodes.push_back(node);
        const ZoneId gz = nearest_zone(net, gw.at);
        std::vector<double> w(nz);
        for (std::size_t z = 0; z < nz; ++z) {
            const Zone& zone = net.zone(ZoneId::from_index(z));
            w[z] = attraction[z] * std::exp(-p.distance_decay_per_km *
                                            haversine_m(gw.at, {zone.lat, zone.lon}) / 1000.0);
        }
        for (int dir = 0; dir < 2; ++dir) {
            const bool inbound = dir == 0;
            const double count = inbound ? gw.inbound_per_day : gw.outbound_per_day;
            Rng gr(seed, RngPurpose::External, (g << 1) | static_cast<std::uint64_t>(dir), 0xfffff);
            const std::uint64_t n = draw_count(gr, count * p.volume_factor * sample_fraction);
            for (std::uint64_t k = 0; k < n; ++k) {
                Rng r(seed, RngPurpose::External, (g << 1) | static_cast<std::uint64_t>(dir),
                      k + 1);
                const ZoneId z = ZoneId::from_index(r.weighted(w));
                const std::uint8_t type = types[r.weighted(p.vehicle_shares)];
                push_trip(out, TripSegment::External, type, inbound ? gz : z, inbound ? z : gz, gi,
                          inbound,
                          draw_depart(r, inbound ? p.inbound_hour_share : p.outbound_hour_share));
            }
        }
    }
}

}  // namespace modeshift
