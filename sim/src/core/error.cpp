#include "modeshift/core/error.hpp"

#include <fmt/format.h>

namespace modeshift {
namespace {
/// Keeps a message readable when it quotes a huge value from the input (a 10 MB string, a whole
/// line without newlines): the middle of an over-long part is cut out and its size said instead.
std::string clip(const std::string& s, std::size_t max = 600) {
    if (s.size() <= max) return s;
    std::size_t head = max / 2, tail = max / 4;
    // Cut at UTF-8 character boundaries so that the message stays valid text.
    while (head > 0 && (static_cast<unsigned char>(s[head]) & 0xC0u) == 0x80u) --head;
    while (tail > 0 && (static_cast<unsigned char>(s[s.size() - tail]) & 0xC0u) == 0x80u) --tail;
    return fmt::format("{}...[{} bytes cut]...{}", s.substr(0, head), s.size() - head - tail,
                       s.substr(s.size() - tail));
}

std::string format_input_error(const std::string& file, std::uint64_t line,
                               const std::string& field, const std::string& message) {
    std::string where = clip(file);
    if (line > 0) where += fmt::format(":{}", line);
    if (!field.empty())
        return fmt::format("{}: field '{}': {}", where, clip(field), clip(message, 2000));
    return fmt::format("{}: {}", where, clip(message, 2000));
}
}  // namespace

InputError::InputError(std::string file, std::uint64_t line, std::string field,
                       const std::string& message)
    : std::runtime_error(format_input_error(file, line, field, message)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)),
      message_(message) {}

InputError InputError::named_by(const std::string& file, const std::string& path) const {
    return InputError(file_, line_, field_,
                      fmt::format("{} (named by {} at {})", message_, file, path));
}

void assertion_failed(const char* expr, const char* file, int line, const std::string& msg) {
    throw InvariantError(
        fmt::format("internal error at {}:{}: ({}) failed: {}", file, line, expr, msg));
}

}  // namespace modeshift
