// modeshift-synthetic-run: writes a synthetic district-day run file and reports its size and the
// time to write, read and index it. For viewer tests and the file-size / load-time figures.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "../src/synthetic.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/record/replay.hpp"
#include "modeshift/record/run_file.hpp"

int main(int argc, char** argv) {
    using namespace modeshift;
    using Clock = std::chrono::steady_clock;
    CLI::App app{
        "Write a synthetic run file (made-up movements on a grid district) and time reading it"};
    std::filesystem::path out;
    viewer::SyntheticSpec spec;
    std::string burst;
    app.add_option("out", out, "output run file (e.g. /tmp/synth/run.msrun)")->required();
    app.add_option("--car-trips", spec.car_trips, "car trips (two per car)");
    app.add_option("--bike-trips", spec.bike_trips, "bike trips");
    app.add_option("--links-per-trip", spec.links_per_trip, "links per car trip");
    app.add_option("--grid", spec.grid_cols, "grid columns (rows = 3/4 of it)");
    app.add_option("--shift", spec.car_shift,
                   "fraction of car trips shifted to bike/bus (policy variant)");
    app.add_option("--label", spec.label, "label shown by the viewer");
    app.add_option("--seed", spec.seed, "seed");
    app.add_option("--burst", burst,
                   "squeeze all car departures into HH:MM-HH:MM (one trip per car)");
    CLI11_PARSE(app, argc, argv);
    spec.grid_rows = spec.grid_cols * 3 / 4;
    spec.scenario = spec.label;
    if (!burst.empty()) {
        const auto dash = burst.find('-');
        spec.burst_from_ms = parse_clock(burst.substr(0, dash));
        spec.burst_to_ms = parse_clock(burst.substr(dash + 1));
    }
    const auto c0 = std::clock();
    auto t0 = Clock::now();
    const auto run = viewer::make_synthetic_run(spec);
    auto t1 = Clock::now();
    write_run_file(out, run);
    auto t2 = Clock::now();
    const auto back = read_run_file(out);
    auto t3 = Clock::now();
    const auto c3 = std::clock();
    const Replay replay(back);
    auto t4 = Clock::now();
    const auto c4 = std::clock();
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const auto bytes = std::filesystem::file_size(out);
    const auto c2 = c3;  // (CPU time of read is measured separately below)
    (void)c2;
    std::cout << fmt::format(
        "{}: {} vehicles, {} traversals, {} links, {} stop calls\n"
        "  size {:.1f} MB ({:.2f} bytes/traversal)\n"
        "  generate {:.2f} s, write {:.2f} s, read+decode {:.2f} s, replay index {:.2f} s, "
        "identical: {}\n",
        out.string(), back.movements.vehicle_count(), back.movements.traversal_count(),
        back.geometry.link_count(), back.stop_calls.size(), static_cast<double>(bytes) / 1e6,
        static_cast<double>(bytes) /
            static_cast<double>(std::max<std::size_t>(back.movements.traversal_count(), 1)),
        secs(t0, t1), secs(t1, t2), secs(t2, t3), secs(t3, t4), back == run ? "yes" : "NO");
    // Load as the viewer does it (read + decode + index), in process CPU seconds: wall time is
    // unreliable on a shared machine.
    const auto c5 = std::clock();
    {
        const auto again = read_run_file(out);
        const Replay r2(again);
    }
    const auto c6 = std::clock();
    std::cout << fmt::format(
        "  CPU: everything so far {:.2f} s; replay index {:.2f} s; load (read+decode+index) {:.2f} "
        "s\n",
        static_cast<double>(c3 - c0) / CLOCKS_PER_SEC,
        static_cast<double>(c4 - c3) / CLOCKS_PER_SEC,
        static_cast<double>(c6 - c5) / CLOCKS_PER_SEC);
    // Per-frame query cost at the busiest minute (CPU time, averaged over 20 queries).
    std::vector<std::size_t> active(24 * 60, 0);
    for (std::size_t i = 0; i < back.movements.traversal_count(); ++i)
        for (auto mnt = back.movements.enter_ms[i] / 60'000;
             mnt <= back.movements.leave_ms[i] / 60'000 && mnt < active.size(); ++mnt)
            ++active[mnt];
    const auto busiest =
        static_cast<TimeMs>(std::max_element(active.begin(), active.end()) - active.begin()) *
            60'000 +
        30'000;
    std::vector<VehiclePosition> pos;
    const auto q0 = std::clock();
    for (int k = 0; k < 20; ++k) replay.positions_at(busiest + k * 100, pos);
    const auto q1 = std::clock();
    std::cout << fmt::format("  positions_at({}): {} vehicles, {:.1f} ms CPU per query\n",
                             format_clock(busiest), pos.size(),
                             1e3 * static_cast<double>(q1 - q0) / CLOCKS_PER_SEC / 20);
    return back == run ? 0 : 3;
}
