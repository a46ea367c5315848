#pragma once
/// Drawing one run: static map layers as vertex arrays, all vehicles as one quad array per frame,
/// and the counters panel. No per-vehicle draw calls.
#include <SFML/Graphics.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/record/replay.hpp"
#include "modeshift/record/run_file.hpp"

namespace modeshift::viewer {

/// What the road links are coloured by.
enum class LinkColouring { Plain = 0, Volume, Speed, Co2 };
const char* colouring_name(LinkColouring c);

struct Layers {
    bool roads = true, transit_lines = true, zones = true, zone_names = true, stops = true,
         bike_stations = true, vehicles = true, counters = true;
    LinkColouring colouring = LinkColouring::Plain;
};

/// The map's background (panes are cleared to it; the cached map is drawn opaque).
inline const sf::Color kMapBackground(18, 21, 28);

/// Mode colours (also checked by the screenshot tests).
sf::Color mode_colour(Mode m);

/// Map camera shared by all panes: centre in local metres and scale.
struct Camera {
    float cx_m = 0, cy_m = 0;
    float m_per_px = 10;
};

/// The counter values of one run at one moment.
struct CounterSnapshot {
    bool has_co2 = false;
    std::array<double, kModeCount> co2_t{};  ///< cumulative tonnes per mode
    double total_t = 0;
    double rate_t_per_h = 0;  ///< over the last 10 minutes
    std::array<double, kModeCount> shares{};
};

class RunScene {
  public:
    explicit RunScene(RunFile run);
    const RunFile& run() const { return run_; }
    const Replay& replay() const { return *replay_; }
    CounterSnapshot counters_at(TimeMs t) const;
    /// Camera framing the whole network in a w x h pixel area.
    Camera fit(float w_px, float h_px) const;
    /// Draws map and vehicles into the pane rectangle `pane_px` of `target` (target pixels).
    /// Returns the number of vehicles drawn.
    std::size_t draw_world(sf::RenderTarget& target, const Camera& cam,
                           const sf::FloatRect& pane_px, const Layers& layers, TimeMs t,
                           const sf::Font& font, float ui_scale);
    /// True if the run carries per-link CO2 ("co2_g" link table).
    bool has_link_co2() const { return co2_table_ >= 0; }
    /// CPU seconds of the last frame's vehicle update (positions + vertex array), for --bench.
    double last_vehicle_update_s() const { return last_update_s_; }

  private:
    void rebuild_roads(float m_per_px);
    void recolour_roads(LinkColouring c, int hour);
    void draw_static_map(sf::RenderTarget& target, const Camera& cam, const Layers& layers);

    /// What the cached picture of the static map depends on.
    struct MapKey {
        float cx_m = 0, cy_m = 0, m_per_px = 0;
        int w_px = 0, h_px = 0;
        bool zones = false, roads = false, lines = false, stops = false, bikes = false;
        LinkColouring colouring = LinkColouring::Plain;
        int hour = -1;
        bool operator==(const MapKey&) const = default;
    };
    // The static map (zones, roads, lines, stops) is drawn into an off-screen texture only when
    // the camera, the layers or the colouring hour change; a playing frame then costs one
    // textured quad plus the vehicles, which keeps software-rendered displays fluid.
    std::unique_ptr<sf::RenderTexture> map_cache_;
    MapKey map_key_;
    bool map_valid_ = false;

    RunFile run_;
    std::unique_ptr<Replay> replay_;
    std::vector<LinkHourlyTable> derived_;  // vehicles, speed_kmh
    int co2_table_ = -1;
    std::array<float, 3> table_scale_{};  // p99 of volume, -, co2 (colour ramp top)
    std::vector<sf::Vertex> road_tris_, line_tris_, zone_lines_, point_quads_, vehicle_quads_;
    std::vector<std::uint32_t> road_tri_link_;  // first vertex of link l's triangles
    float built_m_per_px_ = -1;
    LinkColouring coloured_as_ = LinkColouring::Plain;
    int coloured_hour_ = -1;
    std::vector<VehiclePosition> positions_;
    double last_update_s_ = 0;
    float min_x_ = 0, max_x_ = 0, min_y_ = 0, max_y_ = 0;
};

/// Reads a run file (DIR or DIR/run.msrun); on failure returns nothing and sets `error` (the
/// reader's message, naming the file).
std::optional<RunFile> load_run(const std::filesystem::path& given, std::string& error);

/// Formats tonnes with one decimal and a thin-space thousands separator.
std::string format_tonnes(double t);

}  // namespace modeshift::viewer
