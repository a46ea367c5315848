#include "modeshift/record/replay.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"

namespace modeshift {

Replay::Replay(const RunFile& run) : run_(run) {
    const auto& g = run.geometry;
    cum_m_.resize(g.point_x_m.size(), 0.0f);
    link_dir_x_.assign(g.link_count(), 1.0f);
    link_dir_y_.assign(g.link_count(), 0.0f);
    for (std::size_t l = 0; l < g.link_count(); ++l) {
        const auto p0 = g.link_first[l];
        const float sx = g.point_x_m[p0 + 1] - g.point_x_m[p0],
                    sy = g.point_y_m[p0 + 1] - g.point_y_m[p0];
        if (const float len = std::hypot(sx, sy); len > 0) {
            link_dir_x_[l] = sx / len;
            link_dir_y_[l] = sy / len;
        }
        float acc = 0;
        for (auto p = g.link_first[l] + 1; p < g.link_first[l + 1]; ++p) {
            acc += std::hypot(g.point_x_m[p] - g.point_x_m[p - 1],
                              g.point_y_m[p] - g.point_y_m[p - 1]);
            cum_m_[p] = acc;
        }
    }
    for (const auto& vt : run.vehicle_types) type_mode_.push_back(vt.mode);

    const auto& m = run.movements;
    const auto nt = m.traversal_count();
    trav_vehicle_.resize(nt);
    show_until_ms_.resize(nt);
    vehicle_capacity_.assign(m.vehicle_count(), 0.0f);
    start_ms_ = nt ? static_cast<TimeMs>(m.enter_ms[0]) : 0;
    end_ms_ = 0;
    std::uint32_t last_until = 0;
    for (std::size_t i = 0; i < nt; ++i) last_until = std::max(last_until, m.leave_ms[i]);
    // CSR of minute buckets: each traversal is listed in every bucket its visible span touches.
    const auto nb =
        static_cast<std::size_t>((last_until + static_cast<std::uint32_t>(kHoldMs)) / kBucketMs) +
        2;
    bucket_first_.assign(nb + 1, 0);
    for (std::size_t v = 0; v < m.vehicle_count(); ++v) {
        if (m.vehicle_line[v] > 0 && m.vehicle_line[v] <= g.lines.size())
            vehicle_capacity_[v] = g.lines[m.vehicle_line[v] - 1].vehicle_capacity;
        const auto b = m.vehicle_first[v], e = m.vehicle_first[v + 1];
        for (auto i = b; i < e; ++i) {
            trav_vehicle_[i] = static_cast<std::uint32_t>(v);
            std::uint32_t until = m.leave_ms[i];
            if (i + 1 < e && m.enter_ms[i + 1] >= m.leave_ms[i] &&
                m.enter_ms[i + 1] - m.leave_ms[i] <= static_cast<std::uint32_t>(kHoldMs))
                until = m.enter_ms[i + 1];
            until = std::max(until, m.enter_ms[i] + 1);  // zero-length: one ms visible
            show_until_ms_[i] = until;
            start_ms_ = std::min<TimeMs>(start_ms_, m.enter_ms[i]);
            end_ms_ = std::max<TimeMs>(end_ms_, until);
            if (is_long(i)) continue;
            for (auto k = m.enter_ms[i] / kBucketMs; k <= (until - 1) / kBucketMs; ++k)
                ++bucket_first_[k + 1];
        }
    }
    for (std::size_t b = 0; b < nb; ++b) bucket_first_[b + 1] += bucket_first_[b];
    bucket_items_.resize(bucket_first_[nb]);
    auto pos = bucket_first_;
    for (std::size_t i = 0; i < nt; ++i) {
        if (is_long(i)) {
            long_items_.push_back(static_cast<std::uint32_t>(i));
            continue;
        }
        for (auto b = m.enter_ms[i] / kBucketMs; b <= (show_until_ms_[i] - 1) / kBucketMs; ++b)
            bucket_items_[pos[b]++] = static_cast<std::uint32_t>(i);
    }
}

bool Replay::is_long(std::size_t i) const {
    const auto first = run_.movements.enter_ms[i] / kBucketMs,
               last = (show_until_ms_[i] - 1) / kBucketMs;
    return last - first >= kMaxBucketsPerItem;
}

void Replay::point_on_link(std::uint32_t link, double f, float& x, float& y, float& dx,
                           float& dy) const {
    const auto& g = run_.geometry;
    const auto b = g.link_first[link], e = g.link_first[link + 1];
    if (e - b == 2 && f < 1.0) {  // straight link (most of them): no search along the polyline
        const float u = static_cast<float>(std::max(f, 0.0));
        x = g.point_x_m[b] + (g.point_x_m[b + 1] - g.point_x_m[b]) * u;
        y = g.point_y_m[b] + (g.point_y_m[b + 1] - g.point_y_m[b]) * u;
        dx = link_dir_x_[link];
        dy = link_dir_y_[link];
        return;
    }
    const float total = cum_m_[e - 1];
    const float target = static_cast<float>(std::clamp(f, 0.0, 1.0)) * total;
    auto p = b + 1;
    while (p + 1 < e && cum_m_[p] < target) ++p;
    const float sx = g.point_x_m[p] - g.point_x_m[p - 1], sy = g.point_y_m[p] - g.point_y_m[p - 1];
    const float seg = cum_m_[p] - cum_m_[p - 1];
    const float u = seg > 0 ? std::clamp((target - cum_m_[p - 1]) / seg, 0.0f, 1.0f) : 0.0f;
    if (f >= 1.0) {  // exact end point, no rounding from the cumulative sum
        x = g.point_x_m[e - 1];
        y = g.point_y_m[e - 1];
    } else {
        x = g.point_x_m[p - 1] + sx * u;
        y = g.point_y_m[p - 1] + sy * u;
    }
    const float len = std::hypot(sx, sy);
    dx = len > 0 ? sx / len : 1.0f;
    dy = len > 0 ? sy / len : 0.0f;
}

void Replay::positions_at(TimeMs t, std::vector<VehiclePosition>& out) const {
    out.clear();
    if (t < 0 || bucket_first_.size() < 2) return;
    const auto b = static_cast<std::size_t>(t / kBucketMs);
    if (b + 1 >= bucket_first_.size()) return;
    const auto tt = static_cast<std::uint32_t>(t);
    const std::uint32_t* items = bucket_items_.data() + bucket_first_[b];
    std::size_t n = bucket_first_[b + 1] - bucket_first_[b];
    std::vector<std::uint32_t> merged;  // the bucket plus the long traversals, in traversal order
    if (!long_items_.empty()) {
        merged.resize(n + long_items_.size());
        std::merge(items, items + n, long_items_.begin(), long_items_.end(), merged.begin());
        items = merged.data();
        n = merged.size();
    }
    // A rush-hour frame has 10^5 vehicles: fill chunks on all cores, then join them in order
    // (the result is the same as the serial loop).
    constexpr std::size_t kChunk = 16384;
    if (n <= kChunk) {
        out.reserve(n);
        for (std::size_t k = 0; k < n; ++k) append_position(items[k], tt, out);
        return;
    }
    std::vector<std::vector<VehiclePosition>> parts((n + kChunk - 1) / kChunk);
    tbb::parallel_for(std::size_t{0}, parts.size(), [&](std::size_t c) {
        const std::size_t b0 = c * kChunk, b1 = std::min(n, b0 + kChunk);
        parts[c].reserve(b1 - b0);
        for (std::size_t k = b0; k < b1; ++k) append_position(items[k], tt, parts[c]);
    });
    std::size_t total = 0;
    for (const auto& p : parts) total += p.size();
    out.reserve(total);
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
}

void Replay::append_position(std::uint32_t i, std::uint32_t tt,
                             std::vector<VehiclePosition>& out) const {
    const auto& m = run_.movements;
    if (tt < m.enter_ms[i] || tt >= show_until_ms_[i]) return;
    const auto dur = m.leave_ms[i] - m.enter_ms[i];
    const double f = (tt >= m.leave_ms[i] || dur == 0)
                         ? 1.0
                         : static_cast<double>(tt - m.enter_ms[i]) / static_cast<double>(dur);
    VehiclePosition p;
    point_on_link(m.link[i], f, p.x_m, p.y_m, p.dir_x, p.dir_y);
    const auto v = trav_vehicle_[i];
    const auto type = m.vehicle_type[v];
    p.mode = type < type_mode_.size() ? type_mode_[type] : Mode::Car;
    p.passengers = m.passengers[i];
    p.load_ratio =
        vehicle_capacity_[v] > 0 ? static_cast<float>(p.passengers) / vehicle_capacity_[v] : 0.0f;
    p.vehicle = v;
    out.push_back(p);
}

std::vector<LinkHourlyTable> derived_link_tables(const RunFile& run) {
    const auto nl = run.geometry.link_count();
    const auto& m = run.movements;
    std::uint32_t hours = 24;
    for (std::size_t i = 0; i < m.traversal_count(); ++i)
        hours = std::max<std::uint32_t>(hours,
                                        static_cast<std::uint32_t>(m.leave_ms[i] / kMsPerHour) + 1);
    LinkHourlyTable vol{"vehicles", "veh/h", hours, std::vector<float>(hours * nl, 0.0f)};
    LinkHourlyTable speed{"speed_kmh", "km/h", hours, std::vector<float>(hours * nl, 0.0f)};
    std::vector<double> time_s(hours * nl, 0.0);
    for (std::size_t i = 0; i < m.traversal_count(); ++i) {
        const auto h = m.leave_ms[i] / kMsPerHour;
        const auto k = h * nl + m.link[i];
        vol.values[k] += 1.0f;
        time_s[k] += (m.leave_ms[i] - m.enter_ms[i]) / 1000.0;
    }
    for (std::size_t k = 0; k < time_s.size(); ++k) {
        // Space-mean speed: total distance / total time of the vehicles that crossed.
        const double dist_m = vol.values[k] * run.geometry.link_length_m[k % nl];
        if (time_s[k] > 0) speed.values[k] = static_cast<float>(dist_m / time_s[k] * 3.6);
    }
    return {std::move(vol), std::move(speed)};
}

}  // namespace modeshift
