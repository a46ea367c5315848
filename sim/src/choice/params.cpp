#include <fmt/format.h>

#include "modeshift/choice/choice.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {

int period_of_hour(int hour) {
    const int h = ((hour % 24) + 24) % 24;
    if (h >= 7 && h < 9) return 0;
    if (h >= 9 && h < 17) return 1;
    if (h >= 17 && h < 19) return 2;
    return 3;
}

namespace {

void read_asc(const JsonCursor& asc, ChoiceParams& p, bool need_source) {
    asc.expect_object();
    for (Mode m : kAllModes) {
        const std::string key(mode_name(m));
        if (!asc.has(key)) continue;
        auto c = asc.at(key);
        if (c.json().is_object()) {
            p.asc[mode_index(m)] =
                need_source ? sourced_number(asc, key, -50, 50) : c.number("value");
        } else {
            const double v = c.number();
            if (v < -50 || v > 50) c.fail("constant out of range [-50, 50]");
            p.asc[mode_index(m)] = v;
        }
    }
    for (auto it = asc.json().begin(); it != asc.json().end(); ++it)
        if (!parse_mode(it.key())) asc.at(it.key()).fail("unknown mode");
}

}  // namespace

ChoiceParams load_choice_params(const std::filesystem::path& file,
                                const std::filesystem::path& asc_file) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"description", "coefficients", "costs", "asc"});
    ChoiceParams p;
    p.source_file = file.string();
    auto c = j.at("coefficients");
    c.only_keys({"b_ivt_car", "b_ivt_bus", "b_ivt_rail", "b_wait", "b_walk", "b_bike", "b_transfer",
                 "b_cost", "b_bike_lane"});
    p.b_ivt_car = sourced_number(c, "b_ivt_car", -1, 0);
    p.b_ivt_bus = sourced_number(c, "b_ivt_bus", -1, 0);
    p.b_ivt_rail = sourced_number(c, "b_ivt_rail", -1, 0);
    p.b_wait = sourced_number(c, "b_wait", -1, 0);
    p.b_walk = sourced_number(c, "b_walk", -1, 0);
    p.b_bike = sourced_number(c, "b_bike", -1, 0);
    p.b_transfer = sourced_number(c, "b_transfer", -5, 0);
    p.b_cost = sourced_number(c, "b_cost", -0.01, 0);
    p.b_bike_lane = sourced_number(c, "b_bike_lane", 0, 1);
    auto k = j.at("costs");
    k.only_keys({"fuel_cost_krw_per_km", "car_access_min", "taxi_base_fare_krw", "taxi_base_km",
                 "taxi_krw_per_km", "taxi_wait_min", "walk_speed_mps", "bike_speed_mps",
                 "detour_factor", "max_access_walk_m", "transfer_walk_m", "max_wait_min",
                 "bus_dwell_s", "rail_dwell_s"});
    p.fuel_cost_krw_per_km = sourced_number(k, "fuel_cost_krw_per_km", 0, 10000);
    p.car_access_min = sourced_number(k, "car_access_min", 0, 60);
    p.taxi_base_fare_krw = sourced_number(k, "taxi_base_fare_krw", 0, 1e5);
    p.taxi_base_km = sourced_number(k, "taxi_base_km", 0, 100);
    p.taxi_krw_per_km = sourced_number(k, "taxi_krw_per_km", 0, 1e5);
    p.taxi_wait_min = sourced_number(k, "taxi_wait_min", 0, 120);
    p.walk_speed_mps = sourced_number(k, "walk_speed_mps", 0.1, 5);
    p.bike_speed_mps = sourced_number(k, "bike_speed_mps", 0.5, 15);
    p.detour_factor = sourced_number(k, "detour_factor", 1, 3);
    p.max_access_walk_m = sourced_number(k, "max_access_walk_m", 50, 5000);
    p.transfer_walk_m = sourced_number(k, "transfer_walk_m", 0, 2000);
    p.max_wait_min = sourced_number(k, "max_wait_min", 0, 120);
    p.bus_dwell_s = sourced_number(k, "bus_dwell_s", 0, 600);
    p.rail_dwell_s = sourced_number(k, "rail_dwell_s", 0, 600);
    if (j.has("asc")) read_asc(j.at("asc"), p, true);
    p.asc_source = file.string();
    if (!asc_file.empty()) {
        const Json a = read_json_file(asc_file);
        JsonCursor ac(a, asc_file.string());
        read_asc(ac.at("asc"), p, false);
        p.asc_source = asc_file.string();
    }
    return p;
}

void write_asc_file(const std::filesystem::path& file, const ChoiceParams& p,
                    const std::string& provenance_json) {
    Json j = Json::parse(provenance_json);
    Json asc = Json::object();
    for (Mode m : kPersonModes) asc[std::string(mode_name(m))] = p.asc[mode_index(m)];
    j["asc"] = asc;
    write_text_atomic(file, j.dump(2) + "\n");
}

}  // namespace modeshift
