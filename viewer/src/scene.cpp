#include "scene.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "modeshift/core/error.hpp"

namespace modeshift::viewer {
namespace {

sf::Color lerp(sf::Color a, sf::Color b, float u) {
    u = std::clamp(u, 0.0f, 1.0f);
    auto c = [&](sf::Uint8 x, sf::Uint8 y) { return static_cast<sf::Uint8>(x + (y - x) * u); };
    return {c(a.r, b.r), c(a.g, b.g), c(a.b, b.b), c(a.a, b.a)};
}

/// Sequential ramp for volumes and CO2: dark blue -> yellow -> red.
sf::Color ramp(float u) {
    if (u < 0.5f) return lerp({40, 70, 140}, {250, 210, 60}, u * 2);
    return lerp({250, 210, 60}, {230, 40, 40}, (u - 0.5f) * 2);
}

sf::Color plain_road(RoadClass c) {
    switch (c) {
        case RoadClass::Motorway:
        case RoadClass::Trunk:
        case RoadClass::Primary:
            return {120, 126, 140};
        case RoadClass::Secondary:
        case RoadClass::Tertiary:
            return {95, 100, 112};
        case RoadClass::Rail:
        case RoadClass::Tram:
            return {0, 0, 0, 0};  // drawn by the line layer
        default:
            return {68, 72, 82};
    }
}

float road_width_px(RoadClass c) {
    switch (c) {
        case RoadClass::Motorway:
        case RoadClass::Trunk:
        case RoadClass::Primary:
            return 2.6f;
        case RoadClass::Secondary:
        case RoadClass::Tertiary:
            return 1.8f;
        default:
            return 1.1f;
    }
}

/// Two triangles for a thick segment a-b of width w (same units as the points).
void thick_segment(std::vector<sf::Vertex>& out, sf::Vector2f a, sf::Vector2f b, float w,
                   sf::Color col) {
    sf::Vector2f d = b - a;
    const float len = std::hypot(d.x, d.y);
    if (len <= 0) return;
    const sf::Vector2f n(-d.y / len * w * 0.5f, d.x / len * w * 0.5f);
    const sf::Vertex v0(a + n, col), v1(b + n, col), v2(b - n, col), v3(a - n, col);
    out.insert(out.end(), {v0, v1, v2, v0, v2, v3});
}

void square(std::vector<sf::Vertex>& out, sf::Vector2f c, float half, sf::Color col) {
    out.insert(out.end(), {sf::Vertex(c + sf::Vector2f(-half, -half), col),
                           sf::Vertex(c + sf::Vector2f(half, -half), col),
                           sf::Vertex(c + sf::Vector2f(half, half), col),
                           sf::Vertex(c + sf::Vector2f(-half, half), col)});
}

float p99(const std::vector<float>& v) {
    std::vector<float> nz;
    for (float x : v)
        if (x > 0) nz.push_back(x);
    if (nz.empty()) return 1.0f;
    const auto k = static_cast<std::size_t>(0.99 * static_cast<double>(nz.size() - 1));
    std::nth_element(nz.begin(), nz.begin() + static_cast<std::ptrdiff_t>(k), nz.end());
    return std::max(nz[k], 1e-6f);
}

}  // namespace

const char* colouring_name(LinkColouring c) {
    constexpr const char* kNames[] = {"도로 roads", "교통량 volume", "속도 speed", "CO2"};
    const auto i = static_cast<std::size_t>(c);
    return i < std::size(kNames) ? kNames[i] : kNames[0];
}

sf::Color mode_colour(Mode m) {
    // In Mode order: car, bus, metro, tram, bike, walk, taxi, truck.
    static const sf::Color kColours[] = {{255, 90, 60}, {40, 140, 255}, {190, 80, 255},
                                         {0, 210, 170}, {140, 230, 40}, {230, 230, 230},
                                         {255, 196, 0}, {170, 120, 70}};
    static_assert(std::size(kColours) == kModeCount);
    const auto i = mode_index(m);
    return i < std::size(kColours) ? kColours[i] : sf::Color::White;
}

std::string format_tonnes(double t) {
    const auto raw = fmt::format("{:.1f}", std::abs(t));
    const auto dot = raw.find('.');
    std::string out = t < 0 ? "-" : "";
    for (std::size_t i = 0; i < dot; ++i) {
        if (i > 0 && (dot - i) % 3 == 0) out.push_back(',');
        out.push_back(raw[i]);
    }
    out.append(raw, dot, std::string::npos);
    return out;
}

RunScene::RunScene(RunFile run) : run_(std::move(run)) {
    // The replay index and the per-link tables only read the run: build them side by side.
    std::thread tables([this] { derived_ = derived_link_tables(run_); });
    replay_ = std::make_unique<Replay>(run_);
    tables.join();
    for (std::size_t i = 0; i < run_.link_tables.size(); ++i)
        if (run_.link_tables[i].name == "co2_g") co2_table_ = static_cast<int>(i);
    table_scale_[0] = p99(derived_[0].values);
    if (co2_table_ >= 0)
        table_scale_[2] = p99(run_.link_tables[static_cast<std::size_t>(co2_table_)].values);
    const auto& g = run_.geometry;
    if (!g.point_x_m.empty()) {
        auto [mnx, mxx] = std::minmax_element(g.point_x_m.begin(), g.point_x_m.end());
        auto [mny, mxy] = std::minmax_element(g.point_y_m.begin(), g.point_y_m.end());
        min_x_ = *mnx, max_x_ = *mxx, min_y_ = *mny, max_y_ = *mxy;
    }
    // Frame the study area (Seo-gu's dongs) when the run marks one: suburban tails of bus
    // lines would otherwise shrink the district to a third of the screen.
    bool any = false;
    float sx0 = 0, sx1 = 0, sy0 = 0, sy1 = 0;
    for (const auto& z : g.zones) {
        if (!z.study_area) continue;
        for (std::size_t i = 0; i < z.ring_x_m.size(); ++i) {
            const float x = z.ring_x_m[i], y = z.ring_y_m[i];
            if (!any) sx0 = sx1 = x, sy0 = sy1 = y, any = true;
            sx0 = std::min(sx0, x), sx1 = std::max(sx1, x), sy0 = std::min(sy0, y),
            sy1 = std::max(sy1, y);
        }
    }
    if (any) min_x_ = sx0, max_x_ = sx1, min_y_ = sy0, max_y_ = sy1;
    // Zone outlines (line pairs), screen y = -north.
    for (const auto& z : g.zones)
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r) {
            const auto b = z.ring_first[r], e = z.ring_first[r + 1];
            for (auto p = b; p < e; ++p) {
                const auto q = p + 1 < e ? p + 1 : b;
                const sf::Color col(150, 150, 185, z.study_area ? 170 : 80);
                zone_lines_.emplace_back(sf::Vector2f(z.ring_x_m[p], -z.ring_y_m[p]), col);
                zone_lines_.emplace_back(sf::Vector2f(z.ring_x_m[q], -z.ring_y_m[q]), col);
            }
        }
}

