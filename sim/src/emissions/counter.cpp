#include "modeshift/emissions/counter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift {

// ---------------------------------------------------------------- zones

namespace {

struct Box {
    double lat0 = 1e9, lat1 = -1e9, lon0 = 1e9, lon1 = -1e9;
    bool contains(double lat, double lon) const {
        return lat >= lat0 && lat <= lat1 && lon >= lon0 && lon <= lon1;
    }
};

/// Point half-way along the link's polyline.
LatLon link_midpoint(const Network& net, LinkId l) {
    auto g = net.link_geometry(l);
    if (g.size() < 2) return g.empty() ? LatLon{} : g.front();
    std::vector<double> seg(g.size() - 1);
    double total = 0;
    for (std::size_t i = 0; i + 1 < g.size(); ++i) total += seg[i] = haversine_m(g[i], g[i + 1]);
    double want = total / 2;
    for (std::size_t i = 0; i < seg.size(); ++i) {
        if (want <= seg[i] && seg[i] > 0) {
            double f = want / seg[i];
            return {g[i].lat + f * (g[i + 1].lat - g[i].lat),
                    g[i].lon + f * (g[i + 1].lon - g[i].lon)};
        }
        want -= seg[i];
    }
    return g.back();
}

}  // namespace

std::vector<ZoneId> assign_links_to_zones(const Network& net) {
    const auto& zones = net.data().zones;
    std::vector<ZoneId> out(net.link_count());
    if (zones.empty()) return out;
    std::vector<Box> boxes(zones.size());
    for (std::size_t z = 0; z < zones.size(); ++z)
        for (std::size_t i = 0; i < zones[z].ring_lat.size(); ++i) {
            auto& b = boxes[z];
            b.lat0 = std::min(b.lat0, zones[z].ring_lat[i]);
            b.lat1 = std::max(b.lat1, zones[z].ring_lat[i]);
            b.lon0 = std::min(b.lon0, zones[z].ring_lon[i]);
            b.lon1 = std::max(b.lon1, zones[z].ring_lon[i]);
        }
    for (auto l : id_range<LinkId>(net.link_count())) {
        LatLon m = link_midpoint(net, l);
        ZoneId found;
        // Lowest zone index wins on overlapping boundaries: deterministic.
        for (std::size_t z = 0; z < zones.size() && !found.valid(); ++z)
            if (boxes[z].contains(m.lat, m.lon) && zone_contains(zones[z], m))
                found = ZoneId::from_index(z);
        if (!found.valid()) {
            double best = std::numeric_limits<double>::infinity();
            for (std::size_t z = 0; z < zones.size(); ++z) {
                double d = haversine_m(m, {zones[z].lat, zones[z].lon});
                if (d < best) {
                    best = d;
                    found = ZoneId::from_index(z);
                }
            }
        }
        out[l.index()] = found;
    }
    return out;
}

// ---------------------------------------------------------------- results helpers

namespace {
template <class F>
double sum_modes(const std::array<ModeEmissions, kModeCount>& modes, F f) {
    double s = 0;
    for (const auto& m : modes) s += f(m);
    return s;
}

/// Sizes and zeroes the per-link, per-zone and per-hour tallies that each partition and the merged
/// results both keep.
template <class Tallies>
void zero_tallies(Tallies& t, std::size_t links, std::size_t zones) {
    for (auto* v : {&t.link_co2_g, &t.link_vehicles, &t.link_vkt_km, &t.link_time_h})
        v->assign(links, 0.0);
    for (auto* v : {&t.zone_trips_from, &t.zone_trips_to}) v->assign(zones, 0.0);
    for (auto* v : {&t.hour_co2_g, &t.hour_vkt_km}) v->assign(24, {});
}
}  // namespace

