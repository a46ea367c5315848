// OpenStreetMap XML (.osm) through libosmium into the importer, with the bundled tag tables.
#include "fuzz_util.hpp"
#include "modeshift/import_osm/osm_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto tables = modeshift::read_osm_tables(modeshift::default_osm_tables_dir());
    const auto file = modeshift::fuzz::input_file("input.osm", data, size);
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::OsmImportReport report;
        (void)modeshift::import_osm(file, tables, modeshift::OsmImportOptions{}, report);
    });
    return 0;
}
