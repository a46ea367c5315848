// `modeshift validate`: geometry matching, the corridor speed over links in a row and side by
// side, error metrics, the count cross-section rules, input errors, and a run on the bundled real
// observation files.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/validate/outputs.hpp"
#include "modeshift/validate/validate.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

const fs::path kSrc = MODESHIFT_SOURCE_DIR;
const fs::path kCalibration = kSrc / "scenarios" / "data" / "calibration";

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ms_validate_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream o(p, std::ios::binary);
    o << text;
}

/// 0.00027 degrees of latitude ~ 30 m, 0.00054 ~ 60 m.
constexpr double kLat = 36.35, kNorth30 = 36.35027, kNorth60 = 36.35054;

/// The segment runs west -> east along kLat from lon 127.370 to 127.380 (~ 900 m).
/// Links: 0 = 30 m north, west->east, 600 m; 1 = 30 m north, west->east, 300 m (both match AB);
/// 2 = on the line, east->west, 900 m (matches BA only); 3 = 60 m north, west->east (no match);
/// 4 = tram track on the line (not a road link); 5 = unnamed connector on the line.
NetworkData corridor_network() {
    NetworkBuilder b("corridor");
    auto a0 = b.add_node({kNorth30, 127.370}), a1 = b.add_node({kNorth30, 127.376}),
         a2 = b.add_node({kNorth30, 127.380});
    auto b0 = b.add_node({kLat, 127.370}), b2 = b.add_node({kLat, 127.380});
    auto c0 = b.add_node({kNorth60, 127.370}), c2 = b.add_node({kNorth60, 127.380});
    auto add = [&](NodeId f, NodeId t, double len, RoadClass rc, ModeMask modes, const char* name) {
        LinkSpec s;
        s.from = f;
        s.to = t;
        s.length_m = len;
        s.road_class = rc;
        s.modes = modes;
        s.name = name;
        s.capacity_vph = 1800;
        s.external_id = fmt::format("E{}", b.data().links.size());
        return b.add_link(s);
    };
    add(a0, a1, 600, RoadClass::Primary, kRoadModes, "테스트로");
    add(a1, a2, 300, RoadClass::Primary, kRoadModes, "테스트로");
    add(b2, b0, 900, RoadClass::Primary, kRoadModes, "테스트로");
    add(c0, c2, 900, RoadClass::Secondary, kRoadModes, "옆길");
    add(b0, b2, 900, RoadClass::Tram, mode_bit(Mode::Tram), "테스트로");
    add(b0, b2, 900, RoadClass::Connector, mode_bit(Mode::Car), "");
    return b.finish();
}

/// A primary road link, one direction, for the geometry tests.
void add_primary(NetworkBuilder& b, NodeId from, NodeId to, double length_m) {
    LinkSpec s;
    s.road_class = RoadClass::Primary;
    s.modes = kRoadModes;
    s.from = from;
    s.to = to;
    s.length_m = length_m;
    b.add_link(s);
}

const std::vector<LatLon> kSegmentLine = {{kLat, 127.370}, {kLat, 127.375}, {kLat, 127.380}};

std::vector<std::uint32_t> ids(const std::vector<LinkMatch>& m) {
    std::vector<std::uint32_t> v;
    for (const auto& x : m) v.push_back(x.link.value());
    return v;
}

template <class F>
InputError expect_input_error(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "expected an InputError";
    return InputError("", 0, "", "none");
}

const char* kSegmentsJson = R"({"segments": [
  {"segment_id": "SEG_T", "road_name": "테스트로", "from_station_name": "서쪽", "to_station_name": "동쪽",
   "directions": {"AB": "SEG_T_AB", "BA": "SEG_T_BA"},
   "geometry": {"type": "MultiLineString", "coordinates": [[[127.370, 36.35], [127.375, 36.35]], [[127.375, 36.35], [127.380, 36.35]]]}}
]})";

std::string speeds_header() {
    std::string h = "segment_key,from_name,to_name";
    for (int i = 0; i < 24; ++i) h += fmt::format(",h{:02}", i);
    h += ",source\n";
    return h;
}

/// A row with the given hour -> km/h cells (others empty).
std::string speeds_row(const std::string& key, const std::map<int, std::string>& cells,
                       const std::string& source = "test") {
    std::string r = fmt::format("{},a,b", key);
    for (int i = 0; i < 24; ++i) {
        r += ',';
        if (cells.count(i)) r += cells.at(i);
    }
    return fmt::format("{},{}\n", r, source);
}

