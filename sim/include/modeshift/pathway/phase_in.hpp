#pragma once
/// Phase-in of a measure: a policy's intensity ramps linearly from its neutral value (the value
/// at which the policy changes nothing) to the value given in the pathway file.
///
/// A measure with phase_in_years = P that starts in year S has, in year y,
///     fraction(y) = 0                               for y < S,
///     fraction(y) = min(1, (y - S + 1) / (P + 1))   otherwise,
/// so P = 0 is the full effect from S, and P = 2 is 1/3 in S, 2/3 in S+1 and full from S+2:
/// P counts the years before the full effect.
#include <string>

#include "modeshift/io/json_util.hpp"

namespace modeshift::pathway {

/// The fraction of full intensity in `year` (see above). phase_in_years >= 0.
double phase_in_fraction(int year, int start_year, int phase_in_years);

/// Whether a policy kind has an intensity to ramp: bus_frequency, fare, parking_charge,
/// congestion_charge, tashu, signal_priority. The others (activate_line, deactivate_line,
/// bus_lane, bike_lane, low_emission_zone, road_diet, disable_mode) are on or off, and
/// ev_share is a level of the fleet: none of them can be phased in.
bool can_phase_in(const std::string& kind);

/// The policy with its intensity at `fraction` of the way from neutral to its value:
///   bus_frequency.frequency_factor, fare.factor, tashu.coverage_factor and
///   tashu.bike_speed_factor ramp from 1; parking_charge.krw, congestion_charge.krw and
///   signal_priority.green_extension_s ramp from 0; everything else is copied.
/// fraction is in (0, 1]; a kind that cannot be phased in takes only fraction 1
/// (InvariantError otherwise: the pathway reader refuses such measures).
nlohmann::json scaled_policy(const nlohmann::json& policy, double fraction);

/// Checks a policy object of a pathway measure without the network: a known kind and only
/// the fields that kind takes (the scenario reader checks zones, lines and ranges when the
/// policy runs). InputError names the file, the JSON path and the field.
void check_policy(const JsonCursor& policy);

}  // namespace modeshift::pathway
