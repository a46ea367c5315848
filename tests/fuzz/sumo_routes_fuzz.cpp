// SUMO route files (*.rou.xml, plain or gzip) against a small SUMO network (edges a..e), with two
// copies of each vehicle as `import sumo --copies 2` makes.
#include "fuzz_util.hpp"
#include "modeshift/import_sumo/sumo.hpp"

namespace {

constexpr const char* kNet = R"(<net version="1.16">
  <location netOffset="0.00,0.00" projParameter="!"/>
  <edge id=":J1_0" function="internal"><lane id=":J1_0_0" index="0" speed="13.89" length="5.00"/></edge>
  <edge id="a" from="J0" to="J1"><lane id="a_0" index="0" speed="13.89" length="100.00"/></edge>
  <edge id="b" from="J1" to="J2"><lane id="b_0" index="0" speed="13.89" length="120.00"/><lane id="b_1" index="1" speed="13.89" length="120.00"/></edge>
  <edge id="c" from="J2" to="J0"><lane id="c_0" index="0" speed="8.33" length="150.00"/></edge>
  <edge id="d" from="J1" to="J0"><lane id="d_0" index="0" speed="13.89" length="100.00"/></edge>
  <edge id="e" from="J2" to="J1"><lane id="e_0" index="0" speed="13.89" length="120.00"/></edge>
  <junction id="J0" type="priority" x="0.00" y="0.00"/>
  <junction id="J1" type="traffic_light" x="100.00" y="0.00"/>
  <junction id="J2" type="priority" x="100.00" y="120.00"/>
</net>
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const modeshift::NetworkData net = modeshift::sumo::parse_net(kNet, "fuzz-net");
    const auto file = modeshift::fuzz::input_file("fuzz.rou.xml", data, size);
    modeshift::fuzz::refuse_cleanly(
        [&] { (void)modeshift::sumo::read_routes(file, net, 2, 60.0); });
    return 0;
}
