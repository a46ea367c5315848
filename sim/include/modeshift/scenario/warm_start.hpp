#pragma once
/// The files a run leaves for warm starts of later runs (`run --warm-start DIR`). Both name the
/// network file they were made on by its content hash, and a warm start on another network is
/// refused naming the file, the network it was made for and the one in use:
///  - link_times.csv: experienced car link times, columns link, bin, mean_s, vehicles, after a
///    first line `# network HASH rows N` (one cell in a spreadsheet); the row count makes a file
///    cut short an error too;
///  - plans.bin (run --save-plans): the last day's plans in the common frame
///    (io/framed_file.hpp): magic "MSPLANSB", schema version, the network's content hash, payload
///    size, checksum, then the cereal portable binary of the PlanSet.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "modeshift/core/ids.hpp"
#include "modeshift/core/time.hpp"

namespace modeshift {

class LinkTravelTimes;
class Network;
struct PlanSet;

/// Name of the experienced car link-time table a run leaves for warm starts.
inline constexpr const char* kLinkTimesFile = "link_times.csv";
/// Name of the saved plans of a run (RunOptions::save_plans).
inline constexpr const char* kPlansFile = "plans.bin";
/// Schema version of plans.bin. 3: the common frame (2 was a header of its own, magic MSPLANS2).
inline constexpr std::uint32_t kPlansSchemaVersion = 3;

/// Experienced car link times of an earlier run: mean seconds per link and 15-minute bin of the
/// entry time.
struct WarmLinkTimes {
    std::size_t bins = 0;
    std::vector<double> mean_s;  ///< [link * bins + bin]; 0 = nothing observed there
};

/// Writes the (link, bin) cells that vehicles entered; `network_hash` is the content hash of the
/// network file the run was made on.
void write_link_times_csv(const std::filesystem::path& file, const LinkTravelTimes& times,
                          const Network& net, std::uint64_t network_hash);
/// Reads a link_times.csv written for `net`, whose file has the content hash `network_hash`.
/// InputError names the file, the line and the field for a missing or foreign first line, a
/// file cut short, a link the network does not have, a bin outside 0..1000, a duplicate
/// (link, bin) or a mean that is not in (0, 86400] seconds.
WarmLinkTimes read_link_times_csv(const std::filesystem::path& file, const Network& net,
                                  std::uint64_t network_hash);

/// Car link times of an earlier run folder's link_times.csv as a skim input: (link, 15-min bin)
/// -> mean seconds, free flow where nothing was observed. Used by `run --warm-start` and by
/// `calibrate --warm-start` (constants fitted on the converged day's congestion).
class WarmTimes {
  public:
    WarmTimes(const std::filesystem::path& dir, const Network& net, std::uint64_t network_hash);
    double operator()(LinkId l, TimeMs at) const;

  private:
    const Network* net_;
    WarmLinkTimes times_;
};

/// Writes plans.bin for the network file with content hash `network_hash`.
void write_plans_file(const std::filesystem::path& file, const PlanSet& plans,
                      std::uint64_t network_hash);
/// Reads plans.bin: the frame (made for `network_hash`), then plans that fit `net` and a fleet of
/// `vehicle_types` types (links, lines, stops and types that exist). InputError names the file
/// and the field.
PlanSet read_plans_file(const std::filesystem::path& file, const Network& net,
                        std::size_t vehicle_types, std::uint64_t network_hash);
/// True if `saved` plans are for the very same trips as `current` (each trip's person,
/// departure and zones): only then may a run reuse them.
bool same_trips(const PlanSet& saved, const PlanSet& current);

}  // namespace modeshift
