#include "observers.hpp"

#include "modeshift/choice/choice.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {

void TripLog::begin(const RunInfo& info) {
    // The per-partition buffers keep yesterday's capacity: refilling them does not fault in and
    // zero fresh pages every day, nor copy them while they grow.
    parts_.resize(info.partitions);
    for (auto& p : parts_) p.clear();
    by_trip_.clear();
}

void TripLog::on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) {
    auto& v = parts_[partition];
    v.insert(v.end(), batch.begin(), batch.end());
}

void TripLog::end() {
    std::size_t n = 0;
    for (const auto& p : parts_)
        for (const auto& t : p) n = std::max(n, t.trip.index() + 1);
    by_trip_.assign(n, TripOutcome{});
    for (const auto& p : parts_)
        for (const auto& t : p) {
            MS_ASSERT(!by_trip_[t.trip.index()].trip.valid(), "trip reported twice");
            by_trip_[t.trip.index()] = t;
        }
    for (auto& p : parts_) p.clear();
}

void CarLinkTimes::begin(const RunInfo& info) {
    is_car_type_.clear();
    for (const auto& t : *info.vehicle_types)
        is_car_type_.push_back(t.mode == Mode::Car || t.mode == Mode::Taxi ? 1 : 0);
    buf_.assign(info.partitions, {});
    inner_.begin(info);
}

void CarLinkTimes::on_traversals(std::uint32_t partition, std::span<const Traversal> batch) {
    auto& b = buf_[partition];
    b.clear();
    for (const auto& t : batch)
        if (t.vehicle_type < is_car_type_.size() && is_car_type_[t.vehicle_type]) b.push_back(t);
    if (!b.empty()) inner_.on_traversals(partition, b);
}

void StopCrowding::begin(const RunInfo& info) {
    net_ = info.network;
    const auto& lines = net_->data().lines;
    first_.assign(lines.size() + 1, 0);
    for (std::size_t l = 0; l < lines.size(); ++l)
        first_[l + 1] = first_[l] + static_cast<std::uint32_t>(lines[l].stops.size());
    parts_.assign(info.partitions,
                  std::vector<Acc>(static_cast<std::size_t>(first_.back()) * kPeriods));
}

void StopCrowding::on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) {
    auto& acc = parts_[partition];
    for (const auto& c : batch) {
        const int period = period_of_hour(static_cast<int>((c.arrive_ms / kMsPerHour) % 24));
        const std::size_t i =
            (first_[c.line.index()] + c.stop_index) * kPeriods + static_cast<std::size_t>(period);
        acc[i].left_behind += c.left_behind;
        acc[i].boarded += c.boarded;
    }
}

void StopCrowding::end() {
    total_.assign(static_cast<std::size_t>(first_.back()) * kPeriods, Acc{});
    for (const auto& p : parts_)  // partition order: deterministic sums
        for (std::size_t i = 0; i < p.size(); ++i) {
            total_[i].left_behind += p[i].left_behind;
            total_[i].boarded += p[i].boarded;
        }
    parts_.clear();
}

double StopCrowding::extra_wait_min(LineId l, std::size_t k, int period) const {
    if (total_.empty()) return 0.0;
    const auto& a = total_[(first_[l.index()] + k) * kPeriods + static_cast<std::size_t>(period)];
    if (a.left_behind <= 0) return 0.0;
    const auto& ln = net_->line(l);
    const bool peak = period == 0 || period == 2;
    const double headway_min = (peak ? ln.headway_peak_s : ln.headway_offpeak_s) / 60.0;
    // Refusals per boarding passenger = vehicles missed on average; capped at an hour.
    return std::min(60.0, a.left_behind / std::max(1.0, a.boarded) * headway_min);
}

}  // namespace modeshift
