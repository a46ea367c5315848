#pragma once
/// RunRecorder: an engine Observer that keeps the movements, stop calls and trip outcomes of one
/// simulated day (the last begin()..end() it sees) and turns them into a RunFile.
#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "modeshift/record/run_file.hpp"
#include "modeshift/travel_plan/observer.hpp"

namespace modeshift {

/// What the caller knows about the run that the observer stream does not carry.
struct RunFileMeta {
    std::string scenario;  ///< scenario name
    std::string label;     ///< shown in the viewer's pane title (e.g. "기준안 baseline")
    std::uint64_t seed = 0;
};

class RunRecorder : public Observer {
  public:
    /// Trips with an id at or beyond `n` (freight and boundary vehicle trips) are left out of the
    /// mode shares the run file carries. Default: every trip counts.
    void set_person_trip_count(std::size_t n) { person_trips_ = n; }
    /// Clears everything recorded so far: each begin() starts a new day (the final one wins).
    void begin(const RunInfo& info) override;
    void on_traversals(std::uint32_t partition, std::span<const Traversal> batch) override;
    void on_trips(std::uint32_t partition, std::span<const TripOutcome> batch) override;
    void on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) override;
    /// Marks the day complete. Merging the partition buffers waits for the first call below:
    /// a scenario simulates many days and keeps only the last one's movements.
    void end() override;

    /// The merged movements (after end()).
    const Movements& movements() {
        merge();
        return movements_;
    }
    /// Builds the full run file: geometry from `net`, recorded content, caller's counters.
    RunFile make_run_file(const Network& net, const RunFileMeta& meta,
                          const CounterSeries& counters,
                          const std::vector<LinkHourlyTable>& link_tables = {});

  private:
    struct Rec {  // one traversal, compact (20 bytes) while buffered
        std::uint32_t vehicle, link, enter_ms, leave_ms;
        std::uint16_t passengers, type;
    };
    struct Part {
        std::vector<Rec> traversals;
        std::vector<StopCall> stop_calls;
        std::array<double, kModeCount> trips_by_mode{};
        std::uint64_t stuck = 0;
    };
    Part& part(std::uint32_t partition);
    /// Merges the partition buffers deterministically (independent of arrival order/threads).
    void merge();

    std::vector<Part> parts_;
    std::vector<RunVehicleType> vehicle_types_;
    std::vector<LineId> vehicle_line_;
    double sample_fraction_ = 1.0;
    Movements movements_;
    StopCalls stop_calls_;
    std::array<double, kModeCount> trips_by_mode_{};
    std::uint64_t trips_stuck_ = 0;
    std::size_t person_trips_ = static_cast<std::size_t>(-1);
    TimeMs start_ms_ = 0, end_ms_ = 0;
    bool ended_ = false, merged_ = false;
};

/// Convenience for the scenario runner: make_run_file + write_run_file.
void write_run_file(const std::filesystem::path& path, RunRecorder& recorder, const Network& net,
                    const RunFileMeta& meta, const CounterSeries& counters,
                    const std::vector<LinkHourlyTable>& link_tables = {});

}  // namespace modeshift
