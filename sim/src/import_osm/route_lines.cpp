// Route relations -> transit lines: the member ways are chained into paths (reordered where the
// relation lists them out of order, split at gaps) and the stop members are snapped onto them.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "internal.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift::osm {
namespace {

std::optional<double> parse_interval_s(const std::string& v) {
    if (v.empty()) return std::nullopt;
    // "10" (minutes), "00:10", "00:10:00" (OSM PTv2 interval).
    std::vector<double> parts;
    std::size_t start = 0;
    while (start <= v.size()) {
        const auto end = std::min(v.find(':', start), v.size());
        const auto n = parse_double(v.substr(start, end - start));
        if (!n || *n < 0) return std::nullopt;
        parts.push_back(*n);
        start = end + 1;
    }
    double s = 0;
    if (parts.size() == 1)
        s = parts[0] * 60;
    else if (parts.size() == 2)
        s = parts[0] * 3600 + parts[1] * 60;
    else if (parts.size() == 3)
        s = parts[0] * 3600 + parts[1] * 60 + parts[2];
    else
        return std::nullopt;
    return s > 0 ? std::optional<double>(s) : std::nullopt;
}

std::ptrdiff_t index_of(const std::vector<NodeId>& v, NodeId n) {
    auto it = std::find(v.begin(), v.end(), n);
    return it == v.end() ? -1 : it - v.begin();
}

}  // namespace

auto OsmImporter::chains_of(std::int64_t way_id) const -> std::vector<Chain> {
    std::vector<Chain> out;
    auto it = pieces_of_way_.find(way_id);
    if (it == pieces_of_way_.end()) return out;
    for (const auto& p : it->second) {
        if (p.starts_chain || out.empty()) out.push_back(Chain{{p.a}, {}, {}});
        out.back().nodes.push_back(p.b);
        out.back().fwd.push_back(p.fwd);
        out.back().bwd.push_back(p.bwd);
    }
    return out;
}

auto OsmImporter::route_segments(const RouteRel& r, ModeMask need) -> std::vector<Segment> {
    std::vector<Chain> chains;
    for (const auto& m : r.members)
        if (m.type == 'w' && !is_stop_role(m.role))
            for (auto& c : chains_of(m.ref)) chains.push_back(std::move(c));
    std::vector<Segment> segs;
    Segment cur;
    NodeId at;
    auto close = [&] {
        if (!cur.links.empty()) segs.push_back(std::move(cur));
        cur = Segment{};
        at = NodeId{};
    };
    // Members are meant to be listed in travel order, but older relations often are not:
    // when the next listed way does not continue the path, take the first unused way that does.
    std::vector<std::uint8_t> used(chains.size(), 0);
    auto next_unused = [&](std::size_t from) {
        while (from < chains.size() && used[from]) ++from;
        return from;
    };
    for (std::size_t c = next_unused(0); c < chains.size(); c = next_unused(0)) {
        if (at.valid() && index_of(chains[c].nodes, at) < 0) {
            for (std::size_t q = c + 1; q < chains.size(); ++q)
                if (!used[q] && index_of(chains[q].nodes, at) >= 0) {
                    c = q;
                    ++report_.warnings["route member ways out of order: reordered"];
                    break;
                }
        }
        used[c] = 1;
        const auto& ch = chains[c];
        const auto k = static_cast<std::ptrdiff_t>(ch.nodes.size()) - 1;
        const std::size_t nx = next_unused(0);
        const Chain* next = nx < chains.size() ? &chains[nx] : nullptr;
        std::ptrdiff_t i = at.valid() ? index_of(ch.nodes, at) : -1;
        if (at.valid() && i < 0) {
            ++report_.line_gaps;
            close();
        }
        std::ptrdiff_t j = -1;
        if (next) {
            // Exit where the next member way connects, preferring the way's ends.
            for (std::ptrdiff_t cand : {k, std::ptrdiff_t{0}})
                if (j < 0 && cand != i &&
                    index_of(next->nodes, ch.nodes[static_cast<std::size_t>(cand)]) >= 0)
                    j = cand;
            for (std::ptrdiff_t q = 1; j < 0 && q < k; ++q)
                if (q != i && index_of(next->nodes, ch.nodes[static_cast<std::size_t>(q)]) >= 0)
                    j = q;
        }
        if (i < 0) {
            if (j < 0) j = k;
            i = (j == 0) ? k : (j == k ? 0 : 0);
        } else if (j < 0) {
            j = (i == k) ? 0 : k;
        }
        if (i == j) continue;
        // Walk i -> j, checking each link allows the line's mode.
        bool ok = true;
        std::vector<LinkId> walk;
        if (j > i) {
            for (auto q = i; q < j; ++q) walk.push_back(ch.fwd[static_cast<std::size_t>(q)]);
        } else {
            for (auto q = i; q > j; --q) walk.push_back(ch.bwd[static_cast<std::size_t>(q - 1)]);
        }
        for (auto l : walk)
            ok = ok && l.valid() && (builder_.data().links.modes[l.index()] & need) != 0;
        if (!ok) {
            ++report_
                  .warnings["route runs against a oneway or over a link closed to its mode: gap"];
            ++report_.line_gaps;
            close();
            continue;
        }
        if (cur.nodes.empty()) cur.nodes.push_back(ch.nodes[static_cast<std::size_t>(i)]);
        for (auto l : walk) {
            cur.links.push_back(l);
            cur.nodes.push_back(builder_.data().links.to[l.index()]);
        }
        at = ch.nodes[static_cast<std::size_t>(j)];
    }
    close();
    return segs;
}

