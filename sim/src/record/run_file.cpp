#include "modeshift/record/run_file.hpp"

#include <fmt/format.h>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/portable_binary.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {
namespace {

// The input fingerprint of a run file is the content hash of the network file it ran on.
constexpr FrameKind kRunFile{"MSRUNBIN", "run file", kRunFileSchemaVersion,
                             "re-run the scenario to write a current file"};

// Tag bits of one encoded traversal (see docs/run-file.md).
constexpr std::uint64_t kTagPassengers = 1;  // passenger count changed: varint follows
constexpr std::uint64_t kTagExplicit = 2;    // link is not a successor: explicit varint link id
constexpr std::uint64_t kTagGap = 4;         // enter != previous leave: zigzag varint gap follows
constexpr int kTagShift = 3;                 // remaining bits: index among the successors

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}
std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

/// Bounds-checked varint reader over a block; any overrun is a corrupt file.
class VarReader {
  public:
    VarReader(const std::string& data, const std::string& origin, const char* block)
        : p_(reinterpret_cast<const unsigned char*>(data.data())),
          end_(p_ + data.size()),
          origin_(origin),
          block_(block) {}
    std::uint64_t next() {
        if (p_ != end_ && *p_ < 0x80) return *p_++;  // one-byte values dominate
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p_ == end_) fail("ends inside a value");
            const unsigned char b = *p_++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
        fail("has an over-long value");
    }
    std::uint64_t next_max(std::uint64_t max, const char* what) {
        const auto v = next();
        if (v > max) fail(fmt::format("has {} {} out of range (max {})", what, v, max));
        return v;
    }
    /// A zigzag-coded difference of two 32-bit values (ids, times): within ±2^32, so adding it to
    /// a 32-bit value cannot overflow.
    std::int64_t next_delta(const char* what) {
        const std::int64_t d = unzigzag(next());
        if (d < -0xffffffffLL || d > 0xffffffffLL)
            fail(fmt::format("has {} step out of range", what));
        return d;
    }
    bool done() const { return p_ == end_; }
    [[noreturn]] void fail(const std::string& msg) const {
        throw InputError(origin_, 0, block_, "corrupt run file: block " + msg);
    }

  private:
    const unsigned char* p_;
    const unsigned char* end_;
    const std::string& origin_;
    const char* block_;
};

/// Out-links of every node sorted by link id: successor k of link l = the k-th out-link of
/// to(l). Held as all links sorted by (from node, id) plus, per link, where the out-links of its
/// end node start and how many there are: the size follows the links, never the header's node
/// count (a damaged file may claim billions of nodes).
struct Successors {
    std::vector<std::uint32_t> out;  // link ids sorted by (link_from, id)
    std::vector<std::uint32_t> first,
        count;  // per link l: out-links of to(l) = out[first, first + count)
    explicit Successors(const RunGeometry& g)
        : out(g.link_count()), first(g.link_count()), count(g.link_count()) {
        for (std::uint32_t l = 0; l < out.size(); ++l) out[l] = l;
        std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
            return g.link_from[a] < g.link_from[b];
        });
        const auto before = [&](std::uint32_t link, std::uint32_t node) {
            return g.link_from[link] < node;
        };
        const auto after = [&](std::uint32_t node, std::uint32_t link) {
            return node < g.link_from[link];
        };
        for (std::uint32_t l = 0; l < out.size(); ++l) {
            const auto b = std::lower_bound(out.begin(), out.end(), g.link_to[l], before);
            const auto e = std::upper_bound(b, out.end(), g.link_to[l], after);
            first[l] = static_cast<std::uint32_t>(b - out.begin());
            count[l] = static_cast<std::uint32_t>(e - b);
        }
    }
    /// Index of `link` among the successors of `prev`, or -1.
    std::int64_t index_of(const RunGeometry& g, std::uint32_t prev, std::uint32_t link) const {
        if (g.link_from[link] != g.link_to[prev]) return -1;
        const auto b = out.begin() + first[prev], e = b + count[prev];
        const auto it = std::lower_bound(b, e, link);
        return (it != e && *it == link) ? it - b : -1;
    }
};

}  // namespace

