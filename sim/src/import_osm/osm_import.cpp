// OSM -> NetworkData: three passes over the file (relations, ways, nodes) so that only the nodes
// the network needs are held in memory, then ways are split at shared nodes into links.
#include "modeshift/import_osm/osm_import.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/utf8.hpp"
#include "modeshift/network/builder.hpp"

namespace modeshift {
namespace {

constexpr ModeMask kMotor = mode_bit(Mode::Car) | mode_bit(Mode::Bus);
constexpr ModeMask kBike = mode_bit(Mode::Bike);
constexpr ModeMask kWalk = mode_bit(Mode::Walk);
constexpr ModeMask kBus = mode_bit(Mode::Bus);
constexpr ModeMask kCar = mode_bit(Mode::Car);

struct RouteMember {
    char type;            // 'n', 'w', 'r'
    std::int64_t ref;
    std::string role;
};

struct RouteRel {
    std::int64_t id = 0;
    std::string route, ref, name, interval;
    std::vector<RouteMember> members;
};

/// Attributes of one travel direction of a way.
struct DirAttrs {
    ModeMask modes = 0;
    float lanes = 1;
    double speed_kmh = 50;
    double capacity_vph = 0;
    bool bus_lane = false;
    bool bike_lane = false;
};

struct KeptWay {
    std::int64_t id = 0;
    std::vector<std::int64_t> refs;
    RoadClass road_class = RoadClass::Other;
    bool rail = false;
    std::string name;
    DirAttrs fwd, bwd;
};

/// A piece of a way between two network nodes.
struct Piece {
    NodeId a, b;
    LinkId fwd, bwd;
    bool starts_chain = false;  ///< not connected to the previous piece of the same way
};

std::string tag_or(const osmium::TagList& tags, const char* key, const char* fallback = "") {
    const char* v = tags.get_value_by_key(key);
    return v ? std::string(v) : std::string(fallback);
}

bool is_one_of(const std::string& v, std::initializer_list<const char*> options) {
    for (const char* o : options)
        if (v == o) return true;
    return false;
}

std::optional<float> parse_lanes(const std::string& v) {
    if (v.empty()) return std::nullopt;
    const auto semi = v.find(';');
    const auto n = parse_double(semi == std::string::npos ? v : v.substr(0, semi));
    if (!n || *n < 1 || *n > 20) return std::nullopt;
    return static_cast<float>(*n);
}

/// Counts "designated" entries in a "|"-separated per-lane value (bus:lanes=no|no|designated).
int designated_lanes(const std::string& v) {
    int n = 0;
    std::size_t pos = 0;
    while ((pos = v.find("designated", pos)) != std::string::npos) {
        ++n;
        pos += 10;
    }
    return n;
}

class WayTagger {
public:
    WayTagger(const OsmTables& t, OsmImportReport& r) : tables_(t), report_(r) {}