double EmissionResults::co2_tailpipe_g() const {
    return sum_modes(modes, [](const ModeEmissions& m) { return m.co2_tailpipe_g; });
}
double EmissionResults::co2_grid_g() const {
    return sum_modes(modes, [](const ModeEmissions& m) { return m.co2_grid_g; });
}
double EmissionResults::co2_hydrogen_g() const {
    return sum_modes(modes, [](const ModeEmissions& m) { return m.co2_hydrogen_g; });
}
double EmissionResults::trips() const {
    return sum_modes(modes, [](const ModeEmissions& m) { return m.trips; });
}
double EmissionResults::study_trips() const {
    return sum_modes(study_modes, [](const ModeEmissions& m) { return m.trips; });
}
double EmissionResults::study_co2_g() const {
    return sum_modes(study_modes, [](const ModeEmissions& m) { return m.co2_g(); });
}

std::vector<std::string> EmissionResults::minute_series_names() const {
    std::vector<std::string> n;
    for (Mode m : kAllModes) n.push_back("co2_kg_" + std::string(mode_name(m)));
    n.push_back("co2_kg_total");
    return n;
}

std::vector<double> EmissionResults::minute_series_values() const {
    std::vector<double> v;
    v.reserve(minute_cum_co2_g.size() * (kModeCount + 1));
    for (const auto& row : minute_cum_co2_g) {
        double total = 0;
        for (double g : row) {
            v.push_back(g / 1000.0);
            total += g;
        }
        v.push_back(total / 1000.0);
    }
    return v;
}

std::vector<float> EmissionResults::link_hour_values(std::string_view what) const {
    std::size_t links = link_co2_g.size();
    std::vector<float> v(static_cast<std::size_t>(hours) * links, 0.0f);
    for (const auto& c : link_hours) {
        double x = 0;
        if (what == "co2_g")
            x = c.co2_g;
        else if (what == "vehicles")
            x = c.vehicles;
        else if (what == "speed_kmh")
            x = c.mean_speed_kmh();
        else
            throw std::invalid_argument("unknown link-hour quantity '" + std::string(what) + "'");
        v[static_cast<std::size_t>(c.hour) * links + c.link.index()] = static_cast<float>(x);
    }
    return v;
}

// ---------------------------------------------------------------- the counter

EmissionCounter::EmissionCounter(const EmissionFactorTable& table) : table_(table) {}

void EmissionCounter::set_trip_zones(std::vector<ZoneId> origin, std::vector<ZoneId> destination) {
    MS_ASSERT(origin.size() == destination.size(),
              "origin and destination zone lists differ in size");
    trip_origin_ = std::move(origin);
    trip_dest_ = std::move(destination);
}

void EmissionCounter::set_trip_study_area(std::vector<std::uint8_t> flag) {
    trip_study_ = std::move(flag);
}

void EmissionCounter::set_trip_segments(std::vector<TripSegment> segment) {
    trip_segment_ = std::move(segment);
}

