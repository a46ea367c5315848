#include "modeshift/policy/fleet.hpp"

#include <fmt/format.h>

#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/core/rng.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {
namespace {

std::vector<FleetShare> read_mix(const JsonCursor& c) {
    c.only_keys({"source", "shares"});
    if (c.string_or("source", "").empty()) c.fail("a fleet mix needs a \"source\"");
    auto s = c.at("shares");
    s.expect_object();
    std::vector<FleetShare> mix;
    double sum = 0;
    for (auto it = s.json().begin(); it != s.json().end(); ++it) {
        const double v = s.number(it.key());
        if (v < 0) s.at(it.key()).fail("share must be >= 0");
        mix.push_back({it.key(), v});
        sum += v;
    }
    if (mix.empty() || std::abs(sum - 1.0) > 1e-6)
        s.fail(fmt::format("shares must sum to 1 (sum {:.6f})", sum));
    return mix;
}

VehicleTypeId type_id(const std::vector<VehicleType>& types, const std::string& name,
                      const std::string& file, const std::string& field) {
    for (std::size_t i = 0; i < types.size(); ++i)
        if (types[i].name == name) return static_cast<VehicleTypeId>(i);
    throw InputError(file, 0, field, fmt::format("unknown vehicle type '{}'", name));
}

}  // namespace

FleetParams load_fleet(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"description", "vehicle_types", "car_mix", "bus_mix", "taxi_type", "bike_type",
                 "metro_type", "tram_type"});
    FleetParams f;
    f.source_file = file.string();
    const auto type_keys = {"name", "mode", "pce", "max_speed_kmh", "emission_class", "source"};
    for_each_object(j.at("vehicle_types"), type_keys, [&](const JsonCursor& t) {
        VehicleType vt;
        vt.name = t.string("name");
        auto m = parse_mode(t.string("mode"));
        if (!m) t.at("mode").fail("unknown mode");
        vt.mode = *m;
        vt.pce = t.number("pce");
        if (vt.pce <= 0 || vt.pce > 10) t.at("pce").fail("must be in (0, 10]");
        vt.max_speed_mps = t.number("max_speed_kmh") / 3.6;
        if (vt.max_speed_mps <= 0) t.at("max_speed_kmh").fail("must be > 0");
        vt.emission_class = t.string("emission_class");
        if (t.string_or("source", "").empty())
            t.fail("every vehicle type needs a \"source\" for its PCE and speed");
        for (const auto& other : f.types)
            if (other.name == vt.name) t.at("name").fail("duplicate vehicle type name");
        f.types.push_back(vt);
    });
    f.car_mix = read_mix(j.at("car_mix"));
    f.bus_mix = read_mix(j.at("bus_mix"));
    f.taxi_type = j.string_or("taxi_type", f.taxi_type);
    f.bike_type = j.string_or("bike_type", f.bike_type);
    f.metro_type = j.string_or("metro_type", f.metro_type);
    f.tram_type = j.string_or("tram_type", f.tram_type);
    // Resolve names now so a typo is reported against this file.
    for (const auto& s : f.car_mix)
        type_id(f.types, s.type, f.source_file, "$.car_mix.shares." + s.type);
    for (const auto& s : f.bus_mix)
        type_id(f.types, s.type, f.source_file, "$.bus_mix.shares." + s.type);
    type_id(f.types, f.taxi_type, f.source_file, "$.taxi_type");
    type_id(f.types, f.bike_type, f.source_file, "$.bike_type");
    type_id(f.types, f.metro_type, f.source_file, "$.metro_type");
    type_id(f.types, f.tram_type, f.source_file, "$.tram_type");
    return f;
}

Fleet resolve_fleet(const FleetParams& p, const NetworkData& net, std::uint64_t seed) {
    Fleet f;
    f.types = p.types;
    double cum = 0;
    for (const auto& s : p.car_mix) {
        f.car_class_type.push_back(type_id(p.types, s.type, p.source_file, "car_mix"));
        f.car_class_name.push_back(s.type);
        cum += s.share;
        f.car_class_cum.push_back(cum);
    }
    f.taxi = type_id(p.types, p.taxi_type, p.source_file, "taxi_type");
    f.bike = type_id(p.types, p.bike_type, p.source_file, "bike_type");
    const auto metro = type_id(p.types, p.metro_type, p.source_file, "metro_type");
    const auto tram = type_id(p.types, p.tram_type, p.source_file, "tram_type");
    std::vector<double> bus_w;
    for (const auto& s : p.bus_mix) bus_w.push_back(s.share);
    for (std::size_t l = 0; l < net.lines.size(); ++l) {
        const auto& ln = net.lines[l];
        if (ln.mode == Mode::Metro)
            f.line_type.push_back(metro);
        else if (ln.mode == Mode::Tram)
            f.line_type.push_back(tram);
        else {
            // A line's buses share one fuel; drawn from the line's own stream so adding a line
            // does not change the others. Both directions of a route use the same code prefix.
            Rng r(seed, RngPurpose::Fleet, hash_bytes(ln.code.data(), ln.code.size()));
            const auto k = r.weighted(bus_w);
            f.line_type.push_back(type_id(p.types, p.bus_mix[k].type, p.source_file, "bus_mix"));
        }
    }
    return f;
}

std::uint8_t car_class_of(const Fleet& f, std::uint8_t draw) {
    const double u = (draw + 0.5) / 256.0;
    for (std::size_t i = 0; i < f.car_class_cum.size(); ++i)
        if (u < f.car_class_cum[i]) return static_cast<std::uint8_t>(i);
    return static_cast<std::uint8_t>(f.car_class_cum.size() - 1);
}

}  // namespace modeshift
