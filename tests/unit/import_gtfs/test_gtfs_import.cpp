// The GTFS importer on the three sample feeds (expected counts worked out by hand from the
// feed files, see comments) and on broken copies of them.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "modeshift/core/error.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"
#include "modeshift/import_osm/osm_import.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

const fs::path kFeeds = fs::path(MODESHIFT_SHARED_DATA) / "gtfs-sample";

const std::map<Mode, GtfsModeDefaults>& defaults() {
    static const auto d = read_gtfs_mode_defaults(fs::path(MODESHIFT_SOURCE_DIR) / "networks" /
                                                  "gtfs" / "gtfs_mode_defaults.csv");
    return d;
}

struct Result {
    NetworkData d;
    GtfsImportReport rep;
};

Result run(const fs::path& feed, GtfsImportOptions opt = {}) {
    Result r;
    r.d = import_gtfs(feed, defaults(), opt, r.rep);
    Network net(r.d, feed.string());  // must always be a valid network
    return r;
}

#define REQUIRE_FEEDS() \
    if (!fs::exists(kFeeds)) GTEST_SKIP() << "shared data missing: " << kFeeds

fs::path temp_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / fmt::format("modeshift_gtfs_{}_{}", name, ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

/// A writable copy of a sample feed directory.
fs::path copy_feed(const std::string& feed, const std::string& name) {
    const auto dir = temp_dir(name);
    for (const auto& e : fs::directory_iterator(kFeeds / feed)) {
        fs::copy_file(e.path(), dir / e.path().filename());
        fs::permissions(dir / e.path().filename(), fs::perms::owner_write, fs::perm_options::add);
    }
    return dir;
}

void write_text(const fs::path& p, const std::string& s) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << s;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto pos = s.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos) s.replace(pos, from.size(), to);
    return s;
}

void edit(const fs::path& file, const std::string& from, const std::string& to) {
    write_text(file, replace(read_file_bytes(file), from, to));
}

