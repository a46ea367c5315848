#include "modeshift/io/output_folder.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse(const fs::path& where, std::string_view option, const std::string& why) {
    throw InputError(where.string(), 0, std::string(option), why);
}

/// The canonical form of a path that may not exist yet (its existing prefix resolved).
fs::path canonical_of(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    if (ec) c = fs::absolute(p).lexically_normal();
    // "dir/sub/.." normalises to "dir/": compare folders without the trailing separator.
    if (!c.has_filename() && c.has_parent_path()) c = c.parent_path();
    return c;
}

bool inside(const fs::path& child, const fs::path& parent) {
    const auto [pe, ce] = std::mismatch(parent.begin(), parent.end(), child.begin(), child.end());
    return pe == parent.end();
}

void check_not_an_input(const fs::path& out, const std::vector<fs::path>& inputs,
                        std::string_view option, bool folder) {
    const fs::path o = canonical_of(out);
    for (const fs::path& in : inputs) {
        const fs::path i = canonical_of(in);
        if (i == o)
            refuse(out, option,
                   fmt::format("is an input of this command ({}); choose another output",
                               in.string()));
        if (folder && inside(i, o))
            refuse(out, option,
                   fmt::format("holds an input of this command ({}); choose another output folder",
                               in.string()));
        // A file written into an input folder (a run folder compare reads) could replace one of
        // its files, now or under a derived name.
        std::error_code ec;
        if (!folder && inside(o, i) && fs::is_directory(i, ec))
            refuse(out, option,
                   fmt::format("is inside an input folder of this command ({}); write it "
                               "elsewhere, so that no input is replaced",
                               in.string()));
    }
}

/// Temporaries of io/atomic_file.hpp are "<name>.tmp<pid>"; those of a process that no longer
/// runs are debris of a killed run.
void sweep_stale_temporaries(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        const auto at = name.rfind(".tmp");
        if (at == std::string::npos || at + 4 == name.size() || name.size() - at > 14) continue;
        const std::string digits = name.substr(at + 4);
        if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::stol(digits);
        const bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
        if (!alive || pid == static_cast<long>(::getpid())) fs::remove_all(e.path(), ec);
    }
}

}  // namespace

OutputFolder OutputFolder::open(const fs::path& dir, std::string_view marker,
                                const std::vector<fs::path>& inputs, std::string_view option) {
    if (dir.empty()) refuse(dir, option, "is empty: name an output folder");
    std::error_code ec;
    const auto st = fs::status(dir, ec);
    if (fs::exists(st) && !fs::is_directory(st))
        refuse(dir, option, "exists and is not a folder; name a folder (it is created if missing)");
    check_not_an_input(dir, inputs, option, true);
    fs::create_directories(dir, ec);
    if (ec) refuse(dir, option, fmt::format("cannot create the folder: {}", ec.message()));

    const fs::path lock = dir / kOutputLockFile;
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        refuse(dir, option, fmt::format("cannot write into the folder: {}", std::strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        const auto n = ::pread(fd, holder, sizeof holder - 1, 0);
        ::close(fd);
        refuse(dir, option,
               fmt::format("is being written by another modeshift process{}; wait for it or "
                           "choose another folder",
                           n > 0 ? fmt::format(" (pid {})",
                                               std::string(holder, static_cast<std::size_t>(n)))
                                 : std::string()));
    }
    const std::string pid = std::to_string(static_cast<long>(::getpid()));
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        ::close(fd);
        refuse(dir, option, "cannot write into the folder (read-only or full?)");
    }
    OutputFolder folder(dir, std::string(marker), fd);
    // Invalidate first: from here until complete() the folder is clearly incomplete.
    fs::remove(dir / marker, ec);
    if (ec) refuse(dir, option, fmt::format("cannot remove the old {}: {}", marker, ec.message()));
    sweep_stale_temporaries(dir);
    return folder;
}

OutputFolder::OutputFolder(OutputFolder&& other) noexcept
    : dir_(std::move(other.dir_)),
      marker_(std::move(other.marker_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)) {}

OutputFolder::~OutputFolder() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

void OutputFolder::complete(std::string_view marker_content) {
    write_text_atomic(dir_ / marker_, marker_content);
}

void check_output_file(const fs::path& file, const std::vector<fs::path>& inputs,
                       std::string_view option) {
    if (file.empty()) refuse(file, option, "is empty: name an output file");
    std::error_code ec;
    if (fs::is_directory(file, ec)) refuse(file, option, "is a folder; name a file");
    check_not_an_input(file, inputs, option, false);
    const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (ec)
        refuse(file, option,
               fmt::format("cannot create its folder {}: {}", parent.string(), ec.message()));
}

}  // namespace modeshift