void RunScene::draw_static_map(sf::RenderTarget& target, const Camera& cam, const Layers& layers) {
    if (layers.zones && !zone_lines_.empty())
        target.draw(zone_lines_.data(), zone_lines_.size(), sf::Lines);
    if (layers.roads && !road_tris_.empty())
        target.draw(road_tris_.data(), road_tris_.size(), sf::Triangles);
    if (layers.transit_lines && !line_tris_.empty())
        target.draw(line_tris_.data(), line_tris_.size(), sf::Triangles);
    if (layers.stops && !point_quads_.empty())
        target.draw(point_quads_.data(), point_quads_.size(), sf::Quads);
    if (layers.bike_stations) {
        std::vector<sf::Vertex> q;
        for (const auto& b : run_.geometry.bike_stations)
            square(q, {b.x_m, -b.y_m}, 2.5f * cam.m_per_px, sf::Color(200, 255, 150));
        if (!q.empty()) target.draw(q.data(), q.size(), sf::Quads);
    }
}

Camera RunScene::fit(float w_px, float h_px) const {
    Camera c;
    c.cx_m = 0.5f * (min_x_ + max_x_);
    c.cy_m = 0.5f * (min_y_ + max_y_);
    const float w = std::max(max_x_ - min_x_, 100.0f), h = std::max(max_y_ - min_y_, 100.0f);
    c.m_per_px = std::max(w / std::max(w_px, 1.0f), h / std::max(h_px, 1.0f)) * 1.05f;
    return c;
}

