#include "modeshift/io/sourced.hpp"

#include <fmt/format.h>

namespace modeshift {

double sourced_number(const JsonCursor& obj, const std::string& key, double lo, double hi) {
    auto c = obj.at(key);
    c.expect_object();
    const double v = c.number("value");
    if (v < lo || v > hi) c.at("value").fail(fmt::format("must be between {} and {}", lo, hi));
    if (!c.has("source") || c.string("source").empty())
        c.fail("every number needs a non-empty \"source\" (where the value comes from)");
    return v;
}

}  // namespace modeshift