void EmissionCounter::begin(const RunInfo& info) {
    MS_ASSERT(info.network != nullptr, "EmissionCounter needs RunInfo::network");
    MS_ASSERT(info.vehicle_types != nullptr, "EmissionCounter needs RunInfo::vehicle_types");
    MS_ASSERT(info.sample_fraction > 0 && info.sample_fraction <= 1,
              "sample_fraction must be in (0, 1]");
    MS_ASSERT(info.partitions >= 1, "at least one partition");
    if (net_ !=
        info.network) {  // zones and road forms depend only on the network: reuse over iterations
        net_ = info.network;
        link_zone_ = assign_links_to_zones(*net_);
        link_road_.assign(net_->link_count(), RoadForm::Urban);
        for (std::size_t l = 0; l < net_->link_count(); ++l)
            if (net_->data().links.road_class[l] == RoadClass::Motorway)
                link_road_[l] = RoadForm::Highway;
        link_in_study_.assign(net_->link_count(), 0);
        for (std::size_t l = 0; l < net_->link_count(); ++l)
            if (link_zone_[l].valid() && net_->zone(link_zone_[l]).study_area)
                link_in_study_[l] = 1;
    }
    types_.clear();
    results_ = EmissionResults{};
    results_.has_study_area = false;
    for (std::size_t z = 0; z < net_->zone_count(); ++z)
        if (net_->zone(ZoneId::from_index(z)).study_area) results_.has_study_area = true;
    for (const auto& vt : *info.vehicle_types) {
        const EmissionClass* c = table_.find(vt.emission_class);
        if (!c)
            throw InputError("vehicle types", 0, vt.name,
                             "emission class '" + vt.emission_class +
                                 "' has no emission factors (add it to " +
                                 EmissionFactorTable::kClassFile + ")");
        types_.push_back({c, vt.mode});
        if (c->nox_g_per_km) results_.nox_available = true;
        if (c->pm_g_per_km) results_.pm_available = true;
    }
    vehicle_is_transit_.assign(info.vehicle_line.size(), 0);
    for (std::size_t v = 0; v < info.vehicle_line.size(); ++v)
        vehicle_is_transit_[v] = info.vehicle_line[v].valid() ? 1 : 0;
    scale_ = 1.0 / info.sample_fraction;

    parts_.assign(info.partitions, Partition{});
    std::size_t links = net_->link_count(), zones = net_->zone_count();
    for (auto& p : parts_) zero_tallies(p, links, zones);
    results_.sample_fraction = info.sample_fraction;
    results_.factors_hash = table_.content_hash();
    results_.factor_sources = table_.provenance();
}

EmissionCounter::Partition& EmissionCounter::part(std::uint32_t p) {
    MS_ASSERT(p < parts_.size(), "partition out of range (begin() not called?)");
    return parts_[p];
}

void EmissionCounter::on_traversals(std::uint32_t partition, std::span<const Traversal> batch) {
    Partition& p = part(partition);
    for (const Traversal& t : batch) add_traversal(p, t);
}

void EmissionCounter::add_traversal(Partition& p, const Traversal& t) {
    MS_ASSERT(t.vehicle_type < types_.size(), "traversal with an unknown vehicle type");
    MS_ASSERT(t.link.index() < p.link_co2_g.size(), "traversal on an unknown link");
    MS_ASSERT(t.leave_ms >= t.enter_ms, "traversal leaves before it enters");
    const TypeInfo& ty = types_[t.vehicle_type];
    bool transit =
        t.vehicle.index() < vehicle_is_transit_.size() && vehicle_is_transit_[t.vehicle.index()];
    double w = transit ? 1.0 : scale_;  // full-population vehicles represented by this traversal
    double len_km = net_->length_m(t.link) / 1000.0;
    double dur_h = static_cast<double>(t.leave_ms - t.enter_ms) / static_cast<double>(kMsPerHour);
    // A zero-duration traversal (zero-length connector) has no defined speed: use the function's
    // upper clamp via a very high speed; its distance is ~0 anyway.
    double speed_kmh = dur_h > 0 ? len_km / dur_h : 1e6;
    EmissionRate r = table_.rate(*ty.cls, speed_kmh, link_road_[t.link.index()]);

    double vkt = w * len_km;
    double co2 = vkt * r.co2_total();
    // Walkers and cyclists are not vehicles: their distance is person-km from the trip outcomes.
    bool human = ty.mode == Mode::Walk || ty.mode == Mode::Bike;
    std::size_t l = t.link.index();
    auto add = [&](ModeEmissions& m) {
        m.co2_tailpipe_g += vkt * r.co2_tailpipe;
        m.co2_grid_g += vkt * r.co2_grid;
        m.co2_hydrogen_g += vkt * r.co2_hydrogen;
        m.co2e_g += vkt * r.co2e;
        m.nox_g += vkt * r.nox;
        m.pm_g += vkt * r.pm;
        m.traversals += w;
        if (!human) {
            m.vkt_km += vkt;
            m.pkt_km += scale_ * t.passengers * len_km;
        }
    };
    add(p.modes[mode_index(ty.mode)]);
    if (link_in_study_[l]) add(p.study_modes[mode_index(ty.mode)]);

    if (human) return;  // link volumes and speeds are of vehicles

    p.link_co2_g[l] += co2;
    p.link_vehicles[l] += w;
    p.link_vkt_km[l] += vkt;
    p.link_time_h[l] += w * dur_h;

    // Attribute to the traversal's midpoint in time.
    TimeMs mid = t.enter_ms + (t.leave_ms - t.enter_ms) / 2;
    if (mid < 0) mid = 0;
    auto hour = static_cast<std::uint32_t>(mid / kMsPerHour);
    if (hour >= p.hour_co2_g.size()) {
        p.hour_co2_g.resize(hour + 1, {});
        p.hour_vkt_km.resize(hour + 1, {});
    }
    p.hour_co2_g[hour][mode_index(ty.mode)] += co2;
    p.hour_vkt_km[hour][mode_index(ty.mode)] += vkt;
    auto minute = static_cast<std::size_t>(mid / (60 * kMsPerSecond));
    if (minute >= p.minute_co2_g.size()) p.minute_co2_g.resize(minute + 1, {});
    p.minute_co2_g[minute][mode_index(ty.mode)] += co2;

    std::uint64_t key = (static_cast<std::uint64_t>(t.link.value()) << 32) | hour;
    auto [it, inserted] = p.cell_index.try_emplace(key, static_cast<std::uint32_t>(p.cells.size()));
    if (inserted) p.cells.push_back(LinkHourCell{t.link, hour});
    LinkHourCell& c = p.cells[it->second];
    c.vehicles += w;
    c.vkt_km += vkt;
    c.time_h += w * dur_h;
    c.co2_g += co2;
}