void RunScene::rebuild_roads(float m_per_px) {
    const auto& g = run_.geometry;
    road_tris_.clear();
    road_tri_link_.assign(g.link_count() + 1, 0);
    for (std::size_t l = 0; l < g.link_count(); ++l) {
        road_tri_link_[l] = static_cast<std::uint32_t>(road_tris_.size());
        const auto cls = g.link_class[l];
        if (cls == RoadClass::Rail || cls == RoadClass::Tram) continue;
        const float w = road_width_px(cls) * m_per_px;
        for (auto p = g.link_first[l] + 1; p < g.link_first[l + 1]; ++p)
            thick_segment(road_tris_, {g.point_x_m[p - 1], -g.point_y_m[p - 1]},
                          {g.point_x_m[p], -g.point_y_m[p]}, w, plain_road(cls));
    }
    road_tri_link_[g.link_count()] = static_cast<std::uint32_t>(road_tris_.size());
    // Transit lines: thick, mode-coloured, drawn over the roads; inactive lines dashed-faint.
    line_tris_.clear();
    for (const auto& ln : g.lines) {
        const float w = (ln.mode == Mode::Metro  ? 5.0f
                         : ln.mode == Mode::Tram ? 4.0f
                                                 : 1.6f) *
                        m_per_px;
        auto col = mode_colour(ln.mode);
        col.a = ln.mode == Mode::Bus ? 110 : (ln.active ? 230 : 90);
        for (auto l : ln.links)
            for (auto p = g.link_first[l] + 1; p < g.link_first[l + 1]; ++p)
                thick_segment(line_tris_, {g.point_x_m[p - 1], -g.point_y_m[p - 1]},
                              {g.point_x_m[p], -g.point_y_m[p]}, w, col);
    }
    point_quads_.clear();
    for (const auto& s : g.stops) {
        const bool rail = (s.modes & (mode_bit(Mode::Metro) | mode_bit(Mode::Tram))) != 0;
        square(point_quads_, {s.x_m, -s.y_m}, (rail ? 4.5f : 1.8f) * m_per_px,
               rail ? sf::Color(255, 255, 255) : sf::Color(170, 200, 255, 200));
    }
    built_m_per_px_ = m_per_px;
    coloured_hour_ = -1;
}

void RunScene::recolour_roads(LinkColouring c, int hour) {
    const auto& g = run_.geometry;
    const auto nl = g.link_count();
    for (std::size_t l = 0; l < nl; ++l) {
        sf::Color col = plain_road(g.link_class[l]);
        const auto h = static_cast<std::size_t>(std::max(hour, 0));
        if (c == LinkColouring::Volume && h < derived_[0].hours) {
            const float v = derived_[0].values[h * nl + l];
            if (v > 0) col = ramp(std::sqrt(v / table_scale_[0]));
        } else if (c == LinkColouring::Speed && h < derived_[1].hours) {
            const float kmh = derived_[1].values[h * nl + l];
            const float ff = g.link_freeflow_speed_mps[l] * 3.6f;
            if (kmh > 0 && ff > 0) {
                const float r = kmh / ff;  // share of free-flow speed
                col = r < 0.5f ? lerp({230, 40, 40}, {250, 210, 60}, r / 0.5f)
                               : lerp({250, 210, 60}, {60, 200, 90}, (r - 0.5f) / 0.4f);
            }
        } else if (c == LinkColouring::Co2 && co2_table_ >= 0) {
            const auto& t = run_.link_tables[static_cast<std::size_t>(co2_table_)];
            if (h < t.hours) {
                const float v = t.values[h * nl + l];
                if (v > 0) col = ramp(std::sqrt(v / table_scale_[2]));
            }
        }
        if (col.a == 0) continue;
        for (auto k = road_tri_link_[l]; k < road_tri_link_[l + 1]; ++k) road_tris_[k].color = col;
    }
    coloured_as_ = c;
    coloured_hour_ = hour;
}

