// ETRI plan format: the four XML files, parsed with pugixml and checked against each other.
#include <fmt/format.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/import_etri/etri.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift::etri {
namespace {

/// A parsed document that can say on which line an element starts (pugixml gives byte offsets).
class Doc {
  public:
    Doc(std::string xml, std::string origin, const char* root_name)
        : buf_(std::move(xml)), origin_(std::move(origin)) {
        // Line starts before parsing: in-place parsing overwrites delimiters with terminators.
        for (const char* p = buf_.data();
             (p = static_cast<const char*>(std::memchr(p, '\n', buf_.data() + buf_.size() - p)));
             ++p)
            newlines_.push_back(static_cast<std::size_t>(p - buf_.data()));
        const pugi::xml_parse_result res = doc_.load_buffer_inplace(
            buf_.data(), buf_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!res)
            throw InputError(origin_, line_at(res.offset), "xml",
                             std::string("malformed XML: ") + res.description());
        root_ = doc_.document_element();
        if (!root_ || std::strcmp(root_.name(), root_name) != 0)
            throw InputError(origin_, root_ ? line(root_) : 1, "xml",
                             fmt::format("the document element must be <{}>", root_name));
    }
    pugi::xml_node root() const { return root_; }
    const std::string& origin() const { return origin_; }
    std::uint64_t line(const pugi::xml_node& n) const { return line_at(n.offset_debug()); }

    /// A required, non-empty attribute.
    std::string text(const pugi::xml_node& n, const char* name) const {
        const pugi::xml_attribute a = n.attribute(name);
        if (!a || *a.value() == '\0') throw InputError(origin_, line(n), name, "missing attribute");
        return a.value();
    }
    /// A required finite number within [lo, hi].
    double number(const pugi::xml_node& n, const char* name, double lo, double hi) const {
        const std::string t = text(n, name);
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        if (end == t.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
            throw InputError(origin_, line(n), name, fmt::format("not a number: '{}'", t));
        if (v < lo || v > hi)
            throw InputError(origin_, line(n), name,
                             fmt::format("{} is outside [{}, {}]", t, lo, hi));
        return v;
    }

  private:
    std::uint64_t line_at(std::ptrdiff_t offset) const {
        const auto o = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, offset));
        return static_cast<std::uint64_t>(std::upper_bound(newlines_.begin(), newlines_.end(), o) -
                                          newlines_.begin()) +
               1;
    }

    std::string buf_;
    std::string origin_;
    std::vector<std::size_t> newlines_;
    pugi::xml_document doc_;
    pugi::xml_node root_;
};

constexpr double kSecondsPerDay = 86'400;
constexpr std::size_t kMaxLinks = 4096;  // state characters per signal: far above any junction

Schedule read_schedule(const Doc& doc, const pugi::xml_node& n) {
    Schedule s;
    s.id = doc.text(n, "id");
    s.offset_s = doc.number(n, "offset", 0, kSecondsPerDay);
    s.line = doc.line(n);
    for (const pugi::xml_node& p : n.children("phase")) {
        Phase ph;
        ph.state = doc.text(p, "state");
        if (ph.state.size() > kMaxLinks ||
            ph.state.find_first_not_of("GgyYrRuoOs") != std::string::npos)
            throw InputError(doc.origin(), doc.line(p), "state",
                             fmt::format("'{}' is not a signal state string (one of GgyYrRuoOs "
                                         "per link, at most {})",
                                         ph.state.substr(0, 40), kMaxLinks));
        if (!s.phases.empty() && ph.state.size() != s.phases.front().state.size())
            throw InputError(doc.origin(), doc.line(p), "state",
                             fmt::format("{} lights where the schedule's first phase has {}",
                                         ph.state.size(), s.phases.front().state.size()));
        ph.duration_s = doc.number(p, "duration", 0, 3600);
        s.phases.push_back(std::move(ph));
    }
    if (s.phases.empty())
        throw InputError(doc.origin(), s.line, "phase", "a schedule needs at least one phase");
    if (s.cycle_s() <= 0 || s.cycle_s() > 3600)
        throw InputError(doc.origin(), s.line, "duration",
                         fmt::format("the phases add up to a {} s cycle (needs 0 < cycle <= 3600)",
                                     s.cycle_s()));
    return s;
}

