#include "modeshift/core/error.hpp"

#include <fmt/format.h>

namespace modeshift {
namespace {
std::string format_input_error(const std::string& file, std::uint64_t line, const std::string& field,
                               const std::string& message) {
    std::string where = file;
    if (line > 0) where += fmt::format(":{}", line);
    if (!field.empty()) return fmt::format("{}: field '{}': {}", where, field, message);
    return fmt::format("{}: {}", where, message);
}
}  // namespace

InputError::InputError(std::string file, std::uint64_t line, std::string field,
                       const std::string& message)
    : std::runtime_error(format_input_error(file, line, field, message)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)) {}

void assertion_failed(const char* expr, const char* file, int line, const std::string& msg) {
    throw InvariantError(fmt::format("internal error at {}:{}: ({}) failed: {}", file, line, expr, msg));
}

}  // namespace modeshift
