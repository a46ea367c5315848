#pragma once
/// The one check of a requested thread count, for every entry point that starts threads (the
/// engine, the runner, calibration, assignment): a count the machine cannot start is refused up
/// front instead of failing inside the thread library (pthread_create, oneTBB) after minutes.
#include <string_view>

namespace modeshift {

/// The largest thread count accepted on this machine: 4 x its hardware threads (more gains
/// nothing: the work is CPU-bound), at least 64 so that a script with a fixed count runs on a
/// small machine too, and never more than 1024.
int max_thread_count();

/// Returns `requested` (0 = all hardware threads) if it is in [0, max_thread_count()]; otherwise
/// throws InputError naming `option` (e.g. "--threads") with the accepted range.
int checked_thread_count(int requested, std::string_view option);

}  // namespace modeshift
