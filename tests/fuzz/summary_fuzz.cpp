// summary.json of a run folder (read back by compare, sweep and validate).
#include "fuzz_util.hpp"
#include "modeshift/report/outputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = modeshift::fuzz::input_file("summary.json", data, size);
    modeshift::fuzz::refuse_cleanly([&] { (void)modeshift::read_summary_json(file); });
    return 0;
}
