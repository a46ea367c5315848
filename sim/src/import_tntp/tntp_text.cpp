#include "tntp_text.hpp"

#include <fmt/format.h>

#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift::tntp::detail {

LineReader::LineReader(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool LineReader::next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++line_no_;
    return true;
}

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

Metadata read_metadata(LineReader& r, const std::string& origin) {
    Metadata m;
    std::string_view line;
    while (r.next(line)) {
        const std::string_view t = trim(line);
        if (t.empty() || t.front() == '~') continue;
        const std::size_t close = t.find('>');
        if (t.front() != '<' || close == std::string_view::npos)
            throw InputError(
                origin, r.line_no(), "metadata",
                "expected a '<TAG> value' line before <END OF METADATA> (missing header?)");
        std::string tag(trim(t.substr(1, close - 1)));
        if (tag == "END OF METADATA") {
            m.end_line = r.line_no();
            return m;
        }
        std::string_view value = trim(t.substr(close + 1));
        if (value.ends_with(';')) value = trim(value.substr(0, value.size() - 1));
        m.tags[tag] = MetaValue{std::string(value), r.line_no()};
    }
    throw InputError(origin, r.line_no(), "<END OF METADATA>",
                     "file ends inside the metadata block (truncated, or not a TNTP file)");
}

std::uint32_t meta_count(const Metadata& m, const std::string& tag, const std::string& origin,
                         std::uint32_t min_value, std::uint32_t max_value) {
    const auto it = m.tags.find(tag);
    const std::string field = "<" + tag + ">";
    if (it == m.tags.end())
        throw InputError(origin, m.end_line, field, "missing from the metadata block");
    const auto v = parse_int(it->second.value);
    if (!v || *v < static_cast<long long>(min_value))
        throw InputError(origin, it->second.line, field,
                         fmt::format("'{}' is not an integer >= {}", it->second.value, min_value));
    if (*v > static_cast<long long>(max_value))
        throw InputError(origin, it->second.line, field,
                         fmt::format("{} is more than this reader supports ({})", *v, max_value));
    return static_cast<std::uint32_t>(*v);
}

double to_double(std::string_view tok, const std::string& origin, std::uint64_t line,
                 const std::string& field) {
    const auto v = parse_double(tok);
    if (!v) throw InputError(origin, line, field, fmt::format("'{}' is not a finite number", tok));
    return *v;
}

long long to_int(std::string_view tok, const std::string& origin, std::uint64_t line,
                 const std::string& field) {
    const auto v = parse_int(tok);
    if (!v) throw InputError(origin, line, field, fmt::format("'{}' is not an integer", tok));
    return *v;
}

std::string read_text_file(const std::string& path) {
    return read_input_file(path, kTextInput);
}

}  // namespace modeshift::tntp::detail
