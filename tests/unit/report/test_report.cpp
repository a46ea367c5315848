// Run outputs, summary.json round trip, comparison reports and sweep resume.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/emissions/counter.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/report/compare.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/sweep.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ms_report_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

const EmissionFactorTable& table() {
    static const EmissionFactorTable t =
        EmissionFactorTable::load(fs::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data");
    return t;
}

NetworkData make_network_data() {
    NetworkBuilder b("testville");
    auto n0 = b.add_node({36.350, 127.370});
    auto n1 = b.add_node({36.350, 127.380});
    auto n2 = b.add_node({36.352, 127.390});
    auto add = [&](NodeId a, NodeId c, RoadClass rc, const char* name, const char* ext) {
        LinkSpec s;
        s.from = a;
        s.to = c;
        s.length_m = 900;
        s.road_class = rc;
        s.name = name;
        s.external_id = ext;
        s.capacity_vph = 1800;
        return b.add_link(s);
    };
    add(n0, n1, RoadClass::Primary, "계룡로, 서구", "L0");
    add(n1, n2, RoadClass::Secondary, "대덕대로", "L1");
    add(n1, n0, RoadClass::Motorway, "호남고속도로", "L2");
    NetworkData d = b.finish();
    for (int k = 0; k < 2; ++k) {
        Zone z;
        z.code = k ? "3017052000" : "3017051000";
        z.name = k ? "둔산2동" : "둔산1동";
        z.name_en = k ? "Dunsan 2-dong" : "Dunsan 1-dong";
        z.district = "서구";
        z.study_area = true;
        z.lat = 36.350;
        z.lon = k ? 127.39 : 127.37;
        z.centroid = n0;
        z.population = 20000 + 1000 * k;
        z.area_km2 = 1.5;
        double lon0 = k ? 127.38 : 127.36, lon1 = k ? 127.40 : 127.38;
        z.ring_first = {0, 4};
        z.ring_lat = {36.34, 36.34, 36.36, 36.36};
        z.ring_lon = {lon0, lon1, lon1, lon0};
        d.zones.push_back(z);
    }
    return d;
}

/// A small synthetic day: `car_factor` scales car traffic (a policy that removes cars uses < 1).
EmissionResults simulate(const Network& net, double car_factor) {
    std::vector<VehicleType> types = {{"car", Mode::Car, 1.0, 30.0, "passenger_gasoline"},
                                      {"bus", Mode::Bus, 2.5, 20.0, "bus_cng"},
                                      {"walk", Mode::Walk, 0.0, 1.4, "walk"}};
    RunInfo info;
    info.network = &net;
    info.vehicle_types = &types;
    info.vehicle_line = {LineId(0)};
    info.vehicle_type_of = {1};
    info.partitions = 2;
    info.sample_fraction = 0.5;
    EmissionCounter c(table());
    c.set_trip_zones({ZoneId(0), ZoneId(1), ZoneId(0)}, {ZoneId(1), ZoneId(0), ZoneId(1)});
    c.begin(info);
    std::vector<Traversal> p0, p1;
    int cars = static_cast<int>(40 * car_factor);
    for (int v = 0; v < cars; ++v) {
        Traversal t;
        t.link = LinkId(static_cast<std::uint32_t>(v % 3));
        t.vehicle = VehicleId(static_cast<std::uint32_t>(v + 1));
        t.vehicle_type = 0;
        t.enter_ms = (6 + v % 12) * kMsPerHour;
        t.leave_ms = t.enter_ms + 60'000 + 1000 * v;
        t.passengers = 1;
        (v % 2 ? p1 : p0).push_back(t);
    }
    Traversal bus;
    bus.link = LinkId(1);
    bus.vehicle = VehicleId(0);
    bus.vehicle_type = 1;
    bus.enter_ms = 8 * kMsPerHour;
    bus.leave_ms = bus.enter_ms + 150'000;
    bus.passengers = static_cast<std::uint16_t>(20 + 20 * (1 - car_factor));
    p0.push_back(bus);
    c.on_traversals(0, p0);
    c.on_traversals(1, p1);
    std::vector<TripOutcome> trips(3);
    for (std::uint32_t i = 0; i < 3; ++i) {
        trips[i].trip = TripId(i);
        trips[i].mode = i == 0 ? Mode::Car : i == 1 ? Mode::Bus : Mode::Walk;
        trips[i].depart_ms = 7 * kMsPerHour;
        trips[i].arrive_ms = trips[i].depart_ms + 600'000 * (i + 1);
        trips[i].distance_m = 2000;
    }
    c.on_trips(0, trips);
    c.end();
    return c.results();
}

RunSummary make_summary(const EmissionResults& r, const std::string& scenario,
                        const fs::path& net_file, const Network& net) {
    RunSummary s;
    s.scenario = scenario;
    s.scenario_file = "scenarios/" + scenario + ".scenario.json";
    s.scenario_hash = "0123456789abcdef";
    s.network = net.name();
    s.network_hash = hex64(net.content_hash());
    s.network_file = net_file.string();
    s.version = "0.1.0";
    s.policies = {"bus_frequency: 배차간격 50% 단축 / headways halved"};
    s.seed = 42;
    s.threads = 4;
    s.iterations = 3;
    s.sample_fraction = 0.5;
    s.persons = 1234;
    s.events = 987654;
    s.event_hash = "fedcba9876543210";
    s.wall_s = 12.5;
    apply_to_summary(r, s);
    IterationFigures it;
    it.iteration = 1;
    it.mode_share = {0.5, 0.2, 0.1, 0, 0.05, 0.15, 0};
    it.mean_travel_time_min = 23.4;
    it.mode_share_change = 0.01;
    s.history.push_back(it);
    return s;
}

struct Fixture {
    fs::path root;
    fs::path net_file;
    std::unique_ptr<Network> net;
    explicit Fixture(const std::string& name) : root(temp_dir(name)) {
        NetworkData d = make_network_data();
        net_file = root / "testville.msnet";
        write_network(d, net_file);
        net = std::make_unique<Network>(std::move(d));
    }
    fs::path run(const std::string& name, double car_factor) {
        fs::path dir = root / name;
        EmissionResults r = simulate(*net, car_factor);
        write_run_outputs(dir, make_summary(r, name, net_file, *net), r, *net);
        return dir;
    }
};

}  // namespace

