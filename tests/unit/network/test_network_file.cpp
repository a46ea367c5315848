// Network files: the binary form (the common frame, and version-2 files from before it) and the
// JSON form.
#include <gtest/gtest.h>
#include <unistd.h>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <filesystem>
#include <optional>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/little_endian.hpp"
#include "modeshift/io/portable_binary.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/content_hash.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
constexpr std::size_t kHeader =
    36;  // the frame: magic, version, fingerprint, payload size, checksum

/// This process's scratch folder (ctest runs test processes side by side).
const fs::path& dir() {
    static const fs::path d = [] {
        const auto p = fs::temp_directory_path() /
                       ("modeshift_test_network_file_" + std::to_string(::getpid()));
        fs::create_directories(p);
        return p;
    }();
    return d;
}

/// `bytes` written as DIR/name; its path.
fs::path file_of(const std::string& name, const std::string& bytes) {
    write_text_atomic(dir() / name, bytes);
    return dir() / name;
}

/// The refusal reading the network file `path` ends in; nothing if it reads.
std::optional<InputError> refusal_of(const fs::path& path) {
    try {
        read_network(path);
        return std::nullopt;
    } catch (const InputError& e) {
        return e;
    }
}

bool says(const std::optional<InputError>& e, const std::string& text) {
    return e && std::string(e->what()).find(text) != std::string::npos;
}

/// The payload layout of versions 2 and 3 (links without lanes_source), spelled out here so that
/// the test pins the old layout independently of the reader's copy of it.
struct OldLinks {
    LinkTable& l;
    template <class A>
    void serialize(A& ar) {
        ar(l.from, l.to, l.length_m, l.freeflow_speed_mps, l.freeflow_time_s, l.lanes,
           l.capacity_vph, l.storage_pce, l.modes, l.road_class, l.name, l.bus_lane, l.bike_lane,
           l.bpr_alpha, l.bpr_beta, l.toll, l.external_id, l.geom_first, l.geom_lat, l.geom_lon);
    }
};
struct OldNetwork {
    NetworkData& d;
    template <class A>
    void serialize(A& ar) {
        OldLinks links{d.links};
        ar(d.name, d.source, d.ref_lat, d.ref_lon, d.nodes, links, d.names, d.zones,
           d.first_thru_node, d.stops, d.lines, d.bike_stations, d.notes);
    }
};
std::string old_payload(NetworkData d) {
    OldNetwork v3{d};
    return to_portable_binary(v3);
}

NetworkData sample() {
    NetworkBuilder b("sample", "unit test");
    auto n0 = b.add_node({36.3, 127.3}, "a");
    auto n1 = b.add_node({36.31, 127.3}, "b");
    LinkSpec s;
    s.from = n0;
    s.to = n1;
    s.length_m = 1111.5;
    s.capacity_vph = 1800;
    s.name = "계룡로";
    s.geometry = {{36.3, 127.3}, {36.305, 127.301}, {36.31, 127.3}};
    b.add_link(s);
    auto d = b.finish();
    Zone z;
    z.code = "1";
    z.name = "둔산1동";
    z.centroid = n0;
    z.attr_names = {"schools"};
    z.attr_values = {3};
    z.ring_first = {0, 3};
    z.ring_lat = {36.3, 36.31, 36.3};
    z.ring_lon = {127.3, 127.3, 127.31};
    d.zones.push_back(z);
    d.stops.push_back({"s1", "시청", 36.3, 127.3, n0, mode_bit(Mode::Bus)});
    TransitLine ln;
    ln.code = "L1";
    ln.stops = {StopId(0)};
    ln.links = {LinkId(0)};
    ln.stop_link_pos = {0};
    d.lines.push_back(ln);
    return d;
}
}  // namespace

TEST(NetworkFile, BinaryAndJsonRoundTripExactly) {
    const auto d = sample();
    write_network_binary(d, dir() / "n.msnet");
    write_network_json(d, dir() / "n.msnet.json");
    EXPECT_EQ(read_network(dir() / "n.msnet"), d);
    EXPECT_EQ(read_network(dir() / "n.msnet.json"), d);
    EXPECT_EQ(Network(read_network(dir() / "n.msnet.json")).content_hash(),
              Network(sample()).content_hash());
}

