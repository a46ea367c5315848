#pragma once
/// Values as cereal portable binary: the payloads of the framed files (network, run and plans
/// files). Decoding goes through CheckedBinaryInputArchive, so a damaged payload behind a valid
/// checksum cannot make the reader allocate more than the bytes it has.
#include <cereal/archives/portable_binary.hpp>

#include <exception>
#include <sstream>
#include <string>
#include <string_view>

#include "modeshift/core/error.hpp"
#include "modeshift/io/checked_binary.hpp"

namespace modeshift {

template <class T>
std::string to_portable_binary(const T& value) {
    std::ostringstream os(std::ios::binary);
    {
        cereal::PortableBinaryOutputArchive ar(os);
        ar(value);
    }
    return std::move(os).str();
}

/// Decodes what to_portable_binary wrote into `out`. Any failure (cereal::Exception, an
/// impossible length, running out of memory) is an InputError naming `origin`, the field
/// "payload" and `what` was decoded.
template <class T>
void from_portable_binary(std::string_view bytes, T& out, const std::string& origin,
                          std::string_view what) {
    try {
        CheckedBinaryInputArchive ar(bytes.data(), bytes.size());
        ar(out);
    } catch (const std::exception& e) {
        throw InputError(origin, 0, "payload",
                         "cannot decode the " + std::string(what) + ": " + e.what());
    }
}

}  // namespace modeshift
