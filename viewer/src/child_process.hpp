#pragma once
/// A child process whose output the viewer reads without blocking the frame loop: the what-if
/// simulation runs as `modeshift what-if ...` in its own process (the viewer never links the
/// engine), so a crash, a kill or a hang there cannot take the replay down.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace modeshift::viewer {

/// How a child ended.
struct ChildExit {
    bool signalled = false;
    int code = 0;  ///< exit code, or the signal number when `signalled`
    /// "exit code 2" or "killed by signal 9 (Killed)".
    std::string describe() const;
};

class ChildProcess {
  public:
    ChildProcess() = default;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    /// Stops and reaps a child still running (the viewer never leaves one behind).
    ~ChildProcess();

    /// Starts argv[0] (a path, or a name looked up in PATH) in its own process group, with stdout
    /// and stderr on pipes. Returns false with `error` set if it cannot start (e.g. no such
    /// binary).
    bool start(const std::vector<std::string>& argv, std::string& error);
    bool running() const { return pid_ > 0 && !exit_; }
    pid_t pid() const { return pid_; }

    /// Reads whatever the child wrote since the last call; returns the complete stdout lines.
    /// stderr is kept (its last lines) for error messages.
    std::vector<std::string> read_lines();
    /// Non-blocking: the exit status once the child has ended (then always the same).
    std::optional<ChildExit> poll();
    /// Asks the child's process group to stop (SIGTERM); poll() escalates to SIGKILL after
    /// `grace_ms` if it has not ended.
    void terminate(int grace_ms = 2000);
    /// The last non-empty stderr lines (at most `n`), oldest first.
    std::vector<std::string> stderr_tail(std::size_t n = 3) const;

  private:
    void drain(int& fd, std::string& buf, std::vector<std::string>* lines);
    pid_t pid_ = -1;
    int out_fd_ = -1, err_fd_ = -1;
    std::string out_buf_, err_buf_;
    std::vector<std::string> pending_;  ///< complete stdout lines not yet returned
    std::vector<std::string> err_lines_;
    std::optional<ChildExit> exit_;
    long long kill_deadline_ms_ = -1;
};

}  // namespace modeshift::viewer
