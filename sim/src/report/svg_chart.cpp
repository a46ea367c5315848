#include "modeshift/report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modeshift/report/html.hpp"

namespace modeshift::svg {

namespace {

/// The plot area of a frame and the y scale from 0 to `top`.
struct Plot {
    Frame f;
    double top = 1;
    double width() const { return f.width - f.left - f.right; }
    double height() const { return f.height - f.bottom - f.top; }
    double y(double v) const { return f.top + height() - height() * v / top; }
};

double axis_top(double largest, double step) {
    if (step > 0) return std::ceil(largest / step) * step;
    double digit = std::pow(10.0, std::floor(std::log10(largest)));
    return std::ceil(largest / digit) * digit;
}

std::string svg_open(const Frame& f, const std::string& aria_label) {
    return fmt::format("<svg viewBox=\"0 0 {} {}\" class=\"chart\" role=\"img\" aria-label=\"{}\">",
                       f.width, f.height, html::escape(aria_label));
}

/// Five horizontal grid lines with their values, then the axis title (if any).
std::string y_axis(const Plot& p, const YAxis& axis) {
    std::string o;
    for (int g = 0; g <= 4; ++g) {
        const double v = p.top * g / 4;
        o += fmt::format(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
            "<text x=\"{}\" y=\"{:.1f}\" class=\"ax\" text-anchor=\"end\">{}</text>",
            p.f.left, p.f.width - p.f.right, p.y(v), p.y(v), p.f.left - 4, p.y(v) + 4,
            html::escape(axis.tick_label(v)));
    }
    return o;
}

std::string y_title(const Plot& p, const YAxis& axis) {
    if (axis.title.empty()) return {};
    const double mid = p.f.top + p.height() / 2;
    return fmt::format(
        "<text x=\"12\" y=\"{}\" class=\"ax\" transform=\"rotate(-90 12 {})\" "
        "text-anchor=\"middle\">{}</text>",
        mid, mid, html::escape(axis.title));
}

std::string text(double x, double y, const char* css_class, const std::string& s) {
    return fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"{}\" text-anchor=\"middle\">{}</text>", x, y,
        css_class, html::escape(s));
}

}  // namespace

std::string bar_chart(const BarChart& c) {
    double largest = 1;
    for (const auto& s : c.series)
        for (double v : s.values) largest = std::max(largest, v);
    const Plot p{c.frame, axis_top(largest, c.y.step)};
    const double group = p.width() / static_cast<double>(c.groups.size());
    const double n = static_cast<double>(c.series.size());
    const double bar = group * (0.7 / n);
    std::string o = svg_open(c.frame, c.aria_label) + y_axis(p, c.y) + y_title(p, c.y);
    for (std::size_t i = 0; i < c.groups.size(); ++i) {
        const double x0 = p.f.left + group * static_cast<double>(i) + group * 0.12;
        for (std::size_t k = 0; k < c.series.size(); ++k) {
            const BarSeries& s = c.series[k];
            const double v = s.values[i], h = p.height() * v / p.top;
            o += fmt::format(
                "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                "fill=\"{}\"><title>{} {}</title></rect>",
                x0 + bar * static_cast<double>(k), p.f.top + p.height() - h, bar, h,
                s.colors.size() == 1 ? s.colors[0] : s.colors[i], html::escape(s.name),
                html::escape(c.value_label(v)));
        }
        const double mid = x0 + bar * n / 2, below = p.f.top + p.height() + 16;
        const BarGroup& g = c.groups[i];
        for (std::size_t l = 0; l < g.labels.size(); ++l)
            o += text(mid, below + 14 * static_cast<double>(l), "ax", g.labels[l]);
        if (!g.note.empty())
            o += text(mid, below + 14 * static_cast<double>(g.labels.size()) + 2, "val", g.note);
    }
    return o + "</svg>";
}

namespace {

std::string points(std::span<const double> values, const auto& x, const Plot& p) {
    std::string o;
    for (std::size_t i = 0; i < values.size(); ++i)
        o += fmt::format("{:.1f},{:.1f} ", x(i), p.y(values[i]));
    return o;
}

}  // namespace

std::string line_chart(const LineChart& c) {
    const std::size_t n = c.x_labels.size();
    double largest = 1;
    for (const auto& s : c.series) {
        for (double v : s.values) largest = std::max(largest, v);
        for (double v : s.band_high) largest = std::max(largest, v);
    }
    const Plot p{c.frame, axis_top(largest, c.y.step)};
    auto x = [&](std::size_t i) {
        return p.f.left +
               (n > 1 ? p.width() * static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
    };
    std::string o = svg_open(c.frame, c.aria_label) + y_axis(p, c.y);
    for (std::size_t i = 0; i < n; ++i)
        if (!c.x_labels[i].empty())
            o += text(x(i), p.f.height - p.f.bottom + 16, "ax", c.x_labels[i]);
    o += y_title(p, c.y);
    for (const auto& s : c.series) {
        if (s.band_low.empty() || s.band_low.size() != s.band_high.size()) continue;
        // The upper edge left to right, then the lower edge back.
        std::vector<double> low(s.band_low.rbegin(), s.band_low.rend());
        auto back = [&](std::size_t i) { return x(low.size() - 1 - i); };
        o += fmt::format(
            "<polygon class=\"band\" fill=\"{}\" fill-opacity=\"0.2\" stroke=\"none\" "
            "points=\"{}{}\"/>",
            s.color.empty() ? "#8a939c" : s.color, points(s.band_high, x, p), points(low, back, p));
    }
    for (const auto& s : c.series) {
        o += fmt::format("<polyline class=\"{}\" points=\"{}\"", html::escape(s.css_class),
                         points(s.values, x, p));
        o += s.color.empty() ? "/>" : fmt::format(" fill=\"none\" stroke=\"{}\"/>", s.color);
    }
    return o + "</svg>";
}

}  // namespace modeshift::svg
