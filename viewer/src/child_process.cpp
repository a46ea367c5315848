#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

extern char** environ;

namespace modeshift::viewer {
namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

std::string ChildExit::describe() const {
    if (!signalled) return fmt::format("exit code {}", code);
    const char* name = ::strsignal(code);
    return fmt::format("killed by signal {} ({})", code, name ? name : "?");
}

ChildProcess::~ChildProcess() {
    if (running()) {
        ::kill(-pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
    close_fd(out_fd_);
    close_fd(err_fd_);
}

bool ChildProcess::start(const std::vector<std::string>& argv, std::string& error) {
    if (argv.empty()) {
        error = "no program to start";
        return false;
    }
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
        for (int fd : {out[0], out[1], err[0], err[1]})
            if (fd >= 0) ::close(fd);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Own process group: Cancel stops the child and anything it starts, and a Ctrl-C in the
    // viewer's terminal does not reach it behind the viewer's back.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = argv[0].find('/') == std::string::npos
                       ? ::posix_spawnp(&pid, argv[0].c_str(), &fa, &attr, args.data(), environ)
                       : ::posix_spawn(&pid, argv[0].c_str(), &fa, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        error = fmt::format("cannot start {}: {}", argv[0], std::strerror(rc));
        return false;
    }
    ::fcntl(out[0], F_SETFL, ::fcntl(out[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(err[0], F_SETFL, ::fcntl(err[0], F_GETFL) | O_NONBLOCK);
    pid_ = pid;
    out_fd_ = out[0];
    err_fd_ = err[0];
    return true;
}

void ChildProcess::drain(int& fd, std::string& buf, std::vector<std::string>* lines) {
    char chunk[4096];
    while (fd >= 0) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0) {
            buf.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0)
            close_fd(fd);  // end of file
        else if (errno != EAGAIN && errno != EINTR)
            close_fd(fd);
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    for (std::size_t nl; (nl = buf.find('\n')) != std::string::npos;) {
        std::string line = buf.substr(0, nl);
        buf.erase(0, nl + 1);
        if (lines)
            lines->push_back(std::move(line));
        else if (!line.empty()) {
            err_lines_.push_back(std::move(line));
            if (err_lines_.size() > 50) err_lines_.erase(err_lines_.begin());
        }
    }
}

std::vector<std::string> ChildProcess::read_lines() {
    drain(out_fd_, out_buf_, &pending_);
    drain(err_fd_, err_buf_, nullptr);
    if (exit_ && out_fd_ < 0 && !out_buf_.empty()) pending_.push_back(std::exchange(out_buf_, {}));
    return std::exchange(pending_, {});
}

std::optional<ChildExit> ChildProcess::poll() {
    if (exit_ || pid_ <= 0) return exit_;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        exit_ = WIFSIGNALED(st) ? ChildExit{true, WTERMSIG(st)} : ChildExit{false, WEXITSTATUS(st)};
        ::kill(-pid_, SIGKILL);  // anything the child left in its group
        // Keep its last words: stdout lines wait for the next read_lines(), stderr for the tail.
        drain(out_fd_, out_buf_, &pending_);
        drain(err_fd_, err_buf_, nullptr);
        if (!err_buf_.empty()) err_lines_.push_back(std::exchange(err_buf_, {}));
        return exit_;
    }
    if (kill_deadline_ms_ >= 0 && now_ms() >= kill_deadline_ms_) {
        ::kill(-pid_, SIGKILL);
        kill_deadline_ms_ = -1;
    }
    return std::nullopt;
}

void ChildProcess::terminate(int grace_ms) {
    if (!running()) return;
    ::kill(-pid_, SIGTERM);
    kill_deadline_ms_ = now_ms() + grace_ms;
}

std::vector<std::string> ChildProcess::stderr_tail(std::size_t n) const {
    const std::size_t from = err_lines_.size() > n ? err_lines_.size() - n : 0;
    return {err_lines_.begin() + static_cast<std::ptrdiff_t>(from), err_lines_.end()};
}

}  // namespace modeshift::viewer