/// Runs the import and returns the InputError it must throw.
InputError expect_error(const fs::path& feed, GtfsImportOptions opt = {}) {
    GtfsImportReport rep;
    try {
        import_gtfs(feed, defaults(), opt, rep);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "expected an InputError for " << feed;
    return InputError("", 0, "", "none");
}

TEST(GtfsParse, Times) {
    EXPECT_EQ(parse_gtfs_time("6:00:00"), 21600);
    EXPECT_EQ(parse_gtfs_time("06:05:30"), 21930);
    EXPECT_EQ(parse_gtfs_time("25:10:00"), 90600);  // after midnight, same service day
    EXPECT_FALSE(parse_gtfs_time("6:60:00"));
    EXPECT_FALSE(parse_gtfs_time("6:00"));
    EXPECT_FALSE(parse_gtfs_time("ab:00:00"));
    EXPECT_FALSE(parse_gtfs_time(""));
}

TEST(GtfsParse, RouteTypes) {
    EXPECT_EQ(gtfs_route_type_mode(0), Mode::Tram);
    EXPECT_EQ(gtfs_route_type_mode(1), Mode::Metro);
    EXPECT_EQ(gtfs_route_type_mode(2), Mode::Metro);
    EXPECT_EQ(gtfs_route_type_mode(3), Mode::Bus);
    EXPECT_EQ(gtfs_route_type_mode(11), Mode::Bus);
    EXPECT_EQ(gtfs_route_type_mode(700), Mode::Bus);
    EXPECT_EQ(gtfs_route_type_mode(401), Mode::Metro);
    EXPECT_EQ(gtfs_route_type_mode(900), Mode::Tram);
    EXPECT_FALSE(gtfs_route_type_mode(4));     // ferry
    EXPECT_FALSE(gtfs_route_type_mode(1300));  // aerial lift
}

// sample-feed-1: services FULLW (every day 2007-2010, 2007-06-04 removed) and WE (Sat, Sun).
// Busiest day = first Saturday 2007-01-06: all 11 trips. Patterns: AB 0/1, STBA, CITY 0/1,
// BFC 0/1, AAMV 0 (AAMV1+3) and 1 (AAMV2+4) = 9 lines. Departures: STBA 06:00-22:00 every
// 30 min = 32; CITY1 and CITY2 4+12+12+18+6 = 52 each; AB, BFC 1 each; AAMV 2 each -> 144.
// Own links: distinct stop pairs 1 (STBA) + 4 + 4 (CITY) + 2 (AB) + 2 (BFC) + 2 (AAMV) = 15.
TEST(GtfsSample, SampleFeed1Directory) {
    REQUIRE_FEEDS();
    const auto [d, rep] = run(kFeeds / "sample-feed-1");
    EXPECT_EQ(rep.agencies, 1u);
    EXPECT_EQ(rep.stops, 9u);
    EXPECT_EQ(rep.routes, 5u);
    EXPECT_EQ(rep.trips, 11u);
    EXPECT_EQ(rep.stop_times, 28u);
    EXPECT_EQ(rep.services, 2u);
    EXPECT_EQ(rep.frequencies, 11u);
    EXPECT_EQ(rep.service_date, "20070106");
    EXPECT_EQ(rep.trips_on_day, 11u);
    EXPECT_EQ(rep.lines, 9u);
    EXPECT_EQ(d.lines.size(), 9u);
    EXPECT_EQ(rep.departures, 144u);
    EXPECT_EQ(d.links.size(), 15u);
    EXPECT_EQ(d.stops.size(), 9u);
    EXPECT_EQ(d.nodes.size(), 9u);
    std::size_t city = 0;
    for (const auto& ln : d.lines) {
        EXPECT_EQ(ln.mode, Mode::Bus);
        EXPECT_EQ(ln.stop_link_pos.size(), ln.stops.size());
        EXPECT_TRUE(std::is_sorted(ln.departures_s.begin(), ln.departures_s.end()));
        if (ln.name == "40") {
            ++city;
            ASSERT_EQ(ln.departures_s.size(), 52u);
            EXPECT_DOUBLE_EQ(ln.departures_s.front(), 6 * 3600);
            EXPECT_DOUBLE_EQ(ln.departures_s.back(), 21.5 * 3600);
            EXPECT_EQ(ln.stops.size(), 5u);
            EXPECT_EQ(ln.links.size(), 4u);
            // Gaps starting 07:00-09:00: 07:00, 07:30 (30 min) and 08:00 .. 08:50 (10 min).
            EXPECT_DOUBLE_EQ(ln.headway_peak_s, (2 * 1800 + 6 * 600) / 8.0);
        }
    }
    EXPECT_EQ(city, 2u);
    // CITY1 hop STAGECOACH -> NANAA is scheduled 06:00 -> 06:05: 300 s on its own bus-only link.
    bool found = false;
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (d.links.external_id[i] == "gtfs:gtfs:STAGECOACH>gtfs:NANAA") {
            EXPECT_DOUBLE_EQ(d.links.freeflow_time_s[i], 300);
            EXPECT_EQ(d.links.modes[i], mode_bit(Mode::Bus));
            found = true;
        }
    EXPECT_TRUE(found);
}

TEST(GtfsSample, ZipEqualsDirectory) {
    REQUIRE_FEEDS();
    auto zip = run(kFeeds / "google-sample-feed-1.zip");
    auto dir = run(kFeeds / "sample-feed-1");
    for (auto* r : {&zip, &dir})
        for (auto& ln : r->d.lines) ln.source.clear();  // names the feed file
    EXPECT_EQ(zip.d.lines, dir.d.lines);
    EXPECT_EQ(zip.d.stops, dir.d.stops);
    EXPECT_EQ(zip.d.links, dir.d.links);
    EXPECT_EQ(zip.rep.departures, 144u);
}

TEST(GtfsSample, ChosenDates) {
    REQUIRE_FEEDS();
    GtfsImportOptions opt;
    opt.date = "20070605";  // a Tuesday: FULLW only -> 7 trips, 7 lines
    const auto tue = run(kFeeds / "sample-feed-1", opt);
    EXPECT_EQ(tue.rep.trips_on_day, 7u);
    EXPECT_EQ(tue.d.lines.size(), 7u);
    opt.date = "20070604";  // FULLW removed by calendar_dates, a Monday: nothing runs
    const auto e = expect_error(kFeeds / "sample-feed-1", opt);
    EXPECT_NE(std::string(e.what()).find("no trip runs"), std::string::npos) << e.what();
    opt.date = "2007-06-05";
    EXPECT_EQ(expect_error(kFeeds / "sample-feed-1", opt).field(), "date");
}

// graphhopper-sample-feed: busiest day 2007-01-06 (Sat): FULLW 12 + WE 4 + SAT 1 = 17 trips.
// Lines: AB 0 (AB1+AB3), AB 1, STBA, CITY 0/1, BFC 0 (BFC1+BFC3), BFC 1, AAMV 0/1, ABBFC 0,
// FUNNY_BLOCK_NADAVAMV, FUNNY_BLOCK_FCAMV = 12. Route AB has route_type 2 (rail) -> metro.
// 11 stops.txt rows: 10 stops + 1 boarding area (location_type 4).
TEST(GtfsSample, GraphhopperSampleFeed) {
    REQUIRE_FEEDS();
    const auto [d, rep] = run(kFeeds / "graphhopper-sample-feed");
    EXPECT_EQ(rep.stops, 10u);
    EXPECT_EQ(rep.other_locations, 1u);
    EXPECT_EQ(rep.routes, 10u);
    EXPECT_EQ(rep.trips, 19u);
    EXPECT_EQ(rep.stop_times, 45u);
    EXPECT_EQ(rep.services, 6u);
    EXPECT_EQ(rep.transfers, 3u);
    EXPECT_EQ(rep.service_date, "20070106");
    EXPECT_EQ(rep.trips_on_day, 17u);
    EXPECT_EQ(d.lines.size(), 12u);
    std::size_t metro = 0;
    for (const auto& ln : d.lines) {
        if (ln.mode != Mode::Metro) continue;
        ++metro;
        for (auto l : ln.links) {
            EXPECT_EQ(d.links.road_class[l.index()], RoadClass::Rail);
            EXPECT_EQ(d.links.modes[l.index()], mode_bit(Mode::Metro));
        }
    }
    EXPECT_EQ(metro, 2u);
    std::size_t transfer_notes = 0;
    for (const auto& n : d.notes) transfer_notes += n.rfind("gtfs transfer:", 0) == 0 ? 1 : 0;
    EXPECT_EQ(transfer_notes, 3u);
}

// graphhopper-another-sample-feed: files without a final newline, 2 parent stations.
// Lines: COURT2MUSEUM has two patterns (MUSEUM1: 2 stops, MUSEUM2: 3 stops), MUSEUM2AIRPORT 1.
TEST(GtfsSample, AnotherFeedWithParentStations) {
    REQUIRE_FEEDS();
    const auto [d, rep] = run(kFeeds / "graphhopper-another-sample-feed");
    EXPECT_EQ(rep.stops, 4u);
    EXPECT_EQ(rep.stations, 2u);
    EXPECT_EQ(rep.routes, 2u);  // routes.txt has 2 rows (SOURCES.md's "3 routes" miscounts)
    EXPECT_EQ(rep.trips, 3u);
    EXPECT_EQ(rep.stop_times, 7u);
    EXPECT_EQ(rep.transfers, 1u);
    EXPECT_EQ(rep.service_date, "20070101");
    EXPECT_EQ(d.lines.size(), 3u);
    EXPECT_EQ(d.stops.size(), 4u);  // stations are not served stops
    EXPECT_EQ(d.links.size(), 3u);
}

TEST(GtfsSample, AttachedToAnOsmNetwork) {
    REQUIRE_FEEDS();
    const fs::path osm = fs::path(MODESHIFT_SHARED_DATA) / "osm-sample" / "beatty_nevada.osm";
    if (!fs::exists(osm)) GTEST_SKIP();
    OsmImportReport orep;
    const auto road = import_osm(
        osm, read_osm_tables(fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "osm"), {}, orep);
    GtfsImportOptions opt;
    opt.network = &road;
    const auto [d, rep] = run(kFeeds / "sample-feed-1", opt);
    // The road network is kept as it was; transit appends.
    EXPECT_GE(d.links.size(), road.links.size());
    for (std::size_t i = 0; i < road.links.size(); ++i)
        EXPECT_EQ(d.links.from[i], road.links.from[i]);
    EXPECT_EQ(d.lines.size(), 9u);
    // Beatty's town stops lie on the OSM roads; Furnace Creek and Amargosa Valley are outside.
    EXPECT_GE(rep.stops_snapped, 6u);
    EXPECT_GE(rep.stops_own_node, 1u);
    EXPECT_GT(rep.hops_routed, 0u);
    for (const auto& ln : d.lines) {
        if (ln.name != "40") continue;
        EXPECT_GT(ln.links.size(), 4u);  // routed over several road links per hop
        for (auto l : ln.links) EXPECT_TRUE(allows(d.links.modes[l.index()], Mode::Bus));
    }
}

// ---------------- bad input ----------------

TEST(GtfsBadInput, UnknownReferences) {
    REQUIRE_FEEDS();
    {
        const auto f = copy_feed("sample-feed-1", "unknown_stop");
        edit(f / "stop_times.txt", "CITY1,6:12:00,6:14:00,NADAV", "CITY1,6:12:00,6:14:00,NOWHERE");
        const auto e = expect_error(f);
        EXPECT_EQ(e.file(), (f / "stop_times.txt").string());
        EXPECT_EQ(e.line(), 6u);
        EXPECT_EQ(e.field(), "stop_id");
    }
    {
        const auto f = copy_feed("sample-feed-1", "unknown_route");
        edit(f / "trips.txt", "BFC,FULLW,BFC1", "XYZ,FULLW,BFC1");
        const auto e = expect_error(f);
        EXPECT_EQ(e.line(), 7u);
        EXPECT_EQ(e.field(), "route_id");
    }
    {
        const auto f = copy_feed("sample-feed-1", "unknown_trip");
        edit(f / "frequencies.txt", "STBA,6:00:00", "STBX,6:00:00");
        EXPECT_EQ(expect_error(f).field(), "trip_id");
    }
    {
        const auto f = copy_feed("sample-feed-1", "unknown_service");
        edit(f / "trips.txt", "AB,FULLW,AB1", "AB,NEVER,AB1");
        EXPECT_EQ(expect_error(f).field(), "service_id");
    }
    {
        const auto f = copy_feed("graphhopper-another-sample-feed", "unknown_parent");
        edit(f / "stops.txt", ",0,PARENT_OF_MUSEUM", ",0,PARENT_OF_NOTHING");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "parent_station");
        EXPECT_EQ(e.line(), 4u);
    }
}

