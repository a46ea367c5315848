#include "compare_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include "modeshift/network/network.hpp"
#include "modeshift/report/html.hpp"

namespace modeshift {

namespace {

using html::diverging_color;
using html::escape;
using html::grouped;
using html::signed_num;

struct MapFrame {
    LocalProjection proj;
    double x0 = 0, y0 = 0, scale = 1, w = 760, h = 560;
    std::pair<double, double> px(LatLon p) const {
        XY q = proj.to_xy(p);
        return {(q.x_m - x0) * scale + 10, h - ((q.y_m - y0) * scale + 10)};
    }
};

bool shows_zone(const Zone& z, bool any_study) {
    return !any_study || z.study_area;
}

/// The frame around the study-area zones if any, else all zones, else all nodes; nullopt for an
/// empty network.
std::optional<MapFrame> map_frame(const Network& net, bool any_study) {
    double lat0 = 1e9, lat1 = -1e9, lon0 = 1e9, lon1 = -1e9;
    auto extend = [&](double la, double lo) {
        lat0 = std::min(lat0, la);
        lat1 = std::max(lat1, la);
        lon0 = std::min(lon0, lo);
        lon1 = std::max(lon1, lo);
    };
    for (const auto& z : net.data().zones)
        if (shows_zone(z, any_study))
            for (std::size_t i = 0; i < z.ring_lat.size(); ++i)
                extend(z.ring_lat[i], z.ring_lon[i]);
    if (lat0 > lat1)
        for (std::size_t n = 0; n < net.node_count(); ++n) {
            LatLon p = net.node_latlon(NodeId::from_index(n));
            extend(p.lat, p.lon);
        }
    if (lat0 > lat1) return std::nullopt;
    MapFrame f;
    f.proj = LocalProjection({(lat0 + lat1) / 2, (lon0 + lon1) / 2});
    XY a = f.proj.to_xy({lat0, lon0}), b = f.proj.to_xy({lat1, lon1});
    f.x0 = a.x_m;
    f.y0 = a.y_m;
    double span_x = std::max(1.0, b.x_m - a.x_m), span_y = std::max(1.0, b.y_m - a.y_m);
    f.scale = std::min((f.w - 20) / span_x, (f.h - 20) / span_y);
    f.w = span_x * f.scale + 20;
    f.h = span_y * f.scale + 20;
    return f;
}

/// Dong polygons filled by their CO2 change relative to the largest one.
void draw_dongs(std::ostream& o, const Comparison& c, const MapFrame& f, bool any_study,
                double dong_max) {
    std::map<std::string, const DongDelta*> dong_by_code;
    for (const auto& d : c.dongs) dong_by_code[d.code] = &d;
    for (const auto& z : c.network->data().zones) {
        if (!shows_zone(z, any_study)) continue;
        auto it = dong_by_code.find(z.code);
        double d = it == dong_by_code.end() ? 0.0 : it->second->co2_kg.delta();
        std::string fill = dong_max > 0 ? diverging_color(d / dong_max) : "#ebebeb";
        o << "<path class=\"dong\" fill=\"" << fill << "\" d=\"";
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r) {
            for (std::size_t i = z.ring_first[r]; i < z.ring_first[r + 1]; ++i) {
                auto [x, y] = f.px({z.ring_lat[i], z.ring_lon[i]});
                o << (i == z.ring_first[r] ? "M" : "L") << fmt::format("{:.1f} {:.1f}", x, y);
            }
            o << "Z";
        }
        o << fmt::format("\"><title>{} {} / {}: {} kg CO2</title></path>", escape(z.code),
                         escape(z.name), escape(z.name_en), signed_num(d, 0));
    }
}

/// Links with CO2 in either run, coloured and widened by their change; the largest drawn last
/// (on top).
void draw_links(std::ostream& o, const Comparison& c, const MapFrame& f, double link_max) {
    const Network& net = *c.network;
    std::vector<const LinkDelta*> ls;
    for (const auto& l : c.links)
        if (l.link < net.link_count() && (l.co2_kg.base != 0 || l.co2_kg.policy != 0))
            ls.push_back(&l);
    std::stable_sort(ls.begin(), ls.end(), [](const LinkDelta* p, const LinkDelta* q) {
        return std::abs(p->co2_kg.delta()) < std::abs(q->co2_kg.delta());
    });
    for (const LinkDelta* l : ls) {
        double d = l->co2_kg.delta();
        double t = link_max > 0 ? d / link_max : 0.0;
        o << fmt::format("<polyline class=\"link\" stroke=\"{}\" stroke-width=\"{:.2f}\" points=\"",
                         d == 0 ? "#9aa0a6" : diverging_color(t), 0.6 + 2.4 * std::abs(t));
        for (const auto& p : net.link_geometry(LinkId(l->link))) {
            auto [x, y] = f.px(p);
            o << fmt::format("{:.1f},{:.1f} ", x, y);
        }
        o << fmt::format("\"><title>{} {}: {} kg CO2</title></polyline>", l->link,
                         escape(l->road_name), signed_num(d, 1));
    }
}

}  // namespace

std::string comparison_map(const Comparison& c) {
    if (!c.network)
        return "<p class=\"note\">지도 없음 / no map: the network file could not be loaded (see "
               "notes).</p>";
    const auto& zones = c.network->data().zones;
    const bool any_study =
        std::any_of(zones.begin(), zones.end(), [](const Zone& z) { return z.study_area; });
    const auto f = map_frame(*c.network, any_study);
    if (!f) return "<p class=\"note\">지도 없음 / no map: empty network.</p>";
    double dong_max = 0, link_max = 0;
    for (const auto& d : c.dongs) dong_max = std::max(dong_max, std::abs(d.co2_kg.delta()));
    for (const auto& l : c.links) link_max = std::max(link_max, std::abs(l.co2_kg.delta()));

    std::ostringstream o;
    o << fmt::format(
        "<svg viewBox=\"0 0 {:.0f} {:.0f}\" class=\"map\" role=\"img\" aria-label=\"CO2 change "
        "map\">",
        f->w, f->h);
    draw_dongs(o, c, *f, any_study, dong_max);
    draw_links(o, c, *f, link_max);
    o << "</svg>";
    o << fmt::format(
        "<div class=\"legend\"><span style=\"background:{}\"></span> 감소 / decrease (max {} kg "
        "per dong, {} kg per "
        "link) <span style=\"background:#ebebeb\"></span> 변화 없음 / no change "
        "<span style=\"background:{}\"></span> 증가 / increase</div>",
        diverging_color(-1), grouped(dong_max), grouped(link_max, 1), diverging_color(1));
    return o.str();
}

}  // namespace modeshift
