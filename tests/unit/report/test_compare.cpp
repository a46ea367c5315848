// modeshift compare: the comparison of two run folders and of several seeds per side, its
// units (t/day and t/year), bands, the checks of what it reads, and its files (page, JSON, CSV,
// workbook).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/core/error.hpp"
#include "modeshift/core/intervals.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/html.hpp"
#include "modeshift/report/outputs.hpp"
#include "report_fixture.hpp"

using namespace modeshift;
using namespace modeshift::report_test;

namespace {

/// 300 weekday-equivalent days: a round number keeps the expected t/year plain.
CompareOptions options() {
    CompareOptions o;
    o.annual = {300, "t/년 = t/일 × 300 (시험)", "t/year = t/day x 300 (test)"};
    return o;
}

/// An SVG text element's content as it appears in the page: ">label</text>".
std::string svg_text(std::string_view label) {
    std::string s = ">";
    s += label;
    s += "</text>";
    return s;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

/// The message of the InputError `f` throws ("" if it throws none).
template <class F>
std::string input_error(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return {};
}

/// `file` without its last `lines` lines (cut at a line end).
void drop_last_lines(const fs::path& file, int lines) {
    std::string text = read_file_bytes(file);
    for (int i = 0; i < lines; ++i) text.erase(text.rfind('\n', text.size() - 2) + 1);
    write_text_atomic(file, text);
}

}  // namespace

TEST(Compare, RunWithItselfShowsZeroDeltas) {
    Fixture fx("self");
    fs::path dir = fx.run("base", 1.0);
    Comparison c = compare_runs(dir, dir, options());
    EXPECT_EQ(c.co2_t.delta(), 0.0);
    EXPECT_EQ(c.vkt_km.delta(), 0.0);
    EXPECT_EQ(c.mean_travel_time_min.delta(), 0.0);
    for (std::size_t m = 0; m < kModeCount; ++m) {
        EXPECT_EQ(c.mode_share_pct[m].delta(), 0.0);
        EXPECT_EQ(c.mode_co2_t[m].delta(), 0.0);
        EXPECT_EQ(c.mode_travel_time_min[m].delta(), 0.0);
    }
    for (const auto& h : c.hourly_co2_kg) EXPECT_EQ(h.delta(), 0.0);
    for (const auto& l : c.links) EXPECT_EQ(l.co2_kg.delta(), 0.0);
    for (const auto& d : c.dongs) EXPECT_EQ(d.co2_kg.delta(), 0.0);
    EXPECT_GT(c.co2_t.base, 0.0);
    EXPECT_TRUE(c.network != nullptr);
    fs::path html = fx.root / "out" / "report.html";
    write_comparison(c, html);
    Json j = read_json_file(fx.root / "out" / "report.json");
    EXPECT_EQ(j["co2_t_per_day"]["delta"].get<double>(), 0.0);
    CsvReader csv(fx.root / "out" / "report.csv");
    while (csv.next()) EXPECT_EQ(csv.get_double("delta"), 0.0) << csv.get("item");
}

TEST(Compare, HtmlIsSelfContainedBilingualAndShowsTheChange) {
    Fixture fx("policy");
    fs::path base = fx.run("base", 1.0);
    fs::path pol = fx.run("policy", 0.5);
    Comparison c = compare_runs(base, pol, options());
    EXPECT_LT(c.co2_t.delta(), 0.0);
    EXPECT_LT(c.mode_vkt_km[mode_index(Mode::Car)].delta(), 0.0);
    fs::path html_path = fx.root / "report.html";
    write_comparison(c, html_path);
    std::string html = read_file_bytes(html_path);
    // No external assets: nothing fetched over the network, no scripts or stylesheets by reference.
    // (std::regex trips a GCC 12 -Wmaybe-uninitialized false positive under ASan; plain finds are
    // stricter.)
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_NE(html.find("CO2 배출량 / CO2 emissions"), std::string::npos);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("class=\"dong\""), std::string::npos);  // dong polygons on the map
    EXPECT_NE(html.find("class=\"link\""), std::string::npos);  // links on the map
    EXPECT_NE(html.find("둔산1동"), std::string::npos);
    EXPECT_NE(html.find("headways halved"), std::string::npos);               // policies listed
    EXPECT_NE(html.find(c.policy.summary.scenario_hash), std::string::npos);  // provenance
    EXPECT_TRUE(fs::is_regular_file(fx.root / "report.json"));
    EXPECT_TRUE(fs::is_regular_file(fx.root / "report.csv"));
}

