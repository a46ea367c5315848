#pragma once
/// TransitCounter: an engine Observer that turns StopCall events into ridership per transit
/// line (direction) and per stop, and the writers of the two run tables made from it:
///   transit_lines.csv   boardings, passenger-km, vehicle-km, departures, peak load per line
///   stop_boardings.csv  boardings, alightings and lines serving per stop
///
/// Scaling: passengers are a sample of the population (RunInfo::sample_fraction) and are scaled
/// by 1 / sample_fraction; transit vehicles run the full timetable (vehicle-km and departures are
/// not scaled). The engine scales a vehicle's capacity to the sample (see
/// vehicle_capacity_in_sample): load factors are sampled load / sampled capacity, i.e. what the
/// engine enforced.
///
/// All accumulators are integers, merged in partition order: results are identical for any
/// thread count.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/mode.hpp"
#include "modeshift/travel_plan/observer.hpp"

namespace modeshift {

class Network;

inline constexpr const char* kTransitLinesFile = "transit_lines.csv";
inline constexpr const char* kStopBoardingsFile = "stop_boardings.csv";

/// Passengers one vehicle of a line takes in the simulated sample: the line's capacity times the
/// sample fraction, rounded, at least 1 (the rule the engine applies when it sets up transit).
std::uint32_t vehicle_capacity_in_sample(double vehicle_capacity, double sample_fraction);

/// One transit line (direction) that ran; full-population equivalents per simulated day.
struct TransitLineRow {
    LineId line;
    double boardings = 0;
    double passenger_km =
        0;  ///< sum over stop calls of load on departure x distance to the next stop
    double vehicle_km = 0;  ///< distance driven between the first and the last stop, all vehicles
    std::uint32_t departures = 0;  ///< vehicles that left the first stop
    double peak_load = 0;          ///< largest load of any vehicle on any segment
    double capacity = 0;           ///< passengers per vehicle (the network line's, full population)
    double max_load_factor = 0;    ///< largest sampled load / sampled capacity
    double left_behind = 0;        ///< refused boardings (a passenger refused twice counts twice)
    StopId peak_load_stop;  ///< stop the peak-load segment starts at (earliest such; invalid if
                            ///< none carried)
};

/// One stop with at least one call; full-population equivalents per simulated day.
struct StopRow {
    StopId stop;
    ModeMask modes = 0;  ///< modes of the lines that called
    double boardings = 0;
    double alightings = 0;
    std::uint32_t lines_serving = 0;  ///< distinct line directions that called
};

struct TransitResults {
    double sample_fraction = 1.0;
    std::vector<TransitLineRow> lines;  ///< by LineId
    std::vector<StopRow> stops;         ///< by StopId
};

class TransitCounter : public Observer {
  public:
    void begin(const RunInfo& info) override;
    void on_stop_calls(std::uint32_t partition, std::span<const StopCall> batch) override;
    void end() override;
    /// The last day's results (valid after end()).
    const TransitResults& results() const { return results_; }

  private:
    /// Per (line, stop index) integer sums of one partition.
    struct Acc {
        std::uint64_t calls = 0, boarded = 0, alighted = 0, left_behind = 0, load_sum = 0;
        std::uint32_t max_load = 0;
    };
    const Network* net_ = nullptr;
    double sample_fraction_ = 1.0;
    std::vector<std::uint32_t> first_;  ///< per line: offset of its stops in Acc vectors
    std::vector<std::vector<Acc>> parts_;
    TransitResults results_;
};

void write_transit_lines_csv(const std::filesystem::path& path, const TransitResults& r,
                             const Network& net);
void write_stop_boardings_csv(const std::filesystem::path& path, const TransitResults& r,
                              const Network& net);
/// Writes both tables into `dir` (created if needed).
void write_transit_outputs(const std::filesystem::path& dir, const TransitResults& r,
                           const Network& net);

}  // namespace modeshift
