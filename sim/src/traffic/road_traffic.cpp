#include "modeshift/traffic/road_traffic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
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
    c.only_keys({"source", "base_mph", "limit_coef", "cross_section_mph", "access_points_per_mile",
                 "length_coef", "max_posted_kmh"});
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
        const RoadClass rc =
            road_class_from(JsonCursor(Json(key), cyc.file(), cyc.path() + "." + key));
        out.emplace_back(rc, sourced_number(cyc, key, 30, 300));
    }
    return out;
}

/// {"source": ..., "plans": [{"name": "night", "windows_h": {"value": [[23, 7]], "source": ...},
/// "cycle_s": {...}}, ...]}: windows of different plans must not overlap.
std::vector<TimeOfDayParams> load_time_of_day(const JsonCursor& c,
                                              const std::vector<RoadClass>& major_classes) {
    c.only_keys({"source", "plans"});
    if (!c.has("source") || c.string("source").empty())
        c.fail("every value needs a non-empty \"source\" (where the value comes from)");
    const JsonCursor plans = c.at("plans");
    std::vector<TimeOfDayParams> out;
    std::vector<std::uint8_t> hour_taken(24 * 60, 0);  // by minute of the day
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const JsonCursor pc = plans.at(i);
        pc.only_keys({"name", "source", "windows_h", "cycle_s"});
        TimeOfDayParams t;
        t.name = pc.string("name");
        if (t.name.empty() || t.name.find_first_of(",\" ") != std::string::npos)
            pc.at("name").fail(
                "a plan needs a name without spaces, commas or quotes (it names signals.csv "
                "columns)");
        for (const auto& other : out)
            if (other.name == t.name)
                pc.at("name").fail(fmt::format("plan '{}' is given twice", t.name));
        const JsonCursor wc = pc.at("windows_h");
        if (!wc.has("source") || wc.string("source").empty())
            wc.fail("every value needs a non-empty \"source\" (where the value comes from)");
        const JsonCursor wv = wc.at("value");
        for (std::size_t k = 0; k < wv.size(); ++k) {
            const JsonCursor w = wv.at(k);
            if (w.size() != 2) w.fail("a window is [begin_h, end_h]");
            const double b = w.at(0).number(), e = w.at(1).number();
            if (!(b >= 0 && b < 24) || !(e >= 0 && e < 24) || b == e)
                w.fail(
                    "a window is [begin_h, end_h] with two different hours of the day in [0, 24)");
            for (int m = 0; m < 24 * 60; ++m) {
                const double h = m / 60.0;
                if (!(b < e ? h >= b && h < e : h >= b || h < e)) continue;
                if (hour_taken[static_cast<std::size_t>(m)])
                    w.fail("the window overlaps another time-of-day plan's");
                hour_taken[static_cast<std::size_t>(m)] = 1;
            }
            t.windows_h.emplace_back(b, e);
        }
        if (t.windows_h.empty()) wv.fail("a plan needs at least one window");
        const JsonCursor cyc = pc.at("cycle_s");
        t.cycle_s = load_cycles(cyc);
        for (RoadClass rc : major_classes)
            if (std::none_of(t.cycle_s.begin(), t.cycle_s.end(),
                             [&](const auto& e) { return e.first == rc; }))
                cyc.fail(
                    fmt::format("no cycle length for major road class '{}'", road_class_name(rc)));
        out.push_back(std::move(t));
    }
    return out;
}

