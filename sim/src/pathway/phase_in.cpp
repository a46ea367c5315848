#include "modeshift/pathway/phase_in.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace modeshift::pathway {

namespace {

/// A field whose value ramps from `neutral` (the value at which the policy does nothing).
struct Ramp {
    const char* field;
    double neutral;
};

/// The policy kinds of docs/scenarios.md with the fields each takes (as the scenario reader's
/// policy parser) and the fields that carry its intensity; no ramps = on/off or a level.
struct KindInfo {
    const char* name;
    std::vector<const char*> fields;
    std::vector<Ramp> ramps;
};

const std::vector<KindInfo>& kinds() {
    static const std::vector<KindInfo> k = {
        {"bus_frequency", {"lines", "mode", "frequency_factor"}, {{"frequency_factor", 1}}},
        {"fare", {"modes", "factor", "group", "eligible_share"}, {{"factor", 1}}},
        {"activate_line", {"lines", "mode", "headway_peak_s", "headway_offpeak_s"}, {}},
        {"deactivate_line", {"lines", "mode"}, {}},
        {"bus_lane", {"road_names", "links", "zones", "road_classes"}, {}},
        {"bike_lane", {"road_names", "links", "zones", "road_classes"}, {}},
        {"signal_priority",
         {"road_names", "links", "zones", "road_classes", "green_extension_s", "buses_only"},
         {{"green_extension_s", 0}}},
        {"tashu",
         {"coverage_factor", "bike_speed_factor"},
         {{"coverage_factor", 1}, {"bike_speed_factor", 1}}},
        {"parking_charge", {"zones", "krw"}, {{"krw", 0}}},
        {"congestion_charge", {"zones", "krw"}, {{"krw", 0}}},
        {"low_emission_zone", {"zones", "banned_types", "replacement_types"}, {}},
        {"ev_share", {"type", "share"}, {}},
        {"road_diet", {"road_names", "links", "zones", "road_classes", "lanes_removed"}, {}},
        {"disable_mode", {"modes"}, {}},
    };
    return k;
}

const KindInfo* find_kind(const std::string& name) {
    for (const auto& k : kinds())
        if (name == k.name) return &k;
    return nullptr;
}

}  // namespace

double phase_in_fraction(int year, int start_year, int phase_in_years) {
    MS_ASSERT(phase_in_years >= 0, "phase_in_years is not negative");
    if (year < start_year) return 0.0;
    return std::min(1.0, double(year - start_year + 1) / double(phase_in_years + 1));
}

bool can_phase_in(const std::string& kind) {
    const KindInfo* k = find_kind(kind);
    return k && !k->ramps.empty();
}

nlohmann::json scaled_policy(const nlohmann::json& policy, double fraction) {
    MS_ASSERT(fraction > 0 && fraction <= 1,
              fmt::format("phase-in fraction {} is in (0, 1]", fraction));
    nlohmann::json out = policy;
    const KindInfo* k = find_kind(policy.value("kind", std::string()));
    MS_ASSERT(k, "scaled_policy is given a checked policy");
    if (fraction == 1.0) return out;
    MS_ASSERT(!k->ramps.empty(), fmt::format("a {} policy cannot be phased in", k->name));
    for (const Ramp& r : k->ramps) {
        if (!out.contains(r.field) || !out[r.field].is_number()) continue;
        const double v = out[r.field].get<double>();
        out[r.field] = r.neutral + fraction * (v - r.neutral);
    }
    return out;
}

void check_policy(const JsonCursor& policy) {
    policy.expect_object();
    const std::string kind = policy.string("kind");
    const KindInfo* k = find_kind(kind);
    if (!k) {
        std::string list;
        for (const auto& x : kinds()) list += (list.empty() ? "" : ", ") + std::string(x.name);
        policy.at("kind").fail(fmt::format("unknown policy kind '{}' (known: {})", kind, list));
    }
    for (auto it = policy.json().begin(); it != policy.json().end(); ++it) {
        const std::string& f = it.key();
        const bool ok =
            f == "kind" || f == "rationale" ||
            std::any_of(k->fields.begin(), k->fields.end(), [&](const char* a) { return f == a; });
        if (!ok) {
            std::string list = "kind, rationale";
            for (const char* a : k->fields) list += ", " + std::string(a);
            throw InputError(policy.file(), 0, policy.path() + "." + f,
                             fmt::format("unknown field of a {} policy (allowed: {})", kind, list));
        }
    }
    // The intensity must be a number here: a slider placeholder ("$value") or a string would
    // reach the scenario unscaled.
    for (const Ramp& r : k->ramps)
        if (policy.has(r.field)) policy.at(r.field).number();
}

}  // namespace modeshift::pathway
