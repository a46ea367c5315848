// Readers for the Daejeon BIS text files (format: shared/data/daejeon/bis/FORMAT.md) and small
// geometry helpers used by the recipe.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift::daejeon::detail {
namespace {

std::vector<std::string> read_lines(const std::filesystem::path& path) {
    std::istringstream in(read_input_file(path, kTextInput));
    std::vector<std::string> lines;
    std::string s;
    while (std::getline(in, s)) {
        if (!s.empty() && s.back() == '\r') s.pop_back();
        lines.push_back(std::move(s));
    }
    if (lines.empty()) throw InputError(path.string(), 0, "", "file is empty");
    return lines;
}

double to_double(const std::string& file, std::uint64_t line, const std::string& field,
                 const std::string& text) {
    auto v = parse_double(text);
    if (!v) throw InputError(file, line, field, fmt::format("'{}' is not a number", text));
    return *v;
}

int to_int(const std::string& file, std::uint64_t line, const std::string& field,
           const std::string& text) {
    auto v = parse_int(text);
    if (!v || *v < 0 || *v > 1'000'000)
        throw InputError(file, line, field,
                         fmt::format("'{}' is not a valid non-negative integer", text));
    return static_cast<int>(*v);
}

void check_latlon(const std::string& file, std::uint64_t line, const std::string& field, LatLon p) {
    // Daejeon and its neighbours; a swapped or garbled coordinate falls outside.
    if (p.lat < 35.5 || p.lat > 37.5 || p.lon < 126.5 || p.lon > 128.5)
        throw InputError(
            file, line, field,
            fmt::format("coordinate ({}, {}) is outside the Daejeon region", p.lat, p.lon));
}

/// Calls record(line number, fields) for every non-empty line of a BIS text file, split at commas
/// into at most `max_fields` fields (0: no limit).
template <class F>
void for_each_record(const std::filesystem::path& path, std::size_t max_fields, F&& record) {
    const auto lines = read_lines(path);
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (!lines[i].empty())
            record(static_cast<std::uint64_t>(i + 1), split_commas(lines[i], max_fields));
}

std::vector<BisLink> read_route_txt(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::vector<BisLink> out;
    for_each_record(path, 0, [&](std::uint64_t ln, const std::vector<std::string>& f) {
        if (f.size() < 4 || (f.size() - 2) % 2 != 0)
            throw InputError(file, ln, "coordinates",
                             "expected idx,CODE followed by lat,lon pairs");
        BisLink l;
        l.idx = to_int(file, ln, "idx", f[0]);
        if (l.idx != static_cast<int>(out.size()))
            throw InputError(file, ln, "idx",
                             fmt::format("expected {}, found {}", out.size(), l.idx));
        l.code = f[1];
        if (l.code.empty()) throw InputError(file, ln, "CODE", "empty link code");
        for (std::size_t k = 2; k + 1 < f.size(); k += 2) {
            LatLon p{to_double(file, ln, "lat", f[k]), to_double(file, ln, "lon", f[k + 1])};
            check_latlon(file, ln, fmt::format("point {}", (k - 2) / 2), p);
            l.pts.push_back(p);
        }
        out.push_back(std::move(l));
    });
    return out;
}

std::vector<BisStop> read_busstop_txt(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::vector<BisStop> out;
    // At most 5 fields: the name is the last one and may hold commas.
    for_each_record(path, 5, [&](std::uint64_t ln, const std::vector<std::string>& f) {
        if (f.size() != 5)
            throw InputError(file, ln, "name", "expected stopNo,busNodeId,lat,lon,name");
        BisStop s;
        s.node_id = f[1];
        s.ref = f[0] == "none" ? "U" + f[1] : f[0];
        s.p = {to_double(file, ln, "lat", f[2]), to_double(file, ln, "lon", f[3])};
        check_latlon(file, ln, "lat", s.p);
        s.name = f[4];
        out.push_back(std::move(s));
    });
    return out;
}

void read_route_headers(const std::string& file, std::uint64_t ln,
                        const std::vector<std::string>& f, BisRoute& r) {
    if (f.size() < 5)
        throw InputError(file, ln, "", "expected direction,routeId,routeNo,routeType,...");
    if (f[0] != "UP" && f[0] != "DOWN")
        throw InputError(file, ln, "direction", "must be UP or DOWN");
    r.direction = f[0];
    r.route_id = f[1];
    r.route_no = f[2];
    r.route_type = to_int(file, ln, "routeType", f[3]);
}

}  // namespace