CounterSnapshot RunScene::counters_at(TimeMs t) const {
    CounterSnapshot s;
    const auto& c = run_.counters;
    for (Mode m : kAllModes) {
        const int col = c.column("co2_kg." + std::string(mode_name(m)));
        if (col < 0) continue;
        s.has_co2 = true;
        const double now = c.at_time(col, t);
        const double before = c.at_time(col, std::max<TimeMs>(t - 10 * 60'000, 0));
        s.co2_t[mode_index(m)] = now / 1000.0;
        s.total_t += now / 1000.0;
        s.rate_t_per_h += (now - before) / 1000.0 * 6.0;
    }
    s.shares = run_.mode_shares();
    return s;
}

namespace {

bool is_transit(Mode m) {
    return m == Mode::Bus || m == Mode::Metro || m == Mode::Tram;
}

/// Vertices drawn for a vehicle: a quad, plus a load bar for transit; walkers are not drawn.
std::size_t vehicle_vertices(Mode m) {
    return m == Mode::Walk ? 0 : is_transit(m) ? 8 : 4;
}

/// Writes the vehicle's quad (and a transit vehicle's load bar) at q.
void vehicle_quad(const VehiclePosition& p, float px, sf::Vertex* q) {
    const bool transit = is_transit(p.mode);
    const float len =
        (transit ? (p.mode == Mode::Bus ? 7.0f : 10.0f) : (p.mode == Mode::Bike ? 2.5f : 3.5f)) *
        px;
    const float wid = (transit ? 4.5f : (p.mode == Mode::Bike ? 2.0f : 2.6f)) * px;
    // Keep to the right of the link (y is flipped on screen): offset by the right-hand normal.
    const sf::Vector2f d(p.dir_x, -p.dir_y), n(-d.y, d.x);
    const sf::Vector2f c = sf::Vector2f(p.x_m, -p.y_m) + n * (transit ? 3.0f * px : 2.0f * px);
    const sf::Vector2f hl = d * (len * 0.5f), hw = n * (wid * 0.5f);
    const auto col = mode_colour(p.mode);
    q[0] = sf::Vertex(c - hl - hw, col);
    q[1] = sf::Vertex(c + hl - hw, col);
    q[2] = sf::Vertex(c + hl + hw, col);
    q[3] = sf::Vertex(c - hl + hw, col);
    if (!transit) return;
    // Load bar beside the vehicle: length = load / capacity, white -> red when crowded.
    const float r = std::clamp(p.load_ratio, 0.0f, 1.0f);
    const sf::Color lc = r > 0.9f ? sf::Color(255, 60, 60) : sf::Color(255, 255, 255);
    const sf::Vector2f b0 = c - hl + n * (wid * 0.9f), b1 = b0 + d * (len * r);
    const sf::Vector2f bw = n * (1.4f * px);
    q[4] = sf::Vertex(b0, lc);
    q[5] = sf::Vertex(b1, lc);
    q[6] = sf::Vertex(b1 + bw, lc);
    q[7] = sf::Vertex(b0 + bw, lc);
}

}  // namespace

std::size_t RunScene::draw_world(sf::RenderTarget& target, const Camera& cam,
                                 const sf::FloatRect& pane, const Layers& layers, TimeMs t,
                                 const sf::Font& font, float ui_scale) {
    const auto size = target.getSize();
    sf::View world(sf::Vector2f(cam.cx_m, -cam.cy_m),
                   sf::Vector2f(pane.width * cam.m_per_px, pane.height * cam.m_per_px));
    world.setViewport(
        {pane.left / static_cast<float>(size.x), pane.top / static_cast<float>(size.y),
         pane.width / static_cast<float>(size.x), pane.height / static_cast<float>(size.y)});
    if (built_m_per_px_ <= 0 || std::abs(cam.m_per_px / built_m_per_px_ - 1.0f) > 0.15f)
        rebuild_roads(cam.m_per_px);
    const int hour = static_cast<int>(t / kMsPerHour);
    if (coloured_as_ != layers.colouring || coloured_hour_ != hour)
        recolour_roads(layers.colouring, hour);

    // Static layers from the cache (re-rendered only when what they show changed).
    const int w_px = static_cast<int>(std::lround(pane.width)),
              h_px = static_cast<int>(std::lround(pane.height));
    const MapKey key{cam.cx_m,
                     cam.cy_m,
                     cam.m_per_px,
                     w_px,
                     h_px,
                     layers.zones,
                     layers.roads,
                     layers.transit_lines,
                     layers.stops,
                     layers.bike_stations,
                     layers.colouring,
                     layers.colouring == LinkColouring::Plain ? -1 : hour};
    if (w_px > 0 && h_px > 0) {
        if (!map_cache_ || map_cache_->getSize() != sf::Vector2u(static_cast<unsigned>(w_px),
                                                                 static_cast<unsigned>(h_px))) {
            map_cache_ = std::make_unique<sf::RenderTexture>();
            sf::ContextSettings cs;
            cs.antialiasingLevel = 4;
            if (!map_cache_->create(static_cast<unsigned>(w_px), static_cast<unsigned>(h_px), cs))
                map_cache_.reset();
            map_valid_ = false;
        }
        if (map_cache_ && (!map_valid_ || !(key == map_key_))) {
            map_cache_->clear(kMapBackground);
            map_cache_->setView(sf::View(sf::Vector2f(cam.cx_m, -cam.cy_m),
                                         sf::Vector2f(static_cast<float>(w_px) * cam.m_per_px,
                                                      static_cast<float>(h_px) * cam.m_per_px)));
            draw_static_map(*map_cache_, cam, layers);
            map_cache_->display();
            map_key_ = key;
            map_valid_ = true;
        }
    }
    if (map_cache_ && map_valid_) {
        target.setView(
            sf::View(sf::FloatRect(0, 0, static_cast<float>(size.x), static_cast<float>(size.y))));
        sf::Sprite sprite(map_cache_->getTexture());
        sprite.setPosition(std::round(pane.left), std::round(pane.top));
        target.draw(sprite, sf::RenderStates(sf::BlendNone));
        target.setView(world);
    } else {
        target.setView(world);  // no off-screen target available: draw the layers directly
        draw_static_map(target, cam, layers);
    }

    std::size_t drawn = 0;
    if (layers.vehicles) {
        const auto u0 = std::chrono::steady_clock::now();
        replay_->positions_at(t, positions_);
        // Quads in chunks on all cores: count each chunk's vertices, then fill at its offset.
        constexpr std::size_t kChunk = 16384;
        const std::size_t chunks = (positions_.size() + kChunk - 1) / kChunk;
        const auto chunk_end = [&](std::size_t c) {
            return std::min(positions_.size(), (c + 1) * kChunk);
        };
        std::vector<std::size_t> offset(chunks + 1, 0);
        tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
            for (std::size_t i = c * kChunk; i < chunk_end(c); ++i)
                offset[c + 1] += vehicle_vertices(positions_[i].mode);
        });
        for (std::size_t c = 0; c < chunks; ++c) offset[c + 1] += offset[c];
        vehicle_quads_.resize(offset[chunks]);
        std::vector<std::size_t> drawn_in(chunks, 0);
        tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
            sf::Vertex* q = vehicle_quads_.data() + offset[c];
            for (std::size_t i = c * kChunk; i < chunk_end(c); ++i) {
                const std::size_t n = vehicle_vertices(positions_[i].mode);
                if (n == 0) continue;
                vehicle_quad(positions_[i], cam.m_per_px, q);
                q += n;
                ++drawn_in[c];
            }
        });
        for (auto d : drawn_in) drawn += d;
        last_update_s_ =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - u0).count();
        if (!vehicle_quads_.empty())
            target.draw(vehicle_quads_.data(), vehicle_quads_.size(), sf::Quads);
    }

    if (layers.zone_names) {
        // Labels in pixel space so they keep their size; positions from the world view.
        const sf::View pixels(
            sf::FloatRect(0, 0, static_cast<float>(size.x), static_cast<float>(size.y)));
        std::vector<std::pair<sf::Vector2i, const RunZone*>> at;
        // Only the study area's dongs are named when the run marks one: 82 overlapping labels
        // are unreadable from the back of a room.
        const bool marked = std::any_of(run_.geometry.zones.begin(), run_.geometry.zones.end(),
                                        [](const RunZone& z) { return z.study_area; });
        for (const auto& z : run_.geometry.zones)
            if (z.study_area || !marked)
                at.emplace_back(target.mapCoordsToPixel({z.label_x_m, -z.label_y_m}, world), &z);
        target.setView(pixels);
        sf::Text text("", font, static_cast<unsigned>(15 * ui_scale));
        text.setOutlineColor(sf::Color(10, 12, 16, 220));
        text.setOutlineThickness(2.0f * ui_scale);
        text.setFillColor(sf::Color(210, 210, 235));
        for (const auto& [p, z] : at) {
            if (!pane.contains(static_cast<float>(p.x), static_cast<float>(p.y))) continue;
            text.setString(sf::String::fromUtf8(z->name.begin(), z->name.end()));
            const auto b = text.getLocalBounds();
            text.setPosition(std::round(static_cast<float>(p.x) - b.width / 2),
                             std::round(static_cast<float>(p.y) - b.height));
            target.draw(text);
        }
    }
    return drawn;
}

std::optional<RunFile> load_run(const std::filesystem::path& given, std::string& error) {
    std::filesystem::path p = given;
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) p /= "run.msrun";
    try {
        return read_run_file(p);
    } catch (const InputError& e) {
        error = e.what();
    } catch (const std::exception& e) {
        error = fmt::format("{}: cannot read run file: {}", p.string(), e.what());
    }
    return std::nullopt;
}

}  // namespace modeshift::viewer