auto OsmImporter::route_stops(const RouteRel& r) const -> std::vector<StopRef> {
    std::vector<StopRef> stops, platforms;
    for (const auto& m : r.members) {
        if (m.type == 'n' ? !node_is_stop(m.role) : !is_stop_role(m.role)) continue;
        std::int64_t nid = m.ref;
        if (m.type == 'w') {
            auto it = platform_way_node_.find(m.ref);
            if (it == platform_way_node_.end()) continue;
            nid = it->second;
        } else if (m.type != 'n') {
            continue;
        }
        const auto i = nodes_.find(nid);
        if (!usable(i)) continue;
        (m.role.find("platform") == std::string::npos ? stops : platforms).push_back({i});
    }
    // PTv2 lists both the stop position and the platform of each stop: prefer stop positions.
    return stops.empty() ? platforms : stops;
}

StopId OsmImporter::stop_for(std::size_t ni, NodeId node, Mode mode) {
    const auto key = std::pair{nodes_.id[ni], node.value()};
    auto [it, inserted] = stop_index_.try_emplace(key, StopId{});
    auto& stops = builder_.data().stops;
    if (inserted) {
        it->second = StopId::from_index(stops.size());
        Stop s;
        s.code = fmt::format("n{}", nodes_.id[ni]);
        if (auto it_name = nodes_.stop_name.find(ni); it_name != nodes_.stop_name.end())
            s.name = it_name->second;
        s.lat = nodes_.lat[ni];
        s.lon = nodes_.lon[ni];
        s.node = node;
        stops.push_back(std::move(s));
    }
    stops[it->second.index()].modes |= mode_bit(mode);
    return it->second;
}

void OsmImporter::build_lines() {
    auto& d = builder_.data();
    for (const auto& r : routes_) {
        const auto& def = tables_.transit.at(r.route);
        const ModeMask need = mode_bit(def.mode);
        auto segs = route_segments(r, need);
        const auto stops = route_stops(r);
        if (stops.empty()) {
            ++report_.warnings["route relation without usable stop members dropped"];
            ++report_.lines_dropped;
            continue;
        }
        std::vector<TransitLine> made;
        for (const auto& seg : segs) {
            TransitLine ln;
            std::size_t pos = 0;
            for (const auto& s : stops) {
                const LatLon p{nodes_.lat[s.node_index], nodes_.lon[s.node_index]};
                double best = opt_.max_stop_snap_m;
                std::size_t best_pos = seg.nodes.size();
                for (std::size_t q = pos; q < seg.nodes.size(); ++q) {
                    const auto n = seg.nodes[q];
                    const double dist =
                        haversine_m(p, {d.nodes.lat[n.index()], d.nodes.lon[n.index()]});
                    if (dist < best) {
                        best = dist;
                        best_pos = q;
                    }
                }
                if (best_pos == seg.nodes.size()) continue;
                pos = best_pos;
                ln.stops.push_back(stop_for(s.node_index, seg.nodes[pos], def.mode));
                ln.stop_link_pos.push_back(static_cast<std::uint32_t>(pos));
            }
            if (ln.stops.size() < 2) continue;
            ln.links = seg.links;
            made.push_back(std::move(ln));
        }
        if (made.empty()) {
            ++report_.warnings["route relation with no path holding 2 stops dropped"];
            ++report_.lines_dropped;
            continue;
        }
        if (made.size() > 1) ++report_.lines_split;
        const auto interval = parse_interval_s(r.interval);
        for (std::size_t k = 0; k < made.size(); ++k) {
            auto& ln = made[k];
            ln.code = fmt::format("r{}{}", r.id, made.size() > 1 ? fmt::format("-{}", k + 1) : "");
            ln.name = !r.ref.empty() ? r.ref : (!r.name.empty() ? r.name : ln.code);
            ln.mode = def.mode;
            ln.headway_peak_s = interval ? *interval : def.headway_peak_s;
            ln.headway_offpeak_s = interval ? *interval : def.headway_offpeak_s;
            ln.vehicle_capacity = def.vehicle_capacity;
            ln.vehicle_pce = def.vehicle_pce;
            ln.source = fmt::format(
                "OSM relation {} route={} (© OpenStreetMap contributors); {}", r.id, r.route,
                interval ? "headway from tag interval" : "service: " + def.source);
            d.lines.push_back(std::move(ln));
            ++report_.lines;
        }
    }
    report_.stops = d.stops.size();
}

}  // namespace modeshift::osm
