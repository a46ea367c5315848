// Tests of the Daejeon network recipe against the shared data and the bundled network file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/import_daejeon/daejeon.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/network/content_hash.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/network/shortest_path.hpp"

namespace fs = std::filesystem;
using namespace modeshift;

namespace {

const fs::path kData = fs::path(MODESHIFT_SHARED_DATA) / "daejeon";
const fs::path kParams = fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "daejeon";
const fs::path kBundled = kParams / "daejeon.msnet";

daejeon::ImportOptions options() {
    return {kData, kParams};
}

/// The recipe's raw inputs live in shared/data beside the checkout; a clone without them skips
/// the tests that rebuild the network (the bundled network file is tested either way).
#define REQUIRE_DAEJEON_DATA() \
    if (!fs::exists(kData / "bis")) GTEST_SKIP() << "shared data not found: " << kData

/// Built once: the recipe takes about a second.
const NetworkData& built() {
    static const NetworkData d = daejeon::build_daejeon_network(options());
    return d;
}
const Network& built_net() {
    static const Network n(built(), "<daejeon>");
    return n;
}

double count_of(const NetworkData& d, const std::string& key) {
    const std::string prefix = "count " + key + " = ";
    for (const auto& n : d.notes)
        if (n.starts_with(prefix)) return std::stod(n.substr(prefix.size()));
    return -1;
}

/// A writable copy of the parameter directory for malformed-input tests.
fs::path params_copy(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("ms_daejeon_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(kParams / "parameters.csv", dir / "parameters.csv");
    fs::copy_file(kParams / "road_rules.csv", dir / "road_rules.csv");
    fs::copy_file(kParams / "lanes_sections.csv", dir / "lanes_sections.csv");
    return dir;
}

void replace_in_file(const fs::path& f, const std::string& from, const std::string& to) {
    std::string s = read_file_bytes(f);
    const auto pos = s.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    s.replace(pos, from.size(), to);
    write_text_atomic(f, s);
}

}  // namespace

TEST(DaejeonCode, RecognisesDaejeonBisCodes) {
    EXPECT_TRUE(daejeon::is_daejeon_bis_code("AN3017031001"));
    EXPECT_TRUE(daejeon::is_daejeon_bis_code("FW3020066500"));
    EXPECT_FALSE(daejeon::is_daejeon_bis_code("AN4423099310"));  // Gyeryong
    EXPECT_FALSE(daejeon::is_daejeon_bis_code("2930123456"));    // bare code, Sejong
    EXPECT_FALSE(daejeon::is_daejeon_bis_code("KR2017LN031901"));
    EXPECT_FALSE(daejeon::is_daejeon_bis_code("AX3017031001"));
    EXPECT_FALSE(daejeon::is_daejeon_bis_code(""));
}

TEST(DaejeonNetwork, BundledFileMatchesTheRecipe) {
    REQUIRE_DAEJEON_DATA();
    // The bundled file must be regenerated whenever the recipe or its parameters change.
    ASSERT_TRUE(fs::exists(kBundled));
    const NetworkData bundled = read_network(kBundled);
    EXPECT_EQ(network_content_hash(bundled), network_content_hash(built()))
        << "regenerate with: modeshift import daejeon --data ../shared/data/daejeon --out "
           "networks/daejeon/daejeon.msnet";
    EXPECT_LE(fs::file_size(kBundled), 15u * 1024 * 1024);
}

TEST(DaejeonNetwork, RebuildIsDeterministic) {
    REQUIRE_DAEJEON_DATA();
    const NetworkData again = daejeon::build_daejeon_network(options());
    EXPECT_EQ(network_content_hash(again), network_content_hash(built()));
}

TEST(DaejeonNetwork, LoadsAsNetwork) {
    const Network net(read_network(kBundled), kBundled.string());
    EXPECT_EQ(net.zone_count(), 82u);
    EXPECT_GT(net.link_count(), 4000u);
}

TEST(DaejeonNetwork, ZonesAreTheDongsWithCentroidsFirst) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    ASSERT_EQ(d.zones.size(), 82u);
    EXPECT_EQ(d.first_thru_node, 82u);
    std::size_t seogu = 0;
    double seogu_pop = 0;
    for (std::size_t z = 0; z < d.zones.size(); ++z) {
        const auto& zn = d.zones[z];
        EXPECT_EQ(zn.centroid.index(), z);
        EXPECT_EQ(zn.study_area, zn.district == "서구");
        EXPECT_GT(zn.population, 0) << zn.name;
        EXPECT_GE(zn.ring_first.size(), 2u);
        if (zn.study_area) {
            ++seogu;
            seogu_pop += zn.population;
            EXPECT_FALSE(zn.name_en.empty()) << zn.name;
        }
        // Zone attributes come in pairs and include the school and hospital counts.
        ASSERT_EQ(zn.attr_names.size(), zn.attr_values.size());
        EXPECT_NE(std::find(zn.attr_names.begin(), zn.attr_names.end(), "schools"),
                  zn.attr_names.end());
        EXPECT_NE(std::find(zn.attr_names.begin(), zn.attr_names.end(), "hospitals"),
                  zn.attr_names.end());
    }
    EXPECT_EQ(seogu, 24u);
    EXPECT_DOUBLE_EQ(seogu_pop, 467866.0);  // published Seo-gu total 2023-06 (SOURCES.md section 6)
}

