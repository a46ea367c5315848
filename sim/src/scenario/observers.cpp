#include "observers.hpp"

#include "modeshift/core/error.hpp"

namespace modeshift {

void TripLog::begin(const RunInfo& info) {
    parts_.assign(info.partitions, {});
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
    parts_.clear();
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

}  // namespace modeshift
