// *_net.tntp and *_node.tntp readers.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/core/geo.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/network/builder.hpp"
#include "tntp_text.hpp"

namespace modeshift::tntp {
namespace {

using detail::LineReader;

/// Miles per hour in metres per second (exact: 1609.344 m / 3600 s).
constexpr double kMphToMps = 1609.344 / 3600.0;

constexpr const char* kNetColumns[] = {"init_node",      "term_node", "capacity", "length",
                                       "free_flow_time", "b",         "power",    "speed",
                                       "toll",           "link_type"};
constexpr std::size_t kNetColumnCount = std::size(kNetColumns);

/// One parsed link row in TNTP units.
struct NetRow {
    std::uint32_t from = 0, to = 0;  // 1-based TNTP node numbers
    double capacity = 0, length = 0, fft = 0, b = 0, power = 0, speed = 0, toll = 0;
    long long type = 0;
};

/// Largest node count read: the nodes are created up front, so a header must not make the reader
/// allocate for hundreds of millions of them. The largest published TNTP networks have under
/// 50,000 nodes.
constexpr std::uint32_t kMaxNodes = 2'000'000;

TntpNetHeader read_net_header(const detail::Metadata& m, const std::string& origin) {
    TntpNetHeader h;
    h.zones = detail::meta_count(m, "NUMBER OF ZONES", origin, 1, kMaxNodes);
    h.nodes = detail::meta_count(m, "NUMBER OF NODES", origin, 1, kMaxNodes);
    h.first_thru_node = detail::meta_count(m, "FIRST THRU NODE", origin, 1, kMaxNodes + 1);
    h.links = detail::meta_count(m, "NUMBER OF LINKS", origin, 1);
    if (h.zones > h.nodes)
        throw InputError(
            origin, m.tags.at("NUMBER OF ZONES").line, "<NUMBER OF ZONES>",
            fmt::format("{} zones but only {} nodes (zones are nodes 1..zones)", h.zones, h.nodes));
    if (h.first_thru_node > h.nodes + 1)
        throw InputError(origin, m.tags.at("FIRST THRU NODE").line, "<FIRST THRU NODE>",
                         fmt::format("{} is beyond the {} nodes", h.first_thru_node, h.nodes));
    return h;
}

/// Splits a data row at its terminating ';' into whitespace tokens; throws if it has no ';'.
std::vector<std::string_view> row_tokens(std::string_view t, const std::string& origin,
                                         std::uint64_t line) {
    const std::size_t semi = t.find(';');
    if (semi == std::string_view::npos)
        throw InputError(origin, line, "link_type",
                         "row does not end with ';' (truncated line or not a TNTP row)");
    return detail::split_ws(t.substr(0, semi));
}

double nonneg(std::string_view tok, const std::string& origin, std::uint64_t line,
              const char* field) {
    const double v = detail::to_double(tok, origin, line, field);
    if (v < 0) throw InputError(origin, line, field, fmt::format("{} is negative", tok));
    return v;
}

std::uint32_t node_number(std::string_view tok, const TntpNetHeader& h, const std::string& origin,
                          std::uint64_t line, const char* field) {
    const long long v = detail::to_int(tok, origin, line, field);
    if (v < 1 || v > h.nodes)
        throw InputError(origin, line, field,
                         fmt::format("unknown node {} (the network has nodes 1..{})", v, h.nodes));
    return static_cast<std::uint32_t>(v);
}

NetRow parse_row(const std::vector<std::string_view>& tok, const TntpNetHeader& h,
                 const std::string& origin, std::uint64_t line) {
    if (tok.size() != kNetColumnCount)
        throw InputError(origin, line, "columns",
                         fmt::format("expected {} columns (init_node term_node capacity length "
                                     "free_flow_time b power speed toll link_type), found {}",
                                     kNetColumnCount, tok.size()));
    NetRow r;
    r.from = node_number(tok[0], h, origin, line, kNetColumns[0]);
    r.to = node_number(tok[1], h, origin, line, kNetColumns[1]);
    if (r.from == r.to) throw InputError(origin, line, "term_node", "link from a node to itself");
    r.capacity = nonneg(tok[2], origin, line, kNetColumns[2]);
    r.length = nonneg(tok[3], origin, line, kNetColumns[3]);
    r.fft = nonneg(tok[4], origin, line, kNetColumns[4]);
    r.b = nonneg(tok[5], origin, line, kNetColumns[5]);
    r.power = nonneg(tok[6], origin, line, kNetColumns[6]);
    r.speed = nonneg(tok[7], origin, line, kNetColumns[7]);
    r.toll = nonneg(tok[8], origin, line, kNetColumns[8]);
    r.type = detail::to_int(tok[9], origin, line, kNetColumns[9]);
    // The BPR term b (v/c)^power needs a capacity; a congestible link without one is an error.
    if (r.b > 0 && r.capacity <= 0)
        throw InputError(origin, line, "capacity", "must be > 0 when the BPR coefficient b is > 0");
    if (r.b > 0 && r.power > 0 && r.power < 1)
        throw InputError(origin, line, "power",
                         fmt::format("{} < 1 gives an infinite cost slope at zero flow", r.power));
    return r;
}

LinkSpec link_spec(const NetRow& r, const TntpNetHeader& h, const TntpUnits& u) {
    LinkSpec s;
    s.from = NodeId(r.from - 1);
    s.to = NodeId(r.to - 1);
    s.length_m = r.length * u.length_unit_m;
    s.freeflow_time_s = r.fft * u.time_unit_s;
    s.speed_mps = (s.freeflow_time_s > 0 && s.length_m > 0) ? s.length_m / s.freeflow_time_s
                                                            : r.speed * kMphToMps;
    s.capacity_vph = r.capacity;
    s.modes = mode_bit(Mode::Car);
    const bool touches_zone = r.from < h.first_thru_node || r.to < h.first_thru_node;
    s.road_class =
        (h.first_thru_node > 1 && touches_zone) ? RoadClass::Connector : RoadClass::Other;
    s.name = fmt::format("tntp type {}", r.type);
    s.external_id = fmt::format("{}-{}", r.from, r.to);
    s.bpr_alpha = r.b;
    s.bpr_beta = r.power;
    s.toll = r.toll;
    return s;
}

std::string stem_name(const std::filesystem::path& p) {
    std::string s = p.filename().string();
    for (const char* suffix : {"_net.tntp", ".tntp"})
        if (s.ends_with(suffix))
            return s.substr(0, s.size() - std::char_traits<char>::length(suffix));
    return s;
}

std::string fmt_unit(double v) {
    return fmt::format("{}", v);
}

}  // namespace

NetworkData parse_net(std::string_view text, const std::string& origin, const std::string& name,
                      const TntpUnits& units) {
    LineReader r(text);
    const auto meta = detail::read_metadata(r, origin);
    const TntpNetHeader h = read_net_header(meta, origin);

    NetworkBuilder b(name, "TNTP network " + origin);
    for (std::uint32_t n = 1; n <= h.nodes; ++n) b.add_node(LatLon{}, std::to_string(n));
    std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (from,to) -> line; lookups only
    std::uint32_t count = 0;
    std::string_view line;
    while (r.next(line)) {
        const std::string_view t = detail::trim(line);
        if (t.empty() || t.front() == '~') continue;
        const NetRow row = parse_row(row_tokens(t, origin, r.line_no()), h, origin, r.line_no());
        if (++count > h.links)
            throw InputError(origin, r.line_no(), "<NUMBER OF LINKS>",
                             fmt::format("more link rows than the {} announced", h.links));
        const std::uint64_t key = (static_cast<std::uint64_t>(row.from) << 32) | row.to;
        if (const auto [it, fresh] = seen.emplace(key, r.line_no()); !fresh)
            throw InputError(origin, r.line_no(), "term_node",
                             fmt::format("duplicate link {} -> {} (first on line {})", row.from,
                                         row.to, it->second));
        b.add_link(link_spec(row, h, units));
    }
    if (count < h.links)
        throw InputError(origin, r.line_no(), "<NUMBER OF LINKS>",
                         fmt::format("the header announces {} links but the file has {} "
                                     "(truncated?)",
                                     h.links, count));
    for (std::uint32_t z = 1; z <= h.zones; ++z) {
        Zone zone;
        zone.code = std::to_string(z);
        zone.name = fmt::format("zone {}", z);
        zone.centroid = NodeId(z - 1);
        b.data().zones.push_back(std::move(zone));
    }
    b.data().first_thru_node = h.first_thru_node - 1;
    auto& notes = b.data().notes;
    notes.push_back("tntp.time_unit_s=" + fmt_unit(units.time_unit_s));
    notes.push_back("tntp.length_unit_m=" + fmt_unit(units.length_unit_m));
    notes.push_back(
        "TNTP link type is kept in the link name ('tntp type N'); external id 'from-to'");
    return b.finish();
}

NetworkData read_net(const std::filesystem::path& path, const TntpUnits& units) {
    const std::string text = detail::read_text_file(path.string());
    return parse_net(text, path.string(), stem_name(path), units);
}

namespace {

struct NodeRow {
    std::uint32_t node;
    double x, y;
};

std::vector<NodeRow> node_rows(std::string_view text, const std::string& origin,
                               std::uint32_t nodes) {
    LineReader r(text);
    std::vector<NodeRow> rows;
    std::vector<std::uint64_t> line_of(nodes + 1, 0);
    bool header_seen = false;
    std::string_view line;
    while (r.next(line)) {
        std::string_view t = detail::trim(line);
        if (t.empty() || t.front() == '~') continue;
        if (const auto semi = t.find(';'); semi != std::string_view::npos) t = t.substr(0, semi);
        const auto tok = detail::split_ws(t);
        if (!header_seen && !tok.empty() && !parse_int(tok[0])) {  // "Node X Y ;" title row
            header_seen = true;
            continue;
        }
        header_seen = true;
        if (tok.size() != 3)
            throw InputError(origin, r.line_no(), "columns",
                             fmt::format("expected 3 columns (node X Y), found {}", tok.size()));
        const long long n = detail::to_int(tok[0], origin, r.line_no(), "node");
        if (n < 1 || n > nodes)
            throw InputError(
                origin, r.line_no(), "node",
                fmt::format("unknown node {} (the network has nodes 1..{})", n, nodes));
        if (line_of[n] != 0)
            throw InputError(origin, r.line_no(), "node",
                             fmt::format("node {} listed twice (first on line {})", n, line_of[n]));
        line_of[n] = r.line_no();
        rows.push_back({static_cast<std::uint32_t>(n),
                        detail::to_double(tok[1], origin, r.line_no(), "X"),
                        detail::to_double(tok[2], origin, r.line_no(), "Y")});
    }
    return rows;
}

}  // namespace

void parse_nodes(std::string_view text, const std::string& origin, NetworkData& d,
                 const TntpUnits& units, std::vector<std::string>& warnings) {
    const auto nodes = static_cast<std::uint32_t>(d.nodes.size());
    const auto rows = node_rows(text, origin, nodes);
    bool degrees = true;
    double mx = 0, my = 0;
    for (const auto& r : rows) {
        degrees = degrees && std::abs(r.x) <= 180 && std::abs(r.y) <= 90;
        mx += r.x / static_cast<double>(rows.size());
        my += r.y / static_cast<double>(rows.size());
    }
    // Planar coordinates (e.g. state-plane feet) have no datum here: they are centred and laid on
    // a local projection around (0, 0), which keeps distances and shapes for the viewer.
    const LocalProjection synthetic(LatLon{0, 0});
    for (const auto& r : rows) {
        const LatLon p = degrees ? LatLon{r.y, r.x}
                                 : synthetic.to_latlon(XY{(r.x - mx) * units.coord_unit_m,
                                                          (r.y - my) * units.coord_unit_m});
        d.nodes.lat[r.node - 1] = p.lat;
        d.nodes.lon[r.node - 1] = p.lon;
    }
    if (!degrees)
        d.notes.push_back(fmt::format(
            "node coordinates of {} are planar ({} m per unit), centred and mapped to a synthetic "
            "lat/lon around (0, 0); they are not geographic",
            origin, units.coord_unit_m));
    if (rows.size() < nodes)
        warnings.push_back(fmt::format("{}: {} of {} nodes have no coordinates (left at 0, 0)",
                                       origin, nodes - rows.size(), nodes));
    d.ref_lat = 0;
    d.ref_lon = 0;
    if (!rows.empty()) {
        for (const auto& r : rows) {
            d.ref_lat += d.nodes.lat[r.node - 1] / static_cast<double>(rows.size());
            d.ref_lon += d.nodes.lon[r.node - 1] / static_cast<double>(rows.size());
        }
    }
}

void read_nodes(const std::filesystem::path& path, NetworkData& d, const TntpUnits& units,
                std::vector<std::string>& warnings) {
    const std::string text = detail::read_text_file(path.string());
    parse_nodes(text, path.string(), d, units, warnings);
}

double recorded_time_unit_s(const NetworkData& d, double fallback) {
    constexpr std::string_view key = "tntp.time_unit_s=";
    for (const auto& n : d.notes)
        if (n.starts_with(key))
            if (const auto v = parse_double(std::string_view(n).substr(key.size())); v && *v > 0)
                return *v;
    return fallback;
}

}  // namespace modeshift::tntp