// ---------------------------------------------------------------- summary.json

TEST(Summary, RoundTripKeepsEveryField) {
    Fixture fx("roundtrip");
    EmissionResults r = simulate(*fx.net, 1.0);
    RunSummary s = make_summary(r, "baseline", fx.net_file, *fx.net);
    s.seed = 18446744073709551557ull;  // > 2^63
    s.nox_available = true;
    s.co2e_kg = 1.25;
    s.freight_trips = 1234.5;
    s.external_trips = 678;
    s.study_area.present = true;
    s.study_area.name = "서구";
    s.study_area.residents = 467866;
    s.study_area.trips = 999;
    s.study_area.co2_kg_total = 12.5;
    s.study_area.modes[mode_index(Mode::Truck)].co2_kg = 3.25;
    s.study_area.modes[mode_index(Mode::Car)].share = 0.44;
    fs::path p = fx.root / "summary.json";
    write_summary_json(p, s);
    RunSummary t = read_summary_json(p);
    EXPECT_EQ(summary_to_json(t), summary_to_json(s));  // every written field is read back
    EXPECT_EQ(t.seed, s.seed);
    EXPECT_EQ(t.co2_kg_total, s.co2_kg_total);  // exact: JSON keeps round-trip precision
    EXPECT_EQ(t.modes[mode_index(Mode::Bus)].pkt_km, s.modes[mode_index(Mode::Bus)].pkt_km);
    EXPECT_EQ(t.policies, s.policies);
    EXPECT_EQ(t.emission_factor_sources, s.emission_factor_sources);
    EXPECT_EQ(t.study_area.name, "서구");
    EXPECT_EQ(t.study_area.modes[mode_index(Mode::Truck)].co2_kg, 3.25);
    EXPECT_EQ(t.freight_trips, 1234.5);
    ASSERT_EQ(t.history.size(), 1u);
    EXPECT_EQ(t.history[0].mode_share, s.history[0].mode_share);
    EXPECT_TRUE(is_valid_summary(p));
    // Required keys from the issue.
    Json j = read_json_file(p);
    for (const char* k :
         {"scenario", "seed", "threads", "iterations", "persons", "trips", "mode_share", "co2_kg",
          "vkt_km", "pkt_km", "mean_travel_time_min", "events", "event_hash", "wall_s", "history"})
        EXPECT_TRUE(j.contains(k)) << k;
    for (const char* m : {"car", "bus", "metro", "tram", "bike", "walk"})
        EXPECT_TRUE(j["mode_share"].contains(m)) << m;
    EXPECT_TRUE(j["co2_kg"].contains("total"));
}

