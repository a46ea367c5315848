// The HTML report helpers: escaping and number formats, tables from rows, and the SVG bar and
// line charts (with a band) that compare draws and later reports reuse.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modeshift/report/html.hpp"
#include "modeshift/report/svg_chart.hpp"

using namespace modeshift;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

}  // namespace

TEST(Html, EscapesAndFormatsNumbers) {
    EXPECT_EQ(html::escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    EXPECT_EQ(html::grouped(1234567.8), "1,234,568");
    EXPECT_EQ(html::grouped(-1234.5, 1), "-1,234.5");
    EXPECT_EQ(html::grouped(-0.01, 1), "0.0");  // no "-0.0"
    EXPECT_EQ(html::signed_num(12.34, 1), "+12.3");
    EXPECT_EQ(html::signed_num(0.01, 1), "0.0");
    EXPECT_EQ(html::change_class(-1), "down");
    EXPECT_EQ(html::change_class(2), "up");
    EXPECT_EQ(html::change_class(0), "same");
    EXPECT_EQ(html::diverging_color(0), "#ebebeb");
    EXPECT_EQ(html::mode_label(Mode::Bus), std::string(mode_name_ko(Mode::Bus)) + " / Bus");
}

TEST(Html, TableFromRows) {
    const std::vector<html::Row> rows = {{html::th(""), html::th("base")},
                                         {html::th("CO2"), html::td("1 t", "down")}};
    EXPECT_EQ(html::table(rows, "prov"),
              "<table class=\"prov\"><tr><th></th><th>base</th></tr>\n"
              "<tr><th>CO2</th><td class=\"down\">1 t</td></tr>\n</table>");
    const std::vector<std::string> items = {"a", "b"};
    EXPECT_EQ(html::list(items, {}, "note"),
              "<ul><li class=\"note\">a</li><li class=\"note\">b</li></ul>");
    const std::string page = html::page_begin({"a < b", "<b>H</b>", "sub"}) + html::page_end();
    EXPECT_NE(page.find("<title>a &lt; b</title>"), std::string::npos);
    EXPECT_NE(page.find("<h1><b>H</b></h1>"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(SvgChart, BarsOnePerSeriesAndGroup) {
    svg::BarChart c;
    c.aria_label = "shares";
    c.y.step = 10;
    c.y.tick_label = [](double v) { return std::to_string(static_cast<int>(v)); };
    c.value_label = [](double v) { return std::to_string(static_cast<int>(v)); };
    c.groups = {{{"car"}, "+1"}, {{"bus", "Bus"}, ""}, {{"walk"}, ""}};
    c.series = {{"base", {10, 20, 30}, {"#111"}}, {"policy", {11, 21, 31}, {"#a", "#b", "#c"}}};
    const std::string s = svg::bar_chart(c);
    EXPECT_EQ(count(s, "<rect "), 6u);
    EXPECT_EQ(count(s, "class=\"grid\""), 5u);
    EXPECT_EQ(count(s, "fill=\"#111\""), 3u);
    EXPECT_EQ(count(s, "fill=\"#b\""), 1u);
    EXPECT_NE(s.find("<title>policy 31</title>"), std::string::npos);
    EXPECT_EQ(count(s, "class=\"val\""), 1u);            // the one note
    EXPECT_NE(s.find(">40</text>"), std::string::npos);  // 31 rounded up to the step
}

TEST(SvgChart, LinesWithABand) {
    svg::LineChart c;
    c.aria_label = "pathway";
    c.y.tick_label = [](double v) { return std::to_string(static_cast<int>(v)); };
    c.y.title = "t <CO2>";
    c.x_labels = {"2024", "", "2030"};
    svg::LineSeries mid;
    mid.css_class = "policy";
    mid.values = {100, 90, 80};
    mid.band_low = {95, 80, 60};
    mid.band_high = {105, 100, 130};
    svg::LineSeries base;
    base.css_class = "base";
    base.color = "#123456";
    base.values = {100, 100, 100};
    c.series = {mid, base};
    const std::string s = svg::line_chart(c);
    EXPECT_EQ(count(s, "<polygon class=\"band\""), 1u);
    EXPECT_EQ(count(s, "<polyline "), 2u);
    EXPECT_NE(s.find("stroke=\"#123456\""), std::string::npos);
    EXPECT_NE(s.find("t &lt;CO2&gt;"), std::string::npos);
    EXPECT_EQ(count(s, "text-anchor=\"middle\">20"), 2u);  // the empty label is skipped
    EXPECT_NE(s.find(">200</text>"), std::string::npos);   // the band's top counts: 130 -> 200
    EXPECT_LT(s.find("<polygon"), s.find("<polyline"));    // bands under the lines
}
