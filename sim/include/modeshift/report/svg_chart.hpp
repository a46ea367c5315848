#pragma once
/// Inline SVG charts for the HTML reports (html.hpp): grouped bars, and lines over an x axis with
/// optional bands (a spread drawn under a line). Styled by the reports' stylesheet: class
/// "chart" on the svg, "grid", "ax" (axis text) and "val" (value text). Labels are text and
/// escaped here.
#include <functional>
#include <string>
#include <vector>

namespace modeshift::svg {

/// The viewBox and the margins around the plot area (for tick labels and group labels).
struct Frame {
    double width = 720, height = 280;
    double left = 60, right = 10, top = 20, bottom = 40;
};

/// The y axis: from 0 to the largest value (at least 1) rounded up, with five grid lines.
struct YAxis {
    /// Round the top up to a multiple of this; 0 = to one significant digit (1,234 -> 2,000).
    double step = 0;
    std::function<std::string(double)> tick_label;  ///< text of a grid line's value
    std::string title;                              ///< along the axis; empty = none
};

struct BarSeries {
    std::string name;                 ///< starts each bar's tooltip: "<name> <value_label>"
    std::vector<double> values;       ///< one per group
    std::vector<std::string> colors;  ///< one per group, or a single colour for all
};

struct BarGroup {
    std::vector<std::string> labels;  ///< lines under the group
    std::string note;  ///< a bold line under the labels (e.g. the change); empty = none
};

/// Groups side by side, one bar per series in each.
struct BarChart {
    std::string aria_label;
    Frame frame;
    YAxis y;
    std::function<std::string(double)> value_label;  ///< a bar's value in its tooltip
    std::vector<BarGroup> groups;
    std::vector<BarSeries> series;
};
std::string bar_chart(const BarChart& chart);

struct LineSeries {
    std::string css_class;       ///< of the polyline (its stroke comes from the stylesheet)...
    std::string color;           ///< ...or this stroke colour, if given
    std::vector<double> values;  ///< one per x position
    /// A band under the line, e.g. the range over seeds: its lower and upper values per x
    /// position (both empty = none), filled with `color` (grey if none) at 20 % opacity.
    std::vector<double> band_low, band_high;
};

/// Lines over equally spaced x positions.
struct LineChart {
    std::string aria_label;
    Frame frame;
    YAxis y;
    std::vector<std::string> x_labels;  ///< one per x position; empty ones are skipped
    std::vector<LineSeries> series;
};
std::string line_chart(const LineChart& chart);

}  // namespace modeshift::svg