SignalParams load_signals(const JsonCursor& c) {
    c.only_keys({"source", "min_neighbours", "major_road_classes", "cycle_s",
                 "lost_time_per_phase_s", "phases_per_axis", "left_phase_share", "min_green_s",
                 "cycle_spread", "offset_seed", "time_of_day_plans", "real_plans"});
    SignalParams s;
    s.enabled = true;
    s.min_neighbours = static_cast<int>(sourced_number(c, "min_neighbours", 2, 16));
    const JsonCursor mc = c.at("major_road_classes");
    if (!mc.has("source") || mc.string("source").empty())
        mc.fail("every value needs a non-empty \"source\" (where the value comes from)");
    const JsonCursor classes = mc.at("value");
    for (std::size_t i = 0; i < classes.size(); ++i)
        s.major_classes.push_back(road_class_from(classes.at(i)));
    const JsonCursor cyc = c.at("cycle_s");
    s.cycle_s = load_cycles(cyc);
    s.lost_time_per_phase_s = sourced_number(c, "lost_time_per_phase_s", 0, 20);
    s.phases_per_axis = static_cast<int>(sourced_number(c, "phases_per_axis", 1, 4));
    s.left_phase_share = sourced_number(c, "left_phase_share", 0, 0.9);
    s.min_green_s = sourced_number(c, "min_green_s", 1, 120);
    if (c.has("cycle_spread")) s.cycle_spread = sourced_number(c, "cycle_spread", 0, 0.1);
    if (c.has("offset_seed"))
        s.offset_seed =
            static_cast<std::uint64_t>(sourced_number(c, "offset_seed", 0, 4294967295.0));
    for (RoadClass rc : s.major_classes)
        if (std::none_of(s.cycle_s.begin(), s.cycle_s.end(),
                         [&](const auto& e) { return e.first == rc; }))
            cyc.fail(fmt::format("no cycle length for major road class '{}'", road_class_name(rc)));
    if (c.has("time_of_day_plans"))
        s.time_of_day = load_time_of_day(c.at("time_of_day_plans"), s.major_classes);
    if (c.has("real_plans")) {
        // {"file": "relative/to/this/file.csv", "source": "..."}
        const JsonCursor rc = c.at("real_plans");
        rc.only_keys({"file", "source"});
        if (!rc.has("source") || rc.string("source").empty())
            rc.fail("every value needs a non-empty \"source\" (where the value comes from)");
        const std::string name = rc.string("file");
        if (name.empty()) rc.at("file").fail("names the matched-plans file");
        const std::filesystem::path f =
            std::filesystem::path(c.file()).parent_path() / std::filesystem::path(name);
        s.real_plans_file = f.string();
        try {
            s.real_plans = read_real_signals(f);
        } catch (const InputError& e) {
            throw e.named_by(c.file(), rc.path() + ".file");
        }
    }
    return s;
}

/// Heading (radians, 0 = east) of a link where it arrives at its downstream node.
double arrival_heading(const Network& net, LinkId l) {
    return net.end_heading(l, true);
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
    return allows(net.modes(l), Mode::Car) && rc != RoadClass::Connector && rc != RoadClass::Rail &&
           rc != RoadClass::Tram && rc != RoadClass::Path;
}

}  // namespace

RoadTrafficParams load_road_traffic(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    const JsonCursor c(root, file.string());
    c.expect_object();
    c.only_keys({"description", "source", "running_speed", "signals", "queues"});
    RoadTrafficParams p;
    p.source_file = file.string();
    if (c.has("running_speed")) p.running = load_running(c.at("running_speed"));
    if (c.has("signals")) p.signals = load_signals(c.at("signals"));
    if (c.has("queues")) {
        const JsonCursor q = c.at("queues");
        q.only_keys({"source", "backward_wave_kmh"});
        p.backward_wave_kmh = sourced_number(q, "backward_wave_kmh", 1, 100);
    }
    return p;
}

