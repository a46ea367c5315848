// Saved plans (plans.bin of `run --save-plans`, read by warm starts), against the bundled Daejeon
// network they are made on and the bundled fleet. As for .msnet, the checksum in the header is
// recomputed over the payload so that mutations reach the decoder and the checks of the plans;
// the header checks themselves are exercised by inputs with a wrong magic, version, network or
// size.
#include "fuzz_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/policy/fleet.hpp"
#include "modeshift/scenario/warm_start.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const modeshift::Network net(
        modeshift::read_network(MODESHIFT_SOURCE_DIR "/networks/daejeon/daejeon.msnet"), "daejeon");
    static const std::size_t types =
        modeshift::load_fleet(MODESHIFT_SOURCE_DIR "/scenarios/data/fleet.json").types.size();
    const std::string bytes =
        modeshift::fuzz::with_checksum(modeshift::fuzz::as_string(data, size));
    const auto file = modeshift::fuzz::write_file(modeshift::fuzz::scratch() / "plans.bin", bytes);
    modeshift::fuzz::refuse_cleanly([&] {
        const modeshift::PlanSet p =
            modeshift::read_plans_file(file, net, types, net.content_hash());
        (void)modeshift::same_trips(p, p);
    });
    return 0;
}
