// *_trips.tntp reader: "Origin o" blocks followed by "d : demand;" entries.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/io/csv.hpp"
#include "tntp_text.hpp"

namespace modeshift::tntp {
namespace {

using detail::LineReader;

/// State while reading the origin blocks.
struct TripsState {
    OdMatrix od;
    std::vector<std::uint64_t> origin_line;  // line of each origin's block (0 = none yet)
    std::vector<std::uint64_t> cell_line;    // line of the current origin's entry per destination
    long long origin = 0;                    // 1-based, 0 = before the first block
};

std::uint32_t zone_number(std::string_view tok, std::uint32_t zones, const std::string& origin,
                          std::uint64_t line, const char* field) {
    const long long z = detail::to_int(tok, origin, line, field);
    if (z < 1 || z > zones)
        throw InputError(origin, line, field,
                         fmt::format("zone {} is out of range 1..{}", z, zones));
    return static_cast<std::uint32_t>(z);
}

void start_origin(std::string_view rest, TripsState& s, const std::string& origin,
                  std::uint64_t line) {
    const auto tok = detail::split_ws(rest);
    if (tok.size() != 1)
        throw InputError(origin, line, "origin", "expected 'Origin <zone number>'");
    const std::uint32_t o = zone_number(tok[0], s.od.zones, origin, line, "origin");
    if (s.origin_line[o] != 0)
        throw InputError(
            origin, line, "origin",
            fmt::format("origin {} appears twice (first on line {})", o, s.origin_line[o]));
    s.origin_line[o] = line;
    s.origin = o;
    std::fill(s.cell_line.begin(), s.cell_line.end(), 0);
}

void read_entry(std::string_view piece, TripsState& s, const std::string& origin,
                std::uint64_t line) {
    const std::size_t colon = piece.find(':');
    if (colon == std::string_view::npos)
        throw InputError(origin, line, "destination",
                         fmt::format("expected 'destination : demand', found '{}'", piece));
    if (s.origin == 0)
        throw InputError(origin, line, "origin", "demand entries before the first 'Origin' line");
    const std::uint32_t d =
        zone_number(detail::trim(piece.substr(0, colon)), s.od.zones, origin, line, "destination");
    const double v =
        detail::to_double(detail::trim(piece.substr(colon + 1)), origin, line, "demand");
    if (v < 0) throw InputError(origin, line, "demand", fmt::format("negative demand {}", v));
    if (s.cell_line[d] != 0)
        throw InputError(origin, line, "destination",
                         fmt::format("destination {} of origin {} given twice (first on line {})",
                                     d, s.origin, s.cell_line[d]));
    s.cell_line[d] = line;
    s.od.demand_veh[static_cast<std::size_t>(s.origin - 1) * s.od.zones + (d - 1)] = v;
}

void read_body_line(std::string_view t, TripsState& s, const std::string& origin,
                    std::uint64_t line) {
    constexpr std::string_view kOrigin = "Origin";
    if (t.size() >= kOrigin.size() &&
        std::equal(kOrigin.begin(), kOrigin.end(), t.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        start_origin(t.substr(kOrigin.size()), s, origin, line);
        return;
    }
    std::size_t pos = 0;
    while (pos < t.size()) {
        const std::size_t semi = t.find(';', pos);
        const std::size_t end = semi == std::string_view::npos ? t.size() : semi;
        const std::string_view piece = detail::trim(t.substr(pos, end - pos));
        if (!piece.empty()) {
            if (semi == std::string_view::npos)
                throw InputError(
                    origin, line, "demand",
                    fmt::format("entry '{}' does not end with ';' (truncated?)", piece));
            read_entry(piece, s, origin, line);
        }
        pos = end + 1;
    }
}

double header_total(const detail::Metadata& m, const std::string& origin) {
    const auto it = m.tags.find("TOTAL OD FLOW");
    if (it == m.tags.end()) return -1;
    const double v =
        detail::to_double(it->second.value, origin, it->second.line, "<TOTAL OD FLOW>");
    if (v < 0) throw InputError(origin, it->second.line, "<TOTAL OD FLOW>", "negative total");
    return v;
}

}  // namespace

double OdMatrix::total() const {
    double s = 0;
    for (double v : demand_veh) s += v;
    return s;
}

OdMatrix parse_trips(std::string_view text, const std::string& origin,
                     std::vector<std::string>& warnings) {
    LineReader r(text);
    const auto meta = detail::read_metadata(r, origin);
    TripsState s;
    // The matrix is dense (zones x zones doubles): 12,000 zones are 1.15 GB. The largest published
    // TNTP demand files have under 10,000 zones.
    s.od.zones = detail::meta_count(meta, "NUMBER OF ZONES", origin, 1, 12'000);
    s.od.header_total = header_total(meta, origin);
    s.od.demand_veh.assign(static_cast<std::size_t>(s.od.zones) * s.od.zones, 0.0);
    s.origin_line.assign(s.od.zones + 1, 0);
    s.cell_line.assign(s.od.zones + 1, 0);
    std::string_view line;
    while (r.next(line)) {
        const std::string_view t = detail::trim(line);
        if (t.empty() || t.front() == '~') continue;
        read_body_line(t, s, origin, r.line_no());
    }
    if (s.origin == 0)
        throw InputError(origin, r.line_no(), "origin",
                         "no 'Origin' block (empty or truncated file)");
    const double total = s.od.total();
    // Files print cells rounded to 1-2 decimals; allow that rounding to accumulate.
    const double tol = 0.01 + 1e-6 * std::max(total, s.od.header_total);
    if (s.od.header_total >= 0 && std::abs(total - s.od.header_total) > tol)
        warnings.push_back(fmt::format(
            "{}: demand sums to {:.6f} but <TOTAL OD FLOW> says {:.6f} (difference {:.6g}; "
            "truncated file or edited matrix?)",
            origin, total, s.od.header_total, total - s.od.header_total));
    return std::move(s.od);
}

OdMatrix read_trips(const std::filesystem::path& path, std::vector<std::string>& warnings) {
    const std::string text = detail::read_text_file(path.string());
    return parse_trips(text, path.string(), warnings);
}

}  // namespace modeshift::tntp
