#include "modeshift/report/transit_outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift {

std::uint32_t vehicle_capacity_in_sample(double vehicle_capacity, double sample_fraction) {
    // Keep in step with setup_transit in sim/src/engine/simulation.cpp.
    return static_cast<std::uint32_t>(
        std::clamp(std::llround(vehicle_capacity * sample_fraction), 1LL, 65535LL));
}

// ---------------------------------------------------------------- the counter

void TransitCounter::begin(const RunInfo& info) {
    MS_ASSERT(info.network != nullptr, "TransitCounter needs RunInfo::network");
    MS_ASSERT(info.sample_fraction > 0 && info.sample_fraction <= 1,
              "sample_fraction must be in (0, 1]");
    MS_ASSERT(info.partitions >= 1, "at least one partition");
    net_ = info.network;
    sample_fraction_ = info.sample_fraction;
    const auto& lines = net_->data().lines;
    first_.assign(lines.size() + 1, 0);
    for (std::size_t l = 0; l < lines.size(); ++l)
        first_[l + 1] = first_[l] + static_cast<std::uint32_t>(lines[l].stops.size());
    parts_.assign(info.partitions, std::vector<Acc>(first_.back()));
    results_ = TransitResults{};
}

void TransitCounter::on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) {
    MS_ASSERT(partition < parts_.size(), "partition out of range (begin() not called?)");
    auto& acc = parts_[partition];
    for (const StopCall& c : batch) {
        MS_ASSERT(c.line.index() + 1 < first_.size(), "stop call of an unknown line");
        const std::size_t i = first_[c.line.index()] + c.stop_index;
        MS_ASSERT(i < first_[c.line.index() + 1],
                  "stop call with a stop index beyond the line's stops");
        Acc& a = acc[i];
        ++a.calls;
        a.boarded += c.boarded;
        a.alighted += c.alighted;
        a.left_behind += c.left_behind;
        a.load_sum += c.load;
        a.max_load = std::max<std::uint32_t>(a.max_load, c.load);
    }
}

void TransitCounter::end() {
    TransitResults& r = results_;
    r.sample_fraction = sample_fraction_;
    if (!net_) return;
    // Partition order (the sums are integers, so any order gives the same totals).
    std::vector<Acc> total(first_.back());
    for (const auto& p : parts_)
        for (std::size_t i = 0; i < p.size(); ++i) {
            total[i].calls += p[i].calls;
            total[i].boarded += p[i].boarded;
            total[i].alighted += p[i].alighted;
            total[i].left_behind += p[i].left_behind;
            total[i].load_sum += p[i].load_sum;
            total[i].max_load = std::max(total[i].max_load, p[i].max_load);
        }
    parts_.clear();

    const double scale = 1.0 / sample_fraction_;
    const auto& lines = net_->data().lines;
    std::vector<std::uint64_t> stop_boarded(net_->data().stops.size(), 0),
        stop_alighted(stop_boarded.size(), 0);
    std::vector<std::uint32_t> stop_lines(stop_boarded.size(), 0);
    std::vector<ModeMask> stop_modes(stop_boarded.size(), 0);
    std::vector<LineId> last_line(
        stop_boarded.size());  // counts a line calling twice at a stop once
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const TransitLine& line = lines[li];
        const std::size_t n = line.stops.size();
        std::uint64_t calls = 0, boarded = 0, left = 0, departures = 0;
        std::uint32_t max_load = 0;
        std::size_t peak_k = 0;
        double pkm_m = 0, vkm_m = 0;  // load x metres; vehicle metres
        for (std::size_t k = 0; k < n; ++k) {
            const Acc& a = total[first_[li] + k];
            if (a.calls == 0) continue;
            calls += a.calls;
            boarded += a.boarded;
            left += a.left_behind;
            if (k == 0) departures = a.calls;
            if (a.max_load > max_load)
                max_load = a.max_load, peak_k = k;  // strict: earliest stop wins ties
            if (k + 1 < n && k + 1 < line.stop_link_pos.size()) {
                double seg_m = 0;
                const std::size_t seg_end =
                    std::min<std::size_t>(line.stop_link_pos[k + 1], line.links.size());
                for (std::size_t pos = line.stop_link_pos[k]; pos < seg_end; ++pos)
                    seg_m += net_->length_m(line.links[pos]);
                pkm_m += static_cast<double>(a.load_sum) * seg_m;
                vkm_m += static_cast<double>(a.calls) * seg_m;
            }
            const std::size_t s = line.stops[k].index();
            stop_boarded[s] += a.boarded;
            stop_alighted[s] += a.alighted;
            stop_modes[s] |= mode_bit(line.mode);
            if (last_line[s] != LineId::from_index(li))
                ++stop_lines[s], last_line[s] = LineId::from_index(li);
        }
        if (calls == 0) continue;  // did not run
        TransitLineRow row;
        row.line = LineId::from_index(li);
        row.boardings = static_cast<double>(boarded) * scale;
        row.passenger_km = pkm_m / 1000.0 * scale;
        row.vehicle_km = vkm_m / 1000.0;
        row.departures = static_cast<std::uint32_t>(departures);
        row.peak_load = static_cast<double>(max_load) * scale;
        row.capacity = line.vehicle_capacity;
        row.max_load_factor = static_cast<double>(max_load) /
                              vehicle_capacity_in_sample(line.vehicle_capacity, sample_fraction_);
        row.left_behind = static_cast<double>(left) * scale;
        if (max_load > 0) row.peak_load_stop = line.stops[peak_k];
        r.lines.push_back(row);
    }
    for (std::size_t s = 0; s < stop_lines.size(); ++s) {
        if (stop_lines[s] == 0) continue;
        StopRow row;
        row.stop = StopId::from_index(s);
        row.modes = stop_modes[s];
        row.boardings = static_cast<double>(stop_boarded[s]) * scale;
        row.alightings = static_cast<double>(stop_alighted[s]) * scale;
        row.lines_serving = stop_lines[s];
        r.stops.push_back(row);
    }
}

