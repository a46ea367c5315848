// The OSM importer on the five sample extracts, cross-checked with osmium-tool.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "modeshift/core/error.hpp"
#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "osm_test_util.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

struct Sample {
    const char* file;
    // Expected counts, produced by (osmium-tool 1.15):
    //   osmium fileinfo -e FILE                                   -> nodes, ways, relations
    //   osmium tags-filter -R FILE w/highway -f opl -o - | grep -c '^w'   -> highway ways
    std::uint64_t nodes, ways, relations, highway_ways;
    double min_road_km, max_road_km;  // plausible centreline km of drivable road
    double min_scc_share;             // largest car SCC share of car links
    bool has_lines;                   // route relations present (bus/train/...)
};

// SCC shares: small extracts are cut at their edge, so roads that leave the area become
// dead ends; the thresholds sit a few points below the measured share (printed by the test).
const Sample kSamples[] = {
    {"andorra.osm.pbf", 69644, 2725, 74, 1615, 300, 1500, 0.90, false},
    {"liechtenstein-2013-08-03.osm.pbf", 65733, 7121, 113, 2753, 300, 2000, 0.90, true},
    {"monaco.osm.gz", 13739, 1944, 77, 866, 20, 200, 0.80, true},
    {"beatty_nevada.osm", 6624, 344, 8, 170, 10, 400, 0.80, false},
    {"bautzen.osm", 781, 97, 0, 60, 1, 50, 0.50, false},
};

class OsmSample : public ::testing::TestWithParam<Sample> {};

TEST_P(OsmSample, CountsMatchOsmiumAndNetworkIsSane) {
    const auto& s = GetParam();
    const fs::path file = fs::path(MODESHIFT_SHARED_DATA) / "osm-sample" / s.file;
    if (!fs::exists(file)) GTEST_SKIP() << "shared data missing: " << file;
    const auto tables = read_osm_tables(fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "osm");
    OsmImportReport rep;
    OsmImportOptions opt;
    auto d = import_osm(file, tables, opt, rep);
    for (const auto& line : rep.summary()) std::cout << "  " << s.file << ": " << line << "\n";

    EXPECT_EQ(rep.nodes_read, s.nodes);
    EXPECT_EQ(rep.ways_read, s.ways);
    EXPECT_EQ(rep.relations_read, s.relations);
    EXPECT_EQ(rep.highway_ways, s.highway_ways);
    // Live cross-check when osmium-tool is installed (skipped silently otherwise).
    if (auto n = test::run_command(fmt::format(
            "osmium tags-filter -R '{}' w/highway -f opl -o - 2>/dev/null | grep -c '^w'",
            file.string()))) {
        EXPECT_EQ(std::to_string(rep.highway_ways), *n);
    }
    // Every used highway way is a highway way; some classes (proposed, construction, ...) are not
    // roads.
    EXPECT_LE(rep.road_ways_used, rep.highway_ways);
    EXPECT_GT(rep.road_ways_used, rep.highway_ways / 2);

    EXPECT_GE(rep.road_km, s.min_road_km);
    EXPECT_LE(rep.road_km, s.max_road_km);
    const double scc = test::largest_scc_share(d, Mode::Car);
    std::cout << "  " << s.file << ": largest car SCC share " << scc << "\n";
    EXPECT_NEAR(rep.car_scc_share, scc, 1e-12);  // the importer's own figure agrees
    EXPECT_GE(scc, s.min_scc_share);
    if (s.has_lines) {
        EXPECT_GT(d.lines.size(), 0u);
    }

    // Geometry is kept: every link's polyline starts and ends at its nodes.
    for (std::size_t i = 0; i < d.links.size(); ++i) {
        const auto b = d.links.geom_first[i], e = d.links.geom_first[i + 1];
        ASSERT_GE(e - b, 2u);
        EXPECT_DOUBLE_EQ(d.links.geom_lat[b], d.nodes.lat[d.links.from[i].index()]);
        EXPECT_DOUBLE_EQ(d.links.geom_lon[e - 1], d.nodes.lon[d.links.to[i].index()]);
    }
    // The result is a valid network and survives the file round trip.
    Network net(d, s.file);
    const auto out = test::temp_dir("osm_samples") / (std::string(s.file) + ".msnet");
    write_network(d, out);
    EXPECT_EQ(read_network(out), d);
}