    /// Fills `w` from tags; false if the way is not part of the network.
    bool classify(const osmium::Way& way, KeptWay& w) {
        const auto& tags = way.tags();
        const char* hw = tags.get_value_by_key("highway");
        const char* rw = tags.get_value_by_key("railway");
        const OsmWayDefaults* d = nullptr;
        if (hw) {
            auto it = tables_.ways.find(std::string("highway=") + hw);
            if (it != tables_.ways.end()) d = &it->second;
        }
        if (!d && rw) {
            auto it = tables_.ways.find(std::string("railway=") + rw);
            if (it != tables_.ways.end()) {
                d = &it->second;
                w.rail = true;
            }
        }
        if (!d) return false;
        if (tag_or(tags, "area") == "yes") {
            ++report_.warnings["highway area (area=yes) skipped: not a line"];
            return false;
        }
        w.road_class = d->road_class;
        const std::string raw_name = tag_or(tags, "name");
        if (!is_valid_utf8(raw_name)) {
            ++report_.warnings["way name not valid UTF-8: bad bytes replaced by U+FFFD"];
            w.name = repair_utf8(raw_name);
        } else {
            w.name = raw_name;
        }
        ModeMask modes = d->modes;
        if (!w.rail) modes = apply_access(tags, modes);
        const auto [fwd_on, bwd_on] = directions(tags, *d);
        w.fwd = base_dir(*d, modes);
        w.bwd = base_dir(*d, modes);
        if (!w.rail) {
            lanes(tags, *d, fwd_on, bwd_on, w);
            speeds(tags, w);
            bus_lanes(tags, hw ? std::string(hw) : std::string(), fwd_on, bwd_on, w);
            cycle_lanes(tags, hw ? std::string(hw) : std::string(), fwd_on, bwd_on, w);
        }
        // A oneway road stays walkable both ways (pedestrians are not bound by oneway);
        // contraflow cycling and buses only where tagged.
        if (!fwd_on) w.fwd.modes &= static_cast<ModeMask>(kWalk | contraflow(tags, w.fwd.bike_lane, w.fwd.bus_lane));
        if (!bwd_on) w.bwd.modes &= static_cast<ModeMask>(kWalk | contraflow(tags, w.bwd.bike_lane, w.bwd.bus_lane));
        if (w.rail) {
            if (!fwd_on) w.fwd.modes = 0;
            if (!bwd_on) w.bwd.modes = 0;
        }
        for (DirAttrs* dir : {&w.fwd, &w.bwd}) {
            const float car_lanes = std::max(1.0f, dir->lanes);
            dir->capacity_vph = d->capacity_per_lane_vph * car_lanes;
        }
        return (w.fwd.modes | w.bwd.modes) != 0;
    }

private:
    ModeMask apply_access(const osmium::TagList& tags, ModeMask m) {
        auto no = [](const std::string& v) { return is_one_of(v, {"no", "private", "agricultural", "forestry"}); };
        auto yes = [](const std::string& v) { return is_one_of(v, {"yes", "designated", "permissive", "destination"}); };
        const auto access = tag_or(tags, "access");
        if (no(access)) m = 0;
        if (no(tag_or(tags, "vehicle"))) m &= static_cast<ModeMask>(~(kMotor | kBike));
        if (no(tag_or(tags, "motor_vehicle"))) m &= static_cast<ModeMask>(~kMotor);
        if (no(tag_or(tags, "motorcar"))) m &= static_cast<ModeMask>(~kCar);
        if (yes(tag_or(tags, "motor_vehicle")) || yes(tag_or(tags, "motorcar"))) m |= kCar | (no(access) ? 0 : kBus);
        if (yes(tag_or(tags, "psv")) || yes(tag_or(tags, "bus"))) m |= kBus;
        if (no(tag_or(tags, "psv")) || no(tag_or(tags, "bus"))) m &= static_cast<ModeMask>(~kBus);
        const auto bicycle = tag_or(tags, "bicycle");
        if (no(bicycle) || bicycle == "dismount") m &= static_cast<ModeMask>(~kBike);
        if (yes(bicycle)) m |= kBike;
        const auto foot = tag_or(tags, "foot");
        if (no(foot)) m &= static_cast<ModeMask>(~kWalk);
        if (yes(foot)) m |= kWalk;
        if (no(access) && m == 0) ++report_.warnings["way closed by access tags (access=no/private) skipped"];
        return m;
    }

    std::pair<bool, bool> directions(const osmium::TagList& tags, const OsmWayDefaults& d) {
        const auto ow = tag_or(tags, "oneway");
        const auto junction = tag_or(tags, "junction");
        if (is_one_of(ow, {"yes", "true", "1"})) return {true, false};
        if (is_one_of(ow, {"-1", "reverse"})) return {false, true};
        if (is_one_of(ow, {"no", "false", "0"})) return {true, true};
        if (is_one_of(junction, {"roundabout", "circular"})) return {true, false};
        if (!ow.empty()) ++report_.warnings[fmt::format("oneway={} not understood: treated as two-way", ow)];
        return d.oneway ? std::pair{true, false} : std::pair{true, true};
    }

    DirAttrs base_dir(const OsmWayDefaults& d, ModeMask modes) const {
        DirAttrs a;
        a.modes = modes;
        a.lanes = d.lanes_per_direction;
        a.speed_kmh = d.speed_kmh;
        return a;
    }

