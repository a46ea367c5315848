#pragma once
/// A small RFC-4180 CSV reader with precise errors (file, line, column name).
/// Handles a UTF-8 BOM, CRLF, quoted fields with commas/quotes/newlines, and a missing final
/// newline.
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modeshift {

/// What may come before the header row. HashLines: lines starting with '#' (files modeshift writes
/// for itself say there what they were made for, e.g. link_times.csv its network); a spreadsheet
/// shows such a line as one cell.
enum class CsvPreamble { None, HashLines };

class CsvReader {
  public:
    /// Opens `path` and reads the header row. Throws InputError if the file is missing or empty.
    explicit CsvReader(const std::filesystem::path& path, char delimiter = ',',
                       CsvPreamble preamble = CsvPreamble::None);
    /// Reads from an in-memory buffer; `name` is used in error messages.
    CsvReader(std::string name, std::string content, char delimiter = ',',
              CsvPreamble preamble = CsvPreamble::None);

    /// Advances to the next record; false at the end of the file. Blank lines are skipped.
    bool next();

    const std::vector<std::string>& header() const { return header_; }
    /// The '#' lines before the header (CsvPreamble::HashLines), as they are, without the line end.
    const std::vector<std::string>& preamble() const { return preamble_; }
    bool has_column(std::string_view name) const;
    /// Throws InputError naming the header line and `column` when the header lacks it; checked
    /// before any record is read, so a table with no rows fails too.
    void require_column(std::string_view column) const;
    template <class Columns>
    void require_columns(const Columns& columns) const {
        for (const auto& column : columns) require_column(column);
    }
    void require_columns(std::initializer_list<std::string_view> columns) const {
        for (std::string_view column : columns) require_column(column);
    }
    /// 1-based line number where the current record starts.
    std::uint64_t line() const { return record_line_; }
    const std::string& file() const { return name_; }
    std::size_t field_count() const { return fields_.size(); }

    /// Field by column name; throws InputError naming file, line and column when absent.
    const std::string& get(std::string_view column) const;
    /// Field that must not be empty (a source, an id); throws InputError(file, line, column,
    /// `message`) when it is.
    const std::string& get_nonempty(std::string_view column, const std::string& message) const;
    /// Optional column: empty optional if the column does not exist or the cell is empty.
    std::optional<std::string> get_opt(std::string_view column) const;
    double get_double(std::string_view column) const;
    std::optional<double> get_double_opt(std::string_view column) const;
    long long get_int(std::string_view column) const;

    /// Throws InputError(file, line, column, message).
    [[noreturn]] void fail(std::string_view column, const std::string& message) const;

  private:
    void init(CsvPreamble preamble);
    void read_preamble();
    bool read_record(std::vector<std::string>& out);
    std::size_t column_index(std::string_view column) const;

    std::string name_;
    std::string buf_;
    std::size_t pos_ = 0;
    std::uint64_t line_ = 1;
    std::uint64_t record_line_ = 0;
    char delim_;
    std::vector<std::string> preamble_;
    std::vector<std::string> header_;
    std::uint64_t header_line_ = 1;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<std::string> fields_;
};

/// Parses a finite double from the whole of `text`; nullopt on any junk, NaN or infinity.
std::optional<double> parse_double(std::string_view text);
/// Parses a whole-string integer.
std::optional<long long> parse_int(std::string_view text);

/// A field as written to a CSV file: RFC 4180 quoting when it holds a comma, quote or line end,
/// so that CsvReader reads back the same text.
std::string csv_field(std::string_view s);

}  // namespace modeshift
