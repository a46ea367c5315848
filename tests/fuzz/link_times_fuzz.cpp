// link_times.csv of a run folder (warm starts), read against a small network of 6 links (content
// hash 4e9a4853dad5859b, which the first line of the seeds names).
#include "fuzz_util.hpp"
#include "modeshift/network/builder.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/scenario/warm_start.hpp"

namespace {

modeshift::Network small_network() {
    using namespace modeshift;
    NetworkBuilder b("fuzz", "link_times_fuzz");
    for (int i = 0; i < 3; ++i) b.add_node(LatLon{36.35 + 0.01 * i, 127.38}, std::to_string(i));
    for (auto [f, t] : {std::pair{0u, 1u}, {1u, 0u}, {1u, 2u}, {2u, 1u}, {0u, 2u}, {2u, 0u}}) {
        LinkSpec s;
        s.from = NodeId(f);
        s.to = NodeId(t);
        s.length_m = 1000;
        s.speed_mps = 10;
        s.capacity_vph = 1800;
        s.modes = mode_bit(Mode::Car);
        b.add_link(s);
    }
    return Network(b.finish(), "fuzz");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const modeshift::Network net = small_network();
    const auto file = modeshift::fuzz::input_file("link_times.csv", data, size);
    modeshift::fuzz::refuse_cleanly(
        [&] { (void)modeshift::read_link_times_csv(file, net, net.content_hash()); });
    return 0;
}
