#pragma once
/// Writing assignment results: result.json (figures) and a link-flow CSV, both atomically.
#include <filesystem>
#include <string>

#include "modeshift/assign/assignment.hpp"

namespace modeshift {

/// What the figures refer to, for the report.
struct AssignmentRunInfo {
    std::string net_file;
    std::string trips_file;
    double time_unit_s = 60;  ///< totals are reported in this unit (TNTP: the file's time unit)
    int threads = 0;
    AssignCost cost = AssignCost::Time;
    double target_gap = 0;
};

/// result.json: tstt, beckmann_objective, relative_gap, iterations, algorithm, wall_s, ...
std::string assignment_result_json(const Network& net, const AssignmentResult& r,
                                   const AssignmentRunInfo& info);
void write_assignment_json(const std::filesystem::path& path, const Network& net,
                           const AssignmentResult& r, const AssignmentRunInfo& info);
/// CSV "from,to,flow,time,cost": node external ids (TNTP numbers), veh, time and cost in the
/// report time unit.
void write_link_flows_csv(const std::filesystem::path& path, const Network& net,
                          const AssignmentResult& r, double time_unit_s);

}  // namespace modeshift
