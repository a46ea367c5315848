// GTFS feeds as a folder of CSV files. The input holds the files one after another, each after a
// line "=== NAME.txt"; they are written to an emptied folder and the folder is imported.
#include <string_view>

#include "fuzz_util.hpp"
#include "modeshift/import_gtfs/gtfs_import.hpp"

namespace {

bool is_feed_file(std::string_view name) {
    for (const char* f : {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt",
                          "calendar.txt", "calendar_dates.txt", "frequencies.txt", "transfers.txt"})
        if (name == f) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    static const auto defaults =
        modeshift::read_gtfs_mode_defaults(modeshift::default_gtfs_mode_defaults());
    const fs::path dir = modeshift::fuzz::scratch() / "feed";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    constexpr std::string_view kMark = "=== ";
    std::size_t pos = in.starts_with(kMark) ? 0 : in.find("\n=== ");
    while (pos != std::string_view::npos) {
        if (in[pos] == '\n') ++pos;
        const std::size_t name_end = in.find('\n', pos);
        if (name_end == std::string_view::npos) break;
        const std::string_view name = in.substr(pos + kMark.size(), name_end - pos - kMark.size());
        std::size_t next = in.find("\n=== ", name_end);
        const std::string_view body = in.substr(
            name_end + 1, (next == std::string_view::npos ? in.size() : next + 1) - (name_end + 1));
        if (is_feed_file(name)) modeshift::fuzz::write_file(dir / std::string(name), body);
        pos = next;
    }
    modeshift::fuzz::refuse_cleanly([&] {
        modeshift::GtfsImportReport report;
        (void)modeshift::import_gtfs(dir, defaults, modeshift::GtfsImportOptions{}, report);
    });
    return 0;
}