Signal read_signal(const Doc& doc, const pugi::xml_node& n) {
    Signal s;
    s.line = doc.line(n);
    s.node_id = doc.text(n, "nodeID");
    s.cross_no = doc.text(n, "crossNo");
    s.cross_name = n.attribute("crossName").value();
    s.date = n.attribute("date").value();
    s.signal_group = n.attribute("signalGroup").value();
    for (const pugi::xml_node& c : n.children("schedule")) {
        Schedule sch = read_schedule(doc, c);
        for (const Schedule& o : s.schedules)
            if (o.id == sch.id)
                throw InputError(doc.origin(), sch.line, "id",
                                 fmt::format("schedule '{}' is given twice", sch.id));
        s.schedules.push_back(std::move(sch));
    }
    if (s.schedules.empty())
        throw InputError(doc.origin(), s.line, "schedule", "a signal needs at least one schedule");
    const pugi::xml_node tod = n.child("TODPlan");
    if (!tod)
        throw InputError(doc.origin(), s.line, "TODPlan", "a signal needs a time-of-day plan");
    const auto known = [&](const pugi::xml_node& at, const std::string& id) {
        if (std::none_of(s.schedules.begin(), s.schedules.end(),
                         [&](const Schedule& o) { return o.id == id; }))
            throw InputError(doc.origin(), doc.line(at), at == tod ? "defaultPlan" : "schedule",
                             fmt::format("no schedule '{}' in this signal", id));
        return id;
    };
    Period first;
    first.schedule = known(tod, doc.text(tod, "defaultPlan"));
    first.offset_s = doc.number(tod, "offset", 0, kSecondsPerDay);
    first.line = doc.line(tod);
    s.periods.push_back(first);
    for (const pugi::xml_node& p : tod.children("plan")) {
        Period per;
        per.line = doc.line(p);
        per.start_s = doc.number(p, "startTime", 0, kSecondsPerDay - 1);
        if (per.start_s <= s.periods.back().start_s)
            throw InputError(doc.origin(), per.line, "startTime",
                             "plans must start at increasing times after 0 (the default plan)");
        per.schedule = known(p, doc.text(p, "schedule"));
        per.offset_s = doc.number(p, "offset", 0, kSecondsPerDay);
        s.periods.push_back(std::move(per));
    }
    return s;
}

}  // namespace

double Schedule::cycle_s() const {
    double c = 0;
    for (const Phase& p : phases) c += p.duration_s;
    return c;
}

const Schedule& Signal::schedule(const std::string& id) const {
    for (const Schedule& s : schedules)
        if (s.id == id) return s;
    throw InvariantError("etri: schedule " + id + " not in signal " + node_id);
}

std::vector<Signal> parse_tss(std::string xml, const std::string& origin) {
    const Doc doc(std::move(xml), origin, "trafficSignalSystem");
    std::vector<Signal> out;
    std::set<std::string> seen;
    for (const pugi::xml_node& n : doc.root().children("trafficSignal")) {
        Signal s = read_signal(doc, n);
        if (!seen.insert(s.node_id).second)
            throw InputError(origin, s.line, "nodeID",
                             fmt::format("node '{}' has two signals", s.node_id));
        out.push_back(std::move(s));
    }
    if (out.empty()) throw InputError(origin, 1, "trafficSignal", "no signals in the file");
    return out;
}

std::map<std::string, LatLon> parse_nodes(std::string xml, const std::string& origin) {
    const Doc doc(std::move(xml), origin, "nodes");
    std::map<std::string, LatLon> out;
    for (const pugi::xml_node& n : doc.root().children("node")) {
        // x/y are WGS84 longitude/latitude in these files.
        const LatLon p{doc.number(n, "y", -90, 90), doc.number(n, "x", -180, 180)};
        if (!out.emplace(doc.text(n, "id"), p).second)
            throw InputError(origin, doc.line(n), "id", "node id given twice");
    }
    return out;
}

