// A static SVG picture of a network: zone outlines (study area shaded), road links by class,
// metro and tram lines, Tashu stations. Used for networks/daejeon/README.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "modeshift/import_daejeon/daejeon.hpp"

namespace modeshift::daejeon {
namespace {

struct Frame {
    double lat0, lat1, lon0, lon1, kx, ky;
    double x(double lon) const { return (lon - lon0) * kx; }
    double y(double lat) const { return (lat1 - lat) * ky; }
};

Frame make_frame(const NetworkData& d, int width_px) {
    Frame f{90, -90, 180, -180, 1, 1};
    for (const auto& z : d.zones)
        for (std::size_t i = 0; i < z.ring_lat.size(); ++i) {
            f.lat0 = std::min(f.lat0, z.ring_lat[i]);
            f.lat1 = std::max(f.lat1, z.ring_lat[i]);
            f.lon0 = std::min(f.lon0, z.ring_lon[i]);
            f.lon1 = std::max(f.lon1, z.ring_lon[i]);
        }
    if (d.zones.empty())
        for (std::size_t i = 0; i < d.nodes.size(); ++i) {
            f.lat0 = std::min(f.lat0, d.nodes.lat[i]);
            f.lat1 = std::max(f.lat1, d.nodes.lat[i]);
            f.lon0 = std::min(f.lon0, d.nodes.lon[i]);
            f.lon1 = std::max(f.lon1, d.nodes.lon[i]);
        }
    const double aspect = std::cos((f.lat0 + f.lat1) / 2 * 3.14159265358979 / 180.0);
    f.kx = width_px / std::max(1e-9, f.lon1 - f.lon0);
    f.ky = f.kx / aspect;
    return f;
}

std::string link_path(const NetworkData& d, const Frame& f, std::size_t i) {
    std::string s;
    const auto& L = d.links;
    auto pt = [&](double la, double lo, bool first) {
        s += fmt::format("{}{:.1f},{:.1f}", first ? "M" : "L", f.x(lo), f.y(la));
    };
    pt(d.nodes.lat[L.from[i].index()], d.nodes.lon[L.from[i].index()], true);
    for (auto k = L.geom_first[i]; k < L.geom_first[i + 1]; ++k)
        pt(L.geom_lat[k], L.geom_lon[k], false);
    pt(d.nodes.lat[L.to[i].index()], d.nodes.lon[L.to[i].index()], false);
    return s;
}

}  // namespace

std::string render_svg(const NetworkData& d, int width_px) {
    const Frame f = make_frame(d, width_px);
    const int h = static_cast<int>(std::ceil(f.y(f.lat0)));
    std::string s = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} "
        "{}\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        width_px, h + 40, width_px, h + 40);
    for (const auto& z : d.zones) {
        std::string p;
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r)
            for (auto i = z.ring_first[r]; i < z.ring_first[r + 1]; ++i)
                p += fmt::format("{}{:.1f},{:.1f}", i == z.ring_first[r] ? "M" : "L",
                                 f.x(z.ring_lon[i]), f.y(z.ring_lat[i]));
        s += fmt::format("<path d=\"{}Z\" fill=\"{}\" stroke=\"#b0b0b0\" stroke-width=\"0.6\"/>\n",
                         p, z.study_area ? "#fdf1d8" : "#f4f4f4");
    }
    std::string roads_major, roads_minor, metro, tram;
    for (std::size_t i = 0; i < d.links.size(); ++i) {
        const auto c = d.links.road_class[i];
        if (c == RoadClass::Rail)
            metro += link_path(d, f, i);
        else if (c == RoadClass::Tram)
            tram += fmt::format("<path d=\"{}\" fill=\"none\"/>", link_path(d, f, i));
        else if (c == RoadClass::Primary || c == RoadClass::Trunk || c == RoadClass::Motorway)
            roads_major += link_path(d, f, i);
        else if (c == RoadClass::Secondary || c == RoadClass::Tertiary)
            roads_minor += link_path(d, f, i);
    }
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"0.7\"/>\n",
                     roads_minor);
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#d4553a\" stroke-width=\"1.4\"/>\n",
                     roads_major);
    // One element per tram link: some renderers mis-draw dashes across long multi-part paths.
    s += fmt::format(
        "<g fill=\"none\" stroke=\"#1f9e4a\" stroke-width=\"3\" stroke-dasharray=\"6 3\" "
        "opacity=\"0.8\">{}</g>\n",
        tram);
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#1b5fc1\" stroke-width=\"3.5\"/>\n",
                     metro);
    std::string dots;
    for (const auto& b : d.bike_stations)
        dots += fmt::format("M{:.1f},{:.1f}h0.01", f.x(b.lon), f.y(b.lat));
    s += fmt::format(
        "<path d=\"{}\" stroke=\"#8e44ad\" stroke-width=\"2\" stroke-linecap=\"round\" "
        "opacity=\"0.6\"/>\n",
        dots);
    s += fmt::format(
        "<g font-family=\"NanumGothic, sans-serif\" font-size=\"13\">"
        "<text x=\"10\" y=\"{}\">{}: {} road links (red: arterials with 5+ bus lines, grey: "
        "others), "
        "blue: metro line 1, green dashed: tram line 2 (2028), purple: Tashu, shaded: "
        "Seo-gu</text></g>\n",
        h + 25, d.name,
        std::count_if(d.links.road_class.begin(), d.links.road_class.end(), [](RoadClass c) {
            return c == RoadClass::Primary || c == RoadClass::Secondary || c == RoadClass::Tertiary;
        }));
    s += "</svg>\n";
    return s;
}

}  // namespace modeshift::daejeon