/// A run directory: summary.json naming `net_file`, and link_hourly.csv.
fs::path make_run(const std::string& name, const NetworkData& d, const std::string& hourly_rows) {
    fs::path dir = temp_dir(name);
    fs::path net_file = dir / "net.msnet";
    write_network(d, net_file);
    RunSummary s;
    s.scenario = name;
    s.network = d.name;
    s.network_file = net_file.string();
    s.network_hash = hex64(Network(d).content_hash());
    write_summary_json(dir / kSummaryFile, s);
    write(
        dir / "link_hourly.csv",
        fmt::format("link_id,external_id,road_name,hour,vehicles,mean_speed_kmh,co2_kg,vkt_km\n{}",
                    hourly_rows));
    return dir;
}

}  // namespace

// ---------------------------------------------------------------- matching

TEST(Validate, MatchesByDistanceAndDirection) {
    const Network net(corridor_network());
    // 30 m away in the same direction: matches; opposite direction, 60 m away, tram, connector:
    // not.
    EXPECT_EQ(ids(match_corridor_links(net, kSegmentLine, false)),
              (std::vector<std::uint32_t>{0, 1}));
    // Against the digitised order (BA): only the east->west link.
    EXPECT_EQ(ids(match_corridor_links(net, kSegmentLine, true)), (std::vector<std::uint32_t>{2}));
    auto m = match_corridor_links(net, kSegmentLine, false);
    EXPECT_NEAR(m[0].distance_m, 30.0, 0.5);
    EXPECT_NEAR(m[0].angle_deg, 0.0, 0.5);
    // With a wider corridor the 60 m link is taken too: the distance rule is what excluded it.
    EXPECT_EQ(ids(match_corridor_links(net, kSegmentLine, false, 70.0)),
              (std::vector<std::uint32_t>{0, 1, 3}));
    EXPECT_FALSE(is_road_link(net, LinkId(4)));
    EXPECT_FALSE(is_road_link(net, LinkId(5)));
}

TEST(Validate, LocalDirectionOfABentSegment) {
    // The segment turns north half-way; a link heading north near the second leg matches, one
    // heading east there does not (the local direction, not the overall one, counts).
    NetworkBuilder b("bent");
    auto n0 = b.add_node({36.3505, 127.3803}), n1 = b.add_node({36.3545, 127.3803});
    auto e0 = b.add_node({36.3525, 127.3800}), e1 = b.add_node({36.3525, 127.3806});
    add_primary(b, n0, n1, 445);
    add_primary(b, e0, e1, 54);
    const Network net(b.finish());
    const std::vector<LatLon> bent = {{36.35, 127.370}, {36.35, 127.380}, {36.36, 127.380}};
    EXPECT_EQ(ids(match_corridor_links(net, bent, false)), (std::vector<std::uint32_t>{0}));
}

// ---------------------------------------------------------------- speeds and metrics

namespace {
LinkMatch along(std::uint32_t id, double from_m, double to_m, double inside_m) {
    LinkMatch m{LinkId(id)};
    m.from_m = from_m;
    m.to_m = to_m;
    m.inside_m = inside_m;
    return m;
}
std::optional<LinkTraffic> traffic(double vehicles, double kmh) {
    return LinkTraffic{vehicles, kmh};
}
}  // namespace

TEST(Validate, LinksInARowGiveTheLengthWeightedHarmonicSpeed) {
    const std::vector<LinkMatch> row = {along(0, 0, 600, 600), along(1, 600, 900, 300)};
    // 900 m / (600/30 + 300/60) = 900 / 25 = 36 km/h (the arithmetic mean would be 45), whatever
    // the vehicles: everybody drives both.
    EXPECT_NEAR(*segment_speed_kmh(row, std::vector{traffic(10, 30), traffic(10, 60)}), 36.0,
                1e-12);
    EXPECT_NEAR(*segment_speed_kmh(row, std::vector{traffic(10, 30), traffic(2, 60)}), 36.0, 1e-12);
    // A link without traffic is left out.
    EXPECT_NEAR(*segment_speed_kmh(row, std::vector{std::optional<LinkTraffic>{}, traffic(5, 60)}),
                60.0, 1e-12);
    EXPECT_FALSE(
        segment_speed_kmh(row, std::vector<std::optional<LinkTraffic>>{std::nullopt, std::nullopt})
            .has_value());
    EXPECT_FALSE(segment_speed_kmh({}, {}).has_value());
    // The geometry may be shorter than the link: its own length counts, not the chainage.
    const std::vector<LinkMatch> short_geometry = {along(0, 0, 540, 600), along(1, 540, 900, 300)};
    EXPECT_NEAR(*segment_speed_kmh(short_geometry, std::vector{traffic(10, 30), traffic(10, 60)}),
                36.0, 1e-12);
}