std::string encode_movements(const RunGeometry& g, const Movements& m) {
    const Successors succ(g);
    std::string out;
    out.reserve(m.traversal_count() * 4 + m.vehicle_count() * 8);
    put_varint(out, m.vehicle_count());
    put_varint(out, m.traversal_count());
    std::uint32_t prev_id = 0;
    for (std::size_t v = 0; v < m.vehicle_count(); ++v) {
        put_varint(out, zigzag(static_cast<std::int64_t>(m.vehicle_id[v]) - prev_id));
        prev_id = m.vehicle_id[v];
        put_varint(out, m.vehicle_type[v]);
        put_varint(out, m.vehicle_line[v]);
        const auto b = m.vehicle_first[v], e = m.vehicle_first[v + 1];
        put_varint(out, e - b);
        std::int64_t prev_leave = 0;
        std::uint32_t prev_pass = 0;
        MS_ASSERT(m.vehicle_type[v] < 0xffff, "vehicle type out of range");
        for (auto i = b; i < e; ++i) {
            MS_ASSERT(m.link[i] < g.link_count(), "movement refers to a link outside the geometry");
            MS_ASSERT(m.leave_ms[i] >= m.enter_ms[i], "traversal leaves before it enters");
            const std::int64_t k = i > b ? succ.index_of(g, m.link[i - 1], m.link[i]) : -1;
            const std::int64_t gap = static_cast<std::int64_t>(m.enter_ms[i]) - prev_leave;
            std::uint64_t tag = 0;
            if (m.passengers[i] != prev_pass) tag |= kTagPassengers;
            if (k < 0)
                tag |= kTagExplicit;
            else
                tag |= static_cast<std::uint64_t>(k) << kTagShift;
            if (gap != 0) tag |= kTagGap;
            put_varint(out, tag);
            if (k < 0) put_varint(out, m.link[i]);
            if (gap != 0) put_varint(out, zigzag(gap));
            put_varint(out, m.leave_ms[i] - m.enter_ms[i]);
            if (m.passengers[i] != prev_pass) put_varint(out, m.passengers[i]);
            prev_leave = m.leave_ms[i];
            prev_pass = m.passengers[i];
        }
    }
    return out;
}

Movements decode_movements(const RunGeometry& g, std::size_t type_count, std::size_t line_count,
                           const std::string& blob, const std::string& origin) {
    const Successors succ(g);
    VarReader r(blob, origin, "movements");
    const auto nveh = r.next_max(blob.size(), "vehicle count");
    const auto ntrav = r.next_max(blob.size(), "traversal count");
    Movements m;
    m.vehicle_first.reserve(nveh + 1);
    m.vehicle_id.reserve(nveh);
    m.vehicle_type.reserve(nveh);
    m.vehicle_line.reserve(nveh);
    m.link.resize(ntrav);
    m.enter_ms.resize(ntrav);
    m.leave_ms.resize(ntrav);
    m.passengers.resize(ntrav);
    // A simulated day stops at 30 h; a week is far beyond any run, and bounding times keeps every
    // table indexed by hour or minute (replay buckets, derived link tables) small.
    const std::uint64_t kMaxTime = 7 * static_cast<std::uint64_t>(kMsPerDay);
    std::int64_t prev_id = 0;
    std::size_t at = 0;  // next traversal slot
    for (std::uint64_t v = 0; v < nveh; ++v) {
        const std::int64_t id = prev_id + r.next_delta("a vehicle id");
        if (id < 0 || id > 0xffffffffLL) r.fail("has a vehicle id out of range");
        prev_id = id;
        m.vehicle_id.push_back(static_cast<std::uint32_t>(id));
        if (type_count == 0) r.fail("has vehicles but no vehicle types");
        m.vehicle_type.push_back(
            static_cast<std::uint16_t>(r.next_max(type_count - 1, "vehicle type")));
        m.vehicle_line.push_back(static_cast<std::uint32_t>(r.next_max(line_count, "line")));
        const auto count = r.next_max(ntrav - at, "traversal count of a vehicle");
        std::int64_t prev_leave = 0;
        std::uint32_t prev_pass = 0;
        for (std::uint64_t i = 0; i < count; ++i, ++at) {
            const auto tag = r.next();
            std::uint32_t link = 0;
            if (tag & kTagExplicit) {
                if (g.link_count() == 0) r.fail("refers to links but the geometry has none");
                link = static_cast<std::uint32_t>(r.next_max(g.link_count() - 1, "link id"));
            } else {
                if (i == 0) r.fail("starts a vehicle with a successor link");
                const auto prev = m.link[at - 1];
                const auto k = tag >> kTagShift;
                if (k >= succ.count[prev]) r.fail("has a bad successor index");
                link = succ.out[succ.first[prev] + k];
            }
            const std::int64_t gap = (tag & kTagGap) ? r.next_delta("a time") : 0;
            const std::int64_t enter = prev_leave + gap;
            const auto dur = r.next_max(kMaxTime, "duration");
            if (enter < 0 || static_cast<std::uint64_t>(enter) + dur > kMaxTime)
                r.fail("has a time out of range (beyond 7 days)");
            const auto pass = (tag & kTagPassengers) ? r.next_max(0xffff, "passengers") : prev_pass;
            m.link[at] = link;
            m.enter_ms[at] = static_cast<std::uint32_t>(enter);
            m.leave_ms[at] = static_cast<std::uint32_t>(enter + static_cast<std::int64_t>(dur));
            m.passengers[at] = static_cast<std::uint16_t>(pass);
            prev_leave = m.leave_ms[at];
            prev_pass = static_cast<std::uint32_t>(pass);
        }
        m.vehicle_first.push_back(static_cast<std::uint32_t>(at));
    }
    if (at != ntrav) r.fail("has fewer traversals than announced");
    if (!r.done()) r.fail("has trailing bytes");
    return m;
}

