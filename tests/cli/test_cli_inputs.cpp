// Input hardening at the library level, seen from the command line: special files and inputs over
// their size cap, duplicate JSON keys, policy numbers out of range or adding up past one policy's
// range, a referenced file of the wrong kind, thread and loop counts, OSM coordinates. Every case
// runs one command under `timeout 60` and expects exit code 2, well before the timeout, with a
// message naming the file or field. The network's binary <-> JSON round trip is checked at the end.
#include <gtest/gtest.h>

#include "cli_util.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using modeshift::cli_test::slurp;

const std::string kSrc = MODESHIFT_SOURCE_DIR;

/// A file of a case. `content` is written as is (after {dir} and {src} are replaced) unless it
/// is "@fifo" (a named pipe) or "@sparse:N" (a sparse file of N MiB: an oversized input that
/// takes no disk space).
struct File {
    std::string path;
    std::string content;
};

struct Case {
    std::string name;
    std::vector<File> files;
    std::string args;
    std::vector<std::string> expect;  ///< substrings of stderr
};

std::ostream& operator<<(std::ostream& o, const Case& c) {
    return o << c.name;
}

std::string expand(std::string s, const fs::path& dir) {
    for (const auto& [from, to] :
         {std::pair<std::string, std::string>{"{dir}", dir.string()}, {"{src}", kSrc}})
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    return s;
}

/// A scenario extending the bundled baseline on a tiny sample, with extra members.
std::string tiny(const std::string& extra) {
    return R"({"extends": "{src}/scenarios/seogu-baseline.json", "sample_fraction": 0.002, )"
           R"("iterations": 1)" +
           extra + "}";
}
std::string policies(const std::string& list) {
    return tiny(R"(, "policies": [)" + list + "]");
}

const std::string kRun = "run {dir}/s.json --out {dir}/out --quiet --threads 1";
const std::string kOsm = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="37.0000" lon="127.0000"/>
  <node id="2" lat="LAT" lon="127.0010"/>
  <node id="3" lat="37.0000" lon="127.0020"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way>
</osm>
)";
std::string osm_with_lat(const std::string& lat) {
    return kOsm.substr(0, kOsm.find("LAT")) + lat + kOsm.substr(kOsm.find("LAT") + 3);
}

std::vector<Case> special_files_and_caps() {
    return {
        {"network_dev_urandom",
         {{"s.json", tiny(R"(, "network": "/dev/urandom")")}},
         kRun,
         {"s.json", "$.network", "/dev/urandom", "expected a regular file"}},
        {"network_dev_zero",
         {{"s.json", tiny(R"(, "network": "/dev/zero")")}},
         kRun,
         {"$.network", "/dev/zero", "expected a regular file"}},
        {"network_fifo",
         {{"s.json", tiny(R"(, "network": "{dir}/pipe")")}, {"pipe", "@fifo"}},
         kRun,
         {"$.network", "pipe", "expected a regular file"}},
        {"network_is_etc_passwd",
         {{"s.json", tiny(R"(, "network": "/etc/passwd")")}},
         kRun,
         {"/etc/passwd", "not a modeshift network file", "named by", "s.json at $.network"}},
        {"demand_dev_zero",
         {{"s.json", tiny(R"(, "demand": "/dev/zero")")}},
         kRun,
         {"$.demand", "expected a regular file"}},
        {"network_info_dev_zero", {}, "network info /dev/zero", {"/dev/zero", "regular file"}},
        {"network_convert_dev_urandom",
         {},
         "network convert /dev/urandom {dir}/n.msnet",
         {"/dev/urandom", "regular file"}},
        {"network_over_the_binary_cap",
         {{"s.json", tiny(R"(, "network": "{dir}/big.msnet")")}, {"big.msnet", "@sparse:4097"}},
         kRun,
         {"$.network", "4097.0 MiB", "more than a binary file may hold"}},
        {"demand_over_the_json_cap",
         {{"s.json", tiny(R"(, "demand": "{dir}/big.json")")}, {"big.json", "@sparse:257"}},
         kRun,
         {"s.json", "$.demand", "big.json", "257.0 MiB", "more than a JSON file may hold"}},
        {"warm_link_times_over_the_text_cap",
         {{"s.json", tiny("")}, {"warm/link_times.csv", "@sparse:1025"}},
         kRun + " --warm-start {dir}/warm",
         {"link_times.csv", "more than a text file may hold"}},
    };
}

