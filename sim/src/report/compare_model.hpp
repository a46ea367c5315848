#pragma once
// The comparison of one pair of runs, shared by compare.cpp (which makes it) and
// compare_runs.cpp (which combines the pairs of several seeds).
#include "modeshift/report/compare.hpp"

namespace modeshift {

/// One base run against one policy run: the figures, the hourly curve, links and dongs matched,
/// and notes on how the runs differ. The run folders, seeds, annual basis and map network are
/// left to the caller.
Comparison compare_pair(const RunOutputs& base, const RunOutputs& policy);

}  // namespace modeshift
