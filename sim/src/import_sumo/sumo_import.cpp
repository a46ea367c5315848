// SUMO net/route XML reader (expat, streaming) with transparent gzip.
#include <expat.h>
#include <fmt/format.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/core/geo.hpp"
#include "modeshift/import_sumo/sumo.hpp"
#include "modeshift/network/builder.hpp"

namespace modeshift::sumo {
namespace {

using Attrs = const XML_Char**;

const char* attr(Attrs a, const char* name) {
    for (; *a; a += 2)
        if (std::strcmp(a[0], name) == 0) return a[1];
    return nullptr;
}

/// Streams `xml` through expat; `on_start`/`on_end` get the element name, attributes and line.
/// Handler exceptions stop the parser and are rethrown; XML syntax errors become InputError.
class XmlWalker {
public:
    using StartFn = std::function<void(const char*, Attrs, std::uint64_t)>;
    using EndFn = std::function<void(const char*, std::uint64_t)>;

    XmlWalker(std::string origin, StartFn on_start, EndFn on_end)
        : origin_(std::move(origin)), start_(std::move(on_start)), end_(std::move(on_end)) {}

    /// Parses a whole document held in memory.
    void run(std::string_view xml) {
        const ParserPtr p = create();
        check(p.get(), XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE));
    }

    /// Streams a plain or gzip-compressed file through the parser chunk by chunk (no copy of
    /// the whole file is held). A truncated or corrupt gzip stream throws InputError "gzip".
    void run_file(const std::string& path) {
        std::unique_ptr<gzFile_s, int (*)(gzFile)> f(gzopen(path.c_str(), "rb"), &gzclose);
        if (!f) throw InputError(path, 0, "file", "cannot open");
        gzbuffer(f.get(), 1u << 17);
        const ParserPtr p = create();
        constexpr int kChunk = 1 << 20;
        for (;;) {
            void* buf = XML_GetBuffer(p.get(), kChunk);
            MS_ASSERT(buf != nullptr, "XML_GetBuffer failed (out of memory)");
            const int n = gzread(f.get(), buf, kChunk);
            if (n < 0) {
                int code = 0;
                throw InputError(path, 0, "gzip", std::string("corrupt compressed data: ") + gzerror(f.get(), &code));
            }
            if (n == 0) {
                // gzread returns 0 at a premature end too; gzclose_r reports it as Z_BUF_ERROR.
                const int rc = gzclose_r(f.release());
                if (rc != Z_OK)
                    throw InputError(path, 0, "gzip", rc == Z_BUF_ERROR ? "truncated compressed file" : "read error");
                check(p.get(), XML_ParseBuffer(p.get(), 0, XML_TRUE));
                return;
            }
            check(p.get(), XML_ParseBuffer(p.get(), n, XML_FALSE));
        }
    }

private:
    static void start_cb(void* self, const XML_Char* name, Attrs a) {
        auto* w = static_cast<XmlWalker*>(self);
        w->guard([&] { w->start_(name, a, XML_GetCurrentLineNumber(w->parser_)); });
    }
    static void end_cb(void* self, const XML_Char* name) {
        auto* w = static_cast<XmlWalker*>(self);
        w->guard([&] { w->end_(name, XML_GetCurrentLineNumber(w->parser_)); });
    }
    template <class F> void guard(F&& f) {
        if (error_) return;
        try {
            f();
        } catch (...) {
            error_ = std::current_exception();
            XML_StopParser(parser_, XML_FALSE);
        }
    }

    using ParserPtr = std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)>;
    ParserPtr create() {
        ParserPtr p(XML_ParserCreate(nullptr), &XML_ParserFree);
        MS_ASSERT(p != nullptr, "XML_ParserCreate failed");
        parser_ = p.get();
        XML_SetUserData(p.get(), this);
        XML_SetElementHandler(p.get(), &XmlWalker::start_cb, &XmlWalker::end_cb);
        return p;
    }
    void check(XML_Parser p, XML_Status status) {
        if (error_) std::rethrow_exception(error_);
        if (status == XML_STATUS_OK) return;
        const XML_LChar* err = XML_ErrorString(XML_GetErrorCode(p));  // null for "no error"
        throw InputError(origin_, static_cast<std::uint64_t>(XML_GetCurrentLineNumber(p)), "xml",
                         std::string("malformed XML: ") + (err != nullptr ? err : "unknown error"));
    }

