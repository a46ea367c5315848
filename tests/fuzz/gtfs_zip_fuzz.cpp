// GTFS feeds as .zip archives (libzip), imported without a road network.
#include "fuzz_util.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto defaults =
        modeshift::read_gtfs_mode_defaults(modeshift::default_gtfs_mode_defaults());
    const auto file = modeshift::fuzz::input_file("feed.zip", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::GtfsImportReport report;
        (void)modeshift::import_gtfs(file, defaults, modeshift::GtfsImportOptions{}, report);
    });
    return 0;
}