std::size_t apply_running_speeds(NetworkData& d, const RunningSpeedParams& p) {
    if (!p.enabled) return 0;
    auto& L = d.links;
    std::size_t changed = 0;
    for (std::size_t i = 0; i < L.size(); ++i) {
        const RoadClass rc = L.road_class[i];
        const bool urban = rc == RoadClass::Primary || rc == RoadClass::Secondary ||
                           rc == RoadClass::Tertiary || rc == RoadClass::Residential;
        const double posted_kmh = L.freeflow_speed_mps[i] * 3.6;
        if (!urban || !allows(L.modes[i], Mode::Car) || posted_kmh > p.max_posted_kmh ||
            L.length_m[i] <= 0)
            continue;
        // HCM 2010 Eq. 17-1: base free-flow speed; Eq. 17-3/17-4: shorter segments run slower.
        const double lanes = std::max(1.0f, L.lanes[i]);
        const double s0 = p.base_mph + p.limit_coef * posted_kmh / 1.609344 + p.cross_section_mph -
                          0.078 * p.access_points_per_mile / lanes;
        const double len_ft = L.length_m[i] * kFtPerM;
        const double f_l =
            std::min(1.0, 1.02 - p.length_coef * (s0 - 19.5) / std::max(len_ft, 400.0));
        const double mps = std::max(1.0, s0 * f_l * kMphToMps);
        L.freeflow_speed_mps[i] = mps;
        L.freeflow_time_s[i] = L.length_m[i] / mps;
        ++changed;
    }
    return changed;
}

