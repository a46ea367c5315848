#include "synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "modeshift/core/rng.hpp"

namespace modeshift::viewer {
namespace {

constexpr float kSpacingM = 150.0f;

// Real Seo-gu dong names, used only as labels on the synthetic map.
constexpr std::array<const char*, 24> kDongs = {
    "복수동",  "도마1동", "도마2동", "정림동",   "변동",    "용문동",  "탄방동",  "둔산1동",
    "둔산2동", "둔산3동", "괴정동",  "가장동",   "내동",    "갈마1동", "갈마2동", "월평1동",
    "월평2동", "월평3동", "만년동",  "가수원동", "관저1동", "관저2동", "기성동",  "도안동"};

struct Grid {
    std::uint32_t cols, rows;
    std::vector<std::int64_t> link_of;  // (node, direction 0..3) -> link or -1
    std::uint32_t node(std::uint32_t c, std::uint32_t r) const { return r * cols + c; }
};

/// Time-of-day departure profile: morning and evening peaks over a base (made-up shape).
TimeMs draw_departure(Rng& rng, bool morning) {
    const double peak_h = morning ? 8.0 : 18.0;
    double h = rng.bernoulli(0.7)
                   ? peak_h + rng.normal() * 1.0
                   : (morning ? 6.0 + rng.uniform() * 6.0 : 12.0 + rng.uniform() * 10.0);
    h = std::clamp(h, 5.0, 23.5);
    return static_cast<TimeMs>(h * kMsPerHour);
}

}  // namespace

RunFile make_synthetic_run(const SyntheticSpec& spec) {
    RunFile run;
    run.scenario = spec.scenario;
    run.label = spec.label;
    run.network_name = "synthetic-grid";
    run.network_hash = 0x5e0011u + spec.grid_cols * 1000u + spec.grid_rows;
    run.seed = spec.seed;
    auto& g = run.geometry;
    g.ref_lat = 36.355;
    g.ref_lon = 127.384;
    Grid grid{spec.grid_cols, spec.grid_rows, {}};
    g.node_count = grid.cols * grid.rows;
    grid.link_of.assign(static_cast<std::size_t>(g.node_count) * 4, -1);
    const float x0 = -0.5f * kSpacingM * static_cast<float>(grid.cols - 1);
    const float y0 = -0.5f * kSpacingM * static_cast<float>(grid.rows - 1);
    auto nx = [&](std::uint32_t n) { return x0 + kSpacingM * static_cast<float>(n % grid.cols); };
    auto ny = [&](std::uint32_t n) { return y0 + kSpacingM * static_cast<float>(n / grid.cols); };
    g.link_first = {0};
    auto add_link = [&](std::uint32_t a, std::uint32_t b, RoadClass cls, ModeMask modes) {
        g.link_from.push_back(a);
        g.link_to.push_back(b);
        g.point_x_m.insert(g.point_x_m.end(), {nx(a), nx(b)});
        g.point_y_m.insert(g.point_y_m.end(), {ny(a), ny(b)});
        g.link_first.push_back(static_cast<std::uint32_t>(g.point_x_m.size()));
        g.link_length_m.push_back(kSpacingM);
        g.link_freeflow_speed_mps.push_back(cls == RoadClass::Primary ? 16.7f : 8.3f);
        g.link_class.push_back(cls);
        g.link_modes.push_back(modes);
        g.link_name.push_back(cls == RoadClass::Primary ? "대로" : "");
        return static_cast<std::uint32_t>(g.link_from.size() - 1);
    };
    // Directions: 0 east, 1 north, 2 west, 3 south.
    const int dc[4] = {1, 0, -1, 0}, dr[4] = {0, 1, 0, -1};
    for (std::uint32_t r = 0; r < grid.rows; ++r)
        for (std::uint32_t c = 0; c < grid.cols; ++c)
            for (int d = 0; d < 4; ++d) {
                const auto c2 = static_cast<std::int64_t>(c) + dc[d],
                           r2 = static_cast<std::int64_t>(r) + dr[d];
                if (c2 < 0 || r2 < 0 || c2 >= grid.cols || r2 >= grid.rows) continue;
                const bool major = (d % 2 == 0) ? (r % 6 == 0) : (c % 6 == 0);
                const auto l = add_link(
                    grid.node(c, r),
                    grid.node(static_cast<std::uint32_t>(c2), static_cast<std::uint32_t>(r2)),
                    major ? RoadClass::Primary : RoadClass::Residential, kRoadModes);
                grid.link_of[grid.node(c, r) * 4 + static_cast<std::uint32_t>(d)] = l;
            }
    const auto road_links = g.link_count();
    // Dongs: a 6 x 4 tiling of the grid.
    const float w = kSpacingM * static_cast<float>(grid.cols - 1),
                h = kSpacingM * static_cast<float>(grid.rows - 1);
    for (std::uint32_t i = 0; i < kDongs.size(); ++i) {
        const float zx = x0 + w * static_cast<float>(i % 6) / 6.0f,
                    zy = y0 + h * static_cast<float>(i / 6) / 4.0f;
        RunZone z;
        z.code = "30170" + std::to_string(51000 + i * 10);
        z.name = kDongs[i];
        z.study_area = true;
        z.label_x_m = zx + w / 12.0f;
        z.label_y_m = zy + h / 8.0f;
        z.ring_first = {0, 4};
        z.ring_x_m = {zx, zx + w / 6.0f, zx + w / 6.0f, zx};
        z.ring_y_m = {zy, zy, zy + h / 4.0f, zy + h / 4.0f};
        g.zones.push_back(std::move(z));
    }
    run.vehicle_types = {{"car_gasoline", Mode::Car},
                         {"bus_cng", Mode::Bus},
                         {"metro_emu", Mode::Metro},
                         {"tram_battery", Mode::Tram},
                         {"bike", Mode::Bike}};
    // Transit lines: a metro diagonal-ish (own track), a tram ring, buses on major roads.
    auto straight_route = [&](std::uint32_t c, std::uint32_t r, int d, std::uint32_t n) {
        std::vector<std::uint32_t> links;
        for (std::uint32_t k = 0; k < n; ++k) {
            const auto l = grid.link_of[grid.node(c, r) * 4 + static_cast<std::uint32_t>(d)];
            if (l < 0) break;
            links.push_back(static_cast<std::uint32_t>(l));
            const auto to = g.link_to[static_cast<std::size_t>(l)];
            c = to % grid.cols;
            r = to / grid.cols;
        }
        return links;
    };
    auto add_line = [&](std::string code, std::string name, Mode mode,
                        std::vector<std::uint32_t> links, float cap, std::uint32_t stop_every) {
        RunLine ln;
        ln.code = std::move(code);
        ln.name = std::move(name);
        ln.mode = mode;
        ln.vehicle_capacity = cap;
        ln.links = std::move(links);
        for (std::size_t k = 0; k <= ln.links.size(); k += stop_every) {
            const auto node =
                k < ln.links.size() ? g.link_from[ln.links[k]] : g.link_to[ln.links.back()];
            ln.stops.push_back(static_cast<std::uint32_t>(g.stops.size()));
            g.stops.push_back({ln.code + "-" + std::to_string(k),
                               ln.name + " " + std::to_string(k / stop_every + 1), nx(node),
                               ny(node), mode_bit(mode)});
        }
        g.lines.push_back(std::move(ln));
    };
    {
        // Metro: its own track links, offset 20 m north of a major east-west road.
        std::vector<std::uint32_t> track;
        const std::uint32_t r = (grid.rows / 12) * 6;
        for (std::uint32_t c = 0; c + 1 < grid.cols; ++c) {
            const auto a = grid.node(c, r), b = grid.node(c + 1, r);
            const auto l = add_link(a, b, RoadClass::Rail, mode_bit(Mode::Metro));
            g.point_y_m[g.link_first[l]] += 20.0f;
            g.point_y_m[g.link_first[l] + 1] += 20.0f;
            track.push_back(l);
        }
        add_line("M1", "1호선", Mode::Metro, track, 600, 8);
        std::vector<std::uint32_t> tram = straight_route(6, 6, 0, grid.cols - 13);
        auto up = straight_route(grid.cols - 7, 6, 1, grid.rows - 13);
        tram.insert(tram.end(), up.begin(), up.end());
        for (auto& l : tram) {  // tram track alongside the road
            const auto t =
                add_link(g.link_from[l], g.link_to[l], RoadClass::Tram, mode_bit(Mode::Tram));
            l = t;
        }
        add_line("T2", "2호선 트램", Mode::Tram, tram, 200, 4);
        for (std::uint32_t b = 0; b < spec.bus_lines; ++b) {
            const bool ew = b % 2 == 0;
            const std::uint32_t k = 6 * (1 + b / 2);
            auto route = ew ? straight_route(0, std::min(k, grid.rows - 1), 0, grid.cols - 1)
                            : straight_route(std::min(k, grid.cols - 1), 0, 1, grid.rows - 1);
            if (!route.empty())
                add_line("B" + std::to_string(101 + b), std::to_string(101 + b), Mode::Bus, route,
                         50, 3);
        }
    }
    for (std::uint32_t i = 0; i < 40; ++i) {
        const auto n = grid.node((i * 7) % grid.cols, (i * 11) % grid.rows);
        g.bike_stations.push_back({"TS" + std::to_string(i), "타슈 " + std::to_string(i + 1),
                                   nx(n) + 15, ny(n) + 15, mode_bit(Mode::Bike)});
    }

    // --- movements ---
    auto& m = run.movements;
    std::uint32_t next_vehicle = 0;
    auto begin_vehicle = [&](std::uint16_t type, std::uint32_t line_plus1) {
        m.vehicle_id.push_back(next_vehicle++);
        m.vehicle_type.push_back(type);
        m.vehicle_line.push_back(line_plus1);
    };
    auto push = [&](std::uint32_t link, TimeMs enter, TimeMs leave, std::uint16_t pass) {
        m.link.push_back(link);
        m.enter_ms.push_back(static_cast<std::uint32_t>(enter));
        m.leave_ms.push_back(static_cast<std::uint32_t>(leave));
        m.passengers.push_back(pass);
    };
    // Transit vehicles first (as the engine numbers them).
    for (std::size_t li = 0; li < g.lines.size(); ++li) {
        const auto& ln = g.lines[li];
        const TimeMs headway =
            ln.mode == Mode::Bus ? 8 * 60'000 : (ln.mode == Mode::Metro ? 6 * 60'000 : 10 * 60'000);
        const double speed = ln.mode == Mode::Metro ? 14.0 : (ln.mode == Mode::Tram ? 7.0 : 6.0);
        const auto type =
            static_cast<std::uint16_t>(ln.mode == Mode::Bus ? 1 : (ln.mode == Mode::Metro ? 2 : 3));
        std::uint32_t trip = 0;
        for (TimeMs dep = static_cast<TimeMs>(5.5 * kMsPerHour); dep < 23 * kMsPerHour;
             dep += headway, ++trip) {
            Rng rng(spec.seed, RngPurpose::Test, li, trip);
            begin_vehicle(type, static_cast<std::uint32_t>(li + 1));
            TimeMs t = dep;
            const double peak =
                std::exp(-std::pow((static_cast<double>(dep) / kMsPerHour - 8.0) / 1.5, 2)) +
                std::exp(-std::pow((static_cast<double>(dep) / kMsPerHour - 18.0) / 2.0, 2));
            for (std::size_t k = 0; k < ln.links.size(); ++k) {
                if (k > 0 && k % 3 == 0) t += 20'000;  // dwell
                const auto dur =
                    static_cast<TimeMs>(kSpacingM / speed * 1000.0 * (0.9 + 0.3 * rng.uniform()));
                const double load = ln.vehicle_capacity * (0.15 + 0.8 * peak) *
                                    (0.6 + 0.4 * std::sin(3.14159 * k / ln.links.size()));
                push(ln.links[k], t, t + dur, static_cast<std::uint16_t>(std::max(0.0, load)));
                t += dur;
            }
            m.vehicle_first.push_back(static_cast<std::uint32_t>(m.link.size()));
        }
    }
    // Cars and bikes: random walks without U-turns, straight-biased, two trips per vehicle.
    auto walk = [&](Rng& rng, std::uint32_t node, std::uint32_t nlinks, TimeMs t,
                    double speed_scale, std::uint16_t pass) {
        int dir = static_cast<int>(rng.below(4));
        for (std::uint32_t k = 0; k < nlinks; ++k) {
            int tries = 0;
            std::int64_t l = -1;
            while (tries++ < 8) {
                if (rng.bernoulli(0.3)) dir = (dir + (rng.bernoulli(0.5) ? 1 : 3)) % 4;
                l = grid.link_of[node * 4 + static_cast<std::uint32_t>(dir)];
                if (l >= 0) break;
                dir = (dir + 1) % 4;
            }
            if (l < 0) break;
            const auto lk = static_cast<std::uint32_t>(l);
            const double v =
                g.link_freeflow_speed_mps[lk] * speed_scale * (0.5 + 0.5 * rng.uniform());
            const auto dur = static_cast<TimeMs>(kSpacingM / v * 1000.0);
            push(lk, t, t + dur, pass);
            t += dur;
            node = g.link_to[lk];
        }
        return node;
    };
    const auto shifted = static_cast<std::uint32_t>(spec.car_shift * spec.car_trips);
    const std::uint32_t cars = (spec.car_trips - shifted) / 2;
    const std::uint32_t bikes = (spec.bike_trips + shifted / 2) / 2;
    const bool burst = spec.burst_to_ms > spec.burst_from_ms;
    auto depart = [&](Rng& rng, bool morning) {
        if (!burst) return draw_departure(rng, morning);
        return spec.burst_from_ms +
               static_cast<TimeMs>(rng.uniform() *
                                   static_cast<double>(spec.burst_to_ms - spec.burst_from_ms));
    };
    for (std::uint32_t i = 0; i < cars + bikes; ++i) {
        const bool is_car = i < cars;
        Rng rng(spec.seed, RngPurpose::Test, 1'000'000 + i);
        begin_vehicle(is_car ? 0 : 4, 0);
        const auto home = static_cast<std::uint32_t>(rng.below(g.node_count));
        const auto n = is_car ? spec.links_per_trip : spec.links_per_trip * 2 / 3;
        const double speed_scale = is_car ? 1.0 : 0.45;
        const auto pass = static_cast<std::uint16_t>(is_car ? (rng.bernoulli(0.2) ? 2 : 1) : 1);
        const auto work = walk(rng, home, n, depart(rng, true), speed_scale, pass);
        if (!burst) walk(rng, work, n, depart(rng, false), speed_scale, pass);
        m.vehicle_first.push_back(static_cast<std::uint32_t>(m.link.size()));
    }
    (void)road_links;
    run.start_ms = m.enter_ms.empty() ? 0 : *std::min_element(m.enter_ms.begin(), m.enter_ms.end());
    run.end_ms = m.leave_ms.empty() ? 0 : *std::max_element(m.leave_ms.begin(), m.leave_ms.end());

    // Counters: cumulative CO2 by mode from the synthetic movements with illustrative factors
    // (g per vehicle-km: car 170, bus 1000, metro 1500, tram 600, bike 0). Made-up test data.
    const std::array<double, kModeCount> g_per_km = {170, 1000, 1500, 600, 0, 0, 200};
    auto& c = run.counters;
    c.step_ms = 60'000;
    for (Mode md : kAllModes) c.names.push_back("co2_kg." + std::string(mode_name(md)));
    const std::size_t minutes = 26 * 60;
    std::vector<double> per_min(minutes * c.names.size(), 0.0);
    for (std::size_t v = 0; v < m.vehicle_count(); ++v) {
        const auto mode = run.vehicle_types[m.vehicle_type[v]].mode;
        for (auto i = m.vehicle_first[v]; i < m.vehicle_first[v + 1]; ++i) {
            const auto minute = std::min<std::size_t>(m.leave_ms[i] / 60'000, minutes - 1);
            per_min[minute * c.names.size() + mode_index(mode)] +=
                g_per_km[mode_index(mode)] * kSpacingM / 1e6;
        }
    }
    for (std::size_t r = 1; r < minutes; ++r)
        for (std::size_t k = 0; k < c.names.size(); ++k)
            per_min[r * c.names.size() + k] += per_min[(r - 1) * c.names.size() + k];
    c.values = std::move(per_min);
    const double bus_trips = 0.12 * spec.car_trips + shifted * 0.5;
    run.trips_by_mode = {static_cast<double>(cars * 2u),  bus_trips,
                         0.05 * spec.car_trips,           0.0,
                         static_cast<double>(bikes * 2u), 0.2 * spec.car_trips};
    return run;
}

}  // namespace modeshift::viewer
