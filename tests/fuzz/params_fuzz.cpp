// Parameter files of a scenario (sourced numbers: {"value": .., "source": ".."}): the input is
// read as demand, mode-choice, calibrated-constant, fleet, road-traffic, freight and boundary
// parameters and as calibration targets.
#include "fuzz_util.hpp"
#include "modeshift/choice/choice.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/demand/vehicle_demand.hpp"
#include "modeshift/policy/fleet.hpp"
#include "modeshift/scenario/calibrate.hpp"
#include "modeshift/traffic/road_traffic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using modeshift::fuzz::refuse_cleanly;
    static const std::filesystem::path choice =
        std::filesystem::path(MODESHIFT_SOURCE_DIR) / "scenarios" / "data" / "mode_choice.json";
    const auto file = modeshift::fuzz::input_file("params.json", data, size);
    refuse_cleanly([&] { (void)modeshift::load_demand_params(file); });
    refuse_cleanly([&] { (void)modeshift::load_choice_params(file, {}); });
    refuse_cleanly([&] { (void)modeshift::load_choice_params(choice, file); });
    refuse_cleanly([&] { (void)modeshift::load_fleet(file); });
    refuse_cleanly([&] { (void)modeshift::load_road_traffic(file); });
    refuse_cleanly([&] { (void)modeshift::load_freight_params(file); });
    refuse_cleanly([&] { (void)modeshift::load_external_params(file); });
    refuse_cleanly([&] {
        double tol = 0;
        (void)modeshift::load_share_targets(file, &tol);
    });
    return 0;
}