namespace {

/// A signalised junction: its road approaches, each on one of two axes (the axis of the
/// highest-capacity approach, 0, and the crossing one, 1), and the approach weights per axis.
struct Junction {
    NodeId node;
    RoadClass major = RoadClass::Other;  ///< the leading road's class (picks the cycle)
    std::vector<LinkId> approaches;
    std::vector<int> axis;
    double weight[2] = {0, 0};  ///< approach capacity per axis (the split rule)
    double cycle_factor = 1;    ///< 1 + cycle_spread * k (see separate_cycles)
};

/// The junctions the rule (or the network's node control) signalises.
std::vector<Junction> find_junctions(const Network& net, const SignalParams& p) {
    std::vector<Junction> out;
    const auto& control = net.data().nodes.control;
    for (std::size_t n = 0; n < net.node_count(); ++n) {
        const NodeId node = NodeId::from_index(n);
        if (!net.is_through_node(node) || control[n] == NodeControl::None) continue;
        Junction j;
        j.node = node;
        std::vector<std::uint32_t> neighbours;
        for (LinkId l : net.in_links(node))
            if (is_road_approach(net, l)) {
                j.approaches.push_back(l);
                neighbours.push_back(net.from(l).value());
                j.major = std::min(j.major, net.data().links.road_class[l.index()]);
            }
        for (LinkId l : net.out_links(node))
            if (is_road_approach(net, l)) neighbours.push_back(net.to(l).value());
        std::sort(neighbours.begin(), neighbours.end());
        neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
        if (j.approaches.empty()) continue;
        const bool by_rule = control[n] == NodeControl::Unknown;
        if (by_rule && (static_cast<int>(neighbours.size()) < p.min_neighbours ||
                        std::find(p.major_classes.begin(), p.major_classes.end(), j.major) ==
                            p.major_classes.end()))
            continue;
        const LinkId lead =
            *std::max_element(j.approaches.begin(), j.approaches.end(), [&](LinkId a, LinkId b) {
                return net.capacity_vph(a) < net.capacity_vph(b) ||
                       (net.capacity_vph(a) == net.capacity_vph(b) && b < a);
            });
        const double h0 = arrival_heading(net, lead);
        j.axis.resize(j.approaches.size());
        for (std::size_t i = 0; i < j.approaches.size(); ++i) {
            j.axis[i] = same_axis(arrival_heading(net, j.approaches[i]), h0) ? 0 : 1;
            j.weight[j.axis[i]] += std::max(1.0, net.capacity_vph(j.approaches[i]));
        }
        if (j.weight[1] == 0 && by_rule)
            continue;  // all approaches on one axis: a merge, not a crossing
        out.push_back(std::move(j));
    }
    return out;
}

/// The signalised junction reached by the road that leaves on `first`, through mid-block nodes
/// (one way on, no signal); an invalid id if the road ends elsewhere first.
NodeId next_junction(const Network& net, const std::vector<std::uint8_t>& signalised,
                     LinkId first) {
    LinkId l = first;
    for (int hops = 0; hops < 32; ++hops) {
        const NodeId n = net.to(l);
        if (signalised[n.index()]) return n;
        LinkId next{};
        int onward = 0;
        for (LinkId o : net.out_links(n))
            if (is_road_approach(net, o) && net.to(o) != net.from(l)) {
                next = o;
                ++onward;
            }
        if (onward != 1) return {};
        l = next;
    }
    return {};
}

/// Offsets are not known, and with one cycle everywhere a hashed offset would lock every road
/// between two junctions into one arbitrary phase relation: a platoon that always meets red, or
/// always green (single corridor segments moved by up to 20 km/h with the offset seed,
/// docs/validation.md).
/// Neighbouring junctions therefore run cycles that differ by at least `spread` (1 + spread * k,
/// k = 0, +1, -1, +2, ... the first a neighbour along the road does not have), so that over an
/// hour a platoon meets every phase of the next junction: the mean delay of uncoordinated signals.
void separate_cycles(const Network& net, std::vector<Junction>& junctions, double spread) {
    if (spread <= 0) return;
    std::vector<std::uint8_t> signalised(net.node_count(), 0);
    std::vector<std::int32_t> index(net.node_count(), -1);
    for (std::size_t i = 0; i < junctions.size(); ++i) {
        signalised[junctions[i].node.index()] = 1;
        index[junctions[i].node.index()] = static_cast<std::int32_t>(i);
    }
    std::vector<std::vector<std::uint32_t>> neighbours(junctions.size());
    for (std::size_t i = 0; i < junctions.size(); ++i)
        for (LinkId first : net.out_links(junctions[i].node)) {
            if (!is_road_approach(net, first)) continue;
            const NodeId b = next_junction(net, signalised, first);
            if (!b.valid() || b == junctions[i].node) continue;
            const auto jb = static_cast<std::uint32_t>(index[b.index()]);
            neighbours[i].push_back(jb);
            neighbours[jb].push_back(static_cast<std::uint32_t>(i));
        }
    std::vector<int> step(junctions.size(), 0);
    for (std::size_t i = 0; i < junctions.size(); ++i) {
        for (int c = 0;; ++c) {
            const int k = (c + 1) / 2 * (c % 2 ? 1 : -1);  // 0, +1, -1, +2, -2, ...
            // Only neighbours already given a step (lower index) can clash.
            if (std::none_of(neighbours[i].begin(), neighbours[i].end(),
                             [&](std::uint32_t b) { return b < i && step[b] == k; })) {
                step[i] = k;
                break;
            }
        }
        junctions[i].cycle_factor = 1 + spread * step[i];
    }
}

/// Timings of every approach with the cycles of `cycles` (the split rule of `p`).
std::vector<ApproachSignal> time_junctions(const Network& net, const SignalParams& p,
                                           const std::vector<Junction>& junctions,
                                           const std::vector<std::pair<RoadClass, double>>& cycles,
                                           SignalPlanStats& st) {
    std::vector<ApproachSignal> general(net.link_count(), ApproachSignal{});
    double sum_cycle = 0, sum_gc = 0;
    const double through_part = p.phases_per_axis > 1 ? 1 - p.left_phase_share : 1.0;
    for (const Junction& j : junctions) {
        double cycle = std::round(cycle_for(cycles, j.major) * j.cycle_factor);
        if (cycle <= 0) continue;  // no cycle lengths in the rules: nothing to time the signal with
        const int axes = j.weight[1] > 0 ? 2 : 1;
        // One axis only (e.g. a signalised crossing on a straight road): the other phase is
        // the pedestrians' minimum green.
        const double lost = p.lost_time_per_phase_s * p.phases_per_axis * axes;
        const double avail =
            std::max(2 * p.min_green_s, cycle - lost - (axes == 1 ? p.min_green_s : 0));
        const double share[2] = {j.weight[0] / (j.weight[0] + j.weight[1]),
                                 j.weight[1] / (j.weight[0] + j.weight[1])};
        // Each axis gets its share, but never less than its minimum through green (the other axis
        // gives the time up, so the two axes' greens never overlap).
        const double need = p.min_green_s / through_part;
        double axis_time[2] = {avail * share[0], avail * share[1]};
        if (axes == 2)
            for (int k = 0; k < 2; ++k)
                if (axis_time[k] < need) {
                    axis_time[k] = std::min(need, avail / 2);
                    axis_time[1 - k] = avail - axis_time[k];
                }
        double through[2];
        for (int k = 0; k < 2; ++k) through[k] = std::max(1.0, axis_time[k] * through_part);
        const auto cycle_ms = static_cast<std::int32_t>(std::lround(cycle * 1000));
        // Deterministic offset from the node's index (no coordination is modelled).
        const auto n = j.node.value();
        const auto offset_ms =
            static_cast<std::int32_t>(mix64(p.offset_seed ^ n) %
                                      static_cast<std::uint64_t>(cycle_ms / 1000)) *
            1000;
        const std::int32_t begin[2] = {
            offset_ms,
            static_cast<std::int32_t>(
                (offset_ms + std::lround((axis_time[0] + lost / axes) * 1000)) % cycle_ms)};
        for (std::size_t i = 0; i < j.approaches.size(); ++i) {
            const int k = j.axis[i];
            const auto g =
                static_cast<std::int32_t>(std::min<long>(cycle_ms, std::lround(through[k] * 1000)));
            general[j.approaches[i].index()] = ApproachSignal{cycle_ms, begin[k] % cycle_ms, g};
            sum_gc += static_cast<double>(g) / cycle_ms;
            ++st.signalised_approaches;
        }
        ++st.signalised_nodes;
        sum_cycle += cycle;
    }
    if (st.signalised_nodes) st.mean_cycle_s = sum_cycle / static_cast<double>(st.signalised_nodes);
    if (st.signalised_approaches)
        st.mean_green_ratio = sum_gc / static_cast<double>(st.signalised_approaches);
    return general;
}

/// Counts of a finished plan: junctions (by node), approaches, mean cycle per junction, mean g/C.
void count_plan(const Network& net, const std::vector<ApproachSignal>& timings, std::size_t& nodes,
                std::size_t& approaches, double& mean_cycle_s, double* mean_gc) {
    std::vector<std::uint8_t> seen(net.node_count(), 0);
    double sum_cycle = 0, sum_gc = 0;
    nodes = approaches = 0;
    for (std::size_t l = 0; l < timings.size(); ++l) {
        const ApproachSignal& a = timings[l];
        if (a.cycle_ms <= 0) continue;
        ++approaches;
        sum_gc += static_cast<double>(a.green_ms) / a.cycle_ms;
        const NodeId n = net.to(LinkId::from_index(l));
        if (seen[n.index()]) continue;
        seen[n.index()] = 1;
        ++nodes;
        sum_cycle += a.cycle_ms / 1000.0;
    }
    mean_cycle_s = nodes ? sum_cycle / static_cast<double>(nodes) : 0;
    if (mean_gc) *mean_gc = approaches ? sum_gc / static_cast<double>(approaches) : 0;
}

}  // namespace