    std::string origin_;
    StartFn start_;
    EndFn end_;
    XML_Parser parser_ = nullptr;
    std::exception_ptr error_;
};

double parse_number(const char* text, const std::string& origin, std::uint64_t line, const char* field) {
    if (text == nullptr) throw InputError(origin, line, field, "missing attribute");
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !std::isfinite(v))
        throw InputError(origin, line, field, fmt::format("not a number: '{}'", text));
    return v;
}

const char* required(Attrs a, const char* name, const std::string& origin, std::uint64_t line) {
    const char* v = attr(a, name);
    if (v == nullptr || *v == '\0') throw InputError(origin, line, name, "missing attribute");
    return v;
}

struct RawEdge {
    std::string id, from, to;
    std::uint64_t line = 0;
    double length_sum_m = 0, speed_mps = 0;
    int lanes = 0;
};

}  // namespace

std::string read_maybe_gz(const std::filesystem::path& path) {
    const std::string origin = path.string();
    gzFile f = gzopen(origin.c_str(), "rb");
    if (f == nullptr) throw InputError(origin, 0, "file", "cannot open");
    std::string out;
    char buf[1 << 16];
    for (;;) {
        const int n = gzread(f, buf, sizeof buf);
        if (n < 0) {
            int code = 0;
            const std::string msg = gzerror(f, &code);
            gzclose(f);
            throw InputError(origin, 0, "gzip", "corrupt compressed data: " + msg);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    // gzread returns 0 at a premature end; gzclose_r reports it as Z_BUF_ERROR.
    const int rc = gzclose_r(f);
    if (rc != Z_OK)
        throw InputError(origin, 0, "gzip", rc == Z_BUF_ERROR ? "truncated compressed file" : "read error");
    return out;
}

namespace {

using Drive = std::function<void(XmlWalker&)>;

NetworkData net_from(const Drive& drive, const std::string& origin, const SumoImportOptions& opt) {
    std::vector<RawEdge> edges;
    std::vector<std::tuple<std::string, double, double>> junctions;
    std::string net_offset, proj_parameter;
    bool in_edge = false, saw_net = false;
    XmlWalker walker(
        origin,
        [&](const char* el, Attrs a, std::uint64_t line) {
            if (std::strcmp(el, "net") == 0) {
                saw_net = true;
            } else if (std::strcmp(el, "location") == 0) {
                if (const char* v = attr(a, "netOffset")) net_offset = v;
                if (const char* v = attr(a, "projParameter")) proj_parameter = v;
            } else if (std::strcmp(el, "edge") == 0) {
                const char* fn = attr(a, "function");
                in_edge = fn == nullptr || std::strcmp(fn, "internal") != 0;
                if (!in_edge) return;
                RawEdge e;
                e.id = required(a, "id", origin, line);
                e.from = required(a, "from", origin, line);
                e.to = required(a, "to", origin, line);
                e.line = line;
                edges.push_back(std::move(e));
            } else if (std::strcmp(el, "lane") == 0 && in_edge) {
                auto& e = edges.back();
                const double len = parse_number(attr(a, "length"), origin, line, "length");
                const double speed = parse_number(attr(a, "speed"), origin, line, "speed");
                if (len <= 0) throw InputError(origin, line, "length", "lane length must be > 0");
                if (speed <= 0) throw InputError(origin, line, "speed", "lane speed must be > 0");
                e.length_sum_m += len;
                e.speed_mps = std::max(e.speed_mps, speed);
                ++e.lanes;
            } else if (std::strcmp(el, "junction") == 0) {
                const char* type = attr(a, "type");
                if (type != nullptr && std::strcmp(type, "internal") == 0) return;
                junctions.emplace_back(required(a, "id", origin, line),
                                       parse_number(attr(a, "x"), origin, line, "x"),
                                       parse_number(attr(a, "y"), origin, line, "y"));
            }
        },
        [&](const char* el, std::uint64_t) {
            if (std::strcmp(el, "edge") == 0) in_edge = false;
        });
    drive(walker);
    if (!saw_net) throw InputError(origin, 1, "net", "not a SUMO network file (no <net> element)");

    NetworkBuilder b(opt.name, "SUMO net file " + origin);
    // Net coordinates are metres in a projected CRS shifted by netOffset; they map to a pseudo
    // lat/lon around (0, 0) so distances and pictures stay right (the true CRS is not needed).
    const LocalProjection proj(LatLon{0.0, 0.0});
    std::unordered_map<std::string, NodeId> node_of;  // lookups only: never iterated
    for (const auto& [id, x, y] : junctions) {
        if (node_of.count(id) != 0) throw InputError(origin, 0, "junction.id", "duplicate junction " + id);
        node_of.emplace(id, b.add_node(proj.to_latlon(XY{x, y}), id));
    }
    for (const auto& e : edges) {
        if (e.lanes == 0) throw InputError(origin, e.line, "lane", "edge " + e.id + " has no lanes");
        const auto f = node_of.find(e.from), t = node_of.find(e.to);
        if (f == node_of.end()) throw InputError(origin, e.line, "from", "unknown junction " + e.from);
        if (t == node_of.end()) throw InputError(origin, e.line, "to", "unknown junction " + e.to);
        LinkSpec s;
        s.from = f->second;
        s.to = t->second;
        s.length_m = e.length_sum_m / e.lanes;
        s.speed_mps = e.speed_mps;
        s.lanes = static_cast<float>(e.lanes);
        s.capacity_vph = opt.lane_capacity_vph * e.lanes;
        s.modes = mode_bit(Mode::Car);
        s.external_id = e.id;
        b.add_link(s);
    }
    auto& d = b.data();
    d.notes.push_back(fmt::format("sumo: {} edges (internal skipped), {} junctions", edges.size(), junctions.size()));
    d.notes.push_back("sumo: coordinates = net x/y metres mapped to pseudo lat/lon around (0,0) by the "
                      "local equirectangular projection; netOffset=" + net_offset +
                      " projParameter=" + proj_parameter);
    d.notes.push_back(fmt::format("sumo: capacity {} veh/h per lane (HCM 2010 saturation flow)",
                                  opt.lane_capacity_vph));
    return b.finish();
}

}  // namespace

NetworkData parse_net(std::string_view xml, const std::string& origin, const SumoImportOptions& opt) {
    return net_from([&](XmlWalker& w) { w.run(xml); }, origin, opt);
}

NetworkData read_net(const std::filesystem::path& path, const SumoImportOptions& opt) {
    return net_from([&](XmlWalker& w) { w.run_file(path.string()); }, path.string(), opt);
}

namespace {

/// Splits "a b c" into link ids, checking that each edge exists and follows the previous one.
std::vector<LinkId> route_links(const char* edges, const std::unordered_map<std::string, LinkId>& link_of,
                                const NetworkData& net, const std::string& origin, std::uint64_t line) {
    std::vector<LinkId> out;
    std::string_view s(edges);
    while (!s.empty()) {
        const auto b = s.find_first_not_of(' ');
        if (b == std::string_view::npos) break;
        s.remove_prefix(b);
        const auto e = std::min(s.find(' '), s.size());
        const std::string id(s.substr(0, e));
        s.remove_prefix(e);
        const auto it = link_of.find(id);
        if (it == link_of.end()) throw InputError(origin, line, "edges", "unknown edge '" + id + "'");
        if (!out.empty() && net.links.to[out.back().index()] != net.links.from[it->second.index()])
            throw InputError(origin, line, "edges", "edge '" + id + "' does not follow the previous edge");
        out.push_back(it->second);
    }
    if (out.empty()) throw InputError(origin, line, "edges", "empty route");
    return out;
}

SumoDemand routes_from(const Drive& drive, const std::string& origin, const NetworkData& net, int copies,
                       double copy_offset_s) {
    if (copies < 1) throw InputError(origin, 0, "copies", "must be >= 1");
    std::unordered_map<std::string, LinkId> link_of;  // lookups only: never iterated
    for (std::size_t i = 0; i < net.links.size(); ++i) link_of.emplace(net.links.external_id[i], LinkId::from_index(i));
    std::unordered_map<std::string, std::vector<LinkId>> named_routes;

    struct Pending {
        std::string id, route_ref;
        double depart_s = 0;
        std::uint64_t line = 0;
        std::vector<LinkId> route;
        bool open = false;
    } v;
    SumoDemand out;
    bool saw_routes = false;
    auto emit = [&] {
        if (v.route.empty()) {
            if (v.route_ref.empty()) throw InputError(origin, v.line, "route", "vehicle " + v.id + " has no route");
            const auto it = named_routes.find(v.route_ref);
            if (it == named_routes.end())
                throw InputError(origin, v.line, "route", "unknown route '" + v.route_ref + "'");
            v.route = it->second;
        }
        for (int k = 0; k < copies; ++k) {
            const auto trip = out.plans.trip_count();
            out.plans.begin_trip(AgentId::from_index(trip), seconds_to_ms(v.depart_s + k * copy_offset_s), Mode::Car,
                                 ZoneId{}, ZoneId{});
            out.plans.add_drive(0, v.route);
            out.plans.end_trip();
            out.vehicle_ids.push_back(k == 0 ? v.id : fmt::format("{}#{}", v.id, k));
            out.route_edges += v.route.size();
        }
    };
    XmlWalker walker(
        origin,
        [&](const char* el, Attrs a, std::uint64_t line) {
            if (std::strcmp(el, "routes") == 0) {
                saw_routes = true;
            } else if (std::strcmp(el, "vehicle") == 0) {
                v = Pending{};
                v.open = true;
                v.line = line;
                v.id = required(a, "id", origin, line);
                v.depart_s = parse_number(attr(a, "depart"), origin, line, "depart");
                if (v.depart_s < 0) throw InputError(origin, line, "depart", "departure before 0 s");
                if (const char* r = attr(a, "route")) v.route_ref = r;
            } else if (std::strcmp(el, "route") == 0) {
                const char* edges = attr(a, "edges");
                if (edges == nullptr) throw InputError(origin, line, "edges", "missing attribute");
                auto links = route_links(edges, link_of, net, origin, line);
                if (v.open) {
                    v.route = std::move(links);
                } else {
                    named_routes[required(a, "id", origin, line)] = std::move(links);
                }
            } else if (std::strcmp(el, "trip") == 0 || std::strcmp(el, "flow") == 0 ||
                       std::strcmp(el, "person") == 0 || std::strcmp(el, "routeDistribution") == 0) {
                throw InputError(origin, line, el,
                                 "unsupported element: fix the routes first (duarouter), one vehicle per route");
            }
        },
        [&](const char* el, std::uint64_t) {
            if (std::strcmp(el, "vehicle") == 0) {
                emit();
                v.open = false;
            }
        });
    drive(walker);
    if (!saw_routes) throw InputError(origin, 1, "routes", "not a SUMO route file (no <routes> element)");
    return out;
}

}  // namespace

SumoDemand parse_routes(std::string_view xml, const std::string& origin, const NetworkData& net, int copies,
                        double copy_offset_s) {
    return routes_from([&](XmlWalker& w) { w.run(xml); }, origin, net, copies, copy_offset_s);
}

SumoDemand read_routes(const std::filesystem::path& path, const NetworkData& net, int copies, double copy_offset_s) {
    return routes_from([&](XmlWalker& w) { w.run_file(path.string()); }, path.string(), net, copies, copy_offset_s);
}

std::vector<VehicleType> vehicle_types() {
    VehicleType car;
    car.name = "car";
    car.mode = Mode::Car;
    car.pce = 1.0;
    car.max_speed_mps = 55.55;  // SUMO DEFAULT_VEHTYPE maxSpeed (sumo.dlr.de/docs/Vehicle_Type_Parameter_Defaults)
    car.emission_class = "passenger_medium_gasoline";
    return {car};
}

}  // namespace modeshift::sumo