std::vector<Case> duplicate_keys() {
    return {
        {"scenario_duplicate_key",
         {{"s.json", tiny(R"(, "sample_fraction": 0.5)")}},
         kRun,
         {"s.json", "'$.sample_fraction'", "duplicate key"}},
        {"policy_duplicate_key",
         {{"s.json",
           policies(R"({"kind": "fare", "modes": ["bus"], "factor": 0.5, "factor": 2})")}},
         kRun,
         {"'$.policies[0].factor'", "duplicate key"}},
        {"nested_duplicate_key",
         {{"s.json", tiny(R"(, "replanning": {"fraction": 0.2, "fraction": 0.3})")}},
         kRun,
         {"'$.replanning.fraction'", "duplicate key"}},
        {"fleet_duplicate_key",
         {{"s.json", tiny(R"(, "fleet": "{dir}/fleet.json")")},
          {"fleet.json", R"({"types": [], "types": []})"}},
         kRun,
         {"fleet.json", "'$.types'", "duplicate key"}},
        {"network_json_duplicate_key",
         {{"n.msnet.json", R"({"format": "modeshift-network", "schema_version": 3, "nodes": [)"
                           R"({"lat": 36.3, "lon": 127.3, "lat": 36.4}], "links": []})"}},
         "network info {dir}/n.msnet.json",
         {"n.msnet.json", "'$.nodes[0].lat'", "duplicate key"}},
    };
}

std::vector<Case> policy_ranges() {
    const std::string freq = R"({"kind": "bus_frequency", "lines": "all", "frequency_factor": )";
    const std::string park = R"({"kind": "parking_charge", "zones": ["둔산1동"], "krw": 60000})";
    return {
        {"bus_frequency_tiny",
         {{"s.json", policies(freq + "1e-15}")}},
         kRun,
         {"'$.policies[0].frequency_factor'", "[0.1, 10]"}},
        {"bus_frequency_adds_up",
         {{"s.json", policies(freq + "5}, " + freq + "5}")}},
         kRun,
         {"'$.policies[1].frequency_factor'", "comes to 25", "range of one policy"}},
        {"parking_charges_add_up",
         {{"s.json", policies(park + ", " + park)}},
         kRun,
         {"'$.policies[1].krw'", "comes to 120000"}},
        {"parking_no_zones",
         {{"s.json", policies(R"({"kind": "parking_charge", "zones": [], "krw": 1000})")}},
         kRun,
         {"'$.policies[0].zones'", "empty list", "do nothing"}},
        {"lez_no_banned_types",
         {{"s.json", policies(R"({"kind": "low_emission_zone", "zones": ["둔산1동"], )"
                              R"("banned_types": []})")}},
         kRun,
         {"'$.policies[0].banned_types'", "empty list"}},
        {"every_mode_disabled",
         {{"s.json", policies(R"({"kind": "disable_mode", "modes": ["car", "bus", "metro", )"
                              R"("tram", "bike", "walk", "taxi"]})")}},
         kRun,
         {"'$.policies[0].modes'", "walk and taxi"}},
        {"walk_and_taxi_disabled_in_two_policies",
         {{"s.json", policies(R"({"kind": "disable_mode", "modes": ["walk"]}, )"
                              R"({"kind": "disable_mode", "modes": ["taxi"]})")}},
         kRun,
         {"'$.policies[1].modes'", "walk and taxi"}},
        {"second_fare_group",
         {{"s.json",
           policies(R"({"kind": "fare", "modes": ["bus"], "factor": 0, "group": "seniors", )"
                    R"("eligible_share": {"value": 0.1, "source": "x"}}, )"
                    R"({"kind": "fare", "modes": ["metro"], "factor": 0, "group": "pupils", )"
                    R"("eligible_share": {"value": 0.1, "source": "x"}})")}},
         kRun,
         {"'$.policies[1].group'", "one fare group", "seniors"}},
        {"sample_draws_nobody",
         {{"s.json", R"({"extends": "{src}/scenarios/seogu-baseline.json", )"
                     R"("sample_fraction": 1e-12, "iterations": 1})"}},
         kRun,
         {"s.json", "'$.sample_fraction'", "no resident"}},
    };
}