TEST(Validate, LinksSideBySideCountByTheirVehicles) {
    // The main carriageway (0 -> 400 m, 20 km/h, 990 vehicles) with an empty-ish slip road beside
    // it (60 km/h, 10 vehicles), then one link on (400 -> 1000 m, 30 km/h). Counting the ramp as
    // if everybody drove it (the old series sum) would give 1400 / (400/20 + 400/60 + 600/30) =
    // 30.0 km/h; the average vehicle drives 400 m at 1 / (0.99/20 + 0.01/60) and 600 m at 30.
    const std::vector<LinkMatch> links = {along(0, 0, 400, 400), along(1, 0, 400, 400),
                                          along(2, 400, 1000, 600)};
    const double time = 400 * (0.99 / 20 + 0.01 / 60) + 600 / 30.0;
    EXPECT_NEAR(*segment_speed_kmh(
                    links, std::vector{traffic(990, 20), traffic(10, 60), traffic(1000, 30)}),
                1000 / time, 1e-9);
    // The matched length counts the side-by-side stretch once.
    EXPECT_NEAR(
        drive_segment(links, std::vector<double>(3, 1.0), std::vector<double>(3, 1.0)).length_m,
        1000.0, 1e-9);
}

TEST(Validate, OverhangingLinksCountOnlyInsideTheSegment) {
    // A 367 m link of which 188 m lie before the segment start (as on 대학로, SEG_21 BA, where
    // 370 m of a 747 m link do): only its 179 m inside, at its own speed, join the link after it.
    NetworkBuilder b("overhang");
    auto p0 = b.add_node({kLat, 127.3659}), p1 = b.add_node({kLat, 127.3700}),
         p2 = b.add_node({kLat, 127.3800});
    add_primary(b, p0, p1, 367);  // 0.0041 degrees of longitude at 36.35 N
    add_primary(b, p1, p2, 897);
    const Network net(b.finish());
    const std::vector<LatLon> line = {{kLat, 127.3680},
                                      {kLat, 127.3800}};  // starts 188 m into link 0
    const auto m = match_corridor_links(net, line, false);
    ASSERT_EQ(ids(m), (std::vector<std::uint32_t>{0, 1}));
    EXPECT_NEAR(m[0].from_m, 0.0, 1e-9);
    EXPECT_NEAR(m[0].to_m, 179.4, 1.0);
    EXPECT_NEAR(m[0].inside_m, 367 * m[0].to_m / (m[0].to_m + 188.3), 1.0);
    EXPECT_NEAR(m[1].to_m, 1076.6, 2.0);
    const double speed = *segment_speed_kmh(m, std::vector{traffic(100, 60), traffic(100, 30)});
    EXPECT_NEAR(speed, (m[0].inside_m + 897) / (m[0].inside_m / 60 + 897 / 30.0), 1e-9);
}

TEST(Validate, ErrorStatsExact) {
    const std::vector<double> obs = {10, 20, 30}, sim = {12, 18, 33};
    ErrorStats s = error_stats(obs, sim);
    EXPECT_EQ(s.n, 3u);
    EXPECT_DOUBLE_EQ(s.rmse, std::sqrt((4.0 + 4.0 + 9.0) / 3.0));
    EXPECT_DOUBLE_EQ(s.bias, 1.0);
    EXPECT_DOUBLE_EQ(s.mae, 7.0 / 3.0);
    EXPECT_DOUBLE_EQ(s.mean_observed, 20.0);
    EXPECT_DOUBLE_EQ(s.mean_simulated, 21.0);
    // cov = (-10)(-9) + 0(-3) + 10(12) = 210; var_o = 200; var_s = 81 + 9 + 144 = 234.
    ASSERT_TRUE(s.correlation.has_value());
    EXPECT_NEAR(*s.correlation, 210.0 / std::sqrt(200.0 * 234.0), 1e-12);
    EXPECT_FALSE(
        error_stats(std::vector<double>{5}, std::vector<double>{7}).correlation.has_value());
    EXPECT_EQ(error_stats({}, {}).n, 0u);
}

