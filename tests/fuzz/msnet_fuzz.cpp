// Binary network files (.msnet). The header's checksum is recomputed over the payload before the
// file is read (when the input is long enough to have a header), so mutations reach the decoder
// and the validation instead of stopping at the checksum; the header checks themselves are
// exercised by inputs too short or with a wrong magic, version or size. A network that reads is
// also frozen into a Network (the CSR graph), as every command does next.
#include <cstring>

#include "fuzz_util.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/little_endian.hpp"
#include "modeshift/io/network_io.hpp"
#include "modeshift/network/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t kHeader = 8 + 4 + 8 + 8;  // magic, schema, checksum, payload size
    std::string bytes = modeshift::fuzz::as_string(data, size);
    if (bytes.size() >= kHeader) {
        std::string sum;
        modeshift::put_le<std::uint64_t>(sum, modeshift::hash_bytes(bytes.data() + kHeader, bytes.size() - kHeader));
        std::memcpy(bytes.data() + 12, sum.data(), 8);
    }
    const auto file = modeshift::fuzz::write_file(modeshift::fuzz::scratch() / "net.msnet", bytes);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::NetworkData d = modeshift::read_network(file);
        modeshift::Network net(std::move(d), file.string());
        (void)net.link_count();
    });
    return 0;
}
