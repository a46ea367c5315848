// The playback clock: seeking, playing on at a speed, and presentation mode's loop.
#include <algorithm>
#include <array>

#include "viewer.hpp"

namespace modeshift::viewer {
namespace {

constexpr std::array<double, 11> kSpeeds = {1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600};

}  // namespace

void Viewer::seek(TimeMs to) {
    t = std::clamp(to, t_min, t_max);
}

void Viewer::advance(double real_s) {
    if (!playing) return;
    t += static_cast<TimeMs>(real_s * speed * 1000.0);
    if (present && loop_to > loop_from) {
        if (t >= loop_to || t < loop_from) t = loop_from;
    } else if (t >= t_max) {
        t = t_max;
        playing = false;
    }
}

void Viewer::step_speed(int dir) {
    auto it = std::lower_bound(kSpeeds.begin(), kSpeeds.end(), speed);
    auto idx = static_cast<int>(it - kSpeeds.begin()) + dir;
    speed =
        kSpeeds[static_cast<std::size_t>(std::clamp(idx, 0, static_cast<int>(kSpeeds.size()) - 1))];
}

}  // namespace modeshift::viewer
