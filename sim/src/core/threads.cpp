#include "modeshift/core/threads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <thread>

#include "modeshift/core/error.hpp"

namespace modeshift {

int max_thread_count() {
    const int hardware = static_cast<int>(std::thread::hardware_concurrency());
    return std::clamp(4 * hardware, 64, 1024);
}

int checked_thread_count(int requested, std::string_view option) {
    const int most = max_thread_count();
    if (requested < 0 || requested > most)
        throw InputError("<command line>", 0, std::string(option),
                         fmt::format("{} threads: must be 0 (all hardware threads) to {} on this "
                                     "machine (4 x its {} hardware threads, at least 64, at most "
                                     "1024)",
                                     requested, most, std::thread::hardware_concurrency()));
    return requested;
}

}  // namespace modeshift
