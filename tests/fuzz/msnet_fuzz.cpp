// Binary network files (.msnet). The header's checksum is recomputed over the payload before the
// file is read (when the input is long enough to have a header), so mutations reach the decoder
// and the validation instead of stopping at the checksum; the header checks themselves are
// exercised by inputs too short or with a wrong magic, version or size. Both headers are fuzzed:
// the common frame and the one of version 2 files, which are still read. A network that reads is
// also frozen into a Network (the CSR graph), as every command does next.
#include "fuzz_util.hpp"
#include "modeshift/io/little_endian.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes = modeshift::fuzz::as_string(data, size);
    // Version 2: magic, u32 2, checksum, payload size (28 bytes); else the common frame.
    if (bytes.size() >= 12 && modeshift::get_le<std::uint32_t>(bytes, 8) == 2)
        bytes = modeshift::fuzz::with_checksum(std::move(bytes), 28, 12);
    else
        bytes = modeshift::fuzz::with_checksum(std::move(bytes));
    const auto file = modeshift::fuzz::write_file(modeshift::fuzz::scratch() / "net.msnet", bytes);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::NetworkData d = modeshift::read_network(file);
        modeshift::Network net(std::move(d), file.string());
        (void)net.link_count();
    });
    return 0;
}