TEST(DaejeonNetwork, AttractorsKeepTheirKindsApart) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    auto attr = [&](const std::string& dong, const std::string& name) {
        for (const auto& z : d.zones)
            if (z.name == dong)
                for (std::size_t i = 0; i < z.attr_names.size(); ++i)
                    if (z.attr_names[i] == name) return z.attr_values[i];
        return -1.0;
    };
    EXPECT_DOUBLE_EQ(attr("둔산2동", "attractor_jobs"), 4100);  // Government Complex Daejeon
    EXPECT_GT(attr("둔산1동", "attractor_jobs"), 0);            // City Hall
    EXPECT_GT(attr("도안동", "attractor_students") + attr("도마1동", "attractor_students") +
                  attr("도마2동", "attractor_students"),
              0);
    EXPECT_EQ(attr("둔산2동", "attractor_students"), -1.0);
}

TEST(DaejeonNetwork, RoadsFromBisWithoutPlaceholders) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    std::set<std::string> ids;
    std::size_t roads = 0;
    for (std::size_t i = 0; i < d.links.size(); ++i) {
        const auto c = d.links.road_class[i];
        if (c == RoadClass::Primary || c == RoadClass::Secondary || c == RoadClass::Tertiary) {
            ++roads;
            EXPECT_GT(d.links.length_m[i], 0);
            EXPECT_GT(d.links.capacity_vph[i], 0);
            EXPECT_EQ(d.links.modes[i], kRoadModes);
            EXPECT_GE(d.links.from[i].value(), d.first_thru_node);
            EXPECT_GE(d.links.to[i].value(), d.first_thru_node);
            if (!d.links.external_id[i].starts_with("bridge:")) ids.insert(d.links.external_id[i]);
        }
    }
    EXPECT_GT(roads, 3700u);
    EXPECT_FALSE(ids.contains("2910000000"));
    EXPECT_TRUE(ids.contains("AN3017031001"));  // link 3916: real, whose geometry placeholders copy
    EXPECT_EQ(count_of(d, "bis_links_dropped_placeholder_or_single_point"), 394);
    // A named road: the tram line 2 segments give road names along their corridor.
    EXPECT_GT(count_of(d, "road_links_named_from_tram_segments"), 50);
}

// Lanes from ETRI and published sections where they exist, the rule elsewhere (README counts).
TEST(DaejeonNetwork, LanesComeFromTheSourcesWhereTheyExist) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    EXPECT_EQ(count_of(d, "road_links_lanes_etri_doan2022"), 179);
    EXPECT_EQ(count_of(d, "road_links_lanes_published"), 37);
    EXPECT_EQ(count_of(d, "road_links_lanes_etri_dunsan"), 90);
    EXPECT_EQ(count_of(d, "road_links_lanes_rule"), 3506);
    EXPECT_EQ(count_of(d, "road_lane_km_rule_only"), 4024.8);
    EXPECT_EQ(count_of(d, "road_lane_km"), 4123.3);
    const auto& L = d.links;
    for (std::size_t i = 0; i < L.size(); ++i) {
        const bool road = L.road_class[i] == RoadClass::Primary ||
                          L.road_class[i] == RoadClass::Secondary ||
                          L.road_class[i] == RoadClass::Tertiary;
        // Every road link (bridges copy their neighbour's) says where its lanes come from;
        // connectors, rail and walk-only links do not.
        EXPECT_EQ(road, L.lanes_source[i] != LanesSource::Unspecified) << i;
        if (road) {
            EXPECT_NEAR(L.capacity_vph[i], L.lanes[i] * 2200.0, 1e-6) << i;
        }
    }
}

TEST(DaejeonNetwork, LargestSccHoldsAtLeast975PercentOfDaejeonLinks) {
    REQUIRE_DAEJEON_DATA();
    const auto c = daejeon::check_network(built_net(), 800, 400);
    EXPECT_GE(c.scc_share, 0.975);
    EXPECT_GT(c.daejeon_road_links, 3400u);
    EXPECT_EQ(c.noncontiguous_lines, 0u);
    EXPECT_EQ(c.car_unreachable_pairs, 0u);
    EXPECT_EQ(c.transit_unreachable_pairs, 0u);
    EXPECT_TRUE(c.ok());
}

