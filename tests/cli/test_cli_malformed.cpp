// Malformed input across the `modeshift` commands: every case writes a few files (truncated,
// bit-flipped, wrong JSON types, NaN / negative / huge numbers, unknown policy kinds, references to
// missing zones, lines and roads, circular `extends`, non-UTF-8 bytes, a 10 MB string, ...), runs
// one command and expects exit code 2 with a message that names the file and the line or JSON path
// and the field. A crash, a hang (`timeout 60`), another exit code or a silently accepted bad
// value fails the case.
#include <gtest/gtest.h>

#include "cli_util.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using modeshift::cli_test::slurp;

const std::string kSrc = MODESHIFT_SOURCE_DIR;
const std::string kShared = MODESHIFT_SHARED_DATA;

// ---------------------------------------------------------------- the table

/// One file of a case: `content` is written as is (after the placeholders below), unless it is a
/// directive: "@copy:PATH" (the bytes of PATH), "@head:PATH:N" (its first N bytes), "@flip:PATH:K"
/// (byte K inverted; K < 0 counts from the end), "@tail:PATH:TEXT" (PATH followed by TEXT).
/// Placeholders: {dir} the case's folder, {src} the source tree, {shared} shared/data, {ref} a
/// small run made once (run folder with --save-plans) for the commands that read run folders.
struct File {
    std::string path;  ///< relative to {dir}
    std::string content;
};

struct Case {
    std::string name;
    std::vector<File> files;
    std::string args;                 ///< modeshift arguments
    std::vector<std::string> expect;  ///< substrings of stderr
    bool needs_shared = false;        ///< skipped without shared/data
};

std::ostream& operator<<(std::ostream& o, const Case& c) {
    return o << c.name;
}

/// `s` with the first `from` replaced by `to`; unchanged if `from` is not there (a case built
/// from shared/data that is absent is skipped, and it must not stop the table being built).
std::string replace_first(std::string s, const std::string& from, const std::string& to) {
    if (const auto at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
    return s;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

Json src_json(const std::string& rel) {
    return Json::parse(slurp(fs::path(kSrc) / rel));
}

/// A bundled JSON file with one edit, as text.
std::string edited(const std::string& rel, const std::function<void(Json&)>& edit) {
    Json j = src_json(rel);
    edit(j);
    return j.dump(1);
}

/// A scenario extending the bundled baseline on a tiny sample, with extra members (", ...").
std::string tiny(const std::string& extra = "") {
    return R"({"extends": "{src}/scenarios/seogu-baseline.json", "sample_fraction": 0.002, "iterations": 1)" +
           extra + "}";
}
/// The same without the sample and iteration members (for cases about those).
std::string bare(const std::string& members) {
    return R"({"extends": "{src}/scenarios/seogu-baseline.json", )" + members + "}";
}
/// A policy list with one entry.
std::string policy(const std::string& p) {
    return tiny(R"(, "policies": [)" + p + "]");
}

const std::string kRun = "run {dir}/s.json --out {dir}/out --quiet --threads 1";
const std::string kS = "{dir}/s.json";

/// A small JSON network (3 nodes, 2 links, a zone, a stop and a bus line) without content hash.
Json small_net() {
    return Json::parse(R"({"format": "modeshift-network", "schema_version": 2, "name": "small",
      "nodes": [{"lat": 36.35, "lon": 127.38}, {"lat": 36.35, "lon": 127.39}, {"lat": 36.36, "lon": 127.39}],
      "links": [{"from": 0, "to": 1, "length_m": 900, "speed_mps": 13.9, "freeflow_time_s": 65, "lanes": 1,
                 "capacity_vph": 1800, "storage_pce": 120, "modes": ["car", "bus"], "class": "primary", "name": 0},
                {"from": 1, "to": 2, "length_m": 1100, "speed_mps": 13.9, "freeflow_time_s": 80, "lanes": 1,
                 "capacity_vph": 1800, "storage_pce": 140, "modes": ["car", "bus"], "class": "primary", "name": 0}],
      "zones": [{"code": "z1", "centroid": 0}],
      "stops": [{"code": "s1", "lat": 36.35, "lon": 127.38, "node": 0, "modes": ["bus"]},
                {"code": "s2", "lat": 36.36, "lon": 127.39, "node": 2, "modes": ["bus"]}],
      "lines": [{"code": "L1", "mode": "bus", "stops": [0, 1], "links": [0, 1], "stop_link_pos": [0, 2],
                 "headway_peak_s": 600, "headway_offpeak_s": 900, "service_start_s": 20000,
                 "service_end_s": 80000, "vehicle_capacity": 80}]})");
}
std::string net_with(const std::function<void(Json&)>& edit) {
    Json j = small_net();
    edit(j);
    return j.dump();
}

const std::string kTntpHeader =
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 4\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n<END OF "
    "METADATA>\n";
const std::string kTntpLink2 = "2 3 1000 1 1 0.15 4 0 0 1 ;\n";
std::string tntp_net(const std::string& first_row) {
    return kTntpHeader + first_row + kTntpLink2;
}
const std::string kBraess = "{shared}/tntp/Braess_net.tntp";

const std::string kOsmGrid = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="37.0000" lon="127.0000"/>
  <node id="2" lat="37.0000" lon="127.0010"/>
  <node id="3" lat="37.0000" lon="127.0020"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way>
</osm>
)";

const std::string kSumoNet = R"(<?xml version="1.0" encoding="UTF-8"?>
<net version="1.9">
    <location netOffset="0.00,0.00" projParameter="!"/>
    <edge id="AB" from="A" to="B"><lane id="AB_0" index="0" speed="13.89" length="200.00"/></edge>
    <edge id="BC" from="B" to="C"><lane id="BC_0" index="0" speed="10.00" length="150.00"/></edge>
    <junction id="A" type="dead_end" x="0.00" y="0.00"/>
    <junction id="B" type="priority" x="200.00" y="0.00"/>
    <junction id="C" type="dead_end" x="350.00" y="0.00"/>
</net>
)";
std::string sumo_net_with(const std::string& from, const std::string& to) {
    return replace_first(kSumoNet, from, to);
}
std::string routes(const std::string& body) {
    return "<?xml version=\"1.0\"?>\n<routes>\n" + body + "</routes>\n";
}
const std::string kSumoImport = "import sumo --net {dir}/n.net.xml --out {dir}/x.msnet";
const std::string kSumoRoutes =
    "import sumo --net {dir}/n.net.xml --routes {dir}/r.rou.xml --out {dir}/x.msnet";

/// A GTFS feed folder: the shared sample feed with `file` replaced (or removed when empty).
std::vector<File> gtfs_feed(const std::string& file, const std::string& content) {
    std::vector<File> f;
    for (const char* n : {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt",
                          "calendar.txt", "calendar_dates.txt", "frequencies.txt"})
        if (n != file)
            f.push_back({std::string("feed/") + n,
                         std::string("@copy:{shared}/gtfs-sample/sample-feed-1/") + n});
    if (!content.empty()) f.push_back({"feed/" + file, content});
    return f;
}
const std::string kGtfs = "import gtfs {dir}/feed --out {dir}/x.msnet";
std::string with_newline(std::string s) {
    if (!s.empty() && s.back() != '\n') s += '\n';
    return s;
}
std::string sample_feed_file(const std::string& name) {
    return slurp(fs::path(kShared) / "gtfs-sample" / "sample-feed-1" / name);
}

/// A copy of the reference run's files that `compare` reads, with `file` replaced.
std::vector<File> run_copy(const std::string& dir, const std::string& file,
                           const std::string& content, bool with_hourly_links = false) {
    std::vector<File> f;
    std::vector<std::string> names = {"summary.json", "links.csv", "by_dong.csv",
                                      "hourly_by_mode.csv"};
    if (with_hourly_links) names.push_back("link_hourly.csv");
    for (const auto& n : names)
        if (n != file) f.push_back({dir + "/" + n, "@copy:{ref}/" + n});
    if (!content.empty()) f.push_back({dir + "/" + file, content});
    return f;
}
/// Edits of the reference run's summary.json, referred to by index ("@summary:K").
std::vector<std::function<void(Json&)>>& summary_edits() {
    static std::vector<std::function<void(Json&)>> edits;
    return edits;
}
std::string summary_with(const std::function<void(Json&)>& edit) {
    summary_edits().push_back(edit);
    return "@summary:" + std::to_string(summary_edits().size() - 1);
}
const std::string kCompare = "compare {dir}/base {dir}/pol --out {dir}/report.html";

std::vector<File> validate_inputs(const std::string& which, const std::string& content) {
    std::vector<File> f = run_copy("run", "", "", true);
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {"speeds.csv",
         "@copy:{src}/scenarios/data/calibration/tram_corridor_hourly_speed_kmh_calibration.csv"},
        {"segments.json", "@copy:{src}/scenarios/data/calibration/tram_line2_segments_nynji.json"},
        {"counts.csv", "@copy:{src}/scenarios/data/traffic_counts.csv"}};
    for (const auto& [n, c] : inputs) f.push_back({n, n == which ? content : c});
    if (which == "link_hourly.csv") f.push_back({"run/link_hourly.csv", content});
    return f;
}
const std::string kValidate =
    "validate {dir}/run --speeds {dir}/speeds.csv --segments {dir}/segments.json --counts "
    "{dir}/counts.csv --out {dir}/v";

std::vector<File> warm(const std::string& file, const std::string& content) {
    std::vector<File> f = {{"s.json", tiny()}};
    for (const char* n : {"link_times.csv", "plans.bin"})
        if (n != file) f.push_back({std::string("warm/") + n, std::string("@copy:{ref}/") + n});
    if (!content.empty()) f.push_back({"warm/" + file, content});
    return f;
}
const std::string kWarm = kRun + " --warm-start {dir}/warm";
/// A link_times.csv of the reference run's network ({net}) with these rows, each ending a line.
std::string link_times(const std::string& rows) {
    return "# network {net} rows " + std::to_string(std::count(rows.begin(), rows.end(), '\n')) +
           "\nlink,bin,mean_s,vehicles\n" + rows;
}

