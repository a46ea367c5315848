#pragma once
/// Errors: InputError at the edges (file, line, field), MS_ASSERT for internal invariants.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace modeshift {

/// Bad user input. The message names the file, the line (or record / JSON path) and the field.
class InputError : public std::runtime_error {
  public:
    /// line == 0 means "no line" (e.g. a JSON path is given in `field`).
    InputError(std::string file, std::uint64_t line, std::string field, const std::string& message);

    const std::string& file() const { return file_; }
    std::uint64_t line() const { return line_; }
    const std::string& field() const { return field_; }
    /// The message alone, without file, line and field.
    const std::string& message() const { return message_; }

    /// The same error with where the file was named added, e.g. "(named by s.json at
    /// $.network)": the field to fix when the file as a whole is the wrong one.
    InputError named_by(const std::string& file, const std::string& path) const;

  private:
    std::string file_;
    std::uint64_t line_;
    std::string field_;
    std::string message_;
};

/// A broken internal invariant: a bug in modeshift, not in the user's data.
class InvariantError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line,
                                   const std::string& msg);

}  // namespace modeshift

/// Checked in every build type: the simulator's invariants are cheap relative to a wrong answer.
#define MS_ASSERT(cond, msg)                                                          \
    do {                                                                              \
        if (!(cond)) ::modeshift::assertion_failed(#cond, __FILE__, __LINE__, (msg)); \
    } while (0)