std::map<std::string, Edge> parse_edges(std::string xml, const std::string& origin) {
    const Doc doc(std::move(xml), origin, "edges");
    std::map<std::string, Edge> out;
    for (const pugi::xml_node& n : doc.root().children("edge")) {
        Edge e;
        e.id = doc.text(n, "id");
        e.from = doc.text(n, "from");
        e.to = doc.text(n, "to");
        e.line = doc.line(n);
        // "lon,lat lon,lat ...": at least two points.
        const std::string shape = doc.text(n, "shape");
        const char* p = shape.c_str();
        while (*p) {
            while (*p == ' ') ++p;
            if (!*p) break;
            char* end = nullptr;
            errno = 0;
            const double lon = std::strtod(p, &end);
            const bool lon_ok = end != p && *end == ',';
            double lat = 0;
            if (lon_ok) {
                p = end + 1;
                lat = std::strtod(p, &end);
            }
            if (!lon_ok || end == p || (*end != ' ' && *end != '\0') || errno == ERANGE ||
                !(std::abs(lat) <= 90) || !(std::abs(lon) <= 180))
                throw InputError(origin, e.line, "shape",
                                 "expected 'lon,lat lon,lat ...' in WGS84 degrees");
            e.shape.push_back({lat, lon});
            p = end;
        }
        if (e.shape.size() < 2)
            throw InputError(origin, e.line, "shape", "an edge needs at least two points");
        const std::string id = e.id;
        if (!out.emplace(id, std::move(e)).second)
            throw InputError(origin, doc.line(n), "id", "edge id given twice");
    }
    return out;
}

std::vector<Connection> parse_connections(std::string xml, const std::string& origin) {
    const Doc doc(std::move(xml), origin, "connections");
    std::vector<Connection> out;
    for (const pugi::xml_node& n : doc.root().children("connection")) {
        if (!n.attribute("tl")) continue;  // uncontrolled: the plans do not concern it
        Connection c;
        c.line = doc.line(n);
        c.from = doc.text(n, "from");
        c.to = doc.text(n, "to");
        c.tl = doc.text(n, "tl");
        c.link_index =
            static_cast<std::size_t>(doc.number(n, "linkIndex", 0, static_cast<double>(kMaxLinks)));
        if (static_cast<double>(c.link_index) != doc.number(n, "linkIndex", 0, 1e9))
            throw InputError(origin, c.line, "linkIndex", "must be a whole number");
        out.push_back(std::move(c));
    }
    return out;
}

void check_references(const EtriData& d, const std::string& tss_origin,
                      const std::string& connection_origin) {
    std::map<std::string, std::size_t> lights;  // signal node -> state string length
    for (const Signal& s : d.signals) {
        if (!d.nodes.count(s.node_id))
            throw InputError(tss_origin, s.line, "nodeID",
                             fmt::format("node '{}' is not in node.xml", s.node_id));
        lights[s.node_id] = s.schedules.front().phases.front().state.size();
        for (const Schedule& sch : s.schedules)
            if (sch.phases.front().state.size() != lights[s.node_id])
                throw InputError(tss_origin, sch.line, "state",
                                 "all schedules of a signal need the same number of lights");
    }
    for (const Connection& c : d.connections) {
        for (const auto& [field, id] : {std::pair{"from", &c.from}, std::pair{"to", &c.to}})
            if (!d.edges.count(*id))
                throw InputError(connection_origin, c.line, field,
                                 fmt::format("edge '{}' is not in edge.xml", *id));
        const auto it = lights.find(c.tl);
        if (it != lights.end() && c.link_index >= it->second)
            throw InputError(connection_origin, c.line, "linkIndex",
                             fmt::format("{} is beyond the {} lights of signal '{}'", c.link_index,
                                         it->second, c.tl));
    }
}

EtriData read_etri(const std::filesystem::path& dir) {
    const auto read = [&](const char* name) {
        const std::filesystem::path f = dir / name;
        return std::pair{read_input_file(f, kTextInput), f.string()};
    };
    EtriData d;
    d.origin = dir.string();
    auto [tss, tss_origin] = read("tss.xml");
    auto [nodes, nodes_origin] = read("node.xml");
    auto [edges, edges_origin] = read("edge.xml");
    auto [conns, conns_origin] = read("connection.xml");
    d.signals = parse_tss(std::move(tss), tss_origin);
    d.nodes = parse_nodes(std::move(nodes), nodes_origin);
    d.edges = parse_edges(std::move(edges), edges_origin);
    d.connections = parse_connections(std::move(conns), conns_origin);
    check_references(d, tss_origin, conns_origin);
    return d;
}

}  // namespace modeshift::etri
