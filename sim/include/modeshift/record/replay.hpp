#pragma once
/// Replay: where every vehicle of a RunFile is at any moment. Built once per run file; a query
/// touches only the traversals active in the current minute bucket, so 100k+ vehicles per frame
/// cost a few milliseconds.
#include <cstdint>
#include <vector>

#include "modeshift/record/run_file.hpp"

namespace modeshift {

/// A vehicle drawn at one moment.
struct VehiclePosition {
    float x_m = 0, y_m = 0;      ///< local metres
    float dir_x = 1, dir_y = 0;  ///< unit heading along the link segment
    Mode mode = Mode::Car;
    std::uint16_t passengers = 0;
    float load_ratio = 0;       ///< passengers / line capacity for transit vehicles, else 0
    std::uint32_t vehicle = 0;  ///< index into RunFile::movements vehicles
};

class Replay {
  public:
    /// A vehicle stays drawn at the end of its link while it waits at most this long for its next
    /// link (a bus dwelling at a stop, a car at a junction), instead of blinking out.
    static constexpr TimeMs kHoldMs = 300'000;
    static constexpr TimeMs kBucketMs = 60'000;
    /// A traversal visible for longer than this many buckets (a vehicle stuck for hours) is kept
    /// in one list checked at every frame instead of in each bucket, so memory stays linear in the
    /// number of traversals whatever their durations.
    static constexpr std::uint32_t kMaxBucketsPerItem = 60;

    /// Keeps a reference to `run`, which must outlive the Replay.
    explicit Replay(const RunFile& run);

    /// Positions of all vehicles on the network at time t (cleared and refilled).
    void positions_at(TimeMs t, std::vector<VehiclePosition>& out) const;
    /// Point at fraction f in [0, 1] of link `link`'s polyline, with the heading there.
    void point_on_link(std::uint32_t link, double f, float& x, float& y, float& dx,
                       float& dy) const;

    TimeMs start_ms() const { return start_ms_; }
    TimeMs end_ms() const { return end_ms_; }

  private:
    /// Appends the position of traversal i at time tt to out if the vehicle is shown then.
    void append_position(std::uint32_t i, std::uint32_t tt,
                         std::vector<VehiclePosition>& out) const;
    bool is_long(std::size_t i) const;
    const RunFile& run_;
    std::vector<float> cum_m_;                    // per polyline point: distance from link start
    std::vector<float> link_dir_x_, link_dir_y_;  // heading of each link's first segment
    std::vector<std::uint32_t> trav_vehicle_;     // traversal -> vehicle index
    std::vector<std::uint32_t> show_until_ms_;    // traversal visible in [enter, show_until)
    std::vector<Mode> type_mode_;
    std::vector<float> vehicle_capacity_;      // per vehicle (0 = not transit)
    std::vector<std::uint32_t> bucket_first_;  // CSR: bucket -> traversal indices
    std::vector<std::uint32_t> bucket_items_;
    std::vector<std::uint32_t> long_items_;  // traversals spanning > kMaxBucketsPerItem, ascending
    TimeMs start_ms_ = 0, end_ms_ = 0;
};

/// Per-link hourly figures derived from the movements: "vehicles" (traversals leaving in the hour)
/// and "speed_kmh" (mean traversal speed, 0 where no vehicle passed).
std::vector<LinkHourlyTable> derived_link_tables(const RunFile& run);

}  // namespace modeshift