TEST(Validate, RunOnASyntheticCorridor) {
    const NetworkData d = corridor_network();
    // Hour 8: links 0 (30 km/h) and 1 (60 km/h) -> 36; hour 9: only link 0 (40) -> 40; hour 10:
    // no traffic -> missing. BA (link 2): hour 8 at 20 km/h. Link 3 is busy but not matched.
    fs::path run = make_run("synthetic", d,
                            "0,E0,테스트로,8,10,30,0,6\n"
                            "0,E0,테스트로,9,4,40,0,2.4\n"
                            "1,E1,테스트로,8,10,60,0,3\n"
                            "2,E2,테스트로,8,5,20,0,4.5\n"
                            "3,E3,옆길,8,100,5,0,90\n"
                            "3,E3,옆길,9,100,5,0,90\n");
    write(run / "segments.json", kSegmentsJson);
    write(run / "speeds.csv", speeds_header() +
                                  speeds_row("SEG_T_AB", {{8, "30"}, {9, "44"}, {10, "25"}}) +
                                  speeds_row("SEG_T_BA", {{8, "25"}}));
    ValidateOptions o;
    o.run_dir = run;
    o.speeds = run / "speeds.csv";
    o.segments = run / "segments.json";
    o.use_counts = false;
    o.min_sampled_vehicles = 1;  // the hand-worked values below use every link-hour
    ValidationResult r = validate_run(o);
    ASSERT_EQ(r.segments.size(), 2u);
    const auto& ab = r.segments[0];
    EXPECT_EQ(ab.direction, "AB");
    EXPECT_EQ(ab.links.size(), 2u);
    EXPECT_DOUBLE_EQ(ab.matched_length_m, 900.0);
    EXPECT_NEAR(ab.segment_length_m, 897.0, 2.0);
    EXPECT_FALSE(ab.low_coverage);
    EXPECT_DOUBLE_EQ(*ab.hours[8].simulated_kmh, 36.0);
    EXPECT_EQ(ab.hours[8].links_with_traffic, 2);
    ASSERT_TRUE(ab.hours[9].simulated_kmh.has_value());
    EXPECT_DOUBLE_EQ(*ab.hours[9].simulated_kmh, 40.0);
    EXPECT_FALSE(ab.hours[10].simulated_kmh.has_value());
    EXPECT_EQ(ab.hours_missing, 1u);
    EXPECT_DOUBLE_EQ(*r.segments[1].hours[8].simulated_kmh, 20.0);
    // Pairs (obs, sim): (30, 36), (44, 40), (25, 20): differences +6, -4, -5.
    EXPECT_EQ(r.overall.n, 3u);
    EXPECT_EQ(r.missing, 1u);
    EXPECT_DOUBLE_EQ(r.overall.rmse, std::sqrt(77.0 / 3.0));
    EXPECT_DOUBLE_EQ(r.overall.bias, -1.0);
    EXPECT_DOUBLE_EQ(r.overall.mae, 5.0);
    // The minimum-vehicles rule: AB's hour 9 rests on 4 simulated vehicles (sample fraction 1).
    ValidateOptions strict_opt = o;
    strict_opt.min_sampled_vehicles = 5;
    const ValidationResult strict = validate_run(strict_opt);
    EXPECT_FALSE(strict.segments[0].hours[9].simulated_kmh.has_value());
    EXPECT_EQ(strict.segments[0].hours[9].links_with_traffic, 1);
    EXPECT_EQ(strict.sparse, 1u);
    EXPECT_EQ(strict.missing, 2u);
    EXPECT_EQ(strict.overall.n, 2u);
    // Hour 8 over the two segment directions: (+6, -5).
    EXPECT_EQ(r.hours[8].stats.n, 2u);
    EXPECT_DOUBLE_EQ(r.hours[8].stats.bias, 0.5);
    EXPECT_DOUBLE_EQ(r.hours[8].stats.rmse, std::sqrt(61.0 / 2.0));
    EXPECT_EQ(r.hours[10].missing, 1u);

    auto written = write_validation(r, run / "out");
    ASSERT_EQ(written.size(), 2u);  // no counts file without counts
    Json j = read_json_file(run / "out" / "validation.json");
    EXPECT_EQ(j["format"], "modeshift-validation");
    EXPECT_EQ(j["speeds"]["overall"]["n"], 3);
    EXPECT_DOUBLE_EQ(j["speeds"]["overall"]["bias_kmh"].get<double>(), -1.0);
    EXPECT_TRUE(j["counts"].is_null());
    EXPECT_TRUE(j["speeds"]["hours"][0]["rmse_kmh"].is_null());
    // Each matched link's place along the segment: link 0 from its start, link 1 to its end.
    const Json& spans = j["speeds"]["segments"][0]["link_spans"];
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0]["link"], 0);
    EXPECT_NEAR(spans[0]["from_m"].get<double>(), 0.0, 1e-6);
    EXPECT_NEAR(spans[0]["to_m"].get<double>(), spans[1]["from_m"].get<double>(), 1e-6);
    EXPECT_DOUBLE_EQ(spans[0]["inside_m"].get<double>(), 600.0);
    EXPECT_NEAR(spans[1]["to_m"].get<double>(), ab.segment_length_m, 3.0);
    std::ifstream csv(run / "out" / "validation_speeds.csv");
    std::string header, line;
    std::getline(csv, header);
    EXPECT_EQ(header,
              "segment,direction,road_name,hour,observed_kmh,simulated_kmh,diff_kmh,links_matched,"
              "links_with_traffic,matched_length_m");
    int rows = 0;
    bool found = false;
    while (std::getline(csv, line)) {
        ++rows;
        if (line == "SEG_T_AB,AB,테스트로,8,30.0,36.00,6.00,2,2,900.0") found = true;
    }
    EXPECT_EQ(rows, 48);
    EXPECT_TRUE(found);
}