TEST(NetworkFile, BinaryFormIsFramedWithTheContentHash) {
    const auto d = sample();
    write_network_binary(d, dir() / "n.msnet");
    const auto bytes = read_file_bytes(dir() / "n.msnet");
    EXPECT_EQ(bytes.substr(0, 8), "MSNETBIN");
    EXPECT_EQ(get_le<std::uint32_t>(bytes, 8), kNetworkFileVersion);
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 12), network_content_hash(d));  // the fingerprint
    EXPECT_EQ(get_le<std::uint64_t>(bytes, 20), bytes.size() - kHeader);
}

TEST(NetworkFile, TruncatedOrForeignFilesAreRefused) {
    write_network_binary(sample(), dir() / "n.msnet");
    const auto bytes = read_file_bytes(dir() / "n.msnet");
    EXPECT_TRUE(
        says(refusal_of(file_of("trunc.msnet", bytes.substr(0, bytes.size() - 10))), "truncated"));
    auto corrupt = bytes;
    corrupt[bytes.size() - 3] ^= 0x55;
    EXPECT_TRUE(says(refusal_of(file_of("corrupt.msnet", corrupt)), "corrupt"));
    auto v9 = bytes;
    v9[8] = 9;
    EXPECT_TRUE(says(refusal_of(file_of("v9.msnet", v9)), "schema version 9, this build reads 4"));
    EXPECT_TRUE(refusal_of(file_of("junk.msnet", "hello world")));
}

// Regression (fuzz target msnet): a length prefix in the payload, behind a valid checksum, that
// claims a terabyte made the reader try to allocate it. It is refused before any allocation.
TEST(NetworkFile, ImpossibleLengthBehindValidChecksumIsRefused) {
    write_network_binary(sample(), dir() / "n.msnet");
    auto bytes = read_file_bytes(dir() / "n.msnet");
    ASSERT_EQ(bytes[kHeader], 1);  // byte order flag, then the name's length (u64)
    bytes.replace(kHeader + 1, 8, std::string("\x01\x00\x00\xfb\xff\x00\x00\x00", 8));
    std::string sum;
    put_le<std::uint64_t>(sum, hash_bytes(bytes.data() + kHeader, bytes.size() - kHeader));
    bytes.replace(28, 8, sum);
    const auto e = refusal_of(file_of("huge.msnet", bytes));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->file(), (dir() / "huge.msnet").string());
    EXPECT_EQ(e->field(), "payload");
    EXPECT_TRUE(says(e, "impossible length")) << e->what();
}

TEST(NetworkFile, EditedJsonIsDetected) {
    write_network_json(sample(), dir() / "n.json");
    auto j = read_json_file(dir() / "n.json");
    j["links"][0]["capacity_vph"] = 900;
    EXPECT_TRUE(refusal_of(file_of("edited.json", j.dump())));
    j.erase("content_hash");
    EXPECT_EQ(read_network(file_of("accepted.json", j.dump())).links.capacity_vph[0], 900);
    j["links"][0]["to"] = 99;
    EXPECT_EQ(refusal_of(file_of("badnode.json", j.dump())).value().field(), "links[0].to");
    j["schema_version"] = 7;
    EXPECT_TRUE(says(refusal_of(file_of("v7.json", j.dump())),
                     "network schema version 7, this build reads 4"));
}

