#include "modeshift/validate/junctions.hpp"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "modeshift/core/error.hpp"
#include "modeshift/core/geo.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/validate/matching.hpp"

namespace modeshift {

namespace fs = std::filesystem;

const char* peak_period_name(PeakPeriod p) {
    switch (p) {
        case PeakPeriod::Am:
            return "am_peak";
        case PeakPeriod::Pm:
            return "pm_peak";
        case PeakPeriod::AmPm:
            return "am_pm_peak";
    }
    return "?";
}

namespace {

std::optional<PeakPeriod> parse_period(std::string_view s) {
    for (auto p : {PeakPeriod::Am, PeakPeriod::Pm, PeakPeriod::AmPm})
        if (s == peak_period_name(p)) return p;
    return std::nullopt;
}

/// A junction larger than this is not a junction: a radius in the wrong unit, most likely.
constexpr double kMaxRadiusM = 2000.0;

JunctionCount read_row(const CsvReader& c, std::set<std::string>& seen) {
    JunctionCount j;
    j.line = c.line();
    j.count_id = trim(c.get("count_id"));
    if (j.count_id.empty()) c.fail("count_id", "empty count id");
    if (!seen.insert(j.count_id).second)
        c.fail("count_id", fmt::format("duplicate count id '{}'", j.count_id));
    j.junction = trim(c.get("junction"));
    if (j.junction.empty()) c.fail("junction", "empty junction name");
    j.lat = c.get_double("lat");
    if (j.lat < -90 || j.lat > 90) c.fail("lat", "latitude outside [-90, 90]");
    j.lon = c.get_double("lon");
    if (j.lon < -180 || j.lon > 180) c.fail("lon", "longitude outside [-180, 180]");
    j.radius_m = c.get_double("radius_m");
    if (j.radius_m <= 0 || j.radius_m > kMaxRadiusM)
        c.fail("radius_m", fmt::format("{} m is outside (0, {:.0f}]", j.radius_m, kMaxRadiusM));
    j.observed_veh = c.get_double("observed_veh");
    if (j.observed_veh <= 0) c.fail("observed_veh", "must be > 0");
    const std::string period = trim(c.get("period"));
    auto p = parse_period(period);
    if (!p)
        c.fail("period",
               fmt::format("'{}' is not am_peak, pm_peak or am_pm_peak (the two summed)", period));
    j.period = *p;
    if (auto y = c.get_opt("year")) {
        auto v = parse_int(trim(*y));
        if (!v) c.fail("year", fmt::format("expected an integer, got '{}'", *y));
        j.year = v;
    }
    j.located_by = trim(c.get("located_by"));
    if (j.located_by.empty()) c.fail("located_by", "say where the coordinates come from");
    j.source = trim(c.get("source"));
    if (j.source.empty()) c.fail("source", "every count needs a source");
    j.note = c.get_opt("note").value_or("");
    return j;
}

/// The busiest hour of [first, last] by the summed vehicles of `links`; the earliest of equals.
std::pair<std::uint32_t, double> busiest_hour(const std::vector<std::vector<double>>& by_hour,
                                              std::array<std::uint32_t, 2> window) {
    std::pair<std::uint32_t, double> best{window[0], -1.0};
    for (std::uint32_t h = window[0]; h <= window[1]; ++h) {
        double v = 0;
        for (double x : by_hour[h]) v += x;
        if (v > best.second) best = {h, v};
    }
    return best;
}

}  // namespace

std::vector<JunctionCount> read_junction_counts(const fs::path& path) {
    CsvReader c(path);
    c.require_columns({"count_id", "junction", "lat", "lon", "radius_m", "observed_veh", "period",
                       "located_by", "source"});
    std::vector<JunctionCount> out;
    std::set<std::string> seen;
    while (c.next()) out.push_back(read_row(c, seen));
    return out;
}

std::vector<LinkId> links_entering(const Network& net, LatLon centre, double radius_m) {
    std::vector<LinkId> out;
    for (std::size_t i = 0; i < net.link_count(); ++i) {
        const LinkId l = LinkId::from_index(i);
        if (!is_road_link(net, l)) continue;
        const bool end_in = haversine_m(net.node_latlon(net.to(l)), centre) <= radius_m;
        const bool start_in = haversine_m(net.node_latlon(net.from(l)), centre) <= radius_m;
        if (end_in && !start_in) out.push_back(l);
    }
    return out;
}

JunctionResult evaluate_junction(const Network& net, std::span<const LinkHour> hourly,
                                 const JunctionCount& c) {
    JunctionResult r;
    r.count = c;
    r.links = links_entering(net, {c.lat, c.lon}, c.radius_m);
    if (r.links.empty()) {
        r.note = fmt::format("no road link enters the {:.0f} m circle around ({}, {})", c.radius_m,
                             c.lat, c.lon);
        return r;
    }
    // vehicles[hour][k]: the k-th entering link's vehicles in that hour (peak hours only).
    std::vector<std::vector<double>> by_hour(kPmPeakHours[1] + 1,
                                             std::vector<double>(r.links.size(), 0.0));
    std::vector<std::size_t> slot(net.link_count(), r.links.size());
    for (std::size_t k = 0; k < r.links.size(); ++k) slot[r.links[k].index()] = k;
    for (const auto& h : hourly)
        if (h.hour < by_hour.size() && h.link.index() < slot.size() &&
            slot[h.link.index()] < r.links.size())
            by_hour[h.hour][slot[h.link.index()]] += h.vehicles;
    double v = 0;
    if (c.period != PeakPeriod::Pm) {
        auto [hour, veh] = busiest_hour(by_hour, kAmPeakHours);
        r.am_hour = hour;
        v += veh;
    }
    if (c.period != PeakPeriod::Am) {
        auto [hour, veh] = busiest_hour(by_hour, kPmPeakHours);
        r.pm_hour = hour;
        v += veh;
    }
    r.simulated_veh = v;
    r.ratio = v / c.observed_veh;
    std::string hours;
    if (r.am_hour) hours = fmt::format("am {:02} h", *r.am_hour);
    if (r.pm_hour) hours += fmt::format("{}pm {:02} h", hours.empty() ? "" : ", ", *r.pm_hour);
    r.note = fmt::format("{} road links enter the {:.0f} m circle; busiest hour: {}",
                         r.links.size(), c.radius_m, hours);
    return r;
}

}  // namespace modeshift
