#include "modeshift/engine/link_times.hpp"

#include <algorithm>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {

LinkTravelTimes::LinkTravelTimes(TimeMs bin_ms) : bin_ms_(bin_ms) {
    MS_ASSERT(bin_ms > 0, "bin width must be positive");
}

void LinkTravelTimes::begin(const RunInfo& info) {
    net_ = info.network;
    // Bins cover two days: trips past midnight keep their own bins, later ones share the last.
    bins_ = static_cast<std::size_t>((2 * kMsPerDay + bin_ms_ - 1) / bin_ms_);
    per_part_.assign(info.partitions, {});
    mean_s_.clear();
    count_.clear();
}

std::size_t LinkTravelTimes::bin_of(TimeMs at) const {
    if (at <= 0) return 0;
    return std::min(static_cast<std::size_t>(at / bin_ms_), bins_ - 1);
}

void LinkTravelTimes::on_traversals(std::uint32_t partition, std::span<const Traversal> batch) {
    // Only this partition's map is touched: partitions may report concurrently.
    auto& m = per_part_[partition];
    for (const Traversal& t : batch) {
        Acc& a = m[static_cast<std::uint64_t>(t.link.value()) * bins_ + bin_of(t.enter_ms)];
        a.sum_ms += static_cast<std::uint64_t>(std::max<TimeMs>(0, t.leave_ms - t.enter_ms));
        ++a.n;
    }
}

void LinkTravelTimes::end() {
    const std::size_t links = net_ ? net_->link_count() : 0;
    std::vector<std::uint64_t> sum(links * bins_, 0);
    count_.assign(links * bins_, 0);
    // Integer sums: the result does not depend on merge or iteration order.
    for (auto& m : per_part_) {
        for (const auto& [key, a] : m) {
            sum[key] += a.sum_ms;
            count_[key] += a.n;
        }
        m = {};
    }
    mean_s_.assign(links * bins_, 0.0f);
    for (std::size_t i = 0; i < sum.size(); ++i)
        if (count_[i] > 0)
            mean_s_[i] = static_cast<float>(static_cast<double>(sum[i]) / count_[i] / 1000.0);
}

double LinkTravelTimes::time_s(LinkId link, TimeMs at) const {
    MS_ASSERT(net_ != nullptr, "LinkTravelTimes used before a run");
    const std::size_t i = link.index() * bins_ + bin_of(at);
    if (i < count_.size() && count_[i] > 0) return mean_s_[i];
    return net_->freeflow_time_s(link);
}

std::uint32_t LinkTravelTimes::count(LinkId link, TimeMs at) const {
    const std::size_t i = link.index() * bins_ + bin_of(at);
    return i < count_.size() ? count_[i] : 0;
}

}  // namespace modeshift