SignalPlan build_signal_plan(const Network& net, const SignalParams& p, SignalPlanStats* stats) {
    SignalPlan plan;
    SignalPlanStats st;
    if (p.enabled) {
        std::vector<Junction> junctions = find_junctions(net, p);
        separate_cycles(net, junctions, p.cycle_spread);
        plan.general = time_junctions(net, p, junctions, p.cycle_s, st);
        for (const TimeOfDayParams& t : p.time_of_day) {
            TimeOfDayPlan tod;
            tod.name = t.name;
            SignalPlanStats tod_stats;
            tod.general = time_junctions(net, p, junctions, t.cycle_s, tod_stats);
            for (const auto& [b, e] : t.windows_h)
                tod.windows.emplace_back(static_cast<TimeMs>(std::lround(b * kMsPerHour)),
                                         static_cast<TimeMs>(std::lround(e * kMsPerHour)));
            st.time_of_day_mean_cycle_s.emplace_back(t.name, tod_stats.mean_cycle_s);
            plan.time_of_day.push_back(std::move(tod));
        }
        st.real = apply_real_plans(plan, net, p.real_plans);
        if (st.real.approaches > 0) {  // the real plans changed the counts and the plans
            count_plan(net, plan.general, st.signalised_nodes, st.signalised_approaches,
                       st.mean_cycle_s, &st.mean_green_ratio);
            st.time_of_day_mean_cycle_s.clear();
            for (const TimeOfDayPlan& t : plan.time_of_day) {
                std::size_t nodes = 0, approaches = 0;
                double cycle = 0;
                count_plan(net, t.general, nodes, approaches, cycle, nullptr);
                st.time_of_day_mean_cycle_s.emplace_back(t.name, cycle);
            }
        }
    }
    if (stats) *stats = st;
    return plan;
}

