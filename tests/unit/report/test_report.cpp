// Run outputs, summary.json round trip and sweep resume (comparison reports: test_compare.cpp).
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
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/sweep.hpp"
#include "report_fixture.hpp"

using namespace modeshift;
using namespace modeshift::report_test;

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
    s.table_rows = {{"links.csv", 3}, {"by_dong.csv", 2}};
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
    EXPECT_EQ(t.table_rows, s.table_rows);
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

TEST(Summary, OlderSummariesWithoutRowCountsStillRead) {
    fs::path d = temp_dir("oldsummary");
    RunSummary s;
    s.scenario = "x";
    s.table_rows = {{"links.csv", 3}};
    Json j = Json::parse(summary_to_json(s));
    j.erase("table_rows");
    write_text_atomic(d / "summary.json", j.dump());
    EXPECT_TRUE(read_summary_json(d / "summary.json").table_rows.empty());
    j["table_rows"] = {{"links.csv", -3}};
    write_text_atomic(d / "summary.json", j.dump());
    EXPECT_THROW(read_summary_json(d / "summary.json"), InputError);
}

// ---------------------------------------------------------------- run outputs

TEST(RunOutputs, SummaryRecordsTheRowsOfEveryTable) {
    Fixture fx("rows");
    const fs::path dir = fx.run("base", 1.0);
    const RunSummary s = read_summary_json(dir / kSummaryFile);
    EXPECT_EQ(s.table_rows.size(), 5u);
    for (const auto& [file, rows] : s.table_rows) {
        CsvReader r(dir / file);
        std::uint64_t n = 0;
        while (r.next()) ++n;
        EXPECT_EQ(n, rows) << file;
    }
    EXPECT_EQ(s.table_rows.at("links.csv"), fx.net->link_count());
    EXPECT_EQ(s.table_rows.at("by_dong.csv"), fx.net->zone_count());
}

// links.csv and links.geojson say each link's lanes and where they come from (LanesSource).
TEST(RunOutputs, LinkTablesCarryLanesAndTheirSource) {
    Fixture fx("lanes");
    const fs::path dir = fx.run("base", 1.0);
    CsvReader r(dir / "links.csv");
    std::vector<std::string> sources, lanes;
    while (r.next()) {
        sources.push_back(r.get("lanes_source"));
        lanes.push_back(r.get("lanes"));
    }
    EXPECT_EQ(sources, (std::vector<std::string>{"unspecified", "published", "unspecified"}));
    EXPECT_EQ(lanes, (std::vector<std::string>{"1.0", "3.0", "1.0"}));
    const Json gj = read_json_file(dir / "links.geojson");
    EXPECT_EQ(gj["features"][1]["properties"]["lanes_source"], "published");
    EXPECT_EQ(gj["features"][1]["properties"]["lanes"], 3.0);
    EXPECT_EQ(gj["features"][0]["properties"]["lanes_source"], "unspecified");
}

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