// Version 2 (before the frame): the payload without lanes_source behind "MSNETBIN" | u32 2 |
// u64 checksum | u64 payload size. Such files are read as they are, with the same checks.
TEST(NetworkFile, VersionTwoFilesAreStillRead) {
    const auto d = sample();
    write_network_binary(d, dir() / "n.msnet");
    const std::string payload = old_payload(d);
    std::string v2 = "MSNETBIN";
    put_le<std::uint32_t>(v2, 2);
    put_le<std::uint64_t>(v2, hash_bytes(payload.data(), payload.size()));
    put_le<std::uint64_t>(v2, payload.size());
    EXPECT_EQ(read_network(file_of("v2.msnet", v2 + payload)), d);
    write_network(read_network(dir() / "v2.msnet"),
                  dir() / "v4.msnet");  // what `network convert` does
    EXPECT_EQ(read_file_bytes(dir() / "v4.msnet"), read_file_bytes(dir() / "n.msnet"));
    EXPECT_EQ(refusal_of(file_of("bad.msnet", v2.substr(0, 20))).value().field(), "header");
    EXPECT_EQ(refusal_of(file_of("bad.msnet", v2 + payload.substr(0, payload.size() - 1)))
                  .value()
                  .field(),
              "payload");
    EXPECT_EQ(refusal_of(file_of("bad.msnet", v2 + payload + "x")).value().field(), "payload");
    std::string flipped = v2 + payload;
    flipped[flipped.size() - 3] ^= 0x55;
    EXPECT_EQ(refusal_of(file_of("bad.msnet", flipped)).value().field(), "checksum");
}

// Version 3 (framed, links without lanes_source) and JSON schema 3 are read; their links' lanes
// source is "unspecified", and a schema-3 file's stored hash is the hash as version 3 computed it.
TEST(NetworkFile, VersionThreeFilesAreReadWithoutLanesSource) {
    const auto d = sample();
    const std::string payload = old_payload(d);
    const FrameKind v3{"MSNETBIN", "network file", 3, "rebuild"};
    const std::uint64_t old_hash = hash_bytes(payload.data(), payload.size());
    const NetworkData back = read_network(file_of("v3.msnet", frame(v3, old_hash, payload)));
    EXPECT_EQ(back, d);
    EXPECT_EQ(back.links.lanes_source,
              std::vector<LanesSource>(d.links.size(), LanesSource::Unspecified));
    write_network_json(d, dir() / "s3.json");
    auto j = read_json_file(dir() / "s3.json");
    j["schema_version"] = 3;
    j["content_hash"] = hex64(old_hash);
    EXPECT_EQ(read_network(file_of("v3.json", j.dump())), d);
    j["content_hash"] = hex64(network_content_hash(d));  // the new hash is not a schema-3 hash
    EXPECT_TRUE(says(refusal_of(file_of("v3bad.json", j.dump())), "does not match"));
}

// Where each link's lanes come from survives both forms; the JSON names the source.
TEST(NetworkFile, LanesSourceSurvivesBinaryAndJson) {
    NetworkBuilder b("lanes", "unit test");
    const auto n0 = b.add_node({36.3, 127.3}), n1 = b.add_node({36.31, 127.3});
    const LanesSource all[] = {LanesSource::Unspecified, LanesSource::Rule,
                               LanesSource::EtriDoan2022, LanesSource::EtriDunsan,
                               LanesSource::Published};
    for (const auto src : all) {
        LinkSpec s;
        s.from = n0;
        s.to = n1;
        s.length_m = 100;
        s.lanes_source = src;
        b.add_link(s);
    }
    auto d = b.finish();
    write_network_binary(d, dir() / "lanes.msnet");
    write_network_json(d, dir() / "lanes.msnet.json");
    EXPECT_EQ(read_network(dir() / "lanes.msnet").links.lanes_source,
              std::vector<LanesSource>(std::begin(all), std::end(all)));
    EXPECT_EQ(read_network(dir() / "lanes.msnet"), d);
    EXPECT_EQ(read_network(dir() / "lanes.msnet.json"), d);
    const auto j = read_json_file(dir() / "lanes.msnet.json");
    EXPECT_FALSE(j["links"][0].contains("lanes_source"));  // unspecified is not written
    EXPECT_EQ(j["links"][2]["lanes_source"], "etri_doan2022");
    EXPECT_EQ(j["links"][4]["lanes_source"], "published");
    auto bad = j;
    bad.erase("content_hash");
    bad["links"][1]["lanes_source"] = "guess";
    EXPECT_EQ(refusal_of(file_of("badsrc.json", bad.dump())).value().field(),
              "$.links[1].lanes_source");
    d.links.lanes_source[1] = static_cast<LanesSource>(9);
    EXPECT_THROW(validate_network_data(d, "n"), InputError);
}

