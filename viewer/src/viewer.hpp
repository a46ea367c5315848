#pragma once
/// The viewer's state while it plays, shared by the window loop (window.cpp), off-screen
/// rendering (headless.cpp), key and mouse input (input.cpp) and the live what-if
/// (live_what_if.cpp). Each group of member functions lives in the file named beside it.
#include <SFML/Graphics.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "app.hpp"
#include "hud.hpp"
#include "measures_panel.hpp"
#include "modeshift/record/run_file.hpp"
#include "scene.hpp"
#include "what_if.hpp"

namespace modeshift::viewer {

using Clock = std::chrono::steady_clock;

struct Viewer {
    explicit Viewer(const Options& o) : opt(o) {}
    const Options& opt;
    std::vector<std::unique_ptr<RunScene>> scenes;
    sf::Font font, bold;
    Layers layers;
    Camera cam;
    bool cam_set = false;
    TimeMs t = 0, t_min = 0, t_max = kMsPerDay;
    bool playing = true, help = false, present = false;
    double speed = 60;
    TimeMs loop_from = 0, loop_to = 0;
    std::size_t last_drawn = 0;
    // The live what-if: the panel's choices, the child-process job, and whether the next drawn
    // frame is the first with its result (for the click-to-playing figure).
    std::unique_ptr<MeasuresPanel> panel;
    WhatIfSetup setup;
    WhatIfJob job;
    WhatIfJob::State seen_state = WhatIfJob::State::Idle;
    bool report_playing = false;

    // The playback clock (playback.cpp).
    void seek(TimeMs to);
    /// Moves the clock on by `real_s` seconds of wall time at the current speed; presentation
    /// mode loops --from..--to, otherwise playing stops at the end.
    void advance(double real_s);
    /// One step up (+1) or down (-1) the speed ladder ×1 … ×3600.
    void step_speed(int dir);

    // Pane layout and one frame (frame.cpp).
    float ui_scale(sf::Vector2u size) const;
    std::vector<sf::FloatRect> panes(sf::Vector2u size) const;
    void ensure_camera(sf::Vector2u size);
    float timeline_top(sf::Vector2u size) const;
    /// Renders one complete frame.
    void draw(sf::RenderTarget& tg);
    void draw_clock(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;
    void draw_status(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;
    void draw_difference(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;
    void draw_timeline(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;
    /// The key bindings overlay (H / F1), in input.cpp beside the bindings.
    void draw_help(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;

    // The live what-if (live_what_if.cpp).
    void start_what_if();
    /// Polls the job (every frame); puts a finished run into the right pane.
    void update_what_if();
    /// After the frame that first shows a what-if's result: the click-to-playing figure.
    void after_frame();
    /// While a what-if runs with the panel closed: a strip with its progress, top right.
    void draw_what_if_banner(sf::RenderTarget& tg, const Hud& hud, sf::Vector2u size) const;
    void act(MeasuresPanel::Action a);
};

/// Where the panel's what-ifs come from and go to: the options with their defaults filled in.
WhatIfSetup what_if_setup(const Options& opt, const RunFile& baseline);
/// The measures panel over the catalogue of `w` (a panel with the problem if it cannot be read).
std::unique_ptr<MeasuresPanel> make_panel(const WhatIfSetup& w, const RunFile& baseline);
/// --what-if FILE without a window: simulates the scripted choices as if Simulate had been pressed
/// and waits for the result (or the failure). Returns 0 when the new run is in the right pane, 4
/// when the what-if failed or was cancelled (the frame then shows the message).
int scripted_what_if(Viewer& v, const Options& opt);

/// --screenshot / --frames: renders off screen, writes PNGs; returns the exit code.
int headless(Viewer& v, const Options& opt);
/// The window: events, playing, drawing, until the viewer quits; returns the exit code.
int interactive(Viewer& v, const Options& opt);

}  // namespace modeshift::viewer
