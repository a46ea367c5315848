#include "modeshift/io/input_file.hpp"

#include <fmt/format.h>

#include "modeshift/core/error.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

/// "4096 MiB" or "17 bytes": sizes in messages as a person reads them.
std::string size_text(std::uint64_t bytes) {
    if (bytes >= kMiB) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / kMiB);
    return fmt::format("{} bytes", bytes);
}

void require_regular(const fs::path& path, const fs::file_status& st, const std::error_code& ec) {
    const std::string file = path.string();
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
        throw InputError(file, 0, "", fmt::format("cannot use this path: {}", ec.message()));
    if (!fs::exists(st)) throw InputError(file, 0, "", "cannot open file: not found");
    if (fs::is_directory(st)) throw InputError(file, 0, "", "is a directory, expected a file");
    if (!fs::is_regular_file(st))
        throw InputError(file, 0, "", "is a device, pipe or socket, expected a regular file");
}

}  // namespace

void check_input_size(std::uint64_t bytes, const InputCap& cap, const std::string& origin,
                      const std::string& field) {
    if (bytes > cap.max_bytes)
        throw InputError(origin, 0, field,
                         fmt::format("{}, more than a {} may hold ({}): is this the right file?",
                                     size_text(bytes), cap.what, size_text(cap.max_bytes)));
}

std::uint64_t check_input_file(const fs::path& path, const InputCap& cap) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    require_regular(path, st, ec);
    const auto size = fs::file_size(path, ec);
    if (ec) throw InputError(path.string(), 0, "", "cannot read the file's size");
    check_input_size(size, cap, path.string(), "");
    return size;
}

std::ifstream open_input_file(const fs::path& path) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    require_regular(path, st, ec);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), 0, "", "cannot open file (unreadable)");
    return in;
}

std::string read_input_file(const fs::path& path, const InputCap& cap) {
    const std::uint64_t size = check_input_file(path, cap);
    std::ifstream in = open_input_file(path);
    // Exactly the size seen above: a file that grows while it is read cannot pass the cap.
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() != size)
        throw InputError(path.string(), 0, "",
                         "the file became shorter while it was read (was it being written?)");
    return bytes;
}

}  // namespace modeshift
