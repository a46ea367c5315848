// Selectors of the policies: see selection.hpp.
#include "selection.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "modeshift/network/zone_geometry.hpp"

namespace modeshift::policy_detail {

void require_nonempty(const JsonCursor& c, std::string_view what) {
    if (c.size() == 0)
        c.fail(
            fmt::format("an empty list selects no {}: the policy would do nothing (name at "
                        "least one, or leave the policy out)",
                        what));
}

/// Zones named by Korean name, English name or code.
std::vector<std::size_t> zones_of(const JsonCursor& c, const NetworkData& net) {
    require_nonempty(c, "zone");
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const std::string name = c.at(i).string();
        bool found = false;
        for (std::size_t z = 0; z < net.zones.size(); ++z) {
            const auto& zone = net.zones[z];
            if (zone.name == name || zone.code == name || zone.name_en == name) {
                out.push_back(z);
                found = true;
            }
        }
        if (!found)
            c.at(i).fail(
                fmt::format("no zone named or coded '{}' in network '{}'", name, net.name));
    }
    return out;
}

/// Links selected by "road_names" (exact names), "links" (external ids) and/or "zones" (links whose
/// midpoint lies in the zones). Connectors, rail and tram links are never selected.
std::vector<std::size_t> links_of(const JsonCursor& c, const NetworkData& net) {
    const auto& L = net.links;
    std::vector<std::uint8_t> sel(L.size(), 0);
    bool any_selector = false;
    auto is_road = [&](std::size_t l) {
        const auto rc = L.road_class[l];
        return rc != RoadClass::Connector && rc != RoadClass::Rail && rc != RoadClass::Tram;
    };
    if (c.has("road_names")) {
        any_selector = true;
        auto names = c.at("road_names");
        require_nonempty(names, "road");
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string n = names.at(i).string();
            auto it = std::find(net.names.begin(), net.names.end(), n);
            if (n.empty() || it == net.names.end())
                names.at(i).fail(fmt::format("no road named '{}' in the network", n));
            const auto idx = static_cast<std::uint32_t>(it - net.names.begin());
            for (std::size_t l = 0; l < L.size(); ++l)
                if (L.name[l] == idx && is_road(l)) sel[l] = 1;
        }
    }
    if (c.has("links")) {
        any_selector = true;
        auto ids = c.at("links");
        require_nonempty(ids, "link");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::string id = ids.at(i).string();
            bool found = false;
            for (std::size_t l = 0; l < L.size(); ++l)
                if (L.external_id[l] == id) {
                    sel[l] = is_road(l) ? 1 : sel[l];
                    found = true;
                }
            if (!found) ids.at(i).fail(fmt::format("no link with id '{}' in the network", id));
        }
    }
    if (c.has("zones")) {
        any_selector = true;
        const auto zs = zones_of(c.at("zones"), net);
        for (std::size_t l = 0; l < L.size(); ++l) {
            if (!is_road(l)) continue;
            const auto a = L.from[l].index(), b = L.to[l].index();
            const LatLon mid{(net.nodes.lat[a] + net.nodes.lat[b]) / 2,
                             (net.nodes.lon[a] + net.nodes.lon[b]) / 2};
            for (auto z : zs)
                if (zone_contains(net.zones[z], mid)) sel[l] = 1;
        }
    }
    if (!any_selector) c.fail("select links with \"road_names\", \"links\" and/or \"zones\"");
    if (c.has("road_classes")) {
        // Narrows the selection, e.g. bus lanes only on the arterials of some zones.
        auto cls = c.at("road_classes");
        require_nonempty(cls, "road class");
        std::vector<std::uint8_t> keep(static_cast<std::size_t>(RoadClass::Other) + 1, 0);
        for (std::size_t i = 0; i < cls.size(); ++i) {
            const std::string name = cls.at(i).string();
            bool found = false;
            for (int k = 0; k <= static_cast<int>(RoadClass::Other); ++k)
                if (road_class_name(static_cast<RoadClass>(k)) == name) {
                    keep[static_cast<std::size_t>(k)] = 1;
                    found = true;
                }
            if (!found) cls.at(i).fail(fmt::format("unknown road class '{}'", name));
        }
        for (std::size_t l = 0; l < L.size(); ++l)
            if (sel[l] && !keep[static_cast<std::size_t>(L.road_class[l])]) sel[l] = 0;
    }
    std::vector<std::size_t> out;
    for (std::size_t l = 0; l < L.size(); ++l)
        if (sel[l]) out.push_back(l);
    if (out.empty()) c.fail("the selection matches no road link");
    return out;
}

std::vector<std::size_t> lines_of(const JsonCursor& c, const NetworkData& net,
                                  const std::string& key) {
    std::vector<std::size_t> out;
    auto v = c.at(key);
    if (v.json().is_string() && v.string() == "all") {
        for (std::size_t l = 0; l < net.lines.size(); ++l) out.push_back(l);
        return out;
    }
    if (v.json().is_string() && v.string() == "study_area") {
        // Lines with at least one stop in a study-area zone: a district can only change the
        // service that reaches it, and extra city-wide service would add emissions that the
        // district's demand (trips touching it) cannot offset.
        for (std::size_t l = 0; l < net.lines.size(); ++l) {
            bool serves = false;
            for (StopId st : net.lines[l].stops) {
                const auto& stop = net.stops[st.index()];
                for (const auto& z : net.zones)
                    if (z.study_area && zone_contains(z, {stop.lat, stop.lon})) {
                        serves = true;
                        break;
                    }
                if (serves) break;
            }
            if (serves) out.push_back(l);
        }
        if (out.empty()) v.fail("no line has a stop in the study area");
        return out;
    }
    if (v.json().is_string())
        v.fail("expected \"all\", \"study_area\" or a list of line names/codes");
    require_nonempty(v, "line");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string name = v.at(i).string();
        bool found = false;
        for (std::size_t l = 0; l < net.lines.size(); ++l)
            if (net.lines[l].name == name || net.lines[l].code == name) {
                out.push_back(l);
                found = true;
            }
        if (!found) v.at(i).fail(fmt::format("no transit line named or coded '{}'", name));
    }
    return out;
}

/// Lines named in "lines" and/or all lines of "mode".
std::vector<std::size_t> lines_or_mode(const JsonCursor& c, const NetworkData& net) {
    std::vector<std::size_t> sel;
    if (c.has("lines")) sel = lines_of(c, net, "lines");
    if (c.has("mode")) {
        auto m = parse_mode(c.string("mode"));
        if (!m) c.at("mode").fail("unknown mode");
        for (std::size_t l = 0; l < net.lines.size(); ++l)
            if (net.lines[l].mode == *m) sel.push_back(l);
    }
    if (sel.empty()) c.fail("select the lines with \"lines\" or \"mode\"");
    return sel;
}

std::vector<Mode> modes_of(const JsonCursor& c) {
    require_nonempty(c, "mode");
    std::vector<Mode> out;
    for (std::size_t i = 0; i < c.size(); ++i) {
        auto m = parse_mode(c.at(i).string());
        if (!m) c.at(i).fail("unknown mode");
        out.push_back(*m);
    }
    return out;
}

}  // namespace modeshift::policy_detail
