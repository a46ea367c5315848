// Replay run files (run.msrun). As for .msnet, the checksum in the header is recomputed over the
// payload so that mutations reach the decoder. A run file that reads is replayed at a few moments
// (what the viewer does with it).
#include <vector>

#include "fuzz_util.hpp"
#include "modeshift/record/replay.hpp"
#include "modeshift/record/run_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = modeshift::fuzz::with_checksum(modeshift::fuzz::as_string(data, size));
    const auto file = modeshift::fuzz::write_file(modeshift::fuzz::scratch() / "run.msrun", bytes);
    modeshift::fuzz::refuse_cleanly([&] {
        const modeshift::RunFile run = modeshift::read_run_file(file);
        const modeshift::Replay replay(run);
        std::vector<modeshift::VehiclePosition> at;
        for (modeshift::TimeMs t :
             {replay.start_ms(), (replay.start_ms() + replay.end_ms()) / 2, replay.end_ms()})
            replay.positions_at(t, at);
        (void)modeshift::derived_link_tables(run);
    });
    return 0;
}
