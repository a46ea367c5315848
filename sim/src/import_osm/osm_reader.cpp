// Reading an OSM file (XML, compressed XML or PBF) into the element store: route relations first,
// then the ways the tag rules keep, then only the nodes those ways and the stops use.
#include <fmt/format.h>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include <algorithm>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/io/utf8.hpp"

namespace modeshift::osm {
namespace {

/// Checks the framing of a PBF file before libosmium decodes it: every blob is a 4-byte length,
/// a BlobHeader with a non-empty type and a data size, then that many bytes. Errors name the byte
/// offset of the blob (libosmium would otherwise read an empty type through a null pointer).
void check_pbf_framing(const std::string& bytes, const std::filesystem::path& path) {
    const std::uint64_t size = bytes.size();
    std::uint64_t pos = 0;
    auto fail = [&](const std::string& msg) {
        throw InputError(path.string(), 0, fmt::format("blob at byte {}", pos),
                         "bad OSM PBF file: " + msg);
    };
    while (pos < size) {
        if (size - pos < 4) fail("truncated blob length");
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
        const std::uint32_t len = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                  (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
        if (len == 0 || len > 64 * 1024)
            fail(fmt::format("blob header size {} outside 1..65536", len));
        if (size - pos - 4 < len) fail("truncated blob header");
        std::string type;
        std::int64_t datasize = -1;
        try {
            protozero::pbf_reader h(bytes.data() + pos + 4, len);
            while (h.next()) {
                if (h.tag() == 1 && h.wire_type() == protozero::pbf_wire_type::length_delimited)
                    type = h.get_string();
                else if (h.tag() == 3 && h.wire_type() == protozero::pbf_wire_type::varint)
                    datasize = h.get_int32();
                else
                    h.skip();
            }
        } catch (const protozero::exception& e) {
            fail(std::string("damaged blob header: ") + e.what());
        }
        if (type.empty()) fail("blob header without a type");
        if (datasize <= 0 || datasize > 32 * 1024 * 1024)
            fail(fmt::format("blob data size {} outside 1..32 MiB", datasize));
        if (size - pos - 4 - len < static_cast<std::uint64_t>(datasize))
            fail("truncated blob data");
        pos += 4 + len + static_cast<std::uint64_t>(datasize);
    }
}

template <class F>
void guarded(const std::filesystem::path& file, const char* what, F&& f) {
    try {
        f();
    } catch (const InputError&) {
        throw;
    } catch (const osmium::xml_error& e) {
        throw InputError(file.string(), e.line, fmt::format("column {}", e.column),
                         fmt::format("OSM XML error while reading {}: {}", what, e.what()));
    } catch (const std::exception& e) {
        throw InputError(
            file.string(), 0, what,
            fmt::format("cannot read OSM data (truncated or damaged file?): {}", e.what()));
    }
}

}  // namespace

std::string tag_or(const osmium::TagList& tags, const char* key, const char* fallback) {
    const char* v = tags.get_value_by_key(key);
    return v ? std::string(v) : std::string(fallback);
}

void OsmImporter::read_file() {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file_, ec))
        throw InputError(file_.string(), 0, "file", "no such file (or not a regular file)");
    if (osmium::io::File(file_.string()).format() == osmium::io::file_format::pbf) {
        // PBF is read from memory: libosmium's PBF parser leaves its file descriptor open when
        // a blob fails to decode, so every damaged file read from disk would leak one.
        pbf_bytes_ = read_input_file(file_, kBinaryInput);
        check_pbf_framing(*pbf_bytes_, file_);
    }
    guarded(file_, "relations", [&] { read_relations(); });
    guarded(file_, "ways", [&] { read_ways(); });
    guarded(file_, "nodes", [&] { read_nodes(); });
}

osmium::io::File OsmImporter::osm_file() const {
    if (pbf_bytes_) return osmium::io::File(pbf_bytes_->data(), pbf_bytes_->size(), "pbf");
    // osmium detects .osm / .osm.pbf / .osm.gz / .osm.bz2 / .pbf from the name.
    return osmium::io::File(file_.string());
}

void OsmImporter::read_relations() {
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
                const char t = m.type() == osmium::item_type::node  ? 'n'
                               : m.type() == osmium::item_type::way ? 'w'
                                                                    : 'r';
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

void OsmImporter::read_ways() {
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
            if (!classify_way(way, tables_, report_, w)) continue;
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
    stop_node_ids_.erase(std::unique(stop_node_ids_.begin(), stop_node_ids_.end()),
                         stop_node_ids_.end());
    index_nodes();
}

/// Node index: every node of a kept way plus every stop node.
void OsmImporter::index_nodes() {
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
    for (auto* flags : {&nodes_.found, &nodes_.split, &nodes_.stop, &nodes_.signal})
        flags->assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) nodes_.split[i] = nodes_.uses[i] > 1 ? 1 : 0;
    for (auto s : stop_node_ids_) {
        const auto i = nodes_.find(s);
        nodes_.stop[i] = 1;
        if (nodes_.uses[i] > 0) nodes_.split[i] = 1;  // stop positions on a way become nodes
    }
}

void OsmImporter::refuse_coordinates(std::int64_t id, std::int32_t lat_e7,
                                     std::int32_t lon_e7) const {
    const double scale = osmium::detail::coordinate_precision;
    throw InputError(file_.string(), 0, fmt::format("node {}", id),
                     fmt::format("coordinates lat {:.7f} lon {:.7f} are out of range (latitude "
                                 "-90..90, longitude -180..180)",
                                 lat_e7 / scale, lon_e7 / scale));
}

void OsmImporter::read_nodes() {
    osmium::io::Reader reader(osm_file(), osmium::osm_entity_bits::node);
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const auto& node : buffer.select<osmium::Node>()) {
            ++report_.nodes_read;
            const auto i = nodes_.find(node.id());
            if (i == nodes_.id.size()) continue;
            const auto loc = node.location();
            if (loc.is_defined() && !loc.valid()) refuse_coordinates(node.id(), loc.y(), loc.x());
            if (!loc.valid()) {
                ++report_.warnings["node without coordinates ignored (broken geometry)"];
                continue;
            }
            nodes_.found[i] = 1;
            nodes_.lat[i] = loc.lat();
            nodes_.lon[i] = loc.lon();
            if (tag_or(node.tags(), "highway") == "traffic_signals") nodes_.signal[i] = 1;
            if (nodes_.stop[i]) {
                const auto nm = tag_or(node.tags(), "name");
                if (!is_valid_utf8(nm))
                    ++report_.warnings["stop name not valid UTF-8: bad bytes replaced by U+FFFD"];
                if (!nm.empty()) nodes_.stop_name[i] = repair_utf8(nm);
            }
        }
    }
    reader.close();
}

}  // namespace modeshift::osm
