#pragma once
/// A model-free predictor of the corridor speeds, printed beside the model: the hourly profile.
/// A segment direction's speed in hour h is predicted by the mean observed speed of hour h over
/// the segment directions of the OTHER segments (both directions of its own segment left out, so
/// it never sees what it predicts, not even the opposite carriageway). It is scored on exactly
/// the segment-hours the model was compared on. Whatever the model does better than this comes
/// from the network and the demand, not from knowing the daily rhythm of the corridor.
#include <array>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "modeshift/validate/validate.hpp"

namespace modeshift {

using HourlyProfile = std::array<std::optional<double>, kObservedHours>;

/// Mean observed speed per hour over the segment directions whose segment_id is not in
/// `excluded` (all of their observed hours, compared with the model or not); nullopt for an hour
/// nobody observed.
HourlyProfile observed_profile(std::span<const SegmentResult> segments,
                               const std::set<std::string>& excluded);

/// The leave-one-segment-out profile scored on the model's compared segment-hours: `overall`
/// over all hours, `daytime` over kDaytimeFirstHour..23. A segment-hour whose hour no other
/// segment observed cannot be predicted and is left out (n says how many were scored).
struct ProfileFit {
    ErrorStats overall, daytime;
};
ProfileFit profile_predictor(std::span<const SegmentResult> segments);

}  // namespace modeshift