void EmissionCounter::on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) {
    Partition& p = part(partition);
    for (const TripOutcome& t : batch) {
        const std::size_t id = t.trip.index();
        const TripSegment seg =
            id < trip_segment_.size() ? trip_segment_[id] : TripSegment::Resident;
        if (seg != TripSegment::Resident) {
            // A vehicle trip: its emissions are in the traversals; it is no person's trip.
            p.segment_trips[static_cast<std::size_t>(seg)] += scale_;
            continue;
        }
        const double km = scale_ * t.distance_m / 1000.0;
        auto add = [&](ModeEmissions& m) {
            m.trips += scale_;
            if (t.stuck) m.trips_stuck += scale_;
            m.trip_distance_km += km;
            if (t.mode == Mode::Walk || t.mode == Mode::Bike) m.pkt_km += km;
            m.travel_time_min += scale_ * static_cast<double>(t.arrive_ms - t.depart_ms) / 60000.0;
        };
        add(p.modes[mode_index(t.mode)]);
        if (id < trip_study_.size() && trip_study_[id]) add(p.study_modes[mode_index(t.mode)]);
        if (t.trip.index() < trip_origin_.size()) {
            ZoneId o = trip_origin_[t.trip.index()], d = trip_dest_[t.trip.index()];
            if (o.index() < p.zone_trips_from.size()) p.zone_trips_from[o.index()] += scale_;
            if (d.index() < p.zone_trips_to.size()) p.zone_trips_to[d.index()] += scale_;
        }
    }
}

namespace {

void add_modes(ModeEmissions& a, const ModeEmissions& b) {
    a.co2_tailpipe_g += b.co2_tailpipe_g;
    a.co2_grid_g += b.co2_grid_g;
    a.co2_hydrogen_g += b.co2_hydrogen_g;
    a.co2e_g += b.co2e_g;
    a.nox_g += b.nox_g;
    a.pm_g += b.pm_g;
    a.vkt_km += b.vkt_km;
    a.pkt_km += b.pkt_km;
    a.traversals += b.traversals;
    a.trips += b.trips;
    a.trips_stuck += b.trips_stuck;
    a.trip_distance_km += b.trip_distance_km;
    a.travel_time_min += b.travel_time_min;
}

void add_into(std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
}

void add_rows(std::vector<std::array<double, kModeCount>>& a,
              const std::vector<std::array<double, kModeCount>>& b) {
    if (a.size() < b.size()) a.resize(b.size(), {});
    for (std::size_t i = 0; i < b.size(); ++i)
        for (std::size_t m = 0; m < kModeCount; ++m) a[i][m] += b[i][m];
}

}  // namespace

