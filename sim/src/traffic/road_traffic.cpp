#include "modeshift/traffic/road_traffic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {
namespace {

constexpr double kMphToMps = 0.44704;
constexpr double kFtPerM = 3.28084;

RoadClass road_class_from(const JsonCursor& c) {
    const std::string s = c.string();
    for (int i = 0; i <= static_cast<int>(RoadClass::Other); ++i)
        if (road_class_name(static_cast<RoadClass>(i)) == s) return static_cast<RoadClass>(i);
    c.fail(fmt::format("unknown road class '{}'", s));
}

RunningSpeedParams load_running(const JsonCursor& c) {
    c.only_keys({"source", "base_mph", "limit_coef", "cross_section_mph", "access_points_per_mile", "length_coef",
                 "max_posted_kmh"});
    RunningSpeedParams r;
    r.enabled = true;
    r.base_mph = sourced_number(c, "base_mph", 0, 100);
    r.limit_coef = sourced_number(c, "limit_coef", 0, 2);
    r.cross_section_mph = sourced_number(c, "cross_section_mph", -20, 20);
    r.access_points_per_mile = sourced_number(c, "access_points_per_mile", 0, 500);
    r.length_coef = sourced_number(c, "length_coef", 0, 50);
    r.max_posted_kmh = sourced_number(c, "max_posted_kmh", 0, 200);
    return r;
}

/// {"primary": {"value": 160, "source": ...}, ...}: cycle length by road class.
std::vector<std::pair<RoadClass, double>> load_cycles(const JsonCursor& cyc) {
    cyc.expect_object();
    std::vector<std::pair<RoadClass, double>> out;
    for (const auto& [key, unused] : cyc.json().items()) {
        if (key == "source") continue;
        const RoadClass rc = road_class_from(JsonCursor(Json(key), cyc.file(), cyc.path() + "." + key));
        out.emplace_back(rc, sourced_number(cyc, key, 30, 300));
    }
    return out;
}

SignalParams load_signals(const JsonCursor& c) {
    c.only_keys({"source", "min_neighbours", "major_road_classes", "cycle_s", "lost_time_per_phase_s",
                 "phases_per_axis", "left_phase_share", "min_green_s", "night_plan"});
    SignalParams s;
    s.enabled = true;
    s.min_neighbours = static_cast<int>(sourced_number(c, "min_neighbours", 2, 16));
    const JsonCursor mc = c.at("major_road_classes");
    if (!mc.has("source") || mc.string("source").empty())
        mc.fail("every value needs a non-empty \"source\" (where the value comes from)");
    const JsonCursor classes = mc.at("value");
    for (std::size_t i = 0; i < classes.size(); ++i) s.major_classes.push_back(road_class_from(classes.at(i)));
    const JsonCursor cyc = c.at("cycle_s");
    s.cycle_s = load_cycles(cyc);
    s.lost_time_per_phase_s = sourced_number(c, "lost_time_per_phase_s", 0, 20);
    s.phases_per_axis = static_cast<int>(sourced_number(c, "phases_per_axis", 1, 4));
    s.left_phase_share = sourced_number(c, "left_phase_share", 0, 0.9);
    s.min_green_s = sourced_number(c, "min_green_s", 1, 120);
    for (RoadClass rc : s.major_classes)
        if (std::none_of(s.cycle_s.begin(), s.cycle_s.end(), [&](const auto& e) { return e.first == rc; }))
            cyc.fail(fmt::format("no cycle length for major road class '{}'", road_class_name(rc)));
    if (c.has("night_plan")) {
        const JsonCursor n = c.at("night_plan");
        n.only_keys({"source", "begin_h", "end_h", "cycle_s"});
        s.night = true;
        s.night_begin_h = sourced_number(n, "begin_h", 0, 23.99);
        s.night_end_h = sourced_number(n, "end_h", 0, 23.99);
        if (s.night_begin_h == s.night_end_h) n.at("end_h").fail("the night window is empty (begin_h == end_h)");
        const JsonCursor ncyc = n.at("cycle_s");
        s.night_cycle_s = load_cycles(ncyc);
        for (RoadClass rc : s.major_classes)
            if (std::none_of(s.night_cycle_s.begin(), s.night_cycle_s.end(), [&](const auto& e) { return e.first == rc; }))
                ncyc.fail(fmt::format("no night cycle length for major road class '{}'", road_class_name(rc)));
    }
    return s;
}

/// Heading (radians, 0 = east) of a link where it arrives at its downstream node.
double arrival_heading(const Network& net, LinkId l) {
    const auto g = net.link_geometry(l);
    const XY a = net.projection().to_xy(g[g.size() - 2]);
    const XY b = net.projection().to_xy(g.back());
    return std::atan2(b.y_m - a.y_m, b.x_m - a.x_m);
}

/// True if two headings are on the same axis (parallel or opposite, within 45 degrees).
bool same_axis(double h1, double h2) {
    double d = std::fmod(std::abs(h1 - h2), std::numbers::pi);
    return std::min(d, std::numbers::pi - d) <= std::numbers::pi / 4;
}

/// Cycle length of a junction whose leading road is `major`; a junction signalised by its node
/// control on a road class without a cycle of its own takes the first (longest) one listed.
double cycle_for(const std::vector<std::pair<RoadClass, double>>& cycles, RoadClass major) {
    for (const auto& [rc, c] : cycles)
        if (rc == major) return c;
    return cycles.empty() ? 0 : cycles.front().second;
}

bool is_road_approach(const Network& net, LinkId l) {
    const RoadClass rc = net.data().links.road_class[l.index()];
    return allows(net.modes(l), Mode::Car) && rc != RoadClass::Connector && rc != RoadClass::Rail && rc != RoadClass::Tram &&
           rc != RoadClass::Path;
}

}  // namespace

