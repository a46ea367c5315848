// TNTP demand files (*_trips.tntp), and the same text read as a node-coordinate file
// (*_node.tntp) against a 24-node network.
#include "fuzz_util.hpp"
#include "modeshift/import_tntp/tntp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = modeshift::fuzz::input_file("Fuzz_trips.tntp", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        std::vector<std::string> warnings;
        (void)modeshift::tntp::read_trips(file, warnings);
    });
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::NetworkData d;
        d.nodes.lat.assign(24, 0);
        d.nodes.lon.assign(24, 0);
        d.nodes.external_id.assign(24, "");
        d.nodes.control.assign(24, modeshift::NodeControl::Unknown);
        std::vector<std::string> warnings;
        modeshift::tntp::read_nodes(file, d, {}, warnings);
    });
    return 0;
}