TEST(Validate, GeometryAsAStringGeoJsonOrWkt) {
    fs::path dir = temp_dir("geometry_string");
    Json j = Json::parse(kSegmentsJson);
    Json g = j["segments"][0]["geometry"];
    j["segments"][0]["geometry"] = g.dump();
    write(dir / "a.json", j.dump());
    j["segments"][0]["geometry"] =
        "MULTILINESTRING ((127.370 36.35, 127.375 36.35), (127.375 36.35, 127.380 36.35))";
    write(dir / "b.json", j.dump());
    for (const char* f : {"a.json", "b.json"}) {
        auto segs = read_corridor_segments(dir / f);
        ASSERT_EQ(segs.size(), 1u);
        ASSERT_EQ(segs[0].line.size(), 3u) << f;  // the shared point of the two parts is kept once
        EXPECT_DOUBLE_EQ(segs[0].line[2].lon, 127.380);
        EXPECT_EQ(segs[0].key_ba, "SEG_T_BA");
    }
}

// ---------------------------------------------------------------- counts

namespace {

/// 계백로: pair A (0: n0->n1, 1: n1->n0), one-way B (2: n1->n2, plus a walk-only reverse 3),
/// pair C (4: n2->n3, 5: n3->n2); 6 = unnamed, busy; 7 = tram track named 계백로.
NetworkData count_network() {
    NetworkBuilder b("counts");
    auto n0 = b.add_node({36.30, 127.350}), n1 = b.add_node({36.30, 127.355}),
         n2 = b.add_node({36.30, 127.360}), n3 = b.add_node({36.30, 127.365});
    auto add = [&](NodeId f, NodeId t, RoadClass rc, ModeMask m, const char* name) {
        LinkSpec s;
        s.from = f;
        s.to = t;
        s.length_m = 450;
        s.road_class = rc;
        s.modes = m;
        s.name = name;
        b.add_link(s);
    };
    add(n0, n1, RoadClass::Primary, kRoadModes, "계백로");
    add(n1, n0, RoadClass::Primary, kRoadModes, "계백로");
    add(n1, n2, RoadClass::Primary, kRoadModes, "계백로");
    add(n2, n1, RoadClass::Path, mode_bit(Mode::Walk), "계백로");
    add(n2, n3, RoadClass::Primary, kRoadModes, "계백로");
    add(n3, n2, RoadClass::Primary, kRoadModes, "계백로");
    add(n0, n3, RoadClass::Primary, kRoadModes, "");
    add(n0, n3, RoadClass::Tram, mode_bit(Mode::Tram), "계백로");
    return b.finish();
}

TrafficCount count(std::optional<double> lat, std::optional<double> lon,
                   std::optional<double> radius, std::string road = "계백로") {
    TrafficCount c;
    c.count_id = std::string("count");
    c.road_name = std::move(road);
    c.lat = lat;
    c.lon = lon;
    c.radius_m = radius;
    c.observed_veh_per_day = 200;
    c.source = std::string("test");
    return c;
}

}  // namespace

