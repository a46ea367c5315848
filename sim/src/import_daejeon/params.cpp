// networks/daejeon/parameters.csv and road_rules.csv: every number of the recipe with its source.
#include <fmt/format.h>

#include "modeshift/core/error.hpp"
#include "modeshift/import_daejeon/daejeon.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift::daejeon {
namespace {

RoadClass parse_road_class(const CsvReader& r, const std::string& s) {
    static const std::pair<const char*, RoadClass> table[] = {
        {"motorway", RoadClass::Motorway}, {"trunk", RoadClass::Trunk},
        {"primary", RoadClass::Primary},   {"secondary", RoadClass::Secondary},
        {"tertiary", RoadClass::Tertiary}, {"residential", RoadClass::Residential},
        {"service", RoadClass::Service}};
    for (const auto& [name, c] : table)
        if (s == name) return c;
    r.fail("road_class", fmt::format("unknown road class '{}' (motorway..service)", s));
}

void require_source(const CsvReader& r) {
    r.get_nonempty("source", "every parameter needs a source");
}

}  // namespace

const Parameter& RecipeParams::param(const std::string& key) const {
    auto it = values.find(key);
    if (it == values.end()) throw InputError(params_file, 0, key, "required parameter is missing");
    return it->second;
}

double RecipeParams::get(const std::string& key) const {
    return param(key).value;
}

RecipeParams read_params(const std::filesystem::path& dir) {
    RecipeParams P;
    P.params_file = (dir / "parameters.csv").string();
    CsvReader pr(dir / "parameters.csv");
    while (pr.next()) {
        Parameter p;
        p.value = pr.get_double("value");
        p.unit = pr.get("unit");
        p.source = pr.get("source");
        const auto& est = pr.get("estimated");
        if (est != "yes" && est != "no") pr.fail("estimated", "must be yes or no");
        p.estimated = est == "yes";
        require_source(pr);
        const auto key = pr.get("key");
        if (!P.values.emplace(key, p).second)
            pr.fail("key", fmt::format("duplicate key '{}'", key));
    }
    CsvReader rr(dir / "road_rules.csv");
    while (rr.next()) {
        RoadRule r;
        r.rule_id = rr.get("rule_id");
        r.area = rr.get("area");
        if (r.area != "daejeon" && r.area != "outside")
            rr.fail("area", "must be daejeon or outside");
        r.min_bus_lines = static_cast<int>(rr.get_int("min_bus_lines"));
        r.max_bus_lines = static_cast<int>(rr.get_int("max_bus_lines"));
        if (r.min_bus_lines < 0 || r.max_bus_lines < r.min_bus_lines)
            rr.fail("max_bus_lines", "need 0 <= min_bus_lines <= max_bus_lines");
        r.road_class = parse_road_class(rr, rr.get("road_class"));
        r.lanes = static_cast<float>(rr.get_double("lanes_per_direction"));
        r.speed_kmh = rr.get_double("speed_kmh");
        r.sat_flow_pcphgpl = rr.get_double("sat_flow_pcphgpl");
        if (r.lanes <= 0 || r.speed_kmh <= 0 || r.sat_flow_pcphgpl <= 0)
            rr.fail("sat_flow_pcphgpl", "lanes, speed and saturation flow must be > 0");
        r.source = rr.get("source");
        require_source(rr);
        P.road_rules.push_back(std::move(r));
    }
    // Every (area, bus-line count) must match exactly one rule: check the first 1000 counts.
    for (const char* area : {"daejeon", "outside"})
        for (int n = 0; n <= 1000; ++n) {
            int hits = 0;
            for (const auto& r : P.road_rules)
                hits += (r.area == area && n >= r.min_bus_lines && n <= r.max_bus_lines) ? 1 : 0;
            if (hits != 1)
                throw InputError(
                    (dir / "road_rules.csv").string(), 0, "min_bus_lines",
                    fmt::format("{} rules match area {} with {} bus lines (need exactly 1)", hits,
                                area, n));
        }
    return P;
}

}  // namespace modeshift::daejeon