TEST(Compare, MapNetworkIsFoundThroughTheScenarioFileWhenTheSummaryOmitsIt) {
    Fixture fx("viascenario");
    fs::path dir = fx.run("base", 1.0);
    fs::create_directories(fx.root / "scenarios");
    write_text_atomic(fx.root / "scenarios" / "parent.json",
                      R"({"network": "../testville.msnet"})");
    write_text_atomic(fx.root / "scenarios" / "base.json", R"({"extends": "parent.json"})");
    RunSummary s = read_summary_json(dir / kSummaryFile);
    s.network_file.clear();
    s.scenario_file = (fx.root / "scenarios" / "base.json").string();
    write_summary_json(dir / kSummaryFile, s);
    Comparison c = compare_runs(dir, dir, options());
    EXPECT_NE(c.network, nullptr);
}

TEST(Compare, MissingNetworkStillGivesAReport) {
    Fixture fx("nonet");
    fs::path base = fx.run("base", 1.0);
    fs::remove(fx.net_file);
    Comparison c = compare_runs(base, base, options());
    EXPECT_EQ(c.network, nullptr);
    EXPECT_FALSE(c.notes.empty());
    EXPECT_NE(comparison_html(c).find("no map"), std::string::npos);
    EXPECT_THROW(compare_runs(base, fx.root / "nope", options()), InputError);
}

TEST(Compare, ModeShareChartNamesEveryModeOnceAndTrucksTruck) {
    Fixture fx("truck");
    fs::path dir = fx.run("base", 1.0);
    const std::string page = comparison_html(compare_runs(dir, dir, options()));
    const auto begin = page.find("aria-label=\"mode share\"");
    ASSERT_NE(begin, std::string::npos);
    const std::string chart = page.substr(begin, page.find("</svg>", begin) - begin);
    // The truck bars were labelled "Taxi", so Taxi appeared twice and Truck not at all.
    for (Mode m : kAllModes)
        EXPECT_EQ(count(chart, svg_text(html::mode_name_en(m))), 1u) << mode_name(m);
    const std::string truck_ko = svg_text(mode_name_ko(Mode::Truck));
    const auto ko_at = chart.find(truck_ko);
    ASSERT_NE(ko_at, std::string::npos);
    // The English label is the next text after the Korean one, under the same bars.
    EXPECT_EQ(chart.find(">Truck</text>", ko_at), chart.find('>', chart.find("<text", ko_at)));
    EXPECT_EQ(html::mode_label(Mode::Truck), std::string(mode_name_ko(Mode::Truck)) + " / Truck");
}

TEST(Compare, CarbonIsGivenPerDayAndPerYearInEveryFile) {
    Fixture fx("units");
    const fs::path base = fx.run("base", 1.0), pol = fx.run("policy", 0.5);
    const Comparison c = compare_runs(base, pol, options());
    const fs::path out = fx.root / "out";
    write_comparison(c, out / "report.html");
    const Json j = read_json_file(out / "report.json");
    EXPECT_EQ(j["annualisation"]["weekday_equivalent_days_per_year"].get<double>(), 300);
    EXPECT_DOUBLE_EQ(j["co2_t_per_year"]["delta"].get<double>(),
                     300 * j["co2_t_per_day"]["delta"].get<double>());
    EXPECT_DOUBLE_EQ(j["mode_co2_t_per_year"]["car"]["delta"].get<double>(),
                     300 * j["mode_co2_t"]["car"]["delta"].get<double>());
    EXPECT_DOUBLE_EQ(j["dongs"][0]["co2_t_per_year"]["delta"].get<double>(),
                     0.3 * j["dongs"][0]["co2_kg"]["delta"].get<double>());
    EXPECT_LT(j["co2_t_per_year"]["delta"].get<double>(), 0);
    EXPECT_DOUBLE_EQ(j["study_area"]["co2_t_per_year"]["delta"].get<double>(),
                     300 * j["study_area"]["co2_t_per_day"]["delta"].get<double>());

    // report.csv: a byte-order mark for Korean Excel, and a unit on every row.
    EXPECT_EQ(read_file_bytes(out / "report.csv").rfind("\xEF\xBB\xBF", 0), 0u);
    CsvReader csv(out / "report.csv");
    std::set<std::string> year_rows;
    while (csv.next()) {
        EXPECT_FALSE(csv.get("unit").empty()) << csv.get("section") << " " << csv.get("item");
        if (csv.get("unit") == "t/year") year_rows.insert(csv.get("section"));
        if (csv.get("section") == "headline" && csv.get("item") == "co2_t_per_year") {
            EXPECT_NEAR(csv.get_double("delta"), 300 * c.co2_t.delta(),
                        1e-5 * std::abs(300 * c.co2_t.delta()));
        }
    }
    EXPECT_EQ(year_rows,
              (std::set<std::string>{"headline", "mode", "study_area", "dong_co2_t_per_year"}));

    // The page: the big number says t/day, the year is beside it, the method says how.
    const std::string page = read_file_bytes(out / "report.html");
    EXPECT_NE(page.find(fmt::format(">{} t/day</div>", html::signed_num(c.co2_t.delta(), 2))),
              std::string::npos);
    EXPECT_NE(page.find(html::signed_num(300 * c.co2_t.delta(), 0) + " t/year"), std::string::npos);
    EXPECT_NE(page.find("t/year = t/day x 300 (test)"), std::string::npos);
    EXPECT_EQ(page.find("t</div>"), std::string::npos);  // no big number without its unit
    EXPECT_EQ(read_file_bytes(out / "report.xlsx").substr(0, 2), "PK");  // a zip: the workbook
}