TEST(DaejeonNetwork, ZonesReachEachOtherByCarWithoutCentroidShortcuts) {
    REQUIRE_DAEJEON_DATA();
    const auto& net = built_net();
    const auto& d = net.data();
    ShortestPathWorkspace ws(net);
    const std::vector<double> cost(d.links.freeflow_time_s.begin(), d.links.freeflow_time_s.end());
    ws.run(d.zones[0].centroid, cost, Mode::Car);
    for (const auto& z : d.zones) {
        ASSERT_TRUE(std::isfinite(ws.dist(z.centroid))) << z.name;
        // No path passes through another centroid.
        for (auto l : ws.path_to(z.centroid)) {
            const auto to = d.links.to[l.index()];
            if (to != z.centroid) {
                EXPECT_GE(to.value(), d.first_thru_node);
            }
        }
    }
}

TEST(DaejeonNetwork, BusLinesAreContiguousWithOrderedStops) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    std::size_t bus = 0;
    for (const auto& ln : d.lines) {
        if (ln.mode != Mode::Bus) continue;
        ++bus;
        ASSERT_GE(ln.stops.size(), 2u) << ln.code;
        for (std::size_t k = 1; k < ln.links.size(); ++k)
            ASSERT_EQ(d.links.to[ln.links[k - 1].index()], d.links.from[ln.links[k].index()])
                << ln.code;
        for (std::size_t k = 1; k < ln.stop_link_pos.size(); ++k)
            EXPECT_LE(ln.stop_link_pos[k - 1], ln.stop_link_pos[k]);
        EXPECT_EQ(ln.fare_krw, 1500);
        EXPECT_TRUE(ln.active);
        for (auto l : ln.links) EXPECT_TRUE(allows(d.links.modes[l.index()], Mode::Bus));
    }
    // 206 Daejeon directions in busroute.txt; a few are dropped by documented rules.
    EXPECT_GE(bus, 190u);
    EXPECT_EQ(count_of(d, "bus_directions_dropped_outside"), 28);
}

TEST(DaejeonNetwork, MetroLineOneMatchesTheOfficialLength) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    std::size_t metro_lines = 0;
    for (const auto& ln : d.lines) {
        if (ln.mode != Mode::Metro) continue;
        ++metro_lines;
        EXPECT_EQ(ln.stops.size(), 22u);
        EXPECT_EQ(ln.links.size(), 21u);
        EXPECT_DOUBLE_EQ(ln.headway_peak_s, 300);
        double km = 0;
        for (auto l : ln.links) {
            km += d.links.length_m[l.index()] / 1000;
            EXPECT_EQ(d.links.road_class[l.index()], RoadClass::Rail);
            EXPECT_EQ(d.links.modes[l.index()], mode_bit(Mode::Metro));
        }
        EXPECT_NEAR(km, 22.74, 1e-6);
    }
    EXPECT_EQ(metro_lines, 2u);
}

TEST(DaejeonNetwork, TramLineTwoIsPresentButInactive) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    std::size_t tram_lines = 0, loop_stops = 0;
    for (const auto& ln : d.lines) {
        if (ln.mode != Mode::Tram) continue;
        ++tram_lines;
        EXPECT_FALSE(ln.active);
        if (ln.code.find("main_loop") != std::string::npos) {
            loop_stops = ln.stops.size();
            EXPECT_EQ(ln.stops.front(), ln.stops.back());  // a loop
        }
        for (auto l : ln.links) EXPECT_EQ(d.links.road_class[l.index()], RoadClass::Tram);
    }
    EXPECT_EQ(tram_lines, 6u);  // loop + two branches, both directions
    EXPECT_EQ(loop_stops, 41u);
}

TEST(DaejeonNetwork, TashuStationsOnRoadNodes) {
    REQUIRE_DAEJEON_DATA();
    const auto& d = built();
    ASSERT_EQ(d.bike_stations.size(), 1372u);
    for (const auto& b : d.bike_stations) EXPECT_GE(b.node.value(), d.first_thru_node);
}

TEST(DaejeonNetwork, SvgPictureHasTheLayers) {
    REQUIRE_DAEJEON_DATA();
    const auto svg = daejeon::render_svg(built(), 600);
    EXPECT_TRUE(svg.starts_with("<svg"));
    EXPECT_NE(svg.find("#1b5fc1"), std::string::npos);  // metro layer
    EXPECT_GT(svg.size(), 10000u);
}

