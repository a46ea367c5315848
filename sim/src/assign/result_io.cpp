#include "modeshift/assign/result_io.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "modeshift/io/atomic_file.hpp"

namespace modeshift {

std::string assignment_result_json(const Network& net, const AssignmentResult& r,
                                   const AssignmentRunInfo& info) {
    const double u = info.time_unit_s;
    nlohmann::ordered_json j;
    j["network"] = net.name();
    j["net_file"] = info.net_file;
    j["trips_file"] = info.trips_file;
    j["algorithm"] = std::string(algorithm_name(r.algorithm));
    j["cost"] = info.cost == AssignCost::Generalized ? "generalized" : "time";
    j["time_unit_s"] = u;
    j["tstt"] = r.tstt_veh_s / u;
    j["tstt_time_only"] = r.tstt_time_only_veh_s / u;
    j["sptt"] = r.sptt_veh_s / u;
    j["beckmann_objective"] = r.beckmann_veh_s / u;
    j["relative_gap"] = r.relative_gap;
    j["target_gap"] = info.target_gap;
    j["converged"] = r.converged;
    j["iterations"] = r.iterations;
    j["wall_s"] = r.wall_s;
    j["threads"] = info.threads;
    j["total_demand_veh"] = r.total_demand_veh;
    j["links"] = net.link_count();
    j["zones"] = net.zone_count();
    j["gap_history"] = r.gap_history;
    return j.dump(2) + "\n";
}

void write_assignment_json(const std::filesystem::path& path, const Network& net,
                           const AssignmentResult& r, const AssignmentRunInfo& info) {
    write_text_atomic(path, assignment_result_json(net, r, info));
}

namespace {
std::string node_label(const Network& net, NodeId n) {
    const auto& ext = net.data().nodes.external_id[n.index()];
    return ext.empty() ? std::to_string(n.value()) : ext;
}
}  // namespace

void write_link_flows_csv(const std::filesystem::path& path, const Network& net,
                          const AssignmentResult& r, double time_unit_s) {
    write_file_atomic(path, [&](std::ostream& os) {
        os << "from,to,flow,time,cost\n";
        for (std::size_t l = 0; l < net.link_count(); ++l) {
            const LinkId id = LinkId::from_index(l);
            os << fmt::format("{},{},{:.17g},{:.17g},{:.17g}\n", node_label(net, net.from(id)),
                              node_label(net, net.to(id)), r.flow_veh[l], r.time_s[l] / time_unit_s,
                              r.cost_s[l] / time_unit_s);
        }
    });
}

}  // namespace modeshift
