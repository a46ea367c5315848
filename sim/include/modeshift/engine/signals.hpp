#pragma once
/// Fixed-time signal control as the engine sees it: for each link, when its downstream end
/// (the approach to a signalised junction) may discharge. A fixed-time plan is a pure function
/// of time, so the engine needs no signal events: a queue head that becomes ready during red
/// is simply scheduled at the start of the next green.
#include <cstdint>
#include <vector>

#include "modeshift/core/time.hpp"

namespace modeshift {

/// One approach's timing. Green is [green_begin_ms, green_begin_ms + green_ms) modulo cycle_ms,
/// measured from midnight. cycle_ms == 0 means "not signalised".
struct ApproachSignal {
    std::int32_t cycle_ms = 0;
    std::int32_t green_begin_ms = 0;  ///< in [0, cycle_ms)
    std::int32_t green_ms = 0;        ///< effective green, in (0, cycle_ms]
    bool operator==(const ApproachSignal&) const = default;
};

/// Signal timing of every link's downstream end, for the general lanes and for the bus lane
/// (which may get priority). Empty vectors = no link is signalised.
struct SignalPlan {
    std::vector<ApproachSignal> general;  ///< indexed by link
    std::vector<ApproachSignal> bus;      ///< indexed by link; empty = same as general
    /// Time-of-day plan: from night_begin_ms to night_end_ms (time of day; the window may wrap
    /// midnight) the junctions run these timings instead (empty = one plan all day; night_bus
    /// empty = night_general). A green that started under one plan runs to its end: the plans
    /// switch at the first queue decision after the boundary, as controllers finish a cycle.
    std::vector<ApproachSignal> night_general, night_bus;
    TimeMs night_begin_ms = 0, night_end_ms = 0;
    bool empty() const { return general.empty(); }
    bool has_night() const { return !night_general.empty(); }
    /// True if time t (ms since midnight of day 0) falls in the night window.
    constexpr bool in_night(TimeMs t) const {
        const TimeMs tod = ((t % kMsPerDay) + kMsPerDay) % kMsPerDay;
        return night_begin_ms <= night_end_ms ? tod >= night_begin_ms && tod < night_end_ms
                                              : tod >= night_begin_ms || tod < night_end_ms;
    }
};

/// The earliest time >= t at which the approach shows green.
constexpr TimeMs next_green(const ApproachSignal& s, TimeMs t) {
    if (s.cycle_ms <= 0 || s.green_ms >= s.cycle_ms) return t;
    const TimeMs c = s.cycle_ms;
    const TimeMs phase = ((t - s.green_begin_ms) % c + c) % c;
    return phase < s.green_ms ? t : t + (c - phase);
}

/// True if the approach shows green at t.
constexpr bool is_green(const ApproachSignal& s, TimeMs t) { return next_green(s, t) == t; }

}  // namespace modeshift
