// The Simulation facade: configuration checks, default vehicle types for transit modes, and one
// engine run (Run, run.hpp) per call.
#include "modeshift/engine/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/core/threads.hpp"
#include "run.hpp"

namespace modeshift {

using engine_detail::kMaxTimeMs;
using engine_detail::Run;

struct Simulation::Impl {
    const Network& net;
    std::vector<VehicleType> types;
    EngineConfig cfg;
    Impl(const Network& n, std::vector<VehicleType> t, EngineConfig c)
        : net(n), types(std::move(t)), cfg(std::move(c)) {}
};

namespace {

void validate_config(const EngineConfig& c) {
    const auto bad = [](const std::string& field, const std::string& msg) {
        throw InputError("engine config", 0, field, msg);
    };
    if (!(c.sample_fraction > 0 && c.sample_fraction <= 1))
        bad("sample_fraction", "must be in (0, 1]");
    if (c.end_ms <= 0 || c.end_ms > kMaxTimeMs) bad("end_ms", "must be in (0, 74 h]");
    if (c.stuck_ms <= 0) bad("stuck_ms", "must be > 0");
    if (!(c.walk_speed_mps > 0) || !(c.bike_speed_mps > 0))
        bad("walk_speed_mps", "speeds must be > 0");
    if (!(c.bike_lane_speed_factor > 0)) bad("bike_lane_speed_factor", "must be > 0");
    if (!(c.backward_wave_speed_mps > 0)) bad("backward_wave_speed_mps", "must be > 0");
    if (!(c.bus_dwell_base_s >= 0) || !(c.bus_dwell_per_pax_s >= 0) || !(c.rail_dwell_s >= 0))
        bad("bus_dwell_base_s", "dwell times must be >= 0");
    if (c.max_window_ms < 1) bad("max_window_ms", "must be >= 1");
    if (c.partitions > 4096) bad("partitions", "at most 4096");
    checked_thread_count(c.threads, "--threads");
    const auto check_signals = [&](const std::vector<ApproachSignal>& v, const std::string& field) {
        for (const ApproachSignal& a : v)
            if (a.cycle_ms < 0 ||
                (a.cycle_ms > 0 && (a.green_ms <= 0 || a.green_ms > a.cycle_ms ||
                                    a.green_begin_ms < 0 || a.green_begin_ms >= a.cycle_ms)) ||
                (a.green2_ms != 0 &&
                 (a.cycle_ms <= 0 || a.green2_ms < 0 || a.green_ms + a.green2_ms > a.cycle_ms ||
                  a.green2_begin_ms < 0 || a.green2_begin_ms >= a.cycle_ms)))
                bad(field,
                    "signal timing needs 0 < green <= cycle, 0 <= green begin < cycle, and a "
                    "second window within the same cycle");
    };
    check_signals(c.signals.general, "signals.general");
    check_signals(c.signals.bus, "signals.bus");
    for (std::size_t i = 0; i < c.signals.time_of_day.size(); ++i) {
        const TimeOfDayPlan& p = c.signals.time_of_day[i];
        const std::string f = fmt::format("signals.time_of_day[{}]", i);
        check_signals(p.general, f + ".general");
        check_signals(p.bus, f + ".bus");
        if (p.general.size() != c.signals.general.size())
            bad(f + ".general", "must have one entry per link like signals.general");
        if (!p.bus.empty() && p.bus.size() != c.signals.general.size())
            bad(f + ".bus", "must be empty or have one entry per link like signals.general");
        for (const auto& [b, e] : p.windows)
            if (b < 0 || b >= kMsPerDay || e < 0 || e >= kMsPerDay || b == e)
                bad(f + ".windows",
                    "a window is [begin, end) with distinct times of day in [0, 24 h)");
    }
    if (!c.signals.bus.empty() && c.signals.bus.size() != c.signals.general.size())
        bad("signals.bus", "must be empty or have one entry per link like signals.general");
}

}  // namespace

Simulation::Simulation(const Network& net, std::vector<VehicleType> vehicle_types,
                       EngineConfig config)
    : impl_(std::make_unique<Impl>(net, std::move(vehicle_types), std::move(config))) {
    validate_config(impl_->cfg);
    if (!impl_->cfg.signals.empty() && impl_->cfg.signals.general.size() != net.link_count())
        throw InputError("engine config", 0, "signals.general",
                         fmt::format("has {} entries, the network has {} links",
                                     impl_->cfg.signals.general.size(), net.link_count()));
    // Transit lines need a vehicle type; add a documented default for a mode nobody defined.
    for (const TransitLine& line : net.data().lines) {
        const bool have = std::any_of(impl_->types.begin(), impl_->types.end(),
                                      [&](const VehicleType& t) { return t.mode == line.mode; });
        if (have) continue;
        VehicleType t;
        t.mode = line.mode;
        t.name = std::string("default_") + std::string(mode_name(line.mode));
        t.pce = line.vehicle_pce;
        // Urban operating speed caps; the link free-flow speed usually binds first.
        t.max_speed_mps = line.mode == Mode::Bus ? 80 / 3.6 : 100 / 3.6;
        t.emission_class = line.mode == Mode::Bus ? "bus_default" : "electric";
        impl_->types.push_back(t);
    }
    MS_ASSERT(impl_->types.size() < 65535, "too many vehicle types");
}

Simulation::~Simulation() = default;

const std::vector<VehicleType>& Simulation::vehicle_types() const {
    return impl_->types;
}

RunStats Simulation::run(const PlanSet& plans, std::span<Observer* const> observers) {
    Run run(impl_->net, impl_->types, impl_->cfg, plans, observers);
    return run.execute();
}

}  // namespace modeshift
