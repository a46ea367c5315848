#include "modeshift/scenario/calibrate.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <optional>
#include <thread>

#include "modeshift/core/error.hpp"
#include "modeshift/core/threads.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"
#include "modeshift/network/content_hash.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/scenario/model.hpp"
#include "modeshift/scenario/warm_start.hpp"
#include "observers.hpp"

namespace modeshift {

std::array<double, kModeCount> load_share_targets(const std::filesystem::path& file,
                                                  double* tolerance_pp) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"description", "walk_share", "excl_walk", "tolerance_pp"});
    std::array<double, kModeCount> t{};
    const double walk = sourced_number(j, "walk_share", 0, 0.9);
    auto ex = j.at("excl_walk");
    ex.expect_object();
    // A misspelt mode would silently drop out of the targets.
    for (auto it = ex.json().begin(); it != ex.json().end(); ++it) {
        const auto m = parse_mode(it.key());
        if (!m || *m == Mode::Walk)
            ex.at(it.key()).fail(it.key() == "walk" ? "walking is given by walk_share"
                                                    : "unknown mode");
    }
    double sum = 0;
    for (Mode m : kAllModes) {
        const std::string key(mode_name(m));
        if (m == Mode::Walk || !ex.has(key)) continue;
        t[mode_index(m)] = sourced_number(ex, key, 0, 1);
        sum += t[mode_index(m)];
    }
    if (sum <= 0) ex.fail("no shares given");
    for (Mode m : kAllModes)
        if (m != Mode::Walk) t[mode_index(m)] = t[mode_index(m)] / sum * (1.0 - walk);
    t[mode_index(Mode::Walk)] = walk;
    if (tolerance_pp)
        *tolerance_pp = j.has("tolerance_pp") ? sourced_number(j, "tolerance_pp", 0, 50) : 2.0;
    return t;
}

namespace {

/// Utilities of both trips of every tour without the constants (which enter twice per tour).
std::vector<std::array<double, kModeCount>> base_tour_utilities(const Model& m,
                                                                const Skims& skims) {
    const auto& T = m.demand.trips;
    const std::size_t tours = T.size() / 2;
    std::vector<std::array<double, kModeCount>> base(tours);
    tbb::parallel_for(std::size_t{0}, tours, [&](std::size_t t) {
        const auto [out, back] = tour_utilities(m, skims, t);
        for (std::size_t k = 0; k < kModeCount; ++k)
            base[t][k] = out[k] + back[k] - 2 * m.choice.asc[k];
    });
    return base;
}

std::array<double, kModeCount> expected_shares(
    const std::vector<std::array<double, kModeCount>>& base,
    const std::array<double, kModeCount>& asc) {
    std::array<double, kModeCount> s{};
    for (const auto& u : base) {
        double vmax = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < kModeCount; ++k) vmax = std::max(vmax, u[k] + 2 * asc[k]);
        if (!std::isfinite(vmax)) {
            s[mode_index(Mode::Walk)] += 1;
            continue;
        }
        std::array<double, kModeCount> e{};
        double sum = 0;
        for (std::size_t k = 0; k < kModeCount; ++k) {
            e[k] = std::isfinite(u[k]) ? std::exp(u[k] + 2 * asc[k] - vmax) : 0.0;
            sum += e[k];
        }
        for (std::size_t k = 0; k < kModeCount; ++k) s[k] += e[k] / sum;
    }
    for (auto& x : s) x /= std::max<double>(1.0, static_cast<double>(base.size()));
    return s;
}

/// Outer loops each simulate a day: 50 is a working week of CPU at full sample and far more than
/// the three that converge the bundled baseline. Inner rounds are cheap (expected shares only).
constexpr int kMaxOuterLoops = 50;
constexpr int kMaxInnerRounds = 100'000;

/// The options' counts in range before the scenario is loaded: zero loops would write constants
/// that were never fitted, and call that a calibration.
void check_options(const CalibrationOptions& opt) {
    if (opt.outer_loops < 1 || opt.outer_loops > kMaxOuterLoops)
        throw InputError(
            "<command line>", 0, "--loops",
            fmt::format("{} outer loops: must be 1 to {}", opt.outer_loops, kMaxOuterLoops));
    if (opt.inner_rounds < 1 || opt.inner_rounds > kMaxInnerRounds)
        throw InputError(
            "<options>", 0, "inner_rounds",
            fmt::format("{} rounds: must be 1 to {}", opt.inner_rounds, kMaxInnerRounds));
    checked_thread_count(opt.threads, "--threads");
}

}  // namespace

