#pragma once
// What a policy applies to: zones, road links, transit lines and modes named in its JSON object.
// Every selector refuses a name the network does not have and an empty list (a policy that
// selects nothing would do nothing, which is a mistake in the file rather than a measure), with
// the JSON path of the entry.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network_data.hpp"

namespace modeshift::policy_detail {

/// Refuses an empty list at `c`, saying that it selects no `what` ("zone", "mode", ...).
void require_nonempty(const JsonCursor& c, std::string_view what);

/// Zones named by Korean name, English name or code.
std::vector<std::size_t> zones_of(const JsonCursor& c, const NetworkData& net);

/// Links selected by "road_names" (exact names), "links" (external ids) and/or "zones" (links
/// whose midpoint lies in the zones), narrowed by "road_classes". Connectors, rail and tram links
/// are never selected.
std::vector<std::size_t> links_of(const JsonCursor& c, const NetworkData& net);

/// Lines at `key`: "all", "study_area" or a list of line names/codes.
std::vector<std::size_t> lines_of(const JsonCursor& c, const NetworkData& net,
                                  const std::string& key);

/// Lines named in "lines" and/or all lines of "mode".
std::vector<std::size_t> lines_or_mode(const JsonCursor& c, const NetworkData& net);

/// A list of mode names.
std::vector<Mode> modes_of(const JsonCursor& c);

}  // namespace modeshift::policy_detail