    void lanes(const osmium::TagList& tags, const OsmWayDefaults& d, bool fwd_on, bool bwd_on, KeptWay& w) {
        const auto total_s = tag_or(tags, "lanes");
        const auto total = parse_lanes(total_s);
        if (!total_s.empty() && !total) ++report_.warnings["lanes value not a number in 1..20: class default used"];
        const auto f = parse_lanes(tag_or(tags, "lanes:forward"));
        const auto b = parse_lanes(tag_or(tags, "lanes:backward"));
        if (fwd_on && !bwd_on) {
            w.fwd.lanes = total ? *total : (f ? *f : d.lanes_per_direction);
        } else if (bwd_on && !fwd_on) {
            w.bwd.lanes = total ? *total : (b ? *b : d.lanes_per_direction);
        } else {
            if (f) w.fwd.lanes = *f;
            if (b) w.bwd.lanes = *b;
            if (total && !f && !b) {
                w.fwd.lanes = std::max(1.0f, *total / 2);
                w.bwd.lanes = std::max(1.0f, *total / 2);
            } else if (total && f && !b) {
                w.bwd.lanes = std::max(1.0f, *total - *f);
            } else if (total && b && !f) {
                w.fwd.lanes = std::max(1.0f, *total - *b);
            }
        }
    }

    void speeds(const osmium::TagList& tags, KeptWay& w) {
        auto one = [&](const char* key) -> std::optional<double> {
            const auto v = tag_or(tags, key);
            if (v.empty()) return std::nullopt;
            auto s = parse_maxspeed_kmh(v, tables_);
            if (!s && !is_one_of(v, {"none", "signals", "variable"}))
                ++report_.warnings["maxspeed value not understood: class default used"];
            return s;
        };
        const auto both = one("maxspeed");
        const auto f = one("maxspeed:forward");
        const auto b = one("maxspeed:backward");
        if (both) w.fwd.speed_kmh = w.bwd.speed_kmh = *both;
        if (f) w.fwd.speed_kmh = *f;
        if (b) w.bwd.speed_kmh = *b;
    }

    void bus_lanes(const osmium::TagList& tags, const std::string& hw, bool fwd_on, bool bwd_on, KeptWay& w) {
        bool f = false, b = false;
        const bool oneway = fwd_on != bwd_on;
        auto lane = [](const std::string& v) { return v == "lane" || v == "designated"; };
        if (hw == "busway" || hw == "bus_guideway") f = b = true;
        if (lane(tag_or(tags, "busway")) || lane(tag_or(tags, "busway:both"))) {
            if (oneway) (fwd_on ? f : b) = true;
            else f = b = true;
        }
        if (lane(tag_or(tags, "busway:right"))) (oneway && bwd_on ? b : f) = true;
        if (lane(tag_or(tags, "busway:left"))) (oneway ? (fwd_on ? f : b) : b) = true;
        if (tag_or(tags, "busway") == "opposite_lane") b = true;
        for (const char* k : {"lanes:bus", "lanes:psv"}) {
            const auto n = parse_lanes(tag_or(tags, k));
            if (n) {
                if (oneway) (fwd_on ? f : b) = true;
                else if (*n >= 2) f = b = true;
                else f = true;  // one bus lane on a two-way road: right-hand traffic, forward side
            }
        }
        for (const char* k : {"lanes:bus:forward", "lanes:psv:forward"})
            if (parse_lanes(tag_or(tags, k))) f = true;
        for (const char* k : {"lanes:bus:backward", "lanes:psv:backward"})
            if (parse_lanes(tag_or(tags, k))) b = true;
        for (const char* k : {"bus:lanes", "psv:lanes"})
            if (designated_lanes(tag_or(tags, k)) > 0) (bwd_on && !fwd_on ? b : f) = true;
        for (const char* k : {"bus:lanes:forward", "psv:lanes:forward"})
            if (designated_lanes(tag_or(tags, k)) > 0) f = true;
        for (const char* k : {"bus:lanes:backward", "psv:lanes:backward"})
            if (designated_lanes(tag_or(tags, k)) > 0) b = true;
        // A bus lane is one of the tagged lanes: the car capacity loses it (OSM "lanes" counts
        // every lane, bus lanes included), but never below one lane.
        if (f && !(hw == "busway" || hw == "bus_guideway")) {
            w.fwd.bus_lane = true;
            w.fwd.modes |= kBus;
            if (w.fwd.lanes >= 2) w.fwd.lanes -= 1;
        }
        if (b && !(hw == "busway" || hw == "bus_guideway")) {
            w.bwd.bus_lane = true;
            w.bwd.modes |= kBus;
            if (w.bwd.lanes >= 2) w.bwd.lanes -= 1;
        }
        if (hw == "busway" || hw == "bus_guideway") w.fwd.bus_lane = w.bwd.bus_lane = true;
    }