RoadTrafficParams load_road_traffic(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    const JsonCursor c(root, file.string());
    c.expect_object();
    c.only_keys({"description", "source", "running_speed", "signals"});
    RoadTrafficParams p;
    p.source_file = file.string();
    if (c.has("running_speed")) p.running = load_running(c.at("running_speed"));
    if (c.has("signals")) p.signals = load_signals(c.at("signals"));
    return p;
}

std::size_t apply_running_speeds(NetworkData& d, const RunningSpeedParams& p) {
    if (!p.enabled) return 0;
    auto& L = d.links;
    std::size_t changed = 0;
    for (std::size_t i = 0; i < L.size(); ++i) {
        const RoadClass rc = L.road_class[i];
        const bool urban = rc == RoadClass::Primary || rc == RoadClass::Secondary || rc == RoadClass::Tertiary ||
                           rc == RoadClass::Residential;
        const double posted_kmh = L.freeflow_speed_mps[i] * 3.6;
        if (!urban || !allows(L.modes[i], Mode::Car) || posted_kmh > p.max_posted_kmh || L.length_m[i] <= 0) continue;
        // HCM 2010 Eq. 17-1: base free-flow speed; Eq. 17-3/17-4: shorter segments run slower.
        const double lanes = std::max(1.0f, L.lanes[i]);
        const double s0 = p.base_mph + p.limit_coef * posted_kmh / 1.609344 + p.cross_section_mph -
                          0.078 * p.access_points_per_mile / lanes;
        const double len_ft = L.length_m[i] * kFtPerM;
        const double f_l = std::min(1.0, 1.02 - p.length_coef * (s0 - 19.5) / std::max(len_ft, 400.0));
        const double mps = std::max(1.0, s0 * f_l * kMphToMps);
        L.freeflow_speed_mps[i] = mps;
        L.freeflow_time_s[i] = L.length_m[i] / mps;
        ++changed;
    }
    return changed;
}

namespace {

/// Timings of every approach with the cycles of `cycles` (the split rule of `p`).
std::vector<ApproachSignal> time_junctions(const Network& net, const SignalParams& p,
                                           const std::vector<std::pair<RoadClass, double>>& cycles,
                                           SignalPlanStats& st) {
    std::vector<ApproachSignal> general(net.link_count(), ApproachSignal{});
    const auto& control = net.data().nodes.control;
    double sum_cycle = 0, sum_gc = 0;
    for (std::size_t n = 0; n < net.node_count(); ++n) {
        const NodeId node = NodeId::from_index(n);
        if (!net.is_through_node(node) || control[n] == NodeControl::None) continue;
        std::vector<LinkId> approaches;
        std::vector<std::uint32_t> neighbours;
        RoadClass major = RoadClass::Other;
        for (LinkId l : net.in_links(node))
            if (is_road_approach(net, l)) {
                approaches.push_back(l);
                neighbours.push_back(net.from(l).value());
                major = std::min(major, net.data().links.road_class[l.index()]);
            }
        for (LinkId l : net.out_links(node))
            if (is_road_approach(net, l)) neighbours.push_back(net.to(l).value());
        std::sort(neighbours.begin(), neighbours.end());
        neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
        if (approaches.empty()) continue;
        const bool by_rule = control[n] == NodeControl::Unknown;
        if (by_rule && (static_cast<int>(neighbours.size()) < p.min_neighbours ||
                        std::find(p.major_classes.begin(), p.major_classes.end(), major) == p.major_classes.end()))
            continue;
        // Two axes: the one of the highest-capacity approach, and the crossing one.
        const LinkId lead = *std::max_element(approaches.begin(), approaches.end(), [&](LinkId a, LinkId b) {
            return net.capacity_vph(a) < net.capacity_vph(b) || (net.capacity_vph(a) == net.capacity_vph(b) && b < a);
        });
        const double h0 = arrival_heading(net, lead);
        double w[2] = {0, 0};
        std::vector<int> axis(approaches.size());
        for (std::size_t i = 0; i < approaches.size(); ++i) {
            axis[i] = same_axis(arrival_heading(net, approaches[i]), h0) ? 0 : 1;
            w[axis[i]] += std::max(1.0, net.capacity_vph(approaches[i]));
        }
        if (w[1] == 0 && by_rule) continue;  // all approaches on one axis: a merge, not a crossing
        const double cycle = cycle_for(cycles, major);
        if (cycle <= 0) continue;  // no cycle lengths in the rules: nothing to time the signal with
        const int axes = w[1] > 0 ? 2 : 1;
        // One axis only (e.g. a signalised crossing on a straight road): the other phase is
        // the pedestrians' minimum green.
        const double lost = p.lost_time_per_phase_s * p.phases_per_axis * axes;
        const double avail = std::max(2 * p.min_green_s, cycle - lost - (axes == 1 ? p.min_green_s : 0));
        double share[2] = {w[0] / (w[0] + w[1]), w[1] / (w[0] + w[1])};
        double through[2], axis_time[2];
        for (int k = 0; k < 2; ++k) {
            axis_time[k] = avail * share[k];
            through[k] = std::max(p.min_green_s, axis_time[k] * (p.phases_per_axis > 1 ? 1 - p.left_phase_share : 1.0));
        }
        const auto cycle_ms = static_cast<std::int32_t>(std::lround(cycle * 1000));
        // Deterministic offset from the node's index (no progression is modelled).
        const auto offset_ms = static_cast<std::int32_t>(mix64(0x5167a1ULL ^ n) % static_cast<std::uint64_t>(cycle_ms / 1000)) * 1000;
        const std::int32_t begin[2] = {
            offset_ms, static_cast<std::int32_t>((offset_ms + std::lround((axis_time[0] + lost / axes) * 1000)) % cycle_ms)};
        for (std::size_t i = 0; i < approaches.size(); ++i) {
            const int k = axis[i];
            const auto g = static_cast<std::int32_t>(std::min<long>(cycle_ms, std::lround(through[k] * 1000)));
            general[approaches[i].index()] = ApproachSignal{cycle_ms, begin[k] % cycle_ms, g};
            sum_gc += static_cast<double>(g) / cycle_ms;
            ++st.signalised_approaches;
        }
        ++st.signalised_nodes;
        sum_cycle += cycle;
    }
    if (st.signalised_nodes) st.mean_cycle_s = sum_cycle / static_cast<double>(st.signalised_nodes);
    if (st.signalised_approaches) st.mean_green_ratio = sum_gc / static_cast<double>(st.signalised_approaches);
    return general;
}

}  // namespace