namespace {

std::string encode_stop_calls(const StopCalls& s) {
    std::string out;
    put_varint(out, s.size());
    std::uint32_t prev_vehicle = 0, prev_arrive = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        put_varint(out, zigzag(static_cast<std::int64_t>(s.vehicle[i]) - prev_vehicle));
        if (s.vehicle[i] != prev_vehicle) prev_arrive = 0;
        put_varint(out, zigzag(static_cast<std::int64_t>(s.arrive_ms[i]) - prev_arrive));
        put_varint(out, zigzag(static_cast<std::int64_t>(s.depart_ms[i]) - s.arrive_ms[i]));
        for (std::uint64_t v :
             {std::uint64_t{s.line[i]}, std::uint64_t{s.stop[i]}, std::uint64_t{s.stop_index[i]},
              std::uint64_t{s.boarded[i]}, std::uint64_t{s.alighted[i]}, std::uint64_t{s.load[i]},
              std::uint64_t{s.left_behind[i]}})
            put_varint(out, v);
        prev_vehicle = s.vehicle[i];
        prev_arrive = s.arrive_ms[i];
    }
    return out;
}

StopCalls decode_stop_calls(const std::string& blob, const std::string& origin) {
    VarReader r(blob, origin, "stop_calls");
    const auto n = r.next_max(blob.size(), "stop call count");
    StopCalls s;
    std::int64_t prev_vehicle = 0, prev_arrive = 0;
    auto u32 = [&](std::int64_t v, const char* what) {
        if (v < 0 || v > 0xffffffffLL) r.fail(fmt::format("has {} out of range", what));
        return static_cast<std::uint32_t>(v);
    };
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto vehicle = u32(prev_vehicle + r.next_delta("a vehicle"), "a vehicle");
        if (vehicle != prev_vehicle) prev_arrive = 0;
        const auto arrive = u32(prev_arrive + r.next_delta("an arrival"), "an arrival");
        const auto depart =
            u32(static_cast<std::int64_t>(arrive) + r.next_delta("a departure"), "a departure");
        s.vehicle.push_back(vehicle);
        s.arrive_ms.push_back(arrive);
        s.depart_ms.push_back(depart);
        s.line.push_back(static_cast<std::uint32_t>(r.next_max(0xffffffff, "line")));
        s.stop.push_back(static_cast<std::uint32_t>(r.next_max(0xffffffff, "stop")));
        s.stop_index.push_back(static_cast<std::uint16_t>(r.next_max(0xffff, "stop index")));
        s.boarded.push_back(static_cast<std::uint16_t>(r.next_max(0xffff, "boarded")));
        s.alighted.push_back(static_cast<std::uint16_t>(r.next_max(0xffff, "alighted")));
        s.load.push_back(static_cast<std::uint16_t>(r.next_max(0xffff, "load")));
        s.left_behind.push_back(static_cast<std::uint16_t>(r.next_max(0xffff, "left behind")));
        prev_vehicle = vehicle;
        prev_arrive = arrive;
    }
    if (!r.done()) r.fail("has trailing bytes");
    return s;
}