CalibrationResult calibrate_scenario(const std::filesystem::path& scenario_file,
                                     const CalibrationOptions& opt) {
    check_options(opt);
    const int threads =
        opt.threads > 0 ? opt.threads : static_cast<int>(std::thread::hardware_concurrency());
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(std::max(1, threads)));
    Model m = load_model(scenario_file, -1, threads);
    CalibrationResult res;
    res.target = load_share_targets(opt.targets_file);
    const Network& net = *m.network;
    Skims skims(net, m.choice, m.setup.context);
    skims.set_gateways(m.vehicle_trips.gateway_nodes);
    Simulation sim(net, m.fleet.types, m.engine);
    CarLinkTimes car_times;
    StopCrowding crowding;
    skims.set_extra_wait(
        [&](LineId l, std::size_t k, int period) { return crowding.extra_wait_min(l, k, period); });
    bool have_times = false;
    std::optional<WarmTimes> warm;
    if (!opt.warm_start.empty()) {
        const auto hash = network_content_hash(read_network(m.scenario.network));
        warm.emplace(opt.warm_start, net, hash);
        // The converged day itself, if the run saved it: its congestion and its crowding (who
        // was left behind where) are what the constants must be fitted against. Link times alone
        // leave out the crowding, and buses look better than the converged day shows them.
        std::error_code ec;
        if (std::filesystem::exists(opt.warm_start / kPlansFile, ec)) {
            const PlanSet day =
                read_plans_file(opt.warm_start / kPlansFile, net, m.fleet.types.size(), hash);
            std::vector<Observer*> obs = {&car_times, &crowding};
            sim.run(day, obs);
            have_times = true;
        }
    }
    for (int loop = 0; loop < opt.outer_loops; ++loop) {
        if (have_times)
            skims.update([&](LinkId l, TimeMs at) { return car_times.times().time_s(l, at); });
        else if (warm)
            skims.update([&](LinkId l, TimeMs at) { return (*warm)(l, at); });
        else
            skims.update([&](LinkId l, TimeMs) { return net.freeflow_time_s(l); });
        const auto base = base_tour_utilities(m, skims);
        for (int r = 0; r < opt.inner_rounds; ++r) {
            const auto s = expected_shares(base, m.choice.asc);
            for (Mode md : kAllModes) {
                const auto k = mode_index(md);
                if (md == Mode::Tram || res.target[k] <= 0 || s[k] <= 0) continue;
                // A tour carries the constant twice: half the log-ratio step.
                m.choice.asc[k] += 0.5 * std::log(res.target[k] / s[k]);
            }
            const double ref = m.choice.asc[mode_index(Mode::Car)];
            for (Mode md : kPersonModes) m.choice.asc[mode_index(md)] -= ref;
            // The tram does not run in the base year: it takes the metro's constant (rail comfort).
            m.choice.asc[mode_index(Mode::Tram)] = m.choice.asc[mode_index(Mode::Metro)];
        }
        res.achieved = expected_shares(base, m.choice.asc);
        if (!opt.quiet)
            fmt::print(stderr,
                       "calibration loop {}/{}: car {:.1f} % (target {:.1f}), bus {:.1f} % "
                       "({:.1f}), metro {:.1f} % ({:.1f})\n",
                       loop + 1, opt.outer_loops, 100 * res.achieved[0], 100 * res.target[0],
                       100 * res.achieved[1], 100 * res.target[1], 100 * res.achieved[2],
                       100 * res.target[2]);
        if (loop + 1 < opt.outer_loops) {
            TourModes modes;
            std::vector<std::uint8_t> replanned;
            choose_modes(m, skims, loop, 1.0, true, modes, replanned);
            const PlanSet plans = build_plans(m, skims, modes, replanned, nullptr);
            std::vector<Observer*> obs = {&car_times, &crowding};
            sim.run(plans, obs);
            have_times = true;
        }
    }
    res.asc = m.choice.asc;
    for (std::size_t k = 0; k < kModeCount; ++k)
        res.max_abs_error_pp =
            std::max(res.max_abs_error_pp, 100 * std::abs(res.achieved[k] - res.target[k]));
    Json prov;
    prov["method"] =
        "ln(target/expected share) updates of the constants on expected logit shares of the whole "
        "synthetic demand (Ortuzar & Willumsen, Modelling Transport 4th ed., 7.7), with congested "
        "car "
        "times re-simulated between loops; car is the reference (0); tram takes the metro constant";
    prov["scenario"] = m.scenario.name;
    prov["scenario_hash"] = m.scenario.hash;
    prov["seed"] = m.seed;
    prov["sample_fraction"] = m.scenario.sample_fraction;
    prov["outer_loops"] = opt.outer_loops;
    prov["warm_start"] =
        opt.warm_start.empty() ? std::string() : std::filesystem::absolute(opt.warm_start).string();
    prov["targets_file"] = opt.targets_file.filename().string();
    Json tgt = Json::object(), ach = Json::object();
    for (Mode md : kPersonModes) {
        tgt[std::string(mode_name(md))] = res.target[mode_index(md)];
        ach[std::string(mode_name(md))] = res.achieved[mode_index(md)];
    }
    prov["target_share_all_trips"] = tgt;
    prov["expected_share_all_trips"] = ach;
    prov["max_abs_error_pp"] = res.max_abs_error_pp;
    write_asc_file(opt.out_file, m.choice, prov.dump());
    return res;
}

}  // namespace modeshift