TEST(Validate, CountBusiestCrossSection) {
    const Network net(count_network());
    const std::vector<double> daily = {100, 50, 120, 1000, 120, 40, 5000, 9000};
    CountResult r = evaluate_count(net, daily, count(std::nullopt, std::nullopt, std::nullopt));
    // A: 150; B: 120 (the walk-only reverse does not count); C: 160 -> 160.
    ASSERT_TRUE(r.simulated_veh_per_day.has_value());
    EXPECT_DOUBLE_EQ(*r.simulated_veh_per_day, 160.0);
    EXPECT_DOUBLE_EQ(*r.ratio, 0.8);
    EXPECT_EQ(r.links, (std::vector<LinkId>{LinkId(4), LinkId(5)}));

    CountResult none =
        evaluate_count(net, daily, count(std::nullopt, std::nullopt, std::nullopt, "문지로"));
    EXPECT_FALSE(none.simulated_veh_per_day.has_value());
    EXPECT_FALSE(none.ratio.has_value());
}

TEST(Validate, CountAtAPoint) {
    const Network net(count_network());
    const std::vector<double> daily = {100, 50, 120, 1000, 120, 40, 5000, 9000};
    // Near the middle of pair A (lon 127.3525): link 0 or 1 first, the other as the opposite.
    CountResult a = evaluate_count(net, daily, count(36.3001, 127.3525, 100));
    ASSERT_TRUE(a.simulated_veh_per_day.has_value());
    EXPECT_DOUBLE_EQ(*a.simulated_veh_per_day, 150.0);
    EXPECT_EQ(a.links.size(), 2u);
    // Near B: one direction only (no opposite road link within the radius).
    CountResult b = evaluate_count(net, daily, count(36.3001, 127.3575, 100));
    ASSERT_TRUE(b.simulated_veh_per_day.has_value());
    EXPECT_DOUBLE_EQ(*b.simulated_veh_per_day, 120.0);
    EXPECT_EQ(b.links, (std::vector<LinkId>{LinkId(2)}));
    // Nothing within the radius.
    CountResult far = evaluate_count(net, daily, count(36.31, 127.3525, 100));
    EXPECT_FALSE(far.simulated_veh_per_day.has_value());
}

// ---------------------------------------------------------------- bad input

TEST(Validate, BadSpeedsNameFileLineAndField) {
    fs::path dir = temp_dir("bad_speeds");
    write(dir / "segments.json", kSegmentsJson);
    const auto segs = read_corridor_segments(dir / "segments.json");

    // Missing column.
    std::string h = speeds_header();
    auto pos = h.find(",h05");
    write(dir / "missing.csv", h.erase(pos, 4));
    auto e1 = expect_input_error([&] { read_observed_speeds(dir / "missing.csv", segs); });
    EXPECT_EQ(e1.file(), (dir / "missing.csv").string());
    EXPECT_EQ(e1.line(), 1u);
    EXPECT_EQ(e1.field(), "h05");

    // Non-numeric speed on line 3.
    write(dir / "text.csv", speeds_header() + speeds_row("SEG_T_AB", {{8, "30"}}) +
                                speeds_row("SEG_T_BA", {{8, "fast"}}));
    auto e2 = expect_input_error([&] { read_observed_speeds(dir / "text.csv", segs); });
    EXPECT_EQ(e2.file(), (dir / "text.csv").string());
    EXPECT_EQ(e2.line(), 3u);
    EXPECT_EQ(e2.field(), "h08");
    EXPECT_NE(std::string(e2.what()).find("fast"), std::string::npos);

    // Unknown segment key on line 2.
    write(dir / "key.csv", speeds_header() + speeds_row("SEG_X_AB", {{8, "30"}}));
    auto e3 = expect_input_error([&] { read_observed_speeds(dir / "key.csv", segs); });
    EXPECT_EQ(e3.line(), 2u);
    EXPECT_EQ(e3.field(), "segment_key");
    EXPECT_NE(std::string(e3.what()).find("SEG_X_AB"), std::string::npos);

    // A speed without a source, and an implausible speed.
    write(dir / "nosource.csv", speeds_header() + speeds_row("SEG_T_AB", {{8, "30"}}, ""));
    EXPECT_EQ(expect_input_error([&] { read_observed_speeds(dir / "nosource.csv", segs); }).field(),
              "source");
    write(dir / "neg.csv", speeds_header() + speeds_row("SEG_T_AB", {{8, "-3"}}));
    EXPECT_EQ(expect_input_error([&] { read_observed_speeds(dir / "neg.csv", segs); }).field(),
              "h08");
}

