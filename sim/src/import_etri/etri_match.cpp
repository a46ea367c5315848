// ETRI junctions to network nodes by position, their approaches to network links by heading.
#include "modeshift/import_etri/etri_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace modeshift::etri {
namespace {

constexpr double kDeg = 180 / std::numbers::pi;

bool is_road_approach(const Network& net, LinkId l) {
    const RoadClass rc = net.data().links.road_class[l.index()];
    return allows(net.modes(l), Mode::Car) && rc != RoadClass::Connector && rc != RoadClass::Rail &&
           rc != RoadClass::Tram && rc != RoadClass::Path;
}

double heading_diff_deg(double a, double b) {
    double d = std::fmod(std::abs(a - b), 2 * std::numbers::pi);
    return std::min(d, 2 * std::numbers::pi - d) * kDeg;
}

struct Candidate {
    std::size_t signal;
    NodeId node;
    double dist_m;
};

/// Numeric crossNo order where the numbers allow it (the police numbering), else text order.
bool cross_no_less(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

}  // namespace

std::vector<RealApproachTiming> match_signals(const EtriData& d, const Network& net,
                                              const MatchOptions& opt, MatchReport* report) {
    MatchReport rep;
    rep.signals = d.signals.size();
    // Road nodes: through nodes that a car road enters.
    std::vector<NodeId> road_nodes;
    for (std::size_t n = 0; n < net.node_count(); ++n) {
        const NodeId node = NodeId::from_index(n);
        if (!net.is_through_node(node)) continue;
        const auto in = net.in_links(node);
        if (std::any_of(in.begin(), in.end(), [&](LinkId l) { return is_road_approach(net, l); }))
            road_nodes.push_back(node);
    }
    // Each junction's nearest road node; nodes go to the nearest junction first (one to one).
    std::vector<Candidate> cands;
    for (std::size_t i = 0; i < d.signals.size(); ++i) {
        const LatLon at = d.nodes.at(d.signals[i].node_id);
        Candidate c{i, NodeId{}, 1e18};
        for (NodeId n : road_nodes) {
            const double m = haversine_m(at, net.node_latlon(n));
            if (m < c.dist_m) c = {i, n, m};
        }
        cands.push_back(c);
    }
    std::vector<std::size_t> by_distance(cands.size());
    for (std::size_t i = 0; i < by_distance.size(); ++i) by_distance[i] = i;
    std::stable_sort(by_distance.begin(), by_distance.end(), [&](std::size_t a, std::size_t b) {
        return cands[a].dist_m < cands[b].dist_m;
    });
    std::map<std::uint32_t, std::size_t> taken;  // node -> signal
    std::vector<std::string> why(cands.size());
    for (std::size_t i : by_distance) {
        const Candidate& c = cands[i];
        if (!c.node.valid()) {
            why[i] = "the network has no road node";
        } else if (c.dist_m > opt.max_node_m) {
            why[i] = fmt::format("no road node of the network within {:.0f} m (nearest {:.0f} m)",
                                 opt.max_node_m, c.dist_m);
        } else if (taken.count(c.node.value())) {
            const Signal& o = d.signals[taken[c.node.value()]];
            why[i] = fmt::format("its nearest road node ({:.0f} m) is nearer to {} {}", c.dist_m,
                                 o.cross_no, o.cross_name);
        } else {
            taken[c.node.value()] = i;
        }
    }
    std::vector<std::size_t> order(d.signals.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return cross_no_less(d.signals[a].cross_no, d.signals[b].cross_no);
    });
    std::vector<RealApproachTiming> rows;
    for (std::size_t i : order) {
        const Signal& s = d.signals[i];
        const Candidate& c = cands[i];
        RealApproachTiming base;
        base.cross_no = s.cross_no;
        base.cross_name = s.cross_name;
        base.source_node = s.node_id;
        base.match_m = c.node.valid() ? c.dist_m : -1;
        if (!why[i].empty()) {
            base.note = why[i];
            rep.lines.push_back(
                fmt::format("not matched: {} {}: {}", s.cross_no, s.cross_name, why[i]));
            rows.push_back(std::move(base));
            continue;
        }
        const LatLon node = net.node_latlon(c.node);
        base.node_lat = node.lat;
        base.node_lon = node.lon;
        const std::vector<Approach> apps = approaches(d, s, opt.heading_reach_m);
        if (apps.empty()) {
            base.note = fmt::format(
                "connection.xml has no connection controlled by this signal (node {} at {:.0f} m "
                "not used)",
                c.node.value(), c.dist_m);
            rep.lines.push_back(
                fmt::format("not matched: {} {}: {}", s.cross_no, s.cross_name, base.note));
            rows.push_back(std::move(base));
            continue;
        }
        // Pairs (network link, plan approach) by heading difference, taken smallest first.
        struct Pair {
            LinkId link;
            std::size_t app;
            double diff;
        };
        std::vector<Pair> pairs;
        std::vector<LinkId> links;
        for (LinkId l : net.in_links(c.node)) {
            if (!is_road_approach(net, l)) continue;
            links.push_back(l);
            const double h = net.end_heading(l, true, opt.heading_reach_m);
            for (std::size_t k = 0; k < apps.size(); ++k)
                pairs.push_back({l, k, heading_diff_deg(h, apps[k].arrival_heading)});
        }
        std::stable_sort(pairs.begin(), pairs.end(),
                         [](const Pair& a, const Pair& b) { return a.diff < b.diff; });
        std::map<std::uint32_t, const Pair*> link_pair;
        std::vector<std::uint8_t> app_used(apps.size(), 0);
        for (const Pair& p : pairs) {
            if (p.diff > opt.max_heading_deg || link_pair.count(p.link.value()) || app_used[p.app])
                continue;
            link_pair[p.link.value()] = &p;
            app_used[p.app] = 1;
        }
        std::size_t matched_here = 0;
        for (LinkId l : links) {
            const std::string& ext = net.data().links.external_id[l.index()];
            const auto it = link_pair.find(l.value());
            std::string note;
            if (ext.empty())
                note = fmt::format("network link {} has no external id", l.value());
            else if (it == link_pair.end())
                note = fmt::format("network link {} has no approach of the plan within {:.0f} deg",
                                   ext, opt.max_heading_deg);
            std::vector<ApproachTiming> ts;
            if (note.empty()) {
                ts = timings(s, apps[it->second->app]);
                if (std::any_of(ts.begin(), ts.end(),
                                [](const ApproachTiming& t) { return t.green_s <= 0; }))
                    note = fmt::format(
                        "network link {}: the plan's {} movement of edge {} is never "
                        "green in some period",
                        ext, apps[it->second->app].movement, apps[it->second->app].edge);
            }
            if (!note.empty()) {
                ++rep.approaches_unmatched;
                RealApproachTiming r = base;
                r.note = note;
                rows.push_back(std::move(r));
                continue;
            }
            ++matched_here;
            for (const ApproachTiming& t : ts) {
                RealApproachTiming r = base;
                static_cast<ApproachTiming&>(r) = t;  // the period's timing as computed
                r.link = ext;
                r.link_class = std::string(road_class_name(net.data().links.road_class[l.index()]));
                r.source_edge = apps[it->second->app].edge;
                r.heading_diff_deg = it->second->diff;
                r.movement = apps[it->second->app].movement;
                rows.push_back(std::move(r));
            }
        }
        if (matched_here == 0) {
            rep.lines.push_back(
                fmt::format("not matched: {} {}: no approach of node {} ({:.0f} m) "
                            "matches one of the plan's",
                            s.cross_no, s.cross_name, c.node.value(), c.dist_m));
            continue;
        }
        ++rep.junctions;
        rep.approaches += matched_here;
    }
    rep.lines.insert(
        rep.lines.begin(),
        fmt::format("matched {} of {} junctions ({} approaches; {} approaches of matched "
                    "junctions without a plan approach)",
                    rep.junctions, rep.signals, rep.approaches, rep.approaches_unmatched));
    if (report) *report = std::move(rep);
    return rows;
}

std::vector<std::string> matched_file_preamble(const MatchReport& report, const MatchOptions& opt,
                                               const std::string& network_name) {
    return {
        fmt::format("Real signal plans (ETRI tss.xml, Apache-2.0 (c) ETRI) matched to the "
                    "network '{}' by `modeshift import etri-signals` (docs/importers.md).",
                    network_name),
        fmt::format("Junction to the nearest road node within {:.0f} m; approach to the plan's "
                    "incoming edge within {:.0f} deg of arrival heading. {}.",
                    opt.max_node_m, opt.max_heading_deg, report.lines.front()),
        "One row per matched approach and period of the day (start_s: seconds after midnight, "
        "0 = default plan); green = the through (or a stem's left) movement's G/g phases, "
        "begin from midnight with the offset; rows with an empty link say in 'note' why not.",
    };
}

}  // namespace modeshift::etri
