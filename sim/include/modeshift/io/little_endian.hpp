#pragma once
/// Fixed-width little-endian integers for the headers of binary files (framed_file.hpp), so files
/// are identical on every platform.
#include <cstddef>
#include <string>
#include <string_view>

namespace modeshift {

template <class T>
void put_le(std::string& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// Reads a T at byte offset `at`; the caller checks that sizeof(T) bytes are there.
template <class T>
T get_le(std::string_view in, std::size_t at) {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        v |= static_cast<T>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    return v;
}

}  // namespace modeshift