TEST(Validate, BadSegmentsCountsAndRunFiles) {
    fs::path dir = temp_dir("bad_other");
    Json j = Json::parse(kSegmentsJson);
    j["segments"][0].erase("geometry");
    write(dir / "nogeom.json", j.dump());
    auto e1 = expect_input_error([&] { read_corridor_segments(dir / "nogeom.json"); });
    EXPECT_EQ(e1.file(), (dir / "nogeom.json").string());
    EXPECT_EQ(e1.field(), "$.segments[0].geometry");
    j = Json::parse(kSegmentsJson);
    j["segments"][0]["geometry"] = "POLYGON ((1 2, 3 4))";
    write(dir / "poly.json", j.dump());
    EXPECT_EQ(expect_input_error([&] { read_corridor_segments(dir / "poly.json"); }).field(),
              "$.segments[0].geometry");

    const std::string ch =
        "count_id,road_name,lat,lon,radius_m,observed_veh_per_day,year,what,source\n";
    write(dir / "c1.csv", ch + "a,계백로,,,,1000,2015,x,s\nb,계백로,36.3,127.35,,1000,2015,x,s\n");
    auto e2 = expect_input_error([&] { read_traffic_counts(dir / "c1.csv"); });
    EXPECT_EQ(e2.line(), 3u);
    EXPECT_EQ(e2.field(), "radius_m");
    write(dir / "c2.csv", ch + "a,계백로,,,,many,2015,x,s\n");
    auto e3 = expect_input_error([&] { read_traffic_counts(dir / "c2.csv"); });
    EXPECT_EQ(e3.line(), 2u);
    EXPECT_EQ(e3.field(), "observed_veh_per_day");
    write(dir / "c3.csv", "count_id,road_name,source\na,b,c\n");
    EXPECT_EQ(expect_input_error([&] { read_traffic_counts(dir / "c3.csv"); }).field(),
              "observed_veh_per_day");

    const Network net(corridor_network());
    const std::string lh =
        "link_id,external_id,road_name,hour,vehicles,mean_speed_kmh,co2_kg,vkt_km\n";
    write(dir / "lh1.csv", lh + "0,E0,x,8,1,30,0,0\n99,E99,x,8,1,30,0,0\n");
    auto e4 = expect_input_error([&] { read_link_hourly(dir / "lh1.csv", net); });
    EXPECT_EQ(e4.line(), 3u);
    EXPECT_EQ(e4.field(), "link_id");
    write(dir / "lh2.csv", lh + "0,OTHER,x,8,1,30,0,0\n");
    EXPECT_EQ(expect_input_error([&] { read_link_hourly(dir / "lh2.csv", net); }).field(),
              "external_id");
    write(dir / "lh3.csv", lh + "0,E0,x,8,1,30,0,0\n0,E0,x,8,1,31,0,0\n");
    EXPECT_EQ(expect_input_error([&] { read_link_hourly(dir / "lh3.csv", net); }).line(), 3u);
    write(dir / "lh4.csv", "link_id,hour,vehicles\n0,8,1\n");
    EXPECT_EQ(expect_input_error([&] { read_link_hourly(dir / "lh4.csv", net); }).field(),
              "mean_speed_kmh");
}

TEST(Validate, MissingRunFilesAreInputErrors) {
    fs::path dir = temp_dir("empty_run");
    ValidateOptions o;
    o.run_dir = dir;
    EXPECT_EQ(expect_input_error([&] { validate_run(o); }).file(), (dir / kSummaryFile).string());
}

// ---------------------------------------------------------------- the bundled real files