    void cycle_lanes(const osmium::TagList& tags, const std::string& hw, bool fwd_on, bool bwd_on, KeptWay& w) {
        bool f = false, b = false;
        const bool oneway = fwd_on != bwd_on;
        auto lane = [](const std::string& v) { return is_one_of(v, {"lane", "track", "separate", "exclusive"}); };
        if (hw == "cycleway") f = b = true;
        if (lane(tag_or(tags, "cycleway")) || lane(tag_or(tags, "cycleway:both"))) {
            if (oneway) (fwd_on ? f : b) = true;
            else f = b = true;
        }
        if (lane(tag_or(tags, "cycleway:right"))) (oneway && bwd_on ? b : f) = true;
        if (lane(tag_or(tags, "cycleway:left"))) (oneway ? (fwd_on ? f : b) : b) = true;
        if (is_one_of(tag_or(tags, "cycleway"), {"opposite_lane", "opposite_track"})) b = true;
        if (f) {
            w.fwd.bike_lane = true;
            w.fwd.modes |= kBike;
        }
        if (b) {
            w.bwd.bike_lane = true;
            w.bwd.modes |= kBike;
        }
    }

    /// Modes allowed against a oneway direction.
    static ModeMask contraflow(const osmium::TagList& tags, bool bike_lane, bool bus_lane) {
        ModeMask m = 0;
        if (bike_lane || tag_or(tags, "oneway:bicycle") == "no" ||
            tag_or(tags, "cycleway").rfind("opposite", 0) == 0)
            m |= kBike;
        if (bus_lane || tag_or(tags, "oneway:bus") == "no" || tag_or(tags, "oneway:psv") == "no") m |= kBus;
        return m;
    }

    const OsmTables& tables_;
    OsmImportReport& report_;
};

/// Sorted node ids with per-node data (struct of arrays, binary search by id).
struct NodeIndex {
    std::vector<std::int64_t> id;
    std::vector<std::uint32_t> uses;
    std::vector<double> lat, lon;
    std::vector<std::uint8_t> found, split, stop;
    std::vector<std::uint8_t> signal;  ///< highway=traffic_signals
    std::map<std::size_t, std::string> stop_name;  ///< by index; only stop nodes have names kept