std::vector<std::string> split_commas(const std::string& s, std::size_t max_fields) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        if (max_fields > 0 && out.size() + 1 == max_fields) {
            out.push_back(s.substr(start));
            break;
        }
        const auto pos = s.find(',', start);
        if (pos == std::string::npos) {
            out.push_back(s.substr(start));
            break;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
    return out;
}

BisData read_bis(const std::filesystem::path& dir) {
    BisData d;
    d.links = read_route_txt(dir / "route.txt");
    d.stops = read_busstop_txt(dir / "busstop.txt");
    const auto rl = read_lines(dir / "busroute.txt");
    const auto nl = read_lines(dir / "busno.txt");
    const std::string rfile = (dir / "busroute.txt").string(), nfile = (dir / "busno.txt").string();
    if (rl.size() != nl.size())
        throw InputError(nfile, nl.size(), "",
                         fmt::format("has {} lines but busroute.txt has {}", nl.size(), rl.size()));
    for (std::size_t i = 0; i < rl.size(); ++i) {
        if (rl[i].empty()) continue;
        BisRoute r;
        r.line = i + 1;
        const auto f = split_commas(rl[i]);
        read_route_headers(rfile, r.line, f, r);
        for (std::size_t k = 4; k < f.size(); ++k) {
            const int idx = to_int(rfile, r.line, fmt::format("linkIdx {}", k - 3), f[k]);
            if (idx >= static_cast<int>(d.links.size()))
                throw InputError(rfile, r.line, fmt::format("linkIdx {}", k - 3),
                                 fmt::format("link {} does not exist in route.txt", idx));
            r.links.push_back(idx);
        }
        const auto g = split_commas(nl[i]);
        BisRoute h;
        read_route_headers(nfile, r.line, g, h);
        if (h.direction != r.direction || h.route_id != r.route_id)
            throw InputError(nfile, r.line, "routeId",
                             "header differs from the same line of busroute.txt");
        r.terminus = g[4];
        r.stop_refs.assign(g.begin() + 5, g.end());
        d.routes.push_back(std::move(r));
    }
    return d;
}

bool is_placeholder(const BisLink& l) {
    // FORMAT.md: the placeholder block is route.txt lines 3917-4307 (idx 3916 is a real link whose
    // geometry 243 placeholders copy); single-point links carry no geometry at all.
    if (l.pts.size() < 2) return true;
    return l.idx >= 3917 && l.idx <= 4307;
}

double distance_to_polyline_m(const LocalProjection& proj, LatLon p,
                              const std::vector<LatLon>& line) {
    if (line.empty()) return INFINITY;
    const XY q = proj.to_xy(p);
    if (line.size() == 1) {
        const XY a = proj.to_xy(line[0]);
        return std::hypot(q.x_m - a.x_m, q.y_m - a.y_m);
    }
    double best = INFINITY;
    for (std::size_t i = 1; i < line.size(); ++i)
        best = std::min(best,
                        point_segment_distance_m(q, proj.to_xy(line[i - 1]), proj.to_xy(line[i])));
    return best;
}

double distance_to_zone_m(const LocalProjection& proj, const Zone& z, LatLon p) {
    if (zone_contains(z, p)) return 0;
    double best = INFINITY;
    for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r) {
        std::vector<LatLon> ring;
        for (std::size_t i = z.ring_first[r]; i < z.ring_first[r + 1]; ++i)
            ring.push_back({z.ring_lat[i], z.ring_lon[i]});
        best = std::min(best, distance_to_polyline_m(proj, p, ring));
    }
    return best;
}

}  // namespace modeshift::daejeon::detail