std::vector<Case> all_cases() {
    std::vector<Case> c;
    auto add = [&](std::string name, std::vector<File> files, std::string args,
                   std::vector<std::string> expect, bool shared = false) {
        c.push_back(
            {std::move(name), std::move(files), std::move(args), std::move(expect), shared});
    };
    const std::string big(10'000'000, 'x');  // a 10 MB string

    // ---------------- run: the scenario file
    add("scenario_truncated",
        {{"s.json", R"({"extends": "{src}/scenarios/seogu-baseline.json", "sample_fraction": 0.)"}},
        kRun, {kS + ":1", "invalid JSON"});
    add("scenario_empty", {{"s.json", ""}}, kRun, {kS + ":1", "invalid JSON"});
    add("scenario_array_root", {{"s.json", "[1, 2]"}}, kRun,
        {kS, "field '$'", "expected an object"});
    add("scenario_string_root", {{"s.json", "\"seogu\""}}, kRun,
        {kS, "field '$'", "expected an object"});
    add("scenario_unknown_key", {{"s.json", tiny(R"(, "sampel_fraction": 0.1)")}}, kRun,
        {kS, "$.sampel_fraction", "unknown field"});
    add("scenario_sample_string", {{"s.json", bare(R"("sample_fraction": "0.1")")}}, kRun,
        {kS, "$.sample_fraction", "expected a number"});
    add("scenario_sample_null", {{"s.json", bare(R"("sample_fraction": null)")}}, kRun,
        {kS, "$.sample_fraction", "expected a number"});
    add("scenario_sample_negative", {{"s.json", bare(R"("sample_fraction": -0.5)")}}, kRun,
        {kS, "$.sample_fraction", "(0, 1]"});
    add("scenario_sample_zero", {{"s.json", bare(R"("sample_fraction": 0)")}}, kRun,
        {kS, "$.sample_fraction", "(0, 1]"});
    add("scenario_sample_above_one", {{"s.json", bare(R"("sample_fraction": 1.5)")}}, kRun,
        {kS, "$.sample_fraction", "(0, 1]"});
    add("scenario_sample_huge", {{"s.json", bare(R"("sample_fraction": 1e308)")}}, kRun,
        {kS, "$.sample_fraction", "(0, 1]"});
    add("scenario_sample_overflow", {{"s.json", bare("\n\"sample_fraction\": 1e999")}}, kRun,
        {kS + ":2", "1e999"});
    add("scenario_sample_nan_literal", {{"s.json", bare(R"("sample_fraction": NaN)")}}, kRun,
        {kS + ":1", "invalid JSON"});
    add("scenario_iterations_zero", {{"s.json", bare(R"("iterations": 0)")}}, kRun,
        {kS, "$.iterations", "1..500"});
    add("scenario_iterations_negative", {{"s.json", bare(R"("iterations": -3)")}}, kRun,
        {kS, "$.iterations", "1..500"});
    add("scenario_iterations_huge", {{"s.json", bare(R"("iterations": 100000)")}}, kRun,
        {kS, "$.iterations", "1..500"});
    add("scenario_iterations_fraction", {{"s.json", bare(R"("iterations": 2.5)")}}, kRun,
        {kS, "$.iterations", "expected an integer"});
    add("scenario_iterations_string", {{"s.json", bare(R"("iterations": "3")")}}, kRun,
        {kS, "$.iterations", "expected an integer"});
    add("scenario_iterations_bigint",
        {{"s.json", bare(R"("iterations": 99999999999999999999999)")}}, kRun,
        {kS, "$.iterations", "expected an integer"});
    add("scenario_seed_negative", {{"s.json", tiny(R"(, "seed": -1)")}}, kRun,
        {kS, "$.seed", ">= 0"});
    add("scenario_seed_fraction", {{"s.json", tiny(R"(, "seed": 1.5)")}}, kRun,
        {kS, "$.seed", "expected an integer"});
    add("scenario_seed_bool", {{"s.json", tiny(R"(, "seed": true)")}}, kRun,
        {kS, "$.seed", "expected an integer"});
    add("scenario_seed_too_big", {{"s.json", tiny(R"(, "seed": 18446744073709551616)")}}, kRun,
        {kS, "$.seed", "expected an integer"});
    add("scenario_network_missing", {{"s.json", tiny(R"(, "network": "nope.msnet")")}}, kRun,
        {kS, "$.network", "file not found"});
    add("scenario_network_number", {{"s.json", tiny(R"(, "network": 5)")}}, kRun,
        {kS, "$.network", "expected a string"});
    add("scenario_network_directory", {{"s.json", tiny(R"(, "network": ".")")}}, kRun,
        {kS, "$.network", "is a directory"});
    add("scenario_network_empty_path", {{"s.json", tiny(R"(, "network": "")")}}, kRun,
        {kS, "$.network", "empty path"});
    add("scenario_network_10mb_path", {{"s.json", tiny(R"(, "network": ")" + big + "\"")}}, kRun,
        {kS, "$.network", "bytes cut"});
    add("scenario_demand_missing", {{"s.json", tiny(R"(, "demand": "missing.json")")}}, kRun,
        {kS, "$.demand", "file not found"});
    add("scenario_choice_object", {{"s.json", tiny(R"(, "choice": {})")}}, kRun,
        {kS, "$.choice", "expected a string"});
    add("scenario_fleet_directory", {{"s.json", tiny(R"(, "fleet": "{src}/scenarios")")}}, kRun,
        {kS, "$.fleet", "is a directory"});
    add("scenario_emission_factors_missing",
        {{"s.json", tiny(R"(, "emission_factors": "nodata")")}}, kRun,
        {kS, "$.emission_factors", "file not found"});
    add("scenario_name_array", {{"s.json", tiny(R"(, "name": ["x"])")}}, kRun,
        {kS, "$.name", "expected a string"});
    add("scenario_non_utf8", {{"s.json", tiny(", \"name\": \"\xff\xfe\xc0\"")}}, kRun,
        {kS + ":1", "invalid JSON", "UTF-8"});
    add("scenario_extends_missing", {{"s.json", R"({"extends": "nope.json"})"}}, kRun,
        {kS, "$.extends", "file not found"});
    add("scenario_extends_number", {{"s.json", R"({"extends": 3})"}}, kRun,
        {kS, "$.extends", "expected a string"});
    add("scenario_extends_itself", {{"s.json", R"({"extends": "s.json"})"}}, kRun,
        {kS, "$.extends", "cycle"});
    add("scenario_extends_cycle",
        {{"s.json", R"({"extends": "a.json"})"},
         {"a.json", R"({"extends": "b.json"})"},
         {"b.json", R"({"extends": "s.json"})"}},
        kRun, {"$.extends", "cycle", "{dir}/"});
    add("scenario_extends_not_json",
        {{"s.json", R"({"extends": "p.txt"})"}, {"p.txt", "name = baseline\n"}}, kRun,
        {"{dir}/p.txt:1", "invalid JSON"});
    add("scenario_extends_bad_parent",
        {{"s.json", R"({"extends": "p.json", "iterations": 1})"},
         {"p.json", bare(R"("iterations": 0)")}},
        kRun, {"{dir}/p.json", "$.iterations", "1..500"});
    add("scenario_no_network", {{"s.json", R"({"demand": "d.json"})"}, {"d.json", "{}"}}, kRun,
        {kS, "$.network", "required"});
    add("scenario_replanning_fraction_zero",
        {{"s.json", tiny(R"(, "replanning": {"fraction": 0})")}}, kRun,
        {kS, "$.replanning.fraction", "(0, 1]"});
    add("scenario_replanning_unknown_key",
        {{"s.json", tiny(R"(, "replanning": {"fractoin": 0.2})")}}, kRun,
        {kS, "$.replanning.fractoin", "unknown field"});
    add("scenario_min_iterations_negative",
        {{"s.json", tiny(R"(, "replanning": {"min_iterations": -5})")}}, kRun,
        {kS, "$.replanning.min_iterations", "1..500"});
    add("scenario_min_iterations_huge",
        {{"s.json", tiny(R"(, "replanning": {"min_iterations": 1000000000000})")}}, kRun,
        {kS, "$.replanning.min_iterations", "1..500"});
    add("scenario_convergence_negative",
        {{"s.json", tiny(R"(, "replanning": {"convergence_share_change": -0.1})")}}, kRun,
        {kS, "$.replanning.convergence_share_change", "[0, 1]"});
    add("scenario_stuck_without_source",
        {{"s.json", tiny(R"(, "engine": {"stuck_s": {"value": 10}})")}}, kRun,
        {kS, "$.engine.stuck_s", "source"});
    add("scenario_stuck_zero",
        {{"s.json", tiny(R"(, "engine": {"stuck_s": {"value": 0, "source": "x"}})")}}, kRun,
        {kS, "$.engine.stuck_s.value", "between 1 and 3600"});
    add("scenario_stuck_plain_number", {{"s.json", tiny(R"(, "engine": {"stuck_s": 10})")}}, kRun,
        {kS, "$.engine.stuck_s", "expected an object"});
    add("scenario_engine_unknown_key", {{"s.json", tiny(R"(, "engine": {"threads": 4})")}}, kRun,
        {kS, "$.engine.threads", "unknown field"});

    // ---------------- run: policies
    add("policies_not_array", {{"s.json", tiny(R"(, "policies": {})")}}, kRun,
        {kS, "$.policies", "expected an array"});
    add("policy_not_object", {{"s.json", tiny(R"(, "policies": [3])")}}, kRun,
        {kS, "$.policies[0]", "expected an object"});
    add("policy_unknown_kind", {{"s.json", policy(R"({"kind": "free_cake"})")}}, kRun,
        {kS, "$.policies[0].kind", "unknown policy kind 'free_cake'"});
    add("policy_kind_missing", {{"s.json", policy(R"({"zones": ["둔산1동"]})")}}, kRun,
        {kS, "$.policies[0].kind", "required"});
    add("policy_kind_number", {{"s.json", policy(R"({"kind": 7})")}}, kRun,
        {kS, "$.policies[0].kind", "expected a string"});
    add("policy_kind_10mb", {{"s.json", policy(R"({"kind": ")" + big + "\"}")}}, kRun,
        {kS, "$.policies[0].kind", "unknown policy kind", "bytes cut"});
    add("policy_unknown_field",
        {{"s.json", policy(R"({"kind": "parking_charge", "zones": ["둔산1동"], "kwr": 3000})")}},
        kRun, {kS, "$.policies[0].kwr", "unknown field"});
    add("parking_krw_negative",
        {{"s.json", policy(R"({"kind": "parking_charge", "zones": ["둔산1동"], "krw": -100})")}},
        kRun, {kS, "$.policies[0].krw", "KRW"});
    add("parking_krw_huge",
        {{"s.json", policy(R"({"kind": "parking_charge", "zones": ["둔산1동"], "krw": 1e300})")}},
        kRun, {kS, "$.policies[0].krw", "KRW"});
    add("parking_krw_string",
        {{"s.json", policy(R"({"kind": "parking_charge", "zones": ["둔산1동"], "krw": "NaN"})")}},
        kRun, {kS, "$.policies[0].krw", "expected a number"});
    add("parking_missing_zone",
        {{"s.json", policy(R"({"kind": "parking_charge", "zones": ["없는동"], "krw": 3000})")}},
        kRun, {kS, "$.policies[0].zones[0]", "no zone named or coded '없는동'"});
    add("congestion_krw_huge",
        {{"s.json", policy(R"({"kind": "congestion_charge", "zones": ["둔산1동"], "krw": 5e6})")}},
        kRun, {kS, "$.policies[0].krw", "KRW"});
    add("congestion_missing_zone",
        {{"s.json",
          policy(R"({"kind": "congestion_charge", "zones": ["9999999999"], "krw": 2000})")}},
        kRun, {kS, "$.policies[0].zones[0]", "no zone"});
    add("bus_frequency_zero",
        {{"s.json", policy(R"({"kind": "bus_frequency", "frequency_factor": 0})")}}, kRun,
        {kS, "$.policies[0].frequency_factor", "[0.1, 10]"});
    add("bus_frequency_huge",
        {{"s.json", policy(R"({"kind": "bus_frequency", "frequency_factor": 1e9})")}}, kRun,
        {kS, "$.policies[0].frequency_factor", "[0.1, 10]"});
    add("bus_frequency_missing_line",
        {{"s.json",
          policy(R"({"kind": "bus_frequency", "lines": ["999번"], "frequency_factor": 2})")}},
        kRun, {kS, "$.policies[0].lines[0]", "no transit line"});
    add("activate_missing_line",
        {{"s.json", policy(R"({"kind": "activate_line", "lines": ["3호선"]})")}}, kRun,
        {kS, "$.policies[0].lines[0]", "no transit line named or coded '3호선'"});
    add("activate_headway_without_source",
        {{"s.json",
          policy(
              R"({"kind": "activate_line", "mode": "tram", "headway_peak_s": {"value": 300}})")}},
        kRun, {kS, "$.policies[0].headway_peak_s", "source"});
    add("deactivate_unknown_mode",
        {{"s.json", policy(R"({"kind": "deactivate_line", "mode": "zeppelin"})")}}, kRun,
        {kS, "$.policies[0].mode", "unknown mode"});
    add("bus_lane_missing_road",
        {{"s.json", policy(R"({"kind": "bus_lane", "road_names": ["없는로"]})")}}, kRun,
        {kS, "$.policies[0].road_names[0]", "no road named '없는로'"});
    add("bus_lane_no_selector", {{"s.json", policy(R"({"kind": "bus_lane"})")}}, kRun,
        {kS, "$.policies[0]", "select links"});
    add("bus_lane_missing_link",
        {{"s.json", policy(R"({"kind": "bus_lane", "links": ["no-such-link"]})")}}, kRun,
        {kS, "$.policies[0].links[0]", "no link with id"});
    add("bike_lane_unknown_class",
        {{"s.json",
          policy(R"({"kind": "bike_lane", "zones": ["둔산1동"], "road_classes": ["autobahn"]})")}},
        kRun, {kS, "$.policies[0].road_classes[0]", "unknown road class"});
    add("road_diet_lanes_zero",
        {{"s.json",
          policy(R"({"kind": "road_diet", "road_names": ["둔산대로"], "lanes_removed": 0})")}},
        kRun, {kS, "$.policies[0]", "lanes_removed"});
    add("signal_priority_green_zero",
        {{"s.json",
          policy(R"({"kind": "signal_priority", "zones": ["둔산1동"], "green_extension_s": 0})")}},
        kRun, {kS, "$.policies[0].green_extension_s", "(0, 60]"});
    add("tashu_coverage_negative",
        {{"s.json", policy(R"({"kind": "tashu", "coverage_factor": -1})")}}, kRun,
        {kS, "$.policies[0].coverage_factor", "[0, 20]"});
    add("tashu_speed_huge", {{"s.json", policy(R"({"kind": "tashu", "bike_speed_factor": 1e6})")}},
        kRun, {kS, "$.policies[0].bike_speed_factor", "(0, 3]"});
    add("fare_factor_negative",
        {{"s.json", policy(R"({"kind": "fare", "modes": ["bus"], "factor": -0.5})")}}, kRun,
        {kS, "$.policies[0].factor", "[0, 10]"});
    add("fare_unknown_mode",
        {{"s.json", policy(R"({"kind": "fare", "modes": ["ferry"], "factor": 0.5})")}}, kRun,
        {kS, "$.policies[0].modes[0]", "unknown mode"});
    add("ev_share_above_one", {{"s.json", policy(R"({"kind": "ev_share", "share": 1.5})")}}, kRun,
        {kS, "$.policies[0].share", "[0, 1]"});
    add("ev_share_unknown_type",
        {{"s.json", policy(R"({"kind": "ev_share", "type": "car_nuclear", "share": 0.2})")}}, kRun,
        {kS, "$.policies[0].type", "car_nuclear"});
    add("lez_unknown_banned_type",
        {{"s.json",
          policy(
              R"({"kind": "low_emission_zone", "zones": ["둔산1동"], "banned_types": ["car_coal"]})")}},
        kRun, {kS, "$.policies[0].banned_types[0]", "car_coal"});
    add("disable_unknown_mode",
        {{"s.json", policy(R"({"kind": "disable_mode", "modes": ["teleport"]})")}}, kRun,
        {kS, "$.policies[0].modes[0]", "unknown mode"});
    add("policy_in_parent",
        {{"s.json", R"({"extends": "p.json"})"},
         {"p.json", policy(R"({"kind": "parking_charge", "zones": ["없는동"], "krw": 3000})")}},
        kRun, {"{dir}/p.json", "$.policies[0].zones[0]", "no zone"});

    // ---------------- run: the data files a scenario names
    const std::string kD = "{dir}/demand.json";
    auto demand = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "demand": "demand.json")")},
                                 {"demand.json", edited("scenarios/data/demand.json", e)}};
    };
    add("demand_value_string", demand([](Json& j) { j["tours_per_person"]["value"] = "0.7"; }),
        kRun, {kD, "$.tours_per_person.value", "expected a number"});
    add("demand_without_source", demand([](Json& j) { j["tours_per_person"].erase("source"); }),
        kRun, {kD, "$.tours_per_person", "source"});
    add("demand_share_above_one", demand([](Json& j) { j["car_available_share"]["value"] = 1.5; }),
        kRun, {kD, "$.car_available_share.value", "between 0 and 1"});
    add("demand_access_negative", demand([](Json& j) { j["tashu_access_m"]["value"] = -5; }), kRun,
        {kD, "$.tashu_access_m.value", "between"});
    add("demand_23_hours",
        demand([](Json& j) { j["purposes"][0]["depart_hour_share"]["value"].erase(0); }), kRun,
        {kD, "$.purposes[0].depart_hour_share.value", "24"});
    add("demand_hour_share_negative",
        demand([](Json& j) { j["purposes"][0]["depart_hour_share"]["value"][5] = -0.1; }), kRun,
        {kD, "$.purposes[0].depart_hour_share.value[5]", ">= 0"});
    add("demand_shares_do_not_sum",
        demand([](Json& j) { j["purposes"][0]["tour_share"]["value"] = 0.01; }), kRun,
        {kD, "$.purposes", "sum to 1"});
    add("demand_unknown_scope", demand([](Json& j) { j["scope"]["value"] = "galaxy"; }), kRun,
        {kD, "$.scope.value", "city"});
    add("demand_purposes_missing", demand([](Json& j) { j.erase("purposes"); }), kRun,
        {kD, "$.purposes", "required"});
    add("demand_duration_negative",
        demand([](Json& j) { j["purposes"][0]["duration_h"]["mean"] = -1; }), kRun,
        {kD, "$.purposes[0].duration_h", "mean must be > 0"});
    add("demand_attraction_negative",
        demand([](Json& j) { j["purposes"][0]["attraction"]["population"] = -1; }), kRun,
        {kD, "$.purposes[0].attraction.population", ">= 0"});
    add("demand_truncated",
        {{"s.json", tiny(R"(, "demand": "demand.json")")},
         {"demand.json", "@head:{src}/scenarios/data/demand.json:700"}},
        kRun, {kD + ":", "invalid JSON"});
    const std::string kC = "{dir}/choice.json";
    auto choice = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "choice": "choice.json")")},
                                 {"choice.json", edited("scenarios/data/mode_choice.json", e)}};
    };
    add("choice_unknown_coefficient", choice([](Json& j) {
            j["coefficients"]["b_foo"] = {{"value", 0}, {"source", "x"}};
        }),
        kRun, {kC, "$.coefficients.b_foo", "unknown field"});
    add("choice_cost_positive", choice([](Json& j) { j["coefficients"]["b_cost"]["value"] = 0.5; }),
        kRun, {kC, "$.coefficients.b_cost.value", "between"});
    add("choice_walk_speed_zero",
        choice([](Json& j) { j["costs"]["walk_speed_mps"]["value"] = 0; }), kRun,
        {kC, "$.costs.walk_speed_mps.value", "between"});
    add("choice_costs_missing", choice([](Json& j) { j.erase("costs"); }), kRun,
        {kC, "$.costs", "required"});
    add("asc_unknown_mode",
        {{"s.json", tiny(R"(, "asc": "asc.json")")}, {"asc.json", R"({"asc": {"hovercraft": 1}})"}},
        kRun, {"{dir}/asc.json", "$.asc.hovercraft", "unknown mode"});
    add("asc_out_of_range",
        {{"s.json", tiny(R"(, "asc": "asc.json")")}, {"asc.json", R"({"asc": {"bus": 99}})"}}, kRun,
        {"{dir}/asc.json", "$.asc.bus", "out of range"});
    add("asc_missing",
        {{"s.json", tiny(R"(, "asc": "asc.json")")}, {"asc.json", R"({"constants": {}})"}}, kRun,
        {"{dir}/asc.json", "$.asc", "required"});
    const std::string kF = "{dir}/fleet.json";
    auto fleet = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "fleet": "fleet.json")")},
                                 {"fleet.json", edited("scenarios/data/fleet.json", e)}};
    };
    add("fleet_shares_do_not_sum",
        fleet([](Json& j) { j["car_mix"]["shares"]["car_gasoline"] = 0.9; }), kRun,
        {kF, "$.car_mix", "sum"});
    add("fleet_unknown_type_in_mix",
        fleet([](Json& j) { j["bus_mix"]["shares"]["bus_steam"] = 0.0; }), kRun,
        {kF, "$.bus_mix.shares.bus_steam"});
    add("fleet_negative_pce", fleet([](Json& j) { j["vehicle_types"][0]["pce"] = -1; }), kRun,
        {kF, "$.vehicle_types[0].pce"});
    add("fleet_unknown_mode", fleet([](Json& j) { j["vehicle_types"][0]["mode"] = "rocket"; }),
        kRun, {kF, "$.vehicle_types[0].mode", "unknown mode"});
    add("fleet_duplicate_type",
        fleet([](Json& j) { j["vehicle_types"].push_back(j["vehicle_types"][0]); }), kRun,
        {kF, "$.vehicle_types[16].name", "duplicate"});
    const std::string kT = "{dir}/traffic.json";
    auto traffic = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "road_traffic": "traffic.json")")},
                                 {"traffic.json", edited("scenarios/data/road_traffic.json", e)}};
    };
    add("traffic_value_string",
        traffic([](Json& j) { j["running_speed"]["base_mph"]["value"] = "fast"; }), kRun,
        {kT, "$.running_speed.base_mph.value", "expected a number"});
    add("traffic_without_source",
        traffic([](Json& j) { j["running_speed"]["limit_coef"].erase("source"); }), kRun,
        {kT, "$.running_speed.limit_coef", "source"});
    add("traffic_cycle_negative", traffic([](Json& j) {
            for (auto& [k, v] : j["signals"]["cycle_s"].items())
                if (v.is_object() && v.contains("value"))
                    v["value"] = -60;
                else if (k == "value")
                    v = -60;
        }),
        kRun, {kT, "$.signals.cycle_s"});
    auto freight = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "freight": "freight.json")")},
                                 {"freight.json", edited("scenarios/data/freight.json", e)}};
    };
    add("freight_unknown_vehicle_type",
        freight([](Json& j) { j["classes"][0]["vehicle_type"] = "hovertruck"; }), kRun,
        {"{dir}/freight.json", "$.classes[0].vehicle_type", "hovertruck"});
    add("freight_volume_negative", freight([](Json& j) { j["volume_factor"]["value"] = -1; }), kRun,
        {"{dir}/freight.json", "$.volume_factor.value"});
    add("freight_23_hours", freight([](Json& j) {
            auto& h = j["depart_hour_share"];
            if (h.contains("value")) h["value"].erase(0);
        }),
        kRun, {"{dir}/freight.json", "$.depart_hour_share"});
    auto external = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny(R"(, "external": "external.json")")},
                                 {"external.json", edited("scenarios/data/external.json", e)}};
    };
    add("external_negative_count",
        external([](Json& j) { j["gateways"][0]["inbound_per_day"] = -5; }), kRun,
        {"{dir}/external.json", "$.gateways[0].inbound_per_day"});
    add("external_gateway_latitude_nonsense",
        external([](Json& j) { j["gateways"][0]["lat"] = 636.0; }), kRun,
        {"{dir}/external.json", "$.gateways[0].lat"});
    add("external_gateway_off_the_network", external([](Json& j) {
            j["gateways"][0]["lat"] = -33.86;
            j["gateways"][0]["lon"] = 151.2;
        }),
        kRun, {"{dir}/external.json", "gateways[0]", "no car road node"});
    add("external_unknown_vehicle_type",
        external([](Json& j) { j["vehicle_mix"]["hovercar"] = 0.0; }), kRun,
        {"{dir}/external.json", "$.vehicle_mix", "hovercar"});
    add("emission_factors_bad_number",
        {{"s.json", tiny(R"(, "emission_factors": "ef")")},
         {"ef/emission_classes.csv", "@copy:{src}/scenarios/data/emission_classes.csv"},
         {"ef/emission_factors_energy.csv",
          "@copy:{src}/scenarios/data/emission_factors_energy.csv"},
         {"ef/emission_factors_korea_speed.csv",
          "@flipnum:{src}/scenarios/data/emission_factors_korea_speed.csv"}},
        kRun, {"{dir}/ef/emission_factors_korea_speed.csv:2", "field '"});
    add("emission_factors_missing_file",
        {{"s.json", tiny(R"(, "emission_factors": "ef")")},
         {"ef/emission_classes.csv", "@copy:{src}/scenarios/data/emission_classes.csv"}},
        kRun, {"{dir}/ef/", "cannot open"});
    const std::string kNetFile = "{src}/networks/daejeon/daejeon.msnet";
    add("network_truncated",
        {{"s.json", tiny(R"(, "network": "n.msnet")")}, {"n.msnet", "@head:" + kNetFile + ":5000"}},
        kRun, {"{dir}/n.msnet", "field 'payload'", "truncated"});
    add("network_bit_flipped",
        {{"s.json", tiny(R"(, "network": "n.msnet")")},
         {"n.msnet", "@flip:" + kNetFile + ":100000"}},
        kRun, {"{dir}/n.msnet", "field 'checksum'"});
    add("network_bad_magic",
        {{"s.json", tiny(R"(, "network": "n.msnet")")}, {"n.msnet", "MSNETBOX and more bytes"}},
        kRun, {"{dir}/n.msnet", "field 'magic'"});
    add("network_empty", {{"s.json", tiny(R"(, "network": "n.msnet")")}, {"n.msnet", ""}}, kRun,
        {"{dir}/n.msnet", "field 'magic'"});

    // ---------------- run --warm-start
    const std::string kLT = "{dir}/warm/link_times.csv";
    add("warm_link_out_of_range", warm("link_times.csv", link_times("99999999,1,5,1\n")), kWarm,
        {kLT + ":3", "field 'link'", "no such link"});
    add("warm_mean_nan", warm("link_times.csv", link_times("1,1,nan,1\n")), kWarm,
        {kLT + ":3", "field 'mean_s'", "finite"});
    add("warm_mean_huge", warm("link_times.csv", link_times("1,1,1e300,1\n")), kWarm,
        {kLT + ":3", "field 'mean_s'", "86400"});
    add("warm_mean_negative", warm("link_times.csv", link_times("1,1,-3,1\n")), kWarm,
        {kLT + ":3", "field 'mean_s'"});
    add("warm_bin_out_of_range", warm("link_times.csv", link_times("1,5000,30,1\n")), kWarm,
        {kLT + ":3", "field 'bin'", "0..1000"});
    add("warm_duplicate_bin", warm("link_times.csv", link_times("1,3,30,1\n1,3,31,1\n")), kWarm,
        {kLT + ":4", "field 'bin'", "line 3"});
    add("warm_missing_column", warm("link_times.csv", "# network {net} rows 1\nlink,bin\n1,3\n"),
        kWarm, {kLT + ":2", "field 'mean_s'", "required column"});
    add("warm_unterminated_quote", warm("link_times.csv", link_times("1,3,\"30,1\n")), kWarm,
        {kLT + ":3", "unterminated"});
    add("warm_wrong_field_count", warm("link_times.csv", link_times("1,3,30\n")), kWarm,
        {kLT + ":3", "fields"});
    add("warm_link_times_without_network",
        warm("link_times.csv", "link,bin,mean_s,vehicles\n1,3,30,1\n"), kWarm,
        {kLT + ":1", "field 'network'", "# network HASH rows N"});
    add("warm_link_times_other_network",
        warm("link_times.csv",
             "# network 0123456789abcdef rows 1\nlink,bin,mean_s,vehicles\n1,3,30,1\n"),
        kWarm,
        {kLT + ":1", "field 'network'",
         "made for network 0123456789abcdef but the run uses network {net}"});
    add("warm_link_times_rows_missing",
        warm("link_times.csv", "# network {net} rows 3\nlink,bin,mean_s,vehicles\n1,3,30,1\n"),
        kWarm, {kLT, "field 'rows'", "cut short: 1 of the 3 rows"});
    add("warm_link_times_cut_in_a_row", warm("link_times.csv", "@head:{ref}/link_times.csv:5000"),
        kWarm, {kLT, "field 'rows'", "cut short"});
    add("warm_plans_bit_flipped", warm("plans.bin", "@flip:{ref}/plans.bin:-1000"), kWarm,
        {"{dir}/warm/plans.bin", "field 'checksum'"});
    add("warm_plans_truncated", warm("plans.bin", "@head:{ref}/plans.bin:5000"), kWarm,
        {"{dir}/warm/plans.bin", "field 'payload'"});
    add("warm_plans_foreign", warm("plans.bin", "@copy:{ref}/summary.json"), kWarm,
        {"{dir}/warm/plans.bin", "field 'magic'"});
    add("warm_plans_other_network", warm("plans.bin", "@flip:{ref}/plans.bin:12"), kWarm,
        {"{dir}/warm/plans.bin", "field 'network'", "but the run uses network {net}"});
    add("warm_plans_other_version", warm("plans.bin", "@flip:{ref}/plans.bin:8"), kWarm,
        {"{dir}/warm/plans.bin", "field 'schema_version'", "this build reads 3"});

    // ---------------- what-if
    const std::string kBase = "{src}/scenarios/seogu-baseline.json";
    add("what_if_unknown_measure", {},
        "what-if --base " + kBase + " --set metro_line3 --out {dir}/w", {"--set", "metro_line3"});
    add("what_if_value_outside", {},
        "what-if --base " + kBase + " --set bus_frequency=9 --out {dir}/w",
        {"--set", "bus_frequency", "outside"});
    add("what_if_value_nan", {},
        "what-if --base " + kBase + " --set bus_frequency=nan --out {dir}/w",
        {"--set", "bus_frequency", "not a number"});
    add("what_if_bad_base", {{"s.json", R"({"extends": )"}},
        "what-if --base {dir}/s.json --measures {src}/scenarios/measures.json --set tram_line2 "
        "--out {dir}/w",
        {kS + ":1", "invalid JSON"});
    add("what_if_bad_measures", {{"m.json", "{\"measures\": [\n"}},
        "what-if --base " + kBase + " --measures {dir}/m.json --set tram_line2 --out {dir}/w",
        {"{dir}/m.json:2", "invalid JSON"});

    // ---------------- sweep
    add("sweep_bad_scenario", {{"s.json", tiny(R"(, "iterations": 0)")}},
        "sweep {dir}/s.json --seeds 1 --out {dir}/sw --quiet", {kS, "$.iterations"});
    add("sweep_one_bad_policy", {{"s.json", policy(R"({"kind": "free_cake"})")}},
        "sweep {dir}/s.json --seeds 1,2 --out {dir}/sw --quiet",
        {kS, "$.policies[0].kind", "free_cake"});

    // ---------------- calibrate
    auto targets = [&](const std::function<void(Json&)>& e) {
        return std::vector<File>{{"s.json", tiny()},
                                 {"t.json", edited("scenarios/data/calibration_targets.json", e)}};
    };
    const std::string kCal =
        "calibrate {dir}/s.json --targets {dir}/t.json --out {dir}/asc.json --quiet --loops 1";
    add("calibrate_targets_negative",
        targets([](Json& j) { j["excl_walk"]["car"]["value"] = -0.2; }), kCal,
        {"{dir}/t.json", "$.excl_walk.car.value"});
    add("calibrate_targets_without_source",
        targets([](Json& j) { j["walk_share"].erase("source"); }), kCal,
        {"{dir}/t.json", "$.walk_share", "source"});
    add("calibrate_targets_unknown_mode", targets([](Json& j) {
            j["excl_walk"]["zeppelin"] = {{"value", 0.1}, {"source", "x"}};
        }),
        kCal, {"{dir}/t.json", "$.excl_walk.zeppelin"});
    add("calibrate_targets_truncated",
        {{"s.json", tiny()}, {"t.json", "{\"walk_share\": {\"value\": 0.24,\n"}}, kCal,
        {"{dir}/t.json:2", "invalid JSON"});

    // ---------------- network info / convert
    const std::string kInfo = "network info {dir}/n.msnet";
    add("net_truncated", {{"n.msnet", "@head:" + kNetFile + ":100"}}, kInfo,
        {"{dir}/n.msnet", "field 'payload'", "truncated"});
    add("net_header_only", {{"n.msnet", "@head:" + kNetFile + ":20"}}, kInfo,
        {"{dir}/n.msnet", "field 'header'", "truncated"});
    add("net_payload_flipped", {{"n.msnet", "@flip:" + kNetFile + ":-10"}}, kInfo,
        {"{dir}/n.msnet", "field 'checksum'"});
    add("net_version_flipped", {{"n.msnet", "@flip:" + kNetFile + ":8"}}, kInfo,
        {"{dir}/n.msnet", "field 'schema_version'"});
    add("net_size_flipped", {{"n.msnet", "@flip:" + kNetFile + ":27"}}, kInfo,
        {"{dir}/n.msnet", "field 'payload_size'"});
    add("net_trailing_bytes", {{"n.msnet", "@tail:" + kNetFile + ":junk"}}, kInfo,
        {"{dir}/n.msnet", "field 'payload'", "trailing"});
    add("net_empty", {{"n.msnet", ""}}, kInfo, {"{dir}/n.msnet", "field 'magic'"});
    add("net_text", {{"n.msnet", "hello, I am not a network\n"}}, kInfo,
        {"{dir}/n.msnet", "field 'magic'"});
    add("net_run_file", {{"n.msnet", "@copy:{ref}/run.msrun"}}, kInfo,
        {"{dir}/n.msnet", "field 'magic'"});
    const std::string kJInfo = "network info {dir}/n.msnet.json";
    const std::string kJ = "{dir}/n.msnet.json";
    add("json_net_truncated", {{"n.msnet.json", small_net().dump(1).substr(0, 300)}}, kJInfo,
        {kJ + ":", "invalid JSON"});
    add("json_net_wrong_format",
        {{"n.msnet.json", net_with([](Json& j) { j["format"] = "geojson"; })}}, kJInfo,
        {kJ, "$.format", "not a modeshift network"});
    add("json_net_schema_version",
        {{"n.msnet.json", net_with([](Json& j) { j["schema_version"] = 99; })}}, kJInfo,
        {kJ, "$.schema_version", "99"});
    add("json_net_unknown_node",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][1]["to"] = 7; })}}, kJInfo,
        {kJ, "links[1].to", "unknown node"});
    add("json_net_negative_node",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["from"] = -1; })}}, kJInfo,
        {kJ, "$.links[0].from", "out of range"});
    add("json_net_negative_length",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["length_m"] = -900; })}}, kJInfo,
        {kJ, "links[0].length_m", ">= 0"});
    add("json_net_length_string",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["length_m"] = "900"; })}}, kJInfo,
        {kJ, "$.links[0].length_m", "expected a number"});
    add("json_net_length_overflow",
        {{"n.msnet.json", "{\"format\": \"modeshift-network\",\n \"x\": -1e400}"}}, kJInfo,
        {kJ + ":2", "1e400"});
    add("json_net_unknown_mode",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["modes"][1] = "hovercraft"; })}},
        kJInfo, {kJ, "$.links[0].modes[1]", "unknown mode"});
    add("json_net_unknown_class",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["class"] = "autobahn"; })}}, kJInfo,
        {kJ, "$.links[0].class", "unknown road class"});
    add("json_net_lat_string",
        {{"n.msnet.json", net_with([](Json& j) { j["nodes"][2]["lat"] = "north"; })}}, kJInfo,
        {kJ, "$.nodes[2].lat", "expected a number"});
    add("json_net_hash_mismatch",
        {{"n.msnet.json", net_with([](Json& j) { j["content_hash"] = "0123456789abcdef"; })}},
        kJInfo, {kJ, "$.content_hash", "does not match"});
    add("json_net_name_index",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["name"] = 5; })}}, kJInfo,
        {kJ, "$.links[0].name", "out of range"});
    add("json_net_line_unknown_stop",
        {{"n.msnet.json", net_with([](Json& j) { j["lines"][0]["stops"][1] = 9; })}}, kJInfo,
        {kJ, "lines[0].stops", "unknown stop"});
    add("json_net_line_not_contiguous", {{"n.msnet.json", net_with([](Json& j) {
                                              j["lines"][0]["links"] = {1, 0};
                                          })}},
        kJInfo, {kJ, "lines[0].links[1]", "not contiguous"});
    add("json_net_stop_link_pos",
        {{"n.msnet.json", net_with([](Json& j) { j["lines"][0]["stop_link_pos"][1] = 7; })}},
        kJInfo, {kJ, "lines[0].stop_link_pos", "beyond the route"});
    add("json_net_headway_zero",
        {{"n.msnet.json", net_with([](Json& j) { j["lines"][0]["headway_peak_s"] = 0; })}}, kJInfo,
        {kJ, "lines[0].headway", "> 0"});
    add("json_net_bad_control",
        {{"n.msnet.json", net_with([](Json& j) { j["nodes"][0]["control"] = "roundabout"; })}},
        kJInfo, {kJ, "$.nodes[0].control", "signal"});
    add("json_net_first_thru_node",
        {{"n.msnet.json", net_with([](Json& j) { j["first_thru_node"] = 1000000000000LL; })}},
        kJInfo, {kJ, "$.first_thru_node"});
    add("json_net_first_thru_beyond",
        {{"n.msnet.json", net_with([](Json& j) { j["first_thru_node"] = 50; })}}, kJInfo,
        {kJ, "first_thru_node", "beyond the 3 nodes"});
    add("json_net_geometry_triples", {{"n.msnet.json", net_with([](Json& j) {
                                           j["links"][0]["geometry"] = {{36.35, 127.38, 9}};
                                       })}},
        kJInfo, {kJ, "$.links[0].geometry[0]", "[lat, lon]"});
    add("json_net_zone_centroid",
        {{"n.msnet.json", net_with([](Json& j) { j["zones"][0]["centroid"] = 3; })}}, kJInfo,
        {kJ, "zones[0].centroid", "unknown node"});
    add("json_net_zone_population_negative",
        {{"n.msnet.json", net_with([](Json& j) { j["zones"][0]["population"] = -5; })}}, kJInfo,
        {kJ, "zones[0]", "population"});
    add("json_net_stop_unknown_node",
        {{"n.msnet.json", net_with([](Json& j) { j["stops"][0]["node"] = 44; })}}, kJInfo,
        {kJ, "stops[0].node", "unknown node"});
    add("json_net_nodes_missing", {{"n.msnet.json", net_with([](Json& j) { j.erase("nodes"); })}},
        kJInfo, {kJ, "$.nodes", "required"});
    add("convert_bad_input",
        {{"n.msnet.json", net_with([](Json& j) { j["links"][0]["to"] = 1.5; })}},
        "network convert {dir}/n.msnet.json {dir}/out.msnet",
        {kJ, "$.links[0].to", "expected an integer"});

    // ---------------- import tntp / assign
    const std::string kTn = "import tntp --net {dir}/x_net.tntp --out {dir}/x.msnet";
    const std::string kN = "{dir}/x_net.tntp";
    add("tntp_negative_capacity", {{"x_net.tntp", tntp_net("1 2 -5 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'capacity'"});
    add("tntp_nan_length", {{"x_net.tntp", tntp_net("1 2 1000 nan 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'length'", "finite"});
    add("tntp_inf_time", {{"x_net.tntp", tntp_net("1 2 1000 1 inf 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'free_flow_time'"});
    add("tntp_huge_number", {{"x_net.tntp", tntp_net("1 2 1e999 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'capacity'"});
    add("tntp_unknown_node", {{"x_net.tntp", tntp_net("1 9 1000 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'term_node'", "unknown node 9"});
    add("tntp_node_zero", {{"x_net.tntp", tntp_net("0 2 1000 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'init_node'"});
    add("tntp_self_loop", {{"x_net.tntp", tntp_net("3 3 1000 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'term_node'", "itself"});
    add("tntp_few_columns", {{"x_net.tntp", tntp_net("1 2 1000 1 ;\n")}}, kTn,
        {kN + ":6", "'columns'", "found 4"});
    add("tntp_no_semicolon", {{"x_net.tntp", tntp_net("1 2 1000 1 1 0.15 4 0 0 1\n")}}, kTn,
        {kN + ":6", "';'"});
    add("tntp_more_links",
        {{"x_net.tntp",
          tntp_net("1 2 1000 1 1 0.15 4 0 0 1 ;\n") + "3 4 1000 1 1 0.15 4 0 0 1 ;\n"}},
        kTn, {kN + ":8", "<NUMBER OF LINKS>"});
    add("tntp_truncated", {{"x_net.tntp", kTntpHeader + "1 2 1000 1 1 0.15 4 0 0 1 ;\n"}}, kTn,
        {kN + ":6", "<NUMBER OF LINKS>", "truncated"});
    add("tntp_no_end_of_metadata", {{"x_net.tntp", "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 4\n"}},
        kTn, {kN + ":2", "<END OF METADATA>"});
    add("tntp_count_not_integer",
        {{"x_net.tntp",
          "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> four\n<FIRST THRU NODE> 1\n"
          "<NUMBER OF LINKS> 2\n<END OF METADATA>\n"}},
        kTn, {kN + ":2", "<NUMBER OF NODES>", "four"});
    add("tntp_zones_exceed_nodes",
        {{"x_net.tntp",
          "<NUMBER OF ZONES> 9\n<NUMBER OF NODES> 4\n<FIRST THRU NODE> 1\n"
          "<NUMBER OF LINKS> 2\n<END OF METADATA>\n"}},
        kTn, {kN + ":1", "<NUMBER OF ZONES>"});
    add("tntp_huge_node_count",
        {{"x_net.tntp",
          "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 99000000\n<FIRST THRU NODE> 1\n"
          "<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 1000 1 1 0.15 4 0 0 1 ;\n"}},
        kTn, {kN + ":2", "<NUMBER OF NODES>", "more than"});
    add("tntp_duplicate_link", {{"x_net.tntp", tntp_net("2 3 1000 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":7", "'term_node'", "duplicate"});
    add("tntp_power_below_one", {{"x_net.tntp", tntp_net("1 2 1000 1 1 0.15 0.5 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'power'"});
    add("tntp_b_without_capacity", {{"x_net.tntp", tntp_net("1 2 0 1 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'capacity'"});
    add("tntp_non_utf8", {{"x_net.tntp", tntp_net("1 2 1000 \xff\xfe 1 0.15 4 0 0 1 ;\n")}}, kTn,
        {kN + ":6", "'length'"});
    add("tntp_binary_garbage", {{"x_net.tntp", "@copy:" + kNetFile}}, kTn, {kN + ":1", "metadata"});
    add("tntp_empty", {{"x_net.tntp", ""}}, kTn, {kN, "<END OF METADATA>"});
    const std::string kTr = "{dir}/x_trips.tntp";
    const std::string kTrips =
        "import tntp --net " + kBraess + " --trips {dir}/x_trips.tntp --out {dir}/x.msnet";
    const std::string kTripsHead = "<NUMBER OF ZONES> 2\n<END OF METADATA>\n";
    add("trips_zone_out_of_range", {{"x_trips.tntp", kTripsHead + "Origin 1\n 3 : 6.0;\n"}}, kTrips,
        {kTr + ":4", "'destination'"}, true);
    add("trips_negative_demand", {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : -6.0;\n"}}, kTrips,
        {kTr + ":4", "'demand'", "negative"}, true);
    add("trips_nan_demand", {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : nan;\n"}}, kTrips,
        {kTr + ":4", "'demand'"}, true);
    add("trips_huge_demand", {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 1e400;\n"}}, kTrips,
        {kTr + ":4", "'demand'"}, true);
    add("trips_duplicate_origin",
        {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 6.0;\nOrigin 1\n"}}, kTrips,
        {kTr + ":5", "'origin'", "twice"}, true);
    add("trips_duplicate_destination",
        {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 6.0; 2 : 1.0;\n"}}, kTrips,
        {kTr + ":4", "'destination'", "twice"}, true);
    add("trips_before_origin", {{"x_trips.tntp", kTripsHead + " 2 : 6.0;\n"}}, kTrips,
        {kTr + ":3", "'origin'"}, true);
    add("trips_no_origin", {{"x_trips.tntp", kTripsHead}}, kTrips, {kTr, "'origin'", "no 'Origin'"},
        true);
    add("trips_missing_semicolon", {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 6.0\n"}}, kTrips,
        {kTr + ":4", "'demand'", "';'"}, true);
    add("trips_huge_zone_count",
        {{"x_trips.tntp", "<NUMBER OF ZONES> 100000\n<END OF METADATA>\nOrigin 1\n 2 : 6.0;\n"}},
        kTrips, {kTr + ":1", "<NUMBER OF ZONES>", "more than"}, true);
    add("trips_other_zone_count",
        {{"x_trips.tntp", "<NUMBER OF ZONES> 3\n<END OF METADATA>\nOrigin 1\n 2 : 6.0;\n"}}, kTrips,
        {kTr, "<NUMBER OF ZONES>"}, true);
    const std::string kNd = "{dir}/x_node.tntp";
    const std::string kNodes =
        "import tntp --net " + kBraess + " --nodes {dir}/x_node.tntp --out {dir}/x.msnet";
    add("nodes_unknown_node", {{"x_node.tntp", "Node X Y ;\n1 0 0 ;\n9 1 1 ;\n"}}, kNodes,
        {kNd + ":3", "'node'", "unknown node 9"}, true);
    add("nodes_listed_twice", {{"x_node.tntp", "Node X Y ;\n1 0 0 ;\n1 1 1 ;\n"}}, kNodes,
        {kNd + ":3", "'node'", "twice"}, true);
    add("nodes_bad_coordinate", {{"x_node.tntp", "Node X Y ;\n1 east 0 ;\n"}}, kNodes,
        {kNd + ":2", "'X'"}, true);
    add("nodes_two_columns", {{"x_node.tntp", "Node X Y ;\n1 0 ;\n"}}, kNodes,
        {kNd + ":2", "'columns'"}, true);
    const std::string kAssign =
        "assign --net " + kBraess + " --trips {dir}/x_trips.tntp --out {dir}/r.json";
    add("assign_bad_trips", {{"x_trips.tntp", kTripsHead + "Origin 1\n 3 : 6.0;\n"}}, kAssign,
        {kTr + ":4", "'destination'"}, true);
    add("assign_bad_net",
        {{"n.msnet", "@flip:" + kNetFile + ":-100"},
         {"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 6.0;\n"}},
        "assign --net {dir}/n.msnet --trips {dir}/x_trips.tntp --out {dir}/r.json",
        {"{dir}/n.msnet", "field 'checksum'"});
    add("assign_missing_net", {{"x_trips.tntp", kTripsHead + "Origin 1\n 2 : 6.0;\n"}},
        "assign --net {dir}/none_net.tntp --trips {dir}/x_trips.tntp --out {dir}/r.json",
        {"{dir}/none_net.tntp", "cannot open"});

    // ---------------- import osm
    const std::string kOsm = "import osm {dir}/a.osm --out {dir}/x.msnet";
    const std::string kA = "{dir}/a.osm";
    add("osm_truncated_xml", {{"a.osm", kOsmGrid.substr(0, kOsmGrid.find("<nd ref=\"2\"") + 6)}},
        kOsm, {kA + ":", "XML"});
    add("osm_not_xml", {{"a.osm", "hello world\n"}}, kOsm, {kA + ":1", "XML"});
    add("osm_unclosed_tag",
        {{"a.osm",
          "<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n<node id=\"1\" lat=\"37\" "
          "lon=\"127\">\n</osm>\n"}},
        kOsm, {kA + ":4", "XML"});
    std::string osm_bad_lat = kOsmGrid;
    osm_bad_lat = replace_first(osm_bad_lat, "lat=\"37.0000\"", "lat=\"north\"");
    add("osm_bad_coordinate", {{"a.osm", osm_bad_lat}}, kOsm, {kA, "'"});
    add("osm_non_utf8_xml",
        {{"a.osm",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n<node id=\"1\" "
          "lat=\"37\" "
          "lon=\"127\"><tag k=\"name\" v=\"\xff\xfe\"/></node>\n</osm>\n"}},
        kOsm, {kA + ":3", "XML"});
    add("osm_missing_file", {}, "import osm {dir}/none.osm --out {dir}/x.msnet",
        {"{dir}/none.osm", "field 'file'", "no such file"});
    add("osm_pbf_truncated", {{"a.osm.pbf", "@head:{shared}/osm-sample/andorra.osm.pbf:20000"}},
        "import osm {dir}/a.osm.pbf --out {dir}/x.msnet",
        {"{dir}/a.osm.pbf", "field 'blob at byte ", "truncated"}, true);
    add("osm_pbf_bit_flipped", {{"a.osm.pbf", "@flip:{shared}/osm-sample/andorra.osm.pbf:3000"}},
        "import osm {dir}/a.osm.pbf --out {dir}/x.msnet", {"{dir}/a.osm.pbf", "field 'relations'"},
        true);
    add("osm_pbf_text", {{"a.osm.pbf", kOsmGrid}}, "import osm {dir}/a.osm.pbf --out {dir}/x.msnet",
        {"{dir}/a.osm.pbf", "field 'blob at byte 0'", "blob header size"});
    add("osm_gz_truncated", {{"a.osm.gz", "@head:{shared}/osm-sample/monaco.osm.gz:30000"}},
        "import osm {dir}/a.osm.gz --out {dir}/x.msnet", {"{dir}/a.osm.gz", "truncated or damaged"},
        true);
    auto osm_tables = [&](const std::string& file, const std::string& content) {
        std::vector<File> f = {{"a.osm", kOsmGrid}};
        for (const char* n :
             {"osm_defaults.csv", "osm_maxspeed_zones.csv", "osm_transit_defaults.csv"})
            if (n != file)
                f.push_back({std::string("t/") + n, std::string("@copy:{src}/networks/osm/") + n});
        if (!content.empty()) f.push_back({"t/" + file, content});
        return f;
    };
    std::string defaults = slurp(fs::path(kSrc) / "networks/osm/osm_defaults.csv");
    std::string bad_speed = defaults;
    bad_speed = replace_first(bad_speed, ",120,", ",fast,");
    add("osm_tables_bad_speed", osm_tables("osm_defaults.csv", bad_speed),
        kOsm + " --tables {dir}/t", {"{dir}/t/osm_defaults.csv:2", "'speed_kmh'"});
    std::string bad_class = defaults;
    bad_class = replace_first(bad_class, ",motorway,2,", ",autobahn,2,");
    add("osm_tables_bad_class", osm_tables("osm_defaults.csv", bad_class),
        kOsm + " --tables {dir}/t", {"{dir}/t/osm_defaults.csv:2", "'road_class'"});
    add("osm_tables_missing_file", osm_tables("osm_transit_defaults.csv", ""),
        kOsm + " --tables {dir}/t", {"{dir}/t/osm_transit_defaults.csv", "cannot open"});
    add("osm_boundary_bad_json",
        {{"a.osm", kOsmGrid}, {"b.geojson", "{\"type\": \"FeatureCollection\",\n"}},
        kOsm + " --boundary {dir}/b.geojson", {"{dir}/b.geojson:2", "invalid JSON"});
    add("osm_boundary_no_polygon",
        {{"a.osm", kOsmGrid},
         {"b.geojson",
          R"({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [127, 37]}})"}},
        kOsm + " --boundary {dir}/b.geojson", {"{dir}/b.geojson", "Polygon"});
    add("osm_boundary_bad_coordinates",
        {{"a.osm", kOsmGrid},
         {"b.geojson",
          R"({"type": "Polygon", "coordinates": [[[127, 37], [127.1, "x"], [127.1, 37.1], [127, 37]]]})"}},
        kOsm + " --boundary {dir}/b.geojson", {"{dir}/b.geojson", "$.coordinates[0][1][1]"});

    // ---------------- import gtfs
    const std::string kFeed = "{dir}/feed/";
    std::string st = with_newline(sample_feed_file("stop_times.txt"));
    std::string st_unknown_stop = st, st_bad_time = st, st_back = st;
    st_unknown_stop = replace_first(st_unknown_stop, "STAGECOACH", "NOWHERE_99");
    st_bad_time = replace_first(st_bad_time, "6:00:00", "6:99:00");
    add("gtfs_missing_stops", gtfs_feed("stops.txt", ""), kGtfs,
        {kFeed + "stops.txt", "required GTFS file missing"}, true);
    add("gtfs_unknown_stop", gtfs_feed("stop_times.txt", st_unknown_stop), kGtfs,
        {kFeed + "stop_times.txt:2", "'stop_id'", "NOWHERE_99"}, true);
    add("gtfs_bad_time", gtfs_feed("stop_times.txt", st_bad_time), kGtfs,
        {kFeed + "stop_times.txt:2", "'arrival_time'", "6:99:00"}, true);
    add("gtfs_unknown_trip",
        gtfs_feed("stop_times.txt", st + "NO_TRIP,6:00:00,6:00:00,STAGECOACH,9\n"), kGtfs,
        {kFeed + "stop_times.txt:", "'trip_id'", "NO_TRIP"}, true);
    std::string trips = with_newline(sample_feed_file("trips.txt"));
    const std::string first_trip = trips.substr(
        trips.find('\n') + 1, trips.find('\n', trips.find('\n') + 1) - trips.find('\n'));
    add("gtfs_unknown_route", gtfs_feed("trips.txt", trips + "NO_ROUTE,FULLW,T99,,0,1,\n"), kGtfs,
        {kFeed + "trips.txt:", "'route_id'", "NO_ROUTE"}, true);
    add("gtfs_unknown_service", gtfs_feed("trips.txt", trips + "AB,NO_SERVICE,T99,,0,1,\n"), kGtfs,
        {kFeed + "trips.txt:", "'service_id'", "NO_SERVICE"}, true);
    add("gtfs_duplicate_trip", gtfs_feed("trips.txt", trips + first_trip), kGtfs,
        {kFeed + "trips.txt:", "'trip_id'", "duplicate"}, true);
    std::string stops =
        with_newline(sample_feed_file("stops.txt"));  // 7 columns, 9 stops (rows 2..10)
    auto stops_with = [&](const std::string& row) { return gtfs_feed("stops.txt", stops + row); };
    add("gtfs_bad_lat", stops_with("X1,Extra,,north,-116.76,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'stop_lat'"}, true);
    add("gtfs_lat_out_of_range", stops_with("X1,Extra,,91,-116.76,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'stop_lat'", "91"}, true);
    add("gtfs_lon_nan", stops_with("X1,Extra,,36.9,nan,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'stop_lon'"}, true);
    add("gtfs_null_island", stops_with("X1,Extra,,0,0,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'stop_lat'", "placeholder"}, true);
    add("gtfs_duplicate_stop", stops_with("FUR_CREEK_RES,Again,,36.9,-116.7,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'stop_id'", "duplicate"}, true);
    add("gtfs_too_many_fields", stops_with("X1,Extra,,36.9,-116.7,,,,,\n"), kGtfs,
        {kFeed + "stops.txt:11", "fields"}, true);
    // The sample stops with location_type and parent_station columns; `extra` rows appended.
    auto typed_stops = [&](const std::string& extra) {
        std::string t = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n";
        for (const char* id : {"FUR_CREEK_RES", "BEATTY_AIRPORT", "BULLFROG", "STAGECOACH", "NADAV",
                               "NANAA", "DADAN", "EMSI", "AMV"})
            t += std::string(id) + ",Stop,36.9,-116.7,0,\n";
        return gtfs_feed("stops.txt", t + extra);
    };
    add("gtfs_unknown_parent", typed_stops("X1,Extra,36.9,-116.7,0,NO_PARENT\n"), kGtfs,
        {kFeed + "stops.txt:11", "'parent_station'", "NO_PARENT"}, true);
    add("gtfs_parent_not_station", typed_stops("X1,Extra,36.9,-116.7,0,AMV\n"), kGtfs,
        {kFeed + "stops.txt:11", "'parent_station'", "not a station"}, true);
    add("gtfs_location_type_huge", typed_stops("X1,Extra,36.9,-116.7,4294967296,\n"), kGtfs,
        {kFeed + "stops.txt:11", "'location_type'", "0..4"}, true);
    add("gtfs_boarding_area_parent_not_platform",
        typed_stops("STATION_1,Hub,36.9,-116.7,1,\nX1,Gate,36.9,-116.7,4,STATION_1\n"), kGtfs,
        {kFeed + "stops.txt:12", "'parent_station'", "boarding area belongs to a platform"}, true);
    add("gtfs_boarding_area_without_platform",
        gtfs_feed("stops.txt", replace_all(typed_stops("").back().content,
                                           "AMV,Stop,36.9,-116.7,0,", "AMV,Gate,36.9,-116.7,4,")),
        kGtfs,
        {kFeed + "stop_times.txt:", "'stop_id'", "'AMV' is a boarding area without its platform"},
        true);
    add("gtfs_bad_date",
        gtfs_feed("calendar.txt",
                  "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                  "end_date\n"
                  "FULLW,1,1,1,1,1,1,1,20071332,20101231\nWE,0,0,0,0,0,1,1,20070101,20101231\n"),
        kGtfs, {kFeed + "calendar.txt:2", "'start_date'", "20071332"}, true);
    add("gtfs_bad_weekday",
        gtfs_feed("calendar.txt",
                  "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                  "end_date\n"
                  "FULLW,1,1,2,1,1,1,1,20070101,20101231\nWE,0,0,0,0,0,1,1,20070101,20101231\n"),
        kGtfs, {kFeed + "calendar.txt:2", "'wednesday'"}, true);
    add("gtfs_end_before_start",
        gtfs_feed("calendar.txt",
                  "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                  "end_date\n"
                  "FULLW,1,1,1,1,1,1,1,20101231,20070101\nWE,0,0,0,0,0,1,1,20070101,20101231\n"),
        kGtfs, {kFeed + "calendar.txt:2", "'end_date'"}, true);
    add("gtfs_bad_exception_type",
        gtfs_feed("calendar_dates.txt", "service_id,date,exception_type\nFULLW,20070604,3\n"),
        kGtfs, {kFeed + "calendar_dates.txt:2", "'exception_type'"}, true);
    add("gtfs_headway_zero",
        gtfs_feed("frequencies.txt",
                  "trip_id,start_time,end_time,headway_secs\nSTBA,6:00:00,22:00:00,0\n"),
        kGtfs, {kFeed + "frequencies.txt:2", "'headway_secs'"}, true);
    add("gtfs_headway_huge",
        gtfs_feed("frequencies.txt",
                  "trip_id,start_time,end_time,headway_secs\nSTBA,6:00:00,22:00:00,"
                  "9223372036854775807\n"),
        kGtfs, {kFeed + "frequencies.txt:2", "'headway_secs'"}, true);
    add("gtfs_too_many_departures",
        gtfs_feed("frequencies.txt",
                  "trip_id,start_time,end_time,headway_secs\nSTBA,0:00:00,999:00:00,1\n"),
        kGtfs, {kFeed + "frequencies.txt:2", "'headway_secs'", "100,000"}, true);
    add("gtfs_frequency_end_before_start",
        gtfs_feed("frequencies.txt",
                  "trip_id,start_time,end_time,headway_secs\nSTBA,22:00:00,6:00:00,600\n"),
        kGtfs, {kFeed + "frequencies.txt:2", "'end_time'"}, true);
    add("gtfs_missing_column",
        gtfs_feed("stops.txt", "stop_name,stop_lat,stop_lon\nX,36.9,-116.7\n"), kGtfs,
        {kFeed + "stops.txt:1", "'stop_id'", "required column"}, true);
    add("gtfs_unterminated_quote",
        gtfs_feed("routes.txt",
                  with_newline(sample_feed_file("routes.txt")) + "R9,DTA,9,\"Unclosed,,3,,,\n"),
        kGtfs, {kFeed + "routes.txt:", "unterminated"}, true);
    add("gtfs_unknown_route_type",
        gtfs_feed("routes.txt",
                  with_newline(sample_feed_file("routes.txt")) + "R9,DTA,9,Nine,,99999,,,\n"),
        kGtfs, {kFeed + "routes.txt:", "'route_type'", "99999"}, true);
    add("gtfs_no_agency",
        gtfs_feed("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"), kGtfs,
        {kFeed + "agency.txt", "'agency_id'", "no agency"}, true);
    add(
        "gtfs_no_calendar",
        [&] {
            auto f = gtfs_feed("calendar.txt", "");
            f.erase(
                std::remove_if(f.begin(), f.end(),
                               [](const File& x) { return x.path == "feed/calendar_dates.txt"; }),
                f.end());
            return f;
        }(),
        kGtfs, {kFeed + "calendar.txt", "calendar_dates.txt"}, true);
    add("gtfs_zip_truncated",
        {{"feed.zip", "@head:{shared}/gtfs-sample/google-sample-feed-1.zip:1500"}},
        "import gtfs {dir}/feed.zip --out {dir}/x.msnet",
        {"{dir}/feed.zip", "field 'zip'", "truncated or damaged"}, true);
    add("gtfs_zip_bit_flipped",
        {{"feed.zip", "@flip:{shared}/gtfs-sample/google-sample-feed-1.zip:1820"}},
        "import gtfs {dir}/feed.zip --out {dir}/x.msnet",
        {"{dir}/feed.zip", "field 'stops.txt'", "damaged entry"}, true);
    add("gtfs_zip_stored_entry_changed",
        {{"feed.zip", "@flip:{shared}/gtfs-sample/google-sample-feed-1.zip:407"}},
        "import gtfs {dir}/feed.zip --out {dir}/x.msnet",
        {"{dir}/feed.zip", "field 'calendar_dates.txt'", "CRC"}, true);
    add("gtfs_zip_text", {{"feed.zip", "this is not a zip archive\n"}},
        "import gtfs {dir}/feed.zip --out {dir}/x.msnet",
        {"{dir}/feed.zip", "field 'zip'", "not a readable zip"});
    add("gtfs_feed_missing", {}, "import gtfs {dir}/nofeed --out {dir}/x.msnet",
        {"{dir}/nofeed", "field 'feed'"});
    add("gtfs_bad_date_option", gtfs_feed("stops.txt", stops), kGtfs + " --date 2024-01-01",
        {"--date", "'date'", "2024-01-01"}, true);
    add("gtfs_date_without_service", gtfs_feed("stops.txt", stops), kGtfs + " --date 19990101",
        {"calendar.txt", "'date'", "19990101"}, true);
    add(
        "gtfs_bad_defaults",
        [&] {
            auto f = gtfs_feed("stops.txt", stops);
            f.push_back({"d.csv",
                         "mode,vehicle_capacity,vehicle_pce,link_capacity_vph,source\nbus,0,2.5,"
                         "1000,x\nmetro,600,0,30,x\ntram,250,0,30,x\n"});
            return f;
        }(),
        kGtfs + " --defaults {dir}/d.csv", {"{dir}/d.csv:2", "'vehicle_capacity'"}, true);
    add(
        "gtfs_bad_network",
        [&] {
            auto f = gtfs_feed("stops.txt", stops);
            f.push_back({"n.msnet", "@head:" + kNetFile + ":64"});
            return f;
        }(),
        kGtfs + " --network {dir}/n.msnet", {"{dir}/n.msnet", "field 'payload'"}, true);

    // ---------------- import sumo
    const std::string kSn = "{dir}/n.net.xml";
    add("sumo_truncated_xml",
        {{"n.net.xml", kSumoNet.substr(0, kSumoNet.find("<edge id=\"BC\"") + 10)}}, kSumoImport,
        {kSn + ":", "'xml'", "malformed XML"});
    add("sumo_not_a_net", {{"n.net.xml", routes("")}}, kSumoImport, {kSn + ":1", "'net'"});
    add("sumo_unknown_junction", {{"n.net.xml", sumo_net_with("to=\"C\"", "to=\"Z\"")}},
        kSumoImport, {kSn + ":5", "'to'", "unknown junction Z"});
    add("sumo_missing_length", {{"n.net.xml", sumo_net_with(" length=\"150.00\"", "")}},
        kSumoImport, {kSn + ":5", "'length'", "missing"});
    add("sumo_nan_speed", {{"n.net.xml", sumo_net_with("speed=\"10.00\"", "speed=\"nan\"")}},
        kSumoImport, {kSn + ":5", "'speed'"});
    add("sumo_huge_speed", {{"n.net.xml", sumo_net_with("speed=\"10.00\"", "speed=\"1e300\"")}},
        kSumoImport, {kSn + ":5", "'speed'"});
    add("sumo_negative_length",
        {{"n.net.xml", sumo_net_with("length=\"150.00\"", "length=\"-150\"")}}, kSumoImport,
        {kSn + ":5", "'length'"});
    add("sumo_junction_x_text", {{"n.net.xml", sumo_net_with("x=\"350.00\"", "x=\"east\"")}},
        kSumoImport, {kSn + ":8", "'x'"});
    add("sumo_duplicate_junction",
        {{"n.net.xml", sumo_net_with("<junction id=\"C\"", "<junction id=\"B\"")}}, kSumoImport,
        {kSn, "'junction.id'", "duplicate"});
    add("sumo_edge_without_lanes",
        {{"n.net.xml",
          sumo_net_with("<lane id=\"BC_0\" index=\"0\" speed=\"10.00\" length=\"150.00\"/>", "")}},
        kSumoImport, {kSn + ":5", "'lane'", "no lanes"});
    add("sumo_edge_without_id", {{"n.net.xml", sumo_net_with("<edge id=\"BC\" ", "<edge ")}},
        kSumoImport, {kSn + ":5", "'id'"});
    add("sumo_gz_truncated", {{"n.net.xml", "@gzhead:" + kSumoNet + ":60"}}, kSumoImport,
        {kSn, "'gzip'"});
    add("sumo_gz_bit_flipped", {{"n.net.xml", "@gzflip:" + kSumoNet + ":40"}}, kSumoImport,
        {kSn, "'gzip'"});
    add("sumo_phase_duration_huge",
        {{"n.net.xml",
          sumo_net_with("</net>",
                        "<tlLogic id=\"B\" type=\"static\" programID=\"0\" offset=\"0\">"
                        "<phase duration=\"1e300\" state=\"G\"/></tlLogic>\n</net>")}},
        kSumoImport + " --simulate --junction-control", {kSn + ":9", "'duration'"});
    add("sumo_offset_nan",
        {{"n.net.xml",
          sumo_net_with("</net>",
                        "<tlLogic id=\"B\" type=\"static\" programID=\"0\" offset=\"nan\">"
                        "<phase duration=\"30\" state=\"G\"/></tlLogic>\n</net>")}},
        kSumoImport + " --simulate --junction-control", {kSn + ":9", "'offset'"});
    const std::string kR = "{dir}/r.rou.xml";
    add("routes_unknown_edge",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml",
          routes("<vehicle id=\"v\" depart=\"0\"><route edges=\"AB XY\"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'edges'", "unknown edge 'XY'"});
    add("routes_not_contiguous",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml",
          routes("<vehicle id=\"v\" depart=\"0\"><route edges=\"BC AB\"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'edges'", "does not follow"});
    add("routes_negative_depart",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml",
          routes("<vehicle id=\"v\" depart=\"-5\"><route edges=\"AB\"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'depart'"});
    add("routes_huge_depart",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml",
          routes("<vehicle id=\"v\" depart=\"1e300\"><route edges=\"AB\"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'depart'"});
    add("routes_depart_text",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml",
          routes("<vehicle id=\"v\" depart=\"soon\"><route edges=\"AB\"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'depart'", "soon"});
    add("routes_flow_unsupported",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml", routes("<flow id=\"f\" begin=\"0\" end=\"10\" number=\"5\"/>\n")}},
        kSumoRoutes, {kR + ":3", "'flow'", "unsupported"});
    add("routes_unknown_route",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml", routes("<vehicle id=\"v\" depart=\"0\" route=\"r9\"/>\n")}},
        kSumoRoutes, {kR + ":3", "'route'", "r9"});
    add("routes_without_route",
        {{"n.net.xml", kSumoNet}, {"r.rou.xml", routes("<vehicle id=\"v\" depart=\"0\"/>\n")}},
        kSumoRoutes, {kR + ":3", "'route'", "no route"});
    add("routes_empty_route",
        {{"n.net.xml", kSumoNet},
         {"r.rou.xml", routes("<vehicle id=\"v\" depart=\"0\"><route edges=\"  \"/></vehicle>\n")}},
        kSumoRoutes, {kR + ":3", "'edges'", "empty route"});
    add("routes_not_routes", {{"n.net.xml", kSumoNet}, {"r.rou.xml", kSumoNet}}, kSumoRoutes,
        {kR + ":1", "'routes'"});
    add("routes_malformed",
        {{"n.net.xml", kSumoNet}, {"r.rou.xml", "<routes><vehicle id=\"v\" depart=\"0\">\n"}},
        kSumoRoutes, {kR + ":", "'xml'"});

    // ---------------- import daejeon
    auto daejeon_params = [&](const std::string& file, const std::string& content) {
        std::vector<File> f;
        for (const char* n : {"parameters.csv", "road_rules.csv"})
            if (n != file)
                f.push_back(
                    {std::string("p/") + n, std::string("@copy:{src}/networks/daejeon/") + n});
        f.push_back({"p/" + file, content});
        return f;
    };
    std::string params = slurp(fs::path(kSrc) / "networks/daejeon/parameters.csv");
    std::string params_bad = params;
    params_bad = replace_first(params_bad, "snap_tolerance_m,5,", "snap_tolerance_m,five,");
    const std::string kDj =
        "import daejeon --data {shared}/daejeon --params {dir}/p --out {dir}/d.msnet";
    add("daejeon_parameter_not_number", daejeon_params("parameters.csv", params_bad), kDj,
        {"{dir}/p/parameters.csv:2", "'value'"}, true);
    std::string rules = slurp(fs::path(kSrc) / "networks/daejeon/road_rules.csv");
    std::string rules_bad = rules;
    rules_bad = replace_first(rules_bad, "D0,daejeon,", "D0,mars,");
    add("daejeon_rule_bad_area", daejeon_params("road_rules.csv", rules_bad), kDj,
        {"{dir}/p/road_rules.csv:2", "'area'"}, true);
    add("daejeon_parameters_empty", daejeon_params("parameters.csv", ""), kDj,
        {"{dir}/p/parameters.csv:1", "empty file"}, true);
    add("daejeon_data_missing", daejeon_params("parameters.csv", params),
        "import daejeon --data {dir}/nodata --params {dir}/p --out {dir}/d.msnet",
        {"{dir}/nodata/"});

    // ---------------- compare
    add("compare_summary_truncated",
        [&] {
            auto f = run_copy("base", "", "");
            auto g = run_copy("pol", "summary.json", "@head:{ref}/summary.json:500");
            f.insert(f.end(), g.begin(), g.end());
            return f;
        }(),
        kCompare, {"{dir}/pol/summary.json:", "invalid JSON"});
    auto compare_pol = [&](const std::string& file, const std::string& content) {
        auto f = run_copy("base", "", "");
        auto g = run_copy("pol", file, content);
        f.insert(f.end(), g.begin(), g.end());
        return f;
    };
    const std::string kPs = "{dir}/pol/summary.json";
    add("compare_summary_wrong_format",
        compare_pol("summary.json", summary_with([](Json& j) { j["format"] = "other-summary"; })),
        kCompare, {kPs, "$.format"});
    add("compare_summary_schema",
        compare_pol("summary.json", summary_with([](Json& j) { j["schema_version"] = 1000; })),
        kCompare, {kPs, "$.schema_version"});
    add("compare_summary_missing_co2",
        compare_pol("summary.json", summary_with([](Json& j) { j.erase("co2_kg"); })), kCompare,
        {kPs, "$.co2_kg", "required"});
    add("compare_summary_negative_seed",
        compare_pol("summary.json", summary_with([](Json& j) { j["seed"] = -1; })), kCompare,
        {kPs, "$.seed", "non-negative"});
    add("compare_summary_share_string",
        compare_pol("summary.json", summary_with([](Json& j) { j["mode_share"]["car"] = "NaN"; })),
        kCompare, {kPs, "$.mode_share.car", "expected a number"});
    add("compare_summary_threads_huge",
        compare_pol("summary.json", summary_with([](Json& j) { j["threads"] = 1000000000000LL; })),
        kCompare, {kPs, "$.threads"});
    add("compare_summary_sample_zero",
        compare_pol("summary.json", summary_with([](Json& j) { j["sample_fraction"] = 0; })),
        kCompare, {kPs, "$.sample_fraction"});
    add("compare_summary_history_item",
        compare_pol("summary.json", summary_with([](Json& j) { j["history"][0] = 5; })), kCompare,
        {kPs, "$.history[0]", "expected an object"});
    add("compare_summary_missing", compare_pol("summary.json", ""), kCompare, {kPs, "cannot open"});
    add("compare_links_bad_number",
        compare_pol("links.csv",
                    "link_id,external_id,road_name,road_class,zone,length_m,vehicles,vkt_km,mean_"
                    "speed_kmh,co2_kg\n"
                    "0,a,b,primary,,100,many,1,1,1\n"),
        kCompare, {"{dir}/pol/links.csv:2", "'vehicles'"});
    add("compare_links_negative_id",
        compare_pol("links.csv",
                    "link_id,external_id,road_name,road_class,zone,length_m,vehicles,vkt_km,mean_"
                    "speed_kmh,co2_kg\n"
                    "-4,a,b,primary,,100,1,1,1,1\n"),
        kCompare, {"{dir}/pol/links.csv:2", "'link_id'"});
    add("compare_dong_missing_column",
        compare_pol("by_dong.csv", "dong_code,name_ko\n3017051000,둔산1동\n"), kCompare,
        {"{dir}/pol/by_dong.csv:1", "'name_en'", "required column"});
    add("compare_hourly_out_of_order",
        compare_pol("hourly_by_mode.csv", "@hourswap:{ref}/hourly_by_mode.csv"), kCompare,
        {"{dir}/pol/hourly_by_mode.csv:", "'hour'"});
    add("compare_bad_network_option", compare_pol("", ""), kCompare + " --network {dir}/n.msnet",
        {"{dir}/n.msnet", "field 'magic'"});
    c.back().files.push_back({"n.msnet", "not a network"});

    // ---------------- validate
    add("validate_link_unknown",
        validate_inputs("link_hourly.csv",
                        "link_id,hour,vehicles,mean_speed_kmh\n99999999,8,3,30\n"),
        kValidate, {"{dir}/run/link_hourly.csv:2", "'link_id'"});
    add("validate_link_speed_text",
        validate_inputs("link_hourly.csv", "link_id,hour,vehicles,mean_speed_kmh\n1,8,3,fast\n"),
        kValidate, {"{dir}/run/link_hourly.csv:2", "'mean_speed_kmh'"});
    add("validate_link_duplicate",
        validate_inputs("link_hourly.csv",
                        "link_id,hour,vehicles,mean_speed_kmh\n1,8,3,30\n1,8,3,30\n"),
        kValidate, {"{dir}/run/link_hourly.csv:3", "'hour'", "line 2"});
    add("validate_link_negative_vehicles",
        validate_inputs("link_hourly.csv", "link_id,hour,vehicles,mean_speed_kmh\n1,8,-3,30\n"),
        kValidate, {"{dir}/run/link_hourly.csv:2", "'vehicles'"});
    add("validate_link_hour_huge",
        validate_inputs("link_hourly.csv", "link_id,hour,vehicles,mean_speed_kmh\n1,99999,3,30\n"),
        kValidate, {"{dir}/run/link_hourly.csv:2", "'hour'"});
    std::string speeds =
        slurp(fs::path(kSrc) /
              "scenarios/data/calibration/tram_corridor_hourly_speed_kmh_calibration.csv");
    std::string speeds_fast = speeds, speeds_key = speeds;
    speeds_fast = replace_first(speeds_fast, ",37.7,", ",500,");
    speeds_key = replace_first(speeds_key, "SEG_01_201_202_AB", "SEG_99_999_999_AB");
    add("validate_speed_out_of_range", validate_inputs("speeds.csv", speeds_fast), kValidate,
        {"{dir}/speeds.csv:2", "'h00'", "500"});
    add("validate_speed_unknown_key", validate_inputs("speeds.csv", speeds_key), kValidate,
        {"{dir}/speeds.csv:2", "'segment_key'"});
    add("validate_speed_missing_column", validate_inputs("speeds.csv", "segment_key,source\nX,y\n"),
        kValidate, {"{dir}/speeds.csv:1", "'h00'", "required column"});
    add("validate_segments_truncated",
        validate_inputs("segments.json", "{\"segments\": [\n{\"segment_id\": "), kValidate,
        {"{dir}/segments.json:2", "invalid JSON"});
    add("validate_segments_duplicate",
        validate_inputs("segments.json",
                        edited("scenarios/data/calibration/tram_line2_segments_nynji.json",
                               [](Json& j) {
                                   j["segments"][1]["segment_id"] = j["segments"][0]["segment_id"];
                               })),
        kValidate, {"{dir}/segments.json", "$.segments[1].segment_id", "duplicate"});
    add("validate_segments_geometry_string",
        validate_inputs("segments.json",
                        edited("scenarios/data/calibration/tram_line2_segments_nynji.json",
                               [](Json& j) { j["segments"][0]["geometry"] = "LINESTRING"; })),
        kValidate, {"{dir}/segments.json", "$.segments[0].geometry"});
    add("validate_counts_negative",
        validate_inputs("counts.csv",
                        "count_id,road_name,observed_veh_per_day,source\nc1,한밭대로,-5,x\n"),
        kValidate, {"{dir}/counts.csv:2", "'observed_veh_per_day'"});
    add("validate_counts_lat_without_lon",
        validate_inputs("counts.csv",
                        "count_id,road_name,lat,lon,radius_m,observed_veh_per_day,source\n"
                        "c1,한밭대로,36.35,,100,5000,x\n"),
        kValidate, {"{dir}/counts.csv:2", "'lon'"});
    add("validate_counts_duplicate",
        validate_inputs(
            "counts.csv",
            "count_id,road_name,observed_veh_per_day,source\nc1,한밭대로,5,x\nc1,계룡로,6,x\n"),
        kValidate, {"{dir}/counts.csv:3", "'count_id'", "duplicate"});
    add("validate_network_missing", validate_inputs("", ""), kValidate,
        {"{dir}/run/summary.json", "$.provenance.network_file"});
    for (auto& f : c.back().files)
        if (f.path == "run/summary.json")
            f.content = summary_with(
                [](Json& j) { j["provenance"]["network_file"] = "/nonexistent/net.msnet"; });
    add("validate_min_vehicles_nan", validate_inputs("", ""), kValidate + " --min-vehicles nan",
        {"--min-vehicles", "'min_sampled_vehicles'"});
    add("validate_junctions_bad_period", validate_inputs("", ""),
        kValidate + " --junction-counts {dir}/junctions.csv",
        {"{dir}/junctions.csv:3", "'period'", "noon"});
    c.back().files.push_back(
        {"junctions.csv",
         "count_id,junction,lat,lon,radius_m,observed_veh,period,year,located_by,source\n"
         "a,J,36.35,127.35,120,1000,am_peak,2021,stops,http://x\n"
         "b,J,36.35,127.35,120,1000,noon,2021,stops,http://x\n"});
    add("validate_junctions_no_radius", validate_inputs("", ""),
        kValidate + " --junction-counts {dir}/junctions.csv",
        {"{dir}/junctions.csv:2", "'radius_m'"});
    c.back().files.push_back(
        {"junctions.csv",
         "count_id,junction,lat,lon,radius_m,observed_veh,period,year,located_by,source\n"
         "a,J,36.35,127.35,,1000,am_peak,2021,stops,http://x\n"});
    // cross-validate refuses an --out that is a folder before reading any run.
    add("cross_validate_out_is_folder", validate_inputs("", ""),
        "cross-validate {dir}/run {dir}/run --folds 2 --out {dir}/run", {"{dir}/run", "folder"});
    return c;
}

// ---------------------------------------------------------------- running a case

/// A small run made once per build of the binary and shared by the test processes (ctest starts
/// one per case): the run folder that compare, validate and --warm-start read.
fs::path reference_run() {
    static const fs::path ref = [] {
        struct stat st {};
        ::stat(MODESHIFT_BINARY, &st);
        const auto key = std::hash<std::string>{}(std::string(MODESHIFT_BINARY) + ":" +
                                                  std::to_string(st.st_mtime));
        const fs::path root =
            fs::temp_directory_path() / ("modeshift_cli_malformed_ref_" + std::to_string(key));
        if (fs::exists(root / "run" / "summary.json")) return root / "run";
        // Runs of older builds of the binary: removed once a day old (a build in use is newer).
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec)) {
            const auto name = e.path().filename().string();
            if (name.rfind("modeshift_cli_malformed_ref_", 0) != 0 || e.path() == root) continue;
            const auto age = fs::file_time_type::clock::now() - fs::last_write_time(e.path(), ec);
            if (!ec && age > std::chrono::hours(24)) fs::remove_all(e.path(), ec);
        }
        const fs::path tmp = root.string() + ".tmp" + std::to_string(::getpid());
        fs::remove_all(tmp);
        fs::create_directories(tmp);
        std::ofstream(tmp / "s.json")
            << R"({"extends": ")" << kSrc
            << R"(/scenarios/seogu-baseline.json", "sample_fraction": 0.002, "iterations": 1})";
        const std::string cmd = std::string(MODESHIFT_BINARY) + " run " +
                                (tmp / "s.json").string() + " --out " + (tmp / "run").string() +
                                " --save-plans --quiet --threads 2 >/dev/null 2>" +
                                (tmp / "err.txt").string();
        if (std::system(cmd.c_str()) != 0)
            ADD_FAILURE() << "reference run failed: " << slurp(tmp / "err.txt");
        fs::rename(tmp, root, ec);  // another test process may have won the race: use its run
        if (ec) fs::remove_all(tmp, ec);
        return root / "run";
    }();
    return ref;
}

/// The content hash of the reference run's network file, as its link_times.csv names it.
const std::string& reference_network_hash() {
    static const std::string hash =
        Json::parse(slurp(reference_run() / "summary.json"))["provenance"]["network_hash"]
            .get<std::string>();
    return hash;
}

struct Env {
    fs::path dir;
    bool uses_ref = false;
    std::string expand(const std::string& s) const {
        std::string out = replace_all(replace_all(s, "{src}", kSrc), "{shared}", kShared);
        out = replace_all(out, "{dir}", dir.string());
        if (out.find("{ref}") != std::string::npos)
            out = replace_all(out, "{ref}", reference_run().string());
        if (out.find("{net}") != std::string::npos)
            out = replace_all(out, "{net}", reference_network_hash());
        return out;
    }
};

std::string gzip(const std::string& text, const fs::path& scratch) {
    std::ofstream(scratch / "plain.tmp", std::ios::binary) << text;
    const std::string cmd = "gzip -n -c " + (scratch / "plain.tmp").string() + " > " +
                            (scratch / "plain.tmp.gz").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    fs::remove(scratch / "plain.tmp");
    std::ifstream in(scratch / "plain.tmp.gz", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    fs::remove(scratch / "plain.tmp.gz");
    return ss.str();
}

/// Splits "@verb:ARG:N" at the last colon.
std::pair<std::string, long long> arg_and_number(const std::string& rest) {
    const auto colon = rest.rfind(':');
    return {rest.substr(0, colon), std::stoll(rest.substr(colon + 1))};
}

std::string materialise(const std::string& content, const Env& env) {
    auto verb = [&](const char* v) { return content.rfind(v, 0) == 0; };
    auto rest = [&](const char* v) { return content.substr(std::string(v).size()); };
    auto bytes = [&](const std::string& path) {
        std::ifstream in(env.expand(path), std::ios::binary);
        EXPECT_TRUE(in.good()) << "cannot read " << env.expand(path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    if (verb("@copy:")) return bytes(rest("@copy:"));
    if (verb("@head:")) {
        const auto [p, n] = arg_and_number(rest("@head:"));
        return bytes(p).substr(0, static_cast<std::size_t>(n));
    }
    if (verb("@flip:")) {
        const auto [p, k] = arg_and_number(rest("@flip:"));
        std::string b = bytes(p);
        const auto at = static_cast<std::size_t>(k < 0 ? static_cast<long long>(b.size()) + k : k);
        b[at] = static_cast<char>(~b[at]);
        return b;
    }
    if (verb("@tail:")) {
        const auto colon = rest("@tail:").rfind(':');
        return bytes(rest("@tail:").substr(0, colon)) + rest("@tail:").substr(colon + 1);
    }
    if (verb("@gzhead:")) {
        const auto [text, n] = arg_and_number(rest("@gzhead:"));
        return gzip(text, env.dir).substr(0, static_cast<std::size_t>(n));
    }
    if (verb("@gzflip:")) {
        const auto [text, k] = arg_and_number(rest("@gzflip:"));
        std::string g = gzip(text, env.dir);
        g[static_cast<std::size_t>(k)] = static_cast<char>(~g[static_cast<std::size_t>(k)]);
        return g;
    }
    if (verb("@summary:")) {
        // The reference run's summary.json with an edit.
        Json j = Json::parse(bytes("{ref}/summary.json"));
        summary_edits().at(std::stoul(rest("@summary:")))(j);
        return j.dump(1);
    }
    if (verb("@flipnum:")) {
        // The second line's first number field replaced by text.
        std::string b = bytes(rest("@flipnum:"));
        const auto line2 = b.find('\n') + 1;
        auto at = line2;
        while (at < b.size() &&
               !(std::isdigit(static_cast<unsigned char>(b[at])) && (b[at - 1] == ',')) &&
               b[at] != '\n')
            ++at;
        auto end = b.find_first_of(",\n", at);
        b.replace(at, end - at, "lots");
        return b;
    }
    if (verb("@hourswap:")) {
        // Rows of hours 0 and 1 swapped.
        std::string b = bytes(rest("@hourswap:"));
        const auto l1 = b.find('\n') + 1, l2 = b.find('\n', l1) + 1, l3 = b.find('\n', l2) + 1;
        return b.substr(0, l1) + b.substr(l2, l3 - l2) + b.substr(l1, l2 - l1) + b.substr(l3);
    }
    return env.expand(content);
}

class CliMalformed : public ::testing::TestWithParam<Case> {};

TEST_P(CliMalformed, ExitsTwoNamingFileLineOrPathAndField) {
    const Case& c = GetParam();
    if (c.needs_shared && !fs::exists(kShared)) GTEST_SKIP() << "shared data not found";
    const fs::path dir = modeshift::cli_test::scratch_dir("modeshift_cli_malformed_");
    const Env env{dir};
    for (const auto& f : c.files) {
        const fs::path p = dir / f.path;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << materialise(f.content, env);
    }
    const auto r = modeshift::cli_test::run_cli_with_timeout(env.expand(c.args), dir);
    RecordProperty("stderr", r.err.substr(0, 600));  // in the XML report (--gtest_output=xml)
    EXPECT_EQ(r.exit_code, 2) << "stderr: " << r.err.substr(0, 4000)
                              << "\nstdout: " << r.out.substr(0, 2000);
    EXPECT_LT(r.err.size(), 100'000u) << "the message echoes a huge value";
    for (const auto& e : c.expect)
        EXPECT_NE(r.err.find(env.expand(e)), std::string::npos)
            << "missing '" << env.expand(e) << "' in: " << r.err.substr(0, 4000);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

INSTANTIATE_TEST_SUITE_P(Table, CliMalformed, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

TEST(CliMalformedTable, HoldsAtLeast150DistinctCases) {
    const auto cases = all_cases();
    EXPECT_GE(cases.size(), 150u);
    std::set<std::string> names;
    for (const auto& c : cases)
        EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
}

}  // namespace