void EmissionCounter::end() {
    EmissionResults& r = results_;
    std::size_t links = net_ ? net_->link_count() : 0, zones = net_ ? net_->zone_count() : 0;
    zero_tallies(r, links, zones);
    r.link_zone = link_zone_;
    r.zone_co2_g.assign(zones, 0.0);
    r.zone_vkt_km.assign(zones, 0.0);
    std::vector<std::array<double, kModeCount>> minute;
    std::vector<LinkHourCell> cells;
    // Partition order, then each partition's own (time-ordered) accumulation: independent of
    // threads.
    for (const Partition& p : parts_) {
        for (std::size_t m = 0; m < kModeCount; ++m) add_modes(r.modes[m], p.modes[m]);
        for (std::size_t m = 0; m < kModeCount; ++m) add_modes(r.study_modes[m], p.study_modes[m]);
        for (std::size_t g = 0; g < kTripSegmentCount; ++g)
            r.segment_trips[g] += p.segment_trips[g];
        add_into(r.link_co2_g, p.link_co2_g);
        add_into(r.link_vehicles, p.link_vehicles);
        add_into(r.link_vkt_km, p.link_vkt_km);
        add_into(r.link_time_h, p.link_time_h);
        add_into(r.zone_trips_from, p.zone_trips_from);
        add_into(r.zone_trips_to, p.zone_trips_to);
        add_rows(r.hour_co2_g, p.hour_co2_g);
        add_rows(r.hour_vkt_km, p.hour_vkt_km);
        add_rows(minute, p.minute_co2_g);
        cells.insert(cells.end(), p.cells.begin(), p.cells.end());
    }
    r.hours = static_cast<std::uint32_t>(r.hour_co2_g.size());
    for (std::size_t l = 0; l < links; ++l) {
        ZoneId z = link_zone_.empty() ? ZoneId{} : link_zone_[l];
        if (!z.valid()) continue;
        r.zone_co2_g[z.index()] += r.link_co2_g[l];
        r.zone_vkt_km[z.index()] += r.link_vkt_km[l];
    }
    // stable_sort keeps partition order inside equal keys, so the sums below are deterministic.
    std::stable_sort(cells.begin(), cells.end(), [](const LinkHourCell& a, const LinkHourCell& b) {
        return a.link != b.link ? a.link < b.link : a.hour < b.hour;
    });
    r.link_hours.clear();
    for (const auto& c : cells) {
        if (!r.link_hours.empty() && r.link_hours.back().link == c.link &&
            r.link_hours.back().hour == c.hour) {
            auto& o = r.link_hours.back();
            o.vehicles += c.vehicles;
            o.vkt_km += c.vkt_km;
            o.time_h += c.time_h;
            o.co2_g += c.co2_g;
        } else {
            r.link_hours.push_back(c);
        }
    }
    // Cumulative per-minute series over the whole day (at least 24 h).
    std::size_t minutes =
        std::max<std::size_t>(minute.size(), static_cast<std::size_t>(r.hours) * 60);
    r.minute_cum_co2_g.assign(minutes, {});
    std::array<double, kModeCount> run{};
    for (std::size_t i = 0; i < minutes; ++i) {
        if (i < minute.size())
            for (std::size_t m = 0; m < kModeCount; ++m) run[m] += minute[i][m];
        r.minute_cum_co2_g[i] = run;
    }
    parts_.clear();
}

}  // namespace modeshift
