// JSON network files (.msnet.json), then the Network built from what they hold.
#include "fuzz_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = modeshift::fuzz::input_file("net.msnet.json", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::NetworkData d = modeshift::read_network_json(file);
        modeshift::Network net(std::move(d), file.string());
        (void)net.link_count();
    });
    return 0;
}