INSTANTIATE_TEST_SUITE_P(Samples, OsmSample, ::testing::ValuesIn(kSamples),
                         [](const auto& param_info) {
                             std::string n = param_info.param.file;
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

TEST(OsmSamples, RailAndTransitLinesInLiechtenstein) {
    const fs::path file =
        fs::path(MODESHIFT_SHARED_DATA) / "osm-sample" / "liechtenstein-2013-08-03.osm.pbf";
    if (!fs::exists(file)) GTEST_SKIP();
    const auto tables = read_osm_tables(fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "osm");
    OsmImportReport rep;
    auto d = import_osm(file, tables, OsmImportOptions{}, rep);
    // osmium tags-filter -R FILE w/railway=rail,subway,tram,light_rail,monorail -> 34 ways
    EXPECT_GT(rep.rail_ways_used, 0u);
    EXPECT_LE(rep.rail_ways_used, 34u);
    // osmium tags-filter -R FILE r/type=route | grep route=bus|train|... -> 17 relations
    EXPECT_EQ(rep.route_relations, 17u);
    // Every relation is either dropped or gives at least one line (more when split at gaps).
    EXPECT_GE(rep.lines, rep.route_relations - rep.lines_dropped);
    EXPECT_EQ(rep.lines, d.lines.size());
    std::size_t bus = 0;
    for (const auto& ln : d.lines) {
        EXPECT_GE(ln.stops.size(), 2u);
        EXPECT_EQ(ln.stops.size(), ln.stop_link_pos.size());
        for (std::size_t k = 1; k < ln.stop_link_pos.size(); ++k)
            EXPECT_LE(ln.stop_link_pos[k - 1], ln.stop_link_pos[k]);
        for (auto l : ln.links) EXPECT_TRUE(allows(d.links.modes[l.index()], ln.mode));
        bus += ln.mode == Mode::Bus ? 1 : 0;
    }
    EXPECT_GT(bus, 0u);
}

TEST(OsmSamples, ImportIsDeterministic) {
    const fs::path file = fs::path(MODESHIFT_SHARED_DATA) / "osm-sample" / "monaco.osm.gz";
    if (!fs::exists(file)) GTEST_SKIP();
    const auto tables = read_osm_tables(fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "osm");
    OsmImportReport r1, r2;
    const Network a(import_osm(file, tables, {}, r1), "a");
    const Network b(import_osm(file, tables, {}, r2), "b");
    EXPECT_EQ(a.content_hash(), b.content_hash());
}

TEST(OsmSamples, BoundaryKeepsOnlyTheInside) {
    const fs::path file = fs::path(MODESHIFT_SHARED_DATA) / "osm-sample" / "andorra.osm.pbf";
    if (!fs::exists(file)) GTEST_SKIP();
    const auto dir = test::temp_dir("osm_boundary");
    // A bbox polygon around Andorra la Vella / Escaldes.
    test::write_text(dir / "bbox.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"centre"},"geometry":{"type":"Polygon","coordinates":
       [[[1.50,42.49],[1.56,42.49],[1.56,42.53],[1.50,42.53],[1.50,42.49]]]}},
      {"type":"Feature","properties":{"name":"other"},"geometry":{"type":"Polygon","coordinates":
       [[[1.40,42.40],[1.41,42.40],[1.41,42.41],[1.40,42.40]]]}}]})");
    const auto tables = read_osm_tables(fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "osm");
    OsmImportReport all_rep, rep;
    const auto all = import_osm(file, tables, OsmImportOptions{}, all_rep);
    OsmImportOptions opt;
    opt.boundary = Boundary::read_geojson(dir / "bbox.geojson", "name=centre");
    EXPECT_EQ(opt.boundary->polygon_count(), 1u);
    const auto d = import_osm(file, tables, opt, rep);
    EXPECT_GT(d.links.size(), 100u);
    EXPECT_LT(d.links.size(), all.links.size());
    for (std::size_t i = 0; i < d.nodes.size(); ++i) {
        EXPECT_TRUE(d.nodes.lat[i] >= 42.49 && d.nodes.lat[i] <= 42.53) << i;
        EXPECT_TRUE(d.nodes.lon[i] >= 1.50 && d.nodes.lon[i] <= 1.56) << i;
    }
    EXPECT_GT(rep.warnings.at("way node outside the boundary: way cut there"), 0u);
}

}  // namespace
}  // namespace modeshift