std::vector<Case> counts_and_coordinates() {
    const std::string targets = " --targets {src}/scenarios/data/calibration_targets.json";
    const std::string tntp =
        " --net {dir}/n_net.tntp --trips {dir}/n_trips.tntp --out {dir}/r.json";
    const std::vector<File> braess = {
        {"n_net.tntp",
         "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n"
         "<END OF METADATA>\n1 2 1000 1 1 0.15 4 0 0 1 ;\n"},
        {"n_trips.tntp",
         "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 5\n<END OF METADATA>\nOrigin 1\n2 : 5;\n"}};
    return {
    // Out-of-range --loops and --threads are refused by the command line itself (exit 1:
    // tests/cli/test_cli_folders.cpp); the library's own checks are unit-tested
    // (Threads.CountsBeyondTheMachineAreRefusedNamingTheOption, calibration).
#ifndef MODESHIFT_UBSAN  // libosmium's own parser overflows a signed integer on "1e999"
        {"osm_latitude_exponent_overflow",
         {{"g.osm", osm_with_lat("1e999")}},
         "import osm {dir}/g.osm -o {dir}/g.msnet",
         {"g.osm", "'node 2'", "4114 km from node 1", "way 10"}},
#endif
        {"osm_latitude_out_of_range",
         {{"g.osm", osm_with_lat("91")}},
         "import osm {dir}/g.osm -o {dir}/g.msnet",
         {"g.osm", "'node 2'", "lat 91.0000000", "out of range"}},
    };
}

std::vector<Case> all_cases() {
    std::vector<Case> all;
    for (auto part :
         {special_files_and_caps(), duplicate_keys(), policy_ranges(), counts_and_coordinates()})
        all.insert(all.end(), part.begin(), part.end());
    return all;
}

void materialise(const File& f, const fs::path& dir) {
    const fs::path p = dir / f.path;
    fs::create_directories(p.parent_path());
    if (f.content == "@fifo") {
        ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
    } else if (f.content.rfind("@sparse:", 0) == 0) {
        std::ofstream(p, std::ios::binary) << "{";
        fs::resize_file(p, std::stoull(f.content.substr(8)) << 20);
    } else {
        std::ofstream(p, std::ios::binary) << expand(f.content, dir);
    }
}

class CliInputs : public ::testing::TestWithParam<Case> {};

TEST_P(CliInputs, RefusedAtOnceNamingFileAndField) {
    const Case& c = GetParam();
    const fs::path dir = modeshift::cli_test::scratch_dir("modeshift_cli_inputs_");
    for (const File& f : c.files) materialise(f, dir);
    const auto start = std::chrono::steady_clock::now();
    const auto r = modeshift::cli_test::run_cli_with_timeout(expand(c.args, dir), dir);
    // Refused before the long work: a loader that reads a device or an oversized file to its end
    // would take minutes (or forever).
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 2) << "stderr: " << r.err.substr(0, 4000);
    for (const auto& e : c.expect)
        EXPECT_NE(r.err.find(expand(e, dir)), std::string::npos)
            << "missing '" << expand(e, dir) << "' in: " << r.err.substr(0, 4000);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

INSTANTIATE_TEST_SUITE_P(Table, CliInputs, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

/// `network info` of a file: its "content hash" line.
std::string content_hash_line(const fs::path& file, const fs::path& dir) {
    const auto r = modeshift::cli_test::run_cli("network info " + file.string(), dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto at = r.out.find("content hash");
    return at == std::string::npos ? "<none>" : r.out.substr(at, r.out.find('\n', at) - at);
}

// binary -> JSON -> binary -> JSON: the same JSON byte for byte, the same content hash, and both
// forms accepted by `network info`, `convert` and `run`.
TEST(CliNetworkRoundTrip, BinaryJsonBinaryJsonKeepsBytesAndHash) {
    const fs::path dir = modeshift::cli_test::scratch_dir("modeshift_cli_inputs_");
    const fs::path bundled = fs::path(kSrc) / "networks/daejeon/daejeon.msnet";
    for (const auto& [from, to] : {std::pair<fs::path, fs::path>{bundled, dir / "a.msnet.json"},
                                   {dir / "a.msnet.json", dir / "b.msnet"},
                                   {dir / "b.msnet", dir / "c.msnet.json"}}) {
        const auto r = modeshift::cli_test::run_cli(
            "network convert " + from.string() + " " + to.string(), dir);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_EQ(slurp(dir / "a.msnet.json"), slurp(dir / "c.msnet.json"));
    const std::string hash = content_hash_line(bundled, dir);
    EXPECT_NE(hash, "<none>");
    for (const char* f : {"a.msnet.json", "b.msnet", "c.msnet.json"})
        EXPECT_EQ(content_hash_line(dir / f, dir), hash) << f;
    std::ofstream(dir / "s.json") << expand(tiny(R"(, "network": "{dir}/c.msnet.json")"), dir);
    const auto run = modeshift::cli_test::run_cli(expand(kRun, dir), dir);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(slurp(dir / "out" / "summary.json").find(hash.substr(hash.rfind(' ') + 1)),
              std::string::npos);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

}  // namespace
