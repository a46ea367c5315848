// Kept ways -> network nodes and links: a way is split wherever it shares a node with another way,
// carries a stop position or leaves the usable area; a junction node tagged
// highway=traffic_signals becomes a signalised node.
#include <fmt/format.h>

#include <algorithm>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/core/geo.hpp"

namespace modeshift::osm {

bool OsmImporter::usable(std::size_t i) const {
    if (i >= nodes_.id.size() || !nodes_.found[i]) return false;
    return !opt_.boundary || opt_.boundary->contains({nodes_.lat[i], nodes_.lon[i]});
}

NodeId OsmImporter::network_node(std::size_t i) {
    auto [it, inserted] = node_of_osm_.try_emplace(nodes_.id[i], NodeId{});
    if (inserted) {
        it->second =
            builder_.add_node({nodes_.lat[i], nodes_.lon[i]}, fmt::format("n{}", nodes_.id[i]));
        // A signal tagged on a junction node controls that junction. (Signals tagged on an
        // approach a few metres before the junction stay on their way and are not used.)
        if (nodes_.signal[i]) builder_.set_control(it->second, NodeControl::Signal);
    }
    return it->second;
}

/// Marks as network nodes the ends of every usable run of a way (way ends, and the nodes
/// next to a missing or outside node), before any way is split, so that all ways through
/// such a node are split there alike.
void OsmImporter::mark_run_ends() {
    for (const auto& w : ways_) {
        std::vector<std::size_t> idx;
        for (auto r : w.refs) {
            const auto i = nodes_.find(r);
            idx.push_back(usable(i) ? i : static_cast<std::size_t>(-1));
        }
        const auto none = static_cast<std::size_t>(-1);
        for (std::size_t k = 0; k < idx.size(); ++k) {
            if (idx[k] == none) continue;
            if (k == 0 || k + 1 == idx.size() || idx[k - 1] == none || idx[k + 1] == none)
                nodes_.split[idx[k]] = 1;
        }
    }
}

/// Consecutive nodes of a way are metres to a few km apart (the longest step in the bundled
/// extracts is 5.6 km, in the Nevada desert); 100 km apart, one of them has a wrong coordinate.
/// libosmium reads a coordinate whose exponent overflows (lat="1e999") as 0 without a word, which
/// made an 8,000 km link.
constexpr double kMaxWayStepM = 100'000;

void OsmImporter::check_segment(const KeptWay& w, std::size_t a, std::size_t b) const {
    const double d = haversine_m({nodes_.lat[a], nodes_.lon[a]}, {nodes_.lat[b], nodes_.lon[b]});
    if (d <= kMaxWayStepM) return;
    // Name the node that looks wrong: an unreadable coordinate comes out as exactly 0.
    const bool b_zero = nodes_.lat[b] == 0 || nodes_.lon[b] == 0;
    const std::size_t bad = b_zero ? b : a, other = b_zero ? a : b;
    throw InputError(
        file_.string(), 0, fmt::format("node {}", nodes_.id[bad]),
        fmt::format("lat {:.7f} lon {:.7f} is {:.0f} km from node {}, the next node of way {}: a "
                    "coordinate is out of range or mistyped (an exponent such as 1e999 reads as 0)",
                    nodes_.lat[bad], nodes_.lon[bad], d / 1000, nodes_.id[other], w.id));
}

void OsmImporter::build_links() {
    mark_run_ends();
    std::uint64_t missing = 0, outside = 0;
    for (std::size_t wi = 0; wi < ways_.size(); ++wi) {
        const auto& w = ways_[wi];
        std::vector<std::size_t> idx;  // node index per ref, npos for unusable
        for (auto r : w.refs) {
            const auto i = nodes_.find(r);
            if (!usable(i)) {
                (i < nodes_.id.size() && nodes_.found[i]) ? ++outside : ++missing;
                idx.push_back(static_cast<std::size_t>(-1));
            } else {
                idx.push_back(i);
            }
        }
        std::vector<Piece> pieces;
        std::vector<LatLon> pts;
        std::size_t start = static_cast<std::size_t>(-1);
        bool new_chain = true;
        bool used = false;
        auto flush = [&](std::size_t end) {
            used |= emit_piece(w, idx[start], idx[end], pts, pieces, new_chain);
            new_chain = false;
        };
        for (std::size_t k = 0; k < idx.size(); ++k) {
            if (idx[k] == static_cast<std::size_t>(-1)) {
                // Missing or outside node: the way breaks here; an open piece ends at the
                // previous node only if that one is a network node.
                if (start != static_cast<std::size_t>(-1) && pts.size() >= 2) {
                    nodes_.split[idx[k - 1]] = 1;
                    flush(k - 1);
                }
                start = static_cast<std::size_t>(-1);
                pts.clear();
                new_chain = true;
                continue;
            }
            const LatLon p{nodes_.lat[idx[k]], nodes_.lon[idx[k]]};
            if (start == static_cast<std::size_t>(-1)) {
                start = k;
                pts = {p};
                nodes_.split[idx[k]] = 1;
                continue;
            }
            if (idx[k] == idx[k - 1]) {
                ++report_.warnings["repeated consecutive node in a way dropped"];
                continue;
            }
            check_segment(w, idx[k - 1], idx[k]);
            pts.push_back(p);
            const bool last = k + 1 == idx.size();
            if (nodes_.split[idx[k]] || last) {
                nodes_.split[idx[k]] = 1;
                flush(k);
                start = k;
                pts = {p};
            }
        }
        if (used) (w.rail ? report_.rail_ways_used : report_.road_ways_used) += 1;
        pieces_of_way_.emplace(w.id, std::move(pieces));
    }
    if (missing)
        report_.warnings["way node not in the file (extract edge): way split there"] += missing;
    if (outside) report_.warnings["way node outside the boundary: way cut there"] += outside;
}

/// Adds the links of one piece; closed pieces (a == b) are split at their middle point.
bool OsmImporter::emit_piece(const KeptWay& w, std::size_t ia, std::size_t ib,
                             const std::vector<LatLon>& pts, std::vector<Piece>& pieces,
                             bool new_chain) {
    if (ia == ib) {
        if (pts.size() < 4) {
            ++report_.warnings["degenerate closed way piece dropped (broken geometry)"];
            return false;
        }
        // Use a synthetic split at the middle vertex: find its node by position in refs.
        const std::size_t mid = pts.size() / 2;
        const auto mid_node = builder_.add_node(pts[mid], fmt::format("w{}:mid", w.id));
        std::vector<LatLon> first(pts.begin(), pts.begin() + static_cast<std::ptrdiff_t>(mid) + 1);
        std::vector<LatLon> second(pts.begin() + static_cast<std::ptrdiff_t>(mid), pts.end());
        const auto a = network_node(ia);
        add_piece(w, a, mid_node, first, pieces, new_chain);
        add_piece(w, mid_node, a, second, pieces, false);
        ++report_.warnings["closed way split at its middle vertex"];
        return true;
    }
    add_piece(w, network_node(ia), network_node(ib), pts, pieces, new_chain);
    return true;
}

void OsmImporter::add_piece(const KeptWay& w, NodeId a, NodeId b, const std::vector<LatLon>& pts,
                            std::vector<Piece>& pieces, bool new_chain) {
    double len = 0;
    for (std::size_t k = 1; k < pts.size(); ++k) len += haversine_m(pts[k - 1], pts[k]);
    Piece piece{a, b, LinkId{}, LinkId{}, new_chain};
    auto make = [&](const DirAttrs& d, NodeId from, NodeId to, bool reverse) {
        LinkSpec s;
        s.from = from;
        s.to = to;
        s.length_m = len;
        s.speed_mps = d.speed_kmh / 3.6;
        s.lanes = d.lanes;
        s.capacity_vph = d.capacity_vph;
        s.modes = d.modes;
        s.road_class = w.road_class;
        s.name = w.name;
        s.external_id = fmt::format("w{}{}", w.id, reverse ? "-" : "+");
        s.geometry = pts;
        if (reverse) std::reverse(s.geometry.begin(), s.geometry.end());
        s.bus_lane = d.bus_lane;
        s.bike_lane = d.bike_lane;
        return builder_.add_link(s);
    };
    if (w.fwd.modes) piece.fwd = make(w.fwd, a, b, false);
    if (w.bwd.modes) piece.bwd = make(w.bwd, b, a, true);
    if ((w.fwd.modes | w.bwd.modes) & kCar) report_.road_km += len / 1000.0;
    pieces.push_back(piece);
}

}  // namespace modeshift::osm
