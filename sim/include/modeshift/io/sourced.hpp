#pragma once
/// Parameters in data files carry their source: {"value": 1.43, "source": "..."}.
/// These helpers read such a pair and refuse a number without a source.
#include <limits>
#include <string>

#include "modeshift/io/json_util.hpp"

namespace modeshift {

/// Reads obj[key] = {"value": number, "source": non-empty string}; checks lo <= value <= hi.
double sourced_number(const JsonCursor& obj, const std::string& key,
                      double lo = -std::numeric_limits<double>::infinity(),
                      double hi = std::numeric_limits<double>::infinity());

}  // namespace modeshift
