#pragma once
/// The InputError a call throws, for tests that check its file, field and message.
#include <optional>

#include "modeshift/core/error.hpp"

namespace modeshift::pathway::test_support {

template <class F>
std::optional<InputError> input_error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e;
    }
    return std::nullopt;
}

}  // namespace modeshift::pathway::test_support