// ---------------------------------------------------------------- the tables

namespace {

std::string num(double v, int decimals) {
    if (v == 0) return "0";
    return fmt::format("{:.{}f}", v, decimals);
}

/// "bus|metro": the modes of a mask in enum order.
std::string mode_list(ModeMask mask) {
    std::string s;
    for (Mode m : kAllModes)
        if (allows(mask, m)) {
            if (!s.empty()) s += '|';
            s += mode_name(m);
        }
    return s;
}

}  // namespace

void write_transit_lines_csv(const std::filesystem::path& path, const TransitResults& r,
                             const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "line_code,line_name,mode,boardings_per_day,passenger_km_per_day,vehicle_km_per_day,"
             "departures,"
             "peak_load,capacity,max_load_factor,left_behind_per_day,peak_load_stop\n";
        for (const TransitLineRow& x : r.lines) {
            const TransitLine& line = net.line(x.line);
            o << csv_field(line.code) << ',' << csv_field(line.name) << ',' << mode_name(line.mode)
              << ',' << num(x.boardings, 1) << ',' << num(x.passenger_km, 1) << ','
              << num(x.vehicle_km, 2) << ',' << x.departures << ',' << num(x.peak_load, 1) << ','
              << fmt::format("{}", x.capacity) << ',' << num(x.max_load_factor, 3) << ','
              << num(x.left_behind, 1) << ','
              << csv_field(x.peak_load_stop.valid() ? net.stop(x.peak_load_stop).code
                                                    : std::string())
              << '\n';
        }
    });
}

void write_stop_boardings_csv(const std::filesystem::path& path, const TransitResults& r,
                              const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "stop_code,stop_name,lat,lon,modes,boardings_per_day,alightings_per_day,lines_"
             "serving\n";
        for (const StopRow& x : r.stops) {
            const Stop& s = net.stop(x.stop);
            o << csv_field(s.code) << ',' << csv_field(s.name) << ','
              << fmt::format("{:.6f},{:.6f}", s.lat, s.lon) << ',' << mode_list(x.modes) << ','
              << num(x.boardings, 1) << ',' << num(x.alightings, 1) << ',' << x.lines_serving
              << '\n';
        }
    });
}

void write_transit_outputs(const std::filesystem::path& dir, const TransitResults& r,
                           const Network& net) {
    std::filesystem::create_directories(dir);
    write_transit_lines_csv(dir / kTransitLinesFile, r, net);
    write_stop_boardings_csv(dir / kStopBoardingsFile, r, net);
}

}  // namespace modeshift
