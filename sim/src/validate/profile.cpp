#include "modeshift/validate/profile.hpp"

#include <map>
#include <vector>

namespace modeshift {

HourlyProfile observed_profile(std::span<const SegmentResult> segments,
                               const std::set<std::string>& excluded) {
    std::array<double, kObservedHours> sum{};
    std::array<std::size_t, kObservedHours> n{};
    for (const auto& s : segments) {
        if (excluded.count(s.segment_id)) continue;
        for (const auto& h : s.hours) {
            if (!h.observed_kmh) continue;
            const auto hi = static_cast<std::size_t>(h.hour);
            sum[hi] += *h.observed_kmh;
            ++n[hi];
        }
    }
    HourlyProfile p;
    for (std::size_t h = 0; h < p.size(); ++h)
        if (n[h] > 0) p[h] = sum[h] / static_cast<double>(n[h]);
    return p;
}

ProfileFit profile_predictor(std::span<const SegmentResult> segments) {
    // One profile per segment (both of its directions leave the same ones out).
    std::map<std::string, HourlyProfile> by_segment;
    for (const auto& s : segments)
        if (!by_segment.count(s.segment_id))
            by_segment[s.segment_id] = observed_profile(segments, {s.segment_id});
    std::vector<double> obs, pred, day_obs, day_pred;
    for (const auto& s : segments) {
        const HourlyProfile& p = by_segment.at(s.segment_id);
        for (const auto& h : s.hours) {
            const auto hi = static_cast<std::size_t>(h.hour);
            // The model's compared segment-hours only.
            if (!h.observed_kmh || !h.simulated_kmh || !p[hi]) continue;
            obs.push_back(*h.observed_kmh);
            pred.push_back(*p[hi]);
            if (h.hour >= kDaytimeFirstHour) {
                day_obs.push_back(*h.observed_kmh);
                day_pred.push_back(*p[hi]);
            }
        }
    }
    return {error_stats(obs, pred), error_stats(day_obs, day_pred)};
}

}  // namespace modeshift