TEST(GtfsBadInput, InvalidValuesAndStationReferences) {
    REQUIRE_FEEDS();
    {
        const auto f = copy_feed("graphhopper-another-sample-feed", "station_ref");
        edit(f / "stop_times.txt", "MUSEUM1,10:00:00,10:00:00,MUSEUM,2",
             "MUSEUM1,10:00:00,10:00:00,PARENT_OF_MUSEUM,2");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "stop_id");
        EXPECT_EQ(e.line(), 3u);
        EXPECT_NE(std::string(e.what()).find("station"), std::string::npos);
    }
    {
        const auto f = copy_feed("sample-feed-1", "route_type");
        edit(f / "routes.txt", "AB,DTA,10,Airport - Bullfrog,,3",
             "AB,DTA,10,Airport - Bullfrog,,9999");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "route_type");
        EXPECT_EQ(e.line(), 2u);
    }
    {
        // A ferry route is valid GTFS but not simulated: its trips are skipped and counted.
        const auto f = copy_feed("sample-feed-1", "ferry");
        edit(f / "routes.txt", "AB,DTA,10,Airport - Bullfrog,,3",
             "AB,DTA,10,Airport - Bullfrog,,4");
        const auto [d, rep] = run(f);
        EXPECT_EQ(d.lines.size(), 7u);
        EXPECT_EQ(rep.warnings.at(
                      "route_type 4 (e.g. ferry, aerial lift) not simulated: its trips skipped"),
                  1u);
    }
    {
        const auto f = copy_feed("sample-feed-1", "agency");
        edit(f / "routes.txt", "AB,DTA,", "AB,XTA,");
        EXPECT_EQ(expect_error(f).field(), "agency_id");
    }
    {
        const auto f = copy_feed("sample-feed-1", "calendar");
        fs::remove(f / "calendar.txt");
        fs::remove(f / "calendar_dates.txt");
        EXPECT_EQ(expect_error(f).field(), "calendar.txt");
    }
    {
        const auto f = copy_feed("sample-feed-1", "headway");
        edit(f / "frequencies.txt", "STBA,6:00:00,22:00:00,1800", "STBA,6:00:00,22:00:00,0");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "headway_secs");
        EXPECT_EQ(e.line(), 2u);
    }
}