TEST(ValidateRealData, BundledObservationFiles) {
    for (const char* f : {kDefaultSpeedsFile, kDefaultSegmentsFile}) {
        fs::path p = kSrc / "scenarios" / "data" / f;
        ASSERT_TRUE(fs::is_regular_file(p)) << p;
        EXPECT_LT(fs::file_size(p), 500u * 1024u) << p;
    }
    const auto segs = read_corridor_segments(kCalibration / "tram_line2_segments_nynji.json");
    EXPECT_EQ(segs.size(), 45u);
    const auto obs =
        read_observed_speeds(kCalibration / "tram_corridor_hourly_speed_kmh_calibration.csv", segs);
    ASSERT_EQ(obs.size(), 23u);
    EXPECT_EQ(obs[0].key, "SEG_01_201_202_AB");
    EXPECT_FALSE(obs[0].reverse);
    EXPECT_EQ(segs[obs[0].segment].segment_id, "SEG_01_201_202");
    EXPECT_TRUE(obs[1].reverse);  // SEG_03_203_204_BA
    EXPECT_DOUBLE_EQ(*obs[0].kmh[0], 37.7);
    for (const auto& o : obs) {
        EXPECT_EQ(o.source, "nynji/daejeon-tram-analysis@ed23e87:data/clusters.json");
        for (const auto& v : o.kmh) EXPECT_TRUE(v.has_value()) << o.key;
    }
    // AB runs from the segment's from-station: the geometry starts at 서대전역 (station 201).
    EXPECT_NEAR(segs[0].line.front().lat, 36.320537, 1e-5);
    EXPECT_NEAR(polyline_length_m(segs[0].line), 666.0, 5.0);

    const auto counts = read_traffic_counts(kSrc / "scenarios" / "data" / kDefaultCountsFile);
    EXPECT_EQ(counts.size(), 4u);
    for (const auto& c : counts) EXPECT_FALSE(c.source.empty());
}

TEST(ValidateRealData, DaejeonNetworkAtFreeFlow) {
    // The bundled network with every road link at 50 km/h in every hour: every matched segment-hour
    // is simulated at exactly 50 km/h, so the bias is 50 - the mean observed speed.
    const fs::path net_file = kSrc / "networks" / "daejeon" / "daejeon.msnet";
    const NetworkData d = read_network(net_file);
    const Network net(d, net_file.string());
    std::string rows;
    for (std::size_t l = 0; l < net.link_count(); ++l) {
        if (!is_road_link(net, LinkId::from_index(l))) continue;
        for (int h = 0; h < 24; ++h)
            rows += fmt::format("{},{},x,{},10,50,0,0\n", l, csv_field(d.links.external_id[l]), h);
    }
    fs::path run = make_run("real_freeflow", d, rows);
    ValidateOptions o;
    o.run_dir = run;
    o.speeds = kCalibration / "tram_corridor_hourly_speed_kmh_calibration.csv";
    o.segments = kCalibration / "tram_line2_segments_nynji.json";
    o.counts = kSrc / "scenarios" / "data" / kDefaultCountsFile;
    ValidationResult r = validate_run(o);
    ASSERT_EQ(r.segments.size(), 23u);
    std::set<std::string> low;
    std::size_t with_links = 0;
    double sum_obs = 0;
    for (const auto& s : r.segments) {
        if (s.low_coverage) low.insert(s.key);
        if (s.links.empty()) continue;
        ++with_links;
        for (const auto& h : s.hours) {
            ASSERT_TRUE(h.simulated_kmh.has_value());
            EXPECT_NEAR(*h.simulated_kmh, 50.0, 1e-9);
            sum_obs += *h.observed_kmh;
        }
    }
    // With the bundled network, two segment directions match no road link and two more match
    // under half their length (docs/validation.md). A rebuilt network may change this list.
    EXPECT_EQ(low, (std::set<std::string>{"SEG_07_207_208_BA", "SEG_13_213_214_BA",
                                          "SEG_29_229_230_BA", "SEG_31_231_232_AB"}));
    EXPECT_EQ(with_links, 21u);
    EXPECT_EQ(r.overall.n, with_links * 24);
    EXPECT_EQ(r.missing, 2u * 24u);
    EXPECT_NEAR(r.overall.bias, 50.0 - sum_obs / static_cast<double>(r.overall.n), 1e-9);
    // The matched links of SEG_01 (오류로) carry the road name the importer gave them.
    EXPECT_EQ(net.link_name(r.segments[0].links.at(0).link), "오류로");
    // Counts: 한밭대로 and 계백로 are in the network's road-name table, 문지로 is not.
    ASSERT_EQ(r.counts.size(), 4u);
    EXPECT_TRUE(r.counts[0].simulated_veh_per_day.has_value());  // 한밭대로, busiest: 10 x 24 x 2
    EXPECT_DOUBLE_EQ(*r.counts[0].simulated_veh_per_day, 480.0);
    EXPECT_FALSE(r.counts[1].simulated_veh_per_day.has_value());  // 문지로
    EXPECT_TRUE(r.counts[2].simulated_veh_per_day.has_value());   // 계백로 at 가수원교
    EXPECT_EQ(r.counts_compared, 2u);
}