namespace {

std::size_t extend_in(std::vector<ApproachSignal>& general_plan,
                      std::vector<ApproachSignal>& bus_plan, const Network& net,
                      const std::vector<std::uint32_t>& links, double extension_s, bool buses_only,
                      double min_green_s) {
    const auto ext = static_cast<std::int32_t>(std::lround(extension_s * 1000));
    const auto min_g = static_cast<std::int32_t>(std::lround(min_green_s * 1000));
    if (buses_only && bus_plan.empty()) bus_plan = general_plan;
    std::size_t changed = 0;
    std::vector<std::uint8_t> node_done(net.node_count(),
                                        0);  // both directions of a road: cut once
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

std::size_t extend_green(SignalPlan& plan, const Network& net,
                         const std::vector<std::uint32_t>& links, double extension_s,
                         bool buses_only, double min_green_s) {
    if (plan.empty()) return 0;
    const std::size_t changed =
        extend_in(plan.general, plan.bus, net, links, extension_s, buses_only, min_green_s);
    for (TimeOfDayPlan& t : plan.time_of_day)
        extend_in(t.general, t.bus, net, links, extension_s, buses_only, min_green_s);
    return changed;
}

void write_signal_plan_csv(const std::filesystem::path& path, const SignalPlan& plan,
                           const Network& net, const SignalPlanStats* stats) {
    // green2: a second green window in the cycle (real plans with lead and lag stages; 0 = none).
    std::string out = "link,node,road_name,cycle_s,green_begin_s,green_s,green2_begin_s,green2_s";
    for (const TimeOfDayPlan& t : plan.time_of_day)
        out += fmt::format(
            ",{0}_cycle_s,{0}_green_begin_s,{0}_green_s,{0}_green2_begin_s,{0}_green2_s", t.name);
    out += ",plan\n";
    const auto s = [](std::int32_t ms) { return fmt::format("{:.1f}", ms / 1000.0); };
    const auto timing = [&](const ApproachSignal& a) {
        return fmt::format("{},{},{},{},{}", s(a.cycle_ms), s(a.green_begin_ms), s(a.green_ms),
                           s(a.green2_begin_ms), s(a.green2_ms));
    };
    for (std::size_t l = 0; l < plan.general.size(); ++l) {
        if (plan.general[l].cycle_ms == 0) continue;
        const LinkId id = LinkId::from_index(l);
        std::string name = net.link_name(id);
        if (name.find_first_of(",\"\n") !=
            std::string::npos) {  // RFC 4180: quoted, inner quotes doubled
            std::string q;
            for (char ch : name) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            name = fmt::format("\"{}\"", q);
        }
        out += fmt::format("{},{},{},{}", l, net.to(id).value(), name, timing(plan.general[l]));
        for (const TimeOfDayPlan& t : plan.time_of_day)
            out += fmt::format(",{}", timing(t.general[l]));
        const bool real = stats && l < stats->real.cross_no_of_link.size() &&
                          !stats->real.cross_no_of_link[l].empty();
        out += real ? fmt::format(",real {}\n", stats->real.cross_no_of_link[l]) : ",rule\n";
    }
    write_text_atomic(path, out);
}

}  // namespace modeshift
