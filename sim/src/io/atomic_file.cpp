#include "modeshift/io/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "modeshift/core/error.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift {

void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write, bool binary) {
    namespace fs = std::filesystem;
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    // The pid keeps two processes writing the same output from clobbering each other's temp file.
    const fs::path tmp = path.string() + fmt::format(".tmp{}", static_cast<long>(::getpid()));
    try {
        std::ofstream os(tmp, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
        if (!os) throw std::runtime_error(fmt::format("cannot create '{}'", tmp.string()));
        write(os);
        os.flush();
        if (!os)
            throw std::runtime_error(
                fmt::format("write to '{}' failed (disk full?)", tmp.string()));
        os.close();
        fs::rename(tmp, path);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

void write_text_atomic(const std::filesystem::path& path, std::string_view text) {
    write_file_atomic(
        path,
        [&](std::ostream& os) { os.write(text.data(), static_cast<std::streamsize>(text.size())); },
        true);
}

std::string read_file_bytes(const std::filesystem::path& path) {
    return read_input_file(path, kBinaryInput);
}

}  // namespace modeshift
