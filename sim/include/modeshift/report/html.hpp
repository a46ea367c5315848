#pragma once
/// Building blocks of modeshift's self-contained HTML reports (one file, inline CSS and SVG, no
/// external assets): escaping and number formatting, the page shell with the shared stylesheet,
/// sections, tables, headline cards, lists and colour keys. The charts are in svg_chart.hpp.
/// Arguments named `html` (and the fields of Cell and Card) are markup: escape text with
/// html::escape. Titles and key labels are text and escaped here.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "modeshift/core/mode.hpp"

namespace modeshift::html {

std::string escape(std::string_view text);
/// Each text escaped (e.g. for list()).
std::vector<std::string> escape_all(std::span<const std::string> texts);

/// 1234567.8 -> "1,234,568": thousands separated, `decimals` kept, no "-0".
std::string grouped(double v, int decimals = 0);
/// grouped() with a "+" on values that do not round to zero.
std::string signed_num(double v, int decimals);
/// CSS class of a change where lower is better: "down" (a decrease), "up", "same".
std::string change_class(double delta);
/// Diverging colour for t in [-1, 1]: blue (decrease) - light grey - red (increase).
std::string diverging_color(double t);

/// A mode's colour in charts, its English name ("Car") and its bilingual label ("승용차 / Car").
std::string mode_color(Mode m);
std::string mode_name_en(Mode m);
std::string mode_label(Mode m);

struct Page {
    std::string title;     ///< text, the browser tab's
    std::string heading;   ///< html, the banner's h1
    std::string subtitle;  ///< html, under the heading
};
/// The document up to and including <main>, with the shared stylesheet.
std::string page_begin(const Page& page);
/// Closes what page_begin opened.
std::string page_end();

/// <section> with an h2 heading (html) and a body (html).
std::string section(std::string_view heading, std::string_view body);

struct Cell {
    std::string html;
    std::string css_class;  ///< empty = none
    bool header = false;    ///< <th> instead of <td>
};
inline Cell th(std::string html) {
    return {std::move(html), {}, true};
}
inline Cell td(std::string html, std::string css_class = {}) {
    return {std::move(html), std::move(css_class), false};
}
using Row = std::vector<Cell>;
/// A table, one <tr> (and a line) per row; the header is a row of th cells.
std::string table(std::span<const Row> rows, std::string_view css_class = {});

/// A headline figure: a label above a big value, a detail line below (all html).
struct Card {
    std::string label, value, value_class, detail;
};
std::string cards(std::span<const Card> cards);

/// <ul> of items (html).
std::string list(std::span<const std::string> items, std::string_view ul_class = {},
                 std::string_view li_class = {});

/// A colour key above a chart: a swatch before each label (text).
struct KeyItem {
    std::string color, label;
};
std::string key(std::span<const KeyItem> items);

}  // namespace modeshift::html