SignalPlan build_signal_plan(const Network& net, const SignalParams& p, SignalPlanStats* stats) {
    SignalPlan plan;
    SignalPlanStats st;
    if (p.enabled) {
        plan.general = time_junctions(net, p, p.cycle_s, st);
        if (p.night) {
            SignalPlanStats night_stats;
            plan.night_general = time_junctions(net, p, p.night_cycle_s, night_stats);
            plan.night_begin_ms = static_cast<TimeMs>(std::lround(p.night_begin_h * kMsPerHour));
            plan.night_end_ms = static_cast<TimeMs>(std::lround(p.night_end_h * kMsPerHour));
            st.night_mean_cycle_s = night_stats.mean_cycle_s;
        }
    }
    if (stats) *stats = st;
    return plan;
}

namespace {

std::size_t extend_in(std::vector<ApproachSignal>& general_plan, std::vector<ApproachSignal>& bus_plan,
                      const Network& net, const std::vector<std::uint32_t>& links, double extension_s, bool buses_only,
                      double min_green_s) {
    const auto ext = static_cast<std::int32_t>(std::lround(extension_s * 1000));
    const auto min_g = static_cast<std::int32_t>(std::lround(min_green_s * 1000));
    if (buses_only && bus_plan.empty()) bus_plan = general_plan;
    std::size_t changed = 0;
    std::vector<std::uint8_t> node_done(net.node_count(), 0);  // both directions of a road: cut once
    for (std::uint32_t l : links) {
        if (l >= general_plan.size()) continue;
        ApproachSignal& a = buses_only ? bus_plan[l] : general_plan[l];
        if (a.cycle_ms == 0) continue;
        const ApproachSignal before = general_plan[l];
        a.green_ms = std::min(a.cycle_ms, a.green_ms + ext);
        ++changed;
        const NodeId node = net.to(LinkId(l));
        if (buses_only || node_done[node.index()]) continue;
        node_done[node.index()] = 1;
        // The crossing approaches (those whose green starts elsewhere) start later.
        for (LinkId in : net.in_links(node)) {
            ApproachSignal& o = general_plan[in.index()];
            if (o.cycle_ms == 0 || o.green_begin_ms == before.green_begin_ms) continue;
            const std::int32_t cut = std::min(ext, std::max(0, o.green_ms - min_g));
            o.green_begin_ms = (o.green_begin_ms + cut) % o.cycle_ms;
            o.green_ms -= cut;
        }
    }
    return changed;
}

}  // namespace

std::size_t extend_green(SignalPlan& plan, const Network& net, const std::vector<std::uint32_t>& links,
                         double extension_s, bool buses_only, double min_green_s) {
    if (plan.empty()) return 0;
    const std::size_t changed = extend_in(plan.general, plan.bus, net, links, extension_s, buses_only, min_green_s);
    if (plan.has_night()) extend_in(plan.night_general, plan.night_bus, net, links, extension_s, buses_only, min_green_s);
    return changed;
}

}  // namespace modeshift