/// The serialised payload: plain fields plus the two encoded blocks.
struct Payload {
    RunFile* run;
    std::string movements, stop_calls;
    template <class A>
    void serialize(A& ar) {
        ar(run->scenario, run->label, run->network_name, run->network_hash, run->seed,
           run->sample_fraction, run->start_ms, run->end_ms, run->geometry, run->vehicle_types,
           movements, stop_calls, run->trips_by_mode, run->trips_stuck, run->counters,
           run->link_tables);
    }
};

void check_geometry(const RunGeometry& g, const std::string& origin) {
    const auto n = g.link_count();
    auto bad = [&](const std::string& field, const std::string& msg) {
        throw InputError(origin, 0, "geometry." + field, "corrupt run file: " + msg);
    };
    if (g.link_to.size() != n || g.link_first.size() != n + 1 || g.link_length_m.size() != n ||
        g.link_freeflow_speed_mps.size() != n || g.link_class.size() != n ||
        g.link_modes.size() != n || g.link_name.size() != n)
        bad("links", "link arrays differ in length");
    if (g.point_x_m.size() != g.point_y_m.size() || g.link_first.back() != g.point_x_m.size())
        bad("points", "point arrays do not match the link index");
    for (std::size_t l = 0; l < n; ++l) {
        if (g.link_from[l] >= g.node_count || g.link_to[l] >= g.node_count)
            bad("links", fmt::format("link {} refers to a node outside the network", l));
        if (g.link_first[l + 1] < g.link_first[l] + 2)
            bad("link_first", fmt::format("link {} has fewer than two points", l));
    }
    for (const auto& z : g.zones) {
        if (z.ring_x_m.size() != z.ring_y_m.size() ||
            (!z.ring_first.empty() && z.ring_first.back() != z.ring_x_m.size()))
            bad("zones", "zone '" + z.code + "' has an inconsistent ring index");
        for (std::size_t r = 0; r + 1 < z.ring_first.size(); ++r)
            if (z.ring_first[r + 1] < z.ring_first[r])
                bad("zones", "zone '" + z.code + "' has a bad ring");
    }
    for (const auto& ln : g.lines)
        for (auto l : ln.links)
            if (l >= n) bad("lines", "line '" + ln.code + "' refers to a link outside the network");
}

}  // namespace

int CounterSeries::column(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<int>(i);
    return -1;
}

double CounterSeries::at_time(int col, TimeMs t) const {
    const auto n = rows();
    if (col < 0 || n == 0 || step_ms <= 0 || t <= 0) return 0.0;
    const auto w = names.size();
    auto row_value = [&](std::size_t k) {  // value at time k * step (k = 0 -> 0)
        return k == 0 ? 0.0 : values[(std::min(k, n) - 1) * w + static_cast<std::size_t>(col)];
    };
    const auto k = static_cast<std::size_t>(t / step_ms);
    if (k >= n) return row_value(n);
    const double f =
        static_cast<double>(t - static_cast<TimeMs>(k) * step_ms) / static_cast<double>(step_ms);
    return row_value(k) + (row_value(k + 1) - row_value(k)) * f;
}

std::array<double, kModeCount> RunFile::mode_shares() const {
    std::array<double, kModeCount> s{};
    double total = 0;
    for (double v : trips_by_mode) total += v;
    if (total <= 0) return s;
    for (std::size_t i = 0; i < kModeCount; ++i) s[i] = trips_by_mode[i] / total;
    return s;
}

