#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/core/rng.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift {

namespace {

double zone_attribute(const Zone& z, const std::string& name) {
    if (name == "population") return z.population;
    if (name == "households") return z.households;
    if (name == "area_km2") return z.area_km2;
    for (std::size_t i = 0; i < z.attr_names.size(); ++i)
        if (z.attr_names[i] == name) return z.attr_values[i];
    return 0.0;
}

}  // namespace

double zone_distance_km(const Zone& a, const Zone& b) {
    if (&a == &b) return std::max(0.3, 0.5 * std::sqrt(std::max(a.area_km2, 0.01)));
    return haversine_m({a.lat, a.lon}, {b.lat, b.lon}) / 1000.0;
}

std::vector<double> purpose_attraction(const Network& net, const PurposeParams& pp,
                                       const std::string& source_file) {
    const std::size_t nz = net.zone_count();
    std::vector<double> attraction(nz, 0.0);
    for (std::size_t a = 0; a < pp.attraction_attrs.size(); ++a) {
        double total = 0;
        for (std::size_t j = 0; j < nz; ++j) {
            const double v =
                zone_attribute(net.zone(ZoneId::from_index(j)), pp.attraction_attrs[a]);
            attraction[j] += pp.attraction_weights[a] * v;
            total += v;
        }
        if (total <= 0 && pp.attraction_weights[a] > 0)
            throw InputError(
                source_file, 0,
                fmt::format("purposes.{}.attraction.{}", pp.name, pp.attraction_attrs[a]),
                "no zone of the network has this attribute");
    }
    return attraction;
}

namespace {

/// Cumulative destination weights per (purpose, origin zone): attraction x exp(-decay x km).
struct DestinationModel {
    std::vector<std::vector<std::vector<double>>> weight;  // [purpose][origin][dest]

    DestinationModel(const Network& net, const DemandParams& p) {
        const std::size_t nz = net.zone_count();
        weight.resize(p.purposes.size());
        for (std::size_t k = 0; k < p.purposes.size(); ++k) {
            const auto& pp = p.purposes[k];
            const auto attraction = purpose_attraction(net, pp, p.source_file);
            weight[k].assign(nz, std::vector<double>(nz, 0.0));
            for (std::size_t i = 0; i < nz; ++i)
                for (std::size_t j = 0; j < nz; ++j) {
                    const double d = zone_distance_km(net.zone(ZoneId::from_index(i)),
                                                      net.zone(ZoneId::from_index(j)));
                    weight[k][i][j] = attraction[j] * std::exp(-pp.distance_decay_per_km * d);
                }
        }
    }
};

/// Does the straight line between two zone centroids pass through a study-area zone?
bool passes_through(const Network& net, const std::vector<ZoneId>& study, const Zone& a,
                    const Zone& b, double step_m) {
    const double len = haversine_m({a.lat, a.lon}, {b.lat, b.lon});
    const int steps = std::max(1, static_cast<int>(len / step_m));
    for (int s = 1; s < steps; ++s) {
        const double f = static_cast<double>(s) / steps;
        const LatLon p{a.lat + f * (b.lat - a.lat), a.lon + f * (b.lon - a.lon)};
        for (ZoneId z : study)
            if (zone_contains(net.zone(z), p)) return true;
    }
    return false;
}

TimeMs draw_time_in_hour(Rng& rng, std::size_t hour) {
    return static_cast<TimeMs>(hour) * kMsPerHour +
           static_cast<TimeMs>(rng.below(3600)) * kMsPerSecond;
}

}  // namespace