TEST(GtfsSample, TimesAfterMidnightAndInterpolation) {
    REQUIRE_FEEDS();
    const auto f = copy_feed("sample-feed-1", "late");
    // AB2 leaves at 24:05 (00:05 the next morning, same service day); BFC1's arrival is
    // left empty on a middle stop added to the trip, to be interpolated.
    edit(f / "stop_times.txt", "AB2,12:05:00,12:05:00,BULLFROG,1",
         "AB2,24:05:00,24:05:00,BULLFROG,1");
    edit(f / "stop_times.txt", "AB2,12:15:00,12:15:00,BEATTY_AIRPORT,2",
         "AB2,24:15:00,24:15:00,BEATTY_AIRPORT,2");
    edit(f / "stop_times.txt", "BFC1,9:20:00,9:20:00,FUR_CREEK_RES,2",
         "BFC1,,,AMV,2,,,,\nBFC1,9:20:00,9:20:00,FUR_CREEK_RES,3");
    const auto [d, rep] = run(f);
    bool late = false, interpolated = false;
    for (const auto& ln : d.lines) {
        if (ln.code == "AB:1:AB2") {
            ASSERT_EQ(ln.departures_s.size(), 1u);
            EXPECT_DOUBLE_EQ(ln.departures_s[0], 24 * 3600 + 5 * 60);
            late = true;
        }
        if (ln.code == "BFC:0:BFC1") {
            EXPECT_EQ(ln.stops.size(), 3u);
            interpolated = true;
        }
    }
    EXPECT_TRUE(late);
    EXPECT_TRUE(interpolated);
    EXPECT_EQ(
        rep.warnings.at("stop time without times interpolated by distance (GTFS timepoint rule)"),
        1u);
}

