#include "modeshift/record/recorder.hpp"

#include <algorithm>
#include <limits>

#include "modeshift/core/error.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {
namespace {

std::uint32_t to_u32_ms(TimeMs t) {
    MS_ASSERT(t >= 0 && t <= static_cast<TimeMs>(std::numeric_limits<std::uint32_t>::max()),
              "event time outside the run file's range (0 .. 49 days)");
    return static_cast<std::uint32_t>(t);
}

}  // namespace

void RunRecorder::begin(const RunInfo& info) {
    parts_.assign(std::max<std::uint32_t>(info.partitions, 1), Part{});
    vehicle_types_.clear();
    if (info.vehicle_types != nullptr)
        for (const auto& vt : *info.vehicle_types) vehicle_types_.push_back({vt.name, vt.mode});
    vehicle_line_ = info.vehicle_line;
    sample_fraction_ = info.sample_fraction;
    movements_ = Movements{};
    stop_calls_ = StopCalls{};
    trips_by_mode_ = {};
    trips_stuck_ = 0;
    start_ms_ = end_ms_ = 0;
    ended_ = merged_ = false;
}

RunRecorder::Part& RunRecorder::part(std::uint32_t partition) {
    MS_ASSERT(partition < parts_.size(), "batch from a partition outside RunInfo::partitions");
    return parts_[partition];
}

void RunRecorder::on_traversals(std::uint32_t partition, std::span<const Traversal> batch) {
    auto& p = part(partition);
    // No reserve(size + batch): an exact reserve per batch defeats geometric growth and turns
    // the day's appends into quadratic copying.
    for (const auto& t : batch)
        p.traversals.push_back({t.vehicle.value(), t.link.value(), to_u32_ms(t.enter_ms),
                                to_u32_ms(std::max(t.leave_ms, t.enter_ms)), t.passengers,
                                t.vehicle_type});
}

void RunRecorder::on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) {
    auto& p = part(partition);
    for (const auto& t : batch) {
        if (t.trip.index() >= person_trips_) continue;
        if (t.stuck)
            ++p.stuck;
        else
            p.trips_by_mode[mode_index(t.mode)] += 1;
    }
}

void RunRecorder::on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) {
    auto& p = part(partition);
    p.stop_calls.insert(p.stop_calls.end(), batch.begin(), batch.end());
}

void RunRecorder::end() {
    ended_ = true;
}

void RunRecorder::merge() {
    MS_ASSERT(ended_, "recorded movements read before the recorder saw end()");
    if (merged_) return;
    merged_ = true;
    // Concatenate in partition order, then sort on a total key: the result does not depend on
    // which thread delivered which batch first.
    std::vector<Rec> all;
    std::size_t n = 0;
    for (const auto& p : parts_) n += p.traversals.size();
    all.reserve(n);
    std::vector<StopCall> calls;
    for (auto& p : parts_) {
        all.insert(all.end(), p.traversals.begin(), p.traversals.end());
        calls.insert(calls.end(), p.stop_calls.begin(), p.stop_calls.end());
        for (std::size_t m = 0; m < kModeCount; ++m) trips_by_mode_[m] += p.trips_by_mode[m];
        trips_stuck_ += p.stuck;
        p = Part{};
    }
    std::sort(all.begin(), all.end(), [](const Rec& a, const Rec& b) {
        if (a.vehicle != b.vehicle) return a.vehicle < b.vehicle;
        if (a.enter_ms != b.enter_ms) return a.enter_ms < b.enter_ms;
        if (a.leave_ms != b.leave_ms) return a.leave_ms < b.leave_ms;
        if (a.link != b.link) return a.link < b.link;
        return a.passengers < b.passengers;
    });
    auto& m = movements_;
    m = Movements{};
    m.link.reserve(all.size());
    m.enter_ms.reserve(all.size());
    m.leave_ms.reserve(all.size());
    m.passengers.reserve(all.size());
    start_ms_ = all.empty() ? 0 : std::numeric_limits<TimeMs>::max();
    end_ms_ = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& r = all[i];
        if (i == 0 || r.vehicle != all[i - 1].vehicle) {
            if (i > 0) m.vehicle_first.push_back(static_cast<std::uint32_t>(m.link.size()));
            m.vehicle_id.push_back(r.vehicle);
            m.vehicle_type.push_back(r.type);
            const bool transit =
                r.vehicle < vehicle_line_.size() && vehicle_line_[r.vehicle].valid();
            m.vehicle_line.push_back(transit ? vehicle_line_[r.vehicle].value() + 1 : 0);
        }
        m.link.push_back(r.link);
        m.enter_ms.push_back(r.enter_ms);
        m.leave_ms.push_back(r.leave_ms);
        m.passengers.push_back(r.passengers);
        start_ms_ = std::min<TimeMs>(start_ms_, r.enter_ms);
        end_ms_ = std::max<TimeMs>(end_ms_, r.leave_ms);
    }
    if (!all.empty()) m.vehicle_first.push_back(static_cast<std::uint32_t>(m.link.size()));
    std::vector<Rec>().swap(all);

    std::sort(calls.begin(), calls.end(), [](const StopCall& a, const StopCall& b) {
        if (a.vehicle != b.vehicle) return a.vehicle < b.vehicle;
        if (a.arrive_ms != b.arrive_ms) return a.arrive_ms < b.arrive_ms;
        if (a.stop_index != b.stop_index) return a.stop_index < b.stop_index;
        return a.depart_ms < b.depart_ms;
    });
    auto& s = stop_calls_;
    for (const auto& c : calls) {
        s.vehicle.push_back(c.vehicle.value());
        s.line.push_back(c.line.value());
        s.stop.push_back(c.stop.value());
        s.stop_index.push_back(c.stop_index);
        s.arrive_ms.push_back(to_u32_ms(c.arrive_ms));
        s.depart_ms.push_back(to_u32_ms(std::max(c.depart_ms, c.arrive_ms)));
        s.boarded.push_back(c.boarded);
        s.alighted.push_back(c.alighted);
        s.load.push_back(c.load);
        s.left_behind.push_back(c.left_behind);
    }
}

RunFile RunRecorder::make_run_file(const Network& net, const RunFileMeta& meta,
                                   const CounterSeries& counters,
                                   const std::vector<LinkHourlyTable>& link_tables) {
    merge();
    RunFile run;
    run.scenario = meta.scenario;
    run.label = meta.label;
    run.seed = meta.seed;
    run.network_name = net.name();
    run.network_hash = net.content_hash();
    run.sample_fraction = sample_fraction_;
    run.start_ms = start_ms_;
    run.end_ms = end_ms_;
    run.geometry = geometry_from_network(net);
    run.vehicle_types = vehicle_types_;
    for (auto t : movements_.vehicle_type)
        if (t >= run.vehicle_types.size()) run.vehicle_types.resize(t + 1u, {"unknown", Mode::Car});
    run.movements = movements_;
    run.stop_calls = stop_calls_;
    run.trips_by_mode = trips_by_mode_;
    run.trips_stuck = trips_stuck_;
    run.counters = counters;
    run.link_tables = link_tables;
    return run;
}

void write_run_file(const std::filesystem::path& path, RunRecorder& recorder, const Network& net,
                    const RunFileMeta& meta, const CounterSeries& counters,
                    const std::vector<LinkHourlyTable>& link_tables) {
    write_run_file(path, recorder.make_run_file(net, meta, counters, link_tables));
}

}  // namespace modeshift