TEST(NetworkFile, SpecialFilesAreRefusedUnread) {
    for (const char* dev : {"/dev/zero", "/dev/urandom"}) {
        if (!fs::exists(dev)) continue;
        EXPECT_TRUE(says(refusal_of(dev), "regular file"));
        EXPECT_THROW(read_network_binary(dev), InputError);
    }
}

// Regression: zone attributes were written as a JSON object, whose members nlohmann::json sorts by
// name, so binary -> JSON -> binary changed their order and with it the content hash ("stored hash
// ... does not match the content"). The single attribute of sample() could not show it.
TEST(NetworkFile, ZoneAttributesKeepTheirOrderThroughJson) {
    auto d = sample();
    d.zones[0].attr_names = {"schools", "clinics", "jobs"};
    d.zones[0].attr_values = {3, 2, 5};
    write_network_json(d, dir() / "attrs.msnet.json");
    const NetworkData back = read_network(dir() / "attrs.msnet.json");
    EXPECT_EQ(back.zones[0].attr_names, d.zones[0].attr_names);
    EXPECT_EQ(back, d);
    EXPECT_EQ(network_content_hash(back), network_content_hash(d));
}

TEST(NetworkFile, BundledNetworkRoundTripsByteForByte) {
    const fs::path bundled = fs::path(MODESHIFT_SOURCE_DIR) / "networks/daejeon/daejeon.msnet";
    const NetworkData d = read_network(bundled);
    write_network_json(d, dir() / "a.msnet.json");
    write_network_binary(read_network(dir() / "a.msnet.json"), dir() / "b.msnet");
    write_network_json(read_network(dir() / "b.msnet"), dir() / "c.msnet.json");
    EXPECT_EQ(read_file_bytes(dir() / "a.msnet.json"), read_file_bytes(dir() / "c.msnet.json"));
    EXPECT_EQ(read_file_bytes(dir() / "b.msnet"), read_file_bytes(bundled));
    EXPECT_EQ(network_content_hash(read_network(dir() / "c.msnet.json")), network_content_hash(d));
}

// Schema 2 wrote the attributes as an object; such files (and hand-written ones) are still read,
// their attributes in name order.
TEST(NetworkFile, AttributesAsAnObjectAreStillRead) {
    write_network_json(sample(), dir() / "s.json");
    auto j = read_json_file(dir() / "s.json");
    j.erase("content_hash");
    j["schema_version"] = 2;
    j["zones"][0]["attributes"] = Json::parse(R"({"schools": 3, "clinics": 2})");
    const NetworkData d = read_network(file_of("v2.json", j.dump()));
    EXPECT_EQ(d.zones[0].attr_names, (std::vector<std::string>{"clinics", "schools"}));
    EXPECT_EQ(d.zones[0].attr_values, (std::vector<double>{2, 3}));
    j["zones"][0]["attributes"] = Json::parse(R"([["schools", 3, 4]])");
    EXPECT_EQ(refusal_of(file_of("v2bad.json", j.dump())).value().field(),
              "$.zones[0].attributes[0]");
}

// What the JSON form cannot hold is refused in either form, so both hold the same content.
TEST(NetworkFile, ContentTheJsonFormCannotHoldIsRefused) {
    auto field_of = [](const NetworkData& d) {
        try {
            validate_network_data(d, "n");
        } catch (const InputError& e) {
            return e.field();
        }
        return std::string("<accepted>");
    };
    EXPECT_EQ(field_of(sample()), "<accepted>");
    auto d = sample();
    d.zones[0].ring_first = {0};
    d.zones[0].ring_lat.clear();
    d.zones[0].ring_lon.clear();
    EXPECT_EQ(field_of(d), "zones[0].boundary");
    d = sample();
    d.links.geom_lat.push_back(36.4);
    d.links.geom_lon.push_back(127.4);
    EXPECT_EQ(field_of(d), "links.geom_first");
    d = sample();
    d.names[0] = "x";
    EXPECT_EQ(field_of(d), "names");
    d = sample();
    d.links.bus_lane[0] = 2;
    EXPECT_EQ(field_of(d), "links[0].bus_lane");
    d = sample();
    d.zones[0].attr_names = {"schools", "schools"};
    d.zones[0].attr_values = {1, 2};
    EXPECT_EQ(field_of(d), "zones[0].attributes");
}
