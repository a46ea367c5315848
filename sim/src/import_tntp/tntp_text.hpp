#pragma once
// Line-level helpers shared by the TNTP readers (private to the module).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace modeshift::tntp::detail {

/// Iterates the lines of a text buffer with 1-based line numbers; strips '\r' and a UTF-8 BOM.
class LineReader {
  public:
    explicit LineReader(std::string_view text);
    /// Next line (without the newline); false at the end.
    bool next(std::string_view& line);
    std::uint64_t line_no() const { return line_no_; }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::uint64_t line_no_ = 0;
};

std::string_view trim(std::string_view s);
std::vector<std::string_view> split_ws(std::string_view s);

/// One <TAG> value of the metadata block and the line it is on.
struct MetaValue {
    std::string value;
    std::uint64_t line = 0;
};
struct Metadata {
    std::map<std::string, MetaValue> tags;
    std::uint64_t end_line = 0;  ///< line of <END OF METADATA>
};

/// Reads "<TAG> value" lines up to <END OF METADATA>; throws if the block never ends.
Metadata read_metadata(LineReader& r, const std::string& origin);
/// A required integer tag in min_value..max_value; throws naming the tag when missing, malformed
/// or out of range.
std::uint32_t meta_count(const Metadata& m, const std::string& tag, const std::string& origin,
                         std::uint32_t min_value, std::uint32_t max_value = 100'000'000);

/// Whole-token parsers that throw InputError(origin, line, field, ...) on junk, NaN or infinity.
double to_double(std::string_view tok, const std::string& origin, std::uint64_t line,
                 const std::string& field);
long long to_int(std::string_view tok, const std::string& origin, std::uint64_t line,
                 const std::string& field);

std::string read_text_file(const std::string& path);

}  // namespace modeshift::tntp::detail
