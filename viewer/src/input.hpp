#pragma once
/// Key bindings and the mouse: what each window event does to the viewer.
#include <SFML/Graphics.hpp>

#include <string>

#include "viewer.hpp"

namespace modeshift::viewer {

/// What the window loop and the input handlers share between events.
struct WindowInput {
    bool fullscreen = false, quit = false;
    std::string hour_digits;  ///< two digits typed within 1.5 s jump to that hour
    Clock::time_point digit_time = Clock::now();
    bool dragging = false;  ///< panning the map with the left button held
    sf::Vector2i drag_from;
};

/// One window event. Keys that switch fullscreen close the window; the loop reopens it.
void handle_event(Viewer& v, const sf::Event& e, sf::RenderWindow& win, WindowInput& in);

}  // namespace modeshift::viewer
