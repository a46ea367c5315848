#pragma once
/// Fixed-time signal control as the engine sees it: for each link, when its downstream end
/// (the approach to a signalised junction) may discharge. A fixed-time plan is a pure function
/// of time, so the engine needs no signal events: a queue head that becomes ready during red
/// is simply scheduled at the start of the next green.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "modeshift/core/time.hpp"

namespace modeshift {

/// One approach's timing. Green is [green_begin_ms, green_begin_ms + green_ms) modulo cycle_ms,
/// measured from midnight, plus an optional second window (green2_ms > 0): real plans often show
/// a movement green in two separate stages of a cycle (a lead and a lag), and one window would
/// give it only the longer of the two. cycle_ms == 0 means "not signalised".
struct ApproachSignal {
    std::int32_t cycle_ms = 0;
    std::int32_t green_begin_ms = 0;   ///< in [0, cycle_ms)
    std::int32_t green_ms = 0;         ///< effective green, in (0, cycle_ms]
    std::int32_t green2_begin_ms = 0;  ///< second window, in [0, cycle_ms)
    std::int32_t green2_ms = 0;        ///< 0 = no second window
    bool operator==(const ApproachSignal&) const = default;
};

/// A time-of-day plan: timings that replace the day plan inside its windows of the day (e.g. a
/// night plan with short cycles, a shoulder plan around the peaks).
struct TimeOfDayPlan {
    std::string name;                     ///< "night", "shoulder", ... (signals.csv column names)
    std::vector<ApproachSignal> general;  ///< indexed by link, like SignalPlan::general
    std::vector<ApproachSignal> bus;      ///< empty = same as general
    /// [begin, end) times of day in ms; a window with begin > end wraps midnight.
    std::vector<std::pair<TimeMs, TimeMs>> windows;
    /// True if time t (ms since midnight of day 0) falls in one of the windows.
    constexpr bool covers(TimeMs t) const {
        const TimeMs tod = ((t % kMsPerDay) + kMsPerDay) % kMsPerDay;
        for (const auto& [b, e] : windows)
            if (b <= e ? tod >= b && tod < e : tod >= b || tod < e) return true;
        return false;
    }
    bool operator==(const TimeOfDayPlan&) const = default;
};

/// Signal timing of every link's downstream end, for the general lanes and for the bus lane
/// (which may get priority). Empty vectors = no link is signalised.
struct SignalPlan {
    std::vector<ApproachSignal> general;  ///< the day plan, indexed by link
    std::vector<ApproachSignal> bus;      ///< indexed by link; empty = same as general
    /// Time-of-day plans; at time t the first one whose windows cover t runs, else the day plan.
    /// A green that started under one plan runs to its end: the plans switch at the first queue
    /// decision after the boundary, as controllers finish a cycle.
    std::vector<TimeOfDayPlan> time_of_day;
    bool empty() const { return general.empty(); }
    /// The plan's timings at time t: {general, bus} (bus empty = general).
    std::pair<const std::vector<ApproachSignal>*, const std::vector<ApproachSignal>*> at(
        TimeMs t) const {
        for (const TimeOfDayPlan& p : time_of_day)
            if (p.covers(t)) return {&p.general, &p.bus};
        return {&general, &bus};
    }
};

/// The earliest time >= t at which the window [begin, begin + green) of a c-ms cycle is open.
constexpr TimeMs next_window(TimeMs c, TimeMs begin, TimeMs green, TimeMs t) {
    const TimeMs phase = ((t - begin) % c + c) % c;
    return phase < green ? t : t + (c - phase);
}

/// The earliest time >= t at which the approach shows green.
constexpr TimeMs next_green(const ApproachSignal& s, TimeMs t) {
    if (s.cycle_ms <= 0 || s.green_ms >= s.cycle_ms) return t;
    const TimeMs first = next_window(s.cycle_ms, s.green_begin_ms, s.green_ms, t);
    if (s.green2_ms <= 0 || first == t) return first;
    const TimeMs second = next_window(s.cycle_ms, s.green2_begin_ms, s.green2_ms, t);
    return second < first ? second : first;
}

/// True if the approach shows green at t.
constexpr bool is_green(const ApproachSignal& s, TimeMs t) {
    return next_green(s, t) == t;
}

}  // namespace modeshift
