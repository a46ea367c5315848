// ETRI plans per approach: which lights are an incoming edge's through (or left) movement, and
// when they are green in each period of the day.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numbers>

#include "modeshift/core/geo.hpp"
#include "modeshift/import_etri/etri.hpp"

namespace modeshift::etri {
namespace {

constexpr double kPi = std::numbers::pi;

/// Angle b - a in (-pi, pi]: positive = a turn to the left (counter-clockwise).
double turn(double a, double b) {
    double d = std::fmod(b - a, 2 * kPi);
    if (d <= -kPi) d += 2 * kPi;
    if (d > kPi) d -= 2 * kPi;
    return d;
}

bool shows_green(char c) {
    return c == 'G' || c == 'g';
}

}  // namespace

double polyline_heading(const std::vector<LatLon>& pts, bool arriving, double reach_m) {
    // Projected around the end the heading is taken at.
    const LocalProjection proj(arriving ? pts.back() : pts.front());
    return polyline_end_heading(pts, proj, arriving, reach_m);
}

std::vector<Approach> approaches(const EtriData& d, const Signal& s, double reach_m) {
    // Incoming edge -> (outgoing edge -> its lights), in the order of the first light.
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, std::vector<std::size_t>>> by_from;
    for (const Connection& c : d.connections) {
        if (c.tl != s.node_id) continue;
        if (!by_from.count(c.from)) order.push_back(c.from);
        by_from[c.from][c.to].push_back(c.link_index);
    }
    std::vector<Approach> out;
    for (const std::string& from : order) {
        Approach a;
        a.edge = from;
        a.arrival_heading = polyline_heading(d.edges.at(from).shape, true, reach_m);
        const double turn_from = polyline_heading(d.edges.at(from).shape, true);
        // Through: the outgoing edge closest to straight on, within 45 degrees; else the left
        // turn closest to a right angle (a T-junction's stem); else the right turn.
        const std::vector<std::size_t>* best = nullptr;
        double best_score = 1e9;
        int best_kind = 3;  // 0 through, 1 left, 2 right
        for (const auto& [to, lights] : by_from[from]) {
            const double t = turn(turn_from, polyline_heading(d.edges.at(to).shape, false));
            const double deg = std::abs(t) * 180 / kPi;
            if (deg > 150) continue;  // a U-turn
            const int kind = deg <= 45 ? 0 : t > 0 ? 1 : 2;
            const double score = kind == 0 ? deg : std::abs(deg - 90);
            if (kind < best_kind || (kind == best_kind && score < best_score)) {
                best = &lights;
                best_kind = kind;
                best_score = score;
            }
        }
        if (best == nullptr) continue;  // only U-turns: no movement the network has
        a.movement = best_kind == 0 ? "through" : best_kind == 1 ? "left" : "right";
        a.link_indices = *best;
        std::sort(a.link_indices.begin(), a.link_indices.end());
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<ApproachTiming> timings(const Signal& s, const Approach& a) {
    std::vector<ApproachTiming> out;
    for (const Period& per : s.periods) {
        const Schedule& sch = s.schedule(per.schedule);
        const std::size_t n = sch.phases.size();
        std::vector<std::uint8_t> go(n, 0);
        int stages = 0;
        bool in_stage = false;
        for (std::size_t p = 0; p < n; ++p) {
            const std::string& st = sch.phases[p].state;
            for (std::size_t i : a.link_indices)
                if (i < st.size() && shows_green(st[i])) go[p] = 1;
            // A stage: a run of phases with a protected (G) movement and no yellow.
            const bool stage =
                st.find('G') != std::string::npos && st.find_first_of("yY") == std::string::npos;
            if (stage && !in_stage) ++stages;
            in_stage = stage;
        }
        if (in_stage && n > 1) {  // a stage running over the end of the cycle into its start
            const std::string& st0 = sch.phases[0].state;
            if (st0.find('G') != std::string::npos && st0.find_first_of("yY") == std::string::npos)
                --stages;
        }
        const double cycle = sch.cycle_s();
        ApproachTiming t;
        t.start_s = per.start_s;
        t.schedule = per.schedule;
        t.cycle_s = cycle;
        t.stages = std::max(stages, 1);
        if (std::all_of(go.begin(), go.end(), [](std::uint8_t g) { return g == 1; })) {
            t.green_s = cycle;  // never red
        } else {
            // The two longest cyclic runs of green phases: runs start right after a red phase.
            double best_len = 0, best_begin = 0, second_len = 0, second_begin = 0, at = 0;
            for (std::size_t p = 0; p < n; at += sch.phases[p].duration_s, ++p) {
                if (!go[p] || go[(p + n - 1) % n]) continue;
                double len = 0;
                for (std::size_t q = p; go[q % n]; ++q) len += sch.phases[q % n].duration_s;
                if (len > best_len) {
                    second_len = best_len, second_begin = best_begin;
                    best_len = len, best_begin = at;
                } else if (len > second_len) {
                    second_len = len, second_begin = at;
                }
            }
            t.green_s = best_len;
            // The controller's cycle starts at the offset: phase 0 begins at offset mod cycle.
            t.green_begin_s = std::fmod(best_begin + per.offset_s, cycle);
            if (second_len > 0) {
                t.green2_s = second_len;
                t.green2_begin_s = std::fmod(second_begin + per.offset_s, cycle);
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace modeshift::etri