TEST(Compare, SeveralSeedsArePairedBySeedAndGiveA90PercentInterval) {
    Fixture fx("seeds");
    // Car traffic varies by seed as seed noise would; the policy halves it.
    const double base_factor[] = {1.0, 1.1, 0.9}, policy_factor[] = {0.5, 0.6, 0.45};
    std::vector<fs::path> base, pol;
    for (std::uint64_t s = 1; s <= 3; ++s) {
        base.push_back(
            fx.run("base_seed" + std::to_string(s), base_factor[s - 1], s, "seogu-baseline"));
        pol.push_back(
            fx.run("pol_seed" + std::to_string(s), policy_factor[s - 1], s, "seogu-transit"));
    }
    std::vector<double> diffs, bases;
    for (std::size_t s = 0; s < 3; ++s) {
        const Comparison one = compare_runs(base[s], pol[s], options());
        diffs.push_back(one.co2_t.delta());
        bases.push_back(one.co2_t.base);
    }
    // Given in any order: the runs are paired by their seeds.
    const Comparison c =
        compare_runs({base[2], base[0], base[1]}, {pol[1], pol[2], pol[0]}, options());
    EXPECT_EQ(c.runs_per_side(), 3u);
    EXPECT_EQ(c.seeds, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_NEAR(c.co2_t.base, (bases[0] + bases[1] + bases[2]) / 3, 1e-12);
    const Interval want = mean_interval(diffs, 0.90);
    EXPECT_EQ(c.co2_t.band.kind, Band::Kind::TInterval);
    EXPECT_EQ(c.co2_t.band.n, 3u);
    EXPECT_NEAR(c.co2_t.band.lo, want.lo, 1e-12);
    EXPECT_NEAR(c.co2_t.band.hi, want.hi, 1e-12);
    EXPECT_LT(c.co2_t.band.hi, 0);
    EXPECT_FALSE(c.co2_t.band.includes_zero());
    // The same three trips in every run: a change of 0 cannot be told from noise.
    EXPECT_TRUE(c.trips.band.includes_zero());
    const std::string page = comparison_html(c);
    EXPECT_NE(page.find("90 % interval (3 seeds)"), std::string::npos);
    EXPECT_NE(page.find("not distinguishable from noise at this sample"), std::string::npos);
    EXPECT_NE(page.find("이 표본에서는 시드 간 잡음과 구별되지 않음"), std::string::npos);
    EXPECT_NE(page.find("mean of 3 seeds"), std::string::npos);
    const Json j = Json::parse(comparison_json(c));
    EXPECT_EQ(j["runs"]["band"], "t90");
    EXPECT_EQ(j["co2_t_per_day"]["band"]["kind"], "t90");
    EXPECT_FALSE(j["co2_t_per_day"]["band"]["includes_zero"].get<bool>());
    EXPECT_TRUE(j["trips"]["band"]["includes_zero"].get<bool>());

    // Two seeds: too few for a t interval; the band is the range of the two, and says so.
    const Comparison two = compare_runs({base[0], base[1]}, {pol[0], pol[1]}, options());
    EXPECT_EQ(two.co2_t.band.kind, Band::Kind::Range);
    EXPECT_DOUBLE_EQ(two.co2_t.band.lo, std::min(diffs[0], diffs[1]));
    EXPECT_DOUBLE_EQ(two.co2_t.band.hi, std::max(diffs[0], diffs[1]));
    EXPECT_NE(comparison_html(two).find("min–max (2 seeds)"), std::string::npos);
    EXPECT_NE(comparison_csv(two).find(",range,2\n"), std::string::npos);
}

TEST(Compare, RunsOfASideMustPairWithTheOtherSidesSeeds) {
    Fixture fx("pairing");
    const fs::path b1 = fx.run("b1", 1.0, 1, "base"), b2 = fx.run("b2", 1.0, 2, "base");
    const fs::path p1 = fx.run("p1", 0.5, 1, "policy"), p3 = fx.run("p3", 0.5, 3, "policy");
    std::string msg = input_error([&] { compare_runs({b1, b2}, {p1, p3}, options()); });
    EXPECT_NE(msg.find("seed 2 has a base run but no policy run"), std::string::npos) << msg;
    EXPECT_NE(msg.find((b2 / "summary.json").string()), std::string::npos) << msg;
    msg = input_error([&] { compare_runs({b1, b2}, {p1}, options()); });
    EXPECT_NE(msg.find("seed 2 has a base run"), std::string::npos) << msg;
    const fs::path b1_again = fx.run("b1_again", 1.0, 1, "base");
    msg = input_error([&] { compare_runs({b1, b1_again}, {p1, p1}, options()); });
    EXPECT_NE(msg.find("also the seed of"), std::string::npos) << msg;
    const fs::path other = fx.run("other", 1.0, 2, "another-scenario");
    msg = input_error([&] { compare_runs({b1, other}, {p1, p3}, options()); });
    EXPECT_NE(msg.find("must be of one scenario"), std::string::npos) << msg;
    // One run per side may have different seeds: a note says so.
    const Comparison c = compare_runs(b1, p3, options());
    EXPECT_NE(c.notes.front().find("different seeds"), std::string::npos);
}

TEST(Compare, TablesCutShortAreRefusedNamingTheFile) {
    Fixture fx("cut");
    const fs::path base = fx.run("base", 1.0);
    auto policy = [&] { return fx.run("policy", 0.5); };
    // by_dong.csv cut at a line end parses; the count in summary.json tells.
    fs::path pol = policy();
    drop_last_lines(pol / "by_dong.csv", 1);
    std::string msg = input_error([&] { compare_runs(base, pol, options()); });
    EXPECT_NE(msg.find((pol / "by_dong.csv").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("cut short: 1 of the 2 rows"), std::string::npos) << msg;
    // links.csv cut inside a row.
    pol = policy();
    const std::string links = read_file_bytes(pol / "links.csv");
    write_text_atomic(pol / "links.csv", links.substr(0, links.size() - 3));
    msg = input_error([&] { compare_runs(base, pol, options()); });
    EXPECT_NE(msg.find((pol / "links.csv").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("no line end"), std::string::npos) << msg;
    // A summary from before the counts: the tables are checked against the run's network.
    auto without_counts = [](const fs::path& dir) {
        RunSummary s = read_summary_json(dir / kSummaryFile);
        s.table_rows.clear();
        write_summary_json(dir / kSummaryFile, s);
    };
    pol = policy();
    without_counts(pol);
    drop_last_lines(pol / "links.csv", 1);
    msg = input_error([&] { compare_runs(base, pol, options()); });
    EXPECT_NE(msg.find((pol / "links.csv").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("2 rows, but the run's network has 3 links"), std::string::npos) << msg;
    // ...and when that network is not at hand, a note says they were not checked.
    pol = policy();
    without_counts(pol);
    fs::remove(fx.net_file);
    const Comparison c = compare_runs(base, pol, options());
    EXPECT_TRUE(std::any_of(c.notes.begin(), c.notes.end(), [](const std::string& n) {
        return n.find("could not be checked for completeness") != std::string::npos;
    }));
}

TEST(Compare, RunsOnDifferentNetworksGetANote) {
    Fixture fx("networks");
    const fs::path base = fx.run("base", 1.0), pol = fx.run("policy", 0.5);
    RunSummary s = read_summary_json(pol / kSummaryFile);
    s.network_hash = "00000000000000aa";  // an edited network, e.g. a road diet
    write_summary_json(pol / kSummaryFile, s);
    const Comparison c = compare_runs(base, pol, options());
    EXPECT_TRUE(std::any_of(c.notes.begin(), c.notes.end(), [](const std::string& n) {
        return n.find("different networks") != std::string::npos;
    }));
    EXPECT_NE(c.link_match.find("external id"), std::string::npos);
    EXPECT_EQ(c.links.size(), 3u);  // matched by the source-data ids L0..L2
}
