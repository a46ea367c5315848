#pragma once
/// A cereal input archive for what cereal::PortableBinaryOutputArchive writes (network files, run
/// files, saved plans), read from bytes in memory. Unlike cereal's own reader it refuses a length
/// prefix larger than the bytes that are left, before any container is resized: a damaged or
/// crafted file cannot make the reader allocate gigabytes (each element takes at least one byte in
/// the file). Every failure is a cereal::Exception, which the readers turn into an InputError
/// naming the file.
#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace modeshift {

class CheckedBinaryInputArchive
    : public cereal::InputArchive<CheckedBinaryInputArchive, cereal::AllowEmptyClassElision> {
  public:
    CheckedBinaryInputArchive(const char* data, std::size_t size)
        : cereal::InputArchive<CheckedBinaryInputArchive, cereal::AllowEmptyClassElision>(this),
          p_(data),
          end_(data + size) {
        std::uint8_t stream_little_endian = 1;
        (*this)(stream_little_endian);  // PortableBinaryOutputArchive writes its byte order first
        swap_ = stream_little_endian != (host_little_endian() ? 1 : 0);
    }
    explicit CheckedBinaryInputArchive(const std::string& bytes)
        : CheckedBinaryInputArchive(bytes.data(), bytes.size()) {}

    std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }

    template <std::streamsize DataSize>
    void loadBinary(void* const data, std::streamsize size) {
        if (size < 0 || static_cast<std::size_t>(size) > remaining())
            throw cereal::Exception("data ends early: " + std::to_string(size) + " bytes wanted, " +
                                    std::to_string(remaining()) + " left");
        if (size == 0) return;  // an empty container's data() may be null
        std::memcpy(data, p_, static_cast<std::size_t>(size));
        p_ += size;
        if (swap_ && DataSize > 1) {
            auto* b = static_cast<unsigned char*>(data);
            for (std::streamsize i = 0; i + DataSize <= size; i += DataSize)
                for (std::streamsize j = 0; j < DataSize / 2; ++j)
                    std::swap(b[i + j], b[i + DataSize - 1 - j]);
        }
    }

    /// A container of `n` elements needs at least `n` more bytes.
    void check_size(std::uint64_t n) const {
        if (n > remaining())
            throw cereal::Exception("impossible length " + std::to_string(n) + " with " +
                                    std::to_string(remaining()) + " bytes left");
    }

  private:
    static bool host_little_endian() {
        const std::uint16_t one = 1;
        unsigned char first = 0;
        std::memcpy(&first, &one, 1);
        return first == 1;
    }

    const char* p_;
    const char* end_;
    bool swap_ = false;
};

}  // namespace modeshift

namespace cereal {

template <class T>
inline typename std::enable_if<std::is_arithmetic<T>::value, void>::type CEREAL_LOAD_FUNCTION_NAME(
    modeshift::CheckedBinaryInputArchive& ar, T& t) {
    ar.template loadBinary<sizeof(T)>(std::addressof(t), sizeof(t));
}

template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(modeshift::CheckedBinaryInputArchive& ar,
                                           NameValuePair<T>& t) {
    ar(t.value);
}

template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(modeshift::CheckedBinaryInputArchive& ar,
                                           SizeTag<T>& t) {
    ar(t.size);
    ar.check_size(static_cast<std::uint64_t>(t.size));
}

template <class T>
inline void CEREAL_LOAD_FUNCTION_NAME(modeshift::CheckedBinaryInputArchive& ar, BinaryData<T>& bd) {
    using TT = typename std::remove_pointer<T>::type;
    ar.template loadBinary<sizeof(TT)>(bd.data, static_cast<std::streamsize>(bd.size));
}

namespace traits::detail {
template <>
struct get_output_from_input<modeshift::CheckedBinaryInputArchive> {
    using type = PortableBinaryOutputArchive;
};
}  // namespace traits::detail

}  // namespace cereal