    std::size_t find(std::int64_t osm_id) const {
        auto it = std::lower_bound(id.begin(), id.end(), osm_id);
        return (it != id.end() && *it == osm_id) ? static_cast<std::size_t>(it - id.begin()) : id.size();
    }
};

/// Share of car links whose ends lie in the largest strongly connected component (by links).
double car_scc_share(const NetworkData& d) {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    G g(d.nodes.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (allows(d.links.modes[i], Mode::Car)) {
            boost::add_edge(d.links.from[i].index(), d.links.to[i].index(), g);
            ++n;
        }
    if (n == 0) return 0;
    std::vector<int> comp(d.nodes.size());
    const int nc = boost::strong_components(
        g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
    std::vector<std::size_t> in(static_cast<std::size_t>(nc), 0);
    for (std::size_t i = 0; i < d.links.size(); ++i) {
        const auto a = comp[d.links.from[i].index()];
        if (allows(d.links.modes[i], Mode::Car) && a == comp[d.links.to[i].index()]) ++in[static_cast<std::size_t>(a)];
    }
    return static_cast<double>(*std::max_element(in.begin(), in.end())) / static_cast<double>(n);
}

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
    if (parts.size() == 1) s = parts[0] * 60;
    else if (parts.size() == 2) s = parts[0] * 3600 + parts[1] * 60;
    else if (parts.size() == 3) s = parts[0] * 3600 + parts[1] * 60 + parts[2];
    else return std::nullopt;
    return s > 0 ? std::optional<double>(s) : std::nullopt;
}

/// Checks the framing of a PBF file before libosmium decodes it: every blob is a 4-byte length,
/// a BlobHeader with a non-empty type and a data size, then that many bytes. Errors name the byte
/// offset of the blob (libosmium would otherwise read an empty type through a null pointer).
void check_pbf_framing(const std::string& bytes, const std::filesystem::path& path) {
    const std::uint64_t size = bytes.size();
    std::uint64_t pos = 0;
    auto fail = [&](const std::string& msg) {
        throw InputError(path.string(), 0, fmt::format("blob at byte {}", pos), "bad OSM PBF file: " + msg);
    };
    while (pos < size) {
        if (size - pos < 4) fail("truncated blob length");
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
        const std::uint32_t len = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
                                  std::uint32_t{p[3]};
        if (len == 0 || len > 64 * 1024) fail(fmt::format("blob header size {} outside 1..65536", len));
        if (size - pos - 4 < len) fail("truncated blob header");
        std::string type;
        std::int64_t datasize = -1;
        try {
            protozero::pbf_reader h(bytes.data() + pos + 4, len);
            while (h.next()) {
                if (h.tag() == 1 && h.wire_type() == protozero::pbf_wire_type::length_delimited) type = h.get_string();
                else if (h.tag() == 3 && h.wire_type() == protozero::pbf_wire_type::varint) datasize = h.get_int32();
                else h.skip();
            }
        } catch (const protozero::exception& e) {
            fail(std::string("damaged blob header: ") + e.what());
        }
        if (type.empty()) fail("blob header without a type");
        if (datasize <= 0 || datasize > 32 * 1024 * 1024) fail(fmt::format("blob data size {} outside 1..32 MiB", datasize));
        if (size - pos - 4 - len < static_cast<std::uint64_t>(datasize)) fail("truncated blob data");
        pos += 4 + len + static_cast<std::uint64_t>(datasize);
    }
}

class OsmImporter {
public:
    OsmImporter(const std::filesystem::path& file, const OsmTables& t, const OsmImportOptions& o,
                OsmImportReport& r)
        : file_(file), tables_(t), opt_(o), report_(r), builder_(o.name, "OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0): " + file.filename().string()) {}

    NetworkData run() {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file_, ec))
            throw InputError(file_.string(), 0, "file", "no such file (or not a regular file)");
        if (osmium::io::File(file_.string()).format() == osmium::io::file_format::pbf) {
            // PBF is read from memory: libosmium's PBF parser leaves its file descriptor open when
            // a blob fails to decode, so every damaged file read from disk would leak one.
            pbf_bytes_ = read_file_bytes(file_);
            check_pbf_framing(*pbf_bytes_, file_);
        }
        guarded("relations", [&] { read_relations(); });
        guarded("ways", [&] { read_ways(); });
        guarded("nodes", [&] { read_nodes(); });
        build_links();
        report_.car_scc_share = car_scc_share(builder_.data());
        if (opt_.import_routes) build_lines();
        auto& notes = builder_.data().notes;
        for (auto& s : report_.summary()) notes.push_back("osm import: " + s);
        return builder_.finish();
    }

private:
    template <class F>
    void guarded(const char* what, F&& f) {
        try {
            f();
        } catch (const InputError&) {
            throw;
        } catch (const osmium::xml_error& e) {
            throw InputError(file_.string(), e.line, fmt::format("column {}", e.column),
                             fmt::format("OSM XML error while reading {}: {}", what, e.what()));
        } catch (const std::exception& e) {
            throw InputError(file_.string(), 0, what,
                             fmt::format("cannot read OSM data (truncated or damaged file?): {}", e.what()));
        }
    }