Demand generate_demand(const Network& net, const DemandParams& params, std::uint64_t seed,
                       double sample_fraction) {
    MS_ASSERT(sample_fraction > 0 && sample_fraction <= 1, "sample fraction must be in (0, 1]");
    const std::size_t nz = net.zone_count();
    if (nz == 0)
        throw InputError(net.name(), 0, "zones", "the network has no zones: demand needs zones");
    const DestinationModel dest_model(net, params);
    std::vector<ZoneId> study;
    for (std::size_t z = 0; z < nz; ++z)
        if (net.zone(ZoneId::from_index(z)).study_area) study.push_back(ZoneId::from_index(z));
    // Through-trip test per zone pair is pure geometry: cache it.
    std::vector<std::int8_t> through_cache(nz * nz, -1);

    std::vector<double> purpose_w;
    for (const auto& pp : params.purposes) purpose_w.push_back(pp.tour_share);

    Demand d;
    d.sample_fraction = sample_fraction;
    d.scope = params.scope;
    for (std::size_t zi = 0; zi < nz; ++zi) {
        const ZoneId home = ZoneId::from_index(zi);
        const Zone& hz = net.zone(home);
        d.represented_persons += hz.population;
        // Stochastic rounding of the zone's sampled population, from the zone's own stream.
        Rng zrng(seed, RngPurpose::Population, zi, 0xfffff);
        const double expected = hz.population * sample_fraction;
        const auto n = static_cast<std::uint64_t>(expected) +
                       (zrng.bernoulli(expected - std::floor(expected)) ? 1 : 0);
        for (std::uint64_t k = 0; k < n; ++k) {
            const std::uint64_t entity = (static_cast<std::uint64_t>(zi) << 32) | k;
            Rng rng(seed, RngPurpose::Population, entity);
            const double tours_f = params.tours_per_person;
            const int tours =
                static_cast<int>(tours_f) + (rng.bernoulli(tours_f - std::floor(tours_f)) ? 1 : 0);
            const bool car = rng.bernoulli(params.car_available_share);
            const bool bike = rng.bernoulli(params.bike_owner_share);
            const bool tashu = rng.bernoulli(params.tashu_member_share);
            const auto car_class_draw = static_cast<std::uint8_t>(rng.below(256));
            bool stored = false;
            AgentId pid;
            TimeMs free_from = 0;  // a person's tours do not overlap
            for (int t = 0; t < tours; ++t) {
                ++d.tours_generated;
                const std::size_t purpose = rng.weighted(purpose_w);
                const auto& pp = params.purposes[purpose];
                const std::size_t dz = rng.weighted(dest_model.weight[purpose][zi]);
                const Zone& dzone = net.zone(ZoneId::from_index(dz));
                TimeMs out = draw_time_in_hour(rng, rng.weighted(pp.depart_hour_share));
                const double dur_h =
                    std::max(0.25, pp.duration_mean_h + pp.duration_sd_h * rng.normal());
                out = std::max(out, free_from);
                // Return departure: outbound + a travel allowance + the activity duration.
                const double travel_h = zone_distance_km(hz, dzone) / 20.0 + 0.1;
                const TimeMs ret = out + static_cast<TimeMs>((travel_h + dur_h) * kMsPerHour);
                free_from = ret + static_cast<TimeMs>(travel_h * kMsPerHour);
                bool touches = study.empty() || hz.study_area || dzone.study_area;
                if (!touches) {
                    auto& c = through_cache[zi * nz + dz];
                    if (c < 0)
                        c = passes_through(net, study, hz, dzone, params.through_sample_step_m) ? 1
                                                                                                : 0;
                    touches = c == 1;
                }
                const bool keep = touches || params.scope == DemandScope::City;
                if (!keep || ret >= 28 * kMsPerHour) continue;
                if (touches) ++d.tours_touching_study_area;
                if (!stored) {
                    stored = true;
                    pid = AgentId::from_index(d.persons.size());
                    d.persons.home_zone.push_back(home);
                    d.persons.car_available.push_back(car ? 1 : 0);
                    d.persons.bike_owner.push_back(bike ? 1 : 0);
                    d.persons.tashu_member.push_back(tashu ? 1 : 0);
                    d.persons.fare_group.push_back(0);
                    d.persons.car_class.push_back(car_class_draw);
                }
                const ZoneId dest = ZoneId::from_index(dz);
                for (int leg = 0; leg < 2; ++leg) {
                    d.trips.person.push_back(pid);
                    d.trips.origin.push_back(leg == 0 ? home : dest);
                    d.trips.dest.push_back(leg == 0 ? dest : home);
                    d.trips.depart_ms.push_back(leg == 0 ? out : ret);
                    d.trips.purpose.push_back(static_cast<std::uint8_t>(purpose));
                    d.trips.touches_study_area.push_back(touches ? 1 : 0);
                }
            }
        }
    }
    return d;
}

}  // namespace modeshift
