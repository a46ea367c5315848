// TNTP network files (*_net.tntp), then the Network built from them.
#include "fuzz_util.hpp"
#include "modeshift/import_tntp/tntp.hpp"
#include "modeshift/network/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = modeshift::fuzz::input_file("Fuzz_net.tntp", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::NetworkData d = modeshift::tntp::read_net(file);
        modeshift::Network net(std::move(d), file.string());
        (void)net.link_count();
    });
    return 0;
}
