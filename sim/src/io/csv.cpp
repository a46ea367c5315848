#include "modeshift/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift {

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string o = "\"";
    for (char ch : s) {
        if (ch == '"') o += '"';
        o += ch;
    }
    return o + "\"";
}

std::optional<double> parse_double(std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r'))
        t.remove_suffix(1);
    if (t.empty()) return std::nullopt;
    if (t.front() == '+') t.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long long> parse_int(std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r'))
        t.remove_suffix(1);
    if (t.empty()) return std::nullopt;
    long long v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
    return v;
}

CsvReader::CsvReader(const std::filesystem::path& path, char delimiter, CsvPreamble preamble)
    : name_(path.string()), buf_(read_input_file(path, kTextInput)), delim_(delimiter) {
    init(preamble);
}

CsvReader::CsvReader(std::string name, std::string content, char delimiter, CsvPreamble preamble)
    : name_(std::move(name)), buf_(std::move(content)), delim_(delimiter) {
    init(preamble);
}

void CsvReader::init(CsvPreamble preamble) {
    if (buf_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;  // UTF-8 BOM
    if (preamble == CsvPreamble::HashLines) read_preamble();
    header_line_ = line_;
    if (!read_record(header_) || header_.empty() || (header_.size() == 1 && header_[0].empty()))
        throw InputError(name_, header_line_, "", "empty file: expected a header row");
    header_line_ = record_line_;
    for (std::size_t i = 0; i < header_.size(); ++i) {
        if (!index_.emplace(header_[i], i).second)
            throw InputError(name_, header_line_, header_[i], "duplicate column name in header");
    }
}

void CsvReader::read_preamble() {
    while (pos_ < buf_.size() && buf_[pos_] == '#') {
        const auto end = std::min(buf_.find('\n', pos_), buf_.size());
        std::string line = buf_.substr(pos_, end - pos_);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        preamble_.push_back(std::move(line));
        pos_ = std::min(end + 1, buf_.size());
        ++line_;
    }
}

bool CsvReader::read_record(std::vector<std::string>& out) {
    out.clear();
    // Skip blank lines between records.
    while (pos_ < buf_.size() && (buf_[pos_] == '\n' || buf_[pos_] == '\r')) {
        if (buf_[pos_] == '\n') ++line_;
        ++pos_;
    }
    if (pos_ >= buf_.size()) return false;
    record_line_ = line_;
    std::string field;
    bool quoted = false, was_quoted = false;
    while (pos_ < buf_.size()) {
        const char c = buf_[pos_++];
        if (quoted) {
            if (c == '"') {
                if (pos_ < buf_.size() && buf_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line_;
                field += c;
            }
        } else if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = true;
        } else if (c == delim_) {
            out.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (c == '\n') {
            ++line_;
            break;
        } else if (c != '\r') {
            field += c;
        }
    }
    if (quoted)
        throw InputError(name_, record_line_, "", "unterminated quoted field (truncated file?)");
    out.push_back(std::move(field));
    return true;
}

bool CsvReader::next() {
    if (!read_record(fields_)) return false;
    if (fields_.size() != header_.size())
        throw InputError(
            name_, record_line_, "",
            fmt::format("has {} fields, the header has {}", fields_.size(), header_.size()));
    return true;
}

bool CsvReader::has_column(std::string_view name) const {
    return index_.count(std::string(name)) > 0;
}

void CsvReader::require_column(std::string_view column) const {
    column_index(column);
}

std::size_t CsvReader::column_index(std::string_view column) const {
    auto it = index_.find(std::string(column));
    if (it == index_.end())
        throw InputError(name_, header_line_, std::string(column),
                         "required column is missing from the header");
    return it->second;
}

const std::string& CsvReader::get(std::string_view column) const {
    return fields_[column_index(column)];
}

const std::string& CsvReader::get_nonempty(std::string_view column,
                                           const std::string& message) const {
    const auto& v = get(column);
    if (v.empty()) fail(column, message);
    return v;
}

std::optional<std::string> CsvReader::get_opt(std::string_view column) const {
    auto it = index_.find(std::string(column));
    if (it == index_.end() || fields_[it->second].empty()) return std::nullopt;
    return fields_[it->second];
}

double CsvReader::get_double(std::string_view column) const {
    const auto& s = get(column);
    auto v = parse_double(s);
    if (!v) fail(column, fmt::format("expected a finite number, got '{}'", s));
    return *v;
}

std::optional<double> CsvReader::get_double_opt(std::string_view column) const {
    auto s = get_opt(column);
    if (!s) return std::nullopt;
    auto v = parse_double(*s);
    if (!v) fail(column, fmt::format("expected a finite number, got '{}'", *s));
    return v;
}

long long CsvReader::get_int(std::string_view column) const {
    const auto& s = get(column);
    auto v = parse_int(s);
    if (!v) fail(column, fmt::format("expected an integer, got '{}'", s));
    return *v;
}

void CsvReader::fail(std::string_view column, const std::string& message) const {
    throw InputError(name_, record_line_, std::string(column), message);
}

}  // namespace modeshift