RunGeometry geometry_from_network(const Network& net) {
    const auto& d = net.data();
    const auto& proj = net.projection();
    RunGeometry g;
    g.ref_lat = proj.reference().lat;
    g.ref_lon = proj.reference().lon;
    g.node_count = static_cast<std::uint32_t>(net.node_count());
    const auto n = net.link_count();
    g.link_first.reserve(n + 1);
    g.link_first.push_back(0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto l = LinkId::from_index(i);
        g.link_from.push_back(net.from(l).value());
        g.link_to.push_back(net.to(l).value());
        auto pts = net.link_geometry(l);
        if (pts.size() < 2) pts = {net.node_latlon(net.from(l)), net.node_latlon(net.to(l))};
        for (const auto& p : pts) {
            const auto xy = proj.to_xy(p);
            g.point_x_m.push_back(static_cast<float>(xy.x_m));
            g.point_y_m.push_back(static_cast<float>(xy.y_m));
        }
        g.link_first.push_back(static_cast<std::uint32_t>(g.point_x_m.size()));
        g.link_length_m.push_back(static_cast<float>(net.length_m(l)));
        g.link_freeflow_speed_mps.push_back(static_cast<float>(d.links.freeflow_speed_mps[i]));
        g.link_class.push_back(d.links.road_class[i]);
        g.link_modes.push_back(d.links.modes[i]);
        g.link_name.push_back(net.link_name(l));
    }
    for (const auto& z : d.zones) {
        const auto label = proj.to_xy({z.lat, z.lon});
        RunZone rz{.code = z.code,
                   .name = z.name,
                   .name_en = z.name_en,
                   .study_area = z.study_area,
                   .label_x_m = static_cast<float>(label.x_m),
                   .label_y_m = static_cast<float>(label.y_m),
                   .ring_first = z.ring_first,
                   .ring_x_m = {},
                   .ring_y_m = {}};
        for (std::size_t i = 0; i < z.ring_lat.size(); ++i) {
            const auto xy = proj.to_xy({z.ring_lat[i], z.ring_lon[i]});
            rz.ring_x_m.push_back(static_cast<float>(xy.x_m));
            rz.ring_y_m.push_back(static_cast<float>(xy.y_m));
        }
        g.zones.push_back(std::move(rz));
    }
    for (const auto& ln : d.lines) {
        RunLine rl{.code = ln.code,
                   .name = ln.name,
                   .mode = ln.mode,
                   .active = ln.active,
                   .vehicle_capacity = static_cast<float>(ln.vehicle_capacity),
                   .links = {},
                   .stops = {}};
        for (auto l : ln.links) rl.links.push_back(l.value());
        for (auto s : ln.stops) rl.stops.push_back(s.value());
        g.lines.push_back(std::move(rl));
    }
    auto point = [&](const std::string& code, const std::string& name, double lat, double lon,
                     ModeMask m) {
        const auto xy = proj.to_xy({lat, lon});
        return RunPoint{code, name, static_cast<float>(xy.x_m), static_cast<float>(xy.y_m), m};
    };
    for (const auto& s : d.stops) g.stops.push_back(point(s.code, s.name, s.lat, s.lon, s.modes));
    for (const auto& b : d.bike_stations)
        g.bike_stations.push_back(point(b.code, b.name, b.lat, b.lon, mode_bit(Mode::Bike)));
    return g;
}

namespace {

std::string run_payload(const RunFile& run) {
    return to_portable_binary(Payload{const_cast<RunFile*>(&run),
                                      encode_movements(run.geometry, run.movements),
                                      encode_stop_calls(run.stop_calls)});
}

RunFile decode_payload(std::string_view payload, const std::string& origin) {
    RunFile run;
    Payload p{&run, {}, {}};
    from_portable_binary(payload, p, origin, "run file");
    check_geometry(run.geometry, origin);
    for (const auto& t : run.link_tables)
        if (t.values.size() != static_cast<std::size_t>(t.hours) * run.geometry.link_count())
            throw InputError(origin, 0, "link_tables." + t.name,
                             "corrupt run file: table size does not match links");
    if (!run.counters.names.empty() && run.counters.values.size() % run.counters.names.size() != 0)
        throw InputError(origin, 0, "counters",
                         "corrupt run file: counter table is not rectangular");
    run.movements = decode_movements(run.geometry, run.vehicle_types.size(),
                                     run.geometry.lines.size(), p.movements, origin);
    run.stop_calls = decode_stop_calls(p.stop_calls, origin);
    return run;
}

}  // namespace

std::string encode_run_file(const RunFile& run) {
    return frame(kRunFile, run.network_hash, run_payload(run));
}

void write_run_file(const std::filesystem::path& path, const RunFile& run) {
    write_framed_file(path, kRunFile, run.network_hash, run_payload(run));
}

RunFile decode_run_file(const std::string& bytes, const std::string& origin) {
    return decode_payload(unframe(bytes, origin, kRunFile), origin);
}

RunFile read_run_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError(path.string(), 0, "",
                         "run file not found (expected DIR/run.msrun from `modeshift run`)");
    return decode_payload(read_framed_file(path, kRunFile).payload, path.string());
}

}  // namespace modeshift