    osmium::io::File osm_file() const {
        if (pbf_bytes_) return osmium::io::File(pbf_bytes_->data(), pbf_bytes_->size(), "pbf");
        // osmium detects .osm / .osm.pbf / .osm.gz / .osm.bz2 / .pbf from the name.
        return osmium::io::File(file_.string());
    }

    void read_relations() {
        osmium::io::Reader reader(osm_file(), osmium::osm_entity_bits::relation);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& rel : buffer.select<osmium::Relation>()) {
                ++report_.relations_read;
                const auto& tags = rel.tags();
                if (tag_or(tags, "type") != "route") continue;
                const auto route = tag_or(tags, "route");
                if (!tables_.transit.count(route)) continue;
                ++report_.route_relations;
                RouteRel r;
                r.id = rel.id();
                r.route = route;
                r.ref = repair_utf8(tag_or(tags, "ref"));
                r.name = repair_utf8(tag_or(tags, "name"));
                r.interval = tag_or(tags, "interval");
                for (const auto& m : rel.members()) {
                    const char t = m.type() == osmium::item_type::node ? 'n'
                                 : m.type() == osmium::item_type::way  ? 'w' : 'r';
                    r.members.push_back({t, m.ref(), m.role()});
                    if (t == 'n' && node_is_stop(m.role())) stop_node_ids_.push_back(m.ref());
                    if (t == 'w' && is_stop_role(m.role())) platform_way_ids_.push_back(m.ref());
                }
                routes_.push_back(std::move(r));
            }
        }
        reader.close();
        std::sort(stop_node_ids_.begin(), stop_node_ids_.end());
        std::sort(platform_way_ids_.begin(), platform_way_ids_.end());
    }

    static bool is_stop_role(const std::string& role) {
        return role.rfind("stop", 0) == 0 || role.rfind("platform", 0) == 0;
    }
    /// PTv2 roles stop/platform(_entry_only/_exit_only); PTv1 lists stops as node members with an
    /// empty role or "forward:stop"/"backward:stop".
    static bool node_is_stop(const std::string& role) {
        return role.empty() || role.find("stop") != std::string::npos || role.find("platform") != std::string::npos;
    }

    void read_ways() {
        WayTagger tagger(tables_, report_);
        osmium::io::Reader reader(osm_file(), osmium::osm_entity_bits::way);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& way : buffer.select<osmium::Way>()) {
                ++report_.ways_read;
                if (way.tags().has_key("highway")) ++report_.highway_ways;
                if (std::binary_search(platform_way_ids_.begin(), platform_way_ids_.end(), way.id()) &&
                    !way.nodes().empty()) {
                    // A platform drawn as a way: its middle node stands for the stop.
                    const auto mid = way.nodes()[way.nodes().size() / 2].ref();
                    platform_way_node_[way.id()] = mid;
                    stop_node_ids_.push_back(mid);
                }
                KeptWay w;
                w.id = way.id();
                if (!tagger.classify(way, w)) continue;
                for (const auto& nr : way.nodes()) w.refs.push_back(nr.ref());
                if (w.refs.size() < 2) {
                    ++report_.warnings["way with fewer than 2 nodes skipped (broken geometry)"];
                    continue;
                }
                ways_.push_back(std::move(w));
            }
        }
        reader.close();
        std::sort(stop_node_ids_.begin(), stop_node_ids_.end());
        stop_node_ids_.erase(std::unique(stop_node_ids_.begin(), stop_node_ids_.end()), stop_node_ids_.end());
        // Node index: every node of a kept way plus every stop node.
        std::vector<std::int64_t> all;
        for (const auto& w : ways_) {
            all.insert(all.end(), w.refs.begin(), w.refs.end());
            all.push_back(w.refs.front());  // endpoints always split (counted twice)
            all.push_back(w.refs.back());
        }
        std::sort(all.begin(), all.end());
        for (std::size_t i = 0; i < all.size();) {
            std::size_t j = i;
            while (j < all.size() && all[j] == all[i]) ++j;
            nodes_.id.push_back(all[i]);
            nodes_.uses.push_back(static_cast<std::uint32_t>(j - i));
            i = j;
        }
        for (auto s : stop_node_ids_) {
            if (nodes_.find(s) == nodes_.id.size()) {
                auto it = std::lower_bound(nodes_.id.begin(), nodes_.id.end(), s);
                const auto pos = it - nodes_.id.begin();
                nodes_.id.insert(it, s);
                nodes_.uses.insert(nodes_.uses.begin() + pos, 0);
            }
        }
        const auto n = nodes_.id.size();
        nodes_.lat.assign(n, 0);
        nodes_.lon.assign(n, 0);
        nodes_.found.assign(n, 0);
        nodes_.split.assign(n, 0);
        nodes_.stop.assign(n, 0);
        nodes_.signal.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) nodes_.split[i] = nodes_.uses[i] > 1 ? 1 : 0;
        for (auto s : stop_node_ids_) {
            const auto i = nodes_.find(s);
            nodes_.stop[i] = 1;
            if (nodes_.uses[i] > 0) nodes_.split[i] = 1;  // stop positions on a way become nodes
        }
    }

    void read_nodes() {
        osmium::io::Reader reader(osm_file(), osmium::osm_entity_bits::node);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& node : buffer.select<osmium::Node>()) {
                ++report_.nodes_read;
                const auto i = nodes_.find(node.id());
                if (i == nodes_.id.size()) continue;
                const auto loc = node.location();
                if (!loc.valid()) {
                    ++report_.warnings["node with invalid coordinates ignored (broken geometry)"];
                    continue;
                }
                nodes_.found[i] = 1;
                nodes_.lat[i] = loc.lat();
                nodes_.lon[i] = loc.lon();
                if (tag_or(node.tags(), "highway") == "traffic_signals") nodes_.signal[i] = 1;
                if (nodes_.stop[i]) {
                    const auto nm = tag_or(node.tags(), "name");
                    if (!is_valid_utf8(nm)) ++report_.warnings["stop name not valid UTF-8: bad bytes replaced by U+FFFD"];
                    if (!nm.empty()) nodes_.stop_name[i] = repair_utf8(nm);
                }
            }
        }
        reader.close();
    }

    bool usable(std::size_t i) const {
        if (i >= nodes_.id.size() || !nodes_.found[i]) return false;
        return !opt_.boundary || opt_.boundary->contains({nodes_.lat[i], nodes_.lon[i]});
    }

    NodeId network_node(std::size_t i) {
        auto [it, inserted] = node_of_osm_.try_emplace(nodes_.id[i], NodeId{});
        if (inserted) {
            it->second = builder_.add_node({nodes_.lat[i], nodes_.lon[i]}, fmt::format("n{}", nodes_.id[i]));
            // A signal tagged on a junction node controls that junction. (Signals tagged on an
            // approach a few metres before the junction stay on their way and are not used.)
            if (nodes_.signal[i]) builder_.set_control(it->second, NodeControl::Signal);
        }
        return it->second;
    }

    /// Marks as network nodes the ends of every usable run of a way (way ends, and the nodes
    /// next to a missing or outside node), before any way is split, so that all ways through
    /// such a node are split there alike.
    void mark_run_ends() {
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

    void build_links() {
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
        if (missing) report_.warnings["way node not in the file (extract edge): way split there"] += missing;
        if (outside) report_.warnings["way node outside the boundary: way cut there"] += outside;
    }

    /// Adds the links of one piece; closed pieces (a == b) are split at their middle point.
    bool emit_piece(const KeptWay& w, std::size_t ia, std::size_t ib, const std::vector<LatLon>& pts,
                    std::vector<Piece>& pieces, bool new_chain) {
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

    void add_piece(const KeptWay& w, NodeId a, NodeId b, const std::vector<LatLon>& pts,
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

    // ---------------- route relations -> transit lines ----------------

    /// A contiguous run of pieces of one member way.
    struct Chain {
        std::vector<NodeId> nodes;  // k+1 nodes
        std::vector<LinkId> fwd, bwd;  // k links each (bwd[i]: nodes[i+1] -> nodes[i])
    };

    std::vector<Chain> chains_of(std::int64_t way_id) const {
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

    struct Segment {
        std::vector<LinkId> links;
        std::vector<NodeId> nodes;
    };

    static std::ptrdiff_t index_of(const std::vector<NodeId>& v, NodeId n) {
        auto it = std::find(v.begin(), v.end(), n);
        return it == v.end() ? -1 : it - v.begin();
    }

    std::vector<Segment> route_segments(const RouteRel& r, ModeMask need) {
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
                    if (j < 0 && cand != i && index_of(next->nodes, ch.nodes[static_cast<std::size_t>(cand)]) >= 0) j = cand;
                for (std::ptrdiff_t q = 1; j < 0 && q < k; ++q)
                    if (q != i && index_of(next->nodes, ch.nodes[static_cast<std::size_t>(q)]) >= 0) j = q;
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
                ++report_.warnings["route runs against a oneway or over a link closed to its mode: gap"];
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

    struct StopRef {
        std::size_t node_index;  // into nodes_
    };

    std::vector<StopRef> route_stops(const RouteRel& r) const {
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

    StopId stop_for(std::size_t ni, NodeId node, Mode mode) {
        const auto key = std::pair{nodes_.id[ni], node.value()};
        auto [it, inserted] = stop_index_.try_emplace(key, StopId{});
        auto& stops = builder_.data().stops;
        if (inserted) {
            it->second = StopId::from_index(stops.size());
            Stop s;
            s.code = fmt::format("n{}", nodes_.id[ni]);
            if (auto it_name = nodes_.stop_name.find(ni); it_name != nodes_.stop_name.end()) s.name = it_name->second;
            s.lat = nodes_.lat[ni];
            s.lon = nodes_.lon[ni];
            s.node = node;
            stops.push_back(std::move(s));
        }
        stops[it->second.index()].modes |= mode_bit(mode);
        return it->second;
    }

    void build_lines() {
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
                        const double dist = haversine_m(p, {d.nodes.lat[n.index()], d.nodes.lon[n.index()]});
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
                ln.source = fmt::format("OSM relation {} route={} (© OpenStreetMap contributors); {}", r.id,
                                        r.route, interval ? "headway from tag interval" : "service: " + def.source);
                d.lines.push_back(std::move(ln));
                ++report_.lines;
            }
        }
        report_.stops = d.stops.size();
    }

    std::filesystem::path file_;
    std::optional<std::string> pbf_bytes_;  ///< the whole file when it is PBF
    const OsmTables& tables_;
    const OsmImportOptions& opt_;
    OsmImportReport& report_;
    NetworkBuilder builder_;
    std::vector<RouteRel> routes_;
    std::vector<std::int64_t> stop_node_ids_, platform_way_ids_;
    std::map<std::int64_t, std::int64_t> platform_way_node_;
    std::vector<KeptWay> ways_;
    NodeIndex nodes_;
    // Lookup only (never iterated), so hash order cannot leak into the output.
    std::unordered_map<std::int64_t, NodeId> node_of_osm_;
    std::unordered_map<std::int64_t, std::vector<Piece>> pieces_of_way_;
    std::map<std::pair<std::int64_t, std::uint32_t>, StopId> stop_index_;
};

}  // namespace

std::vector<std::string> OsmImportReport::summary() const {
    std::vector<std::string> s;
    s.push_back(fmt::format("read {} nodes, {} ways ({} with highway), {} relations", nodes_read, ways_read,
                            highway_ways, relations_read));
    s.push_back(fmt::format("used {} highway ways, {} railway ways; {:.1f} km of road; largest car SCC "
                            "holds {:.1f} % of car links",
                            road_ways_used, rail_ways_used, road_km, 100 * car_scc_share));
    s.push_back(fmt::format("{} route relations -> {} lines ({} split at gaps, {} dropped, {} gaps), {} stops",
                            route_relations, lines, lines_split, lines_dropped, line_gaps, stops));
    for (const auto& [k, v] : warnings) s.push_back(fmt::format("warning x{}: {}", v, k));
    return s;
}

NetworkData import_osm(const std::filesystem::path& file, const OsmTables& tables,
                       const OsmImportOptions& options, OsmImportReport& report) {
    OsmImporter imp(file, tables, options, report);
    return imp.run();
}

}  // namespace modeshift
