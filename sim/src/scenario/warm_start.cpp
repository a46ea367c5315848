#include "modeshift/scenario/warm_start.hpp"

#include <fmt/format.h>
#include <cereal/types/vector.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <tuple>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/engine/link_times.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/framed_file.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/io/portable_binary.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

namespace modeshift {
namespace {

constexpr FrameKind kPlansFrame{"MSPLANSB", "plans file", kPlansSchemaVersion,
                                "re-run the earlier scenario with --save-plans"};

// ---------- link_times.csv

/// The row count announced by the first line, once that line is found to name this network.
std::size_t announced_rows(const CsvReader& r, std::uint64_t network_hash) {
    std::istringstream in(r.preamble().empty() ? std::string() : r.preamble().front());
    std::string hash_sign, network, hash, rows, count, rest;
    in >> hash_sign >> network >> hash >> rows >> count;
    const auto n = parse_int(count);
    if (hash_sign != "#" || network != "network" || rows != "rows" || !n || *n < 0 || (in >> rest))
        throw InputError(
            r.file(), 1, "network",
            "expected a first line '# network HASH rows N' naming the network the link times were "
            "made on: re-run the earlier scenario with this version of modeshift");
    if (hash != hex64(network_hash))
        refuse_other_input(r.file(), 1, "network", hash, hex64(network_hash));
    return static_cast<std::size_t>(*n);
}

// ---------- plans.bin

/// A fingerprint of the simulated demand (every trip's person, departure and zones): saved plans
/// fit a run only if it simulates the very same trips.
std::uint64_t demand_fingerprint(const PlanSet& plans) {
    Hasher h;
    h.add_u64(plans.trip_count());
    for (std::size_t t = 0; t < plans.trip_count(); ++t) {
        h.add_u64((static_cast<std::uint64_t>(plans.trip_person[t].value()) << 32) |
                  plans.trip_origin_zone[t].value());
        h.add_u64((static_cast<std::uint64_t>(plans.trip_dest_zone[t].value()) << 40) ^
                  static_cast<std::uint64_t>(plans.trip_depart_ms[t]));
    }
    return h.value();
}

/// Saved plans must fit the run that reuses them: consistent ranges, and links, lines, stops and
/// vehicle types that exist. Anything else is a damaged or foreign file.
void check_plans(const PlanSet& p, const Network& net, std::size_t vehicle_types,
                 const std::string& file) {
    auto fail = [&](const std::string& field, const std::string& msg) {
        throw InputError(file, 0, field, "corrupt saved plans: " + msg);
    };
    const std::size_t n = p.trip_count(), legs = p.leg_count();
    if (p.trip_depart_ms.size() != n || p.trip_mode.size() != n || p.trip_origin_zone.size() != n ||
        p.trip_dest_zone.size() != n || p.trip_first_leg.size() != n + 1)
        fail("trips", "per-trip arrays differ in length");
    if (p.leg_first_link.size() != legs + 1 || p.leg_distance_m.size() != legs ||
        p.leg_speed_mps.size() != legs || p.leg_vehicle_type.size() != legs ||
        p.leg_line.size() != legs || p.leg_board_index.size() != legs ||
        p.leg_alight_index.size() != legs)
        fail("legs", "per-leg arrays differ in length");
    if (p.trip_first_leg[0] != 0 || p.trip_first_leg[n] != legs ||
        !std::is_sorted(p.trip_first_leg.begin(), p.trip_first_leg.end()))
        fail("trip_first_leg", "leg ranges out of order or out of bounds");
    if (p.leg_first_link[0] != 0 || p.leg_first_link[legs] != p.route_links.size() ||
        !std::is_sorted(p.leg_first_link.begin(), p.leg_first_link.end()))
        fail("leg_first_link", "route ranges out of order or out of bounds");
    for (Mode md : p.trip_mode)
        if (static_cast<std::size_t>(md) >= kModeCount) fail("trip_mode", "unknown mode");
    for (LinkId l : p.route_links)
        if (!l.valid() || l.index() >= net.link_count())
            fail("route_links", "a link this network does not have");
    for (std::size_t g = 0; g < legs; ++g) {
        if (static_cast<unsigned>(p.leg_kind[g]) > static_cast<unsigned>(LegKind::Transit))
            fail("leg_kind", "unknown leg kind");
        if (!std::isfinite(p.leg_distance_m[g]) || !std::isfinite(p.leg_speed_mps[g]))
            fail("legs", "distance and speed must be finite");
        if ((p.leg_kind[g] == LegKind::Drive || p.leg_kind[g] == LegKind::Bike) &&
            p.leg_vehicle_type[g] >= vehicle_types)
            fail("leg_vehicle_type", "a vehicle type the fleet does not have");
        if (p.leg_kind[g] == LegKind::Transit) {
            const LineId ln = p.leg_line[g];
            if (!ln.valid() || ln.index() >= net.data().lines.size())
                fail("leg_line", "a line this network does not have");
            const auto stops = net.line(ln).stops.size();
            if (p.leg_board_index[g] >= stops || p.leg_alight_index[g] >= stops)
                fail("leg_board_index", "a stop index beyond the line");
        }
    }
}

}  // namespace

void write_link_times_csv(const std::filesystem::path& file, const LinkTravelTimes& times,
                          const Network& net, std::uint64_t network_hash) {
    std::string rows;
    std::size_t n = 0;
    for (std::size_t l = 0; l < net.link_count(); ++l)
        for (std::size_t b = 0; b < times.bins(); ++b) {
            const LinkId id = LinkId::from_index(l);
            const TimeMs at = static_cast<TimeMs>(b) * times.bin_ms();
            if (const auto vehicles = times.count(id, at); vehicles > 0) {
                rows += fmt::format("{},{},{:.3f},{}\n", l, b, times.time_s(id, at), vehicles);
                ++n;
            }
        }
    const std::string first_line = fmt::format("# network {} rows {}\n", hex64(network_hash), n);
    write_text_atomic(file, first_line + "link,bin,mean_s,vehicles\n" + rows);
}

WarmLinkTimes read_link_times_csv(const std::filesystem::path& file, const Network& net,
                                  std::uint64_t network_hash) {
    std::string bytes = read_input_file(file, kTextInput);
    const bool ends_with_line_end = !bytes.empty() && bytes.back() == '\n';
    CsvReader r(file.string(), std::move(bytes), ',', CsvPreamble::HashLines);
    const std::size_t announced = announced_rows(r, network_hash);
    // The writer ends every line: a file without a last line end was cut inside a row.
    if (!ends_with_line_end)
        throw InputError(file.string(), 0, "rows", "cut short: its last line has no line end");
    std::vector<std::tuple<std::size_t, std::size_t, double, std::uint64_t>> rows;
    std::size_t bins = 0;
    while (r.next()) {
        const auto link = r.get_int("link");
        const auto bin = r.get_int("bin");
        const double s = r.get_double("mean_s");
        if (link < 0 || static_cast<std::uint64_t>(link) >= net.link_count())
            r.fail("link", "no such link in this network");
        if (bin < 0 || bin > 1000) r.fail("bin", "bin out of range 0..1000");
        if (!(s > 0) || s > 86400)
            r.fail("mean_s", fmt::format("{} is not a link time in (0, 86400] seconds", s));
        rows.emplace_back(static_cast<std::size_t>(link), static_cast<std::size_t>(bin), s,
                          r.line());
        bins = std::max(bins, static_cast<std::size_t>(bin) + 1);
    }
    if (rows.size() != announced)
        throw InputError(
            file.string(), 0, "rows",
            rows.size() < announced
                ? fmt::format("cut short: {} of the {} rows its first line announces", rows.size(),
                              announced)
                : fmt::format("{} rows, but its first line announces {}", rows.size(), announced));
    WarmLinkTimes t;
    t.bins = bins;
    t.mean_s.assign(net.link_count() * bins, 0.0);
    std::vector<std::uint64_t> line_of(t.mean_s.size(), 0);
    for (const auto& [l, b, s, line] : rows) {
        if (const auto first = line_of[l * bins + b]; first != 0)
            throw InputError(
                file.string(), line, "bin",
                fmt::format("link {} bin {} given twice (first on line {})", l, b, first));
        line_of[l * bins + b] = line;
        t.mean_s[l * bins + b] = s;
    }
    return t;
}

void write_plans_file(const std::filesystem::path& file, const PlanSet& plans,
                      std::uint64_t network_hash) {
    write_framed_file(file, kPlansFrame, network_hash, to_portable_binary(plans));
}

PlanSet read_plans_file(const std::filesystem::path& file, const Network& net,
                        std::size_t vehicle_types, std::uint64_t network_hash) {
    const FramedFile f =
        read_framed_file(file, kPlansFrame, ExpectedInput{"network", network_hash});
    PlanSet p;
    from_portable_binary(f.payload, p, file.string(), "saved plans");
    check_plans(p, net, vehicle_types, file.string());
    return p;
}

bool same_trips(const PlanSet& saved, const PlanSet& current) {
    return saved.trip_count() == current.trip_count() &&
           demand_fingerprint(saved) == demand_fingerprint(current);
}

WarmTimes::WarmTimes(const std::filesystem::path& dir, const Network& net,
                     std::uint64_t network_hash)
    : net_(&net), times_(read_link_times_csv(dir / kLinkTimesFile, net, network_hash)) {}

double WarmTimes::operator()(LinkId l, TimeMs at) const {
    const auto b =
        static_cast<std::size_t>(std::max<TimeMs>(0, at) / LinkTravelTimes::kDefaultBinMs);
    if (b < times_.bins && times_.mean_s[l.index() * times_.bins + b] > 0)
        return times_.mean_s[l.index() * times_.bins + b];
    return net_->freeflow_time_s(l);
}

}  // namespace modeshift