TEST(GtfsBadInput, DuplicatedIds) {
    REQUIRE_FEEDS();
    const auto f = copy_feed("sample-feed-1", "dup");
    const auto stops = read_file_bytes(f / "stops.txt");
    write_text(f / "stops.txt", stops + "\nAMV,Again,,36.6,-116.4,,");
    const auto e = expect_error(f);
    EXPECT_EQ(e.field(), "stop_id");
    EXPECT_EQ(e.line(), 11u);
    const auto g = copy_feed("sample-feed-1", "dupseq");
    edit(g / "stop_times.txt", "CITY1,6:12:00,6:14:00,NADAV,3", "CITY1,6:12:00,6:14:00,NADAV,2");
    EXPECT_EQ(expect_error(g).field(), "stop_sequence");
}

TEST(GtfsBadInput, BrokenGeometryAndValues) {
    REQUIRE_FEEDS();
    {
        const auto f = copy_feed("sample-feed-1", "lat");
        edit(f / "stops.txt", "36.425288", "96.425288");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "stop_lat");
        EXPECT_EQ(e.line(), 2u);
    }
    {
        const auto f = copy_feed("sample-feed-1", "time");
        edit(f / "stop_times.txt", "STBA,6:20:00,6:20:00", "STBA,6:20:00,6:2x:00");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "departure_time");
        EXPECT_EQ(e.line(), 3u);
    }
    {
        const auto f = copy_feed("sample-feed-1", "backwards");
        edit(f / "stop_times.txt", "CITY1,6:19:00,6:21:00", "CITY1,5:19:00,5:21:00");
        EXPECT_EQ(expect_error(f).field(), "arrival_time");
    }
}

TEST(GtfsBadInput, MissingColumnsAndFiles) {
    REQUIRE_FEEDS();
    {
        const auto f = copy_feed("sample-feed-1", "col");
        edit(f / "trips.txt", "route_id,service_id,trip_id", "route_id,service_id,trip");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "trip_id");
        EXPECT_EQ(e.line(), 1u);
        EXPECT_EQ(e.file(), (f / "trips.txt").string());
    }
    {
        const auto f = copy_feed("sample-feed-1", "file");
        fs::remove(f / "routes.txt");
        EXPECT_NE(std::string(expect_error(f).what()).find("required GTFS file missing"),
                  std::string::npos);
    }
    EXPECT_EQ(expect_error("/nonexistent/feed.zip").field(), "feed");
}

TEST(GtfsBadInput, NonUtf8NameIsRepairedAndCounted) {
    REQUIRE_FEEDS();
    const auto f = copy_feed("sample-feed-1", "utf8");
    edit(f / "stops.txt", "Amargosa Valley (Demo)",
         std::string("Amargosa ") + char(0xE9) + "Valley");
    const auto [d, rep] = run(f);
    EXPECT_EQ(rep.warnings.at("stop_name not valid UTF-8: bad bytes replaced by U+FFFD"), 1u);
    bool found = false;
    for (const auto& s : d.stops)
        if (s.code == "AMV") {
            EXPECT_EQ(s.name, "Amargosa \xEF\xBF\xBDValley");
            found = true;
        }
    EXPECT_TRUE(found);
}

