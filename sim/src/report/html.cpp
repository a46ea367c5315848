#include "modeshift/report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace modeshift::html {

namespace {

// The one stylesheet of the reports: page, sections, tables, cards, charts, maps and keys.
constexpr const char* kCss = R"(
body{font-family:"Noto Sans KR","Nanum Gothic","Malgun Gothic",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:16px 28px}section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px;color:#1f3b57}table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}
.prov td,.prov th{text-align:left;font-size:13px;word-break:break-all}.down{color:#1a7f37;font-weight:600}.up{color:#b3261e;font-weight:600}.same{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{flex:1 1 200px;background:#f3f6f9;border-radius:6px;padding:10px 14px}
.card .big{font-size:26px;font-weight:700}.card .lbl{font-size:13px;color:#555}
svg.chart{width:100%;height:auto;background:#fff}svg.map{width:100%;height:auto;background:#fdfdfd;border:1px solid #eee}
.grid{stroke:#e5e5e5}.ax{font-size:11px;fill:#555}.val{font-size:11px;fill:#222;font-weight:600}
polyline.base{fill:none;stroke:#8a939c;stroke-width:2;stroke-dasharray:5 3}polyline.policy{fill:none;stroke:#1a7f37;stroke-width:2.5}
polyline.link{fill:none;stroke-linecap:round}path.dong{stroke:#fff;stroke-width:1;fill-opacity:.5}
.legend{font-size:12px;margin-top:6px}.legend span{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.key span{display:inline-block;width:18px;height:3px;margin:0 6px 3px 12px;vertical-align:middle}
.note{color:#8a5a00;font-size:13px}.noise{color:#8a5a00;font-size:12px;font-weight:600}ul.pol li{margin:2px 0}details{font-size:12px}
)";

// In Mode order (core/mode.hpp); a mode added later falls back to its file name and grey.
constexpr const char* kModeNameEn[] = {"Car",  "Bus",  "Metro", "Tram",
                                       "Bike", "Walk", "Taxi",  "Truck"};
constexpr const char* kModeColor[] = {"#d9534f", "#2e86de", "#8e44ad", "#16a085",
                                      "#f39c12", "#7f8c8d", "#e67e22", "#6d4c41"};

/// ` class="x"`, or nothing for an empty class.
std::string class_attr(std::string_view css_class) {
    return css_class.empty() ? std::string() : fmt::format(" class=\"{}\"", css_class);
}

}  // namespace

std::string escape(std::string_view text) {
    std::string o;
    for (char ch : text) {
        switch (ch) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            default:
                o += ch;
        }
    }
    return o;
}

std::vector<std::string> escape_all(std::span<const std::string> texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) out.push_back(escape(t));
    return out;
}

std::string grouped(double v, int decimals) {
    std::string s = fmt::format("{:.{}f}", std::abs(v), decimals);
    std::size_t dot = s.find('.');
    std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot);
    std::string out;
    for (std::size_t i = 0; i < ip.size(); ++i) {
        if (i && (ip.size() - i) % 3 == 0) out += ',';
        out += ip[i];
    }
    bool neg = v < 0 && std::abs(v) >= 0.5 * std::pow(10.0, -decimals);
    return (neg ? "-" : "") + out + fp;
}

std::string signed_num(double v, int decimals) {
    std::string s = grouped(v, decimals);
    return (v > 0 && s.find_first_not_of("0.,") != std::string::npos ? "+" : "") + s;
}

std::string change_class(double delta) {
    return delta < 0 ? "down" : delta > 0 ? "up" : "same";
}

std::string diverging_color(double t) {
    t = std::clamp(t, -1.0, 1.0);
    auto mix = [](double a, double b, double f) {
        return static_cast<int>(std::lround(a + (b - a) * f));
    };
    double f = std::abs(t);
    if (t < 0)
        return fmt::format("#{:02x}{:02x}{:02x}", mix(235, 33, f), mix(235, 102, f),
                           mix(235, 172, f));
    return fmt::format("#{:02x}{:02x}{:02x}", mix(235, 178, f), mix(235, 24, f), mix(235, 43, f));
}

std::string mode_color(Mode m) {
    std::size_t i = mode_index(m);
    return i < std::size(kModeColor) ? kModeColor[i] : "#555";
}

std::string mode_name_en(Mode m) {
    std::size_t i = mode_index(m);
    return i < std::size(kModeNameEn) ? kModeNameEn[i] : std::string(mode_name(m));
}

std::string mode_label(Mode m) {
    return std::string(mode_name_ko(m)) + " / " + mode_name_en(m);
}

std::string page_begin(const Page& page) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>{}</title><style>{}</style></head><body>\n"
        "<header><h1>{}</h1><p>{}</p></header><main>\n",
        escape(page.title), kCss, page.heading, page.subtitle);
}

std::string page_end() {
    return "</main></body></html>\n";
}

std::string section(std::string_view heading, std::string_view body) {
    return fmt::format("<section><h2>{}</h2>{}</section>\n", heading, body);
}

std::string table(std::span<const Row> rows, std::string_view css_class) {
    std::string o = fmt::format("<table{}>", class_attr(css_class));
    for (const auto& row : rows) {
        o += "<tr>";
        for (const auto& c : row) {
            const char* tag = c.header ? "th" : "td";
            o += fmt::format("<{}{}>{}</{}>", tag, class_attr(c.css_class), c.html, tag);
        }
        o += "</tr>\n";
    }
    return o + "</table>";
}

std::string cards(std::span<const Card> cards) {
    std::string o = "<div class=\"cards\">";
    for (const auto& c : cards)
        o += fmt::format(
            "<div class=\"card\"><div class=\"lbl\">{}</div><div class=\"big {}\">{}</div><div "
            "class=\"lbl\">{}</div></div>",
            c.label, c.value_class, c.value, c.detail);
    return o + "</div>";
}

std::string list(std::span<const std::string> items, std::string_view ul_class,
                 std::string_view li_class) {
    std::string o = fmt::format("<ul{}>", class_attr(ul_class));
    for (const auto& item : items) o += fmt::format("<li{}>{}</li>", class_attr(li_class), item);
    return o + "</ul>";
}

std::string key(std::span<const KeyItem> items) {
    std::string o = "<div class=\"key\">";
    for (const auto& k : items)
        o += fmt::format("<span style=\"background:{}\"></span>{}", k.color, escape(k.label));
    return o + "</div>";
}

}  // namespace modeshift::html
