#pragma once
// The CO2 change map of the comparison report (inline SVG): dongs filled by their change, links
// drawn by theirs, and the colour legend.
#include <string>

#include "modeshift/report/compare.hpp"

namespace modeshift {

/// The map and its legend, or a note saying why there is none (no network, empty network).
std::string comparison_map(const Comparison& c);

}  // namespace modeshift