TEST(GtfsBadInput, TruncatedFiles) {
    REQUIRE_FEEDS();
    {
        // stop_times.txt cut in the middle of its last row.
        const auto f = copy_feed("sample-feed-1", "trunc_csv");
        const auto st = read_file_bytes(f / "stop_times.txt");
        write_text(f / "stop_times.txt", st.substr(0, st.size() - 20));
        const auto e = expect_error(f);
        EXPECT_EQ(e.file(), (f / "stop_times.txt").string());
        EXPECT_EQ(e.line(), 29u) << e.what();
    }
    {
        const auto dir = temp_dir("trunc_zip");
        const auto bytes = read_file_bytes(kFeeds / "google-sample-feed-1.zip");
        write_text(dir / "feed.zip", bytes.substr(0, bytes.size() * 2 / 3));
        const auto e = expect_error(dir / "feed.zip");
        EXPECT_EQ(e.field(), "zip");
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
    }
}

// Regression: a changed byte in an entry stored without compression (calendar_dates.txt of the
// sample zip) was read without the CRC check, because reading stopped at the entry's size.
TEST(GtfsBadInput, ChangedByteInAStoredZipEntryFailsTheCrc) {
    REQUIRE_FEEDS();
    const auto dir = temp_dir("crc_zip");
    std::string bytes = read_file_bytes(kFeeds / "google-sample-feed-1.zip");
    const auto at = bytes.find("FULLW,20070604,2");
    ASSERT_NE(at, std::string::npos);
    bytes[at + 13] = '5';  // 20070604 -> 20070504, a valid date: only the CRC tells
    write_text(dir / "feed.zip", bytes);
    const auto e = expect_error(dir / "feed.zip");
    EXPECT_EQ(e.field(), "calendar_dates.txt");
    EXPECT_NE(std::string(e.what()).find("CRC"), std::string::npos) << e.what();
}

// Regressions of the malformed-input table: values that were silently accepted or overflowed.
TEST(GtfsBadInput, OutOfRangeTypesHeadwaysAndBoardingAreas) {
    REQUIRE_FEEDS();
    {
        const auto f = copy_feed("sample-feed-1", "loc_huge");
        write_text(
            f / "stops.txt",
            "stop_id,stop_name,stop_lat,stop_lon,location_type\nX1,Extra,36.9,-116.7,4294967296\n");
        const auto e = expect_error(f);
        EXPECT_EQ(e.field(), "location_type");  // was truncated to 0 by a cast
        EXPECT_EQ(e.line(), 2u);
    }
    {
        const auto f = copy_feed("sample-feed-1", "headway_huge");
        edit(f / "frequencies.txt", "STBA,6:00:00,22:00:00,1800",
             "STBA,6:00:00,22:00:00,9223372036854775807");
        EXPECT_EQ(expect_error(f).field(), "headway_secs");  // overflowed the departure loop
    }
    {
        const auto f = copy_feed("sample-feed-1", "headway_one");
        edit(f / "frequencies.txt", "STBA,6:00:00,22:00:00,1800", "STBA,0:00:00,999:00:00,1");
        EXPECT_NE(std::string(expect_error(f).what()).find("100,000"), std::string::npos);
    }
    {
        // A boarding area without its platform was served at no node (out-of-range index).
        const auto f = copy_feed("sample-feed-1", "boarding");
        std::string stops = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n";
        for (const char* id : {"FUR_CREEK_RES", "BEATTY_AIRPORT", "BULLFROG", "STAGECOACH", "NADAV",
                               "NANAA", "DADAN", "EMSI"})
            stops += std::string(id) + ",Stop,36.9,-116.7,0,\n";
        write_text(f / "stops.txt", stops + "AMV,Gate,36.6,-116.4,4,\n");
        const auto e = expect_error(f);
        EXPECT_EQ(e.file(), (f / "stop_times.txt").string());
        EXPECT_EQ(e.field(), "stop_id");
        EXPECT_NE(std::string(e.what()).find("boarding area"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace modeshift