TEST(Summary, CorruptOrTruncatedSummaryIsRefused) {
    fs::path d = temp_dir("corrupt");
    RunSummary s;
    s.scenario = "x";
    write_summary_json(d / "summary.json", s);
    std::string text = read_file_bytes(d / "summary.json");
    write_text_atomic(d / "truncated.json", text.substr(0, text.size() / 2));
    EXPECT_THROW(read_summary_json(d / "truncated.json"), InputError);
    EXPECT_FALSE(is_valid_summary(d / "truncated.json"));
    EXPECT_FALSE(is_valid_summary(d / "missing.json"));
    write_text_atomic(d / "foreign.json", R"({"format":"something-else"})");
    EXPECT_THROW(read_summary_json(d / "foreign.json"), InputError);
    Json j = Json::parse(text);
    j.erase("co2_kg");
    write_text_atomic(d / "nofield.json", j.dump());
    try {
        read_summary_json(d / "nofield.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("co2_kg"), std::string::npos);
    }
}

// ---------------------------------------------------------------- run outputs

TEST(RunOutputs, FilesAreWrittenAndConsistent) {
    Fixture fx("outputs");
    fs::path dir = fx.run("base", 1.0);
    for (const char* f : {"summary.json", "links.geojson", "links.csv", "link_hourly.csv",
                          "hourly_by_mode.csv", "by_dong.csv", "co2_by_minute.csv"})
        EXPECT_TRUE(fs::is_regular_file(dir / f)) << f;
    RunSummary s = read_summary_json(dir / "summary.json");
    EXPECT_GT(s.co2_kg_total, 0);
    Json gj = read_json_file(dir / "links.geojson");
    ASSERT_EQ(gj["features"].size(), fx.net->link_count());
    EXPECT_EQ(gj["features"][0]["geometry"]["type"], "LineString");
    EXPECT_EQ(gj["features"][0]["properties"]["road_name"], "계룡로, 서구");
    // link_hourly sums to the total (values rounded to 0.1 g).
    CsvReader lh(dir / "link_hourly.csv");
    double sum = 0;
    int rows = 0;
    while (lh.next()) {
        sum += lh.get_double("co2_kg");
        EXPECT_GE(lh.get_int("hour"), 0);
        ++rows;
    }
    EXPECT_GT(rows, 3);
    EXPECT_NEAR(sum, s.co2_kg_total, 1e-3 * rows);
    auto dongs = read_by_dong_csv(dir / "by_dong.csv");
    ASSERT_EQ(dongs.size(), 2u);
    EXPECT_EQ(dongs[0].name, "둔산1동");
    EXPECT_NEAR(dongs[0].co2_kg + dongs[1].co2_kg, s.co2_kg_total, 0.01);
    EXPECT_NEAR(dongs[0].trips_from + dongs[1].trips_from, 6.0, 1e-9);  // 3 trips / 0.5 sample
    auto hours = read_hourly_by_mode_csv(dir / "hourly_by_mode.csv");
    double hsum = 0;
    for (const auto& h : hours) hsum += h[kModeCount];
    EXPECT_NEAR(hsum, s.co2_kg_total, 0.01);
    EXPECT_NEAR(s.modes[mode_index(Mode::Car)].share + s.modes[mode_index(Mode::Bus)].share +
                    s.modes[mode_index(Mode::Walk)].share,
                1.0, 1e-12);
}

// ---------------------------------------------------------------- compare

TEST(Compare, RunWithItselfShowsZeroDeltas) {
    Fixture fx("self");
    fs::path dir = fx.run("base", 1.0);
    Comparison c = compare_runs(dir, dir);
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
    Comparison c = compare_runs(base, pol);
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
    Comparison c = compare_runs(dir, dir);
    EXPECT_NE(c.network, nullptr);
}

TEST(Compare, MissingNetworkStillGivesAReport) {
    Fixture fx("nonet");
    fs::path base = fx.run("base", 1.0);
    fs::remove(fx.net_file);
    Comparison c = compare_runs(base, base);
    EXPECT_EQ(c.network, nullptr);
    EXPECT_FALSE(c.notes.empty());
    EXPECT_NE(comparison_html(c).find("no map"), std::string::npos);
    EXPECT_THROW(compare_runs(base, fx.root / "nope"), InputError);
}

// ---------------------------------------------------------------- sweep

namespace {

struct FakeRunner {
    std::mutex mu;
    std::multiset<std::string> calls;
    std::atomic<int> running{0}, max_running{0};
    RunSummary operator()(const SweepRequest& r) {
        int now = ++running;
        int prev = max_running.load();
        while (now > prev && !max_running.compare_exchange_weak(prev, now)) {
        }
        {
            std::lock_guard lock(mu);
            calls.insert(r.out_dir.filename().string());
        }
        RunSummary s;
        s.scenario = r.name;
        s.seed = r.seed;
        s.co2_kg_total = 1000.0 * static_cast<double>(r.seed) + (r.name == "policy" ? 0 : 500);
        s.modes[0].share = 0.4 + 0.01 * static_cast<double>(r.seed);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        write_summary_json(r.out_dir / kSummaryFile, s);
        --running;
        return s;
    }
};

}  // namespace

TEST(Sweep, RunsScenariosTimesSeedsInParallelAndSummarises) {
    fs::path out = temp_dir("sweep1");
    FakeRunner fake;
    SweepOptions opt;
    opt.out_dir = out;
    opt.seeds = {1, 2, 3};
    opt.jobs = 3;
    auto res = run_sweep({"a/baseline.scenario.json", "b/policy.scenario.json"}, opt,
                         [&](const SweepRequest& r) { return fake(r); });
    EXPECT_EQ(res.ran, 6u);
    EXPECT_EQ(fake.calls.size(), 6u);
    EXPECT_GT(fake.max_running.load(), 1);  // really parallel
    EXPECT_LE(fake.max_running.load(), 3);  // and bounded by --jobs
    EXPECT_TRUE(fs::is_regular_file(out / "baseline_seed2" / "summary.json"));
    // sweep_summary: mean 2500 t-kg -> 2.5 t, sample std over seeds {1.5, 2.5, 3.5} = 1.
    CsvReader r(out / "sweep_summary.csv");
    bool found = false;
    while (r.next()) {
        if (r.get("scenario") == "baseline" && r.get("metric") == "co2_t") {
            EXPECT_NEAR(r.get_double("mean"), 2.5, 1e-12);
            EXPECT_NEAR(r.get_double("std_dev"), 1.0, 1e-12);
            EXPECT_NEAR(r.get_double("min"), 1.5, 1e-12);
            EXPECT_NEAR(r.get_double("max"), 3.5, 1e-12);
            EXPECT_EQ(r.get_int("runs"), 3);
            found = true;
        }
    }
    EXPECT_TRUE(found);
    CsvReader t(out / "sweep.csv");
    int rows = 0;
    while (t.next()) ++rows;
    EXPECT_EQ(rows, 6);
}

TEST(Sweep, KilledSweepResumesWithoutRedoingFinishedRuns) {
    fs::path out = temp_dir("sweep2");
    SweepOptions opt;
    opt.out_dir = out;
    opt.seeds = {1, 2};
    opt.jobs = 2;
    std::vector<fs::path> scenarios = {"baseline.json", "policy.json"};
    {
        FakeRunner fake;
        run_sweep(scenarios, opt, [&](const SweepRequest& r) { return fake(r); });
        ASSERT_EQ(fake.calls.size(), 4u);
    }
    // Simulate a kill: one run lost its summary mid-way (partial files remain), one has a
    // truncated summary.
    fs::remove(out / "baseline_seed2" / "summary.json");
    write_text_atomic(out / "baseline_seed2" / "links.csv", "partial");
    std::string text = read_file_bytes(out / "policy_seed1" / "summary.json");
    write_text_atomic(out / "policy_seed1" / "summary.json", text.substr(0, 40));
    auto finished_before = fs::last_write_time(out / "baseline_seed1" / "summary.json");

    FakeRunner again;
    auto res = run_sweep(scenarios, opt, [&](const SweepRequest& r) { return again(r); });
    EXPECT_EQ(again.calls, (std::multiset<std::string>{"baseline_seed2", "policy_seed1"}));
    EXPECT_EQ(res.ran, 2u);
    EXPECT_EQ(res.skipped, 2u);
    EXPECT_FALSE(fs::exists(out / "baseline_seed2" / "links.csv"));  // redone from scratch
    EXPECT_TRUE(is_valid_summary(out / "policy_seed1" / "summary.json"));
    EXPECT_EQ(fs::last_write_time(out / "baseline_seed1" / "summary.json"), finished_before);
    // A third pass has nothing to do.
    FakeRunner third;
    auto res3 = run_sweep(scenarios, opt, [&](const SweepRequest& r) { return third(r); });
    EXPECT_TRUE(third.calls.empty());
    EXPECT_EQ(res3.skipped, 4u);
}

TEST(Sweep, FailedRunsAreReportedAndLeaveNoSummary) {
    fs::path out = temp_dir("sweep3");
    SweepOptions opt;
    opt.out_dir = out;
    opt.seeds = {7};
    opt.jobs = 2;
    auto res = run_sweep({"ok.json", "bad.json"}, opt, [&](const SweepRequest& r) -> RunSummary {
        if (r.name == "bad") {
            write_text_atomic(r.out_dir / "summary.json", "{");
            throw std::runtime_error("engine exploded");
        }
        FakeRunner f;
        return f(r);
    });
    EXPECT_EQ(res.failed, 1u);
    EXPECT_EQ(res.ran, 1u);
    EXPECT_FALSE(fs::exists(out / "bad_seed7" / "summary.json"));
    EXPECT_NE(read_file_bytes(out / "sweep.csv").find("engine exploded"), std::string::npos);
    EXPECT_THROW(plan_sweep({"x/a.json", "y/a.json"}, opt), InputError);
    EXPECT_EQ(scenario_name_of("scenarios/seo-gu.scenario.json"), "seo-gu");
}

// ---------------------------------------------------------------- the bundled Seo-gu network

TEST(RunOutputs, BundledSeoGuNetworkEveryLinkGetsADongAndFilesAreConsistent) {
    fs::path file = fs::path(MODESHIFT_SOURCE_DIR) / "networks" / "daejeon" / "daejeon.msnet";
    if (!fs::exists(file)) GTEST_SKIP() << "no bundled network at " << file;
    Network net(read_network(file), file.string());
    ASSERT_GT(net.zone_count(), 0u);
    std::vector<VehicleType> types = {{"car", Mode::Car, 1.0, 30.0, "passenger_gasoline"}};
    RunInfo info;
    info.network = &net;
    info.vehicle_types = &types;
    EmissionCounter c(table());
    c.begin(info);
    std::vector<Traversal> batch;
    for (std::uint32_t l = 0; l < net.link_count(); ++l) {
        Traversal t;
        t.link = LinkId(l);
        t.vehicle = VehicleId(l);
        t.enter_ms = 8 * kMsPerHour;
        t.leave_ms =
            t.enter_ms +
            std::max<TimeMs>(1, static_cast<TimeMs>(net.length_m(LinkId(l)) / 30.0 * 3600.0));
        batch.push_back(t);
    }
    c.on_traversals(0, batch);
    c.end();
    const auto& r = c.results();
    for (std::size_t l = 0; l < net.link_count(); ++l) ASSERT_TRUE(r.link_zone[l].valid()) << l;
    double zsum = 0;
    for (double g : r.zone_co2_g) zsum += g;
    EXPECT_NEAR(zsum, r.co2_g(), 1e-9 * r.co2_g());
    fs::path dir = temp_dir("seogu");
    RunSummary s;
    s.scenario = "seogu-synthetic";
    apply_to_summary(r, s);
    write_run_outputs(dir, s, r, net);
    Json gj = read_json_file(dir / "links.geojson");
    EXPECT_EQ(gj["features"].size(), net.link_count());
    auto dongs = read_by_dong_csv(dir / "by_dong.csv");
    EXPECT_EQ(dongs.size(), net.zone_count());
    std::cout << "links " << net.link_count() << ", zones " << net.zone_count()
              << ", links.geojson " << fs::file_size(dir / "links.geojson") / 1024 << " KiB, CO2 "
              << r.co2_g() / 1e6 << " t\n";
}
