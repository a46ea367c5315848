#pragma once
/// The measures panel (key M): the catalogue's toggles and sliders with Korean/English labels,
/// Simulate / Cancel and Reset, and the what-if's progress or error. Large type for the back of
/// a room; mouse (click, drag a slider) or keyboard (↑ ↓ select, ← → move a slider, Space/Enter).
#include <SFML/Graphics.hpp>

#include <optional>
#include <string>
#include <vector>

#include "hud.hpp"
#include "what_if.hpp"

namespace modeshift::viewer {

class MeasuresPanel {
  public:
    enum class Action { None, Simulate, Cancel };

    /// `choices` empty: the catalogue could not be read; the panel shows `problem` instead.
    MeasuresPanel(std::optional<MeasureChoices> choices, std::string problem,
                  std::string setup_note);

    bool open = false;
    std::optional<MeasureChoices>& choices() { return choices_; }
    const std::optional<MeasureChoices>& choices() const { return choices_; }
    /// The chosen measures in words, for the right pane's title ("트램 2호선 + 버스 증편 1.8×").
    std::string describe() const;

    /// `size`: window pixels; `ui`: the viewer's UI scale; `bottom`: y of the timeline.
    void draw(sf::RenderTarget& tg, const sf::Font& font, const sf::Font& bold, sf::Vector2u size,
              float ui, float bottom, const WhatIfJob& job) const;
    /// A key while the panel is open; returns false for keys the panel does not use.
    bool key(sf::Keyboard::Key k, bool busy, Action& act);
    /// A left press at (x, y); returns false if outside the panel.
    bool press(sf::Vector2u size, float ui, float bottom, float x, float y, bool busy, Action& act);
    /// Mouse moved with the button held after a press on a slider.
    void drag(sf::Vector2u size, float ui, float bottom, float x);
    void release() { dragging_ = -1; }
    bool contains(sf::Vector2u size, float ui, float bottom, float x, float y) const;

  private:
    struct Layout {
        float s = 1;  ///< the panel's own scale (shrinks to fit the height)
        sf::FloatRect box, simulate, reset, status;
        std::vector<sf::FloatRect> rows, tracks;  ///< per measure; tracks are empty for toggles
    };
    Layout layout(sf::Vector2u size, float ui, float bottom) const;
    std::size_t row_count() const {
        return choices_ ? choices_->size() + 2 : 0;
    }  ///< + Simulate, Reset
    Action activate(std::size_t row, bool busy);
    void draw_status(sf::RenderTarget& tg, const Hud& hud, const Layout& L,
                     const WhatIfJob& job) const;

    std::optional<MeasureChoices> choices_;
    std::string problem_, setup_note_;
    std::size_t selected_ = 0;
    int dragging_ = -1;
};

/// Splits text into lines no wider than `max_w` pixels (at `px` in `hud`), keeping '\n' breaks.
std::vector<std::string> wrap_text(const Hud& hud, const std::string& text, float px, float max_w);

}  // namespace modeshift::viewer
