// Scenario files with `extends`: the input is written as scenario.json beside a valid parent
// scenario (base.json), a scenario that extends the input (loop.json, for cycles) and the files
// they name, then load_scenario reads it.
#include "fuzz_util.hpp"
#include "modeshift/scenario/scenario.hpp"

namespace {

void setup() {
    using modeshift::fuzz::scratch;
    using modeshift::fuzz::write_file;
    const auto& d = scratch();
    write_file(d / "net.msnet", "MSNETBIN");
    for (const char* f : {"demand.json", "choice.json", "fleet.json", "asc.json", "traffic.json",
                          "freight.json", "external.json"})
        write_file(d / f, "{}\n");
    std::filesystem::create_directories(d / "data");
    write_file(
        d / "base.json",
        R"({"name": "base", "network": "net.msnet", "demand": "demand.json", "choice": "choice.json",)"
        R"( "fleet": "fleet.json", "seed": 1, "policies": [{"kind": "parking_charge"}]})");
    write_file(d / "loop.json", R"({"extends": "scenario.json"})");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = (setup(), true);
    (void)ready;
    const auto file = modeshift::fuzz::input_file("scenario.json", data, size);
    modeshift::fuzz::refuse_cleanly([&] { (void)modeshift::load_scenario(file); });
    return 0;
}