TEST(DaejeonParams, MissingSourceIsAnInputError) {
    const auto dir = params_copy("nosource");
    replace_in_file(dir / "parameters.csv", "snap_tolerance_m,5,m,no,",
                    "snap_tolerance_m,5,m,no,\"\"\nold_row,5,m,no,");
    // The first row's source becomes empty: rejected with file, line and column.
    try {
        daejeon::read_params(dir);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("parameters.csv"), std::string::npos);
        EXPECT_EQ(e.field(), "source");
        EXPECT_EQ(e.line(), 2u);
    }
    fs::remove_all(dir);
}

TEST(DaejeonParams, GapInRoadRulesIsAnInputError) {
    const auto dir = params_copy("gap");
    replace_in_file(dir / "road_rules.csv", "D1,daejeon,1,4,", "D1,daejeon,2,4,");
    EXPECT_THROW(daejeon::read_params(dir), InputError);
    fs::remove_all(dir);
}

TEST(DaejeonParams, MissingParameterNamesIt) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = params_copy("missing");
    replace_in_file(dir / "parameters.csv", "bus_fare_krw,", "bus_fare_krw_typo,");
    try {
        daejeon::build_daejeon_network({kData, dir});
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "bus_fare_krw");
    }
    fs::remove_all(dir);
}

TEST(DaejeonParams, BadNumberNamesFileLineAndColumn) {
    const auto dir = params_copy("badnum");
    replace_in_file(dir / "parameters.csv", "connector_k,4,", "connector_k,four,");
    try {
        daejeon::read_params(dir);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "value");
        EXPECT_GT(e.line(), 1u);
    }
    fs::remove_all(dir);
}

TEST(DaejeonData, MissingDataDirectoryIsAnInputError) {
    EXPECT_THROW(daejeon::build_daejeon_network(
                     {fs::temp_directory_path() / "no_such_daejeon_dir", kParams}),
                 InputError);
}

namespace {
/// A copy of the Daejeon data directory in which one file can be broken.
fs::path data_copy(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("ms_daejeon_data_" + name);
    fs::remove_all(dir);
    fs::copy(kData, dir, fs::copy_options::recursive);
    for (const auto& e : fs::recursive_directory_iterator(dir))
        fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    return dir;
}

void expect_input_error(const fs::path& data, const std::string& file, std::uint64_t line,
                        const std::string& field) {
    try {
        daejeon::build_daejeon_network({data, kParams});
        FAIL() << "expected InputError for " << file;
    } catch (const InputError& e) {
        EXPECT_NE(e.file().find(file), std::string::npos) << e.what();
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_NE(e.field().find(field), std::string::npos) << e.what();
    }
}
}  // namespace

TEST(DaejeonData, BrokenCoordinateNamesFileLineAndField) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = data_copy("coord");
    replace_in_file(dir / "bis" / "route.txt", "1,AN3020001600,36.3802267,",
                    "1,AN3020001600,36.38x2267,");
    expect_input_error(dir, "route.txt", 2, "lat");
    fs::remove_all(dir);
}

TEST(DaejeonData, UnknownLinkIndexInBusRoute) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = data_copy("linkidx");
    replace_in_file(dir / "bis" / "busroute.txt", "UP,30300103,1,6,3437,",
                    "UP,30300103,1,6,99999,");
    expect_input_error(dir, "busroute.txt", 1, "linkIdx 1");
    fs::remove_all(dir);
}

TEST(DaejeonData, UnknownStopReferenceInBusNo) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = data_copy("stopref");
    replace_in_file(dir / "bis" / "busno.txt", "UP,30300103,1,6,동화중학교앞,44330,",
                    "UP,30300103,1,6,동화중학교앞,00000,");
    expect_input_error(dir, "busno.txt", 1, "stopRef 1");
    fs::remove_all(dir);
}

TEST(DaejeonData, TruncatedStopLine) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = data_copy("stoptrunc");
    replace_in_file(dir / "bis" / "busstop.txt", "82370,8007228,36.413364,127.406975,청벽산공원",
                    "82370,8007228,36.41");
    expect_input_error(dir, "busstop.txt", 1, "name");
    fs::remove_all(dir);
}

TEST(DaejeonData, PlaceholderCoordinatesOutsideTheRegionAreRejected) {
    REQUIRE_DAEJEON_DATA();
    const auto dir = data_copy("swapped");
    replace_in_file(dir / "bis" / "route.txt", "0,AN3023013900,36.3828346,127.4258636,",
                    "0,AN3023013900,127.4258636,36.3828346,");
    expect_input_error(dir, "route.txt", 1, "point 0");
    fs::remove_all(dir);
}
