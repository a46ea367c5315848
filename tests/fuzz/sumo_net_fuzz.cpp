// SUMO network files (*.net.xml, plain or gzip: detected by the magic bytes), with the signal
// programs, then the Network built from them.
#include "fuzz_util.hpp"
#include "modeshift/import_sumo/sumo.hpp"
#include "modeshift/network/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = modeshift::fuzz::input_file("fuzz.net.xml", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::SignalPlan signals;
        modeshift::NetworkData d = modeshift::sumo::read_net(file, {}, &signals);
        modeshift::Network net(std::move(d), file.string());
        (void)net.link_count();
    });
    return 0;
}
