#include "modeshift/io/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "modeshift/core/error.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift {
namespace {

/// MODESHIFT_KILL_BEFORE=NAME[#K] (see the header): read once.
struct KillPoint {
    std::string name;
    long occurrence = 1;
    std::atomic<long> seen{0};
    KillPoint() {
        const char* v = std::getenv("MODESHIFT_KILL_BEFORE");
        if (v == nullptr) return;
        name = v;
        if (const auto hash = name.find('#'); hash != std::string::npos) {
            occurrence = std::max(1L, std::atol(name.c_str() + hash + 1));
            name.resize(hash);
        }
    }
    void before_rename(const std::filesystem::path& target) {
        if (name.empty() || target.filename() != name) return;
        if (++seen == occurrence) ::raise(SIGKILL);
    }
};

KillPoint& kill_point() {
    static KillPoint k;
    return k;
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write, bool binary) {
    namespace fs = std::filesystem;
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    // The pid keeps two processes writing the same output from clobbering each other's temp file.
    const fs::path tmp = temporary_for(path);
    try {
        std::ofstream os(tmp, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
        if (!os) throw std::runtime_error(fmt::format("cannot create '{}'", tmp.string()));
        write(os);
        os.flush();
        if (!os)
            throw std::runtime_error(
                fmt::format("write to '{}' failed (disk full?)", tmp.string()));
        os.close();
        commit_temporary(tmp, path);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

std::filesystem::path temporary_for(const std::filesystem::path& path) {
    return path.string() + fmt::format(".tmp{}", static_cast<long>(::getpid()));
}

void commit_temporary(const std::filesystem::path& tmp, const std::filesystem::path& path) {
    kill_point().before_rename(path);
    std::filesystem::rename(tmp, path);
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
