#pragma once
/// Drawing on top of the map in window pixels: text in the Hangul font, boxes, and the counters
/// panels. `s` is the UI scale (1 at 1920x1080, larger in presentation mode).
#include <SFML/Graphics.hpp>

#include <cmath>
#include <string>

#include "modeshift/core/time.hpp"

namespace modeshift::viewer {

class RunScene;

inline sf::String utf8(const std::string& s) {
    return sf::String::fromUtf8(s.begin(), s.end());
}

/// Everything drawn on top of the map, in window pixels.
struct Hud {
    const sf::Font& font;
    const sf::Font& bold;
    float s;  // ui scale

    sf::Text text(const std::string& str, float px, sf::Color col, bool strong = false) const {
        sf::Text t(utf8(str), strong ? bold : font, static_cast<unsigned>(std::round(px * s)));
        t.setFillColor(col);
        return t;
    }
    static void rect(sf::RenderTarget& tg, sf::FloatRect r, sf::Color col) {
        sf::RectangleShape sh({r.width, r.height});
        sh.setPosition(r.left, r.top);
        sh.setFillColor(col);
        tg.draw(sh);
    }
    /// Like text(), shortened with "…" to at most max_w pixels (long scenario names).
    sf::Text fitted(const std::string& str, float px, sf::Color col, bool strong,
                    float max_w) const {
        sf::Text t = text(str, px, col, strong);
        sf::String s32 = t.getString();
        while (s32.getSize() > 1 && t.getLocalBounds().width > max_w) {
            s32.erase(s32.getSize() - 1);
            t.setString(s32 + sf::String(L"\u2026"));
        }
        return t;
    }
    void put(sf::RenderTarget& tg, sf::Text t, float x, float y, int align = 0) const {
        const auto b = t.getLocalBounds();
        const float ax = align == 0 ? x : (align == 1 ? x - b.width / 2 : x - b.width);
        t.setPosition(std::round(ax - b.left), std::round(y));
        tg.draw(t);
    }

    /// Side-by-side counters: a two-column strip across the top of a pane; returns its height.
    float counters_strip(sf::RenderTarget& tg, sf::FloatRect pane, const RunScene& sc, TimeMs t,
                         std::size_t vehicles) const;
    /// The counters panel of one run; returns its height.
    float counters(sf::RenderTarget& tg, float x, float y, const RunScene& sc, TimeMs t,
                   std::size_t vehicles, bool minimal) const;
};

}  // namespace modeshift::viewer
